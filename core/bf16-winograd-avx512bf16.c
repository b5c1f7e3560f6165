/* The bf16 variant's Winograd input transform: the fp32 transform of
 * winograd-avx512.h, whose results for channels 2p and 2p + 1 are rounded
 * to bf16 and interleaved into the pairs the bf16 1x1 micro-kernels read
 * (bf16.h), written once instead of stored as floats and paired in a
 * second pass over the chunk.  Rounding is vcvtne2ps2bf16's, nearest even,
 * as sr_bf16_from_f32: the pairs are bit for bit what that pass made.
 * Compiled with the AVX512_BF16 flags; only called when the CPU has them. */
#include <immintrin.h>

#include "kernels.h"
#include "winograd-avx512.h"

#define V SR_WINOGRAD_V

/* The SrWinogradInput contract with @v as [16 positions][cin / 2][tiles]
 * 32-bit pairs (v_cstride per pair); an odd cin's last pair has zero high
 * halves. */
void
sr_bf16_winograd_input__avx512bf16 (const SrWinogradInput *a)
{
  /* 16-bit lane 2i takes lane i (the low channel), 2i + 1 lane 16 + i. */
  const __m512i interleave = _mm512_setr_epi32 (
    0x00100000, 0x00110001, 0x00120002, 0x00130003, 0x00140004, 0x00150005, 0x00160006, 0x00170007,
    0x00180008, 0x00190009, 0x001a000a, 0x001b000b, 0x001c000c, 0x001d000d, 0x001e000e, 0x001f000f);

  for (int p = 0; 2 * p < a->cin; p++)
    for (int g = 0; g < a->groups; g++)
      {
        const float *band = a->band + 2 * p * a->band_cstride + 2 * V * g;
        guint32 *v = (guint32 *) a->v + p * a->v_cstride + V * g;
        __m512 lo[16], hi[16];

        sr_winograd_input_tiles (band, a->band_rstride, lo);
        if (2 * p + 1 < a->cin)
          sr_winograd_input_tiles (band + a->band_cstride, a->band_rstride, hi);
        else
          for (int xi = 0; xi < 16; xi++)
            hi[xi] = _mm512_setzero_ps ();
        for (int xi = 0; xi < 16; xi++)
          {
            /* lanes 0..15: lo's bf16, 16..31: hi's; then interleaved. */
            __m512i both = (__m512i) _mm512_cvtne2ps_pbh (hi[xi], lo[xi]);
            _mm512_storeu_si512 (v + xi * a->v_xi_stride, _mm512_permutexvar_epi16 (interleave, both));
          }
      }
}
