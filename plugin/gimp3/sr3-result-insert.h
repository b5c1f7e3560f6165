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
  char         *model_id;   /* the model that made it */
  GimpLayer    *layer;      /* out: the new layer */
  GimpImage    *image;      /* out: the image holding it */
} SrResult;

/* "SR ×<scale> · <layer>", e.g. "SR ×4 · Background" or "SR ×2.5 · Sky":
 * what tells the result from its source comes first, where the Layers
 * dock does not cut it off. */
char     *sr3_result_layer_name    (GimpDrawable *source, double scale);

/* The model that made a result is in the parasite SR_MODEL_PARASITE (its
 * id, e.g. "imdn-x4"), kept in XCF files, as in the 2.10 front end. */
#define SR_MODEL_PARASITE "gimp-sr-model"

/* One undo step: scales @image once to results[0].size.image_width x
 * image_height the way Image ▸ Scale Image does, then adds each result as a
 * new layer right above its source, where the scaled source lies, with a
 * copy of the source's layer mask.  The new layers end up selected. */
gboolean  sr3_result_add_layers    (GimpImage *image, SrResult *results, int n_results,
                                    GError **error);

/* One undo step: scales @image once as sr3_result_add_layers() does (GIMP
 * scales each source layer with its own interpolation), then writes each
 * result over its scaled source at result->size (image coordinates): the
 * whole layer, or the part "selection only" upscaled.  Each source layer
 * stays what it was (name, place, mask, mode, opacity, visibility, ID);
 * result->layer is the source. */
gboolean  sr3_result_replace_layers (GimpImage *image, SrResult *results, int n_results,
                                     GError **error);

/* A new image for each result (same precision, colour profile and
 * resolution as @image), shown if @show. */
gboolean  sr3_result_open_as_images (GimpImage *image, SrResult *results, int n_results,
                                     gboolean show, GError **error);

G_END_DECLS

#endif /* SR3_RESULT_INSERT_H */
