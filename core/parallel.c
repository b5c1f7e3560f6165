/* The core's one thread pool and layer splitting; see parallel.h. */
#include "parallel.h"

static GPrivate team_width;   /* width + 1 stored, so 0 (unset) reads as 1 */

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

/* ---- The pool ----
 *
 * Why nothing here can deadlock, tile workers and layer helpers sharing one
 * pool: a pool thread blocks only (a) in sr_team_join, which waits for
 * helpers that are already running, never for queued ones (it closes the
 * team first), and whose running helpers wait for nothing; (b) in a tile
 * worker waiting for its run's calling thread to serve its I/O, and that
 * thread is never a pool thread (sr_upscale's caller).  So every thread of
 * the pool finishes what it holds without a queued task having to run
 * first, and the pool's size could be anything.  It is unbounded so that a
 * job gets the threads it asks for (tests ask for 8 on 2 cores): a run uses
 * at most its tile workers plus their layer helpers, job->threads together
 * (plan.c sizes them), and idle threads are kept for the next run. */

struct _SrTeam
{
  gint         refs;       /* the starter's, and one per queued task */
  SrMemberFunc fn;
  gpointer     data;
  int          n_helpers;
  GMutex       lock;       /* guards the fields below */
  GCond        cond;       /* a helper finished */
  int          joined;     /* helpers that started */
  int          active;     /* helpers running fn now */
  gboolean     closed;     /* sr_team_join was called: no helper starts after it */
};

static GMutex       pool_lock;
static GThreadPool *pool;   /* made on first use, freed by sr_parallel_shutdown */

static void
team_unref (SrTeam *team)
{
  if (g_atomic_int_dec_and_test (&team->refs))
    {
      g_mutex_clear (&team->lock);
      g_cond_clear (&team->cond);
      g_free (team);
    }
}

static void
pool_task (gpointer task, gpointer unused)
{
  SrTeam *team = task;
  int index = 0;

  g_mutex_lock (&team->lock);
  if (!team->closed && team->joined < team->n_helpers)
    {
      index = ++team->joined;
      team->active++;
    }
  g_mutex_unlock (&team->lock);
  if (index > 0)
    {
      /* A pool thread may have been a tile worker with a wider team. */
      sr_parallel_set_width (1);
      team->fn (team->data, index, team->n_helpers + 1);
      g_mutex_lock (&team->lock);
      if (--team->active == 0)
        g_cond_broadcast (&team->cond);
      g_mutex_unlock (&team->lock);
    }
  team_unref (team);
}

/* Read without the lock once made: every split layer asks for it. */
static GThreadPool *
get_pool (void)
{
  GThreadPool *p = g_atomic_pointer_get (&pool);

  if (p)
    return p;
  g_mutex_lock (&pool_lock);
  if (!pool)
    {
      g_atomic_pointer_set (&pool, g_thread_pool_new (pool_task, NULL, -1, FALSE, NULL));
      /* Idle threads are kept for the next run: the dialog's preview and
       * --bench upscale many times, and fresh threads (with their
       * per-thread scratch) cost a small image's run visibly.
       * sr_cache_trim sets this to 0. */
      g_thread_pool_set_max_unused_threads (MAX (4, (int) g_get_num_processors ()));
    }
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

SrTeam *
sr_team_start (int n_helpers, SrMemberFunc fn, gpointer data, int *queued, GError **error)
{
  GThreadPool *p = get_pool ();
  SrTeam *team = g_new0 (SrTeam, 1);
  GError *last_error = NULL;
  int handed = 0;

  team->refs = 1 + MAX (0, n_helpers);
  team->fn = fn;
  team->data = data;
  team->n_helpers = MAX (0, n_helpers);
  g_mutex_init (&team->lock);
  g_cond_init (&team->cond);
  for (int i = 0; i < n_helpers; i++)
    {
      GError *push_error = NULL;

      /* A push whose thread could not start still queues the task
       * (GLib's documented behaviour): it runs, or finds the team closed,
       * whenever a pool thread gets to it; its reference keeps the team. */
      if (g_thread_pool_push (p, team, &push_error))
        handed++;
      else
        {
          g_clear_error (&last_error);
          last_error = push_error;
        }
    }
  if (queued)
    *queued = handed;
  if (handed == 0 && last_error)
    g_propagate_error (error, last_error);
  else
    g_clear_error (&last_error);
  return team;
}

void
sr_team_join (SrTeam *team)
{
  g_mutex_lock (&team->lock);
  team->closed = TRUE;
  while (team->active > 0)
    g_cond_wait (&team->cond, &team->lock);
  g_mutex_unlock (&team->lock);
  team_unref (team);
}

/* ---- Layer splitting ---- */

/* One sr_parallel_for call: parts are claimed from a counter by the caller
 * and its helpers alike, so any part no helper got to the caller runs. */
typedef struct
{
  SrPartFunc fn;
  gpointer   data;
  int        n_parts;
  gint       next;   /* atomic: the next part to claim */
} Split;

static void
run_parts (Split *split)
{
  int p;

  while ((p = g_atomic_int_add (&split->next, 1)) < split->n_parts)
    split->fn (split->data, p, split->n_parts);
}

static void
split_member (gpointer data, int index, int count)
{
  run_parts (data);
}

void
sr_parallel_for (int n_parts, SrPartFunc fn, gpointer data)
{
  int helpers = MIN (sr_parallel_width (), n_parts) - 1;
  Split split = { fn, data, n_parts, 0 };
  SrTeam *team;

  if (helpers <= 0)
    {
      for (int p = 0; p < n_parts; p++)
        fn (data, p, n_parts);
      return;
    }
  team = sr_team_start (helpers, split_member, &split, NULL, NULL);
  run_parts (&split);
  /* Every part is claimed now; the join waits for those helpers still
   * running theirs. */
  sr_team_join (team);
}
