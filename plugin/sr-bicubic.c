/* Bicubic (Catmull-Rom, a = -0.5) resampling; see sr-bicubic.h.
 *
 * Pixel centres are aligned the way GIMP and GEGL scale images: output pixel
 * o of an axis resized from in_len to out_len samples the input at
 * (o + 0.5) * in_len / out_len - 0.5 (for a whole-number scale s exactly
 * (o + 0.5) / s - 0.5: both are the correctly rounded same quotient).
 * Taps outside the image are clamped to the edge pixel. */
#include <math.h>

#include "sr-bicubic.h"

typedef struct
{
  int   index[4];   /* tap positions relative to the source rectangle */
  float weight[4];
} Taps;

static void
catmull_rom_weights (float t, float w[4])
{
  w[0] = ((-0.5f * t + 1.0f) * t - 0.5f) * t;
  w[1] = (1.5f * t - 2.5f) * t * t + 1.0f;
  w[2] = ((-1.5f * t + 2.0f) * t + 0.5f) * t;
  w[3] = (0.5f * t - 0.5f) * t * t;
}

/* Where output pixel @o samples the input. */
static double
source_position (int in_len, int out_len, int o)
{
  return (o + 0.5) * in_len / out_len - 0.5;
}

/* The first input pixel whose tap row reaches output pixel @o. */
static int
first_tap (int in_len, int out_len, int o)
{
  return (int) floor (source_position (in_len, out_len, o)) - 1;
}

void
sr_bicubic_input_rect (int image_width, int image_height, int out_width, int out_height,
                       int out_x, int out_y, int out_w, int out_h,
                       int *in_x, int *in_y, int *in_w, int *in_h)
{
  int x0 = CLAMP (first_tap (image_width, out_width, out_x), 0, image_width - 1);
  int y0 = CLAMP (first_tap (image_height, out_height, out_y), 0, image_height - 1);
  int x1 = CLAMP (first_tap (image_width, out_width, out_x + out_w - 1) + 3, 0, image_width - 1);
  int y1 = CLAMP (first_tap (image_height, out_height, out_y + out_h - 1) + 3, 0, image_height - 1);

  *in_x = x0;
  *in_y = y0;
  *in_w = x1 - x0 + 1;
  *in_h = y1 - y0 + 1;
}

static Taps *
compute_taps (int image_len, int image_out_len, int out_start, int out_len,
              int src_start, int src_len)
{
  Taps *taps = g_new (Taps, out_len);

  for (int o = 0; o < out_len; o++)
    {
      double u = source_position (image_len, image_out_len, out_start + o);
      int    i0 = (int) floor (u);

      catmull_rom_weights ((float) (u - i0), taps[o].weight);
      for (int k = 0; k < 4; k++)
        {
          int i = CLAMP (i0 - 1 + k, 0, image_len - 1);
          /* The caller guarantees coverage; clamping again keeps a caller
           * bug from reading outside the buffer. */
          taps[o].index[k] = CLAMP (i - src_start, 0, src_len - 1);
        }
    }
  return taps;
}

void
sr_bicubic_scale (const SrFloatRect *src, int out_width, int out_height,
                  int out_x, int out_y, int out_w, int out_h,
                  int first_channel, int n_channels,
                  float *dst, int dst_channels)
{
  Taps *cols = compute_taps (src->image_width, out_width, out_x, out_w, src->x, src->w);
  Taps *rows = compute_taps (src->image_height, out_height, out_y, out_h, src->y, src->h);
  int   nc = src->n_channels;

  for (int oy = 0; oy < out_h; oy++)
    {
      const Taps *ry = &rows[oy];

      for (int ox = 0; ox < out_w; ox++)
        {
          const Taps *rx = &cols[ox];
          float      *d  = dst + ((gsize) oy * out_w + ox) * dst_channels;

          for (int c = first_channel; c < first_channel + n_channels; c++)
            {
              float first = src->pixels[((gsize) ry->index[0] * src->w + rx->index[0]) * nc + c];
              gboolean all_equal = TRUE;
              float sum = 0.0f;

              for (int j = 0; j < 4; j++)
                {
                  const float *row = src->pixels + (gsize) ry->index[j] * src->w * nc;
                  float        acc = 0.0f;

                  for (int i = 0; i < 4; i++)
                    {
                      float v = row[rx->index[i] * nc + c];
                      all_equal = all_equal && v == first;
                      acc += rx->weight[i] * v;
                    }
                  sum += ry->weight[j] * acc;
                }
              /* Flat areas (opaque alpha above all) must come out exact, not
               * 0.99999994 from rounding in the weights. */
              d[c] = all_equal ? first : CLAMP (sum, 0.0f, 1.0f);
            }
        }
    }
  g_free (cols);
  g_free (rows);
}
