/* IMDN (Hui et al. 2019): 3x3 head, 6 information multi-distillation blocks
 * with contrast-aware attention, 1x1 fuse of all block outputs, 3x3 tail plus
 * a global residual, and a pixel-shuffle upsampler. */
#include "arch-imdn.h"

/* The state is one allocation: the body, then @extra bytes the caller uses
 * for its head convolutions, so sr_model_free can g_free it. */
SrImdnBody *
sr_imdn_body_take (SrModel *model, gsize extra, double area, int shuffle, GError **error)
{
  int c = model->channels, nb = model->blocks;
  SrImdnBody *body = g_malloc0 (sizeof (SrImdnBody) + nb * sizeof (SrImdb) + extra);

  body->n_blocks = nb;
  for (int i = 0; i < nb; i++)
    if (!sr_imdb_take (model, &body->blocks[i], i, c, TRUE, area, error))
      goto fail;
  if (!sr_tail_take (model, &body->tail, c, nb, 3, shuffle, area, error))
    goto fail;
  return body;
fail:
  g_free (body);
  return NULL;
}

SrTensor *
sr_imdn_body_forward (const SrImdnBody *body, const SrTensor *head, SrArena *arena,
                      SrRun *run, GError **error)
{
  SrTensor *fused = sr_arena_tensor (arena, head->c, head->h, head->w, error);
  SrTensor *pair = fused ? sr_arena_tensor (arena, 2 * head->c, head->h, head->w, error) : NULL;
  SrTensor x = *head, y, *out;
  SrImdbScratch scratch;

  if (!pair || !sr_imdb_scratch_init (&scratch, &body->blocks[0], head, arena, error))
    return NULL;
  /* Blocks alternate between the two halves of @pair; each completed pair
   * is added into @fused right away. */
  for (int i = 0; i < body->n_blocks; i++)
    {
      y = sr_tensor_slice (pair, (i % 2) * head->c, head->c);
      sr_imdb_forward (&body->blocks[i], &x, &y, &scratch);
      sr_tail_fuse_step (&body->tail, i, pair, fused);
      if (!sr_run_step (run, error))
        return NULL;
      x = y;
    }
  {
    /* The tail's maps go where the blocks' were (blocks.h). */
    const SrTensor first = sr_tensor_slice (pair, 0, head->c);
    const SrTensor second = sr_tensor_slice (pair, head->c, head->c);
    const SrTensor *const spare[3] = { &first, &second, scratch.t1 };
    out = sr_tail_forward (&body->tail, fused, head, spare, arena, error);
  }
  if (out && !sr_run_step (run, error))
    return NULL;
  return out;
}

/* ---- IMDN proper ---- */

static SrConv *
imdn_head (const SrImdnBody *body)
{
  return (SrConv *) &body->blocks[body->n_blocks];
}

static gpointer
imdn_prepare (SrModel *model, GError **error)
{
  SrImdnBody *body = sr_imdn_body_take (model, sizeof (SrConv), 1.0, model->scale, error);
  if (body && !sr_model_take_conv (model, imdn_head (body), 1.0, model->channels, 3, 3, 1, 1,
                                   error, "head.0"))
    g_clear_pointer (&body, g_free);
  return body;
}

static SrTensor *
imdn_forward (const SrModel *model, const SrTensor *input, SrArena *arena, SrRun *run,
              GError **error)
{
  const SrImdnBody *body = model->arch_state;
  SrTensor *head = sr_conv_new_output (imdn_head (body), input, arena, error);

  if (!head)
    return NULL;
  sr_conv2d (imdn_head (body), input, head, NULL, SR_ACT_NONE);
  return sr_imdn_body_forward (body, head, arena, run, error);
}

/* Receptive radius: head, four 3x3 convs per block, tail, upsampler.
 * The attention statistics are whole-map means, so IMDN is not local:
 * tiles see statistics of their own area (docs/tiling.md). */
static int
imdn_halo (const SrModel *model)
{
  return 4 * model->blocks + 3;
}

/* The input, head, two block outputs, the fuse sum and block scratch (2 C);
 * the tail's maps reuse the blocks' where they fit (blocks.h). */
static double
imdn_floats_per_pixel (const SrModel *model)
{
  return 3 + 6.0 * model->channels + sr_tail_floats_beyond_spares (model->channels, model->scale);
}

const SrArch sr_arch_imdn = {
  .name = "imdn",
  .prepare = imdn_prepare,
  .extra_steps = 1,
  .forward = imdn_forward,
  .size_multiple = 1,
  .min_size = 1,
  .halo = imdn_halo,
  .floats_per_pixel = imdn_floats_per_pixel,
  .local = FALSE,
};
