/* sr-safe-save: an output file appears complete or not at all.
 *
 * The encoder writes into a private folder created next to the target
 * (".NAME.sr-upscale-XXXXXX/NAME", same file system, so the last step is one
 * rename); the caller's encode function checks its own errors and the
 * written file; then the file is flushed to disk and renamed over the
 * target.  On any failure, on SIGINT/SIGTERM/SIGHUP, and when a library calls
 * exit() midway, the private folder is removed and the target is untouched.
 *
 * The target itself must be absent or a regular file.  A symbolic link at
 * the output path is refused: writing through it would change a file
 * elsewhere (the classic trap in a shared folder), and replacing it would
 * silently turn the user's link into a file; either surprises someone.  The
 * message says to give the real path.  A replaced file keeps its permission
 * bits (and owner, where allowed); other hard links to it keep the old
 * contents. */
#ifndef SR_SAFE_SAVE_H
#define SR_SAFE_SAVE_H

#include <glib.h>

/* Blocks the termination signals in every thread and starts the one thread
 * that waits for them.  Call first in main, before any other thread exists
 * (threads inherit the mask). */
void     sr_safe_save_init (void);

/* Also remove, if a signal ends the run, the files in @dir whose names start
 * with @prefix (GEGL's swap files of this process, which can be gigabytes;
 * GEGL itself only sweeps them at the next GEGL program's start). */
void     sr_safe_save_also_remove (const char *dir, const char *prefix);

/* Cheap early check, before any heavy work: FALSE with @error if @path is a
 * symbolic link, a folder or another non-regular file, or its folder is
 * missing or not writable. */
gboolean sr_safe_save_check_target (const char *path, GError **error);

/* Writes the file at @tmp_path; returns FALSE with @error on any problem. */
typedef gboolean (*SrEncodeFunc) (const char *tmp_path, gpointer data, GError **error);

/* Runs @encode into a temporary file beside @path, then flushes it to disk
 * and renames it over @path.  FALSE with @error (and nothing changed at
 * @path) on failure. */
gboolean sr_safe_save (const char *path, SrEncodeFunc encode, gpointer data, GError **error);

#endif
