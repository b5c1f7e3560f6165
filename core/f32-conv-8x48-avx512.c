/* AVX-512 convolution micro-kernels: 8 output channels x 48 output columns
 * (3 vectors of 16), plus 8x16 and 8x32 for the end of a row.  Compiled with
 * AVX-512 flags; only called when the CPU has them.
 *
 * Register budget (32 zmm): 24 accumulators, 3 input vectors loaded once per
 * tap and reused by the 8 channels, 1 broadcast weight.  Per tap that is 11
 * loads for 24 FMAs, so the FMA units, not the loads, set the pace (measured
 * at ~98% of this CPU's FMA peak when the input is in cache). */
#include <immintrin.h>

#include "kernels.h"

#define NR 8
#define MAX_MV 3  /* vectors per row of a full tile */
#define V 16

G_STATIC_ASSERT (NR <= SR_MAX_NR);

/* e^x, Cephes' single-precision polynomial on a range reduced by ln 2; a few
 * ulp, far inside the 1e-5 the sigmoid needs.  The clamp keeps 2^n normal. */
static inline __m512
exp_ps (__m512 x)
{
  const __m512 ln2_hi = _mm512_set1_ps (0.693359375f), ln2_lo = _mm512_set1_ps (-2.12194440e-4f);
  __m512 n, r, p;

  x = _mm512_max_ps (_mm512_min_ps (x, _mm512_set1_ps (88.0f)), _mm512_set1_ps (-87.0f));
  n = _mm512_roundscale_ps (_mm512_mul_ps (x, _mm512_set1_ps (1.44269504088896341f)),
                            _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  r = _mm512_fnmadd_ps (n, ln2_hi, x);
  r = _mm512_fnmadd_ps (n, ln2_lo, r);
  p = _mm512_set1_ps (1.9875691500e-4f);
  p = _mm512_fmadd_ps (p, r, _mm512_set1_ps (1.3981999507e-3f));
  p = _mm512_fmadd_ps (p, r, _mm512_set1_ps (8.3334519073e-3f));
  p = _mm512_fmadd_ps (p, r, _mm512_set1_ps (4.1665795894e-2f));
  p = _mm512_fmadd_ps (p, r, _mm512_set1_ps (1.6666665459e-1f));
  p = _mm512_fmadd_ps (p, r, _mm512_set1_ps (5.0000001201e-1f));
  p = _mm512_fmadd_ps (p, _mm512_mul_ps (r, r), _mm512_add_ps (r, _mm512_set1_ps (1.f)));
  return _mm512_scalef_ps (p, n);
}

/* The same formulas as sr_act_scalar, lane by lane. */
static inline __m512
activate (__m512 v, SrAct act, __m512 alpha)
{
  switch (act)
    {
    case SR_ACT_RELU:
      return _mm512_max_ps (v, _mm512_setzero_ps ());
    case SR_ACT_LRELU:   /* max (v, 0.05 v) is v for v >= 0 and 0.05 v below */
      return _mm512_max_ps (v, _mm512_mul_ps (v, _mm512_set1_ps (SR_LRELU_SLOPE)));
    case SR_ACT_PRELU:
      return _mm512_mask_mul_ps (v, _mm512_cmp_ps_mask (v, _mm512_setzero_ps (), _CMP_LT_OQ),
                                 v, alpha);
    case SR_ACT_SIGMOID:
      return _mm512_div_ps (_mm512_set1_ps (1.f),
                            _mm512_add_ps (_mm512_set1_ps (1.f), exp_ps (_mm512_sub_ps (_mm512_setzero_ps (), v))));
    case SR_ACT_NONE:
    default:
      return v;
    }
}

/* Always inlined with constant @k and @MV (vectors per row: MAX_MV for full
 * tiles, fewer for a row's ragged end) so every loop below except the channel
 * and row loops unrolls and the accumulators live in registers. */
static inline __attribute__ ((always_inline)) void
conv_tile (const SrConvTile *t, const int k, const int MV)
{
  __m512 acc[NR][MAX_MV];   /* fixed size: a variable one would live on the stack */
  const float *in = t->in, *w = t->w;

  SR_UNROLL
  for (int j = 0; j < NR; j++)
    {
      __m512 b = _mm512_set1_ps (t->bias[j]);
      SR_UNROLL_INLINED
      for (int m = 0; m < MV; m++)
        acc[j][m] = b;
    }

  for (int ci = 0; ci < t->cin; ci++, in += t->in_cstride, w += t->w_cstride)
    {
      const float *row = in, *wr = w;
      if (ci < t->pf_n)
        _mm_prefetch (t->pf + ci * t->pf_stride, _MM_HINT_T1);
      for (int r = 0; r < t->kh; r++, row += t->in_rstride, wr += k * NR)
        SR_UNROLL
        for (int kx = 0; kx < k; kx++)
          {
            __m512 x[MAX_MV];
            SR_UNROLL_INLINED
            for (int m = 0; m < MV; m++)
              x[m] = _mm512_loadu_ps (row + m * V + kx);
            SR_UNROLL
            for (int j = 0; j < NR; j++)
              {
                __m512 wj = _mm512_set1_ps (wr[kx * NR + j]);
                SR_UNROLL_INLINED
                for (int m = 0; m < MV; m++)
                  acc[j][m] = _mm512_fmadd_ps (x[m], wj, acc[j][m]);
              }
          }
    }

  /* Epilogue: residual, activation, and a masked store of the valid part. */
  SR_UNROLL
  for (int j = 0; j < NR; j++)
    {
      float *out;
      const float *res;
      __m512 alpha;

      if (j >= t->n)
        break;
      out = t->out[j];
      res = t->res ? t->res + j * t->res_cstride : NULL;
      alpha = _mm512_set1_ps (t->alpha ? t->alpha[j] : 0.f);
      SR_UNROLL_INLINED
      for (int m = 0; m < MV; m++)
        {
          int left = t->cols - m * V;
          __mmask16 mask = left >= V ? 0xffff : (__mmask16) ((1u << (left > 0 ? left : 0)) - 1);
          __m512 v = acc[j][m];
          if (res)
            v = _mm512_add_ps (v, _mm512_maskz_loadu_ps (mask, res + m * V));
          _mm512_mask_storeu_ps (out + m * V, mask, activate (v, t->act, alpha));
        }
    }
}

void
sr_f32_conv_k1_8x16__avx512 (const SrConvTile *t)
{
  conv_tile (t, 1, 1);
}

void
sr_f32_conv_k3_8x16__avx512 (const SrConvTile *t)
{
  conv_tile (t, 3, 1);
}

void
sr_f32_conv_k1_8x32__avx512 (const SrConvTile *t)
{
  conv_tile (t, 1, 2);
}

void
sr_f32_conv_k3_8x32__avx512 (const SrConvTile *t)
{
  conv_tile (t, 3, 2);
}

void
sr_f32_conv_k1_8x48__avx512 (const SrConvTile *t)
{
  conv_tile (t, 1, 3);
}

void
sr_f32_conv_k3_8x48__avx512 (const SrConvTile *t)
{
  conv_tile (t, 3, 3);
}
