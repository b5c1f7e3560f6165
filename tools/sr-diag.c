/* sr-diag: library messages into the CLI's own (see sr-diag.h for why). */
#define _GNU_SOURCE   /* memfd_create */
#include "sr-diag.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_SAID 2048   /* longest message kept */

static GMutex   lock;
static gboolean active;
static char    *context;
static GString *said;       /* the first message, for the error */
static int      n_more;     /* distinct messages after it */
static char    *last;       /* the previous line, to skip repeats */
static int      saved_stderr = -1, capture_fd = -1;

/* Notes that do not mean the image is damaged: libpng's warnings (an sRGB
 * profile it knows to be off, ...), a JPEG's junk before a marker (common in
 * camera files, the picture is intact) and colour-profile trouble (GEGL then
 * assumes sRGB). */
static gboolean
benign (const char *line)
{
  char *lower = g_ascii_strdown (line, -1);
  gboolean b = g_str_has_prefix (lower, "libpng warning") || strstr (lower, "extraneous bytes") ||
               strstr (lower, "icc") || strstr (lower, "color profile");
  g_free (lower);
  return b;
}

/* Keeps the first message and counts the distinct others: a failing write()
 * is reported once per row, a stream of the same line helps nobody.  Called
 * with the lock held. */
static void
collect (const char *text)
{
  char **lines = g_strsplit (text, "\n", -1);

  for (char **l = lines; *l; l++)
    {
      char *line = g_strstrip (*l);
      /* "gegl:save-png write_fn: Error writing ..." -> "Error writing ..." */
      if (g_str_has_prefix (line, "gegl:") && strstr (line, ": "))
        line = strstr (line, ": ") + 2;
      if (g_str_has_prefix (line, "LIBPNG ERROR: "))
        line += strlen ("LIBPNG ERROR: ");
      if (!*line || benign (line) || g_strcmp0 (line, last) == 0)
        continue;
      g_free (last);
      last = g_strdup (line);
      if (said->len == 0)
        g_string_append_len (said, line, MIN (strlen (line), MAX_SAID));
      else if (strcmp (said->str, line) != 0)
        n_more++;
    }
  g_strfreev (lines);
}

/* The collected messages as one line. */
static char *
summary (void)
{
  if (said->len == 0)
    return g_strdup ("the image library gave up without saying why");
  if (n_more == 0)
    return g_strdup (said->str);
  return g_strdup_printf ("%s (and %d more message%s)", said->str, n_more, n_more > 1 ? "s" : "");
}

static void
route (const char *domain, GLogLevelFlags level, const char *message)
{
  gboolean serious = level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  g_mutex_lock (&lock);
  if (active)
    {
      if (serious)
        collect (message);
      g_mutex_unlock (&lock);
      return;
    }
  g_mutex_unlock (&lock);
  if (!(level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE)))
    return;
  /* GEGL's and babl's own chatter (buffer leak reports at exit, swap notes)
   * says nothing a user of this tool can act on. */
  if (domain && (g_str_has_prefix (domain, "GEGL") || g_str_has_prefix (domain, "babl")) &&
      !g_getenv ("SR_DEBUG"))
    return;
  fprintf (stderr, "sr-upscale: %s%s\n", serious ? "warning: " : "", message);
}

static void
log_handler (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  route (domain, level, message);
}

/* Structured logging (g_log_structured, GLib itself) bypasses the handler above. */
static GLogWriterOutput
log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  const char *domain = NULL, *message = NULL;
  for (gsize i = 0; i < n_fields; i++)
    {
      if (strcmp (fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0)
        domain = fields[i].value;
      else if (strcmp (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
        message = fields[i].value;
    }
  if (message)
    route (domain, level, message);
  return G_LOG_WRITER_HANDLED;
}

static void
printerr_handler (const char *text)
{
  g_mutex_lock (&lock);
  if (active)
    collect (text);
  else
    fputs (text, stderr);
  g_mutex_unlock (&lock);
}

/* What the libraries wrote straight to file descriptor 2 meanwhile. */
static void
drain_capture (void)
{
  char buf[4096];
  ssize_t n;

  fflush (stderr);
  if (saved_stderr >= 0)
    {
      dup2 (saved_stderr, STDERR_FILENO);
      close (saved_stderr);
      saved_stderr = -1;
    }
  if (capture_fd < 0)
    return;
  n = pread (capture_fd, buf, sizeof buf - 1, 0);
  if (n > 0)
    {
      buf[n] = 0;
      collect (buf);
    }
  close (capture_fd);
  capture_fd = -1;
}

/* libjpeg's standard error manager ends a fatal decode or encode error with
 * exit (1) from inside GEGL: say what happened in our words on the way out. */
static void
at_exit (void)
{
  if (!active)
    return;
  drain_capture ();
  fprintf (stderr, "sr-upscale: %s: %s\n", context, summary ());
}

void
sr_diag_init (void)
{
  said = g_string_new (NULL);
  g_log_set_default_handler (log_handler, NULL);
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_set_printerr_handler (printerr_handler);
  atexit (at_exit);
}

void
sr_diag_begin (const char *what)
{
  fflush (stderr);
  g_mutex_lock (&lock);
  g_free (context);
  context = g_strdup (what);
  g_string_truncate (said, 0);
  n_more = 0;
  g_clear_pointer (&last, g_free);
  capture_fd = memfd_create ("sr-upscale-stderr", MFD_CLOEXEC);
  if (capture_fd >= 0)
    {
      saved_stderr = fcntl (STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
      if (saved_stderr < 0 || dup2 (capture_fd, STDERR_FILENO) < 0)
        {
          /* Cannot redirect: collect what goes through GLib only. */
          if (saved_stderr >= 0)
            close (saved_stderr);
          saved_stderr = -1;
          close (capture_fd);
          capture_fd = -1;
        }
    }
  active = TRUE;
  g_mutex_unlock (&lock);
}

gboolean
sr_diag_end (GError **error)
{
  gboolean ok;

  g_mutex_lock (&lock);
  drain_capture ();
  active = FALSE;
  ok = said->len == 0;
  if (!ok)
    {
      char *text = summary ();
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", context, text);
      g_free (text);
    }
  g_mutex_unlock (&lock);
  return ok;
}
