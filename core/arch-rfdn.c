/* RFDN (Liu et al. 2020): residual feature distillation blocks.  Each block
 * distils with 1x1 convs while 3x3 shallow residual convs refine, and ends in
 * enhanced spatial attention (ESA): a strided conv, a 7x7/3 max-pool, convs at
 * that coarse scale, a bilinear resize back, and a sigmoid gate. */
#include "blocks.h"

typedef struct
{
  SrConv conv1, conv_f, conv2, conv_max, conv3, conv3_, conv4;
} SrEsa;

typedef struct
{
  SrConv c_d[3], c_r[3], c4, c5;
  SrEsa  esa;
} SrRfdb;

typedef struct
{
  SrConv head;
  SrTail tail;
  int    n_blocks;
  SrRfdb blocks[];
} SrRfdn;

/* ESA's strided conv and 7x7/3 pool need at least 15 input pixels a side. */
#define RFDN_MIN_SIZE 15

static gboolean
esa_take (SrModel *model, SrEsa *e, int i, int c, GError **error)
{
  int f = c / 4;
  /* The coarse convs run at about 1/4 and 1/36 of the area. */
  return sr_model_take_conv (model, &e->conv1, 1.0, f, c, 1, 1, 0, error, "blocks.%d.esa.conv1", i) &&
         sr_model_take_conv (model, &e->conv_f, 1.0, f, f, 1, 1, 0, error, "blocks.%d.esa.conv_f", i) &&
         sr_model_take_conv (model, &e->conv2, 0.25, f, f, 3, 2, 0, error, "blocks.%d.esa.conv2", i) &&
         sr_model_take_conv (model, &e->conv_max, 1.0 / 36, f, f, 3, 1, 1, error, "blocks.%d.esa.conv_max", i) &&
         sr_model_take_conv (model, &e->conv3, 1.0 / 36, f, f, 3, 1, 1, error, "blocks.%d.esa.conv3", i) &&
         sr_model_take_conv (model, &e->conv3_, 1.0 / 36, f, f, 3, 1, 1, error, "blocks.%d.esa.conv3_", i) &&
         sr_model_take_conv (model, &e->conv4, 1.0, c, f, 1, 1, 0, error, "blocks.%d.esa.conv4", i);
}

static gboolean
rfdb_take (SrModel *model, SrRfdb *b, int i, int c, GError **error)
{
  int d = c / 2;
  for (int j = 0; j < 3; j++)
    if (!sr_model_take_conv (model, &b->c_d[j], 1.0, d, c, 1, 1, 0, error, "blocks.%d.c%d_d", i, j + 1) ||
        !sr_model_take_conv (model, &b->c_r[j], 1.0, c, c, 3, 1, 1, error, "blocks.%d.c%d_r", i, j + 1))
      return FALSE;
  return sr_model_take_conv (model, &b->c4, 1.0, d, c, 3, 1, 1, error, "blocks.%d.c4", i) &&
         sr_model_take_conv (model, &b->c5, 1.0, c, 4 * d, 1, 1, 0, error, "blocks.%d.c5", i) &&
         esa_take (model, &b->esa, i, c, error);
}

static gpointer
rfdn_prepare (SrModel *model, GError **error)
{
  int c = model->channels, nb = model->blocks;
  SrRfdn *net = g_malloc0 (sizeof (SrRfdn) + nb * sizeof (SrRfdb));

  net->n_blocks = nb;
  if (c < 4)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_FORMAT, "%s: rfdn needs at least 4 channels", model->label);
      goto fail;
    }
  if (!sr_model_take_conv (model, &net->head, 1.0, c, 3, 3, 1, 1, error, "head.0"))
    goto fail;
  for (int i = 0; i < nb; i++)
    if (!rfdb_take (model, &net->blocks[i], i, c, error))
      goto fail;
  if (!sr_tail_take (model, &net->tail, c, nb, 3, model->scale, 1.0, error))
    goto fail;
  return net;
fail:
  g_free (net);
  return NULL;
}

/* x *= sigmoid (conv4 (resize (coarse (x)) + conv_f (conv1 (x)))), in place. */
static gboolean
esa_forward (const SrEsa *e, SrTensor *x, SrArena *arena, GError **error)
{
  SrTensor *c1 = sr_conv_new_output (&e->conv1, x, arena, error);
  SrTensor *down = c1 ? sr_conv_new_output (&e->conv2, c1, arena, error) : NULL;
  SrTensor *pooled = NULL, *v, *v2, *up, *cf, *gate;

  if (down)
    pooled = sr_arena_tensor (arena, down->c, (down->h - 7) / 3 + 1, (down->w - 7) / 3 + 1, error);
  if (!pooled ||
      !(v = sr_arena_tensor (arena, pooled->c, pooled->h, pooled->w, error)) ||
      !(v2 = sr_arena_tensor (arena, pooled->c, pooled->h, pooled->w, error)) ||
      !(up = sr_arena_tensor (arena, c1->c, x->h, x->w, error)) ||
      !(cf = sr_arena_tensor (arena, c1->c, x->h, x->w, error)) ||
      !(gate = sr_arena_tensor (arena, x->c, x->h, x->w, error)))
    return FALSE;

  sr_conv2d (&e->conv1, x, c1, NULL, SR_ACT_NONE);
  sr_conv2d (&e->conv2, c1, down, NULL, SR_ACT_NONE);
  sr_max_pool (down, pooled, 7, 3);
  sr_conv2d (&e->conv_max, pooled, v, NULL, SR_ACT_RELU);
  sr_conv2d (&e->conv3, v, v2, NULL, SR_ACT_RELU);
  sr_conv2d (&e->conv3_, v2, v, NULL, SR_ACT_NONE);
  sr_resize_bilinear (v, up);
  sr_conv2d (&e->conv_f, c1, cf, up, SR_ACT_NONE);
  sr_conv2d (&e->conv4, cf, gate, NULL, SR_ACT_SIGMOID);
  sr_mul (x, gate);
  return TRUE;
}

typedef struct
{
  SrTensor *r[2], *distilled;
} SrRfdbScratch;

static gboolean
rfdb_forward (const SrRfdb *b, const SrTensor *x, SrTensor *out, const SrRfdbScratch *s,
              SrArena *arena, GError **error)
{
  const int d = b->c_d[0].cout;
  const SrTensor *r = x;

  for (int j = 0; j < 3; j++)
    {
      SrTensor slot = sr_tensor_slice (s->distilled, j * d, d);
      SrTensor *next = s->r[j % 2];
      sr_conv2d (&b->c_d[j], r, &slot, NULL, SR_ACT_LRELU);
      sr_conv2d (&b->c_r[j], r, next, r, SR_ACT_LRELU);
      r = next;
    }
  {
    SrTensor slot = sr_tensor_slice (s->distilled, 3 * d, d);
    sr_conv2d (&b->c4, r, &slot, NULL, SR_ACT_LRELU);
  }
  sr_conv2d (&b->c5, s->distilled, out, NULL, SR_ACT_NONE);
  return esa_forward (&b->esa, out, arena, error);
}

static SrTensor *
rfdn_forward (const SrModel *model, const SrTensor *input, SrArena *arena, SrRun *run,
              GError **error)
{
  const SrRfdn *net = model->arch_state;
  const int c = model->channels, h = input->h, w = input->w;
  SrTensor *head = sr_arena_tensor (arena, c, h, w, error);
  SrTensor *fused = head ? sr_arena_tensor (arena, c, h, w, error) : NULL;
  SrTensor *pair = fused ? sr_arena_tensor (arena, 2 * c, h, w, error) : NULL, *out;
  SrRfdbScratch s = { { NULL, NULL }, NULL };
  SrTensor x, y;

  if (!pair ||
      !(s.r[0] = sr_arena_tensor (arena, c, h, w, error)) ||
      !(s.r[1] = sr_arena_tensor (arena, c, h, w, error)) ||
      !(s.distilled = sr_arena_tensor (arena, 4 * net->blocks[0].c_d[0].cout, h, w, error)))
    return NULL;

  sr_conv2d (&net->head, input, head, NULL, SR_ACT_NONE);
  x = *head;
  /* Blocks alternate between the two halves of @pair, each completed pair
   * fused in right away. */
  for (int i = 0; i < net->n_blocks; i++)
    {
      y = sr_tensor_slice (pair, (i % 2) * c, c);
      if (!rfdb_forward (&net->blocks[i], &x, &y, &s, arena, error))
        return NULL;
      sr_tail_fuse_step (&net->tail, i, pair, fused);
      if (!sr_run_step (run, error))
        return NULL;
      x = y;
    }
  out = sr_tail_forward (&net->tail, fused, head, NULL, arena, error);
  if (out && !sr_run_step (run, error))
    return NULL;
  return out;
}

/* ESA's pooled branch sees most of a block's input, so RFDN has no useful
 * finite radius; 48 pixels keeps the tiling loss under 0.02 dB
 * (docs/tiling.md). */
static int
rfdn_halo (const SrModel *model)
{
  return 48;
}

/* Head, two block outputs, the fuse sum, block scratch (4 C), tail, and
 * each block's ESA buffers. */
static double
rfdn_floats_per_pixel (const SrModel *model)
{
  int s2 = model->scale * model->scale;
  return 9.0 * model->channels + model->blocks * 1.75 * model->channels + 6.0 * s2 + 3;
}

const SrArch sr_arch_rfdn = {
  .name = "rfdn",
  .prepare = rfdn_prepare,
  .extra_steps = 1,
  .forward = rfdn_forward,
  .size_multiple = 1,
  .min_size = RFDN_MIN_SIZE,
  .halo = rfdn_halo,
  .floats_per_pixel = rfdn_floats_per_pixel,
  .local = FALSE,
};
