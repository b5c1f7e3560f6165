/* AVX2+FMA transforms of the Winograd F(2x2, 3x3) convolution
 * (f32-winograd.c drives them; the same arithmetic as the AVX-512 ones, 8
 * tiles per vector).  Compiled with -mavx2 -mfma; only called when the CPU
 * has both. */
#include <immintrin.h>

#include "kernels.h"
#include "simd-avx2.h"

#define V 8

/* Lanes {0, 2, .., 14} and {1, 3, .., 15} of the 16 floats at @p. */
static inline void
deinterleave (const float *p, __m256 *even, __m256 *odd)
{
  __m256 a = _mm256_loadu_ps (p), b = _mm256_loadu_ps (p + V);
  /* Within each 128-bit half: a0 a2 b0 b2 | a4 a6 b4 b6, then the middle
   * 64-bit pairs swap places. */
  __m256 e = _mm256_shuffle_ps (a, b, _MM_SHUFFLE (2, 0, 2, 0));
  __m256 o = _mm256_shuffle_ps (a, b, _MM_SHUFFLE (3, 1, 3, 1));
  *even = _mm256_castpd_ps (_mm256_permute4x64_pd (_mm256_castps_pd (e), _MM_SHUFFLE (3, 1, 2, 0)));
  *odd = _mm256_castpd_ps (_mm256_permute4x64_pd (_mm256_castps_pd (o), _MM_SHUFFLE (3, 1, 2, 0)));
}

/* V = B^T d B, B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]. */
void
sr_f32_winograd_input__avx2 (const SrWinogradInput *a)
{
  for (int c = 0; c < a->cin; c++)
    for (int g = 0; g < a->groups; g++)
      {
        const float *row = a->band + c * a->band_cstride + 2 * V * g;
        float *v = a->v + c * a->v_cstride + V * g;
        __m256 t[4][4];

        for (int r = 0; r < 4; r++, row += a->band_rstride)
          {
            __m256 e0, e1, e2, e3;
            deinterleave (row, &e0, &e1);
            deinterleave (row + 2, &e2, &e3);
            t[r][0] = _mm256_sub_ps (e0, e2);
            t[r][1] = _mm256_add_ps (e1, e2);
            t[r][2] = _mm256_sub_ps (e2, e1);
            t[r][3] = _mm256_sub_ps (e1, e3);
          }
        for (int j = 0; j < 4; j++)
          {
            _mm256_storeu_ps (v + (0 + j) * a->v_xi_stride, _mm256_sub_ps (t[0][j], t[2][j]));
            _mm256_storeu_ps (v + (4 + j) * a->v_xi_stride, _mm256_add_ps (t[1][j], t[2][j]));
            _mm256_storeu_ps (v + (8 + j) * a->v_xi_stride, _mm256_sub_ps (t[2][j], t[1][j]));
            _mm256_storeu_ps (v + (12 + j) * a->v_xi_stride, _mm256_sub_ps (t[1][j], t[3][j]));
          }
      }
}

/* Residual, activation, masked store of 16 output columns. */
static inline void
finish_row (__m256 lo, __m256 hi, float *out, const float *res, int left, SrAct act, __m256 alpha)
{
  __m256i m0 = lane_mask (left), m1 = lane_mask (left - V);
  if (res)
    {
      lo = _mm256_add_ps (lo, _mm256_maskload_ps (res, m0));
      hi = _mm256_add_ps (hi, _mm256_maskload_ps (res + V, m1));
    }
  _mm256_maskstore_ps (out, m0, activate (lo, act, alpha));
  _mm256_maskstore_ps (out + V, m1, activate (hi, act, alpha));
}

/* y0, y1 (even and odd columns) interleaved into two vectors of a row. */
static inline void
interleave (__m256 y0, __m256 y1, __m256 *lo, __m256 *hi)
{
  __m256 a = _mm256_unpacklo_ps (y0, y1), b = _mm256_unpackhi_ps (y0, y1);
  *lo = _mm256_permute2f128_ps (a, b, 0x20);
  *hi = _mm256_permute2f128_ps (a, b, 0x31);
}

/* Y = A^T M A + bias, A^T = [1 1 1 0; 0 1 -1 -1], into two output rows. */
void
sr_f32_winograd_output__avx2 (const SrWinogradOutput *a)
{
  const __m256 bias = _mm256_set1_ps (a->bias), alpha = _mm256_set1_ps (a->alpha);

  for (int g = 0; g < a->groups; g++)
    {
      const float *m = a->m + V * g;
      const int x = 2 * V * g, left = a->cols - x;
      __m256 s[4], d[4], lo, hi;

      for (int j = 0; j < 4; j++)
        {
          __m256 m0 = _mm256_loadu_ps (m + (0 + j) * a->m_xi_stride);
          __m256 m1 = _mm256_loadu_ps (m + (4 + j) * a->m_xi_stride);
          __m256 m2 = _mm256_loadu_ps (m + (8 + j) * a->m_xi_stride);
          __m256 m3 = _mm256_loadu_ps (m + (12 + j) * a->m_xi_stride);
          s[j] = _mm256_add_ps (_mm256_add_ps (m0, m1), m2);
          d[j] = _mm256_sub_ps (_mm256_sub_ps (m1, m2), m3);
        }
      interleave (_mm256_add_ps (_mm256_add_ps (_mm256_add_ps (s[0], s[1]), s[2]), bias),
                  _mm256_add_ps (_mm256_sub_ps (_mm256_sub_ps (s[1], s[2]), s[3]), bias), &lo, &hi);
      finish_row (lo, hi, a->out0 + x, a->res0 ? a->res0 + x : NULL, left, a->act, alpha);
      if (a->out1)
        {
          interleave (_mm256_add_ps (_mm256_add_ps (_mm256_add_ps (d[0], d[1]), d[2]), bias),
                      _mm256_add_ps (_mm256_sub_ps (_mm256_sub_ps (d[1], d[2]), d[3]), bias), &lo, &hi);
          finish_row (lo, hi, a->out1 + x, a->res1 ? a->res1 + x : NULL, left, a->act, alpha);
        }
    }
}
