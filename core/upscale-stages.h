/* Internal to core/: what upscale.c (any scale) and chain.c (two models)
 * share.  A stage wraps the caller's job in one of its own whose user_data
 * starts with a pointer to the caller's job; the sr_stage_* callbacks pass
 * what the stage does not change through to it. */
#ifndef SR_UPSCALE_STAGES_H
#define SR_UPSCALE_STAGES_H

#include "sr.h"

gboolean sr_stage_read     (gpointer data, int x, int y, int w, int h, float *dst, GError **error);
gboolean sr_stage_write    (gpointer data, int x, int y, int w, int h, const float *src,
                            GError **error);
void     sr_stage_progress (gpointer data, double fraction);
gboolean sr_stage_cancel   (gpointer data);

/* The caller's job and target are in range for @model (callbacks present,
 * sizes, threads, tile size, a scale of 1 to 8). */
gboolean sr_check_job      (const SrModel *model, const SrJob *job, int target_w, int target_h,
                            GError **error);
/* One model to target_w x target_h: at its own scale, resampled; a
 * same-size model on the input resized first. */
gboolean sr_upscale_single (const SrModel *model, const SrJob *job, int target_w, int target_h,
                            GError **error);

#endif
