#include "blocks.h"

#include <string.h>

SrTensor *
sr_conv_new_output (const SrConv *conv, const SrTensor *in, SrArena *arena, GError **error)
{
  return sr_arena_tensor (arena, conv->cout, sr_conv_out_size (conv, in->h),
                          sr_conv_out_size (conv, in->w), error);
}

gboolean
sr_imdb_take (SrModel *model, SrImdb *b, int index, int channels, gboolean attention,
              double area, GError **error)
{
  int d = channels / 4, r = channels - d;

  if (d < 1)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_FORMAT, "%s: %d channels is too few for a "
                   "distillation block", model->label, channels);
      return FALSE;
    }
  b->distilled = d;
  b->attention = attention;
  if (!sr_model_take_conv (model, &b->c1, area, channels, channels, 3, 1, 1, error, "blocks.%d.c1", index) ||
      !sr_model_take_conv (model, &b->c2, area, channels, r, 3, 1, 1, error, "blocks.%d.c2", index) ||
      !sr_model_take_conv (model, &b->c3, area, channels, r, 3, 1, 1, error, "blocks.%d.c3", index) ||
      !sr_model_take_conv (model, &b->c4, area, d, r, 3, 1, 1, error, "blocks.%d.c4", index) ||
      !sr_model_take_conv (model, &b->c5, area, channels, 4 * d, 1, 1, 0, error, "blocks.%d.c5", index))
    return FALSE;
  if (attention && (channels / 16 < 1 ||
      !sr_model_take_conv (model, &b->down, 0, channels / 16, 4 * d, 1, 1, 0, error, "blocks.%d.cca.down", index) ||
      !sr_model_take_conv (model, &b->up, 0, 4 * d, channels / 16, 1, 1, 0, error, "blocks.%d.cca.up", index)))
    {
      if (error && !*error)
        g_set_error (error, SR_ERROR, SR_ERROR_FORMAT, "%s: attention needs at least 16 channels",
                     model->label);
      return FALSE;
    }
  return TRUE;
}

gboolean
sr_imdb_scratch_init (SrImdbScratch *s, const SrImdb *b, const SrTensor *x, SrArena *arena,
                      GError **error)
{
  return (s->t1 = sr_arena_tensor (arena, x->c, x->h, x->w, error)) &&
         (s->distilled = sr_arena_tensor (arena, 4 * b->distilled, x->h, x->w, error));
}

void
sr_imdb_forward (const SrImdb *b, const SrTensor *x, SrTensor *out, const SrImdbScratch *s)
{
  const int d = b->distilled, c = x->c;
  SrTensor *t1 = s->t1, *distilled = s->distilled;
  SrTensor rest, refined, dst;

  /* Each step keeps its first d channels, written straight into their
   * slice of @distilled, and refines the rest (split by addressing).  The
   * rest alternates between @t1 and @out, which only c5 writes, after c3
   * has read it: one map per block's scratch instead of two. */
  dst = sr_tensor_slice (distilled, 0, d);
  rest = sr_tensor_slice (t1, d, c - d);
  sr_conv2d_split (&b->c1, x, &dst, &rest, SR_ACT_LRELU);

  dst = sr_tensor_slice (distilled, d, d);
  refined = sr_tensor_slice (out, d, c - d);
  sr_conv2d_split (&b->c2, &rest, &dst, &refined, SR_ACT_LRELU);

  dst = sr_tensor_slice (distilled, 2 * d, d);
  rest = sr_tensor_slice (t1, d, c - d);
  sr_conv2d_split (&b->c3, &refined, &dst, &rest, SR_ACT_LRELU);

  dst = sr_tensor_slice (distilled, 3 * d, d);
  sr_conv2d (&b->c4, &rest, &dst, NULL, SR_ACT_NONE);

  if (b->attention)
    {
      /* c5 (gate * distilled) = (c5's weights * gate) distilled: scaling the
       * 1x1 weights' input columns saves a pass over the feature map. */
      const int cin = b->c5.cin, cout = b->c5.cout;
      float *gate = g_new (float, cin), *weight = g_new (float, cout * cin);
      SrConv gated = b->c5;
      sr_contrast_attention_gate (distilled, &b->down, &b->up, gate);
      for (int o = 0; o < cout; o++)
        for (int i = 0; i < cin; i++)
          weight[o * cin + i] = b->c5.weight[o * cin + i] * gate[i];
      gated.weight = weight;
      gated.pack = NULL;   /* packed on the fly: cout x cin floats */
      sr_conv2d_like (&b->c5, &gated, distilled, out, x, SR_ACT_NONE);
      g_free (weight);
      g_free (gate);
    }
  else
    sr_conv2d (&b->c5, distilled, out, x, SR_ACT_NONE);
}

gboolean
sr_tail_take (SrModel *model, SrTail *tail, int channels, int blocks, int tail_kernel,
              int shuffle, double area, GError **error)
{
  SrConv fuse;

  tail->shuffle = shuffle;
  tail->n_blocks = blocks;
  if (blocks > 0)
    {
      const int parts = (blocks + 1) / 2;
      if (!sr_model_take_conv (model, &fuse, area, channels, blocks * channels, 1, 1, 0, error, "fuse"))
        return FALSE;
      tail->fuse_parts = sr_model_keep (model, g_new0 (SrConv, parts));
      for (int p = 0; p < parts; p++)
        {
          /* The columns of blocks 2p and 2p + 1 in the [C][blocks*C] weight. */
          const int cin = MIN (2, blocks - 2 * p) * channels;
          float *w = sr_model_keep (model, g_new (float, (gsize) channels * cin));
          for (int o = 0; o < channels; o++)
            memcpy (w + (gsize) o * cin, fuse.weight + ((gsize) o * blocks + 2 * p) * channels,
                    cin * sizeof (float));
          tail->fuse_parts[p] = (SrConv) { w, p == 0 ? fuse.bias : NULL, NULL, channels, cin,
                                           1, 1, 0, NULL };
          sr_model_pack_conv (model, &tail->fuse_parts[p]);
        }
    }
  return sr_model_take_conv (model, &tail->body_tail, area, channels, channels, tail_kernel, 1,
                             tail_kernel / 2, error, "body_tail") &&
         sr_model_take_conv (model, &tail->upsample, area, 3 * shuffle * shuffle, channels, 3, 1, 1,
                             error, "upsample");
}

void
sr_tail_fuse_step (const SrTail *tail, int index, const SrTensor *pair, SrTensor *fused)
{
  const int last = index == tail->n_blocks - 1;
  SrTensor in;

  if (index % 2 == 0 && !last)
    return;   /* the pair is not complete yet */
  in = sr_tensor_slice (pair, 0, tail->fuse_parts[index / 2].cin);
  sr_conv2d (&tail->fuse_parts[index / 2], &in, fused, index > 1 ? fused : NULL,
             last ? SR_ACT_LRELU : SR_ACT_NONE);
}

double
sr_tail_floats_beyond_spares (int channels, int shuffle)
{
  const int up = 3 * shuffle * shuffle;
  return up > channels ? 2.0 * up : 0.0;
}

SrTensor *
sr_tail_forward (const SrTail *tail, const SrTensor *fused, const SrTensor *head,
                 const SrTensor *const spare[3], SrArena *arena, GError **error)
{
  const int h = fused->h, w = fused->w, s = tail->shuffle;
  SrTensor *t, *up, *out;

  g_assert (sr_conv_out_size (&tail->body_tail, h) == h && sr_conv_out_size (&tail->upsample, h) == h);
  t = sr_arena_reuse (arena, spare ? spare[0] : NULL, tail->body_tail.cout, h, w, error);
  if (!t)
    return NULL;
  sr_conv2d (&tail->body_tail, fused, t, head, SR_ACT_NONE);
  up = sr_arena_reuse (arena, spare ? spare[1] : NULL, tail->upsample.cout, h, w, error);
  out = up ? sr_arena_reuse (arena, spare ? spare[2] : NULL, 3, h * s, w * s, error) : NULL;
  if (!out)
    return NULL;
  sr_conv2d_fp32 (&tail->upsample, t, up, NULL, SR_ACT_NONE);
  sr_pixel_shuffle (up, out, tail->shuffle);
  return out;
}
