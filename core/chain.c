/* A chained run (SR_ROUTE_CHAIN): a second, x2 model over the first
 * model's output, for targets above the first model's scale (x8 from a x4
 * model).  The caller chooses and loads both models; nothing here reads the
 * catalogue.  Whether a run chains is the plan's decision (plan.c). */
#include "upscale-stages.h"
#include "model.h"

#include <string.h>

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

/* Without memory for the intermediate image the first model's output is
 * resampled instead, as for a chain over the budget (plan.c). */
static gboolean
run_unchained (const SrPlan *plan, const SrJob *job, GError **error)
{
  SrPlan *single = sr_plan_new (plan->stages[0].model, NULL, job, plan->target_w,
                                plan->target_h, error);
  gboolean ok = single && sr_plan_run (single, job, error);

  sr_plan_free (single);
  return ok;
}

/* The first stage at its own scale into memory, then the second on that,
 * resampled to the target. */
gboolean
sr_run_chain (const SrPlan *plan, const SrJob *job, GError **error)
{
  const SrPlanStage *first = &plan->stages[0], *second = &plan->stages[1];
  Chain chain = { job, NULL, second->in_w, 0.0, plan->first_share };
  SrJob stage = *job;
  gboolean ok;

  chain.image = g_try_malloc ((gsize) second->in_w * second->in_h * 3 * sizeof (float));
  if (!chain.image)
    return run_unchained (plan, job, error);

  stage.user_data = &chain;
  stage.progress = job->progress ? chain_progress : NULL;
  stage.cancel = job->cancel ? sr_stage_cancel : NULL;
  stage.read = sr_stage_read;
  stage.write = chain_store;
  ok = sr_run_stage (first, &stage, error);
  if (ok)
    {
      stage.width = second->in_w;
      stage.height = second->in_h;
      stage.read = chain_load;
      stage.write = sr_stage_write;
      chain.from = chain.span;
      chain.span = 1.0 - chain.from;
      ok = sr_run_stage (second, &stage, error);
    }
  g_free (chain.image);
  return ok;
}
