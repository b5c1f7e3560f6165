/* sr_upscale's contract: callbacks, progress, cancellation and errors.
 * An ECBSR whose weights are all zero is exactly a nearest-neighbour
 * upscaler (its global residual), which gives a known answer.
 * Every callback must run on the thread that called sr_upscale (sr.h), so
 * each one asserts that, and the counters below need no lock. */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sr.h"
#include "tiler.h"
#include "tensor.h"
#include "model-builder.h"

typedef struct
{
  int w, h, ow, oh;
  float *in, *out;
  int reads, writes, fail_read, fail_write, cancel_after, slow_read;
  int progress_calls;
  double last_progress;
  GThread *caller;   /* the thread every callback must run on */
} Ctx;

static void
assert_on_caller (const Ctx *c)
{
  g_assert_true (g_thread_self () == c->caller);
}

static gboolean
read_cb (gpointer user, int x, int y, int w, int h, float *dst, GError **error)
{
  Ctx *c = user;
  assert_on_caller (c);
  g_assert_true (x >= 0 && y >= 0 && x + w <= c->w && y + h <= c->h);
  c->reads++;
  if (c->slow_read)
    g_usleep (G_USEC_PER_SEC);   /* the supervisor polls cancel meanwhile */
  if (c->fail_read)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, "disk on fire");
      return FALSE;
    }
  for (int r = 0; r < h; r++)
    memcpy (dst + (gsize) r * w * 3, c->in + ((gsize) (y + r) * c->w + x) * 3, (gsize) w * 3 * sizeof (float));
  return TRUE;
}

static gboolean
write_cb (gpointer user, int x, int y, int w, int h, const float *src, GError **error)
{
  Ctx *c = user;
  assert_on_caller (c);
  g_assert_true (x >= 0 && y >= 0 && x + w <= c->ow && y + h <= c->oh);
  c->writes++;
  if (c->fail_write)
    return FALSE;   /* without setting an error: the core must supply one */
  for (int r = 0; r < h; r++)
    memcpy (c->out + ((gsize) (y + r) * c->ow + x) * 3, src + (gsize) r * w * 3, (gsize) w * 3 * sizeof (float));
  return TRUE;
}

static void
progress_cb (gpointer user, double fraction)
{
  Ctx *c = user;
  assert_on_caller (c);
  g_assert_cmpfloat (fraction, >=, c->last_progress);
  g_assert_cmpfloat (fraction, <=, 1.0);
  c->last_progress = fraction;
  c->progress_calls++;
}

static gboolean
cancel_cb (gpointer user)
{
  Ctx *c = user;
  assert_on_caller (c);
  return c->cancel_after >= 0 && c->reads >= c->cancel_after;
}

static SrModel *
zero_model (int scale)
{
  TestModelSpec spec = { 4, 1, scale, 0.0f, NULL, NULL };
  gsize size;
  guint8 *bytes = test_model_build (&spec, &size);
  GError *error = NULL;
  SrModel *model = sr_model_load_from_data (bytes, size, "zero.srm", &error);
  g_assert_no_error (error);
  g_free (bytes);
  return model;
}

static Ctx *
ctx_new (const SrModel *model, int w, int h)
{
  Ctx *c = g_new0 (Ctx, 1);
  c->w = w;
  c->h = h;
  sr_output_size (model, w, h, &c->ow, &c->oh, NULL);
  c->in = g_new (float, (gsize) w * h * 3);
  c->out = g_new0 (float, (gsize) c->ow * c->oh * 3);
  for (gsize i = 0; i < (gsize) w * h * 3; i++)
    c->in[i] = (i * 7919 % 1000) / 999.0f;
  c->cancel_after = -1;
  c->caller = g_thread_self ();
  return c;
}

static void
ctx_free (Ctx *c)
{
  g_free (c->in);
  g_free (c->out);
  g_free (c);
}

static SrJob
job_for (Ctx *c)
{
  SrJob job = { c->w, c->h, read_cb, write_cb, progress_cb, cancel_cb, c, 0, 0 };
  return job;
}

static void
test_nearest_neighbour (void)
{
  for (int s = 1; s <= 4; s++)
    {
      SrModel *model = zero_model (s);
      Ctx *c = ctx_new (model, 37, 150);   /* taller than one read strip */
      SrJob job = job_for (c);
      GError *error = NULL;

      g_assert_true (sr_upscale (model, &job, &error));
      g_assert_no_error (error);
      for (int y = 0; y < c->oh; y++)
        for (int x = 0; x < c->ow; x++)
          for (int ch = 0; ch < 3; ch++)
            g_assert_cmpfloat (c->out[((gsize) y * c->ow + x) * 3 + ch], ==,
                               c->in[((gsize) (y / s) * c->w + x / s) * 3 + ch]);
      g_assert_cmpfloat (c->last_progress, ==, 1.0);
      ctx_free (c);
      sr_model_free (model);
    }
}

/* Threads of this process that are not the core's: the main thread, and
 * under ThreadSanitizer also its runtime's background thread. */
#if defined(__SANITIZE_THREAD__)
#define OWN_THREADS 2
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define OWN_THREADS 2
#endif
#endif
#ifndef OWN_THREADS
#define OWN_THREADS 1
#endif

/* Threads of this process now (Linux: one entry per thread in /proc/self/task). */
static int
count_threads (void)
{
  GDir *dir = g_dir_open ("/proc/self/task", 0, NULL);
  int n = 0;

  if (!dir)
    return -1;
  while (g_dir_read_name (dir))
    n++;
  g_dir_close (dir);
  return n;
}

/* Runs a zero (nearest-neighbour) x2 model on c with @threads threads and
 * checks every output pixel. */
static void
run_nearest_x2 (const SrModel *model, Ctx *c, int threads)
{
  SrJob job = job_for (c);
  GError *error = NULL;

  job.threads = threads;
  c->last_progress = 0;
  g_assert_true (sr_upscale (model, &job, &error));
  g_assert_no_error (error);
  for (int y = 0; y < c->oh; y++)
    for (int x = 0; x < c->ow; x++)
      for (int ch = 0; ch < 3; ch++)
        g_assert_cmpfloat (c->out[((gsize) y * c->ow + x) * 3 + ch], ==,
                           c->in[((gsize) (y / 2) * c->w + x / 2) * 3 + ch]);
}

/* sr_cache_trim and sr_shutdown end every thread the core started (the
 * tile workers, a 1-MP image on 4 threads; the layer helpers, a small image
 * on 8 threads, whose few tiles split their layers) and the arena's kept
 * feature-map blocks, and the core works
 * again afterwards.  Under ASan (tools/test-all.sh) the thread scratch
 * freed on the way is checked too. */
static void
test_cache_trim_ends_threads (void)
{
  SrModel *model = zero_model (2);
  Ctx *big = ctx_new (model, 1000, 1000), *small = ctx_new (model, 37, 150);
  int before = count_threads (), after = -1;

  if (before < 0)
    {
      g_test_skip ("no /proc/self/task");
      goto out;
    }
  /* Idle threads would otherwise end on their own after a while (GLib's
   * default 15 s), trimmed or not. */
  g_thread_pool_set_max_idle_time (0);
  for (int round = 0; round < 2; round++)
    {
      run_nearest_x2 (model, big, 4);
      run_nearest_x2 (model, small, 8);
      g_assert_cmpint (count_threads (), >, OWN_THREADS);
      /* The 1-MP run's feature maps (12 MB input tiles) were kept ... */
      g_assert_cmpuint (sr_arena_cached_bytes (), >, 0);
      if (round == 0)
        sr_cache_trim ();
      else
        sr_shutdown ();
      /* GLib ends idle threads asynchronously: wait for them (at most 20 s). */
      for (int i = 0; i < 2000 && (after = count_threads ()) > OWN_THREADS; i++)
        g_usleep (10000);
      g_assert_cmpint (after, ==, OWN_THREADS);
      /* ... and given back; round 1 (run_nearest_x2 checks every pixel)
       * shows a run after the trim works. */
      g_assert_cmpuint (sr_arena_cached_bytes (), ==, 0);
    }
out:
  ctx_free (big);
  ctx_free (small);
  sr_model_free (model);
}

/* sr_upscale_chain: above the first model's scale, the x2 model the caller
 * passes runs on its output.  Zero models are nearest-neighbour, so x4 then
 * x2 is exactly nearest x8; without (sr_upscale_to, or no second model),
 * the x4 output is stretched by a cubic, which is not.  The model folders
 * hold no model at all: the core must not look for one there. */
static void
test_chain_to_x8 (void)
{
  char *dir = g_dir_make_tmp ("sr-chain-XXXXXX", NULL);
  char *old_path = g_strdup (g_getenv ("SR_MODEL_PATH"));
  SrModel *model = zero_model (4), *second = zero_model (2), *wrong = zero_model (3);
  Ctx *c = ctx_new (model, 13, 11);
  SrJob job = job_for (c);
  GError *error = NULL;

  g_setenv ("SR_MODEL_PATH", dir, TRUE);
  c->ow = 8 * c->w;
  c->oh = 8 * c->h;
  g_free (c->out);
  c->out = g_new0 (float, (gsize) c->ow * c->oh * 3);

  g_assert_true (sr_upscale_chain (model, second, &job, c->ow, c->oh, &error));
  g_assert_no_error (error);
  for (int y = 0; y < c->oh; y++)
    for (int x = 0; x < c->ow; x++)
      for (int ch = 0; ch < 3; ch++)
        g_assert_cmpfloat_with_epsilon (c->out[((gsize) y * c->ow + x) * 3 + ch],
                                        c->in[((gsize) (y / 8) * c->w + x / 8) * 3 + ch], 1e-6);
  g_assert_cmpfloat (c->last_progress, ==, 1.0);

  for (int without = 0; without < 2; without++)
    {
      int differ = 0;
      c->last_progress = 0;
      memset (c->out, 0, (gsize) c->ow * c->oh * 3 * sizeof (float));
      g_assert_true (without ? sr_upscale_to (model, &job, c->ow, c->oh, &error)
                             : sr_upscale_chain (model, NULL, &job, c->ow, c->oh, &error));
      for (int y = 0; y < c->oh; y++)
        for (int x = 0; x < c->ow; x++)
          differ += fabsf (c->out[((gsize) y * c->ow + x) * 3] -
                           c->in[((gsize) (y / 8) * c->w + x / 8) * 3]) > 1e-3;
      g_assert_cmpint (differ, >, 0);
    }

  /* A second model that is not x2 is the caller's mistake, said plainly. */
  g_assert_false (sr_upscale_chain (model, wrong, &job, c->ow, c->oh, &error));
  g_assert_error (error, SR_ERROR, SR_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "x2"));
  g_clear_error (&error);

  if (old_path)
    g_setenv ("SR_MODEL_PATH", old_path, TRUE);
  else
    g_unsetenv ("SR_MODEL_PATH");
  g_rmdir (dir);
  g_free (dir);
  g_free (old_path);
  ctx_free (c);
  sr_model_free (model);
  sr_model_free (second);
  sr_model_free (wrong);
}

/* A ~1-megapixel run on several threads, called from a thread of its own
 * (as the dialog's preview worker does): every callback on that thread
 * (asserted in each), the result still the nearest-neighbour image.
 * Before the core served the workers' I/O on the calling thread, reads and
 * writes ran on workers: GIMP's plug-in wire broke under that. */
typedef struct
{
  const SrModel *model;
  int threads, tile_size;
  int w, h;
} ThreadRun;

static gpointer
run_on_own_thread (gpointer data)
{
  const ThreadRun *t = data;
  Ctx *c = ctx_new (t->model, t->w, t->h);
  SrJob job = job_for (c);
  GError *error = NULL;
  const int s = sr_model_get_scale (t->model);

  job.threads = t->threads;
  job.tile_size = t->tile_size;
  g_assert_true (sr_upscale (t->model, &job, &error));
  g_assert_no_error (error);
  g_assert_cmpint (c->reads, >, 1);
  g_assert_cmpint (c->writes, >, 1);
  g_assert_cmpfloat (c->last_progress, ==, 1.0);
  for (int y = 0; y < c->oh; y += 7)
    for (int x = 0; x < c->ow; x += 5)
      g_assert_cmpfloat_with_epsilon (c->out[((gsize) y * c->ow + x) * 3 + 1],
                                      c->in[((gsize) (y / s) * c->w + x / s) * 3 + 1], 1e-6);
  ctx_free (c);
  return NULL;
}

static void
test_callbacks_on_calling_thread (void)
{
  SrModel *model = zero_model (2);

  for (int threads = 1; threads <= 4; threads *= 2)
    for (int tile = 0; tile <= 64; tile += 64)
      {
        ThreadRun run = { model, threads, tile, 1024, 680 };
        g_thread_join (g_thread_new ("caller", run_on_own_thread, &run));
      }
  sr_model_free (model);
}

/* The same for a network whose tiles the calling thread does not take
 * (IMDN: it only supervises and serves I/O), with the shipped x2 model on
 * a smaller image: there the output is not a known image, so only the
 * thread of every callback is checked. */
static void
test_callbacks_on_calling_thread_imdn (void)
{
  char *path = sr_catalog_resolve ("imdn-x2", NULL, NULL);
  SrModel *model = path ? sr_model_load (path, NULL) : NULL;

  g_free (path);
  if (!model)
    {
      g_test_skip ("the shipped imdn-x2 model is not on SR_MODEL_PATH");
      return;
    }
  for (int threads = 2; threads <= 4; threads *= 2)
    {
      Ctx *c = ctx_new (model, 200, 150);
      SrJob job = job_for (c);
      GError *error = NULL;

      job.threads = threads;
      job.tile_size = 64;
      g_assert_true (sr_upscale (model, &job, &error));
      g_assert_no_error (error);
      g_assert_cmpint (c->writes, >=, 4);
      ctx_free (c);
    }
  sr_model_free (model);
}

/* A tile size of 1 on the largest image the core takes asked the tiler for
 * 2^32 tiles: their array alone did not fit in memory.  Tiles grow until
 * there are at most SR_TILER_MAX_TILES, and still cover the image once. */
static void
test_tile_count_bounded (void)
{
  const int side = SR_MAX_INPUT_SIDE;
  GArray *tiles = sr_tiler_plan (side, side, 1, 1, 8, 1, 1);
  gint64 area = 0;

  g_assert_cmpuint (tiles->len, <=, SR_TILER_MAX_TILES);
  g_assert_cmpuint (tiles->len, >=, SR_TILER_MAX_TILES / 4);
  for (guint i = 0; i < tiles->len; i++)
    {
      const SrTile *t = &g_array_index (tiles, SrTile, i);
      area += (gint64) t->core.w * t->core.h;
    }
  g_assert_cmpint (area, ==, (gint64) side * side);
  g_array_unref (tiles);
}

static void
test_read_failure (void)
{
  SrModel *model = zero_model (2);
  Ctx *c = ctx_new (model, 10, 10);
  SrJob job = job_for (c);
  GError *error = NULL;

  c->fail_read = 1;
  g_assert_false (sr_upscale (model, &job, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_IO);
  g_assert_cmpint (c->writes, ==, 0);
  g_error_free (error);
  ctx_free (c);
  sr_model_free (model);
}

static void
test_write_failure (void)
{
  SrModel *model = zero_model (2);

  /* With several threads the failing write is usually a worker's request,
   * made on the caller's thread and failed back to the worker. */
  for (int threads = 1; threads <= 4; threads *= 2)
    {
      Ctx *c = ctx_new (model, 300, 200);
      SrJob job = job_for (c);
      GError *error = NULL;

      c->fail_write = 1;
      job.threads = threads;
      job.tile_size = 64;
      g_assert_false (sr_upscale (model, &job, &error));
      g_assert_error (error, SR_ERROR, SR_ERROR_CALLBACK);
      g_assert_cmpint (c->writes, ==, 1);   /* stopped at the first failure */
      g_error_free (error);
      ctx_free (c);
    }
  sr_model_free (model);
}

/* Cancelled before it starts: nothing is read or written. */
static void
test_cancel_before_start (void)
{
  SrModel *model = zero_model (2);
  Ctx *c = ctx_new (model, 20, 20);
  SrJob job = job_for (c);
  GError *error = NULL;

  c->cancel_after = 0;
  g_assert_false (sr_upscale (model, &job, &error));
  g_assert_error (error, SR_ERROR, SR_ERROR_CANCELLED);
  g_assert_cmpint (c->reads, ==, 0);
  g_assert_cmpint (c->writes, ==, 0);
  g_error_free (error);
  ctx_free (c);
  sr_model_free (model);
}

/* Cancelled while the (slow) first tile is being read: the worker stops at
 * the next layer and nothing is written. */
static void
test_cancel_during_run (void)
{
  SrModel *model = zero_model (2);
  Ctx *c = ctx_new (model, 20, 20);
  SrJob job = job_for (c);
  GError *error = NULL;

  c->cancel_after = 1;
  c->slow_read = 1;
  job.threads = 1;   /* one worker: with more, each may have read its first tile */
  g_assert_false (sr_upscale (model, &job, &error));
  g_assert_error (error, SR_ERROR, SR_ERROR_CANCELLED);
  g_assert_cmpint (c->reads, ==, 1);
  g_assert_cmpint (c->writes, ==, 0);
  g_error_free (error);
  ctx_free (c);
  sr_model_free (model);
}

static void
test_bad_sizes (void)
{
  SrModel *model = zero_model (4);
  GError *error = NULL;
  int ow, oh;
  SrJob job = { 0, 10, read_cb, write_cb, NULL, NULL, NULL, 0, 0 };

  g_assert_false (sr_output_size (model, 0, 10, &ow, &oh, &error));
  g_assert_error (error, SR_ERROR, SR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sr_output_size (model, 10, SR_MAX_INPUT_SIDE + 1, &ow, &oh, &error));
  g_assert_error (error, SR_ERROR, SR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sr_upscale (model, &job, &error));
  g_assert_error (error, SR_ERROR, SR_ERROR_INVALID);
  g_clear_error (&error);
  job.width = 10;
  job.read = NULL;
  g_assert_false (sr_upscale (model, &job, &error));
  g_assert_error (error, SR_ERROR, SR_ERROR_INVALID);
  g_clear_error (&error);
  sr_model_free (model);
}

/* One 60000 x 60000 tile needs ~40 GiB for its input alone: a clean NOMEM
 * error, no crash, nothing read or written. */
static void
test_out_of_memory (void)
{
  SrModel *model = zero_model (4);
  GError *error = NULL;
  Ctx c = { .w = 60000, .h = 60000, .ow = 240000, .oh = 240000, .cancel_after = -1 };
  SrJob job = { 60000, 60000, read_cb, write_cb, NULL, NULL, &c, 1, 60000 };

  g_assert_false (sr_upscale (model, &job, &error));
  g_assert_error (error, SR_ERROR, SR_ERROR_NOMEM);
  g_assert_cmpint (c.reads, ==, 0);
  g_assert_cmpint (c.writes, ==, 0);
  g_clear_error (&error);
  sr_model_free (model);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/upscale/nearest-neighbour", test_nearest_neighbour);
  g_test_add_func ("/upscale/chain-to-x8", test_chain_to_x8);
  g_test_add_func ("/upscale/callbacks-on-calling-thread", test_callbacks_on_calling_thread);
  g_test_add_func ("/upscale/callbacks-on-calling-thread-imdn", test_callbacks_on_calling_thread_imdn);
  g_test_add_func ("/upscale/tile-count-bounded", test_tile_count_bounded);
  g_test_add_func ("/upscale/read-failure", test_read_failure);
  g_test_add_func ("/upscale/write-failure", test_write_failure);
  g_test_add_func ("/upscale/cancel-before-start", test_cancel_before_start);
  g_test_add_func ("/upscale/cancel-during-run", test_cancel_during_run);
  g_test_add_func ("/upscale/bad-sizes", test_bad_sizes);
  g_test_add_func ("/upscale/out-of-memory", test_out_of_memory);
  g_test_add_func ("/upscale/cache-trim-ends-threads", test_cache_trim_ends_threads);
  return g_test_run ();
}
