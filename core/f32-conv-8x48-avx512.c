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
#include "simd-avx512.h"

#define NR SR_TILE_NR
#define MAX_MV SR_TILE_MAX_MV  /* vectors per row of a full tile */
#define V 16

G_STATIC_ASSERT (NR <= SR_MAX_NR);

/* One tap: MV vectors of input at @x times the NR weights at @w. */
static inline __attribute__ ((always_inline)) void
tap (__m512 acc[NR][MAX_MV], const float *x, const float *w, const int MV)
{
  __m512 v[MAX_MV];
  SR_UNROLL_INLINED
  for (int m = 0; m < MV; m++)
    v[m] = _mm512_loadu_ps (x + m * V);
  SR_UNROLL
  for (int j = 0; j < NR; j++)
    {
      __m512 wj = _mm512_set1_ps (w[j]);
      SR_UNROLL_INLINED
      for (int m = 0; m < MV; m++)
        acc[j][m] = _mm512_fmadd_ps (v[m], wj, acc[j][m]);
    }
}

#define SR_TILE_ELEM float
#include "conv-tile-avx512.h"

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
