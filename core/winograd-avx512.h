/* The AVX-512 Winograd F(2x2, 3x3) input transform of one channel and one
 * group of 16 tiles, shared by the fp32 transform (f32-winograd-avx512.c),
 * which stores it, and the bf16 one (bf16-winograd-avx512bf16.c), which
 * pairs two channels' results before storing.  Only included by files
 * compiled with the AVX-512 flags. */
#ifndef SR_WINOGRAD_AVX512_H
#define SR_WINOGRAD_AVX512_H

#include <immintrin.h>

#include <glib.h>

#define SR_WINOGRAD_V 16

/* Lanes {0, 2, .., 30} and {1, 3, .., 31} of the 32 floats at @p. */
static inline void
sr_winograd_deinterleave (const float *p, __m512 *even, __m512 *odd)
{
  const __m512i ie = _mm512_setr_epi32 (0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i io = _mm512_setr_epi32 (1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
  __m512 a = _mm512_loadu_ps (p), b = _mm512_loadu_ps (p + SR_WINOGRAD_V);
  *even = _mm512_permutex2var_ps (a, ie, b);
  *odd = _mm512_permutex2var_ps (a, io, b);
}

/* v[xi] (xi = 4i + j, the transformed positions) = B^T d B for the 16 tiles
 * whose four input rows start at @row, @rstride apart, with
 * B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]. */
static inline __attribute__ ((always_inline)) void
sr_winograd_input_tiles (const float *row, gsize rstride, __m512 v[16])
{
  __m512 t[4][4];

  /* Along the row: tile i reads columns 2i .. 2i + 3. */
  for (int r = 0; r < 4; r++, row += rstride)
    {
      __m512 e0, e1, e2, e3;
      sr_winograd_deinterleave (row, &e0, &e1);
      sr_winograd_deinterleave (row + 2, &e2, &e3);
      t[r][0] = _mm512_sub_ps (e0, e2);
      t[r][1] = _mm512_add_ps (e1, e2);
      t[r][2] = _mm512_sub_ps (e2, e1);
      t[r][3] = _mm512_sub_ps (e1, e3);
    }
  /* Down the columns. */
  for (int j = 0; j < 4; j++)
    {
      v[0 + j] = _mm512_sub_ps (t[0][j], t[2][j]);
      v[4 + j] = _mm512_add_ps (t[1][j], t[2][j]);
      v[8 + j] = _mm512_sub_ps (t[2][j], t[1][j]);
      v[12 + j] = _mm512_sub_ps (t[1][j], t[3][j]);
    }
}

#endif
