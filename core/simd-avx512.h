/* AVX-512 helpers shared by the AVX-512 kernel sources (only included by
 * files compiled with the AVX-512 flags). */
#ifndef SR_SIMD_AVX512_H
#define SR_SIMD_AVX512_H

#include <immintrin.h>

#include "kernels.h"

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

/* The 8 x 48 micro-tiles' accumulators (f32-conv-8x48-avx512.c and the bf16
 * twin): 8 channels of up to 3 vectors, in registers once inlined with a
 * constant @MV. */
#define SR_TILE_NR 8
#define SR_TILE_MAX_MV 3

/* Each channel's accumulators start at its bias. */
static inline __attribute__ ((always_inline)) void
sr_tile_start (__m512 acc[SR_TILE_NR][SR_TILE_MAX_MV], const SrConvTile *t, const int MV)
{
  SR_UNROLL
  for (int j = 0; j < SR_TILE_NR; j++)
    {
      __m512 b = _mm512_set1_ps (t->bias[j]);
      SR_UNROLL_INLINED
      for (int m = 0; m < MV; m++)
        acc[j][m] = b;
    }
}

/* Epilogue: residual, activation, and a masked store of the valid part. */
static inline __attribute__ ((always_inline)) void
sr_tile_finish (__m512 acc[SR_TILE_NR][SR_TILE_MAX_MV], const SrConvTile *t, const int MV)
{
  SR_UNROLL
  for (int j = 0; j < SR_TILE_NR; j++)
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
          int left = t->cols - m * 16;
          __mmask16 mask = left >= 16 ? 0xffff : (__mmask16) ((1u << (left > 0 ? left : 0)) - 1);
          __m512 v = acc[j][m];
          if (res)
            v = _mm512_add_ps (v, _mm512_maskz_loadu_ps (mask, res + m * 16));
          _mm512_mask_storeu_ps (out + m * 16, mask, activate (v, t->act, alpha));
        }
    }
}

#endif
