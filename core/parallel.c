/* Splitting one layer over threads; see parallel.h. */
#include "parallel.h"

static GPrivate team_width;   /* width + 1 stored, so 0 (unset) reads as 1 */
static GThreadPool *pool;

void
sr_parallel_set_width (int width)
{
  g_private_set (&team_width, GINT_TO_POINTER (MAX (1, width) + 1));
}

int
sr_parallel_width (void)
{
  int stored = GPOINTER_TO_INT (g_private_get (&team_width));
  return stored > 1 ? stored - 1 : 1;
}

/* One sr_parallel_for call.  Reference-counted: a helper may start after
 * the caller already ran every part and returned. */
typedef struct
{
  gint       refs;
  SrPartFunc fn;
  gpointer   data;
  int        n_parts;
  gint       next;       /* next part to take */
  gint       done;       /* parts finished */
  GMutex     lock;
  GCond      cond;
} Job;

static void
job_unref (Job *job)
{
  if (g_atomic_int_dec_and_test (&job->refs))
    {
      g_mutex_clear (&job->lock);
      g_cond_clear (&job->cond);
      g_free (job);
    }
}

static void
run_parts (Job *job)
{
  int p;
  while ((p = g_atomic_int_add (&job->next, 1)) < job->n_parts)
    {
      job->fn (job->data, p, job->n_parts);
      if (g_atomic_int_add (&job->done, 1) + 1 == job->n_parts)
        {
          g_mutex_lock (&job->lock);
          g_cond_broadcast (&job->cond);
          g_mutex_unlock (&job->lock);
        }
    }
}

static void
helper (gpointer task, gpointer unused)
{
  run_parts (task);
  job_unref (task);
}

static GMutex pool_lock;

/* Shared by all runs; threads are started on demand and kept until
 * sr_parallel_shutdown.  Read without the lock once made: this is asked
 * for by every split layer. */
static GThreadPool *
get_pool (void)
{
  GThreadPool *p = g_atomic_pointer_get (&pool);

  if (p)
    return p;
  g_mutex_lock (&pool_lock);
  if (!pool)
    g_atomic_pointer_set (&pool, g_thread_pool_new (helper, NULL, (int) g_get_num_processors (),
                                                    FALSE, NULL));
  p = pool;
  g_mutex_unlock (&pool_lock);
  return p;
}

void
sr_parallel_shutdown (void)
{
  GThreadPool *p;

  g_mutex_lock (&pool_lock);
  p = pool;
  g_atomic_pointer_set (&pool, NULL);
  g_mutex_unlock (&pool_lock);
  if (p)
    g_thread_pool_free (p, FALSE, TRUE);
}

void
sr_parallel_for (int n_parts, SrPartFunc fn, gpointer data)
{
  GThreadPool *helpers_pool;
  int helpers = MIN (sr_parallel_width (), n_parts) - 1;
  Job *job;

  if (helpers <= 0)
    {
      for (int p = 0; p < n_parts; p++)
        fn (data, p, n_parts);
      return;
    }
  helpers_pool = get_pool ();
  job = g_new0 (Job, 1);
  job->refs = 1 + helpers;
  job->fn = fn;
  job->data = data;
  job->n_parts = n_parts;
  g_mutex_init (&job->lock);
  g_cond_init (&job->cond);
  /* A push whose thread could not start still queues the job (GLib's
   * documented behaviour): its reference is dropped whenever some pool
   * thread gets to it, and meanwhile this thread runs the parts itself. */
  for (int i = 0; i < helpers; i++)
    g_thread_pool_push (helpers_pool, job, NULL);
  run_parts (job);
  g_mutex_lock (&job->lock);
  while (g_atomic_int_get (&job->done) < n_parts)
    g_cond_wait (&job->cond, &job->lock);
  g_mutex_unlock (&job->lock);
  job_unref (job);
}
