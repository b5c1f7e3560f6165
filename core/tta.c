/* Test-time augmentation: the network runs on the 8 flips/rotations of the
 * input (the dihedral group) and the outputs, turned back, are averaged.
 * Done per tile, so memory stays bounded and results stay deterministic. */
#include "tta.h"

/* Transform d: bit 2 transposes, then bit 0 flips x and bit 1 flips y. */
static void
dihedral (const SrTensor *src, SrTensor *dst, int d, gboolean inverse, gboolean accumulate)
{
  const gboolean fx = d & 1, fy = d & 2, tr = d & 4;

  for (int c = 0; c < dst->c; c++)
    {
      const float *s = sr_tensor_channel (src, c);
      float *o = sr_tensor_channel (dst, c);
      for (int y = 0; y < dst->h; y++)
        for (int x = 0; x < dst->w; x++)
          {
            int sy, sx;
            float v;
            if (!inverse)
              {
                /* dst = flips (transpose? (src)) */
                int ax = fx ? dst->w - 1 - x : x, ay = fy ? dst->h - 1 - y : y;
                sy = tr ? ax : ay;
                sx = tr ? ay : ax;
              }
            else
              {
                /* dst is the original orientation, src the transformed one. */
                int ty = tr ? x : y, tx = tr ? y : x;
                sx = fx ? src->w - 1 - tx : tx;
                sy = fy ? src->h - 1 - ty : ty;
              }
            v = s[(gsize) sy * src->w + sx];
            o[(gsize) y * dst->w + x] = accumulate ? o[(gsize) y * dst->w + x] + v : v;
          }
    }
}

SrTensor *
sr_forward_tta (const SrModel *model, const SrTensor *input, SrArena *arena, SrRun *run,
                GError **error)
{
  SrTensor *sum = NULL;

  for (int d = 0; d < SR_TTA_VIEWS; d++)
    {
      gboolean tr = d & 4;
      SrArena *scratch = sr_arena_new ();
      SrTensor *view = sr_arena_tensor (scratch, input->c, tr ? input->w : input->h,
                                        tr ? input->h : input->w, error);
      SrTensor *out = NULL;

      if (view)
        {
          dihedral (input, view, d, FALSE, FALSE);
          out = model->arch->forward (model, view, scratch, run, error);
        }
      if (out && !sum)
        sum = sr_arena_tensor (arena, out->c, tr ? out->w : out->h, tr ? out->h : out->w, error);
      if (!out || !sum)
        {
          sr_arena_free (scratch);
          return NULL;
        }
      dihedral (out, sum, d, TRUE, d > 0);
      sr_arena_free (scratch);
    }
  sr_scale (sum, 1.f / SR_TTA_VIEWS);
  return sum;
}
