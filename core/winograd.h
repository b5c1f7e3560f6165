/* Winograd F(2x2, 3x3) convolution: the stride-1, pad-1 3x3 convolutions
 * with many channels (IMDN's and RFDN's blocks) done with 16 multiplies per
 * 2x2 output tile instead of 36.
 *
 * Each 4x4 input tile d becomes V = B^T d B, each 3x3 filter g becomes
 * U = G g G^T (once, at load); the 16 products U . V summed over input
 * channels are 16 small matrix products, run by the variant's 1x1
 * micro-kernel; Y = A^T M A gives the 2x2 outputs, and the epilogue adds
 * bias and residual and applies the activation as the direct kernels do.
 * F(2,3) keeps the error of a 64-channel conv near 1e-6 relative to its
 * output (F(4,3), twice the saving, measured 2.5e-5: outside the 1e-5 that
 * every path must hold against the scalar reference).
 *
 * Tiles sit on a grid of even rows and columns of the tensor, so a pixel's
 * arithmetic depends on the parity of its position: the tiler keeps tile
 * origins even (upscale.c) so tiled and whole-image runs still agree bit
 * for bit. */
#ifndef SR_WINOGRAD_H
#define SR_WINOGRAD_H

#include "kernels.h"

/* Whether @kern runs @conv with activation @act this way (SR_WINOGRAD=0
 * turns it off, for comparisons). */
gboolean sr_winograd_applies (const SrKernels *kern, const SrConv *conv, SrAct act);

/* Floats of the transformed weights in a pack (0: not used for @conv). */
gsize sr_winograd_pack_size (const SrKernels *kern, const SrConv *conv);
/* Writes them: [16 positions][blocks][cin][nr], the 1x1 kernel's layout. */
void  sr_winograd_pack (const SrKernels *kern, const SrConv *conv, float *dst);

/* out = act (conv (in) + residual), output channels [0, split) to @first
 * and the rest to @rest, in @n_parts parts for sr_parallel_for. */
void sr_conv_winograd (const SrKernels *kern, const SrConv *conv, const SrConvPack *pack,
                       const SrTensor *in, SrTensor *first, SrTensor *rest, int split,
                       const SrTensor *residual, SrAct act, int n_parts);

#endif
