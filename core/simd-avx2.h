/* AVX2+FMA helpers shared by the AVX2 kernel sources (only included by
 * files compiled with -mavx2 -mfma). */
#ifndef SR_SIMD_AVX2_H
#define SR_SIMD_AVX2_H

#include <immintrin.h>

#include "layers.h"

/* e^x, Cephes' single-precision polynomial on a range reduced by ln 2; a few
 * ulp, far inside the 1e-5 the sigmoid needs.  The clamp keeps 2^n normal. */
static inline __m256
exp_ps (__m256 x)
{
  const __m256 ln2_hi = _mm256_set1_ps (0.693359375f), ln2_lo = _mm256_set1_ps (-2.12194440e-4f);
  __m256 n, r, p;
  __m256i e;

  x = _mm256_max_ps (_mm256_min_ps (x, _mm256_set1_ps (88.0f)), _mm256_set1_ps (-87.0f));
  n = _mm256_round_ps (_mm256_mul_ps (x, _mm256_set1_ps (1.44269504088896341f)),
                       _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  r = _mm256_fnmadd_ps (n, ln2_hi, x);
  r = _mm256_fnmadd_ps (n, ln2_lo, r);
  p = _mm256_set1_ps (1.9875691500e-4f);
  p = _mm256_fmadd_ps (p, r, _mm256_set1_ps (1.3981999507e-3f));
  p = _mm256_fmadd_ps (p, r, _mm256_set1_ps (8.3334519073e-3f));
  p = _mm256_fmadd_ps (p, r, _mm256_set1_ps (4.1665795894e-2f));
  p = _mm256_fmadd_ps (p, r, _mm256_set1_ps (1.6666665459e-1f));
  p = _mm256_fmadd_ps (p, r, _mm256_set1_ps (5.0000001201e-1f));
  p = _mm256_fmadd_ps (p, _mm256_mul_ps (r, r), _mm256_add_ps (r, _mm256_set1_ps (1.f)));
  /* 2^n built in the exponent field: n is in [-126, 127] after the clamp. */
  e = _mm256_slli_epi32 (_mm256_add_epi32 (_mm256_cvtps_epi32 (n), _mm256_set1_epi32 (127)), 23);
  return _mm256_mul_ps (p, _mm256_castsi256_ps (e));
}

/* The same formulas as sr_act_scalar, lane by lane. */
static inline __m256
activate (__m256 v, SrAct act, __m256 alpha)
{
  switch (act)
    {
    case SR_ACT_RELU:
      return _mm256_max_ps (v, _mm256_setzero_ps ());
    case SR_ACT_LRELU:   /* max (v, 0.05 v) is v for v >= 0 and 0.05 v below */
      return _mm256_max_ps (v, _mm256_mul_ps (v, _mm256_set1_ps (SR_LRELU_SLOPE)));
    case SR_ACT_PRELU:
      return _mm256_blendv_ps (v, _mm256_mul_ps (v, alpha),
                               _mm256_cmp_ps (v, _mm256_setzero_ps (), _CMP_LT_OQ));
    case SR_ACT_SIGMOID:
      return _mm256_div_ps (_mm256_set1_ps (1.f),
                            _mm256_add_ps (_mm256_set1_ps (1.f), exp_ps (_mm256_sub_ps (_mm256_setzero_ps (), v))));
    case SR_ACT_NONE:
    default:
      return v;
    }
}

/* Lanes [0, n) set, for the partial last vector of a tile. */
static inline __m256i
lane_mask (int n)
{
  return _mm256_cmpgt_epi32 (_mm256_set1_epi32 (n), _mm256_setr_epi32 (0, 1, 2, 3, 4, 5, 6, 7));
}

#endif
