/* sr-progress: the CLI's progress bar -- percent done and time left, on one
 * line of stderr that redraws itself, only when stderr is a terminal (a log
 * file or a pipe gets no carriage-return noise). */
#ifndef SR_PROGRESS_H
#define SR_PROGRESS_H

#include <glib.h>

typedef struct
{
  gboolean enabled;
  gint64   start_us;      /* when the work began */
  gint64   drawn_us;      /* when the line was last drawn; 0: never */
  double   fraction;      /* the furthest fraction seen */
} SrProgressBar;

/* @enabled: draw at all (the caller decides: a terminal and no --quiet). */
void  sr_progress_bar_init   (SrProgressBar *bar, gboolean enabled);

/* An SrProgressFunc: @data is the SrProgressBar.  Redraws at most ten times a
 * second; a fraction lower than one already seen is ignored. */
void  sr_progress_bar_update (gpointer data, double fraction);

/* Ends the line: on success the bar at 100 % with the time taken and a
 * newline, otherwise the line is blanked, so that an error message that
 * follows stands on a line of its own. */
void  sr_progress_bar_finish (SrProgressBar *bar, gboolean success);

/* The line itself, without the carriage return (pure, for the tests and the
 * above): "[#####-----]  50 %  0:12 left".  The time left is only guessed
 * once there is something to guess from (2 % done and half a second spent);
 * until then that field is blank.  Always the same width. */
char *sr_progress_bar_format (double fraction, double elapsed_s);

#endif
