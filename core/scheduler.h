/* The tile scheduler (scheduler.c): one network over one image, tile by
 * tile, on the caller's thread and workers from the core's pool
 * (parallel.h). */
#ifndef SR_SCHEDULER_H
#define SR_SCHEDULER_H

#include "plan.h"

/* Runs one stage of a plan (plan.h) over @job, whose width and height are
 * the stage's input; every callback on the calling thread (read and write
 * on the workers for a job with rw_on_workers).  The job is checked by the
 * caller (upscale.c). */
gboolean sr_run_tiled (const SrPlanStage *stage, const SrJob *job, GError **error);

#endif
