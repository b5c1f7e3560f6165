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

void
sr_resample_axis_span (const SrResampleAxis *axis, int *lo, int *hi)
{
  *lo = G_MAXINT;
  *hi = G_MININT;
  for (int i = 0; i < axis->n_out; i++)
    for (int t = 0; t < axis->taps; t++)
      if (axis->weight[(gsize) i * axis->taps + t] != 0.f)
        {
          *lo = MIN (*lo, axis->first[i] + t);
          *hi = MAX (*hi, axis->first[i] + t + 1);
        }
  if (*lo > *hi)   /* no output pixels */
    *lo = *hi = 0;
}

/* One output sample: the taps of @weight over samples base[at + t * stride]
 * (only taps with a non-zero weight are read: the others may lie outside
 * the source).  With @exact_flat, equal taps give their value exactly. */
static inline float
weigh (const float *weight, int taps, const float *base, gssize at, gssize stride,
       gboolean exact_flat)
{
  float    v = 0, same = 0;
  gboolean seen = FALSE, flat = TRUE;

  for (int t = 0; t < taps; t++)
    if (weight[t] != 0.f)
      {
        float s = base[at + t * stride];
        v += weight[t] * s;
        flat = flat && (!seen || s == same);
        same = s;
        seen = TRUE;
      }
  return exact_flat && flat ? same : v;
}

gboolean
sr_resample_block (const SrResampleBlock *src, int n_channels,
                   const SrResampleAxis *ax, const SrResampleAxis *ay,
                   SrResampleFlags flags, float *dst, int dst_stride)
{
  gboolean unit_range = (flags & SR_RESAMPLE_UNIT_RANGE) != 0;
  gssize   ps = src->pixel_stride, cs = src->channel_stride;
  /* Vertical pass first into a row buffer of the block's width. */
  float   *row = g_try_new (float, (gsize) src->w * n_channels);

  if (!row)
    return FALSE;
  for (int j = 0; j < ay->n_out; j++)
    {
      const float *wy = ay->weight + (gsize) j * ay->taps;
      int          y0 = ay->first[j] - src->oy;

      for (int t = 0; t < ay->taps; t++)
        g_assert (wy[t] == 0.f || (y0 + t >= 0 && y0 + t < src->h));
      for (int x = 0; x < src->w; x++)
        for (int c = 0; c < n_channels; c++)
          row[(gsize) x * n_channels + c] =
            weigh (wy, ay->taps, src->pixels, ((gssize) y0 * src->w + x) * ps + c * cs,
                   (gssize) src->w * ps, unit_range);
      for (int i = 0; i < ax->n_out; i++)
        {
          const float *wx = ax->weight + (gsize) i * ax->taps;
          int          x0 = ax->first[i] - src->ox;
          float       *d = dst + ((gsize) j * ax->n_out + i) * dst_stride;

          for (int t = 0; t < ax->taps; t++)
            g_assert (wx[t] == 0.f || (x0 + t >= 0 && x0 + t < src->w));
          for (int c = 0; c < n_channels; c++)
            {
              float v = weigh (wx, ax->taps, row, (gssize) x0 * n_channels + c, n_channels,
                               unit_range);
              /* Clamped only here: the vertical pass's overshoot is part
               * of the true result (one column above 1 next to one below). */
              d[c] = unit_range ? CLAMP (v, 0.f, 1.f) : v;
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
  SrResampleBlock block = { src, src_w, src_h, ox, oy, 1, (gsize) src_w * src_h };
  return sr_resample_block (&block, 3, ax, ay, SR_RESAMPLE_PLAIN, dst, 3);
}

gboolean
sr_resample_rgb (const float *src, int src_w, int src_h, int ox, int oy,
                 const SrResampleAxis *ax, const SrResampleAxis *ay, float *dst)
{
  SrResampleBlock block = { src, src_w, src_h, ox, oy, 3, 1 };
  return sr_resample_block (&block, 3, ax, ay, SR_RESAMPLE_PLAIN, dst, 3);
}
