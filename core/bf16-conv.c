/* The bf16 side of the convolution driver (kernels.h, bf16.h): weights
 * packed as bf16 channel pairs once, and each layer's input converted to
 * pairs at the kernels' edge.  f32-conv.c then drives the bf16 kernels
 * exactly as the fp32 ones, over cin / 2 "channels" of 32-bit pairs. */
#include "bf16.h"
#include "kernels.h"
#include "parallel.h"
#include "tensor.h"
#include "winograd.h"

gboolean
sr_bf16_applies (const SrConv *conv)
{
  /* The shapes the direct driver reads in place; the rest (stride 2, 5x5
   * heads) are a sliver of the work and stay in fp32.  So do convs with a
   * handful of input channels: every model's head reads the image itself,
   * whose 8-bit values k / 255 bf16 rounds by up to a quarter of a step,
   * an error the global skip carries to the output (the official IMDN x2
   * lost 0.044 dB on Set5 in bf16, 0.004 with its head in fp32), for a
   * few percent of the multiply-adds. */
  return conv->stride == 1 && (conv->k == 1 || conv->k == 3) && conv->pad <= 1 &&
         conv->cin >= SR_BF16_MIN_CIN;
}

SrConvPack *
sr_bf16_pack_new (const SrKernels *kernels, const SrConv *conv)
{
  const int nr = kernels->nr, kk = conv->k * conv->k, pairs = (conv->cin + 1) / 2;
  const int blocks = (conv->cout + nr - 1) / nr;
  const gsize per_block = (gsize) pairs * kk * nr;
  /* Winograd weights as pairs take at most the floats the fp32 ones do. */
  const gsize winograd = sr_winograd_pack_size (kernels, conv);
  SrConvPack *pack;
  guint32 *weight;

  g_assert (kernels->pair_rows && sr_bf16_applies (conv));
  /* Pairs are 32 bits: the same room as floats, zero padded (an odd cin's
   * last pair has a zero high half). */
  pack = g_malloc0 (sizeof (SrConvPack) +
                    ((gsize) blocks * nr + blocks * per_block + winograd) * sizeof (float));
  pack->kernels = kernels;
  pack->blocks = blocks;
  pack->bias = (float *) (pack + 1);
  pack->weight = pack->bias + (gsize) blocks * nr;
  weight = (guint32 *) pack->weight;
  for (int co = 0; co < conv->cout; co++)
    {
      const int b = co / nr, lane = co % nr;
      const float *src = conv->weight + (gsize) co * conv->cin * kk;
      pack->bias[co] = conv->bias ? conv->bias[co] : 0.f;
      for (int p = 0; p < pairs; p++)
        for (int t = 0; t < kk; t++)
          {
            const float lo = src[(gsize) 2 * p * kk + t];
            const float hi = 2 * p + 1 < conv->cin ? src[(gsize) (2 * p + 1) * kk + t] : 0.f;
            weight[b * per_block + ((gsize) p * kk + t) * nr + lane] = sr_bf16_pair (lo, hi);
          }
    }
  if (winograd)
    {
      /* The fp32 transform U = G g G^T ([16][blocks][cin][nr]), then paired:
       * [16][blocks][cin / 2][nr]. */
      const gsize groups = (gsize) 16 * blocks;
      float *u = g_new (float, winograd);
      guint32 *dst;

      sr_winograd_pack (kernels, conv, u);
      pack->winograd = pack->weight + blocks * per_block;
      dst = (guint32 *) pack->winograd;
      for (gsize g = 0; g < groups; g++)
        for (int p = 0; p < pairs; p++)
          for (int lane = 0; lane < nr; lane++)
            {
              const float *src = u + (g * conv->cin + 2 * p) * nr + lane;
              dst[(g * pairs + p) * nr + lane] = sr_bf16_pair (src[0], 2 * p + 1 < conv->cin ? src[nr] : 0.f);
            }
      g_free (u);
    }
  return pack;
}

typedef struct
{
  const SrKernels *kern;
  const SrTensor *in;
  guint32 *dst;
  int pairs;
} PairJob;

static void
pair_part (gpointer data, int part, int n_parts)
{
  const PairJob *j = data;
  const gsize plane = sr_tensor_plane (j->in);
  const gsize total = (gsize) j->pairs * plane;
  /* Split the whole [pairs][plane] range evenly, in 64-float steps. */
  gsize lo = total * part / n_parts / 64 * 64, hi = part == n_parts - 1 ? total : total * (part + 1) / n_parts / 64 * 64;

  while (lo < hi)
    {
      const int p = (int) (lo / plane);
      const gsize i = lo % plane, n = MIN (hi - lo, plane - i);
      const float *a = sr_tensor_channel (j->in, 2 * p) + i;
      const float *b = 2 * p + 1 < j->in->c ? sr_tensor_channel (j->in, 2 * p + 1) + i : NULL;
      j->kern->pair_rows (a, b, j->dst + lo, n);
      lo += n;
    }
}

/* The pairs go in a kept block (tensor.h), taken for one conv and given
 * back after it, so they sit on huge pages and are reused by whichever
 * thread runs the next conv.  IMDN's fuse conv pairs 128 channels, 14.7 MB
 * at 320x180: from malloc, as a per-thread buffer, it took ~3,600 small
 * page faults in every process's first bf16 run, and each pool thread that
 * came to run a tile kept a copy of its own. */
SrTensor
sr_bf16_pairs (const SrKernels *kern, const SrTensor *in, gsize *got)
{
  const int pairs = (in->c + 1) / 2;
  const gsize n = (gsize) pairs * sr_tensor_plane (in);
  guint32 *dst;
  PairJob job;
  int parts;

  if (!(dst = (guint32 *) sr_block_take (n * sizeof (guint32), got)))
    g_error ("out of memory for %.1f MiB of bf16 pairs", n * sizeof (guint32) / 1048576.0);
  job = (PairJob) { kern, in, dst, pairs };
  /* A memory-bound pass: worth threads only when large. */
  parts = n >= 256 * 1024 ? MIN (4 * sr_parallel_width (), (int) (n / 4096)) : 1;
  sr_parallel_for (MAX (1, parts), pair_part, &job);
  return (SrTensor) { pairs, in->h, in->w, (float *) dst };
}
