/* Tile pixel layout conversions; see tile-io.h. */
#include "tile-io.h"
#include "sr.h"
#include "resample.h"

#include <math.h>

void
sr_tile_io_planar_from_rgb (const float *rgb, int rw, int rh, float input_range, SrTensor *t)
{
  for (int c = 0; c < 3; c++)
    for (int y = 0; y < t->h; y++)
      {
        const float *src = rgb + (gsize) MIN (y, rh - 1) * rw * 3 + c;
        float *dst = sr_tensor_channel (t, c) + (gsize) y * t->w;
        for (int x = 0; x < t->w; x++)
          dst[x] = src[3 * MIN (x, rw - 1)] * input_range;
      }
}

/* Target pixels [*u0, *u1) whose centres fall in SR pixels [a, b) of an axis
 * with @n SR pixels and @t target pixels: tiles partition the target. */
static void
owned_range (int a, int b, int n, int t, int *u0, int *u1)
{
  double r = (double) t / n;
  *u0 = a == 0 ? 0 : (int) ceil ((a + 0.5) * r - 0.5);
  *u1 = b >= n ? t : (int) ceil ((b + 0.5) * r - 0.5);
  *u1 = MIN (*u1, t);
}

/* Puts the tile's core, clipped to the real output (and resampled to the
 * target size if the caller asked for one), into interleaved @*buf. */
static gboolean
tile_pixels (const SrTileOutput *o, const SrTile *tile, const SrTensor *out, SrRect *rect,
             float **buf, gsize *got, GError **error)
{
  const int s = o->scale;
  int x0 = tile->core.x * s, y0 = tile->core.y * s;
  int x1 = MIN ((tile->core.x + tile->core.w) * s, o->out_w);
  int y1 = MIN ((tile->core.y + tile->core.h) * s, o->out_h);

  if (o->resample)
    {
      SrResampleAxis ax = { 0 }, ay = { 0 };
      int u0, u1, v0, v1;
      gboolean ok;

      owned_range (x0, x1, o->out_w, o->target_w, &u0, &u1);
      owned_range (y0, y1, o->out_h, o->target_h, &v0, &v1);
      *rect = (SrRect) { u0, v0, u1 - u0, v1 - v0 };
      if (rect->w <= 0 || rect->h <= 0)
        return TRUE;
      if (!(*buf = sr_block_take ((gsize) rect->w * rect->h * 3 * sizeof (float), got)))
        goto nomem;
      ok = sr_resample_axis_init (&ax, o->out_w, o->target_w, u0, rect->w, 0, o->out_w) &&
           sr_resample_axis_init (&ay, o->out_h, o->target_h, v0, rect->h, 0, o->out_h) &&
           sr_resample_planar_to_rgb (out->data, out->w, out->h, tile->in.x * s, tile->in.y * s,
                                      &ax, &ay, *buf);
      sr_resample_axis_clear (&ax);
      sr_resample_axis_clear (&ay);
      if (!ok)
        {
          sr_block_give (*buf, *got);
          *buf = NULL;
          goto nomem;
        }
      return TRUE;
    }

  *rect = (SrRect) { x0, y0, x1 - x0, y1 - y0 };
  if (rect->w <= 0 || rect->h <= 0)
    return TRUE;   /* a tile of padding only */
  if (!(*buf = sr_block_take ((gsize) rect->w * rect->h * 3 * sizeof (float), got)))
    goto nomem;
  for (int c = 0; c < 3; c++)
    for (int y = 0; y < rect->h; y++)
      {
        const float *src = sr_tensor_channel (out, c) + (gsize) (y0 - tile->in.y * s + y) * out->w
                           + (x0 - tile->in.x * s);
        float *dst = *buf + (gsize) y * rect->w * 3 + c;
        for (int x = 0; x < rect->w; x++)
          dst[3 * x] = src[x];
      }
  return TRUE;
nomem:
  g_set_error (error, SR_ERROR, SR_ERROR_NOMEM, "out of memory writing a %d x %d tile", rect->w, rect->h);
  return FALSE;
}

float *
sr_tile_io_rgb_from_planar (const SrTileOutput *o, const SrTile *tile, const SrTensor *out,
                            SrRect *rect, gsize *got, GError **error)
{
  const float inv = 1.f / o->input_range;
  float *buf = NULL;

  if (!tile_pixels (o, tile, out, rect, &buf, got, error) || !buf)
    return NULL;
  for (gsize i = 0; i < (gsize) rect->w * rect->h * 3; i++)
    {
      float v = buf[i] * inv;
      buf[i] = o->clamp ? CLAMP (v, 0.f, 1.f) : v;
    }
  return buf;
}
