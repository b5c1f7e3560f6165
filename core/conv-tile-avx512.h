/* The loops of the 8 x 48 AVX-512 micro-tiles, shared by the fp32 kernels
 * (f32-conv-8x48-avx512.c) and their bf16 twin: a source defines
 * SR_TILE_ELEM (float, or guint32 for bf16 pairs) and
 *   tap (acc, x, w, MV): one input step of MV vectors at @x times the NR
 *                        weights at @w,
 * then includes this file for conv_tile (t, k, MV).  Only the multiply
 * differs between them; walking the taps, the prefetches and the epilogue
 * (simd-avx512.h) are the same. */
#ifndef SR_CONV_TILE_AVX512_H
#define SR_CONV_TILE_AVX512_H

#include "simd-avx512.h"

/* Always inlined with constant @k and @MV (vectors per row: MAX_MV for full
 * tiles, fewer for a row's ragged end) so every loop below except the channel
 * and row loops unrolls and the accumulators live in registers. */
static inline __attribute__ ((always_inline)) void
conv_tile (const SrConvTile *t, const int k, const int MV)
{
  __m512 acc[NR][MAX_MV];   /* fixed size: a variable one would live on the stack */
  const SR_TILE_ELEM *in = (const SR_TILE_ELEM *) t->in, *w = (const SR_TILE_ELEM *) t->w;

  sr_tile_start (acc, t, MV);

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
        const SR_TILE_ELEM *row = in, *wr = w;
        if (ci < t->pf_n)
          _mm_prefetch (t->pf + ci * t->pf_stride, _MM_HINT_T1);
        for (int r = 0; r < t->kh; r++, row += t->in_rstride, wr += k * NR)
          SR_UNROLL
          for (int kx = 0; kx < k; kx++)
            tap (acc, row + kx, wr + kx * NR, MV);
      }

  sr_tile_finish (acc, t, MV);
}

#endif
