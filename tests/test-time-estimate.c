/* The dialog's time estimate (ui/sr-time-estimate.c) takes its work from
 * the run's plan: checked against multiply-adds worked out here from the
 * model's own cost figure and the sizes each route runs its network on, and
 * the plan the dialog makes (without callbacks) against the run sr_upscale_to
 * then makes with the same settings: the same tile count, every tile
 * written once. */
#include <math.h>
#include <string.h>

#include "sr.h"
#include "sr-time-estimate.h"
#include "model-builder.h"

/* What the dialog fills in: sizes and settings, no callbacks. */
static SrPlan *
dialog_plan (const SrModel *model, const SrModel *second, int w, int h, int tw, int th,
             int threads, int tile_size, gboolean tta)
{
  SrJob job = { 0 };
  GError *error = NULL;
  SrPlan *plan;

  job.width = w;
  job.height = h;
  job.threads = threads;
  job.tile_size = tile_size;
  job.tta = tta;
  plan = sr_plan_new (model, second, &job, tw, th, &error);
  g_assert_no_error (error);
  return plan;
}

static int
cores_for (int threads)
{
  int cores = (int) g_get_num_processors ();
  return threads > 0 ? MIN (threads, cores) : cores;
}

static void
assert_close (double got, double want)
{
  g_assert_cmpfloat (want, >, 0);
  g_assert_cmpfloat (fabs (got - want), <=, 1e-12 * want);
}

/* Each route's network pixels, by hand, times the model's multiply-adds. */
static void
test_routes (void)
{
  SrModel *x1 = test_model_zero (1, 4, 8), *x2 = test_model_zero (2, 4, 8);
  SrModel *x4 = test_model_zero (4, 4, 8);
  const double m1 = sr_model_get_macs_per_pixel (x1), m2 = sr_model_get_macs_per_pixel (x2);
  const double m4 = sr_model_get_macs_per_pixel (x4);
  const double rate = 2.5e9;
  SrTimeEstimate estimate;
  SrPlan *plan;

  sr_time_estimate_init (&estimate);
  estimate.macs_per_second_per_thread = rate;
  g_assert_cmpfloat (m1, >, 0);

  /* Direct x2 on 1200 x 860, 2 threads: the input's pixels. */
  plan = dialog_plan (x2, NULL, 1200, 860, 2400, 1720, 2, 0, FALSE);
  g_assert_cmpint (sr_plan_get_route (plan), ==, SR_ROUTE_DIRECT);
  assert_close (sr_time_estimate_plan_seconds (&estimate, plan),
                m2 * 1200 * 860 / (rate * cores_for (2)));
  sr_plan_free (plan);
  /* The same with TTA: eight passes. */
  plan = dialog_plan (x2, NULL, 1200, 860, 2400, 1720, 2, 0, TRUE);
  assert_close (sr_time_estimate_plan_seconds (&estimate, plan),
                8 * m2 * 1200 * 860 / (rate * cores_for (2)));
  sr_plan_free (plan);
  /* x2 resampled to x3, all cores: still the input's pixels. */
  plan = dialog_plan (x2, NULL, 1200, 860, 3600, 2580, 0, 0, FALSE);
  g_assert_cmpint (sr_plan_get_route (plan), ==, SR_ROUTE_RESAMPLE);
  g_assert_cmpint (sr_plan_get_threads (plan), ==, (int) g_get_num_processors ());
  assert_close (sr_time_estimate_plan_seconds (&estimate, plan),
                m2 * 1200 * 860 / (rate * cores_for (0)));
  sr_plan_free (plan);
  /* A same-size model to 1.5x: the network runs on the resized image. */
  plan = dialog_plan (x1, NULL, 1200, 860, 1800, 1290, 3, 0, FALSE);
  g_assert_cmpint (sr_plan_get_route (plan), ==, SR_ROUTE_SAME_SIZE);
  assert_close (sr_time_estimate_plan_seconds (&estimate, plan),
                m1 * 1800 * 1290 / (rate * cores_for (3)));
  sr_plan_free (plan);
  /* x4 then x2 to x8: the input through x4, its output through x2. */
  plan = dialog_plan (x4, x2, 300, 215, 2400, 1720, 2, 0, FALSE);
  g_assert_cmpint (sr_plan_get_route (plan), ==, SR_ROUTE_CHAIN);
  assert_close (sr_time_estimate_plan_seconds (&estimate, plan),
                (m4 * 300 * 215 + m2 * 1200 * 860) / (rate * cores_for (2)));
  sr_plan_free (plan);

  sr_model_free (x1);
  sr_model_free (x2);
  sr_model_free (x4);
}

/* A preview's measurement (sr_time_estimate_calibrate, from the pixels the
 * preview ran on) gives back its own time for the plan of the same run, on
 * every route: the calibration and the estimate count the same work. */
static void
test_calibration_round_trip (void)
{
  static const struct { int scale, tw, th; } cases[] = {
    { 2, 800, 600 }, { 2, 1000, 900 }, { 1, 700, 500 }, { 1, 400, 300 }, { 4, 1400, 1100 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SrModel *model = test_model_zero (cases[i].scale, 4, 8);
      SrTimeEstimate estimate;
      SrPlan *plan = dialog_plan (model, NULL, 400, 300, cases[i].tw, cases[i].th, 2, 0, i % 2);
      gint64 pixels = sr_time_estimate_work_pixels (cases[i].scale, 400, 300, cases[i].tw,
                                                    cases[i].th, i % 2);

      sr_time_estimate_init (&estimate);
      sr_time_estimate_calibrate (&estimate, sr_model_get_macs_per_pixel (model), (int) pixels,
                                  2, 1.25);
      g_assert_true (estimate.measured);
      assert_close (sr_time_estimate_plan_seconds (&estimate, plan), 1.25);
      sr_plan_free (plan);
      sr_model_free (model);
    }
}

typedef struct
{
  int    w, h, tw, th, writes;
  float *in, *out;
} Image;

static gboolean
read_cb (gpointer user, int x, int y, int w, int h, float *dst, GError **error)
{
  Image *im = user;

  for (int r = 0; r < h; r++)
    memcpy (dst + (gsize) r * w * 3, im->in + ((gsize) (y + r) * im->w + x) * 3,
            (gsize) w * 3 * sizeof (float));
  return TRUE;
}

static gboolean
write_cb (gpointer user, int x, int y, int w, int h, const float *src, GError **error)
{
  Image *im = user;

  im->writes++;
  for (int r = 0; r < h; r++)
    memcpy (im->out + ((gsize) (y + r) * im->tw + x) * 3, src + (gsize) r * w * 3,
            (gsize) w * 3 * sizeof (float));
  return TRUE;
}

/* The dialog's plan has the tile count of the run sr_upscale_to makes with
 * the same settings (1 MP, 2 threads, automatic tiles; and a user's tile
 * size, resampled to 2.5x). */
static void
test_dialog_plan_is_the_run (void)
{
  static const struct { int tile; int tw, th; } cases[] = { { 0, 2400, 1720 }, { 200, 3000, 2150 } };
  SrModel *model = test_model_zero (2, 4, 8);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Image im = { 1200, 860, cases[i].tw, cases[i].th, 0, NULL, NULL };
      SrPlan *plan = dialog_plan (model, NULL, im.w, im.h, im.tw, im.th, 2, cases[i].tile, FALSE);
      SrJob job = { im.w, im.h, read_cb, write_cb, NULL, NULL, &im, 2, cases[i].tile };
      GError *error = NULL;

      im.in = g_new0 (float, (gsize) im.w * im.h * 3);
      im.out = g_new0 (float, (gsize) im.tw * im.th * 3);
      g_assert_true (sr_upscale_to (model, &job, im.tw, im.th, &error));
      g_assert_no_error (error);
      g_assert_cmpint (sr_plan_get_n_tiles (plan), >, 2);
      g_assert_cmpint (im.writes, ==, sr_plan_get_n_tiles (plan));
      g_free (im.in);
      g_free (im.out);
      sr_plan_free (plan);
    }
  sr_model_free (model);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/time-estimate/routes", test_routes);
  g_test_add_func ("/time-estimate/calibration-round-trip", test_calibration_round_trip);
  g_test_add_func ("/time-estimate/dialog-plan-is-the-run", test_dialog_plan_is_the_run);
  return g_test_run ();
}
