/* GIMP's progress bar fed from the core's progress callback.
 *
 * Every gimp_progress_update() is a round trip to GIMP, and the core may
 * report very often, so updates are thinned out to visible steps.  On long
 * runs the text also shows the percentage and the time left, sent at most
 * once a second and only when it changed.  Everything runs on the calling
 * thread (the core's callbacks do), as libgimp's wire requires.
 *
 * Cancelling: in GIMP 2.10 the Cancel button of a plug-in's progress does not
 * ask the plug-in anything -- GIMP ends the plug-in process
 * (gimp_plug_in_progress_cancel_callback -> gimp_plug_in_close).  So there is
 * no flag to poll; instead the plug-in changes the image only after the
 * network has finished (see sr-plugin.c), and ends the progress before doing
 * so, which makes a cancel at any moment leave the image untouched. */
#ifndef SR_GIMP_PROGRESS_H
#define SR_GIMP_PROGRESS_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double last_fraction;
  gint64 last_time;
  gint64 start_time;       /* for the time left (sr-progress-text.h) */
  gint64 last_text_time;   /* when the text last went to GIMP */
  char  *message;          /* the text without percent and time left */
  char  *last_text;
} SrGimpProgress;

void sr_gimp_progress_start  (SrGimpProgress *progress, const char *message);
/* An SrProgressFunc: @user_data is the SrGimpProgress. */
void sr_gimp_progress_update (gpointer user_data, double fraction);
void sr_gimp_progress_end    (SrGimpProgress *progress);

G_END_DECLS

#endif /* SR_GIMP_PROGRESS_H */
