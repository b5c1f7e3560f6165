/* sr-progress: see sr-progress.h. */
#include "sr-progress.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define BAR_CELLS      30
#define REDRAW_US      100000   /* ten redraws a second read as smooth */
#define GUESS_FRACTION 0.02     /* before this, a time left is mostly noise */
#define GUESS_SECONDS  0.5

/* "1:05", "1:02:05": minutes and seconds, hours only when there are some. */
static void
format_duration (char *out, gsize size, double seconds)
{
  long s = lround (seconds);

  if (s >= 3600)
    g_snprintf (out, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    g_snprintf (out, size, "%ld:%02ld", s / 60, s % 60);
}

char *
sr_progress_bar_format (double fraction, double elapsed_s)
{
  char bar[BAR_CELLS + 1], left[32] = "", t[24];
  int  filled;

  fraction = CLAMP (fraction, 0.0, 1.0);
  filled = (int) floor (fraction * BAR_CELLS);
  for (int i = 0; i < BAR_CELLS; i++)
    bar[i] = i < filled ? '#' : '-';
  bar[BAR_CELLS] = '\0';
  if (fraction >= GUESS_FRACTION && fraction < 1.0 && elapsed_s >= GUESS_SECONDS)
    {
      format_duration (t, sizeof t, elapsed_s * (1.0 - fraction) / fraction);
      g_snprintf (left, sizeof left, "%s left", t);
    }
  /* Fixed widths: a shorter line would leave the tail of a longer one. */
  return g_strdup_printf ("[%s] %3d %%  %-14s", bar, (int) floor (fraction * 100.0), left);
}

void
sr_progress_bar_init (SrProgressBar *bar, gboolean enabled)
{
  bar->enabled = enabled;
  bar->start_us = g_get_monotonic_time ();
  bar->drawn_us = 0;
  bar->fraction = 0.0;
}

static void
draw (SrProgressBar *bar, gint64 now, const char *tail)
{
  char *line = sr_progress_bar_format (bar->fraction, (now - bar->start_us) / 1e6);

  fprintf (stderr, "\r%s%s", line, tail);
  fflush (stderr);
  g_free (line);
  bar->drawn_us = now;
}

void
sr_progress_bar_update (gpointer data, double fraction)
{
  SrProgressBar *bar = data;
  gint64 now;

  if (!bar->enabled || !(fraction > bar->fraction))
    return;
  bar->fraction = MIN (fraction, 1.0);
  now = g_get_monotonic_time ();
  if (bar->drawn_us == 0 || now - bar->drawn_us >= REDRAW_US)
    draw (bar, now, "");
}

void
sr_progress_bar_finish (SrProgressBar *bar, gboolean success)
{
  gint64 now = g_get_monotonic_time ();
  char   took[24], *line;

  if (!bar->enabled)
    return;
  if (success)
    {
      bar->fraction = 1.0;
      format_duration (took, sizeof took, (now - bar->start_us) / 1e6);
      line = g_strdup_printf ("  (%s)\n", took);
      draw (bar, now, line);
      g_free (line);
    }
  else if (bar->drawn_us)
    {
      /* Blank the drawn line (no terminal escapes: TERM=dumb has none). */
      line = sr_progress_bar_format (0, 0);
      fprintf (stderr, "\r%*s\r", (int) strlen (line), "");
      fflush (stderr);
      g_free (line);
    }
  bar->enabled = FALSE;
}
