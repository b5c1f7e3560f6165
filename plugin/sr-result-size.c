/* Result sizes; see sr-result-size.h. */
#include "sr-plugin-config.h"

#include <math.h>

#include "sr-plugin-i18n.h"
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
  /* A new layer and a replaced layer both grow the whole canvas. */
  if (output != SR_OUTPUT_NEW_IMAGE && image_w > 0 && image_h > 0)
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

/* The megapixel budget: SR_RESULT_MAX_MEGAPIXELS unless $SR_MAX_MEGAPIXELS
 * gives a positive number. */
static double
budget_megapixels (void)
{
  const char *env = g_getenv ("SR_MAX_MEGAPIXELS");
  double mp = env ? g_ascii_strtod (env, NULL) : 0;

  return mp > 0 && isfinite (mp) ? mp : SR_RESULT_MAX_MEGAPIXELS;
}

gboolean
sr_result_size_check (const SrResultSize *size, int max_side, GError **error)
{
  int    w = MAX (size->width, size->image_width);
  int    h = MAX (size->height, size->image_height);
  double mp = (double) size->width * size->height / 1e6, budget = budget_megapixels ();

  if (w > max_side || h > max_side)
    {
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_UNSUPPORTED,
                   _("The result would be %d × %d pixels, larger than GIMP allows "
                     "(%d pixels a side)."),
                   w, h, max_side);
      return FALSE;
    }
  if (mp > budget)
    {
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_UNSUPPORTED,
                   /* TRANSLATORS: %.0f are megapixels and gigabytes; keep
                    * SR_MAX_MEGAPIXELS as it is (an environment variable) */
                   _("The result would be %d × %d pixels (%.0f megapixels), more than "
                     "the %.0f megapixels this plug-in makes without being told: it "
                     "needs at least %.0f GB of memory.  Choose a smaller factor, or "
                     "crop the image and upscale a part of it, or start GIMP with "
                     "SR_MAX_MEGAPIXELS=%.0f to allow it."),
                   size->width, size->height, mp, budget, ceil (mp * 8 / 1000), ceil (mp));
      return FALSE;
    }
  return TRUE;
}
