/* Internal to core/: what upscale.c (any scale) and chain.c (two models)
 * share.  A stage wraps the caller's job in one of its own whose user_data
 * starts with a pointer to the caller's job; the sr_stage_* callbacks pass
 * what the stage does not change through to it. */
#ifndef SR_UPSCALE_STAGES_H
#define SR_UPSCALE_STAGES_H

#include "plan.h"

gboolean sr_stage_read     (gpointer data, int x, int y, int w, int h, float *dst, GError **error);
gboolean sr_stage_write    (gpointer data, int x, int y, int w, int h, const float *src,
                            GError **error);
void     sr_stage_progress (gpointer data, double fraction);
gboolean sr_stage_cancel   (gpointer data);

/* Stage @stage of a plan over @job (its input): a same-size model's
 * stage reads @job's image resized to the stage's input size. */
gboolean sr_run_stage      (const SrPlanStage *stage, const SrJob *job, GError **error);
/* Runs a SR_ROUTE_CHAIN plan (chain.c). */
gboolean sr_run_chain      (const SrPlan *plan, const SrJob *job, GError **error);

#endif
