/* The tile scheduler (scheduler.c): one network over one image, tile by
 * tile, on the caller's thread and a pool of workers. */
#ifndef SR_SCHEDULER_H
#define SR_SCHEDULER_H

#include "sr.h"

/* Runs @model over job->width x job->height at its own scale, its output
 * resampled to target_w x target_h where that differs; every callback on
 * the calling thread.  The job is checked by the caller (upscale.c). */
gboolean sr_run_tiled (const SrModel *model, const SrJob *job, int target_w, int target_h,
                       GError **error);

/* Frees the tile worker pool (made again on the next run); never during a
 * run.  Part of sr_shutdown / sr_cache_trim. */
void     sr_scheduler_shutdown (void);

#endif
