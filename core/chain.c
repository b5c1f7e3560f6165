/* sr_upscale_chain: a second, x2 model over the first model's output, for
 * targets above the first model's scale (x8 from a x4 model).  The caller
 * chooses and loads both models; nothing here reads the catalogue. */
#include "upscale-stages.h"
#include "model.h"

#include <string.h>

/* Largest intermediate image (floats) of a chained run, e.g. a x4 model's
 * output that a x2 model takes to x8: 1 GiB is a 9400 x 9400 intermediate
 * (a ~2300 x 2300 input at x4).  Larger runs resample the first model's
 * output instead. */
#define CHAIN_BUDGET_BYTES ((gint64) 1 << 30)

/* The first stage's whole output as floats (RGB interleaved), which the
 * second stage reads its tiles from; each stage reports its share of the
 * progress. */
typedef struct
{
  const SrJob *job;          /* the caller's; first (upscale-stages.h) */
  float       *image;
  int          width;        /* of the image, in pixels */
  double       from, span;   /* the running stage's part of the progress */
} Chain;

static gboolean
chain_store (gpointer data, int x, int y, int w, int h, const float *src, GError **error)
{
  Chain *c = data;
  for (int r = 0; r < h; r++)
    memcpy (c->image + ((gsize) (y + r) * c->width + x) * 3, src + (gsize) r * w * 3,
            (gsize) w * 3 * sizeof (float));
  return TRUE;
}

static gboolean
chain_load (gpointer data, int x, int y, int w, int h, float *dst, GError **error)
{
  Chain *c = data;
  for (int r = 0; r < h; r++)
    memcpy (dst + (gsize) r * w * 3, c->image + ((gsize) (y + r) * c->width + x) * 3,
            (gsize) w * 3 * sizeof (float));
  return TRUE;
}

static void
chain_progress (gpointer data, double fraction)
{
  Chain *c = data;
  c->job->progress (c->job->user_data, c->from + c->span * fraction);
}

/* @first at its own scale into memory, then @second on that, resampled to
 * the target.  FALSE without @error set if the intermediate image does not
 * fit CHAIN_BUDGET_BYTES: the caller then resamples @first's output. */
static gboolean
upscale_chained (const SrModel *first, const SrModel *second, const SrJob *job,
                 int target_w, int target_h, gboolean *tried, GError **error)
{
  const int s1 = sr_model_output_scale (first), s2 = sr_model_output_scale (second);
  const gint64 mid_w = (gint64) job->width * s1, mid_h = (gint64) job->height * s1;
  const double work1 = first->macs_per_pixel, work2 = second->macs_per_pixel * s1 * s1;
  Chain chain = { job, NULL, (int) mid_w, 0.0, 1.0 };
  SrJob stage = *job;
  gboolean ok;

  *tried = FALSE;
  if (mid_w * mid_h * 3 * (gint64) sizeof (float) > CHAIN_BUDGET_BYTES ||
      mid_w > SR_MAX_INPUT_SIDE || mid_h > SR_MAX_INPUT_SIDE ||
      target_w > mid_w * s2 || target_h > mid_h * s2 ||
      !(chain.image = g_try_malloc ((gsize) mid_w * mid_h * 3 * sizeof (float))))
    return FALSE;
  *tried = TRUE;

  stage.user_data = &chain;
  stage.progress = job->progress ? chain_progress : NULL;
  stage.cancel = job->cancel ? sr_stage_cancel : NULL;
  stage.read = sr_stage_read;
  stage.write = chain_store;
  chain.span = work1 + work2 > 0 ? work1 / (work1 + work2) : 0.5;
  ok = sr_upscale_single (first, &stage, (int) mid_w, (int) mid_h, error);
  if (ok)
    {
      stage.width = (int) mid_w;
      stage.height = (int) mid_h;
      stage.read = chain_load;
      stage.write = sr_stage_write;
      chain.from = chain.span;
      chain.span = 1.0 - chain.from;
      ok = sr_check_job (second, &stage, target_w, target_h, error) &&
           sr_upscale_single (second, &stage, target_w, target_h, error);
    }
  g_free (chain.image);
  return ok;
}


gboolean
sr_upscale_chain (const SrModel *first, const SrModel *second, const SrJob *job,
                  int target_w, int target_h, GError **error)
{
  const int s1 = first ? sr_model_output_scale (first) : 0;

  g_return_val_if_fail (first && job, FALSE);
  if (!sr_check_job (first, job, target_w, target_h, error))
    return FALSE;
  if (second && sr_model_output_scale (second) != 2)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "the second model of a chain must be a x2 "
                   "model, not x%d (%s)", sr_model_output_scale (second),
                   sr_model_get_architecture (second));
      return FALSE;
    }

  /* Larger than the first model makes on both axes: the x2 model goes over
   * its output instead of a cubic.  The x2 models learnt to undo a bicubic
   * downscale, not a x4 model's softness, which is why this is not the
   * default (sr.h). */
  if (second && s1 >= 2 &&
      target_w > (gint64) job->width * s1 && target_h > (gint64) job->height * s1)
    {
      gboolean tried = FALSE;
      gboolean ok = upscale_chained (first, second, job, target_w, target_h, &tried, error);
      if (tried)
        return ok;
    }
  return sr_upscale_single (first, job, target_w, target_h, error);
}
