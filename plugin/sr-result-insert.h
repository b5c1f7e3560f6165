/* Putting a finished result into GIMP: the only place the image changes.
 *
 * Called only after the network has finished, so a failure or a cancel
 * before this point leaves the image as it was. */
#ifndef SR_RESULT_INSERT_H
#define SR_RESULT_INSERT_H

#include <gegl.h>

#include "sr-result-size.h"

G_BEGIN_DECLS

/* "SR ×<scale> · <layer>", e.g. "SR ×4 · Background" or "SR ×2.5 · Sky":
 * tells the result apart from its source, and what tells them apart comes
 * first, where the Layers dock does not cut it off. */
char   *sr_result_layer_name     (gint32 source_drawable, double scale);

/* Which model made a result: the parasite SR_MODEL_PARASITE holds its id
 * (e.g. "imdn-x4"), kept in XCF files, so scripts and tests can tell
 * without the layer name having to carry it.  Call with the undo group
 * open when @layer is already in an image. */
#define SR_MODEL_PARASITE "gimp-sr-model"
gboolean sr_result_mark_model    (gint32 layer, const char *model_id);

/* One undo step: scales the image to size->image_width x image_height the
 * way Image ▸ Scale Image does (GIMP's interpolation from the context),
 * then adds @result (size->width x height) as a new layer right above
 * @drawable, at (size->x, size->y): where the scaled source lies, with a
 * copy of the source's layer mask (as scaled) if it has one.  Returns the
 * layer, or -1 with @error set. */
gint32  sr_result_add_layer      (gint32 image, gint32 drawable, GeglBuffer *result,
                                  const SrResultSize *size, const char *name,
                                  const char *model_id, GError **error);

/* One undo step: scales the image as sr_result_add_layer() does, which
 * scales @drawable with GIMP's interpolation, then writes @result over the
 * scaled layer at (size->x, size->y) (image coordinates): the whole layer,
 * or the part that "selection only" upscaled.  The layer keeps everything
 * else (name, place, mask, mode, opacity, visibility, ID).  Returns
 * @drawable, or -1 with @error set. */
gint32  sr_result_replace_layer  (gint32 image, gint32 drawable, GeglBuffer *result,
                                  const SrResultSize *size, const char *model_id,
                                  GError **error);

/* A new image holding just @result (same precision, colour profile and
 * resolution as the source image), shown in a display if @show.  Returns
 * the layer and sets *new_image, or -1 with @error set. */
gint32  sr_result_open_as_image  (gint32 image, gint32 drawable, GeglBuffer *result,
                                  const char *name, const char *model_id, gboolean show,
                                  gint32 *new_image, GError **error);

G_END_DECLS

#endif /* SR_RESULT_INSERT_H */
