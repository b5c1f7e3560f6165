/* Unit tests of the plug-in's GIMP-free helpers: the transparent-pixel fill
 * and result sizes (plugin/sr-transparent-fill.c, sr-result-size.c).  No
 * GIMP needed.  The alpha channel's resampling is the core's, tested in
 * tests/test-resample.c. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "sr-result-size.h"
#include "sr-transparent-fill.h"

#define W 61
#define H 47

/* Random colours, alpha 0 in blobs and stripes, some partial alpha. */
static float *
make_layer (GRand *rand)
{
  float *rgba = g_new (float, W * H * 4);

  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        float *p = rgba + (y * W + x) * 4;
        gboolean hole = (x / 9 + y / 7) % 3 == 0 || (x > 30 && x < 50 && y > 10 && y < 40);

        for (int c = 0; c < 3; c++)
          p[c] = (float) g_rand_double (rand);
        p[3] = hole ? 0.0f : (g_rand_int_range (rand, 0, 4) == 0 ? 0.5f : 1.0f);
      }
  return rgba;
}

/* A tile filled on its own (grown by the radius) equals the same pixels
 * of the whole layer filled at once: tiles agree. */
static void
test_fill_is_tile_independent (void)
{
  GRand *rand = g_rand_new_with_seed (7);
  float *whole = make_layer (rand);
  float *original = g_memdup2 (whole, W * H * 4 * sizeof (float));
  const int r = SR_TRANSPARENT_FILL_RADIUS;

  sr_transparent_fill (whole, W, H, r);

  for (int ty = 0; ty < H; ty += 13)
    for (int tx = 0; tx < W; tx += 17)
      {
        int tw = MIN (17, W - tx), th = MIN (13, H - ty);
        int gx = MAX (tx - r, 0), gy = MAX (ty - r, 0);
        int gw = MIN (tx + tw + r, W) - gx, gh = MIN (ty + th + r, H) - gy;
        float *tile = g_new (float, gw * gh * 4);

        for (int j = 0; j < gh; j++)
          memcpy (tile + j * gw * 4, original + ((gy + j) * W + gx) * 4, gw * 4 * sizeof (float));
        sr_transparent_fill (tile, gw, gh, r);
        for (int y = ty; y < ty + th; y++)
          for (int x = tx; x < tx + tw; x++)
            for (int c = 0; c < 4; c++)
              g_assert_cmpfloat_with_epsilon (tile[((y - gy) * gw + (x - gx)) * 4 + c],
                                              whole[(y * W + x) * 4 + c], 1e-5);
        g_free (tile);
      }
  g_free (original);
  g_free (whole);
  g_rand_free (rand);
}

/* Visible pixels keep their colour; a hole next to one colour takes it. */
static void
test_fill_takes_neighbour_colour (void)
{
  float rgba[5 * 1 * 4] = {
    0.8f, 0.2f, 0.1f, 1.0f,
    0.0f, 0.0f, 0.0f, 0.0f,
    0.0f, 0.0f, 0.0f, 0.0f,
    0.0f, 0.0f, 0.0f, 0.0f,
    0.0f, 0.0f, 0.0f, 0.0f,
  };

  sr_transparent_fill (rgba, 5, 1, 2);
  g_assert_cmpfloat (rgba[0], ==, 0.8f);          /* visible: untouched */
  g_assert_cmpfloat_with_epsilon (rgba[4], 0.8f, 1e-6);
  g_assert_cmpfloat_with_epsilon (rgba[9], 0.2f, 1e-6);
  g_assert_cmpfloat_with_epsilon (rgba[10 + 0], 0.1f, 1e-6);
  g_assert_cmpfloat (rgba[16], ==, 0.0f);         /* beyond the radius: as is */
  for (int i = 0; i < 5; i++)
    g_assert_cmpfloat (rgba[i * 4 + 3], ==, i == 0 ? 1.0f : 0.0f);   /* alpha kept */
}

/* Result sizes: round (side × scale) for a new image or a layer filling the
 * canvas; GIMP's edge rounding for a layer with offsets. */
static void
test_result_size (void)
{
  SrResultSize s;

  /* Set5 "woman" (57 x 86) at 2.5: 142.5 rounds up. */
  sr_result_size_compute (57, 86, 0, 0, 57, 86, 2.5, SR_OUTPUT_NEW_LAYER, &s);
  g_assert_cmpint (s.image_width, ==, 143);
  g_assert_cmpint (s.image_height, ==, 215);
  g_assert_cmpint (s.x, ==, 0);
  g_assert_cmpint (s.width, ==, 143);
  g_assert_cmpint (s.height, ==, 215);
  sr_result_size_compute (57, 86, 0, 0, 57, 86, 2.5, SR_OUTPUT_NEW_IMAGE, &s);
  g_assert_cmpint (s.width, ==, 143);
  g_assert_cmpint (s.image_width, ==, 143);

  /* Whole scales: everything multiplied. */
  sr_result_size_compute (40, 30, 5, -7, 24, 20, 4.0, SR_OUTPUT_NEW_LAYER, &s);
  g_assert_cmpint (s.image_width, ==, 160);
  g_assert_cmpint (s.x, ==, 20);
  g_assert_cmpint (s.y, ==, -28);
  g_assert_cmpint (s.width, ==, 96);
  g_assert_cmpint (s.height, ==, 80);

  /* What GIMP 2.10.34 does to a 3 x 3 layer at (1, 1) when a 40 x 20 image
   * is scaled to 100 x 50: edges 2.5 -> 3 and 10 -> 10, so 7 wide, not
   * round (3 × 2.5) = 8.  The new layer must cover the same pixels. */
  sr_result_size_compute (40, 20, 1, 1, 3, 3, 2.5, SR_OUTPUT_NEW_LAYER, &s);
  g_assert_cmpint (s.image_width, ==, 100);
  g_assert_cmpint (s.x, ==, 3);
  g_assert_cmpint (s.y, ==, 3);
  g_assert_cmpint (s.width, ==, 7);
  g_assert_cmpint (s.height, ==, 7);
  /* The image's own factor (100 / 37) applies, not 2.7; checked in GIMP. */
  sr_result_size_compute (37, 23, 3, 5, 11, 7, 2.7, SR_OUTPUT_NEW_LAYER, &s);
  g_assert_cmpint (s.image_width, ==, 100);
  g_assert_cmpint (s.image_height, ==, 62);
  g_assert_cmpint (s.x, ==, 8);
  g_assert_cmpint (s.y, ==, 13);
  g_assert_cmpint (s.width, ==, 30);
  g_assert_cmpint (s.height, ==, 19);

  /* Never below 1x nor above 8x the layer (what sr_upscale_to accepts). */
  for (int lw = 1; lw < 40; lw += 3)
    for (int off = -5; off < 30; off += 4)
      for (double scale = 1.0; scale <= 8.0; scale += 0.37)
        {
          sr_result_size_compute (33, 33, off, off, lw, lw, scale, SR_OUTPUT_NEW_LAYER, &s);
          g_assert_cmpint (s.width, >=, lw);
          g_assert_cmpint (s.width, <=, 8 * lw);
        }
}

/* The result-size budget: GIMP's side limit, then a megapixel budget with a
 * message that says how to go on ($SR_MAX_MEGAPIXELS moves it). */
static void
test_result_budget (void)
{
  SrResultSize size;
  GError *error = NULL;

  /* 5000 x 5000 at x8 = 40000 x 40000 = 1600 MP: exactly the budget. */
  sr_result_size_compute (5000, 5000, 0, 0, 5000, 5000, 8.0, SR_OUTPUT_NEW_LAYER, &size);
  g_assert_true (sr_result_size_check (&size, 524288, &error));
  g_assert_no_error (error);
  /* One more row of input: over it, refused with the way out named. */
  sr_result_size_compute (5000, 5001, 0, 0, 5000, 5001, 8.0, SR_OUTPUT_NEW_LAYER, &size);
  g_assert_false (sr_result_size_check (&size, 524288, &error));
  g_assert_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "40000 × 40008"));
  g_assert_nonnull (strstr (error->message, "SR_MAX_MEGAPIXELS=1601"));
  g_clear_error (&error);
  /* Raised through the environment, it passes; nonsense there is ignored. */
  g_setenv ("SR_MAX_MEGAPIXELS", "2000", TRUE);
  g_assert_true (sr_result_size_check (&size, 524288, &error));
  g_setenv ("SR_MAX_MEGAPIXELS", "nan", TRUE);
  g_assert_false (sr_result_size_check (&size, 524288, NULL));
  g_unsetenv ("SR_MAX_MEGAPIXELS");
  /* A side over GIMP's limit, whatever the budget. */
  sr_result_size_compute (100, 100, 0, 0, 100, 100, 8.0, SR_OUTPUT_NEW_IMAGE, &size);
  g_assert_false (sr_result_size_check (&size, 512, &error));
  g_assert_nonnull (strstr (error->message, "800 × 800"));
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plugin/fill/tile-independent", test_fill_is_tile_independent);
  g_test_add_func ("/plugin/fill/neighbour-colour", test_fill_takes_neighbour_colour);
  g_test_add_func ("/plugin/result-size", test_result_size);
  g_test_add_func ("/plugin/result-budget", test_result_budget);
  return g_test_run ();
}
