/* Throttled GIMP progress; see sr-gimp-progress.h. */
#include <libgimp/gimp.h>

#include "sr-gimp-progress.h"

/* Smallest step worth a round trip to GIMP, and the longest silence
 * before even a small step is sent (keeps the bar alive on slow models). */
#define MIN_STEP      0.005
#define MAX_SILENCE_US (250 * 1000)

void
sr_gimp_progress_start (SrGimpProgress *progress, const char *message)
{
  progress->last_fraction = 0.0;
  progress->last_time = g_get_monotonic_time ();
  gimp_progress_init (message);
}

void
sr_gimp_progress_update (gpointer user_data, double fraction)
{
  SrGimpProgress *progress = user_data;
  gint64          now = g_get_monotonic_time ();

  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fraction - progress->last_fraction < MIN_STEP &&
      !(fraction > progress->last_fraction && now - progress->last_time > MAX_SILENCE_US))
    return;
  progress->last_fraction = fraction;
  progress->last_time = now;
  gimp_progress_update (fraction);
}

void
sr_gimp_progress_end (SrGimpProgress *progress)
{
  gimp_progress_update (1.0);
  gimp_progress_end ();
}
