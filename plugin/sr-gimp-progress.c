/* Throttled GIMP progress; see sr-gimp-progress.h. */
#include <libgimp/gimp.h>

#include "sr-gimp-progress.h"
#include "sr-progress-text.h"

/* Smallest step worth a round trip to GIMP, and the longest silence
 * before even a small step is sent (keeps the bar alive on slow models). */
#define MIN_STEP      0.005
#define MAX_SILENCE_US (250 * 1000)
/* The text (percent, time left) changes at most this often. */
#define TEXT_EVERY_US  (1000 * 1000)

void
sr_gimp_progress_start (SrGimpProgress *progress, const char *message)
{
  progress->last_fraction = 0.0;
  progress->start_time = progress->last_time = g_get_monotonic_time ();
  progress->last_text_time = 0;
  progress->message = g_strdup (message);
  progress->last_text = NULL;
  gimp_progress_init (message);
}

/* Percent and time left into the text, on long runs only. */
static void
update_text (SrGimpProgress *progress, double fraction, gint64 now)
{
  char *text;

  if (now - progress->last_text_time < TEXT_EVERY_US)
    return;
  text = sr_progress_text (progress->message, fraction,
                           (now - progress->start_time) / 1e6);
  if (text && g_strcmp0 (text, progress->last_text) != 0)
    {
      gimp_progress_set_text (text);
      progress->last_text_time = now;
      g_free (progress->last_text);
      progress->last_text = text;
    }
  else
    g_free (text);
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
  update_text (progress, fraction, now);
}

void
sr_gimp_progress_end (SrGimpProgress *progress)
{
  gimp_progress_update (1.0);
  gimp_progress_end ();
  g_clear_pointer (&progress->message, g_free);
  g_clear_pointer (&progress->last_text, g_free);
}
