/* sr-safe-save: temporary file, checks, fsync, rename (see sr-safe-save.h).
 *
 * Signals: rather than an asynchronous handler (which could run on any
 * thread, in the middle of anything, and may only call async-signal-safe
 * functions), the termination signals are blocked in every thread and one
 * thread takes them with sigwait().  It runs as ordinary code: it takes the
 * same lock the saving thread holds while it creates the temporary folder and
 * while it renames the result, so a signal can never fall between "renamed"
 * and "forgotten", removes the temporary folder, and then lets the signal
 * kill the process the default way (exit status 128+N, as shells expect).
 * A SIGKILL or a power cut can still leave a ".NAME.sr-upscale-XXXXXX"
 * folder behind -- never a partial file at NAME. */
#include "sr-safe-save.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const int term_signals[] = { SIGINT, SIGTERM, SIGHUP };

static GMutex lock;
static char  *armed_dir;    /* the private temporary folder, while it exists */
static char  *armed_file;   /* the file the encoder writes inside it */
static char  *extra_dir, *extra_prefix;   /* sr_safe_save_also_remove */

static void
term_set (sigset_t *set)
{
  sigemptyset (set);
  for (guint i = 0; i < G_N_ELEMENTS (term_signals); i++)
    sigaddset (set, term_signals[i]);
}

/* Removes the temporary folder and everything in it (the encoder's file and
 * anything its library may have put beside it).  Lock held. */
static void
remove_armed_locked (void)
{
  if (armed_file)
    unlink (armed_file);
  if (armed_dir)
    {
      DIR *d = opendir (armed_dir);
      if (d)
        {
          struct dirent *e;
          while ((e = readdir (d)))
            if (strcmp (e->d_name, ".") != 0 && strcmp (e->d_name, "..") != 0)
              unlinkat (dirfd (d), e->d_name, 0);
          closedir (d);
        }
      rmdir (armed_dir);
    }
  g_clear_pointer (&armed_file, g_free);
  g_clear_pointer (&armed_dir, g_free);
}

/* Lock held. */
static void
remove_extra_locked (void)
{
  DIR *d = extra_dir ? opendir (extra_dir) : NULL;
  struct dirent *e;

  if (!d)
    return;
  while ((e = readdir (d)))
    if (g_str_has_prefix (e->d_name, extra_prefix))
      unlinkat (dirfd (d), e->d_name, 0);
  closedir (d);
}

void
sr_safe_save_also_remove (const char *dir, const char *prefix)
{
  g_mutex_lock (&lock);
  g_free (extra_dir);
  g_free (extra_prefix);
  extra_dir = g_strdup (dir);
  extra_prefix = g_strdup (prefix);
  g_mutex_unlock (&lock);
}

static gpointer
signal_thread (gpointer data)
{
  sigset_t set;

  term_set (&set);
  for (;;)
    {
      sigset_t one;
      int sig;

      if (sigwait (&set, &sig) != 0)
        continue;
      /* Waits out a rename in progress; holds the lock until the end so no
       * new temporary file can start. */
      g_mutex_lock (&lock);
      remove_armed_locked ();
      remove_extra_locked ();
      signal (sig, SIG_DFL);
      sigemptyset (&one);
      sigaddset (&one, sig);
      pthread_sigmask (SIG_UNBLOCK, &one, NULL);
      raise (sig);
      _exit (128 + sig);   /* not reached */
    }
  return NULL;
}

/* A library that calls exit() midway (libjpeg's standard error manager does)
 * must not leave the temporary folder behind either. */
static void
at_exit (void)
{
  g_mutex_lock (&lock);
  remove_armed_locked ();
  g_mutex_unlock (&lock);
}

void
sr_safe_save_init (void)
{
  sigset_t set;

  term_set (&set);
  pthread_sigmask (SIG_BLOCK, &set, NULL);
  g_thread_unref (g_thread_new ("sr-signals", signal_thread, NULL));
  atexit (at_exit);
}

static gboolean
errno_error (GError **error, int e, const char *fmt, const char *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), fmt, path, g_strerror (e));
  return FALSE;
}

/* @st: what lstat said about @path (a file exists there). */
static gboolean
check_existing (const char *path, const struct stat *st, GError **error)
{
  if (S_ISLNK (st->st_mode))
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s is a symbolic link; sr-upscale neither "
                 "writes through links nor replaces them: give the real path, or remove the link", path);
  else if (S_ISDIR (st->st_mode))
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR, "%s is a folder, not an output file name", path);
  else if (!S_ISREG (st->st_mode))
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s exists and is not a regular file; "
                 "refusing to replace it", path);
  /* A rename would replace a write-protected file as easily as any other;
   * the protection is the owner's "keep this", as cp and GIO honour it. */
  else if (access (path, W_OK) != 0)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ACCES, "%s is write-protected; not replacing it",
                 path);
  else
    return TRUE;
  return FALSE;
}

gboolean
sr_safe_save_check_target (const char *path, GError **error)
{
  struct stat st;
  char *dir;
  gboolean ok = TRUE;

  if (lstat (path, &st) == 0)
    {
      if (!check_existing (path, &st, error))
        return FALSE;
    }
  else if (errno != ENOENT)
    return errno_error (error, errno, "%s: %s", path);
  dir = g_path_get_dirname (path);
  if (stat (dir, &st) != 0)
    ok = errno_error (error, errno, "output folder %s: %s", dir);
  else if (!S_ISDIR (st.st_mode))
    ok = errno_error (error, ENOTDIR, "output folder %s: %s", dir);
  else if (access (dir, W_OK | X_OK) != 0)
    ok = errno_error (error, errno, "cannot write into the output folder %s: %s", dir);
  g_free (dir);
  return ok;
}

/* Flushes the finished file to disk, with the owner and mode of the file it
 * replaces. */
static gboolean
flush_file (const char *tmp, const char *path, const struct stat *old, GError **error)
{
  int fd = open (tmp, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  gboolean ok = TRUE;

  if (fd < 0)
    return errno_error (error, errno, "%s: cannot reopen the written file: %s", path);
  /* Owner first, then the mode, which chown may have cleared.  Only root may
   * give a file away; otherwise the new file simply stays ours. */
  if (old && fchown (fd, old->st_uid, old->st_gid) != 0)
    {
    }
  if (old && fchmod (fd, old->st_mode & 07777) != 0)
    ok = errno_error (error, errno, "%s: cannot set permissions: %s", path);
  /* EINVAL: a file system without fsync (some FUSE ones); the data still went
   * through write() without error. */
  if (ok && fsync (fd) != 0 && errno != EINVAL && errno != ENOTSUP)
    ok = errno_error (error, errno, "%s: writing to disk failed: %s", path);
  if (close (fd) != 0 && ok)
    ok = errno_error (error, errno, "%s: writing to disk failed: %s", path);
  return ok;
}

gboolean
sr_safe_save (const char *path, SrEncodeFunc encode, gpointer data, GError **error)
{
  char *dir = g_path_get_dirname (path), *base = g_path_get_basename (path), *tmpl;
  struct stat old;
  gboolean had_old, ok;
  int dfd;

  /* Again, just before writing: the path may have changed during the run. */
  had_old = lstat (path, &old) == 0;
  if (had_old && !check_existing (path, &old, error))
    {
      g_free (dir);
      g_free (base);
      return FALSE;
    }
  /* The name, cut short so the folder name stays within NAME_MAX, tells a
   * user whose folder a stray belongs to (after a SIGKILL). */
  tmpl = g_strdup_printf ("%s/.%.100s.sr-upscale-XXXXXX", dir, base);
  g_mutex_lock (&lock);
  if (!g_mkdtemp_full (tmpl, 0700))
    {
      int e = errno;
      g_mutex_unlock (&lock);
      ok = errno_error (error, e, "cannot create a temporary folder beside %s: %s", path);
      g_free (tmpl);
      g_free (dir);
      g_free (base);
      return ok;
    }
  armed_dir = tmpl;
  armed_file = g_build_filename (tmpl, base, NULL);
  g_mutex_unlock (&lock);

  /* The encoder writes a fresh file in a folder only we use: no other writer,
   * and GIO creates it directly (no ".goutputstream" of its own). */
  ok = encode (armed_file, data, error) && flush_file (armed_file, path, had_old ? &old : NULL, error);

  g_mutex_lock (&lock);
  if (ok && rename (armed_file, path) != 0)
    ok = errno_error (error, errno, "%s: cannot move the finished file into place: %s", path);
  remove_armed_locked ();
  g_mutex_unlock (&lock);

  /* Make the rename itself durable. */
  if (ok && (dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
    {
      if (fsync (dfd) != 0 && errno != EINVAL && errno != ENOTSUP)
        fprintf (stderr, "sr-upscale: warning: %s was written, but syncing its folder failed: %s\n",
                 path, g_strerror (errno));
      close (dfd);
    }
  g_free (dir);
  g_free (base);
  return ok;
}
