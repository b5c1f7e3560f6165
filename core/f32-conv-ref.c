/* The scalar reference convolution: any kernel size, stride and padding,
 * plain C the compiler may vectorise for the baseline ISA.  Selected by
 * SR_FORCE_REF=1 and used by the tests as the yardstick for the SIMD kernels. */
#include "kernels.h"

/* Output channels accumulated together: each input row is read once per block. */
#define CO_BLOCK 8

/* acc[j][ox] += w[j] * row[ox * stride + shift] over ox in [ox0, ox1). */
static void
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
sr_f32_conv_ref (const SrConv *conv, const SrTensor *in, SrTensor *out,
                 const SrTensor *residual, SrAct act)
{
  const int k = conv->k, s = conv->stride, pad = conv->pad;
  const int ow = out->w, oh = out->h, iw = in->w, ih = in->h;
  const int kk = k * k;
  float *acc = g_new (float, (gsize) CO_BLOCK * ow);

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
                  /* Output columns whose input column ox*s+shift is inside the row
                   * (none when the shift passes the row's end: C division would
                   * round that negative quotient up to 0). */
                  int ox0 = shift < 0 ? (-shift + s - 1) / s : 0;
                  int ox1 = iw - 1 - shift < 0 ? 0 : MIN (ow, (iw - 1 - shift) / s + 1);
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
                dst[ox] = sr_act_scalar (v, act, alpha);
              }
          }
      }
  g_free (acc);
}

const SrKernels sr_kernels_ref = {
  .name = "ref",
};
