/* The tile scheduler (scheduler.c): one network over one image, tile by
 * tile, on the caller's thread and a pool of workers. */
#ifndef SR_SCHEDULER_H
#define SR_SCHEDULER_H

#include "plan.h"

/* Runs one stage of a plan (plan.h) over @job, whose width and height are
 * the stage's input; every callback on the calling thread.  The job is
 * checked by the caller (upscale.c). */
gboolean sr_run_tiled (const SrPlanStage *stage, const SrJob *job, GError **error);

/* Frees the tile worker pool (made again on the next run); never during a
 * run.  Part of sr_shutdown / sr_cache_trim. */
void     sr_scheduler_shutdown (void);

#endif
