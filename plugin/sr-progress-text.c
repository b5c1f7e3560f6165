/* Progress text with the time left; see sr-progress-text.h. */
#include "sr-plugin-config.h"

#include <math.h>

#include "sr-plugin-i18n.h"
#include "sr-progress-text.h"

/* "about 35 s left", "about 3 min left", "about 1 h 5 min left". */
static char *
time_left (double seconds)
{
  if (seconds < 60)
    {
      /* Up to the next 5 s, never "0 s" while work remains. */
      int s = MAX (5, (int) ceil (seconds / 5) * 5);
      /* TRANSLATORS: time left of a run, in seconds */
      return s >= 60 ? g_strdup (_("about 1 min left")) : g_strdup_printf (_("about %d s left"), s);
    }
  else
    {
      int minutes = (int) ceil (seconds / 60);

      if (minutes < 60)
        /* TRANSLATORS: time left of a run, in minutes */
        return g_strdup_printf (_("about %d min left"), minutes);
      /* TRANSLATORS: time left of a run, in hours and minutes */
      return g_strdup_printf (_("about %d h %d min left"), minutes / 60, minutes % 60);
    }
}

char *
sr_progress_text (const char *message, double fraction, double elapsed_s)
{
  char *left, *text;

  if (!(fraction > 0) || fraction >= 1 || elapsed_s < SR_PROGRESS_TEXT_AFTER_S)
    return NULL;
  left = time_left (elapsed_s * (1 - fraction) / fraction);
  /* TRANSLATORS: progress text: the run's message, percent done, time left,
   * e.g. "Super-resolution (imdn-x4): 42 % — about 1 min left" */
  text = g_strdup_printf (_("%s: %d %% — %s"), message, (int) floor (fraction * 100), left);
  g_free (left);
  return text;
}
