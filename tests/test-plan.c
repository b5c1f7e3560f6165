/* The run plan (sr_plan_new, core/plan.c) against sizes worked out here by
 * hand, and its execution against what a zero-weight ECBSR must give: such
 * a model is exactly a nearest-neighbour upscaler (its global residual), so
 * a direct or chained run's every pixel is known without running a model.
 * Every run also counts its writes and the output pixels each one covers:
 * the run must write each planned tile's core once and every output pixel
 * exactly once, so the plan the dialog shows is the run that happens. */
#include <string.h>

#include "sr.h"
#include "plan.h"
#include "tiler.h"
#include "model-builder.h"

typedef struct
{
  int     w, h, tw, th;
  float  *in, *out;
  guint8 *hits;      /* writes covering each output pixel */
  int     writes;
} Image;

static gboolean
read_cb (gpointer user, int x, int y, int w, int h, float *dst, GError **error)
{
  Image *im = user;

  g_assert_true (x >= 0 && y >= 0 && x + w <= im->w && y + h <= im->h);
  for (int r = 0; r < h; r++)
    memcpy (dst + (gsize) r * w * 3, im->in + ((gsize) (y + r) * im->w + x) * 3,
            (gsize) w * 3 * sizeof (float));
  return TRUE;
}

static gboolean
write_cb (gpointer user, int x, int y, int w, int h, const float *src, GError **error)
{
  Image *im = user;

  g_assert_true (x >= 0 && y >= 0 && x + w <= im->tw && y + h <= im->th);
  im->writes++;
  for (int r = 0; r < h; r++)
    {
      memcpy (im->out + ((gsize) (y + r) * im->tw + x) * 3, src + (gsize) r * w * 3,
              (gsize) w * 3 * sizeof (float));
      for (int c = 0; c < w; c++)
        im->hits[(gsize) (y + r) * im->tw + x + c]++;
    }
  return TRUE;
}

static Image *
image_new (int w, int h, int tw, int th)
{
  Image *im = g_new0 (Image, 1);

  im->w = w;
  im->h = h;
  im->tw = tw;
  im->th = th;
  im->in = g_new (float, (gsize) w * h * 3);
  im->out = g_new0 (float, (gsize) tw * th * 3);
  im->hits = g_new0 (guint8, (gsize) tw * th);
  for (gsize i = 0; i < (gsize) w * h * 3; i++)
    im->in[i] = (i * 7919 % 1000) / 999.0f;
  return im;
}

static void
image_free (Image *im)
{
  g_free (im->in);
  g_free (im->out);
  g_free (im->hits);
  g_free (im);
}

static SrJob
job_for (Image *im, int threads, int tile_size)
{
  SrJob job = { im->w, im->h, read_cb, write_cb, NULL, NULL, im, threads, tile_size };
  return job;
}

static gint64
ceil_div (gint64 a, gint64 b)
{
  return (a + b - 1) / b;
}

/* The tiles' cores cover the stage's (padded) input exactly once, each
 * grown to an input rectangle that holds it. */
static void
assert_tiles_cover (const SrPlanStage *st)
{
  guint8 *count = g_new0 (guint8, (gsize) st->pad_w * st->pad_h);

  for (guint i = 0; i < st->tiles->len; i++)
    {
      const SrTile *t = &g_array_index (st->tiles, SrTile, i);
      g_assert_true (t->in.x <= t->core.x && t->in.y <= t->core.y &&
                     t->in.x + t->in.w >= t->core.x + t->core.w &&
                     t->in.y + t->in.h >= t->core.y + t->core.h);
      for (int y = t->core.y; y < t->core.y + t->core.h; y++)
        for (int x = t->core.x; x < t->core.x + t->core.w; x++)
          count[(gsize) y * st->pad_w + x]++;
    }
  for (gsize i = 0; i < (gsize) st->pad_w * st->pad_h; i++)
    g_assert_cmpint (count[i], ==, 1);
  g_free (count);
}

/* Many (model scale, size, target, tile size, threads): route, sizes, tile
 * grid and workers as computed by hand, and a run that writes every
 * planned tile once and every output pixel once. */
static void
test_geometry (void)
{
  static const int sizes[][2] = { { 1, 1 }, { 7, 5 }, { 37, 150 }, { 151, 47 } };
  static const int tile_sizes[] = { 3, 16, 37, 64 };
  static const int threads[] = { 1, 2, 3, 8 };
  /* targets as (numerator, denominator) of the input size per axis */
  static const int factors[][4] = { { 1, 1, 1, 1 }, { 2, 1, 2, 1 }, { 3, 1, 3, 1 }, { 4, 1, 4, 1 },
                                    { 5, 2, 7, 3 }, { 8, 1, 8, 1 }, { 3, 2, 1, 1 } };
  int cases = 0;

  for (int s = 1; s <= 4; s++)
    {
      SrModel *model = test_model_zero (s, 1, 4);
      for (guint si = 0; si < G_N_ELEMENTS (sizes); si++)
        for (guint fi = 0; fi < G_N_ELEMENTS (factors); fi++)
          for (guint ti = 0; ti < G_N_ELEMENTS (tile_sizes); ti++)
            {
              const int w = sizes[si][0], h = sizes[si][1];
              const int tw = w * factors[fi][0] / factors[fi][1];
              const int th = h * factors[fi][2] / factors[fi][3];
              const int n_threads = threads[(si + fi + ti) % G_N_ELEMENTS (threads)];
              const int tile = tile_sizes[ti];
              Image *im = image_new (w, h, MAX (tw, w), MAX (th, h));
              SrJob job = job_for (im, n_threads, tile);
              GError *error = NULL;
              SrPlan *plan = sr_plan_new (model, NULL, &job, im->tw, im->th, &error);
              SrPlanStageInfo info;
              SrRoute route;
              int in_w, in_h, aligned, nx, ny;

              g_assert_no_error (error);
              g_assert_nonnull (plan);
              /* The route, by hand. */
              if (s == 1 && (im->tw != w || im->th != h))
                route = SR_ROUTE_SAME_SIZE;
              else if (im->tw == w * s && im->th == h * s)
                route = SR_ROUTE_DIRECT;
              else
                route = SR_ROUTE_RESAMPLE;
              g_assert_cmpint (sr_plan_get_route (plan), ==, route);
              g_assert_cmpint (sr_plan_get_n_stages (plan), ==, 1);
              g_assert_cmpint (sr_plan_get_threads (plan), ==, n_threads);
              /* Sizes: a same-size model reads the input resized to the target. */
              in_w = route == SR_ROUTE_SAME_SIZE ? im->tw : w;
              in_h = route == SR_ROUTE_SAME_SIZE ? im->th : h;
              g_assert_false (sr_plan_get_stage (plan, 1, &info));
              g_assert_true (sr_plan_get_stage (plan, 0, &info));
              g_assert_cmpint (info.in_w, ==, in_w);
              g_assert_cmpint (info.in_h, ==, in_h);
              g_assert_cmpint (info.out_w, ==, in_w * s);
              g_assert_cmpint (info.out_h, ==, in_h * s);
              g_assert_cmpint (info.target_w, ==, im->tw);
              g_assert_cmpint (info.target_h, ==, im->th);
              /* The grid: ECBSR has no size multiple, so tiles start on even
               * pixels (the Winograd grid): the tile side rounded up to 2. */
              aligned = (tile + 1) / 2 * 2;
              nx = (int) ceil_div (in_w, aligned);
              ny = (int) ceil_div (in_h, aligned);
              g_assert_cmpint (info.tiles_x, ==, nx);
              g_assert_cmpint (info.tiles_y, ==, ny);
              g_assert_cmpint (sr_plan_get_n_tiles (plan), ==, nx * ny);
              g_assert_cmpint (info.tile_w, ==, MIN (aligned, in_w));
              g_assert_cmpint (info.tile_h, ==, MIN (aligned, in_h));
              /* A local network: one worker per thread, no more than tiles. */
              g_assert_cmpint (info.workers, ==, MIN (n_threads, nx * ny));
              assert_tiles_cover (&plan->stages[0]);

              /* The run follows the plan: one write per tile, each output
               * pixel written once. */
              g_assert_true (sr_plan_run (plan, &job, &error));
              g_assert_no_error (error);
              g_assert_cmpint (im->writes, ==, nx * ny);
              for (gsize i = 0; i < (gsize) im->tw * im->th; i++)
                g_assert_cmpint (im->hits[i], ==, 1);
              if (route == SR_ROUTE_DIRECT)
                for (int y = 0; y < im->th; y++)
                  for (int x = 0; x < im->tw; x++)
                    for (int c = 0; c < 3; c++)
                      g_assert_cmpfloat (im->out[((gsize) y * im->tw + x) * 3 + c], ==,
                                         im->in[((gsize) (y / s) * w + x / s) * 3 + c]);
              sr_plan_free (plan);
              image_free (im);
              cases++;
            }
      sr_model_free (model);
    }
  g_assert_cmpint (cases, ==, 4 * 4 * 7 * 4);
}

/* Automatic tiles on a 1-MP image, 2 threads: the tile count is a multiple
 * of the thread count (tiler.c's policy), the grid its ceil arithmetic, and
 * the run (on 2 threads) writes exactly the planned tiles. */
static void
test_automatic_tiles_1mp (void)
{
  SrModel *model = test_model_zero (2, 4, 4);
  Image *im = image_new (1200, 860, 2400, 1720);
  SrJob job = job_for (im, 2, 0);
  GError *error = NULL;
  SrPlan *plan = sr_plan_new (model, NULL, &job, im->tw, im->th, &error);
  SrPlanStageInfo info;

  g_assert_no_error (error);
  g_assert_cmpint (sr_plan_get_route (plan), ==, SR_ROUTE_DIRECT);
  g_assert_true (sr_plan_get_stage (plan, 0, &info));
  g_assert_cmpint (info.tiles_x, ==, ceil_div (1200, info.tile_w));
  g_assert_cmpint (info.tiles_y, ==, ceil_div (860, info.tile_h));
  g_assert_cmpint (sr_plan_get_n_tiles (plan), >, 2);
  g_assert_cmpint (sr_plan_get_n_tiles (plan) % 2, ==, 0);
  g_assert_cmpint (info.workers, ==, 2);
  assert_tiles_cover (&plan->stages[0]);
  g_assert_true (sr_plan_run (plan, &job, &error));
  g_assert_no_error (error);
  g_assert_cmpint (im->writes, ==, sr_plan_get_n_tiles (plan));
  for (int y = 0; y < im->th; y++)
    for (int x = 0; x < im->tw; x++)
      g_assert_cmpfloat (im->out[((gsize) y * im->tw + x) * 3 + 1], ==,
                         im->in[((gsize) (y / 2) * im->w + x / 2) * 3 + 1]);
  sr_plan_free (plan);
  image_free (im);
  sr_model_free (model);
}

/* A x4 and a x2 zero model chained to x8 is nearest-neighbour x8: two
 * stages, the second over the first's whole output; targets the first
 * model reaches (or exceeds on one axis only) do not chain. */
static void
test_chain (void)
{
  SrModel *x4 = test_model_zero (4, 1, 4), *x2 = test_model_zero (2, 1, 4);
  SrModel *x3 = test_model_zero (3, 1, 4);
  Image *im = image_new (61, 43, 61 * 8, 43 * 8);
  SrJob job = job_for (im, 2, 32);
  GError *error = NULL;
  SrPlan *plan = sr_plan_new (x4, x2, &job, im->tw, im->th, &error);
  SrPlanStageInfo first, second;

  g_assert_no_error (error);
  g_assert_cmpint (sr_plan_get_route (plan), ==, SR_ROUTE_CHAIN);
  g_assert_cmpint (sr_plan_get_n_stages (plan), ==, 2);
  g_assert_true (sr_plan_get_stage (plan, 0, &first));
  g_assert_true (sr_plan_get_stage (plan, 1, &second));
  g_assert_cmpint (first.in_w, ==, 61);
  g_assert_cmpint (first.target_w, ==, 244);
  g_assert_cmpint (first.target_h, ==, 172);
  g_assert_cmpint (second.in_w, ==, 244);
  g_assert_cmpint (second.in_h, ==, 172);
  g_assert_cmpint (second.target_w, ==, 488);
  /* Tile side 32: ceil(61/32) x ceil(43/32), then ceil(244/32) x ceil(172/32). */
  g_assert_cmpint (first.tiles_x * first.tiles_y, ==, 2 * 2);
  g_assert_cmpint (second.tiles_x * second.tiles_y, ==, 8 * 6);
  g_assert_cmpint (sr_plan_get_n_tiles (plan), ==, 4 + 48);
  assert_tiles_cover (&plan->stages[1]);
  g_assert_true (sr_plan_run (plan, &job, &error));
  g_assert_no_error (error);
  /* Only the second stage writes to the caller. */
  g_assert_cmpint (im->writes, ==, 48);
  for (int y = 0; y < im->th; y++)
    for (int x = 0; x < im->tw; x++)
      for (int c = 0; c < 3; c++)
        g_assert_cmpfloat (im->out[((gsize) y * im->tw + x) * 3 + c], ==,
                           im->in[((gsize) (y / 8) * im->w + x / 8) * 3 + c]);
  sr_plan_free (plan);

  /* x4 exactly, or larger on one axis only: the first model alone. */
  plan = sr_plan_new (x4, x2, &job, 61 * 4, 43 * 4, &error);
  g_assert_cmpint (sr_plan_get_route (plan), ==, SR_ROUTE_DIRECT);
  sr_plan_free (plan);
  plan = sr_plan_new (x4, x2, &job, 61 * 6, 43 * 4, &error);
  g_assert_cmpint (sr_plan_get_route (plan), ==, SR_ROUTE_RESAMPLE);
  sr_plan_free (plan);
  /* No second model: resampled. */
  plan = sr_plan_new (x4, NULL, &job, im->tw, im->th, &error);
  g_assert_cmpint (sr_plan_get_route (plan), ==, SR_ROUTE_RESAMPLE);
  g_assert_cmpint (sr_plan_get_n_stages (plan), ==, 1);
  sr_plan_free (plan);
  g_assert_no_error (error);
  /* A second model that is not x2 is refused. */
  g_assert_null (sr_plan_new (x4, x3, &job, im->tw, im->th, &error));
  g_assert_error (error, SR_ERROR, SR_ERROR_INVALID);
  g_clear_error (&error);
  image_free (im);

  /* An intermediate over 1 GiB (2400 x 2400 at x4: 9600^2 x 12 bytes)
   * resamples instead; planned only, never run. */
  {
    SrJob big = { 2400, 2400, read_cb, write_cb, NULL, NULL, NULL, 2, 512 };
    plan = sr_plan_new (x4, x2, &big, 2400 * 8, 2400 * 8, &error);
    g_assert_no_error (error);
    g_assert_cmpint (sr_plan_get_route (plan), ==, SR_ROUTE_RESAMPLE);
    sr_plan_free (plan);
  }
  sr_model_free (x4);
  sr_model_free (x2);
  sr_model_free (x3);
}

/* Settings a run would refuse are refused when planning, and a plan runs
 * only the job it was made for. */
static void
test_refusals (void)
{
  SrModel *model = test_model_zero (2, 1, 4);
  Image *im = image_new (20, 10, 40, 20);
  SrJob job = job_for (im, 2, 0);
  GError *error = NULL;
  SrPlan *plan;

  g_assert_null (sr_plan_new (model, NULL, &job, 19, 20, &error));   /* below 1x */
  g_assert_error (error, SR_ERROR, SR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sr_plan_new (model, NULL, &job, 161, 20, &error));  /* above 8x */
  g_assert_error (error, SR_ERROR, SR_ERROR_INVALID);
  g_clear_error (&error);
  job.threads = 257;
  g_assert_null (sr_plan_new (model, NULL, &job, 40, 20, &error));
  g_assert_error (error, SR_ERROR, SR_ERROR_INVALID);
  g_clear_error (&error);
  job.threads = 2;

  /* Planned without callbacks (as the dialog does): runs need them. */
  job.read = NULL;
  plan = sr_plan_new (model, NULL, &job, 40, 20, &error);
  g_assert_no_error (error);
  g_assert_false (sr_plan_run (plan, &job, &error));
  g_assert_error (error, SR_ERROR, SR_ERROR_INVALID);
  g_clear_error (&error);
  job.read = read_cb;
  /* Another size than planned is refused and writes nothing. */
  job.width = 19;
  g_assert_false (sr_plan_run (plan, &job, &error));
  g_assert_error (error, SR_ERROR, SR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (im->writes, ==, 0);
  job.width = 20;
  g_assert_true (sr_plan_run (plan, &job, &error));
  g_assert_no_error (error);
  sr_plan_free (plan);
  image_free (im);
  sr_model_free (model);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plan/geometry", test_geometry);
  g_test_add_func ("/plan/automatic-tiles-1mp", test_automatic_tiles_1mp);
  g_test_add_func ("/plan/chain", test_chain);
  g_test_add_func ("/plan/refusals", test_refusals);
  return g_test_run ();
}
