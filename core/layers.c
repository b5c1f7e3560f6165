#include "kernels.h"
#include "parallel.h"

#include <math.h>
#include <string.h>

void
sr_activate (SrTensor *t, SrAct act, const float *alpha)
{
  gsize plane = sr_tensor_plane (t);
  for (int c = 0; c < t->c; c++)
    {
      float *p = sr_tensor_channel (t, c);
      float a = alpha ? alpha[c] : 0.f;
      for (gsize i = 0; i < plane; i++)
        p[i] = sr_act_scalar (p[i], act, a);
    }
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

void
sr_mul (SrTensor *dst, const SrTensor *src)
{
  gsize n = tensor_size (dst);
  g_assert (n == tensor_size (src));
  for (gsize i = 0; i < n; i++)
    dst->data[i] *= src->data[i];
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

void
sr_contrast_attention (SrTensor *x, const SrConv *down, const SrConv *up)
{
  float *gate = g_new (float, x->c);
  gsize plane = sr_tensor_plane (x);

  sr_contrast_attention_gate (x, down, up, gate);
  for (int c = 0; c < x->c; c++)
    {
      float *p = sr_tensor_channel (x, c);
      for (gsize i = 0; i < plane; i++)
        p[i] *= gate[c];
    }
  g_free (gate);
}

void
sr_max_pool (const SrTensor *in, SrTensor *out, int k, int stride)
{
  for (int c = 0; c < out->c; c++)
    {
      const float *src = sr_tensor_channel (in, c);
      float *dst = sr_tensor_channel (out, c);
      for (int oy = 0; oy < out->h; oy++)
        for (int ox = 0; ox < out->w; ox++)
          {
            float m = -INFINITY;
            for (int ky = 0; ky < k; ky++)
              for (int kx = 0; kx < k; kx++)
                m = MAX (m, src[(gsize) (oy * stride + ky) * in->w + ox * stride + kx]);
            dst[(gsize) oy * out->w + ox] = m;
          }
    }
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

void
sr_resize_bilinear (const SrTensor *in, SrTensor *out)
{
  for (int c = 0; c < out->c; c++)
    {
      const float *src = sr_tensor_channel (in, c);
      float *dst = sr_tensor_channel (out, c);
      for (int oy = 0; oy < out->h; oy++)
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
}

void
sr_pixel_shuffle (const SrTensor *in, SrTensor *out, int s)
{
  g_assert (in->c == out->c * s * s && out->h == in->h * s && out->w == in->w * s);
  /* Output row by output row: contiguous writes, s input rows read in step. */
  for (int c = 0; c < out->c; c++)
    for (int y = 0; y < in->h; y++)
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
