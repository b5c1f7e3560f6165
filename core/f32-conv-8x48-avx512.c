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

#define NR 8
#define MAX_MV 3  /* vectors per row of a full tile */
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

  if (k == 1)
    {
      /* 1x1 (and the Winograd products): one tap per channel, so the loop
       * body must be just the loads and FMAs -- with the row loop and the
       * prefetch test inside it, the front end, not the FMA units, set the
       * pace.  The prefetching channels get a loop of their own. */
      const gsize cs = t->in_cstride;
      const int npf = MIN (t->pf_n, t->cin);
      int ci = 0;
      for (; ci < npf; ci++, in += cs, w += NR)
        {
          _mm_prefetch (t->pf + ci * t->pf_stride, _MM_HINT_T1);
          tap (acc, in, w, MV);
        }
      for (; ci < t->cin; ci++, in += cs, w += NR)
        tap (acc, in, w, MV);
    }
  else
    for (int ci = 0; ci < t->cin; ci++, in += t->in_cstride, w += t->w_cstride)
      {
        const float *row = in, *wr = w;
        if (ci < t->pf_n)
          _mm_prefetch (t->pf + ci * t->pf_stride, _MM_HINT_T1);
        for (int r = 0; r < t->kh; r++, row += t->in_rstride, wr += k * NR)
          SR_UNROLL
          for (int kx = 0; kx < k; kx++)
            tap (acc, row + kx, wr + kx * NR, MV);
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
