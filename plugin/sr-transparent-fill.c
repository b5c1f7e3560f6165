/* Alpha-weighted neighbourhood fill of transparent pixels; see the header.
 *
 * Summed-area tables of (alpha * colour, alpha) make each square's mean an
 * O(1) lookup, so trying radii 1, 2, ... costs little even in large empty
 * areas.  Sums are in double so differences of large totals stay exact
 * enough that neighbouring tiles agree to float precision. */
#include "sr-transparent-fill.h"

/* Four sums per table entry: a*r, a*g, a*b, a. */
#define N_SUMS 4

static double *
build_tables (const float *rgba, int w, int h)
{
  int     stride = (w + 1) * N_SUMS;
  double *sat = g_new0 (double, (gsize) (h + 1) * stride);

  for (int y = 0; y < h; y++)
    {
      double row[N_SUMS] = { 0, 0, 0, 0 };

      for (int x = 0; x < w; x++)
        {
          const float *p = rgba + ((gsize) y * w + x) * 4;
          double       a = p[3];
          double      *above = sat + (gsize) y * stride + (x + 1) * N_SUMS;
          double      *here = above + stride;

          row[0] += a * p[0];
          row[1] += a * p[1];
          row[2] += a * p[2];
          row[3] += a;
          for (int k = 0; k < N_SUMS; k++)
            here[k] = above[k] + row[k];
        }
    }
  return sat;
}

/* Sums over the square of half-side r around (x, y), clipped to the rectangle. */
static void
square_sums (const double *sat, int w, int h, int x, int y, int r, double out[N_SUMS])
{
  int stride = (w + 1) * N_SUMS;
  int x0 = MAX (x - r, 0), x1 = MIN (x + r + 1, w);
  int y0 = MAX (y - r, 0), y1 = MIN (y + r + 1, h);
  const double *a = sat + (gsize) y0 * stride + x0 * N_SUMS;
  const double *b = sat + (gsize) y0 * stride + x1 * N_SUMS;
  const double *c = sat + (gsize) y1 * stride + x0 * N_SUMS;
  const double *d = sat + (gsize) y1 * stride + x1 * N_SUMS;

  for (int k = 0; k < N_SUMS; k++)
    out[k] = d[k] - b[k] - c[k] + a[k];
}

void
sr_transparent_fill (float *rgba, int w, int h, int radius)
{
  gboolean any_transparent = FALSE;
  double  *sat;

  for (gsize i = 0; i < (gsize) w * h && !any_transparent; i++)
    any_transparent = rgba[i * 4 + 3] <= 0.0f;
  if (!any_transparent)
    return;   /* the common case: opaque layers cost one pass */

  /* Built before any pixel changes, so filled colours never feed others. */
  sat = build_tables (rgba, w, h);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        float *p = rgba + ((gsize) y * w + x) * 4;

        if (p[3] > 0.0f)
          continue;
        for (int r = 1; r <= radius; r++)
          {
            double s[N_SUMS];

            square_sums (sat, w, h, x, y, r, s);
            /* A tiny threshold rather than > 0: differences of large sums
             * can leave rounding residue where the true sum is zero. */
            if (s[3] > 1e-6)
              {
                p[0] = (float) (s[0] / s[3]);
                p[1] = (float) (s[1] / s[3]);
                p[2] = (float) (s[2] / s[3]);
                break;
              }
          }
      }
  g_free (sat);
}
