#include "resample.h"

#include <math.h>

static double
cubic (double x)
{
  /* Keys' cubic with a = -0.5. */
  x = fabs (x);
  if (x <= 1)
    return (1.5 * x - 2.5) * x * x + 1;
  if (x < 2)
    return ((-0.5 * x + 2.5) * x - 4) * x + 2;
  return 0;
}

int
sr_resample_radius (int src_size, int dst_size)
{
  double stretch = MAX (1.0, (double) src_size / dst_size);
  return (int) ceil (2 * stretch) + 1;
}

gboolean
sr_resample_axis_init (SrResampleAxis *axis, int src_size, int dst_size, int u0, int n_out,
                       int lo, int hi)
{
  double scale = (double) dst_size / src_size;
  double stretch = MAX (1.0, 1 / scale);   /* antialiasing when shrinking */
  int taps = 2 * (int) ceil (2 * stretch) + 2;

  double *w = g_try_new (double, taps);

  axis->n_out = n_out;
  axis->taps = taps;
  axis->first = g_try_new (int, n_out);
  axis->weight = g_try_new0 (float, (gsize) n_out * taps);
  if (!w || !axis->first || !axis->weight)
    {
      g_free (w);
      sr_resample_axis_clear (axis);
      axis->n_out = 0;
      return FALSE;
    }
  for (int i = 0; i < n_out; i++)
    {
      /* Centre of output pixel u in source coordinates (pixel centres at +0.5). */
      double centre = (u0 + i + 0.5) / scale - 0.5;
      int start = (int) floor (centre - 2 * stretch);
      double sum = 0;
      int first = CLAMP (start, lo, MAX (lo, hi - taps));

      for (int t = 0; t < taps; t++)
        w[t] = 0;
      /* Taps past [lo, hi) fold onto the edge pixel (replicate). */
      for (int t = 0; t < taps; t++)
        {
          int src = start + t;
          double v = cubic ((src - centre) / stretch);
          int at = CLAMP (src, lo, hi - 1) - first;
          sum += v;
          if (at >= 0 && at < taps)
            w[at] += v;
        }
      axis->first[i] = first;
      for (int t = 0; t < taps; t++)
        axis->weight[(gsize) i * taps + t] = (float) (w[t] / sum);
    }
  g_free (w);
  return TRUE;
}

void
sr_resample_axis_clear (SrResampleAxis *axis)
{
  g_clear_pointer (&axis->first, g_free);
  g_clear_pointer (&axis->weight, g_free);
}

/* Generic separable pass: src pixel (x, y) channel c at src[(y*sw + x)*xs + c*cs]. */
static gboolean
resample (const float *src, int sw, int sh, int ox, int oy, gsize pixel_stride, gsize channel_stride,
          const SrResampleAxis *ax, const SrResampleAxis *ay, float *dst)
{
  /* Vertical pass first into a row buffer of the source's width. */
  float *row = g_try_new (float, (gsize) sw * 3);

  if (!row)
    return FALSE;
  for (int j = 0; j < ay->n_out; j++)
    {
      const float *wy = ay->weight + (gsize) j * ay->taps;
      for (int x = 0; x < sw; x++)
        for (int c = 0; c < 3; c++)
          {
            float v = 0;
            for (int t = 0; t < ay->taps; t++)
              {
                int y = ay->first[j] + t - oy;
                if (wy[t] != 0.f)
                  {
                    g_assert (y >= 0 && y < sh);
                    v += wy[t] * src[((gsize) y * sw + x) * pixel_stride + c * channel_stride];
                  }
              }
            row[(gsize) x * 3 + c] = v;
          }
      for (int i = 0; i < ax->n_out; i++)
        {
          const float *wx = ax->weight + (gsize) i * ax->taps;
          for (int c = 0; c < 3; c++)
            {
              float v = 0;
              for (int t = 0; t < ax->taps; t++)
                {
                  int x = ax->first[i] + t - ox;
                  if (wx[t] != 0.f)
                    {
                      g_assert (x >= 0 && x < sw);
                      v += wx[t] * row[(gsize) x * 3 + c];
                    }
                }
              dst[((gsize) j * ax->n_out + i) * 3 + c] = v;
            }
        }
    }
  g_free (row);
  return TRUE;
}

gboolean
sr_resample_planar_to_rgb (const float *src, int src_w, int src_h, int ox, int oy,
                           const SrResampleAxis *ax, const SrResampleAxis *ay, float *dst)
{
  return resample (src, src_w, src_h, ox, oy, 1, (gsize) src_w * src_h, ax, ay, dst);
}

gboolean
sr_resample_rgb (const float *src, int src_w, int src_h, int ox, int oy,
                 const SrResampleAxis *ax, const SrResampleAxis *ay, float *dst)
{
  return resample (src, src_w, src_h, ox, oy, 3, 1, ax, ay, dst);
}
