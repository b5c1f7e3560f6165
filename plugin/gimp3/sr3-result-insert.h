/* Putting finished results into GIMP 3: the only place an image changes.
 *
 * Called only after the network has finished for every selected layer, so
 * a failure or a cancel before this point leaves the image as it was.  The
 * same behaviour as the 2.10 front end's sr-result-insert.h, for one or
 * several source layers at once. */
#ifndef SR3_RESULT_INSERT_H
#define SR3_RESULT_INSERT_H

#include <libgimp/gimp.h>

#include "sr-result-size.h"

G_BEGIN_DECLS

/* One source layer and what became of it. */
typedef struct
{
  GimpDrawable *source;
  GeglBuffer   *buffer;     /* the super-resolved pixels */
  SrResultSize  size;       /* computed before the image was scaled */
  char         *name;       /* for the new layer */
  GimpLayer    *layer;      /* out: the new layer */
  GimpImage    *image;      /* out: the image holding it */
} SrResult;

/* "<layer> (<model> ×<scale>)", e.g. "Background (imdn-x3 ×2.5)". */
char     *sr3_result_layer_name    (GimpDrawable *source, const char *model_id, double scale);

/* One undo step: scales @image once to results[0].size.image_width x
 * image_height the way Image ▸ Scale Image does, then adds each result as a
 * new layer right above its source, where the scaled source lies, with a
 * copy of the source's layer mask.  The new layers end up selected. */
gboolean  sr3_result_add_layers    (GimpImage *image, SrResult *results, int n_results,
                                    GError **error);

/* A new image for each result (same precision, colour profile and
 * resolution as @image), shown if @show. */
gboolean  sr3_result_open_as_images (GimpImage *image, SrResult *results, int n_results,
                                     gboolean show, GError **error);

G_END_DECLS

#endif /* SR3_RESULT_INSERT_H */
