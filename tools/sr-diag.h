/* sr-diag: turns what GLib, GEGL and the image libraries say into the CLI's
 * own messages.
 *
 * GEGL's loaders and savers report problems in four ways: g_warning (most),
 * g_printerr (png-load, png-save: write errors, libpng errors), g_message
 * (libtiff warnings) and, from libjpeg's standard error manager, raw
 * fprintf (stderr) -- or even exit (1).  None reaches the caller as an error.
 * While a decode or encode runs, sr_diag_begin/end collect all of them (the
 * stderr file descriptor included); anything that says something went wrong
 * becomes a GError with one readable line.  Outside those windows GEGL's own
 * chatter is dropped (SR_DEBUG=1 shows it) and other warnings are printed as
 * "sr-upscale: warning: ...". */
#ifndef SR_DIAG_H
#define SR_DIAG_H

#include <glib.h>

/* Installs the handlers; call once, early in main. */
void     sr_diag_init  (void);

/* Starts collecting.  @context begins the error message, e.g.
 * "in.jpg: cannot decode the image". */
void     sr_diag_begin (const char *context);

/* Stops collecting.  FALSE with @error ("context: what the library said")
 * if a warning, a critical or an error was reported meanwhile; benign
 * notes (libpng warnings, a JPEG's extraneous bytes, ICC profile trouble,
 * libtiff's unknown tags) do not count. */
gboolean sr_diag_end   (GError **error);

#endif
