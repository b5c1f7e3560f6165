/* Unit tests of the plug-in's GIMP-free pixel helpers: the transparent-pixel
 * fill and bicubic resampling (plugin/sr-transparent-fill.c, sr-bicubic.c).
 * No GIMP needed. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "sr-bicubic.h"
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

/* Opaque stays exactly 1 and flat areas stay exactly flat. */
static void
test_bicubic_flat_is_exact (void)
{
  float in[9 * 7], out[36 * 28];
  SrFloatRect rect = { in, 0, 0, 9, 7, 1, 9, 7 };

  for (int i = 0; i < 9 * 7; i++)
    in[i] = 1.0f;
  sr_bicubic_scale (&rect, 4.0, 0, 0, 36, 28, 0, 1, out, 1);
  for (int i = 0; i < 36 * 28; i++)
    g_assert_cmpfloat (out[i], ==, 1.0f);
}

/* Sampling only the input rectangle sr_bicubic_input_rect names gives the
 * same result as sampling the whole image. */
static void
test_bicubic_input_rect_suffices (void)
{
  GRand *rand = g_rand_new_with_seed (3);
  float  in[W * H], whole[20 * 16], part[20 * 16];
  SrFloatRect all = { in, 0, 0, W, H, 1, W, H };
  int ix, iy, iw, ih;

  for (int i = 0; i < W * H; i++)
    in[i] = (float) g_rand_double (rand);
  sr_bicubic_scale (&all, 3.0, 50, 70, 20, 16, 0, 1, whole, 1);

  sr_bicubic_input_rect (3.0, W, H, 50, 70, 20, 16, &ix, &iy, &iw, &ih);
  {
    float *crop = g_new (float, iw * ih);
    SrFloatRect rect = { crop, ix, iy, iw, ih, 1, W, H };

    for (int j = 0; j < ih; j++)
      memcpy (crop + j * iw, in + (iy + j) * W + ix, iw * sizeof (float));
    sr_bicubic_scale (&rect, 3.0, 50, 70, 20, 16, 0, 1, part, 1);
    g_free (crop);
  }
  for (int i = 0; i < 20 * 16; i++)
    g_assert_cmpfloat (part[i], ==, whole[i]);
  g_rand_free (rand);
}

/* Scale 1 reproduces the input. */
static void
test_bicubic_identity (void)
{
  float in[4 * 3] = { 0.1f, 0.9f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.2f, 0.0f, 1.0f, 0.25f, 0.75f };
  float out[4 * 3];
  SrFloatRect rect = { in, 0, 0, 4, 3, 1, 4, 3 };

  sr_bicubic_scale (&rect, 1.0, 0, 0, 4, 3, 0, 1, out, 1);
  for (int i = 0; i < 12; i++)
    g_assert_cmpfloat_with_epsilon (out[i], in[i], 1e-6);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plugin/fill/tile-independent", test_fill_is_tile_independent);
  g_test_add_func ("/plugin/fill/neighbour-colour", test_fill_takes_neighbour_colour);
  g_test_add_func ("/plugin/bicubic/flat-exact", test_bicubic_flat_is_exact);
  g_test_add_func ("/plugin/bicubic/input-rect", test_bicubic_input_rect_suffices);
  g_test_add_func ("/plugin/bicubic/identity", test_bicubic_identity);
  return g_test_run ();
}
