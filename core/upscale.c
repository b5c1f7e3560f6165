/* The public entry points: sr_upscale, sr_upscale_to (any size from 1x to
 * 8x) and sr_output_size.  A run is checked here, then routed: a model at
 * its own scale (resampled to the target by the scheduler), or a same-size
 * model on the input resized first.  Chaining a second model is chain.c's;
 * running the tiles is scheduler.c's. */
#include "upscale-stages.h"
#include "model.h"
#include "scheduler.h"
#include "resample.h"

gboolean
sr_output_size (const SrModel *model, int width, int height, int *out_width, int *out_height,
                GError **error)
{
  int s = sr_model_output_scale (model);

  if (width < 1 || height < 1 || width > SR_MAX_INPUT_SIDE || height > SR_MAX_INPUT_SIDE)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID,
                   "image size %d x %d is out of range (1 to %d pixels a side)",
                   width, height, SR_MAX_INPUT_SIDE);
      return FALSE;
    }
  if (out_width)
    *out_width = width * s;
  if (out_height)
    *out_height = height * s;
  return TRUE;
}

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

gboolean
sr_check_job (const SrModel *model, const SrJob *job, int target_w, int target_h, GError **error)
{
  if (!job->read || !job->write)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "read and write callbacks are required");
      return FALSE;
    }
  if (job->threads < 0 || job->threads > 256 || job->tile_size < 0 || job->tile_size > SR_MAX_INPUT_SIDE)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID,
                   "threads must be 0..256 and the tile size 0..%d", SR_MAX_INPUT_SIDE);
      return FALSE;
    }
  if (!sr_output_size (model, job->width, job->height, NULL, NULL, error))
    return FALSE;
  if (target_w < job->width || target_h < job->height ||
      target_w > 8 * (gint64) job->width || target_h > 8 * (gint64) job->height ||
      target_w > 8 * SR_MAX_INPUT_SIDE || target_h > 8 * SR_MAX_INPUT_SIDE)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "cannot scale %d x %d to %d x %d: the scale "
                   "must be 1 to 8", job->width, job->height, target_w, target_h);
      return FALSE;
    }
  return TRUE;
}

/* One model: at its own scale, resampled to the target. */
gboolean
sr_upscale_single (const SrModel *model, const SrJob *job, int target_w, int target_h, GError **error)
{
  /* Same-size restoration models run on the input already resized. */
  if (sr_model_output_scale (model) == 1 && (target_w != job->width || target_h != job->height))
    {
      ResizedSource src = { job, target_w, target_h };
      SrJob inner = *job;
      if (target_w > SR_MAX_INPUT_SIDE || target_h > SR_MAX_INPUT_SIDE)
        {
          g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "%d x %d is too large for a same-size "
                       "model (at most %d a side)", target_w, target_h, SR_MAX_INPUT_SIDE);
          return FALSE;
        }
      inner.width = target_w;
      inner.height = target_h;
      inner.read = resized_read;
      inner.write = sr_stage_write;
      inner.progress = job->progress ? sr_stage_progress : NULL;
      inner.cancel = job->cancel ? sr_stage_cancel : NULL;
      inner.user_data = &src;
      return sr_run_tiled (model, &inner, target_w, target_h, error);
    }
  return sr_run_tiled (model, job, target_w, target_h, error);
}

gboolean
sr_upscale_to (const SrModel *model, const SrJob *job, int target_w, int target_h, GError **error)
{
  g_return_val_if_fail (model && job, FALSE);
  return sr_check_job (model, job, target_w, target_h, error) &&
         sr_upscale_single (model, job, target_w, target_h, error);
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
