/* The public entry points: sr_upscale, sr_upscale_to (any size from 1x to
 * 8x) and sr_plan_run, which follows a plan (plan.c): a model at its own
 * scale (resampled to the target by the scheduler), or a same-size model on
 * the input resized first.  Chaining a second model is chain.c's; running
 * the tiles is scheduler.c's. */
#include "upscale-stages.h"
#include "model.h"
#include "scheduler.h"
#include "resample.h"

/* ---- Stages: a job wrapping the caller's ---- */

/* The stages below wrap the caller's job in one of their own; their data
 * starts with the caller's job, and what they do not change passes through. */
static const SrJob *
outer_job (gpointer data)
{
  return *(const SrJob **) data;
}

gboolean
sr_stage_read (gpointer data, int x, int y, int w, int h, float *dst, GError **error)
{
  const SrJob *job = outer_job (data);
  return job->read (job->user_data, x, y, w, h, dst, error);
}

gboolean
sr_stage_write (gpointer data, int x, int y, int w, int h, const float *src, GError **error)
{
  const SrJob *job = outer_job (data);
  return job->write (job->user_data, x, y, w, h, src, error);
}

void
sr_stage_progress (gpointer data, double fraction)
{
  const SrJob *job = outer_job (data);
  job->progress (job->user_data, fraction);
}

gboolean
sr_stage_cancel (gpointer data)
{
  const SrJob *job = outer_job (data);
  return job->cancel (job->user_data);
}

/* A source that is the caller's image resized (cubic) to width x height:
 * feeds same-size restoration models like IMDN_AS. */
typedef struct
{
  const SrJob *job;   /* first: outer_job() */
  int width, height;
} ResizedSource;

static gboolean
resized_read (gpointer data, int x, int y, int w, int h, float *dst, GError **error)
{
  ResizedSource *src = data;
  const SrJob *job = src->job;
  SrResampleAxis ax = { 0 }, ay = { 0 };
  int sx0, sx1, sy0, sy1;
  float *buf = NULL;
  gboolean ok;

  if (!sr_resample_axis_init (&ax, job->width, src->width, x, w, 0, job->width) ||
      !sr_resample_axis_init (&ay, job->height, src->height, y, h, 0, job->height))
    goto nomem;
  sx0 = ax.first[0];
  sx1 = ax.first[w - 1] + ax.taps;
  sy0 = ay.first[0];
  sy1 = ay.first[h - 1] + ay.taps;
  sx1 = MIN (sx1, job->width);
  sy1 = MIN (sy1, job->height);
  buf = g_try_malloc ((gsize) (sx1 - sx0) * (sy1 - sy0) * 3 * sizeof (float));
  if (!buf)
    goto nomem;
  ok = job->read (job->user_data, sx0, sy0, sx1 - sx0, sy1 - sy0, buf, error);
  if (ok && !sr_resample_rgb (buf, sx1 - sx0, sy1 - sy0, sx0, sy0, &ax, &ay, dst))
    goto nomem;
  g_free (buf);
  sr_resample_axis_clear (&ax);
  sr_resample_axis_clear (&ay);
  return ok;

nomem:
  g_free (buf);
  sr_resample_axis_clear (&ax);
  sr_resample_axis_clear (&ay);
  g_set_error (error, SR_ERROR, SR_ERROR_NOMEM, "out of memory resizing the input");
  return FALSE;
}

/* The caller's callbacks are there and the job is the one planned. */
static gboolean
check_job (const SrPlan *plan, const SrJob *job, GError **error)
{
  if (!job->read || !job->write)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "read and write callbacks are required");
      return FALSE;
    }
  if (job->width != plan->width || job->height != plan->height || !job->tta != !plan->tta ||
      !job->unclamped != !plan->unclamped)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "the job (%d x %d) is not the one planned "
                   "(%d x %d, the same TTA and clamping)", job->width, job->height,
                   plan->width, plan->height);
      return FALSE;
    }
  return TRUE;
}

/* Stage @stage of a plan over @job, which reads the stage's input: a
 * same-size model's stage reads the input resized to its own size. */
gboolean
sr_run_stage (const SrPlanStage *stage, const SrJob *job, GError **error)
{
  if (stage->in_w != job->width || stage->in_h != job->height)
    {
      ResizedSource src = { job, stage->in_w, stage->in_h };
      SrJob inner = *job;
      inner.width = stage->in_w;
      inner.height = stage->in_h;
      inner.read = resized_read;
      inner.write = sr_stage_write;
      inner.progress = job->progress ? sr_stage_progress : NULL;
      inner.cancel = job->cancel ? sr_stage_cancel : NULL;
      inner.user_data = &src;
      return sr_run_tiled (stage, &inner, error);
    }
  return sr_run_tiled (stage, job, error);
}

gboolean
sr_plan_run (const SrPlan *plan, const SrJob *job, GError **error)
{
  g_return_val_if_fail (plan && job, FALSE);
  if (!check_job (plan, job, error))
    return FALSE;
  if (plan->route == SR_ROUTE_CHAIN)
    return sr_run_chain (plan, job, error);
  return sr_run_stage (&plan->stages[0], job, error);
}

gboolean
sr_upscale_to (const SrModel *model, const SrJob *job, int target_w, int target_h, GError **error)
{
  return sr_upscale_chain (model, NULL, job, target_w, target_h, error);
}

gboolean
sr_upscale_chain (const SrModel *first, const SrModel *second, const SrJob *job,
                  int target_w, int target_h, GError **error)
{
  SrPlan *plan;
  gboolean ok;

  g_return_val_if_fail (first && job, FALSE);
  plan = sr_plan_new (first, second, job, target_w, target_h, error);
  ok = plan && sr_plan_run (plan, job, error);
  sr_plan_free (plan);
  return ok;
}

gboolean
sr_upscale (const SrModel *model, const SrJob *job, GError **error)
{
  int ow, oh;

  g_return_val_if_fail (model && job, FALSE);
  if (!sr_output_size (model, job->width, job->height, &ow, &oh, error))
    return FALSE;
  return sr_upscale_to (model, job, ow, oh, error);
}
