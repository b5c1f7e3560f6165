/* Result sizes; see sr-result-size.h. */
#include <math.h>

#include "sr-result-size.h"

/* GIMP's SIGNED_ROUND (libgimpmath): what gimp_image_scale() rounds item
 * edges with. */
static int
signed_round (double x)
{
  return (int) (x < 0 ? x - 0.5 : x + 0.5);
}

int
sr_scaled_side (int side, double scale)
{
  return (int) round (side * scale);
}

/* One axis of a layer in a scaled image, the way GIMP 2.10's
 * gimp_item_scale_by_factors() does it: the image's factor applied to
 * both edges, each rounded. */
static void
scale_span (int image_len, int new_image_len, int pos, int len, int *new_pos, int *new_len)
{
  double factor = (double) new_image_len / (double) image_len;

  *new_pos = signed_round (factor * pos);
  *new_len = signed_round (factor * (pos + len)) - *new_pos;
}

void
sr_result_size_compute (int image_w, int image_h,
                        int layer_x, int layer_y, int layer_w, int layer_h,
                        double scale, SrOutputMode output, SrResultSize *size)
{
  if (output == SR_OUTPUT_NEW_LAYER && image_w > 0 && image_h > 0)
    {
      size->image_width = sr_scaled_side (image_w, scale);
      size->image_height = sr_scaled_side (image_h, scale);
      scale_span (image_w, size->image_width, layer_x, layer_w, &size->x, &size->width);
      scale_span (image_h, size->image_height, layer_y, layer_h, &size->y, &size->height);
    }
  else
    {
      size->x = size->y = 0;
      size->width = size->image_width = sr_scaled_side (layer_w, scale);
      size->height = size->image_height = sr_scaled_side (layer_h, scale);
    }
}
