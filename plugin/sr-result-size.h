/* How big the result of a run is, for any scale from 1 to 8.
 *
 * The result of scale s on a w x h layer is round(w s) x round(h s).  For
 * output "new layer" (and "replace the layer") the canvas becomes round(W s) x round(H s) and the new
 * layer must cover exactly what the scaled source layer covers, so its
 * offsets and size follow GIMP's own rounding for Image ▸ Scale Image (the
 * image's factor new/old size, applied to the layer's edges).  For a layer
 * that fills the canvas, or any whole-number scale, that is the same as
 * round(w s) x round(h s) at round(offset s); otherwise it can differ from
 * it by one pixel.  Shared by the run and the dialog.  GLib only. */
#ifndef SR_RESULT_SIZE_H
#define SR_RESULT_SIZE_H

#include <glib.h>

#include "sr-plugin-params.h"

G_BEGIN_DECLS

typedef struct
{
  int x, y;                       /* the new layer's offsets (0 for a new image) */
  int width, height;              /* the result: the new layer or the new image */
  int image_width, image_height;  /* the canvas afterwards (the source image's
                                   * for a new layer, else the new image's) */
} SrResultSize;

/* round (side * scale), halves away from zero (as C's round()). */
int  sr_scaled_side         (int side, double scale);

/* The sizes for a layer at (layer_x, layer_y), layer_w x layer_h, in an
 * image_w x image_h image, at @scale (1..8).  For "selection only" the
 * "layer" is the part of it that is upscaled, in image coordinates. */
void sr_result_size_compute (int image_w, int image_h,
                             int layer_x, int layer_y, int layer_w, int layer_h,
                             double scale, SrOutputMode output, SrResultSize *size);

/* Largest result the plug-in makes without being told otherwise: GIMP holds
 * it twice (the plug-in's buffer, then the layer and its undo), at 4 to 16
 * bytes a pixel.  $SR_MAX_MEGAPIXELS raises or lowers it. */
#define SR_RESULT_MAX_MEGAPIXELS 1600

/* FALSE (SR_PLUGIN_ERROR_UNSUPPORTED, with a message that says how to go
 * on) when the result or the canvas would be more than @max_side pixels a
 * side (GIMP's limit) or more megapixels than the budget above. */
gboolean sr_result_size_check (const SrResultSize *size, int max_side, GError **error);

G_END_DECLS

#endif /* SR_RESULT_SIZE_H */
