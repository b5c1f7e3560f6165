/* How long a run will take: the multiply-adds of its plan (sr_plan_new,
 * the same value the run follows) divided by a throughput that starts as a
 * guess and is replaced by what the preview measured. */
#ifndef SR_TIME_ESTIMATE_H
#define SR_TIME_ESTIMATE_H

#include <glib.h>

#include "sr.h"

G_BEGIN_DECLS

typedef struct
{
  double macs_per_second_per_thread;
  gboolean measured;   /* FALSE: still the built-in guess */
} SrTimeEstimate;

/* Test-time augmentation runs the network this many times. */
#define SR_TTA_RUNS 8

void   sr_time_estimate_init      (SrTimeEstimate *estimate);
/* The pixels a network of @model_scale runs on (times the TTA runs) to turn
 * in_w x in_h into out_w x out_h: the input, or for a same-size model
 * (scale 1) the input resized to the output size.  For calibrating from a
 * finished preview; an estimate takes its work from the plan. */
gint64 sr_time_estimate_work_pixels (int model_scale, int in_w, int in_h, int out_w, int out_h,
                                     gboolean tta);
/* A finished run of @input_pixels with @threads threads took @seconds. */
void   sr_time_estimate_calibrate (SrTimeEstimate *estimate, double macs_per_pixel,
                                   int input_pixels, int threads, double seconds);
/* The run @plan describes: its multiply-adds (every stage, TTA included)
 * on the plan's threads. */
double sr_time_estimate_plan_seconds (const SrTimeEstimate *estimate, const SrPlan *plan);

G_END_DECLS

#endif /* SR_TIME_ESTIMATE_H */
