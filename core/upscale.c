/* sr_upscale: runs the model tile by tile on worker threads.
 *
 * The calling thread only supervises: it reports progress and polls the
 * caller's cancel hook, so both stay on the thread the caller expects (GIMP's
 * main thread).  Workers take the next tile from an atomic counter, read its
 * input (with halo) through the caller's read callback, run the network in a
 * private arena, and hand the tile's core to the write callback; a mutex keeps
 * the callbacks from ever running concurrently.  Every tile is computed the
 * same way whatever the thread count, so results are bit-identical for any
 * number of threads. */
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

  GMutex         io_lock;        /* serialises the caller's callbacks */
  GMutex         lock;           /* guards the fields below */
  GCond          cond;
  int            running;
  GError        *error;          /* the first failure */
} Runner;

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
  g_mutex_lock (&r->io_lock);
  ok = job->read (job->user_data, sx, sy, rw, rh, buf, error);
  g_mutex_unlock (&r->io_lock);
  if (!ok)
    {
      if (error && !*error)
        g_set_error (error, SR_ERROR, SR_ERROR_CALLBACK, "reading the input failed");
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
      SrResampleAxis ax, ay;
      int u0, u1, v0, v1;
      owned_range (x0, x1, r->out_w, r->target_w, &u0, &u1);
      owned_range (y0, y1, r->out_h, r->target_h, &v0, &v1);
      *rect = (SrRect) { u0, v0, u1 - u0, v1 - v0 };
      if (rect->w <= 0 || rect->h <= 0)
        return TRUE;
      if (!(*buf = g_try_malloc ((gsize) rect->w * rect->h * 3 * sizeof (float))))
        goto nomem;
      sr_resample_axis_init (&ax, r->out_w, r->target_w, u0, rect->w, 0, r->out_w);
      sr_resample_axis_init (&ay, r->out_h, r->target_h, v0, rect->h, 0, r->out_h);
      sr_resample_planar_to_rgb (out->data, out->w, out->h, tile->in.x * s, tile->in.y * s,
                                 &ax, &ay, *buf);
      sr_resample_axis_clear (&ax);
      sr_resample_axis_clear (&ay);
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
  g_mutex_lock (&r->io_lock);
  ok = !g_atomic_int_get (&r->stop) &&
       r->job->write (r->job->user_data, rect.x, rect.y, rect.w, rect.h, buf, error);
  g_mutex_unlock (&r->io_lock);
  if (!ok && error && !*error)
    g_set_error (error, SR_ERROR, g_atomic_int_get (&r->stop) ? SR_ERROR_CANCELLED : SR_ERROR_CALLBACK,
                 g_atomic_int_get (&r->stop) ? "cancelled" : "writing the output failed");
  g_free (buf);
  return ok;
}

static gboolean
worker_should_stop (gpointer data)
{
  return g_atomic_int_get (&((Runner *) data)->stop) != 0;
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

static gpointer
worker (gpointer data)
{
  Runner *r = data;
  int i;

  sr_parallel_set_width (r->team_width);
  while (!g_atomic_int_get (&r->stop) &&
         (i = g_atomic_int_add (&r->next_tile, 1)) < (int) r->tiles->len)
    {
      GError *error = NULL;
      if (!run_tile (r, &g_array_index (r->tiles, SrTile, i), &error))
        {
          /* A worker stopped by a cancel reports nothing of its own. */
          if (g_error_matches (error, SR_ERROR, SR_ERROR_CANCELLED) && g_atomic_int_get (&r->stop))
            g_error_free (error);
          else
            fail (r, error);
        }
    }
  g_mutex_lock (&r->lock);
  r->running--;
  g_cond_signal (&r->cond);
  g_mutex_unlock (&r->lock);
  return NULL;
}

/* The tiled run at the model's own scale, resampled to target_w x target_h. */
static gboolean
run_tiled (const SrModel *model, const SrJob *job, int target_w, int target_h, GError **error)
{
  const SrArch *arch = model->arch;
  Runner r = { 0 };
  GPtrArray *threads;
  int n_threads, workers, tile_w, tile_h, halo, total_steps;
  gboolean ok;

  if (!sr_output_size (model, job->width, job->height, &r.out_w, &r.out_h, error))
    return FALSE;
  r.target_w = target_w;
  r.target_h = target_h;
  r.resample = target_w != r.out_w || target_h != r.out_h;
  r.model = model;
  r.job = job;
  r.pad_w = padded_side (arch, job->width);
  r.pad_h = padded_side (arch, job->height);
  /* Tests compare raw network output with PyTorch, before clamping. */
  r.clamp = g_strcmp0 (g_getenv ("SR_NO_CLAMP"), "1") != 0;
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
  n_threads = workers;
  total_steps = r.tiles->len * (model->blocks + arch->extra_steps) * (job->tta ? SR_TTA_VIEWS : 1);

  /* The user may have cancelled before anything started. */
  if (job->cancel && job->cancel (job->user_data))
    {
      g_array_unref (r.tiles);
      g_set_error_literal (error, SR_ERROR, SR_ERROR_CANCELLED, "cancelled");
      return FALSE;
    }

  g_mutex_init (&r.io_lock);
  g_mutex_init (&r.lock);
  g_cond_init (&r.cond);
  threads = g_ptr_array_new ();
  r.running = n_threads;
  for (int i = 0; i < n_threads; i++)
    {
      GError *thread_error = NULL;
      GThread *t = g_thread_try_new ("sr-worker", worker, &r, &thread_error);
      if (t)
        g_ptr_array_add (threads, t);
      else
        {
          g_mutex_lock (&r.lock);
          r.running--;
          g_mutex_unlock (&r.lock);
          if (threads->len == 0)
            fail (&r, thread_error);   /* not even one worker */
          else
            g_error_free (thread_error);
        }
    }

  g_mutex_lock (&r.lock);
  while (r.running > 0)
    {
      g_cond_wait_until (&r.cond, &r.lock, g_get_monotonic_time () + POLL_US);
      g_mutex_unlock (&r.lock);
      if (job->progress)
        job->progress (job->user_data, MIN (1.0, (double) g_atomic_int_get (&r.steps_done) / total_steps));
      if (job->cancel && !g_atomic_int_get (&r.stop) && job->cancel (job->user_data))
        {
          fail (&r, g_error_new_literal (SR_ERROR, SR_ERROR_CANCELLED, "cancelled"));
        }
      g_mutex_lock (&r.lock);
    }
  g_mutex_unlock (&r.lock);

  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
  g_ptr_array_unref (threads);

  ok = r.error == NULL;
  if (!ok)
    g_propagate_error (error, r.error);
  else if (job->progress)
    job->progress (job->user_data, 1.0);
  g_array_unref (r.tiles);
  g_mutex_clear (&r.io_lock);
  g_mutex_clear (&r.lock);
  g_cond_clear (&r.cond);
  return ok;
}

/* ---- Any scale ---- */

/* A source that is the caller's image resized (cubic) to width x height:
 * feeds same-size restoration models like IMDN_AS. */
typedef struct
{
  const SrJob *job;
  int width, height;
} ResizedSource;

static gboolean
resized_read (gpointer data, int x, int y, int w, int h, float *dst, GError **error)
{
  ResizedSource *src = data;
  const SrJob *job = src->job;
  SrResampleAxis ax, ay;
  int sx0, sx1, sy0, sy1;
  float *buf;
  gboolean ok;

  sr_resample_axis_init (&ax, job->width, src->width, x, w, 0, job->width);
  sr_resample_axis_init (&ay, job->height, src->height, y, h, 0, job->height);
  sx0 = ax.first[0];
  sx1 = ax.first[w - 1] + ax.taps;
  sy0 = ay.first[0];
  sy1 = ay.first[h - 1] + ay.taps;
  sx1 = MIN (sx1, job->width);
  sy1 = MIN (sy1, job->height);
  buf = g_try_malloc ((gsize) (sx1 - sx0) * (sy1 - sy0) * 3 * sizeof (float));
  ok = buf && job->read (job->user_data, sx0, sy0, sx1 - sx0, sy1 - sy0, buf, error);
  if (!buf)
    g_set_error (error, SR_ERROR, SR_ERROR_NOMEM, "out of memory resizing the input");
  if (ok)
    sr_resample_rgb (buf, sx1 - sx0, sy1 - sy0, sx0, sy0, &ax, &ay, dst);
  g_free (buf);
  sr_resample_axis_clear (&ax);
  sr_resample_axis_clear (&ay);
  return ok;
}

static gboolean
resized_write (gpointer data, int x, int y, int w, int h, const float *src, GError **error)
{
  const SrJob *job = ((ResizedSource *) data)->job;
  return job->write (job->user_data, x, y, w, h, src, error);
}

static void
resized_progress (gpointer data, double fraction)
{
  const SrJob *job = ((ResizedSource *) data)->job;
  job->progress (job->user_data, fraction);
}

static gboolean
resized_cancel (gpointer data)
{
  const SrJob *job = ((ResizedSource *) data)->job;
  return job->cancel (job->user_data);
}

gboolean
sr_upscale_to (const SrModel *model, const SrJob *job, int target_w, int target_h, GError **error)
{
  g_return_val_if_fail (model && job, FALSE);
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
      inner.write = resized_write;
      inner.progress = job->progress ? resized_progress : NULL;
      inner.cancel = job->cancel ? resized_cancel : NULL;
      inner.user_data = &src;
      return run_tiled (model, &inner, target_w, target_h, error);
    }
  return run_tiled (model, job, target_w, target_h, error);
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
