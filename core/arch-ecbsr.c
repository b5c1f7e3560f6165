/* ECBSR (Zhang et al. 2021) in its re-parameterised inference form: a plain
 * stack of 3x3 convs with PReLU, a pixel-shuffle, and the input added to every
 * sub-pixel (a nearest-neighbour global residual).  The training-time edge
 * blocks were folded into these convs by the converter.  Purely local. */
#include "blocks.h"

typedef struct
{
  int    n_layers;
  SrConv layers[];
} SrEcbsr;

static gpointer
ecbsr_prepare (SrModel *model, GError **error)
{
  const int c = model->channels, nb = model->blocks, s = model->scale;
  const int n = nb + 2;
  SrEcbsr *net = g_malloc0 (sizeof (SrEcbsr) + n * sizeof (SrConv));

  net->n_layers = n;
  for (int i = 0; i < n; i++)
    {
      int cin = i == 0 ? 3 : c, cout = i == n - 1 ? 3 * s * s : c;
      SrConv *conv = &net->layers[i];
      if (!sr_model_take_conv (model, conv, 1.0, cout, cin, 3, 1, 1, error, "layers.%d", i))
        goto fail;
      if (i < n - 1 && !(conv->alpha = sr_model_take_vector (model, cout, error, "layers.%d.alpha", i)))
        goto fail;
    }
  return net;
fail:
  g_free (net);
  return NULL;
}

static SrTensor *
ecbsr_forward (const SrModel *model, const SrTensor *input, SrArena *arena, SrRun *run,
               GError **error)
{
  const SrEcbsr *net = model->arch_state;
  const int s = model->scale, s2 = s * s, h = input->h, w = input->w;
  SrTensor *buf[2], *sub, *out;
  const SrTensor *x = input;

  if (!(buf[0] = sr_arena_tensor (arena, model->channels, h, w, error)) ||
      !(buf[1] = sr_arena_tensor (arena, model->channels, h, w, error)) ||
      !(sub = sr_arena_tensor (arena, 3 * s2, h, w, error)) ||
      !(out = sr_arena_tensor (arena, 3, h * s, w * s, error)))
    return NULL;

  for (int i = 0; i < net->n_layers - 1; i++)
    {
      sr_conv2d (&net->layers[i], x, buf[i % 2], NULL, SR_ACT_PRELU);
      if (!sr_run_step (run, error))
        return NULL;
      x = buf[i % 2];
    }
  sr_conv2d (&net->layers[net->n_layers - 1], x, sub, NULL, SR_ACT_NONE);
  /* Sub-pixel channel k belongs to colour k / s^2. */
  for (int k = 0; k < 3 * s2; k++)
    {
      SrTensor dst = sr_tensor_slice (sub, k, 1), src = sr_tensor_slice (input, k / s2, 1);
      sr_add (&dst, &src);
    }
  sr_pixel_shuffle (sub, out, s);
  if (!sr_run_step (run, error))
    return NULL;
  return out;
}

/* One pixel of radius per 3x3 conv. */
static int
ecbsr_halo (const SrModel *model)
{
  return model->blocks + 2;
}

static double
ecbsr_floats_per_pixel (const SrModel *model)
{
  return 2.0 * model->channels + 6.0 * model->scale * model->scale + 3;
}

const SrArch sr_arch_ecbsr = {
  .name = "ecbsr",
  .prepare = ecbsr_prepare,
  .extra_steps = 2,
  .forward = ecbsr_forward,
  .size_multiple = 1,
  .min_size = 1,
  .halo = ecbsr_halo,
  .floats_per_pixel = ecbsr_floats_per_pixel,
  .local = TRUE,
};
