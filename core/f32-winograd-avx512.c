/* AVX-512 transforms of the Winograd F(2x2, 3x3) convolution (f32-winograd.c
 * drives them).  One vector holds one value of 16 neighbouring 2x2 output
 * tiles, so the stride-2 walk over the input becomes an even/odd
 * deinterleave of two loads, and the output an interleave before the store.
 * Compiled with AVX-512 flags; only called when the CPU has them. */
#include <immintrin.h>

#include "kernels.h"
#include "simd-avx512.h"
#include "winograd.h"
#include "winograd-avx512.h"

#define V 16

/* V = B^T d B for every channel and group of 16 tiles. */
void
sr_f32_winograd_input__avx512 (const SrWinogradInput *a)
{
  for (int c = 0; c < a->cin; c++)
    for (int g = 0; g < a->groups; g++)
      {
        float *v = a->v + c * a->v_cstride + V * g;
        __m512 x[16];

        sr_winograd_input_tiles (a->band + c * a->band_cstride + 2 * V * g, a->band_rstride, x);
        for (int xi = 0; xi < 16; xi++)
          _mm512_storeu_ps (v + xi * a->v_xi_stride, x[xi]);
      }
}

static inline __mmask16
mask_for (int left)
{
  return left >= V ? 0xffff : left <= 0 ? 0 : (__mmask16) ((1u << left) - 1);
}

/* Bias, residual, activation, masked store of 32 output columns. */
static inline void
finish_row (__m512 lo, __m512 hi, float *out, const float *res, int left, SrAct act, __m512 alpha)
{
  __mmask16 m0 = mask_for (left), m1 = mask_for (left - V);
  if (res)
    {
      lo = _mm512_add_ps (lo, _mm512_maskz_loadu_ps (m0, res));
      hi = _mm512_add_ps (hi, _mm512_maskz_loadu_ps (m1, res + V));
    }
  _mm512_mask_storeu_ps (out, m0, activate (lo, act, alpha));
  _mm512_mask_storeu_ps (out + V, m1, activate (hi, act, alpha));
}

/* Y = A^T M A + bias for one output channel, A^T = [1 1 1 0; 0 1 -1 -1],
 * interleaved back into two output rows. */
void
sr_f32_winograd_output__avx512 (const SrWinogradOutput *a)
{
  const __m512i ilo = _mm512_setr_epi32 (0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const __m512i ihi = _mm512_setr_epi32 (8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  const __m512 bias = _mm512_set1_ps (a->bias), alpha = _mm512_set1_ps (a->alpha);

  for (int g = 0; g < a->groups; g++)
    {
      const float *m = a->m + V * g;
      const int x = 2 * V * g, left = a->cols - x;
      __m512 s[4], d[4], y00, y01, y10, y11;

      for (int j = 0; j < 4; j++)
        {
          __m512 m0 = _mm512_loadu_ps (m + (0 + j) * a->m_xi_stride);
          __m512 m1 = _mm512_loadu_ps (m + (4 + j) * a->m_xi_stride);
          __m512 m2 = _mm512_loadu_ps (m + (8 + j) * a->m_xi_stride);
          __m512 m3 = _mm512_loadu_ps (m + (12 + j) * a->m_xi_stride);
          s[j] = _mm512_add_ps (_mm512_add_ps (m0, m1), m2);
          d[j] = _mm512_sub_ps (_mm512_sub_ps (m1, m2), m3);
        }
      y00 = _mm512_add_ps (_mm512_add_ps (_mm512_add_ps (s[0], s[1]), s[2]), bias);
      y01 = _mm512_add_ps (_mm512_sub_ps (_mm512_sub_ps (s[1], s[2]), s[3]), bias);
      y10 = _mm512_add_ps (_mm512_add_ps (_mm512_add_ps (d[0], d[1]), d[2]), bias);
      y11 = _mm512_add_ps (_mm512_sub_ps (_mm512_sub_ps (d[1], d[2]), d[3]), bias);

      finish_row (_mm512_permutex2var_ps (y00, ilo, y01), _mm512_permutex2var_ps (y00, ihi, y01),
                  a->out0 + x, a->res0 ? a->res0 + x : NULL, left, a->act, alpha);
      if (a->out1)
        finish_row (_mm512_permutex2var_ps (y10, ilo, y11), _mm512_permutex2var_ps (y10, ihi, y11),
                    a->out1 + x, a->res1 ? a->res1 + x : NULL, left, a->act, alpha);
    }
}
