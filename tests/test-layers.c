/* Every layer against a naive reference written as plainly as possible,
 * on random shapes (odd sizes, 1-pixel planes, channel counts that are not
 * multiples of any vector width).  Tolerance: 1e-5 relative to the values'
 * magnitude, since only the summation order differs. */
#include <math.h>
#include <string.h>

#include "layers.h"
#include "test-random.h"

static GRand *rng;


static void
assert_close (const SrTensor *got, const double *want, gsize n, double tol)
{
  for (gsize i = 0; i < n; i++)
    if (fabs (got->data[i] - want[i]) > tol * (1 + fabs (want[i])))
      g_error ("element %zu: got %.8g, want %.8g", i, got->data[i], want[i]);
}

static double
act_ref (double v, SrAct act, double alpha)
{
  switch (act)
    {
    case SR_ACT_RELU: return v > 0 ? v : 0;
    case SR_ACT_LRELU: return v >= 0 ? v : 0.05 * v;
    case SR_ACT_PRELU: return v >= 0 ? v : alpha * v;
    case SR_ACT_SIGMOID: return 1 / (1 + exp (-v));
    default: return v;
    }
}

static void
test_conv2d (void)
{
  for (int iter = 0; iter < 300; iter++)
    {
      SrArena *arena = sr_arena_new ();
      int k = (int[]) { 1, 3, 3, 5 }[g_rand_int_range (rng, 0, 4)];
      int stride = g_rand_int_range (rng, 0, 4) == 0 ? 2 : 1;
      int pad = g_rand_boolean (rng) ? k / 2 : 0;
      int cin = g_rand_int_range (rng, 1, 20), cout = g_rand_int_range (rng, 1, 20);
      int h = g_rand_int_range (rng, k, k + 17), w = g_rand_int_range (rng, k, k + 17);
      SrAct act = g_rand_int_range (rng, 0, 5);
      float *weight = test_random_floats (rng, cout * cin * k * k, 0.5), *bias = test_random_floats (rng, cout, 0.5);
      float *alpha = test_random_floats (rng, cout, 0.5);
      SrConv conv = { weight, bias, alpha, cout, cin, k, stride, pad };
      int oh = sr_conv_out_size (&conv, h), ow = sr_conv_out_size (&conv, w);
      SrTensor *in = test_random_tensor (rng, arena, cin, h, w, 1.0);
      SrTensor *out = sr_arena_tensor (arena, cout, oh, ow, NULL);
      SrTensor *res = g_rand_boolean (rng) ? test_random_tensor (rng, arena, cout, oh, ow, 1.0) : NULL;
      double *want = g_new (double, (gsize) cout * oh * ow);

      for (int co = 0; co < cout; co++)
        for (int oy = 0; oy < oh; oy++)
          for (int ox = 0; ox < ow; ox++)
            {
              double v = bias[co];
              for (int ci = 0; ci < cin; ci++)
                for (int ky = 0; ky < k; ky++)
                  for (int kx = 0; kx < k; kx++)
                    {
                      int iy = oy * stride + ky - pad, ix = ox * stride + kx - pad;
                      if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                        v += (double) weight[((co * cin + ci) * k + ky) * k + kx] *
                             in->data[((gsize) ci * h + iy) * w + ix];
                    }
              if (res)
                v += res->data[((gsize) co * oh + oy) * ow + ox];
              want[((gsize) co * oh + oy) * ow + ox] = act_ref (v, act, alpha[co]);
            }
      sr_conv2d (&conv, in, out, res, act);
      assert_close (out, want, (gsize) cout * oh * ow, 1e-5);
      g_free (want);
      g_free (weight);
      g_free (bias);
      g_free (alpha);
      sr_arena_free (arena);
    }
}

static void
test_pixel_shuffle (void)
{
  for (int s = 1; s <= 4; s++)
    {
      SrArena *arena = sr_arena_new ();
      int c = 3, h = g_rand_int_range (rng, 1, 9), w = g_rand_int_range (rng, 1, 9);
      SrTensor *in = test_random_tensor (rng, arena, c * s * s, h, w, 1.0);
      SrTensor *out = sr_arena_tensor (arena, c, h * s, w * s, NULL);
      sr_pixel_shuffle (in, out, s);
      for (int ch = 0; ch < c; ch++)
        for (int y = 0; y < h * s; y++)
          for (int x = 0; x < w * s; x++)
            g_assert_cmpfloat (out->data[((gsize) ch * h * s + y) * w * s + x], ==,
                               in->data[((gsize) (ch * s * s + (y % s) * s + x % s) * h + y / s) * w + x / s]);
      sr_arena_free (arena);
    }
}

static void
test_max_pool (void)
{
  for (int iter = 0; iter < 20; iter++)
    {
      SrArena *arena = sr_arena_new ();
      int k = 7, s = 3, h = g_rand_int_range (rng, 7, 30), w = g_rand_int_range (rng, 7, 30);
      int oh = (h - k) / s + 1, ow = (w - k) / s + 1;
      SrTensor *in = test_random_tensor (rng, arena, 2, h, w, 1.0), *out = sr_arena_tensor (arena, 2, oh, ow, NULL);
      sr_max_pool (in, out, k, s);
      for (int c = 0; c < 2; c++)
        for (int oy = 0; oy < oh; oy++)
          for (int ox = 0; ox < ow; ox++)
            {
              float m = -INFINITY;
              for (int y = oy * s; y < oy * s + k; y++)
                for (int x = ox * s; x < ox * s + k; x++)
                  m = MAX (m, in->data[((gsize) c * h + y) * w + x]);
              g_assert_cmpfloat (out->data[((gsize) c * oh + oy) * ow + ox], ==, m);
            }
      sr_arena_free (arena);
    }
}

/* Bilinear with align_corners=False, computed from the definition in double. */
static void
test_resize_bilinear (void)
{
  for (int iter = 0; iter < 30; iter++)
    {
      SrArena *arena = sr_arena_new ();
      int h = g_rand_int_range (rng, 1, 8), w = g_rand_int_range (rng, 1, 8);
      int oh = g_rand_int_range (rng, 1, 40), ow = g_rand_int_range (rng, 1, 40);
      SrTensor *in = test_random_tensor (rng, arena, 2, h, w, 1.0), *out = sr_arena_tensor (arena, 2, oh, ow, NULL);
      double *want = g_new (double, 2 * oh * ow);
      for (int c = 0; c < 2; c++)
        for (int y = 0; y < oh; y++)
          for (int x = 0; x < ow; x++)
            {
              double sy = MAX (0.0, (y + 0.5) * h / oh - 0.5), sx = MAX (0.0, (x + 0.5) * w / ow - 0.5);
              int y0 = (int) sy, x0 = (int) sx, y1 = MIN (y0 + 1, h - 1), x1 = MIN (x0 + 1, w - 1);
              double ly = sy - y0, lx = sx - x0;
              const float *p = in->data + (gsize) c * h * w;
              want[((gsize) c * oh + y) * ow + x] =
                (1 - ly) * ((1 - lx) * p[y0 * w + x0] + lx * p[y0 * w + x1]) +
                ly * ((1 - lx) * p[y1 * w + x0] + lx * p[y1 * w + x1]);
            }
      sr_resize_bilinear (in, out);
      assert_close (out, want, 2 * oh * ow, 1e-5);
      g_free (want);
      sr_arena_free (arena);
    }
}

static void
test_contrast_attention (void)
{
  for (int iter = 0; iter < 20; iter++)
    {
      SrArena *arena = sr_arena_new ();
      int c = 16 * g_rand_int_range (rng, 1, 4), r = c / 16;
      /* The first map is large enough for the statistics to be split over
       * the threads (16384 pixels and more), the others are small. */
      int h = iter ? g_rand_int_range (rng, 1, 20) : 128, w = iter ? g_rand_int_range (rng, 1, 20) : 160;
      float *dw = test_random_floats (rng, r * c, 0.5), *db = test_random_floats (rng, r, 0.5);
      float *uw = test_random_floats (rng, c * r, 0.5), *ub = test_random_floats (rng, c, 0.5);
      SrConv down = { dw, db, NULL, r, c, 1, 1, 0 }, up = { uw, ub, NULL, c, r, 1, 1, 0 };
      SrTensor *x = test_random_tensor (rng, arena, c, h, w, 1.0);
      double *want = g_new (double, c), *stat = g_new (double, c), *hid = g_new (double, r);
      float *gate = g_new (float, c);
      gsize plane = (gsize) h * w;

      for (int ch = 0; ch < c; ch++)
        {
          double mean = 0, var = 0;
          for (gsize i = 0; i < plane; i++)
            mean += x->data[ch * plane + i] / plane;
          for (gsize i = 0; i < plane; i++)
            var += pow (x->data[ch * plane + i] - mean, 2) / plane;
          stat[ch] = mean + sqrt (var);
        }
      for (int o = 0; o < r; o++)
        {
          double v = db[o];
          for (int ch = 0; ch < c; ch++)
            v += dw[o * c + ch] * stat[ch];
          hid[o] = v > 0 ? v : 0;
        }
      for (int ch = 0; ch < c; ch++)
        {
          double v = ub[ch];
          for (int o = 0; o < r; o++)
            v += uw[ch * r + o] * hid[o];
          want[ch] = 1 / (1 + exp (-v));
        }
      /* What IMDB uses: the gates, folded into the next 1x1 convolution. */
      sr_contrast_attention_gate (x, &down, &up, gate);
      for (int ch = 0; ch < c; ch++)
        if (fabs (gate[ch] - want[ch]) > 1e-5 * (1 + want[ch]))
          g_error ("gate %d: got %.8g, want %.8g", ch, gate[ch], want[ch]);
      g_free (gate); g_free (want); g_free (stat); g_free (hid);
      g_free (dw); g_free (db); g_free (uw); g_free (ub);
      sr_arena_free (arena);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  rng = g_rand_new_with_seed (12345);
  g_test_add_func ("/layers/conv2d", test_conv2d);
  g_test_add_func ("/layers/pixel-shuffle", test_pixel_shuffle);
  g_test_add_func ("/layers/max-pool", test_max_pool);
  g_test_add_func ("/layers/resize-bilinear", test_resize_bilinear);
  g_test_add_func ("/layers/contrast-attention", test_contrast_attention);
  return g_test_run ();
}
