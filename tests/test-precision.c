/* The precision policy (sr.h, SrPrecision; core/precision.c): names,
 * sr_model_set_precision on CPUs with and without bf16, SR_PRECISION at
 * load, and bf16 results that are deterministic across thread counts on a
 * ~1 MP run while differing from fp32 (so bf16 really ran). */
#include <math.h>
#include <string.h>

#include "sr.h"
#include "model-builder.h"

static void
test_names (void)
{
  SrPrecision p = SR_PRECISION_FP32;

  g_assert_true (sr_precision_from_string ("auto", &p) && p == SR_PRECISION_AUTO);
  g_assert_true (sr_precision_from_string ("fp32", &p) && p == SR_PRECISION_FP32);
  g_assert_true (sr_precision_from_string ("BF16", &p) && p == SR_PRECISION_BF16);
  g_assert_false (sr_precision_from_string ("fp16", &p));
  g_assert_false (sr_precision_from_string ("", &p));
  g_assert_false (sr_precision_from_string (NULL, &p));
  g_assert_cmpint (p, ==, SR_PRECISION_BF16);   /* untouched by the failures */
  for (int i = SR_PRECISION_AUTO; i <= SR_PRECISION_BF16; i++)
    g_assert_true (sr_precision_from_string (sr_precision_to_string (i), &p) && (int) p == i);
}

static SrModel *
small_model (void)
{
  /* Weights 0.011 are not bf16 numbers (8 bits): bf16 output differs. */
  TestModelSpec spec = { .channels = 16, .blocks = 2, .scale = 2, .fill = 0.011f };
  gsize size;
  guint8 *bytes = test_model_build (&spec, &size);
  GError *error = NULL;
  SrModel *model = sr_model_load_from_data (bytes, size, "small", &error);

  g_assert_no_error (error);
  g_free (bytes);
  return model;
}

typedef struct
{
  int w, h, scale;
  float *out;
} Image;

static gboolean
read_ramp (gpointer data, int x, int y, int w, int h, float *dst, GError **error)
{
  for (int j = 0; j < h; j++)
    for (int i = 0; i < w; i++)
      for (int c = 0; c < 3; c++)
        *dst++ = (float) (((x + i) * 7 + (y + j) * 13 + c * 29) % 251) / 250.f;
  return TRUE;
}

static gboolean
write_out (gpointer data, int x, int y, int w, int h, const float *src, GError **error)
{
  Image *im = data;
  for (int j = 0; j < h; j++)
    memcpy (im->out + ((gsize) (y + j) * im->w * im->scale + x) * 3, src + (gsize) j * w * 3,
            (gsize) w * 3 * sizeof (float));
  return TRUE;
}

/* The model's output for a 1000x1000 ramp (2000x2000 out) with @threads. */
static float *
run (const SrModel *model, int threads)
{
  Image im = { 1000, 1000, 2, NULL };
  SrJob job = { .width = im.w, .height = im.h, .read = read_ramp, .write = write_out,
                .user_data = &im, .threads = threads, .unclamped = TRUE };
  GError *error = NULL;

  im.out = g_new (float, (gsize) im.w * im.h * 4 * 3);
  g_assert_true (sr_upscale (model, &job, &error));
  g_assert_no_error (error);
  return im.out;
}

static void
test_set (void)
{
  SrModel *model = small_model ();
  const gsize n = (gsize) 2000 * 2000 * 3;
  GError *error = NULL;
  float *fp32, *one, *two;
  double diff = 0;

  g_assert_true (sr_model_set_precision (model, SR_PRECISION_FP32, &error));
  g_assert_cmpint (sr_model_get_precision (model), ==, SR_PRECISION_FP32);
  g_assert_true (sr_model_set_precision (model, SR_PRECISION_AUTO, &error));
  if (!sr_cpu_has_bf16 ())
    g_assert_cmpint (sr_model_get_precision (model), ==, SR_PRECISION_FP32);
  g_assert_true (sr_model_set_precision (model, SR_PRECISION_FP32, &error));
  fp32 = run (model, 2);
  if (!sr_cpu_has_bf16 ())
    {
      g_assert_false (sr_model_set_precision (model, SR_PRECISION_BF16, &error));
      g_assert_error (error, SR_ERROR, SR_ERROR_INVALID);
      g_clear_error (&error);
      g_test_skip ("no AVX512_BF16 here: bf16 refused, as it must be");
    }
  else
    {
      g_assert_true (sr_model_set_precision (model, SR_PRECISION_BF16, &error));
      g_assert_cmpint (sr_model_get_precision (model), ==, SR_PRECISION_BF16);
      one = run (model, 1);
      two = run (model, 2);
      g_assert_true (memcmp (one, two, n * sizeof (float)) == 0);
      for (gsize i = 0; i < n; i++)
        diff = MAX (diff, fabs ((double) one[i] - fp32[i]));
      /* It ran in bf16 (different), and not wildly so. */
      g_assert_cmpfloat (diff, >, 0.0);
      g_assert_cmpfloat (diff, <, 0.05);
      g_free (one);
      g_free (two);
      /* And back: fp32 again, bit for bit. */
      g_assert_true (sr_model_set_precision (model, SR_PRECISION_FP32, &error));
      one = run (model, 2);
      g_assert_true (memcmp (one, fp32, n * sizeof (float)) == 0);
      g_free (one);
    }
  g_free (fp32);
  sr_model_free (model);
}

/* Without bf16 (SR_FORCE_REF=1 makes the scalar reference the only
 * kernels): bf16 is refused with a clear error and the model keeps fp32. */
static void
test_refused (void)
{
  if (g_test_subprocess ())
    {
      SrModel *model;
      GError *error = NULL;

      g_setenv ("SR_FORCE_REF", "1", TRUE);
      g_assert_false (sr_cpu_has_bf16 ());
      model = small_model ();
      g_assert_false (sr_model_set_precision (model, SR_PRECISION_BF16, &error));
      g_assert_error (error, SR_ERROR, SR_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "AVX512_BF16"));
      g_error_free (error);
      g_assert_cmpint (sr_model_get_precision (model), ==, SR_PRECISION_FP32);
      sr_model_free (model);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* SR_PRECISION names the precision a model gets at load. */
static void
test_env (void)
{
  if (g_test_subprocess ())
    {
      const char *want = g_getenv ("SR_TEST_WANT");
      SrModel *model;

      if (strcmp (want, "auto") == 0)
        g_test_expect_message (NULL, G_LOG_LEVEL_WARNING, "SR_PRECISION=half*");
      model = small_model ();
      g_test_assert_expected_messages ();
      if (strcmp (want, "bf16") == 0)
        g_assert_cmpint (sr_model_get_precision (model), ==, SR_PRECISION_BF16);
      else if (strcmp (want, "fp32") == 0)
        g_assert_cmpint (sr_model_get_precision (model), ==, SR_PRECISION_FP32);
      sr_model_free (model);
      return;
    }
  g_setenv ("SR_PRECISION", "fp32", TRUE);
  g_setenv ("SR_TEST_WANT", "fp32", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_setenv ("SR_PRECISION", "half", TRUE);
  g_setenv ("SR_TEST_WANT", "auto", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  if (sr_cpu_has_bf16 ())
    {
      g_setenv ("SR_PRECISION", "bf16", TRUE);
      g_setenv ("SR_TEST_WANT", "bf16", TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
    }
  g_unsetenv ("SR_PRECISION");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/precision/names", test_names);
  g_test_add_func ("/precision/set", test_set);
  g_test_add_func ("/precision/refused", test_refused);
  g_test_add_func ("/precision/env", test_env);
  return g_test_run ();
}
