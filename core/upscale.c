/* sr_upscale: runs the model tile by tile on worker threads.
 *
 * Every callback of the caller's (read, write, progress, cancel) runs on the
 * thread that called sr_upscale, and only there: GIMP's plug-in wire, which
 * a drawable's buffer reads and writes its tiles over, breaks when two
 * threads talk to GIMP at once (a run failed about one time in five on 1-MP
 * photos while workers read tiles and the caller reported progress).
 * Workers take the next tile from an atomic counter and run the network in a
 * private arena; for its input and output they ask the calling thread, which
 * serves those requests between its other duties (see call_on_caller).
 * Every tile is computed the same way whatever the thread count, so results
 * are bit-identical for any number of threads. */
#include "model.h"
#include "tiler.h"
#include "tta.h"
#include "resample.h"
#include "parallel.h"

#include <math.h>
#include <string.h>

/* Default memory per worker for one tile's feature maps, and how many such
 * workers run at once (the rest of the threads split their layers). */
#define TILE_BUDGET_BYTES (448.0 * 1024 * 1024)
#define MAX_BIG_WORKERS 2
/* Feature maps per worker that stay in cache, for local networks (which
 * tile for free): ECBSR x4 with 2 threads, 50 output megapixels, ran at
 * 18.1 ms/MPix in memory-budget tiles (~1000 px) and 13.6 ms/MPix in tiles of
 * 160-190 px, whose ~16 MiB of maps stay in the last-level cache. */
#define TILE_CACHE_BYTES (16.0 * 1024 * 1024)
#define MIN_TILE 64
#define MAX_TILE 1024
/* How often the supervising thread wakes for progress and cancel. */
#define POLL_US (50 * 1000)

/* Largest intermediate image (floats) of a chained run, e.g. a x4 model's
 * output that a x2 model takes to x8: 1 GiB is a 9400 x 9400 intermediate
 * (a ~2300 x 2300 input at x4).  Larger runs resample the first model's
 * output instead. */
#define CHAIN_BUDGET_BYTES ((gint64) 1 << 30)

typedef struct
{
  const SrModel *model;
  const SrJob   *job;
  GArray        *tiles;
  int            pad_w, pad_h;   /* input as the network sees it (padded) */
  int            out_w, out_h;   /* real output size at the model's scale */
  int            target_w, target_h;   /* what the caller asked for */
  gboolean       resample;       /* target differs from the model's output */
  gboolean       clamp;

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

/* A callback call a worker needs made on the caller's thread. */
typedef gboolean (*IoFunc) (Runner *r, gpointer data, GError **error);

typedef struct
{
  IoFunc    fn;
  gpointer  data;
  gboolean  ok, done;
  GError   *error;
} IoRequest;

static int
padded_side (const SrArch *arch, int side)
{
  side = MAX (side, arch->min_size);
  return (side + arch->size_multiple - 1) / arch->size_multiple * arch->size_multiple;
}

gboolean
sr_output_size (const SrModel *model, int width, int height, int *out_width, int *out_height,
                GError **error)
{
  int s = sr_model_output_scale (model);

  if (width < 1 || height < 1 || width > SR_MAX_INPUT_SIDE || height > SR_MAX_INPUT_SIDE)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID,
                   "image size %d x %d is out of range (1 to %d pixels a side)",
                   width, height, SR_MAX_INPUT_SIDE);
      return FALSE;
    }
  if (out_width)
    *out_width = width * s;
  if (out_height)
    *out_height = height * s;
  return TRUE;
}

/* Side of the largest square tile whose feature maps fit @bytes. */
static int
tile_side_for (const SrModel *model, double bytes)
{
  int side = (int) sqrt (bytes / (model->arch->floats_per_pixel (model) * sizeof (float)));
  return CLAMP (side - 2 * model->arch->halo (model), MIN_TILE, MAX_TILE);
}

/* Tile size: the largest whose feature maps fit the per-worker memory
 * budget.  Local networks tile exactly, so they take cache-sized tiles, at
 * least one per thread (whole tiles on separate threads scale better than
 * split layers), and the image is cut evenly into a multiple of the thread
 * count: no thin slivers at the edges, no thread left waiting on the last. */
static void
auto_tile_size (const SrModel *model, int width, int height, int threads, int *tile_w, int *tile_h)
{
  const SrArch *arch = model->arch;
  double budget = TILE_BUDGET_BYTES;
  const char *env = g_getenv ("SR_TILE_BUDGET_MB");
  int side, cached, n, nx, ny;

  if (env && g_ascii_strtod (env, NULL) > 0)
    budget = g_ascii_strtod (env, NULL) * 1024 * 1024;
  side = tile_side_for (model, budget);
  *tile_w = *tile_h = side;
  if (!arch->local)
    return;
  cached = MIN (side, tile_side_for (model, TILE_CACHE_BYTES));
  n = (int) MIN (1e6, ceil ((double) width * height / ((double) cached * cached)));
  n = (n + threads - 1) / threads * threads;
  /* nx columns by ny rows of tiles, about twice as wide as tall: halos
   * favour squares, but the kernels work in runs of 16-48 columns and
   * waste part of the last run of each row. */
  nx = CLAMP ((int) lround (sqrt (n * (double) width / (2.0 * height))), 1, MIN (n, width));
  ny = MIN ((n + nx - 1) / nx, height);
  *tile_w = (width + nx - 1) / nx;
  *tile_h = (height + ny - 1) / ny;
}

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
  const float range = r->model->input_range;
  int rw = MIN (in->x + in->w, job->width) - in->x;    /* real part */
  int rh = MIN (in->y + in->h, job->height) - in->y;
  float *buf;
  gboolean ok;

  /* A tile starting past the real image (padding only) copies its last pixels. */
  int sx = MIN (in->x, job->width - 1), sy = MIN (in->y, job->height - 1);
  rw = MAX (rw, 1);
  rh = MAX (rh, 1);
  buf = g_try_malloc ((gsize) rw * rh * 3 * sizeof (float));
  if (!buf)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_NOMEM, "out of memory reading a %d x %d tile", rw, rh);
      return FALSE;
    }
  ok = call_on_caller (r, io_read, &(IoRect) { sx, sy, rw, rh, buf }, error);
  if (!ok)
    {
      g_free (buf);
      return FALSE;
    }
  for (int c = 0; c < 3; c++)
    for (int y = 0; y < t->h; y++)
      {
        const float *src = buf + (gsize) MIN (y, rh - 1) * rw * 3 + c;
        float *dst = sr_tensor_channel (t, c) + (gsize) y * t->w;
        for (int x = 0; x < t->w; x++)
          dst[x] = src[3 * MIN (x, rw - 1)] * range;
      }
  g_free (buf);
  return TRUE;
}

/* Target pixels [*u0, *u1) whose centres fall in SR pixels [a, b) of an axis
 * with @n SR pixels and @t target pixels: tiles partition the target. */
static void
owned_range (int a, int b, int n, int t, int *u0, int *u1)
{
  double r = (double) t / n;
  *u0 = a == 0 ? 0 : (int) ceil ((a + 0.5) * r - 0.5);
  *u1 = b >= n ? t : (int) ceil ((b + 0.5) * r - 0.5);
  *u1 = MIN (*u1, t);
}

/* Puts the tile's core, clipped to the real output (and resampled to the
 * target size if the caller asked for one), into interleaved @*buf. */
static gboolean
tile_pixels (Runner *r, const SrTile *tile, const SrTensor *out, SrRect *rect, float **buf,
             GError **error)
{
  const int s = sr_model_output_scale (r->model);
  int x0 = tile->core.x * s, y0 = tile->core.y * s;
  int x1 = MIN ((tile->core.x + tile->core.w) * s, r->out_w);
  int y1 = MIN ((tile->core.y + tile->core.h) * s, r->out_h);

  if (r->resample)
    {
      SrResampleAxis ax = { 0 }, ay = { 0 };
      int u0, u1, v0, v1;
      gboolean ok;

      owned_range (x0, x1, r->out_w, r->target_w, &u0, &u1);
      owned_range (y0, y1, r->out_h, r->target_h, &v0, &v1);
      *rect = (SrRect) { u0, v0, u1 - u0, v1 - v0 };
      if (rect->w <= 0 || rect->h <= 0)
        return TRUE;
      if (!(*buf = g_try_malloc ((gsize) rect->w * rect->h * 3 * sizeof (float))))
        goto nomem;
      ok = sr_resample_axis_init (&ax, r->out_w, r->target_w, u0, rect->w, 0, r->out_w) &&
           sr_resample_axis_init (&ay, r->out_h, r->target_h, v0, rect->h, 0, r->out_h) &&
           sr_resample_planar_to_rgb (out->data, out->w, out->h, tile->in.x * s, tile->in.y * s,
                                      &ax, &ay, *buf);
      sr_resample_axis_clear (&ax);
      sr_resample_axis_clear (&ay);
      if (!ok)
        {
          g_clear_pointer (buf, g_free);
          goto nomem;
        }
      return TRUE;
    }

  *rect = (SrRect) { x0, y0, x1 - x0, y1 - y0 };
  if (rect->w <= 0 || rect->h <= 0)
    return TRUE;   /* a tile of padding only */
  if (!(*buf = g_try_malloc ((gsize) rect->w * rect->h * 3 * sizeof (float))))
    goto nomem;
  for (int c = 0; c < 3; c++)
    for (int y = 0; y < rect->h; y++)
      {
        const float *src = sr_tensor_channel (out, c) + (gsize) (y0 - tile->in.y * s + y) * out->w
                           + (x0 - tile->in.x * s);
        float *dst = *buf + (gsize) y * rect->w * 3 + c;
        for (int x = 0; x < rect->w; x++)
          dst[3 * x] = src[x];
      }
  return TRUE;
nomem:
  g_set_error (error, SR_ERROR, SR_ERROR_NOMEM, "out of memory writing a %d x %d tile", rect->w, rect->h);
  return FALSE;
}

/* Hands the tile's output to the write callback, in 0..1 (clamped). */
static gboolean
write_tile (Runner *r, const SrTile *tile, const SrTensor *out, GError **error)
{
  const float inv = 1.f / r->model->input_range;
  SrRect rect;
  float *buf = NULL;
  gboolean ok;

  if (!tile_pixels (r, tile, out, &rect, &buf, error))
    return FALSE;
  if (!buf)
    return TRUE;
  for (gsize i = 0; i < (gsize) rect.w * rect.h * 3; i++)
    {
      float v = buf[i] * inv;
      buf[i] = r->clamp ? CLAMP (v, 0.f, 1.f) : v;
    }
  ok = call_on_caller (r, io_write, &(IoRect) { rect.x, rect.y, rect.w, rect.h, buf }, error);
  g_free (buf);
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

static void
work_tiles (Runner *r)
{
  sr_parallel_set_width (r->team_width);
  while (work_one_tile (r))
    ;
  g_mutex_lock (&r->lock);
  r->running--;
  g_cond_signal (&r->cond);
  g_mutex_unlock (&r->lock);
}

/* Tile workers come from a pool kept for the process: the dialog's preview,
 * batch runs and --bench upscale many times, and starting fresh threads
 * (and their per-thread scratch) each time is a visible part of a small
 * image's run.  Measured with the caller taking tiles too (run_tiled): a
 * 0.1-megapixel ECBSR x4 run went from ~2.1 to ~1.95 ms on one thread,
 * 2 threads from 1.3-2.3 to 1.2-1.6 ms (a noisy VM). */
typedef struct
{
  Runner *runner;
  gint    taken;   /* 0 until a pool thread or the caller claims it */
  gint    refs;    /* the pushing caller's and the pool task's */
} Ticket;

static void
ticket_unref (Ticket *ticket)
{
  if (g_atomic_int_dec_and_test (&ticket->refs))
    g_free (ticket);
}

static void
pool_task (gpointer data, gpointer unused)
{
  Ticket *ticket = data;

  /* The caller may have given up on this ticket (its thread could not be
   * started and it was queued anyway); then the runner may be gone. */
  if (g_atomic_int_compare_and_exchange (&ticket->taken, 0, 1))
    work_tiles (ticket->runner);
  ticket_unref (ticket);
}

static gpointer
create_tile_pool (gpointer unused)
{
  /* Unlimited size: a job may ask for more threads than cores (tests use
   * 8); idle threads are kept a while for the next run. */
  GThreadPool *pool = g_thread_pool_new (pool_task, NULL, -1, FALSE, NULL);
  g_thread_pool_set_max_unused_threads (MAX (4, (int) g_get_num_processors ()));
  return pool;
}

/* Starts @n workers on @r; returns how many run (the rest are not counted
 * in r->running).  Sets @error only if none could start. */
static int
start_workers (Runner *r, int n, GError **error)
{
  static GOnce once = G_ONCE_INIT;
  GThreadPool *pool = g_once (&once, create_tile_pool, NULL);
  int started = 0;

  r->running = n;
  for (int i = 0; i < n; i++)
    {
      GError *push_error = NULL;
      Ticket *ticket = g_new0 (Ticket, 1);
      gboolean queued;

      ticket->runner = r;
      ticket->refs = 2;
      queued = g_thread_pool_push (pool, ticket, &push_error) ||
               !g_atomic_int_compare_and_exchange (&ticket->taken, 0, 1);
      ticket_unref (ticket);
      if (queued)
        {
          /* Queued with a thread to run it (or already taken by one). */
          g_clear_error (&push_error);
          started++;
          continue;
        }
      /* No thread for it: this ticket is ours now and stays queued
       * harmlessly until the pool frees it. */
      g_mutex_lock (&r->lock);
      r->running--;
      g_mutex_unlock (&r->lock);
      if (started == 0 && i == n - 1)
        g_propagate_error (error, push_error);
      else
        g_error_free (push_error);
    }
  return started;
}

/* The tiled run at the model's own scale, resampled to target_w x target_h. */
static gboolean
run_tiled (const SrModel *model, const SrJob *job, int target_w, int target_h, GError **error)
{
  const SrArch *arch = model->arch;
  Runner r = { 0 };
  int n_threads, workers, tile_w, tile_h, halo, caller_width = 1;
  gboolean ok, caller_works;

  if (!sr_output_size (model, job->width, job->height, &r.out_w, &r.out_h, error))
    return FALSE;
  r.target_w = target_w;
  r.target_h = target_h;
  r.resample = target_w != r.out_w || target_h != r.out_h;
  r.model = model;
  r.job = job;
  r.pad_w = padded_side (arch, job->width);
  r.pad_h = padded_side (arch, job->height);
  r.clamp = !job->unclamped;
  n_threads = job->threads > 0 ? job->threads : (int) g_get_num_processors ();
  if (job->tile_size > 0)
    tile_w = tile_h = job->tile_size;
  else
    auto_tile_size (model, r.pad_w, r.pad_h, n_threads, &tile_w, &tile_h);
  halo = arch->halo (model);
  if (r.resample)
    {
      /* The resampling kernel reads this far past a tile's core: that
       * margin of network output must be exact too. */
      int s = sr_model_output_scale (model);
      int reach = MAX (sr_resample_radius (r.out_w, target_w), sr_resample_radius (r.out_h, target_h));
      halo += (reach + s - 1) / s + 1;
    }
  /* Tile origins on even pixels at least: the Winograd convolution's 2x2
   * output tiles (winograd.h) then fall on the same grid as in the whole
   * image, so a pixel gets the same arithmetic whichever tile computes it. */
  r.tiles = sr_tiler_plan (r.pad_w, r.pad_h, tile_w, tile_h, halo,
                           arch->size_multiple % 2 ? 2 * arch->size_multiple : arch->size_multiple,
                           arch->min_size);
  /* Workers: one per thread for local networks (their tiles are small);
   * at most MAX_BIG_WORKERS memory-budget tiles at once for the others, so
   * their memory does not grow with the core count.  Threads beyond the
   * workers (or the tiles) split each tile's layers. */
  workers = arch->local ? n_threads : MIN (n_threads, MAX_BIG_WORKERS);
  workers = CLAMP (workers, 1, (int) r.tiles->len);
  r.team_width = MAX (1, n_threads / workers);
  r.total_steps = (gint64) r.tiles->len * (model->blocks + arch->extra_steps) *
                  (job->tta ? SR_TTA_VIEWS : 1);

  /* The user may have cancelled before anything started. */
  if (job->cancel && job->cancel (job->user_data))
    {
      g_array_unref (r.tiles);
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
    int wanted = workers - (caller_works ? 1 : 0);
    if (wanted > 0 && start_workers (&r, wanted, &start_error) == 0 && !caller_works)
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

  for (;;)
    {
      gboolean worked = caller_works && work_one_tile (&r);

      g_mutex_lock (&r.lock);
      if (!worked && g_queue_is_empty (&r.io_requests))
        {
          if (r.running == 0)
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
  if (caller_works)
    sr_parallel_set_width (caller_width);

  ok = r.error == NULL;
  if (!ok)
    g_propagate_error (error, r.error);
  else if (job->progress)
    job->progress (job->user_data, 1.0);
  g_array_unref (r.tiles);
  g_mutex_clear (&r.lock);
  g_cond_clear (&r.cond);
  g_cond_clear (&r.io_done);
  return ok;
}

/* ---- Any scale ---- */

/* The stages below wrap the caller's job in one of their own; their data
 * starts with the caller's job, and what they do not change passes through. */
static const SrJob *
outer_job (gpointer data)
{
  return *(const SrJob **) data;
}

static gboolean
pass_read (gpointer data, int x, int y, int w, int h, float *dst, GError **error)
{
  const SrJob *job = outer_job (data);
  return job->read (job->user_data, x, y, w, h, dst, error);
}

static gboolean
pass_write (gpointer data, int x, int y, int w, int h, const float *src, GError **error)
{
  const SrJob *job = outer_job (data);
  return job->write (job->user_data, x, y, w, h, src, error);
}

static void
pass_progress (gpointer data, double fraction)
{
  const SrJob *job = outer_job (data);
  job->progress (job->user_data, fraction);
}

static gboolean
pass_cancel (gpointer data)
{
  const SrJob *job = outer_job (data);
  return job->cancel (job->user_data);
}

/* A source that is the caller's image resized (cubic) to width x height:
 * feeds same-size restoration models like IMDN_AS. */
typedef struct
{
  const SrJob *job;   /* first: outer_job() */
  int width, height;
} ResizedSource;

static gboolean
resized_read (gpointer data, int x, int y, int w, int h, float *dst, GError **error)
{
  ResizedSource *src = data;
  const SrJob *job = src->job;
  SrResampleAxis ax = { 0 }, ay = { 0 };
  int sx0, sx1, sy0, sy1;
  float *buf = NULL;
  gboolean ok;

  if (!sr_resample_axis_init (&ax, job->width, src->width, x, w, 0, job->width) ||
      !sr_resample_axis_init (&ay, job->height, src->height, y, h, 0, job->height))
    goto nomem;
  sx0 = ax.first[0];
  sx1 = ax.first[w - 1] + ax.taps;
  sy0 = ay.first[0];
  sy1 = ay.first[h - 1] + ay.taps;
  sx1 = MIN (sx1, job->width);
  sy1 = MIN (sy1, job->height);
  buf = g_try_malloc ((gsize) (sx1 - sx0) * (sy1 - sy0) * 3 * sizeof (float));
  if (!buf)
    goto nomem;
  ok = job->read (job->user_data, sx0, sy0, sx1 - sx0, sy1 - sy0, buf, error);
  if (ok && !sr_resample_rgb (buf, sx1 - sx0, sy1 - sy0, sx0, sy0, &ax, &ay, dst))
    goto nomem;
  g_free (buf);
  sr_resample_axis_clear (&ax);
  sr_resample_axis_clear (&ay);
  return ok;

nomem:
  g_free (buf);
  sr_resample_axis_clear (&ax);
  sr_resample_axis_clear (&ay);
  g_set_error (error, SR_ERROR, SR_ERROR_NOMEM, "out of memory resizing the input");
  return FALSE;
}

static gboolean
check_job (const SrModel *model, const SrJob *job, int target_w, int target_h, GError **error)
{
  if (!job->read || !job->write)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "read and write callbacks are required");
      return FALSE;
    }
  if (job->threads < 0 || job->threads > 256 || job->tile_size < 0 || job->tile_size > SR_MAX_INPUT_SIDE)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID,
                   "threads must be 0..256 and the tile size 0..%d", SR_MAX_INPUT_SIDE);
      return FALSE;
    }
  if (!sr_output_size (model, job->width, job->height, NULL, NULL, error))
    return FALSE;
  if (target_w < job->width || target_h < job->height ||
      target_w > 8 * (gint64) job->width || target_h > 8 * (gint64) job->height ||
      target_w > 8 * SR_MAX_INPUT_SIDE || target_h > 8 * SR_MAX_INPUT_SIDE)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "cannot scale %d x %d to %d x %d: the scale "
                   "must be 1 to 8", job->width, job->height, target_w, target_h);
      return FALSE;
    }
  return TRUE;
}

/* One model: at its own scale, resampled to the target. */
static gboolean
upscale_single (const SrModel *model, const SrJob *job, int target_w, int target_h, GError **error)
{
  /* Same-size restoration models run on the input already resized. */
  if (sr_model_output_scale (model) == 1 && (target_w != job->width || target_h != job->height))
    {
      ResizedSource src = { job, target_w, target_h };
      SrJob inner = *job;
      if (target_w > SR_MAX_INPUT_SIDE || target_h > SR_MAX_INPUT_SIDE)
        {
          g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "%d x %d is too large for a same-size "
                       "model (at most %d a side)", target_w, target_h, SR_MAX_INPUT_SIDE);
          return FALSE;
        }
      inner.width = target_w;
      inner.height = target_h;
      inner.read = resized_read;
      inner.write = pass_write;
      inner.progress = job->progress ? pass_progress : NULL;
      inner.cancel = job->cancel ? pass_cancel : NULL;
      inner.user_data = &src;
      return run_tiled (model, &inner, target_w, target_h, error);
    }
  return run_tiled (model, job, target_w, target_h, error);
}

/* ---- Above the model's scale: a second, x2 model on its output ---- */

/* The first stage's whole output as floats (RGB interleaved), which the
 * second stage reads its tiles from; each stage reports its share of the
 * progress. */
typedef struct
{
  const SrJob *job;          /* the caller's; first: outer_job() */
  float       *image;
  int          width;          /* of the image, in pixels */
  double       from, span;   /* the running stage's part of the progress */
} Chain;

static gboolean
chain_store (gpointer data, int x, int y, int w, int h, const float *src, GError **error)
{
  Chain *c = data;
  for (int r = 0; r < h; r++)
    memcpy (c->image + ((gsize) (y + r) * c->width + x) * 3, src + (gsize) r * w * 3,
            (gsize) w * 3 * sizeof (float));
  return TRUE;
}

static gboolean
chain_load (gpointer data, int x, int y, int w, int h, float *dst, GError **error)
{
  Chain *c = data;
  for (int r = 0; r < h; r++)
    memcpy (dst + (gsize) r * w * 3, c->image + ((gsize) (y + r) * c->width + x) * 3,
            (gsize) w * 3 * sizeof (float));
  return TRUE;
}

static void
chain_progress (gpointer data, double fraction)
{
  Chain *c = data;
  c->job->progress (c->job->user_data, c->from + c->span * fraction);
}

/* The best installed x2 model, or NULL (then the caller resamples). */
static SrModel *
load_second_stage (void)
{
  const char *id = sr_catalog_default_id (2);
  char *path = id ? sr_catalog_resolve (id, NULL, NULL) : NULL;
  SrModel *model = path ? sr_model_load (path, NULL) : NULL;

  g_free (path);
  if (model && sr_model_output_scale (model) != 2)
    g_clear_pointer (&model, sr_model_free);
  return model;
}

/* @first at its own scale into memory, then @second on that, resampled to
 * the target.  FALSE without @error set if the intermediate image does not
 * fit CHAIN_BUDGET_BYTES: the caller then resamples @first's output. */
static gboolean
upscale_chained (const SrModel *first, const SrModel *second, const SrJob *job,
                 int target_w, int target_h, gboolean *tried, GError **error)
{
  const int s1 = sr_model_output_scale (first), s2 = sr_model_output_scale (second);
  const gint64 mid_w = (gint64) job->width * s1, mid_h = (gint64) job->height * s1;
  const double work1 = first->macs_per_pixel, work2 = second->macs_per_pixel * s1 * s1;
  Chain chain = { job, NULL, (int) mid_w, 0.0, 1.0 };
  SrJob stage = *job;
  gboolean ok;

  *tried = FALSE;
  if (mid_w * mid_h * 3 * (gint64) sizeof (float) > CHAIN_BUDGET_BYTES ||
      mid_w > SR_MAX_INPUT_SIDE || mid_h > SR_MAX_INPUT_SIDE ||
      target_w > mid_w * s2 || target_h > mid_h * s2 ||
      !(chain.image = g_try_malloc ((gsize) mid_w * mid_h * 3 * sizeof (float))))
    return FALSE;
  *tried = TRUE;

  stage.user_data = &chain;
  stage.progress = job->progress ? chain_progress : NULL;
  stage.cancel = job->cancel ? pass_cancel : NULL;
  stage.read = pass_read;
  stage.write = chain_store;
  chain.span = work1 + work2 > 0 ? work1 / (work1 + work2) : 0.5;
  ok = upscale_single (first, &stage, (int) mid_w, (int) mid_h, error);
  if (ok)
    {
      stage.width = (int) mid_w;
      stage.height = (int) mid_h;
      stage.read = chain_load;
      stage.write = pass_write;
      chain.from = chain.span;
      chain.span = 1.0 - chain.from;
      ok = check_job (second, &stage, target_w, target_h, error) &&
           upscale_single (second, &stage, target_w, target_h, error);
    }
  g_free (chain.image);
  return ok;
}

gboolean
sr_upscale_to (const SrModel *model, const SrJob *job, int target_w, int target_h, GError **error)
{
  g_return_val_if_fail (model && job, FALSE);
  if (!check_job (model, job, target_w, target_h, error))
    return FALSE;

  /* Asked to, larger than the model makes (x8 from a x4 model): the best
   * x2 model goes over its output instead of a cubic.  The x2 models learnt
   * to undo a bicubic downscale, not a x4 model's softness, which is why
   * this is not the default (sr.h). */
  if (sr_model_output_scale (model) >= 2 && job->chain &&
      target_w > (gint64) job->width * sr_model_output_scale (model) &&
      target_h > (gint64) job->height * sr_model_output_scale (model))
    {
      SrModel *second = load_second_stage ();
      gboolean tried = FALSE, ok = FALSE;
      if (second)
        ok = upscale_chained (model, second, job, target_w, target_h, &tried, error);
      g_clear_pointer (&second, sr_model_free);
      if (tried)
        return ok;
    }
  return upscale_single (model, job, target_w, target_h, error);
}

gboolean
sr_upscale (const SrModel *model, const SrJob *job, GError **error)
{
  int ow, oh;

  g_return_val_if_fail (model && job, FALSE);
  if (!sr_output_size (model, job->width, job->height, &ow, &oh, error))
    return FALSE;
  return sr_upscale_to (model, job, ow, oh, error);
}
