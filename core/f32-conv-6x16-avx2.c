/* AVX2+FMA convolution micro-kernels: 6 output channels x 16 output columns
 * (2 vectors of 8), plus 6x8 for the end of a row.  Compiled with -mavx2
 * -mfma; only called when the CPU has both.
 *
 * Register budget (16 ymm): 12 accumulators, 2 input vectors loaded once per
 * tap and reused by the 6 channels, 1 broadcast weight -- the classic 6x16
 * shape of AVX2 GEMMs: 8 loads for 12 FMAs per tap. */
#include <immintrin.h>

#include "kernels.h"

#define NR 6
#define MAX_MV 2  /* vectors per row of a full tile */
#define V 8

G_STATIC_ASSERT (NR <= SR_MAX_NR);

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
