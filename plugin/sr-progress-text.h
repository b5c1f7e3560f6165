/* The progress bar's text on long runs: how far, and how long to go.
 *
 * "Super-resolution (imdn-x4): 42 % — about 1 min left".  The time left is
 * the time so far scaled by what is left (elapsed * (1 - f) / f): the
 * network's tiles cost about the same each, so the rate so far is a fair
 * guess.  Rounded coarsely (5 s under a minute, whole minutes above) so the
 * text does not flicker.  GLib only, shared by both front ends and tested
 * without GIMP. */
#ifndef SR_PROGRESS_TEXT_H
#define SR_PROGRESS_TEXT_H

#include <glib.h>

G_BEGIN_DECLS

/* Runs shorter than this keep the plain message: an estimate after a
 * moment's work would be noise. */
#define SR_PROGRESS_TEXT_AFTER_S 2.0

/* @fraction done (0..1) after @elapsed_s seconds: the text to show, or
 * NULL while the run is too young (or nothing is done yet) to say. */
char *sr_progress_text (const char *message, double fraction, double elapsed_s);

G_END_DECLS

#endif /* SR_PROGRESS_TEXT_H */
