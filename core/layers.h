/* The layers every architecture is built from.  All work on planar tensors
 * (tensor.h); none allocates except conv2d's small scratch, and none fails:
 * shapes are checked by the caller (the architecture validated them at load). */
#ifndef SR_LAYERS_H
#define SR_LAYERS_H

#include "tensor.h"

typedef enum
{
  SR_ACT_NONE,
  SR_ACT_RELU,
  SR_ACT_LRELU,     /* LeakyReLU, slope 0.05 as in IMDN and RFDN */
  SR_ACT_PRELU,     /* per-channel slopes */
  SR_ACT_SIGMOID
} SrAct;

#define SR_LRELU_SLOPE 0.05f

/* Weights rearranged for a SIMD kernel (kernels.h). */
typedef struct _SrConvPack SrConvPack;

/* A convolution's weights [cout][cin][k][k] and bias [cout], borrowed from the model. */
typedef struct
{
  const float *weight;
  const float *bias;
  const float *alpha;   /* PReLU slopes [cout], or NULL */
  int cout, cin, k, stride, pad;
  /* Packed at load for the kernels in use, owned by the model; when NULL
   * (or packed for other kernels) sr_conv2d packs a temporary copy. */
  const SrConvPack *pack;
} SrConv;

static inline int
sr_conv_out_size (const SrConv *conv, int in)
{
  return (in + 2 * conv->pad - conv->k) / conv->stride + 1;
}

/* out = act (conv (in) + residual).  @residual may be NULL; when given it has
 * out's shape.  Activation SR_ACT_PRELU reads conv->alpha. */
void sr_conv2d (const SrConv *conv, const SrTensor *in, SrTensor *out,
                const SrTensor *residual, SrAct act);

/* sr_conv2d of @conv, unpacked weights derived at run time from the model's
 * @model_conv (IMDN's attention-gated 1x1), in @model_conv's precision: a
 * temporary conv would otherwise fall back to the default fp32 kernels. */
void sr_conv2d_like (const SrConv *model_conv, const SrConv *conv, const SrTensor *in,
                     SrTensor *out, const SrTensor *residual, SrAct act);

/* sr_conv2d in fp32 whatever the model's precision: for the conv that writes
 * the image (the pixel-shuffle upsampler), whose rounding lands on the
 * output pixels unfiltered (the official IMDN x3 lost 0.011 dB on Set5 with
 * it in bf16, 0.002 without). */
void sr_conv2d_fp32 (const SrConv *conv, const SrTensor *in, SrTensor *out,
                     const SrTensor *residual, SrAct act);

/* sr_conv2d (no residual) whose first output channels go to @first and the
 * others to @rest: a split by addressing, no copy.  Both have the output's
 * height and width; first->c + rest->c == conv->cout. */
void sr_conv2d_split (const SrConv *conv, const SrTensor *in, SrTensor *first,
                      SrTensor *rest, SrAct act);

/* dst += src, elementwise, same shape. */
void sr_add (SrTensor *dst, const SrTensor *src);
/* dst *= src, elementwise, same shape. */
void sr_mul (SrTensor *dst, const SrTensor *src);
void sr_copy (SrTensor *dst, const SrTensor *src);
void sr_scale (SrTensor *t, float factor);

/* IMDN's contrast-aware channel attention, x *= sigmoid (up (relu (down
 * (mean_hw (x) + std_hw (x))))), as its per-channel gates (x->c floats into
 * @gate): the caller folds them into the next convolution instead of a pass
 * over @x (core/blocks.c). */
void sr_contrast_attention_gate (const SrTensor *x, const SrConv *down, const SrConv *up,
                                 float *gate);

/* Max pooling without padding, floor mode. */
void sr_max_pool (const SrTensor *in, SrTensor *out, int k, int stride);
/* Bilinear resize to out's size, PyTorch align_corners=False semantics. */
void sr_resize_bilinear (const SrTensor *in, SrTensor *out);
/* (c*s*s, h, w) -> (c, h*s, w*s), PyTorch PixelShuffle order. */
void sr_pixel_shuffle (const SrTensor *in, SrTensor *out, int s);

#endif
