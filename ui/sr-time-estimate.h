/* How long a run will take: multiply-adds divided by a throughput that
 * starts as a guess and is replaced by what the preview measured. */
#ifndef SR_TIME_ESTIMATE_H
#define SR_TIME_ESTIMATE_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double macs_per_second_per_thread;
  gboolean measured;   /* FALSE: still the built-in guess */
} SrTimeEstimate;

void   sr_time_estimate_init      (SrTimeEstimate *estimate);
/* A finished run of @input_pixels with @threads threads took @seconds. */
void   sr_time_estimate_calibrate (SrTimeEstimate *estimate, double macs_per_pixel,
                                   int input_pixels, int threads, double seconds);
/* @threads 0 means all cores, as in the parameters. */
double sr_time_estimate_seconds   (const SrTimeEstimate *estimate, double macs_per_pixel,
                                   gint64 input_pixels, int threads);

G_END_DECLS

#endif /* SR_TIME_ESTIMATE_H */
