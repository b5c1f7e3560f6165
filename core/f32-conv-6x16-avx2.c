/* AVX2+FMA convolution micro-kernels: 6 output channels x 16 output columns
 * (2 vectors of 8), plus 6x8 for the end of a row.  Compiled with -mavx2
 * -mfma; only called when the CPU has both.
 *
 * Register budget (16 ymm): 12 accumulators, 2 input vectors loaded once per
 * tap and reused by the 6 channels, 1 broadcast weight -- the classic 6x16
 * shape of AVX2 GEMMs: 8 loads for 12 FMAs per tap. */
#include <immintrin.h>

#include "kernels.h"
#include "simd-avx2.h"

#define NR 6
#define MAX_MV 2  /* vectors per row of a full tile */
#define V 8

G_STATIC_ASSERT (NR <= SR_MAX_NR);

/* Always inlined with constant @k and @MV (vectors per row: MAX_MV for full
 * tiles, fewer for a row's ragged end) so every loop below except the channel
 * and row loops unrolls and the accumulators live in registers. */
static inline __attribute__ ((always_inline)) void
conv_tile (const SrConvTile *t, const int k, const int MV)
{
  __m256 acc[NR][MAX_MV];   /* fixed size: a variable one would live on the stack */
  const float *in = t->in, *w = t->w;

  SR_UNROLL
  for (int j = 0; j < NR; j++)
    {
      __m256 b = _mm256_set1_ps (t->bias[j]);
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
        /* Not unrolled: with the taps interleaved GCC runs out of the 16
         * registers and spills an accumulator (measured 20% slower). */
        SR_NO_UNROLL
        for (int kx = 0; kx < k; kx++)
          {
            __m256 x[MAX_MV];
            SR_UNROLL_INLINED
            for (int m = 0; m < MV; m++)
              x[m] = _mm256_loadu_ps (row + m * V + kx);
            SR_UNROLL
            for (int j = 0; j < NR; j++)
              {
                __m256 wj = _mm256_broadcast_ss (wr + kx * NR + j);
                SR_UNROLL_INLINED
                for (int m = 0; m < MV; m++)
                  acc[j][m] = _mm256_fmadd_ps (x[m], wj, acc[j][m]);
              }
          }
    }

  /* Epilogue: residual, activation, and a store of the valid part. */
  SR_UNROLL
  for (int j = 0; j < NR; j++)
    {
      float *out;
      const float *res;
      __m256 alpha;

      if (j >= t->n)
        break;
      out = t->out[j];
      res = t->res ? t->res + j * t->res_cstride : NULL;
      alpha = _mm256_set1_ps (t->alpha ? t->alpha[j] : 0.f);
      SR_UNROLL_INLINED
      for (int m = 0; m < MV; m++)
        {
          int left = t->cols - m * V;
          __m256 v = acc[j][m];
          if (left >= V)
            {
              if (res)
                v = _mm256_add_ps (v, _mm256_loadu_ps (res + m * V));
              _mm256_storeu_ps (out + m * V, activate (v, t->act, alpha));
            }
          else if (left > 0)
            {
              __m256i mask = lane_mask (left);
              if (res)
                v = _mm256_add_ps (v, _mm256_maskload_ps (res + m * V, mask));
              _mm256_maskstore_ps (out + m * V, mask, activate (v, t->act, alpha));
            }
        }
    }
}

void
sr_f32_conv_k1_6x8__avx2 (const SrConvTile *t)
{
  conv_tile (t, 1, 1);
}

void
sr_f32_conv_k3_6x8__avx2 (const SrConvTile *t)
{
  conv_tile (t, 3, 1);
}

void
sr_f32_conv_k1_6x16__avx2 (const SrConvTile *t)
{
  conv_tile (t, 1, 2);
}

void
sr_f32_conv_k3_6x16__avx2 (const SrConvTile *t)
{
  conv_tile (t, 3, 2);
}
