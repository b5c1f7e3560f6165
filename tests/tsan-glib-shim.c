/* Happens-before edges for ThreadSanitizer across GLib's threading calls.
 *
 * Debian's GLib is not built with -fsanitize=thread, and since GLib 2.67
 * its GMutex and GCond are futexes and atomics inside libglib, which TSan
 * cannot see.  Without help every hand-over through a GMutex, a
 * GThreadPool or a GAsyncQueue looks like a data race (~100 false reports
 * in one run of test-upscale).  Suppressing them by stack would also hide
 * real races in the same functions, so instead this file, linked into the
 * TSan build's test programs (and LD_PRELOADed into the CLI by the TSan
 * stage of tools/test-all.sh), wraps the GLib calls our code makes and
 * tells TSan what each one guarantees:
 *
 *   unlock / cond-wait entry / push    ->  __tsan_release (the object)
 *   lock / cond-wait return / pop / a pool task starting -> __tsan_acquire
 *
 * These are exactly the orderings GLib documents; nothing else is
 * declared, so a field touched outside its lock is still reported.  Only
 * calls made from our code pass through here (libglib binds its own
 * internal calls directly), which is what we want: GLib's internals are
 * not under test.  The real functions are found with dlsym (RTLD_NEXT). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

void __tsan_acquire (void *addr);
void __tsan_release (void *addr);

/* The real GLib function NAME, looked up on first use (GLib's own start-up
 * may lock a mutex before any constructor here runs).  Several threads may
 * race to look it up; they store the same value, atomically. */
#define REAL(name, type)                                              \
  ({                                                                  \
    static type real_fn;                                              \
    type fn = __atomic_load_n (&real_fn, __ATOMIC_RELAXED);           \
    if (!fn)                                                          \
      {                                                               \
        fn = (type) find_real (#name);                                \
        __atomic_store_n (&real_fn, fn, __ATOMIC_RELAXED);            \
      }                                                               \
    fn;                                                               \
  })

static void *
find_real (const char *name)
{
  void *fn = dlsym (RTLD_NEXT, name);

  if (!fn)
    {
      fprintf (stderr, "tsan-glib-shim: %s not found in libglib\n", name);
      abort ();
    }
  return fn;
}

typedef void     (*MutexFunc) (GMutex *);
typedef gboolean (*MutexTestFunc) (GMutex *);
typedef void     (*CondWaitFunc) (GCond *, GMutex *);
typedef gboolean (*CondWaitUntilFunc) (GCond *, GMutex *, gint64);
typedef GThreadPool *(*PoolNewFunc) (GFunc, gpointer, gint, gboolean, GError **);
typedef gboolean (*PoolPushFunc) (GThreadPool *, gpointer, GError **);
typedef void     (*PoolFreeFunc) (GThreadPool *, gboolean, gboolean);
typedef void     (*QueuePushFunc) (GAsyncQueue *, gpointer);
typedef gpointer (*QueuePopFunc) (GAsyncQueue *);

void
g_mutex_lock (GMutex *mutex)
{
  REAL (g_mutex_lock, MutexFunc) (mutex);
  __tsan_acquire (mutex);
}

gboolean
g_mutex_trylock (GMutex *mutex)
{
  if (!REAL (g_mutex_trylock, MutexTestFunc) (mutex))
    return FALSE;
  __tsan_acquire (mutex);
  return TRUE;
}

void
g_mutex_unlock (GMutex *mutex)
{
  __tsan_release (mutex);
  REAL (g_mutex_unlock, MutexFunc) (mutex);
}

void
g_cond_wait (GCond *cond, GMutex *mutex)
{
  __tsan_release (mutex);
  REAL (g_cond_wait, CondWaitFunc) (cond, mutex);
  __tsan_acquire (mutex);
}

gboolean
g_cond_wait_until (GCond *cond, GMutex *mutex, gint64 end_time)
{
  gboolean signalled;

  __tsan_release (mutex);
  signalled = REAL (g_cond_wait_until, CondWaitUntilFunc) (cond, mutex, end_time);
  __tsan_acquire (mutex);
  return signalled;
}

/* A pool's task function, called through this so that the task's start is
 * ordered after its push, and g_thread_pool_free (wait) after every task's
 * end.  One per pool, never freed: pools are few and live long. */
typedef struct
{
  GFunc    func;
  gpointer user_data;
} PoolTask;

static int all_tasks_ended;   /* only its address is used, as a sync object */

static void
run_pool_task (gpointer data, gpointer task)
{
  const PoolTask *t = task;

  __tsan_acquire (data);
  t->func (data, t->user_data);
  __tsan_release (&all_tasks_ended);
}

GThreadPool *
g_thread_pool_new (GFunc func, gpointer user_data, gint max_threads, gboolean exclusive, GError **error)
{
  PoolTask *t = g_new (PoolTask, 1);

  t->func = func;
  t->user_data = user_data;
  return REAL (g_thread_pool_new, PoolNewFunc) (run_pool_task, t, max_threads, exclusive, error);
}

gboolean
g_thread_pool_push (GThreadPool *pool, gpointer data, GError **error)
{
  __tsan_release (data);
  return REAL (g_thread_pool_push, PoolPushFunc) (pool, data, error);
}

void
g_thread_pool_free (GThreadPool *pool, gboolean immediate, gboolean wait)
{
  REAL (g_thread_pool_free, PoolFreeFunc) (pool, immediate, wait);
  if (wait)
    __tsan_acquire (&all_tasks_ended);
}

void
g_async_queue_push (GAsyncQueue *queue, gpointer data)
{
  __tsan_release (data);
  REAL (g_async_queue_push, QueuePushFunc) (queue, data);
}

gpointer
g_async_queue_pop (GAsyncQueue *queue)
{
  gpointer data = REAL (g_async_queue_pop, QueuePopFunc) (queue);

  __tsan_acquire (data);
  return data;
}

gpointer
g_async_queue_try_pop (GAsyncQueue *queue)
{
  gpointer data = REAL (g_async_queue_try_pop, QueuePopFunc) (queue);

  if (data)
    __tsan_acquire (data);
  return data;
}

/* An idle callback runs on the main loop's thread, after g_idle_add. */
typedef struct
{
  GSourceFunc func;
  gpointer    data;
} IdleCall;

static gboolean
run_idle (gpointer call)
{
  IdleCall *c = call;

  __tsan_acquire (c);
  return c->func (c->data);
}

guint
g_idle_add (GSourceFunc func, gpointer data)
{
  IdleCall *c = g_new (IdleCall, 1);

  c->func = func;
  c->data = data;
  __tsan_release (c);
  return g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, run_idle, c, g_free);
}
