/* Compute kernels and their dispatch.
 *
 * Each variant (scalar reference, AVX2+FMA, AVX-512) is a table of function
 * pointers.  One is chosen once, on first use, from the CPU's flags; the
 * environment can force another for debugging:
 *   SR_FORCE_REF=1       the scalar reference everywhere;
 *   SR_KERNELS=NAME      a named variant ("ref", "avx2", "avx512"), if the CPU runs it.
 * Per-ISA sources (f32-conv-<tile>-<isa>.c) are compiled with their own
 * flags (core/meson.build); kernels.c builds the tables.
 *
 * The bf16 variants (bf16-conv-<tile>-<isa>.c, bf16.h) are a separate list:
 * a model runs them when its precision is bf16 (precision.c), never through
 * SR_KERNELS.  Their tiles read channel pairs; the shapes they skip run on
 * their fp32 twin (SrKernels.fp32).  No AMX-BF16 variant yet. 
 *
 * A convolution micro-kernel computes one tile of NR output channels x TILE
 * consecutive output columns of one output row, reading weights packed once
 * at load time (sr_conv_pack_new) as [block][cin][k][k][NR], and applies the
 * fused epilogue: bias, residual, activation.  f32-conv.c drives them. */
#ifndef SR_KERNELS_H
#define SR_KERNELS_H

#include <math.h>

#include "layers.h"

/* Loop unrolling in the micro-kernels: their loops over registers must
 * unroll fully for the accumulators to stay in registers.  SR_UNROLL is for
 * a constant trip count; SR_UNROLL_INLINED for one that becomes constant only
 * once the kernel is inlined: clang would handle that pragma before inlining
 * and give up, so there the loop is left to its automatic full unrolling. */
#if defined(__clang__)
#define SR_UNROLL         _Pragma ("unroll")
#define SR_UNROLL_INLINED
#define SR_NO_UNROLL      _Pragma ("nounroll")
#else
#define SR_UNROLL         _Pragma ("GCC unroll 16")
#define SR_UNROLL_INLINED _Pragma ("GCC unroll 16")
#define SR_NO_UNROLL      _Pragma ("GCC unroll 1")
#endif

/* Output channels one micro-kernel call computes, at most. */
#define SR_MAX_NR 8

/* Everything one micro-kernel call needs.  Pointers are pre-offset by the
 * driver so the kernel only walks strides. */
typedef struct
{
  const float *in;          /* input at (channel 0, first row used, column x0 - pad) */
  gsize        in_cstride;  /* floats from one input channel to the next */
  gsize        in_rstride;  /* floats from one input row to the next */
  int          cin;         /* input channels */
  int          kh;          /* kernel rows used (fewer than k at the top/bottom edge) */
  const float *w;           /* packed weights of this block, at the first row used */
  gsize        w_cstride;   /* floats per input channel in the packed block: k*k*NR */
  const float *bias;        /* NR values (zero padded) */
  const float *alpha;       /* PReLU slopes of this block's channels, or NULL */
  float       *out[SR_MAX_NR];  /* output rows of the block's channels, at (oy, x0): one
                                 * pointer each, so a split output costs nothing */
  const float *res;         /* residual at the same place, or NULL */
  gsize        res_cstride;
  int          n;           /* valid output channels, 1..NR */
  int          cols;        /* valid output columns, 1 to the kernel's width */
  SrAct        act;
  /* Cache lines to fetch into L2 for later work, one per input channel step
   * so the requests spread over the call: pf + i * pf_stride, i < pf_n. */
  const char  *pf;
  gsize        pf_stride;
  int          pf_n;
} SrConvTile;

typedef void (*SrConvTileFn) (const SrConvTile *tile);

#define SR_MAX_TILE_VECS 4

/* Winograd F(2x2, 3x3) transforms (winograd.h), one call per chunk of up to
 * groups * vec neighbouring 2x2 output tiles in one row of tiles. */
typedef struct
{
  const float *band;          /* per channel 4 input rows, zero padded; tile i reads
                               * columns 2i .. 2i + 3 */
  gsize        band_cstride, band_rstride;
  int          cin, groups;
  float       *v;             /* out: [16 positions][cin][tiles] (bf16 variants:
                               * [16][cin / 2][tiles] pairs, strides in pairs) */
  gsize        v_xi_stride, v_cstride;
} SrWinogradInput;

typedef struct
{
  const float *m;             /* one output channel's products: [16 positions][tiles] */
  gsize        m_xi_stride;
  float       *out0, *out1;   /* the tiles' two output rows (out1 NULL past the bottom) */
  const float *res0, *res1;   /* residual rows, or NULL */
  int          cols;          /* valid output columns */
  int          groups;
  float        bias, alpha;   /* alpha: PReLU slope */
  SrAct        act;           /* never SR_ACT_SIGMOID */
} SrWinogradOutput;

typedef struct _SrKernels SrKernels;
struct _SrKernels
{
  const char  *name;
  int          nr;          /* output channels per micro-tile (0: the reference, no packing) */
  int          tile;        /* output columns of a full micro-tile; input rows are read
                             * up to tile + k - 1 columns from the tile's start */
  int          vec;         /* floats per vector register */
  /* Micro-kernels by width: [v - 1] computes tiles of v vectors, v from 1 to
   * tile / vec (the narrower ones finish a row without computing much
   * past its end). */
  SrConvTileFn conv_k1[SR_MAX_TILE_VECS];   /* 1x1 taps */
  SrConvTileFn conv_k3[SR_MAX_TILE_VECS];   /* 3x3 taps, stride 1 */
  /* Winograd transforms over groups of vec tiles, or NULL: direct only.  In
   * bf16 variants winograd_input writes bf16 pairs of channels (bf16.h). */
  void (*winograd_input) (const SrWinogradInput *args);
  void (*winograd_output) (const SrWinogradOutput *args);
  /* bf16 variants only (bf16.h), NULL in the fp32 ones: converts @n floats of
   * two channels (@hi NULL: zeros) to pairs.  Their kernels read the input
   * and the weights as pairs of channels, see sr_bf16_pack_new. */
  void (*pair_rows) (const float *lo, const float *hi, guint32 *dst, gsize n);
  const SrKernels *fp32;    /* bf16 variants: the fp32 one for the shapes they skip */
};

/* The variant in use (thread-safe, chosen once). */
const SrKernels *sr_kernels_get (void);
/* Every variant compiled in, best first, NULL-terminated; sr_kernels_supported
 * says whether this CPU runs it. */
const SrKernels *const *sr_kernels_list (void);
gboolean sr_kernels_supported (const SrKernels *kernels);

/* Packed weights for one variant; g_free() it.  NULL for the reference. */
struct _SrConvPack
{
  const SrKernels *kernels;  /* the variant it was packed for */
  int              blocks;   /* ceil (cout / nr) */
  float           *bias;     /* [blocks][nr], zero padded */
  float           *weight;   /* [blocks][cin][k][k][nr], zero padded */
  float           *winograd; /* transformed weights (winograd.h), or NULL */
  /* Precision (sr_model_set_precision): a model's pack may carry a twin packed
   * for a bf16 variant, which sr_conv2d runs while @run_twin is set. */
  SrConv           source;   /* the conv packed (pack NULL), to pack the twin */
  SrConvPack      *twin;
  gboolean         run_twin;
  SrConvPack      *next;     /* the model's packs, a list */
};
SrConvPack *sr_conv_pack_new (const SrKernels *kernels, const SrConv *conv);

/* bf16 (bf16-conv.c).  sr_bf16_applies: the convs the bf16 kernels run
 * (stride 1, k 1 or 3, pad <= 1, at least SR_BF16_MIN_CIN input channels);
 * sr_conv2d_with runs the others with the variant's fp32 twin.
 * sr_bf16_pack_new: weights as [block][cin/2][k][k][nr] pairs.
 * sr_bf16_pairs: @in as pairs in a kept block of *@got bytes (tensor.h), to
 * give back with sr_block_give when the conv is done. */
#define SR_BF16_MIN_CIN 8
gboolean    sr_bf16_applies (const SrConv *conv);
SrConvPack *sr_bf16_pack_new (const SrKernels *kernels, const SrConv *conv);
SrTensor    sr_bf16_pairs (const SrKernels *kernels, const SrTensor *in, gsize *got);
/* The best bf16 variant this CPU runs, or NULL (none, or SR_FORCE_REF set). */
const SrKernels *sr_kernels_bf16_get (void);
/* Every bf16 variant compiled in, NULL-terminated (sr_kernels_supported tells). */
const SrKernels *const *sr_kernels_bf16_list (void);

/* sr_conv2d and sr_conv2d_split with a given variant (the tests run each one). */
void sr_conv2d_with (const SrKernels *kernels, const SrConv *conv, const SrTensor *in,
                     SrTensor *out, const SrTensor *residual, SrAct act);
void sr_conv2d_split_with (const SrKernels *kernels, const SrConv *conv, const SrTensor *in,
                           SrTensor *first, SrTensor *rest, SrAct act);

/* The variants.  Only those the build could compile exist. */
extern const SrKernels sr_kernels_ref, sr_kernels_avx2, sr_kernels_avx512, sr_kernels_avx512bf16;

/* The scalar reference convolution. */
void sr_f32_conv_ref (const SrConv *conv, const SrTensor *in, SrTensor *out,
                      const SrTensor *residual, SrAct act);

static inline float
sr_act_scalar (float v, SrAct act, float alpha)
{
  switch (act)
    {
    case SR_ACT_RELU:    return v > 0.f ? v : 0.f;
    case SR_ACT_LRELU:   return v >= 0.f ? v : v * SR_LRELU_SLOPE;
    case SR_ACT_PRELU:   return v >= 0.f ? v : v * alpha;
    case SR_ACT_SIGMOID: return 1.f / (1.f + expf (-v));
    case SR_ACT_NONE:
    default:             return v;
    }
}

#endif
