/* Putting a finished result into GIMP: the only place the image changes.
 *
 * Called only after the network has finished, so a failure or a cancel
 * before this point leaves the image as it was. */
#ifndef SR_RESULT_INSERT_H
#define SR_RESULT_INSERT_H

#include <gegl.h>

#include "sr-result-size.h"

G_BEGIN_DECLS

/* "<layer> (<model> ×<scale>)", e.g. "Background (imdn-x3 ×2.5)": tells
 * the result apart from its source. */
char   *sr_result_layer_name     (gint32 source_drawable, const char *model_id, double scale);

/* One undo step: scales the image to size->image_width x image_height the
 * way Image ▸ Scale Image does (GIMP's interpolation from the context),
 * then adds @result (size->width x height) as a new layer right above
 * @drawable, at (size->x, size->y): where the scaled source lies, with a
 * copy of the source's layer mask (as scaled) if it has one.  Returns the
 * layer, or -1 with @error set. */
gint32  sr_result_add_layer      (gint32 image, gint32 drawable, GeglBuffer *result,
                                  const SrResultSize *size, const char *name, GError **error);

/* A new image holding just @result (same precision, colour profile and
 * resolution as the source image), shown in a display if @show.  Returns
 * the layer and sets *new_image, or -1 with @error set. */
gint32  sr_result_open_as_image  (gint32 image, gint32 drawable, GeglBuffer *result,
                                  const char *name, gboolean show,
                                  gint32 *new_image, GError **error);

G_END_DECLS

#endif /* SR_RESULT_INSERT_H */
