/* The core's cubic resampler (core/resample.c) as the image layer uses it for
 * alpha and the preview uses it for "before": any block layout, one or more
 * channels, 0..1 quantities clamped with flat areas exact.  The expected
 * values are hand-computed Catmull-Rom weights, not the code's output. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "resample.h"

#define W 61
#define H 47

/* Resizes a w x h single-channel image to out_w x out_h, output rectangle
 * (ox, oy, ow, oh), reading the whole image. */
static void
resample_plane (const float *in, int w, int h, int out_w, int out_h,
                int ox, int oy, int ow, int oh, SrResampleFlags flags, float *out)
{
  SrResampleAxis ax, ay;
  SrResampleBlock block = { in, w, h, 0, 0, 1, 1 };

  g_assert_true (sr_resample_axis_init (&ax, w, out_w, ox, ow, 0, w));
  g_assert_true (sr_resample_axis_init (&ay, h, out_h, oy, oh, 0, h));
  g_assert_true (sr_resample_block (&block, 1, &ax, &ay, flags, out, 1));
  sr_resample_axis_clear (&ax);
  sr_resample_axis_clear (&ay);
}

/* Opaque stays exactly 1 and flat areas stay exactly flat. */
static void
test_flat_is_exact (void)
{
  float in[9 * 7], out[36 * 28];

  for (int i = 0; i < 9 * 7; i++)
    in[i] = 1.0f;
  resample_plane (in, 9, 7, 36, 28, 0, 0, 36, 28, SR_RESAMPLE_UNIT_RANGE, out);
  for (int i = 0; i < 36 * 28; i++)
    g_assert_cmpfloat (out[i], ==, 1.0f);
  /* Fractional, and different per axis; a value that is no power of two. */
  for (int i = 0; i < 9 * 7; i++)
    in[i] = 0.3f;
  resample_plane (in, 9, 7, 23, 17, 0, 0, 23, 17, SR_RESAMPLE_UNIT_RANGE, out);
  for (int i = 0; i < 23 * 17; i++)
    g_assert_cmpfloat (out[i], ==, 0.3f);
}

/* One transparent pixel in an opaque field, seen by an output pixel as its
 * last tap on both axes (t = 3/4 on both, weight (-9/128)^2): alpha is
 * 1 - 81/16384 there.  The column through it overshoots 1 (1 + 9/128) on
 * the way; clamping that before the second pass would give 1. */
static void
test_overshoot_kept_between_passes (void)
{
  float in[8 * 8], out[16 * 16];

  for (int i = 0; i < 8 * 8; i++)
    in[i] = 1.0f;
  in[5 * 8 + 5] = 0.0f;
  resample_plane (in, 8, 8, 16, 16, 0, 0, 16, 16, SR_RESAMPLE_UNIT_RANGE, out);
  /* o = 6 samples 2.75: taps 1..4 at t = 3/4 -- not 5; o = 8 samples
   * 3.75: taps 2..5, pixel 5 the last. */
  g_assert_cmpfloat (out[6 * 16 + 6], ==, 1.0f);
  g_assert_cmpfloat_with_epsilon (out[8 * 16 + 8], 1.0 - 81.0 / 16384, 1e-6);
}

/* Catmull-Rom overshoots next to a step; 0..1 quantities are clamped. */
static void
test_unit_range_clamps (void)
{
  float in[8] = { 0, 0, 0, 0, 1, 1, 1, 1 }, plain[32], clamped[32];
  float lo = 1, hi = 0;

  resample_plane (in, 8, 1, 32, 1, 0, 0, 32, 1, SR_RESAMPLE_PLAIN, plain);
  resample_plane (in, 8, 1, 32, 1, 0, 0, 32, 1, SR_RESAMPLE_UNIT_RANGE, clamped);
  for (int i = 0; i < 32; i++)
    {
      lo = MIN (lo, plain[i]);
      hi = MAX (hi, plain[i]);
      g_assert_cmpfloat (clamped[i], ==, CLAMP (plain[i], 0.0f, 1.0f));
    }
  g_assert_cmpfloat (lo, <, 0.0f);   /* the overshoot is real */
  g_assert_cmpfloat (hi, >, 1.0f);
}

/* An impulse at x2: output pixel o samples at (o + 0.5) / 2 - 0.5, i.e. a
 * quarter or three quarters past an input pixel.  Catmull-Rom's weights
 * there, by hand from w(t) = ((-t/2 + 1) t - 1/2) t, (3t/2 - 5/2) t^2 + 1,
 * ((-3t/2 + 2) t + 1/2) t, (t/2 - 1/2) t^2:
 * t = 1/4: -9/128, 111/128, 29/128, -3/128;  t = 3/4: the same reversed. */
static void
test_impulse_weights (void)
{
  float in[12] = { 0 }, out[24];
  /* Output pixels 8..15 see the impulse at input 6 as tap k with t:
   * o = 2i + 1 samples i + 1/4 (taps i-1..i+2), o = 2i + 2 samples i + 3/4. */
  const double want[24] = {
    [9] = -3 / 128.0,  [10] = -9 / 128.0,   /* o = 9: i = 4, t = 1/4, tap 3 */
    [11] = 29 / 128.0, [12] = 111 / 128.0,
    [13] = 111 / 128.0, [14] = 29 / 128.0,
    [15] = -9 / 128.0, [16] = -3 / 128.0,
  };

  in[6] = 1.0f;
  resample_plane (in, 12, 1, 24, 1, 0, 0, 24, 1, SR_RESAMPLE_PLAIN, out);
  for (int o = 0; o < 24; o++)
    g_assert_cmpfloat_with_epsilon (out[o], want[o], 1e-6);
}

/* Away from the clamped edges Catmull-Rom reproduces linear functions, at
 * the pixel centres GIMP's scale uses: (o + 0.5) / s - 0.5. */
static void
test_whole_scale_positions (void)
{
  float in[16], out[64];

  for (int i = 0; i < 16; i++)
    in[i] = i / 16.0f;
  resample_plane (in, 16, 1, 64, 1, 0, 0, 64, 1, SR_RESAMPLE_UNIT_RANGE, out);
  for (int o = 8; o < 56; o++)
    g_assert_cmpfloat_with_epsilon (out[o], ((o + 0.5) / 4.0 - 0.5) / 16.0, 1e-6);
}

/* Scale 1 reproduces the input. */
static void
test_identity (void)
{
  float in[4 * 3] = { 0.1f, 0.9f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.2f, 0.0f, 1.0f, 0.25f, 0.75f };
  float out[4 * 3];

  resample_plane (in, 4, 3, 4, 3, 0, 0, 4, 3, SR_RESAMPLE_UNIT_RANGE, out);
  for (int i = 0; i < 12; i++)
    g_assert_cmpfloat_with_epsilon (out[i], in[i], 1e-6);
}

/* Reading only the spans sr_resample_axis_span names, as a block of an
 * interleaved 4-channel image (the alpha channel of R'G'B'A), gives the
 * same result as the whole plane, at whole and fractional scales. */
static void
check_span_suffices (int out_width, int out_height, int ox, int oy, int ow, int oh)
{
  GRand *rand = g_rand_new_with_seed (3);
  float  plane[W * H], rgba[W * H * 4];
  float *whole = g_new (float, ow * oh), *part = g_new0 (float, ow * oh * 4);
  SrResampleAxis ax, ay;
  int x0, x1, y0, y1;

  for (int i = 0; i < W * H; i++)
    {
      for (int c = 0; c < 4; c++)
        rgba[i * 4 + c] = (float) g_rand_double (rand);
      plane[i] = rgba[i * 4 + 3];
    }
  resample_plane (plane, W, H, out_width, out_height, ox, oy, ow, oh, SR_RESAMPLE_UNIT_RANGE,
                  whole);

  g_assert_true (sr_resample_axis_init (&ax, W, out_width, ox, ow, 0, W));
  g_assert_true (sr_resample_axis_init (&ay, H, out_height, oy, oh, 0, H));
  sr_resample_axis_span (&ax, &x0, &x1);
  sr_resample_axis_span (&ay, &y0, &y1);
  g_assert_cmpint (x0, >=, 0);
  g_assert_cmpint (x1, <=, W);
  /* Enlarging, Catmull-Rom reads 4 pixels around each sample, no more. */
  g_assert_cmpint (x1 - x0, <=, (int) ceil ((double) ow * W / out_width) + 4);
  {
    float *crop = g_new (float, (x1 - x0) * (y1 - y0) * 4);
    SrResampleBlock block = { crop + 3, x1 - x0, y1 - y0, x0, y0, 4, 1 };

    for (int j = y0; j < y1; j++)
      memcpy (crop + (gsize) (j - y0) * (x1 - x0) * 4, rgba + ((gsize) j * W + x0) * 4,
              (gsize) (x1 - x0) * 4 * sizeof (float));
    g_assert_true (sr_resample_block (&block, 1, &ax, &ay, SR_RESAMPLE_UNIT_RANGE, part + 3, 4));
    g_free (crop);
  }
  for (int i = 0; i < ow * oh; i++)
    {
      g_assert_cmpfloat (part[i * 4 + 3], ==, whole[i]);
      g_assert_cmpfloat (part[i * 4], ==, 0.0f);   /* other channels untouched */
    }
  sr_resample_axis_clear (&ax);
  sr_resample_axis_clear (&ay);
  g_free (whole);
  g_free (part);
  g_rand_free (rand);
}

static void
test_span_suffices (void)
{
  check_span_suffices (3 * W, 3 * H, 50, 70, 20, 16);
  check_span_suffices (153, 118, 0, 0, 153, 118);         /* x2.5 */
  check_span_suffices (226, 101, 100, 40, 126, 61);       /* x3.7 and x2.15 */
  check_span_suffices (8 * W, 8 * H, 480, 370, 8, 6);     /* x8, the last pixels */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/resample/flat-exact", test_flat_is_exact);
  g_test_add_func ("/resample/unit-range-clamps", test_unit_range_clamps);
  g_test_add_func ("/resample/overshoot-between-passes", test_overshoot_kept_between_passes);
  g_test_add_func ("/resample/impulse-weights", test_impulse_weights);
  g_test_add_func ("/resample/whole-scale-positions", test_whole_scale_positions);
  g_test_add_func ("/resample/identity", test_identity);
  g_test_add_func ("/resample/span-suffices", test_span_suffices);
  return g_test_run ();
}
