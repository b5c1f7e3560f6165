/* AVX512_BF16 convolution micro-kernels: 8 output channels x 48 output
 * columns (3 vectors of 16), plus 8x16 and 8x32 for the end of a row, with
 * the same tile contract as the fp32 AVX-512 ones (kernels.h) except that
 * the input and the weights are bf16 pairs (bf16.h):
 *
 *   input   [cin / 2][rows][cols] 32-bit pairs (channel 2p low, 2p + 1 high);
 *   weights [block][cin / 2][k][k][NR] pairs (the same two channels).
 *
 * vdpbf16ps multiplies 32 bf16 by 32 bf16 and adds each lane's two products
 * to an fp32 accumulator: one instruction does two input channels of 16
 * columns, twice the multiply-adds of an fp32 FMA for the same issue slot.
 * Accumulation, bias, residual and activation stay in fp32.  Compiled with
 * the AVX512_BF16 flags; only called when the CPU has them. */
#include <immintrin.h>

#include "bf16.h"
#include "kernels.h"
#include "simd-avx512.h"

#define NR SR_TILE_NR
#define MAX_MV SR_TILE_MAX_MV
#define V 16

G_STATIC_ASSERT (NR <= SR_MAX_NR);

/* One tap: MV vectors of 16 input pairs at @x times the NR weight pairs at @w. */
static inline __attribute__ ((always_inline)) void
tap (__m512 acc[NR][MAX_MV], const guint32 *x, const guint32 *w, const int MV)
{
  __m512bh v[MAX_MV];
  SR_UNROLL_INLINED
  for (int m = 0; m < MV; m++)
    v[m] = (__m512bh) _mm512_loadu_si512 (x + m * V);
  SR_UNROLL
  for (int j = 0; j < NR; j++)
    {
      __m512bh wj = (__m512bh) _mm512_set1_epi32 ((int) w[j]);
      SR_UNROLL_INLINED
      for (int m = 0; m < MV; m++)
        acc[j][m] = _mm512_dpbf16_ps (acc[j][m], v[m], wj);
    }
}

#define SR_TILE_ELEM guint32
#include "conv-tile-avx512.h"

void sr_bf16_conv_k1_8x16__avx512bf16 (const SrConvTile *t) { conv_tile (t, 1, 1); }
void sr_bf16_conv_k3_8x16__avx512bf16 (const SrConvTile *t) { conv_tile (t, 3, 1); }
void sr_bf16_conv_k1_8x32__avx512bf16 (const SrConvTile *t) { conv_tile (t, 1, 2); }
void sr_bf16_conv_k3_8x32__avx512bf16 (const SrConvTile *t) { conv_tile (t, 3, 2); }
void sr_bf16_conv_k1_8x48__avx512bf16 (const SrConvTile *t) { conv_tile (t, 1, 3); }
void sr_bf16_conv_k3_8x48__avx512bf16 (const SrConvTile *t) { conv_tile (t, 3, 3); }

/* dst[i] = the pair (lo[i], hi[i]) rounded to bf16 (nearest even), @hi NULL
 * for zeros: vcvtneps2bf16 rounds exactly as sr_bf16_from_f32 does. */
void
sr_bf16_pair_rows__avx512bf16 (const float *lo, const float *hi, guint32 *dst, gsize n)
{
  gsize i = 0;

  for (; i + V <= n; i += V)
    {
      __m512i a = _mm512_cvtepu16_epi32 ((__m256i) _mm512_cvtneps_pbh (_mm512_loadu_ps (lo + i)));
      __m512i b = hi ? _mm512_cvtepu16_epi32 ((__m256i) _mm512_cvtneps_pbh (_mm512_loadu_ps (hi + i)))
                     : _mm512_setzero_si512 ();
      _mm512_storeu_si512 (dst + i, _mm512_or_si512 (a, _mm512_slli_epi32 (b, 16)));
    }
  for (; i < n; i++)
    dst[i] = sr_bf16_pair (lo[i], hi ? hi[i] : 0.f);
}
