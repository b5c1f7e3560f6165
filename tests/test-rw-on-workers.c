/* SrJob.rw_on_workers (issue #18): read and write run on the tile workers,
 * several at once, and reach the calling thread for their real I/O through
 * sr_call_on_caller.  A job over a 1-MP image on 4 threads records where
 * each call ran and what rectangles it got; checked against what holds
 * whatever the scheduler does: every I/O on the calling thread, reads and
 * writes on at least one other thread too, reads inside the image, the
 * writes covering the output exactly once, and the pixels those of a
 * nearest-neighbour x2 (the zero model) of the input. */
#include <string.h>

#include "sr.h"
#include "model-builder.h"

#define W 1000
#define H 1000
#define S 2

typedef struct
{
  const float *in;
  float       *out;
  guint8      *written;        /* times each output pixel was written */
  GThread     *caller;
  GMutex       lock;           /* guards the counters below */
  int          reads, writes;
  int          reads_off_caller, writes_off_caller;
  int          io_calls, io_off_caller;
  int          fail_sink_at;   /* the sink's call that fails (1 first), 0 none */
  int          sink_calls;
} Record;

static void
count (Record *rec, int *all, int *off_caller)
{
  g_mutex_lock (&rec->lock);
  (*all)++;
  if (g_thread_self () != rec->caller)
    (*off_caller)++;
  g_mutex_unlock (&rec->lock);
}

/* One copy made on the calling thread. */
typedef struct
{
  Record *rec;
  int     x, y, w, h;
  float  *pixels;
} Copy;

static gboolean
source_on_caller (gpointer data, GError **error)
{
  Copy *c = data;

  count (c->rec, &c->rec->io_calls, &c->rec->io_off_caller);
  for (int r = 0; r < c->h; r++)
    memcpy (c->pixels + (gsize) r * c->w * 3, c->rec->in + ((gsize) (c->y + r) * W + c->x) * 3,
            (gsize) c->w * 3 * sizeof (float));
  return TRUE;
}

static gboolean
sink_on_caller (gpointer data, GError **error)
{
  Copy *c = data;
  Record *rec = c->rec;

  count (rec, &rec->io_calls, &rec->io_off_caller);
  if (rec->fail_sink_at && ++rec->sink_calls >= rec->fail_sink_at)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, "disk full");
      return FALSE;
    }
  for (int r = 0; r < c->h; r++)
    {
      memcpy (rec->out + ((gsize) (c->y + r) * W * S + c->x) * 3, c->pixels + (gsize) r * c->w * 3,
              (gsize) c->w * 3 * sizeof (float));
      for (int i = 0; i < c->w; i++)
        rec->written[(gsize) (c->y + r) * W * S + c->x + i]++;
    }
  return TRUE;
}

static gboolean
read_cb (gpointer user, int x, int y, int w, int h, float *dst, GError **error)
{
  Record *rec = user;

  count (rec, &rec->reads, &rec->reads_off_caller);
  g_assert_true (x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= W && y + h <= H);
  return sr_call_on_caller (source_on_caller, &(Copy) { rec, x, y, w, h, dst }, error);
}

static gboolean
write_cb (gpointer user, int x, int y, int w, int h, const float *src, GError **error)
{
  Record *rec = user;

  count (rec, &rec->writes, &rec->writes_off_caller);
  g_assert_true (x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= W * S && y + h <= H * S);
  return sr_call_on_caller (sink_on_caller, &(Copy) { rec, x, y, w, h, (float *) src }, error);
}

static SrModel *
zero_model (void)
{
  TestModelSpec spec = { 4, 1, S, 0.0f, NULL, NULL };
  gsize size;
  guint8 *bytes = test_model_build (&spec, &size);
  SrModel *model = sr_model_load_from_data (bytes, size, "zero.srm", NULL);

  g_assert_nonnull (model);
  g_free (bytes);
  return model;
}

static Record *
record_new (void)
{
  Record *rec = g_new0 (Record, 1);
  float *in = g_new (float, (gsize) W * H * 3);

  for (gsize i = 0; i < (gsize) W * H * 3; i++)
    in[i] = (i * 7919 % 1000) / 999.0f;
  rec->in = in;
  rec->out = g_new0 (float, (gsize) W * S * H * S * 3);
  rec->written = g_new0 (guint8, (gsize) W * S * H * S);
  rec->caller = g_thread_self ();
  g_mutex_init (&rec->lock);
  return rec;
}

static void
record_free (Record *rec)
{
  g_free ((float *) rec->in);
  g_free (rec->out);
  g_free (rec->written);
  g_mutex_clear (&rec->lock);
  g_free (rec);
}

static SrJob
job_for (Record *rec)
{
  SrJob job = { 0 };

  job.width = W;
  job.height = H;
  job.read = read_cb;
  job.write = write_cb;
  job.user_data = rec;
  job.threads = 4;
  job.tile_size = 128;   /* ~64 tiles: every worker gets several */
  job.rw_on_workers = TRUE;
  return job;
}

static void
test_io_on_caller_arithmetic_on_workers (void)
{
  SrModel *model = zero_model ();
  Record *rec = record_new ();
  SrJob job = job_for (rec);
  GError *error = NULL;

  g_assert_true (sr_upscale (model, &job, &error));
  g_assert_no_error (error);
  g_test_message ("%d reads (%d off the calling thread), %d writes (%d off it), %d I/O calls",
                  rec->reads, rec->reads_off_caller, rec->writes, rec->writes_off_caller,
                  rec->io_calls);
  g_assert_cmpint (rec->reads_off_caller, >, 0);
  g_assert_cmpint (rec->writes_off_caller, >, 0);
  g_assert_cmpint (rec->io_calls, ==, rec->reads + rec->writes);
  g_assert_cmpint (rec->io_off_caller, ==, 0);
  for (int y = 0; y < H * S; y++)
    for (int x = 0; x < W * S; x++)
      {
        g_assert_cmpint (rec->written[(gsize) y * W * S + x], ==, 1);
        for (int ch = 0; ch < 3; ch++)
          g_assert_cmpfloat (rec->out[((gsize) y * W * S + x) * 3 + ch], ==,
                             rec->in[((gsize) (y / S) * W + x / S) * 3 + ch]);
      }
  record_free (rec);
  sr_model_free (model);
}

/* A failing sink stops the run: the workers' writes still queued are not
 * made (the sink is called exactly up to its failure), and the run reports
 * the sink's error. */
static void
test_failed_sink_stops_writes (void)
{
  SrModel *model = zero_model ();
  Record *rec = record_new ();
  SrJob job = job_for (rec);
  GError *error = NULL;

  rec->fail_sink_at = 3;
  g_assert_false (sr_upscale (model, &job, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC);
  g_assert_cmpint (rec->sink_calls, ==, 3);
  g_clear_error (&error);
  record_free (rec);
  sr_model_free (model);
}

/* Outside a run sr_call_on_caller is a plain call. */
static gboolean
set_flag (gpointer data, GError **error)
{
  *(int *) data = 1;
  return TRUE;
}

static void
test_call_outside_a_run (void)
{
  int flag = 0;

  g_assert_true (sr_call_on_caller (set_flag, &flag, NULL));
  g_assert_cmpint (flag, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rw-on-workers/io-on-caller-arithmetic-on-workers",
                   test_io_on_caller_arithmetic_on_workers);
  g_test_add_func ("/rw-on-workers/failed-sink-stops-writes", test_failed_sink_stops_writes);
  g_test_add_func ("/rw-on-workers/call-outside-a-run", test_call_outside_a_run);
  return g_test_run ();
}
