/* IMDN_RTC: the real-time IMDN variant.  A small head, a chain of
 * distillation blocks without attention, a 1x1 tail with a global residual
 * around the whole chain, then the pixel-shuffle upsampler.  Everything is
 * local, so it tiles exactly. */
#include "blocks.h"

typedef struct
{
  SrConv head;
  SrTail tail;
  int    n_blocks;
  SrImdb blocks[];
} SrImdnRtc;

static gpointer
rtc_prepare (SrModel *model, GError **error)
{
  int c = model->channels, nb = model->blocks;
  SrImdnRtc *net = g_malloc0 (sizeof (SrImdnRtc) + nb * sizeof (SrImdb));

  net->n_blocks = nb;
  if (!sr_model_take_conv (model, &net->head, 1.0, c, 3, 3, 1, 1, error, "head.0"))
    goto fail;
  for (int i = 0; i < nb; i++)
    if (!sr_imdb_take (model, &net->blocks[i], i, c, FALSE, 1.0, error))
      goto fail;
  /* No fuse: the 1x1 tail reads the last block's output. */
  if (!sr_tail_take (model, &net->tail, c, 0, 1, model->scale, 1.0, error))
    goto fail;
  return net;
fail:
  g_free (net);
  return NULL;
}

static SrTensor *
rtc_forward (const SrModel *model, const SrTensor *input, SrArena *arena, SrRun *run,
             GError **error)
{
  const SrImdnRtc *net = model->arch_state;
  SrTensor *head = sr_conv_new_output (&net->head, input, arena, error);
  SrTensor *ping = head ? sr_arena_tensor (arena, head->c, head->h, head->w, error) : NULL;
  SrTensor *pong = ping ? sr_arena_tensor (arena, head->c, head->h, head->w, error) : NULL;
  SrImdbScratch scratch;
  SrTensor *x, *out;

  if (!pong || !sr_imdb_scratch_init (&scratch, &net->blocks[0], head, arena, error))
    return NULL;
  sr_conv2d (&net->head, input, head, NULL, SR_ACT_NONE);
  x = head;
  for (int i = 0; i < net->n_blocks; i++)
    {
      SrTensor *y = (i % 2 == 0) ? ping : pong;
      sr_imdb_forward (&net->blocks[i], x, y, &scratch);
      if (!sr_run_step (run, error))
        return NULL;
      x = y;
    }
  {
    /* The tail's maps go where the blocks' were (blocks.h). */
    const SrTensor *const spare[3] = { x == ping ? pong : ping, scratch.t1, scratch.distilled };
    out = sr_tail_forward (&net->tail, x, head, spare, arena, error);
  }
  if (out && !sr_run_step (run, error))
    return NULL;
  return out;
}

/* Head, four 3x3 convs per block, 1x1 tail, 3x3 upsampler. */
static int
rtc_halo (const SrModel *model)
{
  return 4 * model->blocks + 2;
}

static double
rtc_floats_per_pixel (const SrModel *model)
{
  return 7.0 * model->channels + 6.0 * model->scale * model->scale + 3;
}

const SrArch sr_arch_imdn_rtc = {
  .name = "imdn_rtc",
  .prepare = rtc_prepare,
  .extra_steps = 1,
  .forward = rtc_forward,
  .size_multiple = 1,
  .min_size = 1,
  .halo = rtc_halo,
  .floats_per_pixel = rtc_floats_per_pixel,
  .local = TRUE,
};
