#include "layers.h"

#include <math.h>
#include <string.h>

/* GCC builds an AVX-512, an AVX2+FMA and a baseline copy of the hot loops and
 * picks one at load time by CPU flags, so the library runs on any x86-64.
 * The dedicated per-ISA kernels of a later stage replace this. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(SR_NO_CLONES)
#define SR_CLONES __attribute__ ((target_clones ("arch=skylake-avx512", "arch=haswell", "default")))
#else
#define SR_CLONES
#endif

/* Output channels accumulated together: each input row is read once per block. */
#define CO_BLOCK 8

static inline float
activate_one (float v, SrAct act, float alpha)
{
  switch (act)
    {
    case SR_ACT_RELU:    return v > 0.f ? v : 0.f;
    case SR_ACT_LRELU:   return v >= 0.f ? v : v * SR_LRELU_SLOPE;
    case SR_ACT_PRELU:   return v >= 0.f ? v : v * alpha;
    case SR_ACT_SIGMOID: return 1.f / (1.f + expf (-v));
    case SR_ACT_NONE:
    default:             return v;
    }
}

/* acc[j][ox] += w[j] * row[ox * stride + shift] over ox in [ox0, ox1). */
SR_CLONES static void
accumulate_taps (float *restrict acc, int acc_stride, int n,
                 const float *restrict w, int w_stride,
                 const float *restrict row, int stride, int shift,
                 int ox0, int ox1)
{
  for (int j = 0; j < n; j++)
    {
      float wj = w[(gsize) j * w_stride];
      float *restrict a = acc + (gsize) j * acc_stride;
      if (stride == 1)
        {
          const float *restrict r = row + shift;
          for (int ox = ox0; ox < ox1; ox++)
            a[ox] += wj * r[ox];
        }
      else
        {
          for (int ox = ox0; ox < ox1; ox++)
            a[ox] += wj * row[ox * stride + shift];
        }
    }
}

void
sr_conv2d (const SrConv *conv, const SrTensor *in, SrTensor *out,
           const SrTensor *residual, SrAct act)
{
  const int k = conv->k, s = conv->stride, pad = conv->pad;
  const int ow = out->w, oh = out->h, iw = in->w, ih = in->h;
  const int kk = k * k;
  float *acc = g_new (float, (gsize) CO_BLOCK * ow);

  g_assert (in->c == conv->cin && out->c == conv->cout);
  g_assert (ow == sr_conv_out_size (conv, iw) && oh == sr_conv_out_size (conv, ih));

  for (int oy = 0; oy < oh; oy++)
    for (int co0 = 0; co0 < conv->cout; co0 += CO_BLOCK)
      {
        int n = MIN (CO_BLOCK, conv->cout - co0);

        for (int j = 0; j < n; j++)
          {
            float b = conv->bias ? conv->bias[co0 + j] : 0.f;
            for (int ox = 0; ox < ow; ox++)
              acc[(gsize) j * ow + ox] = b;
          }

        for (int ci = 0; ci < conv->cin; ci++)
          for (int ky = 0; ky < k; ky++)
            {
              int iy = oy * s + ky - pad;
              const float *row;
              if (iy < 0 || iy >= ih)
                continue;
              row = sr_tensor_channel (in, ci) + (gsize) iy * iw;
              for (int kx = 0; kx < k; kx++)
                {
                  int shift = kx - pad;
                  /* Output columns whose input column ox*s+shift is inside the row. */
                  int ox0 = shift < 0 ? (-shift + s - 1) / s : 0;
                  int ox1 = MIN (ow, (iw - 1 - shift) / s + 1);
                  const float *w = conv->weight
                                   + ((gsize) co0 * conv->cin + ci) * kk + ky * k + kx;
                  if (ox0 < ox1)
                    accumulate_taps (acc, ow, n, w, conv->cin * kk, row, s, shift, ox0, ox1);
                }
            }

        for (int j = 0; j < n; j++)
          {
            int co = co0 + j;
            float alpha = conv->alpha ? conv->alpha[co] : 0.f;
            float *dst = sr_tensor_channel (out, co) + (gsize) oy * ow;
            const float *res = residual ? sr_tensor_channel (residual, co) + (gsize) oy * ow : NULL;
            const float *a = acc + (gsize) j * ow;
            for (int ox = 0; ox < ow; ox++)
              {
                float v = a[ox] + (res ? res[ox] : 0.f);
                dst[ox] = activate_one (v, act, alpha);
              }
          }
      }
  g_free (acc);
}

void
sr_activate (SrTensor *t, SrAct act, const float *alpha)
{
  gsize plane = sr_tensor_plane (t);
  for (int c = 0; c < t->c; c++)
    {
      float *p = sr_tensor_channel (t, c);
      float a = alpha ? alpha[c] : 0.f;
      for (gsize i = 0; i < plane; i++)
        p[i] = activate_one (p[i], act, a);
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

void
sr_contrast_attention (SrTensor *x, const SrConv *down, const SrConv *up)
{
  gsize plane = sr_tensor_plane (x);
  float *stat = g_new (float, x->c);
  float *hidden = g_new (float, down->cout);

  /* Mean and population standard deviation per channel, summed in double:
   * a float sum over a megapixel plane would drift far past the 1e-4 budget. */
  for (int c = 0; c < x->c; c++)
    {
      const float *p = sr_tensor_channel (x, c);
      double sum = 0, sq = 0, mean;
      for (gsize i = 0; i < plane; i++)
        sum += p[i];
      mean = sum / plane;
      for (gsize i = 0; i < plane; i++)
        sq += (p[i] - mean) * (p[i] - mean);
      stat[c] = (float) (mean + sqrt (sq / plane));
    }
  for (int o = 0; o < down->cout; o++)
    {
      float v = down->bias[o];
      for (int c = 0; c < down->cin; c++)
        v += down->weight[o * down->cin + c] * stat[c];
      hidden[o] = v > 0.f ? v : 0.f;
    }
  for (int c = 0; c < up->cout; c++)
    {
      float v = up->bias[c], gate;
      float *p = sr_tensor_channel (x, c);
      for (int i = 0; i < up->cin; i++)
        v += up->weight[c * up->cin + i] * hidden[i];
      gate = 1.f / (1.f + expf (-v));
      for (gsize i = 0; i < plane; i++)
        p[i] *= gate;
    }
  g_free (hidden);
  g_free (stat);
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
  for (int c = 0; c < out->c; c++)
    for (int dy = 0; dy < s; dy++)
      for (int dx = 0; dx < s; dx++)
        {
          const float *src = sr_tensor_channel (in, c * s * s + dy * s + dx);
          float *dst = sr_tensor_channel (out, c);
          for (int y = 0; y < in->h; y++)
            for (int x = 0; x < in->w; x++)
              dst[(gsize) (y * s + dy) * out->w + x * s + dx] = src[(gsize) y * in->w + x];
        }
}
