/* Run-time estimates; see sr-time-estimate.h. */
#include "sr-time-estimate.h"

/* A deliberately modest guess for one core running float convolutions;
 * the first preview replaces it with a measurement. */
#define GUESS_MACS_PER_SECOND_PER_THREAD 1e9

/* More threads than cores do not run faster. */
static int
effective_threads (int threads)
{
  int cores = (int) g_get_num_processors ();
  return threads > 0 ? MIN (threads, cores) : cores;
}

void
sr_time_estimate_init (SrTimeEstimate *estimate)
{
  estimate->macs_per_second_per_thread = GUESS_MACS_PER_SECOND_PER_THREAD;
  estimate->measured = FALSE;
}

gint64
sr_time_estimate_work_pixels (int model_scale, int in_w, int in_h, int out_w, int out_h,
                              gboolean tta)
{
  gint64 pixels = model_scale == 1 ? (gint64) out_w * out_h : (gint64) in_w * in_h;
  return pixels * (tta ? SR_TTA_RUNS : 1);
}

void
sr_time_estimate_calibrate (SrTimeEstimate *estimate, double macs_per_pixel,
                            int input_pixels, int threads, double seconds)
{
  /* Runs that short say more about start-up costs than throughput. */
  if (seconds < 0.02 || macs_per_pixel <= 0 || input_pixels <= 0)
    return;
  estimate->macs_per_second_per_thread =
    macs_per_pixel * input_pixels / seconds / effective_threads (threads);
  estimate->measured = TRUE;
}

double
sr_time_estimate_plan_seconds (const SrTimeEstimate *estimate, const SrPlan *plan)
{
  return sr_plan_get_macs (plan) /
         (estimate->macs_per_second_per_thread * effective_threads (sr_plan_get_threads (plan)));
}
