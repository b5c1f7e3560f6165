/* IMDN_AS: IMDN for same-size restoration at any scale.  Two stride-2 convs
 * bring the (bicubic pre-upscaled) input to a quarter of its size, the IMDN
 * body works there, and a x4 pixel-shuffle returns to full size. */
#include "arch-imdn.h"

static SrConv *
as_head (const SrImdnBody *body)
{
  return (SrConv *) &body->blocks[body->n_blocks];
}

static gpointer
imdn_as_prepare (SrModel *model, GError **error)
{
  SrImdnBody *body;
  SrConv *head;

  if (model->scale != 1)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_FORMAT, "%s: imdn_as is a same-size model: its "
                   "scale must be 1, not %d", model->label, model->scale);
      return NULL;
    }
  /* The body runs at 1/16 of the input's area. */
  body = sr_imdn_body_take (model, 2 * sizeof (SrConv), 1.0 / 16, 4, error);
  if (!body)
    return NULL;
  head = as_head (body);
  if (!sr_model_take_conv (model, &head[0], 0.25, model->channels, 3, 3, 2, 1, error, "head.0") ||
      !sr_model_take_conv (model, &head[1], 1.0 / 16, model->channels, model->channels, 3, 2, 1,
                           error, "head.1"))
    g_clear_pointer (&body, g_free);
  return body;
}

static SrTensor *
imdn_as_forward (const SrModel *model, const SrTensor *input, SrArena *arena, SrRun *run,
                 GError **error)
{
  const SrImdnBody *body = model->arch_state;
  const SrConv *head = as_head (body);
  SrTensor *half = sr_conv_new_output (&head[0], input, arena, error);
  SrTensor *quarter = half ? sr_conv_new_output (&head[1], half, arena, error) : NULL;

  if (!quarter)
    return NULL;
  sr_conv2d (&head[0], input, half, NULL, SR_ACT_LRELU);
  sr_conv2d (&head[1], half, quarter, NULL, SR_ACT_NONE);
  return sr_imdn_body_forward (body, quarter, arena, run, error);
}

/* The body's radius counts at quarter resolution, plus the two strided convs. */
static int
imdn_as_halo (const SrModel *model)
{
  return 4 * (4 * model->blocks + 3) + 3;
}

static double
imdn_as_floats_per_pixel (const SrModel *model)
{
  return model->channels / 4.0 + (model->blocks + 6.0) * model->channels / 16.0 + 3 + 3 + 3;
}

const SrArch sr_arch_imdn_as = {
  .name = "imdn_as",
  .prepare = imdn_as_prepare,
  .extra_steps = 1,
  .forward = imdn_as_forward,
  .size_multiple = 4,
  .min_size = 4,
  .halo = imdn_as_halo,
  .floats_per_pixel = imdn_as_floats_per_pixel,
  .local = FALSE,
};
