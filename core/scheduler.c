/* The tile scheduler: runs the network tile by tile on worker threads.
 *
 * Every callback of the caller's (read, write, progress, cancel) runs on the
 * thread that called sr_upscale, and only there: GIMP's plug-in wire, which
 * a drawable's buffer reads and writes its tiles over, breaks when two
 * threads talk to GIMP at once (a run failed about one time in five on 1-MP
 * photos while workers read tiles and the caller reported progress).
 * Workers take the next tile from an atomic counter and run the network in a
 * private arena; for its input and output they ask the calling thread, which
 * serves those requests between its other duties (see call_on_caller).
 * A job may ask for its read and write to run on the workers instead
 * (rw_on_workers: an image layer's alpha arithmetic runs in parallel then);
 * they reach the calling thread for their real I/O through
 * sr_call_on_caller, the same request queue.
 * Every tile is computed the same way whatever the thread count, so results
 * are bit-identical for any number of threads. */
#include "scheduler.h"
#include "model.h"
#include "tile-io.h"
#include "tta.h"
#include "parallel.h"

/* How often the supervising thread wakes for progress and cancel. */
#define POLL_US (50 * 1000)

typedef struct
{
  const SrModel *model;
  const SrJob   *job;
  GArray        *tiles;          /* the plan's */
  SrTileOutput   output;         /* where the tiles' pixels go */
  int            team_width;     /* threads each tile's layers may use */
  gint           next_tile;      /* atomic */
  gint           steps_done;     /* atomic */
  gint           stop;           /* atomic: cancel or error */
  gint64         total_steps;
  GThread       *caller;         /* the thread that runs every callback */
  gint64         next_poll;      /* caller's thread only */

  GMutex         lock;           /* guards the fields below */
  GCond          cond;           /* wakes the caller: a worker ended or asks for I/O */
  GCond          io_done;        /* wakes workers: the caller served a request */
  GQueue         io_requests;    /* of IoRequest, from workers to the caller */
  int            running;
  GError        *error;          /* the first failure */
} Runner;

/* The run whose tile this thread is working on (workers and the caller
 * while it takes tiles): sr_call_on_caller's way to the right queue. */
static GPrivate current_runner;

/* A callback call a worker needs made on the caller's thread. */
typedef gboolean (*IoFunc) (Runner *r, gpointer data, GError **error);

typedef struct
{
  IoFunc    fn;
  gpointer  data;
  gboolean  ok, done;
  GError   *error;
} IoRequest;

static void
fail (Runner *r, GError *error)
{
  g_mutex_lock (&r->lock);
  if (!r->error)
    r->error = error;
  else
    g_error_free (error);
  g_atomic_int_set (&r->stop, 1);
  g_mutex_unlock (&r->lock);
}

/* Runs @fn on the caller's thread: at once when this is that thread, else
 * as a request that the caller serves (serve_io) while this worker waits.
 * A worker only waits for I/O here, holding nothing another thread needs. */
static gboolean
call_on_caller (Runner *r, IoFunc fn, gpointer data, GError **error)
{
  IoRequest request = { fn, data, FALSE, FALSE, NULL };

  if (g_thread_self () == r->caller)
    return fn (r, data, error);
  g_mutex_lock (&r->lock);
  g_queue_push_tail (&r->io_requests, &request);
  g_cond_signal (&r->cond);
  while (!request.done)
    g_cond_wait (&r->io_done, &r->lock);
  g_mutex_unlock (&r->lock);
  if (!request.ok)
    g_propagate_error (error, request.error);
  return request.ok;
}

/* On the caller's thread: makes every call the workers are waiting for. */
static void
serve_io (Runner *r)
{
  for (;;)
    {
      IoRequest *request;

      g_mutex_lock (&r->lock);
      request = g_queue_pop_head (&r->io_requests);
      g_mutex_unlock (&r->lock);
      if (!request)
        return;
      request->ok = request->fn (r, request->data, &request->error);
      /* Stop at once: the next queued write must not be made (sr.h), and
       * the worker records the error only when it wakes.  A write skipped
       * because the run stopped is no new failure. */
      if (!request->ok && !g_error_matches (request->error, SR_ERROR, SR_ERROR_CANCELLED))
        g_atomic_int_set (&r->stop, 1);
      g_mutex_lock (&r->lock);
      request->done = TRUE;
      g_cond_broadcast (&r->io_done);
      g_mutex_unlock (&r->lock);
    }
}

/* A job's own call (sr_call_on_caller), on the caller's thread. */
typedef struct
{
  SrCallerFunc fn;
  gpointer     data;
} JobCall;

static gboolean
io_job_call (Runner *r, gpointer data, GError **error)
{
  JobCall *call = data;

  if (g_atomic_int_get (&r->stop))
    {
      g_set_error_literal (error, SR_ERROR, SR_ERROR_CANCELLED, "cancelled");
      return FALSE;
    }
  if (call->fn (call->data, error))
    return TRUE;
  if (error && !*error)
    g_set_error_literal (error, SR_ERROR, SR_ERROR_CALLBACK, "a call on the calling thread failed");
  return FALSE;
}

gboolean
sr_call_on_caller (SrCallerFunc fn, gpointer data, GError **error)
{
  Runner *r = g_private_get (&current_runner);

  if (!r)
    return fn (data, error);
  return call_on_caller (r, io_job_call, &(JobCall) { fn, data }, error);
}

typedef struct
{
  int    x, y, w, h;
  float *pixels;
} IoRect;

/* The caller's callbacks may fail without an error; these supply one. */
static gboolean
io_read (Runner *r, gpointer data, GError **error)
{
  IoRect *rect = data;
  GError *local = NULL;

  if (r->job->read (r->job->user_data, rect->x, rect->y, rect->w, rect->h, rect->pixels, &local))
    return TRUE;
  if (!local)
    local = g_error_new_literal (SR_ERROR, SR_ERROR_CALLBACK, "reading the input failed");
  g_propagate_error (error, local);
  return FALSE;
}

/* A write after a cancel or a failure elsewhere is not made: nothing more is
 * written once the run has stopped (sr.h). */
static gboolean
io_write (Runner *r, gpointer data, GError **error)
{
  IoRect *rect = data;
  GError *local = NULL;

  if (g_atomic_int_get (&r->stop))
    local = g_error_new_literal (SR_ERROR, SR_ERROR_CANCELLED, "cancelled");
  else if (r->job->write (r->job->user_data, rect->x, rect->y, rect->w, rect->h, rect->pixels,
                          &local))
    return TRUE;
  else if (!local)
    local = g_error_new_literal (SR_ERROR, SR_ERROR_CALLBACK, "writing the output failed");
  g_propagate_error (error, local);
  return FALSE;
}

/* Reads tile input @in (padded-image coordinates) into a planar tensor in the
 * model's range; pixels past the real image repeat its last row/column. */
static gboolean
read_tile (Runner *r, const SrRect *in, SrTensor *t, GError **error)
{
  const SrJob *job = r->job;
  int rw = MIN (in->x + in->w, job->width) - in->x;    /* real part */
  int rh = MIN (in->y + in->h, job->height) - in->y;
  float *buf;
  gsize got;
  gboolean ok;

  /* A tile starting past the real image (padding only) copies its last pixels. */
  int sx = MIN (in->x, job->width - 1), sy = MIN (in->y, job->height - 1);
  rw = MAX (rw, 1);
  rh = MAX (rh, 1);
  /* A kept block, not malloc: a fresh malloc'd buffer this size is faulted
   * in 4 KiB at a time in every process's first run (write_tile's, 11 MB
   * for a 1280x720 result, was ~5,200 page faults). */
  buf = sr_block_take ((gsize) rw * rh * 3 * sizeof (float), &got);
  if (!buf)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_NOMEM, "out of memory reading a %d x %d tile", rw, rh);
      return FALSE;
    }
  ok = r->job->rw_on_workers ? io_read (r, &(IoRect) { sx, sy, rw, rh, buf }, error)
                             : call_on_caller (r, io_read, &(IoRect) { sx, sy, rw, rh, buf }, error);
  if (ok)
    sr_tile_io_planar_from_rgb (buf, rw, rh, r->model->input_range, t);
  sr_block_give (buf, got);
  return ok;
}

/* Hands the tile's output to the write callback, in 0..1 (clamped). */
static gboolean
write_tile (Runner *r, const SrTile *tile, const SrTensor *out, GError **error)
{
  SrRect rect;
  GError *local = NULL;
  gsize got = 0;
  float *buf = sr_tile_io_rgb_from_planar (&r->output, tile, out, &rect, &got, &local);
  gboolean ok;

  if (!buf)
    {
      if (!local)
        return TRUE;   /* a tile of padding only */
      g_propagate_error (error, local);
      return FALSE;
    }
  {
    IoRect io = { rect.x, rect.y, rect.w, rect.h, buf };
    ok = r->job->rw_on_workers ? io_write (r, &io, error) : call_on_caller (r, io_write, &io, error);
  }
  sr_block_give (buf, got);
  return ok;
}

/* On the caller's thread: reports progress and polls the caller's cancel
 * (callbacks that may only run there, e.g. GIMP's), at most every POLL_US
 * unless @now. */
static void
caller_poll (Runner *r, gboolean now)
{
  const SrJob *job = r->job;
  gint64 t = g_get_monotonic_time ();

  if (!now && t < r->next_poll)
    return;
  r->next_poll = t + POLL_US;
  if (job->progress)
    job->progress (job->user_data, MIN (1.0, (double) g_atomic_int_get (&r->steps_done) / (double) r->total_steps));
  if (job->cancel && !g_atomic_int_get (&r->stop) && job->cancel (job->user_data))
    fail (r, g_error_new_literal (SR_ERROR, SR_ERROR_CANCELLED, "cancelled"));
}

/* Polled between layers.  The caller's thread, when it takes tiles too,
 * serves the workers' I/O here so they do not wait for its whole tile. */
static gboolean
worker_should_stop (gpointer data)
{
  Runner *r = data;

  if (r->caller == g_thread_self ())
    {
      serve_io (r);
      caller_poll (r, FALSE);
    }
  return g_atomic_int_get (&r->stop) != 0;
}

static gboolean
run_tile (Runner *r, const SrTile *tile, GError **error)
{
  SrArena *arena = sr_arena_new ();
  SrRun run = { worker_should_stop, NULL, r, 0, 0, &r->steps_done };
  SrTensor *in = sr_arena_tensor (arena, 3, tile->in.h, tile->in.w, error), *out;
  gboolean ok = in && read_tile (r, &tile->in, in, error) &&
                (out = r->job->tta ? sr_forward_tta (r->model, in, arena, &run, error)
                                   : r->model->arch->forward (r->model, in, arena, &run, error)) &&
                write_tile (r, tile, out, error);
  sr_arena_free (arena);
  return ok;
}

/* Claims and runs the next tile; FALSE when none is left (or the run stopped). */
static gboolean
work_one_tile (Runner *r)
{
  GError *error = NULL;
  int i;

  if (g_atomic_int_get (&r->stop) ||
      (i = g_atomic_int_add (&r->next_tile, 1)) >= (int) r->tiles->len)
    return FALSE;
  if (!run_tile (r, &g_array_index (r->tiles, SrTile, i), &error))
    {
      /* A worker stopped by a cancel reports nothing of its own. */
      if (g_error_matches (error, SR_ERROR, SR_ERROR_CANCELLED) && g_atomic_int_get (&r->stop))
        g_error_free (error);
      else
        fail (r, error);
    }
  return TRUE;
}

/* A tile worker: one helper of the run's team in the core's pool
 * (parallel.h).  In libvips's terms: start is sr_team_start, allocate the
 * atomic claim in work_one_tile, work run_tile, and progress the caller's
 * loop in sr_run_tiled (caller_poll, serving the workers' I/O). */
static void
tile_worker (gpointer data, int index, int count)
{
  Runner *r = data;

  g_mutex_lock (&r->lock);
  r->running++;
  g_mutex_unlock (&r->lock);
  sr_parallel_set_width (r->team_width);
  g_private_set (&current_runner, r);
  while (work_one_tile (r))
    ;
  g_private_set (&current_runner, NULL);
  g_mutex_lock (&r->lock);
  r->running--;
  g_cond_signal (&r->cond);
  g_mutex_unlock (&r->lock);
}

/* Every tile claimed (or the run stopped) and no worker inside one: the
 * caller may end the run.  Workers that start later find nothing to do,
 * and sr_team_join keeps the rest from starting. */
static gboolean
tiles_done (Runner *r)
{
  return r->running == 0 &&
         (g_atomic_int_get (&r->stop) || g_atomic_int_get (&r->next_tile) >= (int) r->tiles->len);
}

/* The tiled run of one plan stage: its geometry (tiles, workers, the
 * output's route) was fixed by sr_plan_new (plan.c). */
gboolean
sr_run_tiled (const SrPlanStage *stage, const SrJob *job, GError **error)
{
  const SrArch *arch = stage->model->arch;
  Runner r = { 0 };
  int workers = stage->workers, caller_width = 1;
  gboolean ok, caller_works;
  SrTeam *team = NULL;

  r.model = stage->model;
  r.job = job;
  r.tiles = stage->tiles;
  r.output = stage->output;
  r.team_width = stage->team_width;
  r.total_steps = stage->total_steps;

  /* The user may have cancelled before anything started. */
  if (job->cancel && job->cancel (job->user_data))
    {
      g_set_error_literal (error, SR_ERROR, SR_ERROR_CANCELLED, "cancelled");
      return FALSE;
    }

  g_mutex_init (&r.lock);
  g_cond_init (&r.cond);
  g_cond_init (&r.io_done);
  g_queue_init (&r.io_requests);
  r.caller = g_thread_self ();
  /* Local networks' tiles take milliseconds, so the caller's thread can
   * take tiles too and still report progress and notice a cancel between
   * them: one thread fewer to wake, and none at all for one thread.  The
   * other networks' tiles are long; the caller only watches them. */
  caller_works = arch->local;
  {
    GError *start_error = NULL;
    int wanted = workers - (caller_works ? 1 : 0), queued = 0;
    if (wanted > 0)
      team = sr_team_start (wanted, tile_worker, &r, &queued, &start_error);
    /* Without a worker thread only a caller that takes tiles can run them. */
    if (queued == 0 && !caller_works)
      fail (&r, start_error ? start_error
                            : g_error_new_literal (SR_ERROR, SR_ERROR_NOMEM, "no worker thread could start"));
    else
      g_clear_error (&start_error);
  }
  if (caller_works)
    {
      r.next_poll = g_get_monotonic_time () + POLL_US;
      caller_width = sr_parallel_width ();
      sr_parallel_set_width (r.team_width);
    }
  /* A run inside a run's callback is unlikely, but it gets its own queue. */
  gpointer outer_runner = g_private_get (&current_runner);
  g_private_set (&current_runner, &r);

  for (;;)
    {
      gboolean worked = caller_works && work_one_tile (&r);

      g_mutex_lock (&r.lock);
      if (!worked && g_queue_is_empty (&r.io_requests))
        {
          if (tiles_done (&r))
            {
              g_mutex_unlock (&r.lock);
              break;
            }
          g_cond_wait_until (&r.cond, &r.lock, g_get_monotonic_time () + POLL_US);
        }
      g_mutex_unlock (&r.lock);
      serve_io (&r);
      caller_poll (&r, !worked);
    }
  if (team)
    sr_team_join (team);
  if (caller_works)
    sr_parallel_set_width (caller_width);
  g_private_set (&current_runner, outer_runner);

  ok = r.error == NULL;
  if (!ok)
    g_propagate_error (error, r.error);
  else if (job->progress)
    job->progress (job->user_data, 1.0);
  g_mutex_clear (&r.lock);
  g_cond_clear (&r.cond);
  g_cond_clear (&r.io_done);
  return ok;
}
