#include "kernels.h"
#include "parallel.h"

#include <math.h>
#include <string.h>

/* The memory-bound layers below run row by row, split over the threads a
 * tile may use (parallel.h) once there is enough work to be worth waking
 * them.  Each element is computed the same way whatever the split. */
typedef void (*RowsFn) (gconstpointer args, int c, int y0, int y1);

typedef struct
{
  RowsFn        fn;
  gconstpointer args;
  int           c, h;
} Rows;

static void
rows_part (gpointer data, int part, int n_parts)
{
  const Rows *r = data;
  const gint64 units = (gint64) r->c * r->h;
  gint64 u = units * part / n_parts, end = units * (part + 1) / n_parts;

  while (u < end)
    {
      const int c = (int) (u / r->h), y0 = (int) (u % r->h);
      const int y1 = (int) MIN ((gint64) r->h, y0 + (end - u));
      r->fn (r->args, c, y0, y1);
      u += y1 - y0;
    }
}

/* Runs @fn over rows [0, h) of channels [0, c); @elements is the work size. */
static void
for_each_row (int c, int h, gsize elements, RowsFn fn, gconstpointer args)
{
  Rows r = { fn, args, c, h };
  sr_parallel_for (elements >= 65536 ? MIN ((gint64) c * h, 4 * sr_parallel_width ()) : 1,
                   rows_part, &r);
}

static gsize
tensor_size (const SrTensor *t)
{
  return (gsize) t->c * sr_tensor_plane (t);
}

void
sr_add (SrTensor *dst, const SrTensor *src)
{
  gsize n = tensor_size (dst);
  g_assert (n == tensor_size (src));
  for (gsize i = 0; i < n; i++)
    dst->data[i] += src->data[i];
}

typedef struct
{
  SrTensor *dst;
  const SrTensor *src;
} Pair;

static void
mul_rows (gconstpointer args, int c, int y0, int y1)
{
  const Pair *p = args;
  const gsize w = p->dst->w, start = (gsize) y0 * w, end = (gsize) y1 * w;
  float *d = sr_tensor_channel (p->dst, c);
  const float *s = sr_tensor_channel (p->src, c);

  for (gsize i = start; i < end; i++)
    d[i] *= s[i];
}

void
sr_mul (SrTensor *dst, const SrTensor *src)
{
  Pair p = { dst, src };
  g_assert (dst->c == src->c && dst->h == src->h && dst->w == src->w);
  for_each_row (dst->c, dst->h, tensor_size (dst), mul_rows, &p);
}

void
sr_copy (SrTensor *dst, const SrTensor *src)
{
  g_assert (tensor_size (dst) == tensor_size (src));
  memcpy (dst->data, src->data, tensor_size (src) * sizeof (float));
}

void
sr_scale (SrTensor *t, float factor)
{
  gsize n = tensor_size (t);
  for (gsize i = 0; i < n; i++)
    t->data[i] *= factor;
}

/* Mean and population standard deviation of @n floats in one pass, summed
 * in double: a float sum over a megapixel plane would drift far past the
 * 1e-4 budget, while in double E[x^2] - E[x]^2 loses nothing that matters
 * for feature maps (their mean is never 1e8 times their deviation).  Eight
 * independent partial sums keep the adds pipelined and let the compiler
 * vectorise without reassociating. */
static void
mean_std (const float *p, gsize n, double *mean, double *std)
{
  double sum[8] = { 0 }, sq[8] = { 0 }, s = 0, q = 0, var;
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; j++)
      {
        double v = p[i + j];
        sum[j] += v;
        sq[j] += v * v;
      }
  for (; i < n; i++)
    {
      s += p[i];
      q += (double) p[i] * p[i];
    }
  for (int j = 0; j < 8; j++)
    {
      s += sum[j];
      q += sq[j];
    }
  *mean = s / n;
  var = q / n - *mean * *mean;
  *std = sqrt (MAX (var, 0.0));
}

typedef struct
{
  const SrTensor *x;
  float *stat;
} Stats;

static void
stats_part (gpointer data, int part, int n_parts)
{
  const Stats *s = data;
  const int c0 = s->x->c * part / n_parts, c1 = s->x->c * (part + 1) / n_parts;

  for (int c = c0; c < c1; c++)
    {
      double mean, std;
      mean_std (sr_tensor_channel (s->x, c), sr_tensor_plane (s->x), &mean, &std);
      s->stat[c] = (float) (mean + std);
    }
}

void
sr_contrast_attention_gate (const SrTensor *x, const SrConv *down, const SrConv *up, float *gate)
{
  float *stat = g_new (float, x->c);
  float *hidden = g_new (float, down->cout);
  Stats stats = { x, stat };

  /* One pass over the whole map: spread the channels over the threads. */
  sr_parallel_for (sr_tensor_plane (x) >= 16384 ? MIN (x->c, 4 * sr_parallel_width ()) : 1,
                   stats_part, &stats);
  for (int o = 0; o < down->cout; o++)
    {
      float v = down->bias[o];
      for (int c = 0; c < down->cin; c++)
        v += down->weight[o * down->cin + c] * stat[c];
      hidden[o] = v > 0.f ? v : 0.f;
    }
  for (int c = 0; c < up->cout; c++)
    {
      float v = up->bias[c];
      for (int i = 0; i < up->cin; i++)
        v += up->weight[c * up->cin + i] * hidden[i];
      gate[c] = 1.f / (1.f + expf (-v));
    }
  g_free (hidden);
  g_free (stat);
}

typedef struct
{
  const SrTensor *in;
  SrTensor *out;
  int k, stride;
} Pool;

static void
max_pool_rows (gconstpointer args, int c, int y0, int y1)
{
  const Pool *p = args;
  const SrTensor *in = p->in, *out = p->out;
  const float *src = sr_tensor_channel (in, c);
  float *dst = sr_tensor_channel (out, c);

  for (int oy = y0; oy < y1; oy++)
    for (int ox = 0; ox < out->w; ox++)
      {
        float m = -INFINITY;
        for (int ky = 0; ky < p->k; ky++)
          for (int kx = 0; kx < p->k; kx++)
            m = MAX (m, src[(gsize) (oy * p->stride + ky) * in->w + ox * p->stride + kx]);
        dst[(gsize) oy * out->w + ox] = m;
      }
}

void
sr_max_pool (const SrTensor *in, SrTensor *out, int k, int stride)
{
  Pool p = { in, out, k, stride };
  for_each_row (out->c, out->h, tensor_size (out) * k * k, max_pool_rows, &p);
}

/* Source index and weight of output pixel @d, as PyTorch computes them for
 * align_corners=False: centres aligned, clamped at zero, float arithmetic. */
static void
bilinear_source (int d, int in, int out, int *i0, int *i1, float *l1)
{
  float scale = (float) in / (float) out;
  float src = scale * (d + 0.5f) - 0.5f;
  if (src < 0.f)
    src = 0.f;
  *i0 = (int) src;
  *i1 = *i0 + (*i0 < in - 1 ? 1 : 0);
  *l1 = src - *i0;
}

typedef struct
{
  const SrTensor *in;
  SrTensor *out;
} Resize;

static void
resize_rows (gconstpointer args, int c, int r0, int r1)
{
  const Resize *r = args;
  const SrTensor *in = r->in, *out = r->out;
  const float *src = sr_tensor_channel (in, c);
  float *dst = sr_tensor_channel (out, c);

  for (int oy = r0; oy < r1; oy++)
    {
      int y0, y1;
      float ly;
      bilinear_source (oy, in->h, out->h, &y0, &y1, &ly);
      for (int ox = 0; ox < out->w; ox++)
        {
          int x0, x1;
          float lx;
          bilinear_source (ox, in->w, out->w, &x0, &x1, &lx);
          dst[(gsize) oy * out->w + ox] =
            (1.f - ly) * ((1.f - lx) * src[(gsize) y0 * in->w + x0] + lx * src[(gsize) y0 * in->w + x1]) +
            ly * ((1.f - lx) * src[(gsize) y1 * in->w + x0] + lx * src[(gsize) y1 * in->w + x1]);
        }
    }
}

void
sr_resize_bilinear (const SrTensor *in, SrTensor *out)
{
  Resize r = { in, out };
  for_each_row (out->c, out->h, tensor_size (out) * 4, resize_rows, &r);
}

typedef struct
{
  const SrTensor *in;
  SrTensor *out;
  int s;
} Shuffle;

/* Input rows [y0, y1) of output channel c: s output rows each, written
 * contiguously, s input planes read in step. */
static void
shuffle_rows (gconstpointer args, int c, int y0, int y1)
{
  const Shuffle *sh = args;
  const SrTensor *in = sh->in, *out = sh->out;
  const int s = sh->s;

  for (int y = y0; y < y1; y++)
    for (int dy = 0; dy < s; dy++)
      {
        float *dst = sr_tensor_channel (out, c) + (gsize) (y * s + dy) * out->w;
        for (int dx = 0; dx < s; dx++)
          {
            const float *src = sr_tensor_channel (in, (c * s + dy) * s + dx) + (gsize) y * in->w;
            for (int x = 0; x < in->w; x++)
              dst[x * s + dx] = src[x];
          }
      }
}

void
sr_pixel_shuffle (const SrTensor *in, SrTensor *out, int s)
{
  Shuffle sh = { in, out, s };
  g_assert (in->c == out->c * s * s && out->h == in->h * s && out->w == in->w * s);
  for_each_row (out->c, in->h, tensor_size (out), shuffle_rows, &sh);
}
