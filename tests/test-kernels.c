/* Every kernel variant this CPU runs against the scalar reference
 * (sr_f32_conv_ref), over the edge cases of the micro-tiles: widths and
 * heights 1..17, widths around the tile sizes (so both the in-place and the
 * copied-window paths run), channel counts that are not multiples of any
 * register block, k 1 and 3 (and 5, which takes the im2row path), stride 1
 * and 2, every activation, with and without a residual, packed at "load" or
 * on the fly.  Variants the CPU lacks are skipped.
 *
 * Tolerance: 1e-5 relative to the value's magnitude (with a floor of 1e-5
 * absolute): only the summation's rounding differs (FMA vs mul+add).
 *
 * The bf16 variants (sr_kernels_bf16_list) run the same cases against two
 * yardsticks (check_bf16).  Skipped on CPUs without AVX512_BF16. */
#include <math.h>
#include <string.h>

#include "bf16.h"
#include "kernels.h"
#include "winograd.h"
#include "test-random.h"

static GRand *rng;


typedef struct
{
  int w, h, cin, cout, k, stride, pad;
  SrAct act;
  gboolean residual, prepack;
  int split;      /* > 0: output channels [0, split) go to a separate tensor */
  double bias;    /* bias magnitude; large values drive the sigmoid into saturation */
} Case;

#define CASE_FMT "%s: %dx%d cin %d cout %d k %d stride %d pad %d act %d residual %d prepack %d split %d"
#define CASE_ARGS(kern, c) (kern)->name, (c)->w, (c)->h, (c)->cin, (c)->cout, (c)->k, (c)->stride, \
                           (c)->pad, (c)->act, (c)->residual, (c)->prepack, (c)->split

/* The bf16 Winograd path's twin: F(2x2, 3x3) in scalar code on the same
 * bf16 numbers it multiplies -- U = G g G^T (double, then float, as packed)
 * and V = B^T d B (float, the transforms' order of additions), both rounded
 * to bf16 -- with the products summed in double, the inverse transform in
 * the AVX-512 output transform's order.  @scale gets, per output, the error
 * scale of its products: sum over channels and the positions xi it reads of
 * |U'| |V'| (the transform A^T . A only adds and subtracts them). */
static void
winograd_twin (const SrConv *conv, const SrTensor *in, const SrTensor *res, SrAct act,
               SrTensor *twin, SrTensor *scale)
{
  static const double G[4][3] = { { 1, 0, 0 }, { .5, .5, .5 }, { .5, -.5, .5 }, { 0, 0, 1 } };
  const int cin = conv->cin, oh = twin->h, ow = twin->w;
  float *u = g_new (float, (gsize) conv->cout * cin * 16);

  for (int co = 0; co < conv->cout; co++)
    for (int c = 0; c < cin; c++)
      {
        const float *g = conv->weight + ((gsize) co * cin + c) * 9;
        for (int i = 0; i < 4; i++)
          for (int j = 0; j < 4; j++)
            {
              double s = 0;
              for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                  s += G[i][a] * g[a * 3 + b] * G[j][b];
              u[((gsize) co * cin + c) * 16 + 4 * i + j] = sr_bf16_round ((float) s);
            }
      }
  for (int ty = 0; ty < (oh + 1) / 2; ty++)
    for (int tx = 0; tx < (ow + 1) / 2; tx++)
      {
        float *v = g_new (float, (gsize) cin * 16);
        for (int c = 0; c < cin; c++)
          {
            float d[4][4], t[4][4];
            for (int r = 0; r < 4; r++)
              for (int q = 0; q < 4; q++)
                {
                  const int y = 2 * ty - 1 + r, x = 2 * tx - 1 + q;
                  d[r][q] = y >= 0 && y < in->h && x >= 0 && x < in->w
                            ? sr_tensor_channel (in, c)[(gsize) y * in->w + x] : 0.f;
                }
            for (int r = 0; r < 4; r++)
              {
                t[r][0] = d[r][0] - d[r][2];
                t[r][1] = d[r][1] + d[r][2];
                t[r][2] = d[r][2] - d[r][1];
                t[r][3] = d[r][1] - d[r][3];
              }
            for (int j = 0; j < 4; j++)
              {
                v[c * 16 + j] = sr_bf16_round (t[0][j] - t[2][j]);
                v[c * 16 + 4 + j] = sr_bf16_round (t[1][j] + t[2][j]);
                v[c * 16 + 8 + j] = sr_bf16_round (t[2][j] - t[1][j]);
                v[c * 16 + 12 + j] = sr_bf16_round (t[1][j] - t[3][j]);
              }
          }
        for (int co = 0; co < conv->cout; co++)
          {
            double m[16] = { 0 }, ma[16] = { 0 }, s[4], sd[4], sa[4], sda[4];
            for (int c = 0; c < cin; c++)
              for (int xi = 0; xi < 16; xi++)
                {
                  const double p = (double) u[((gsize) co * cin + c) * 16 + xi] * v[c * 16 + xi];
                  m[xi] += p;
                  ma[xi] += fabs (p);
                }
            for (int j = 0; j < 4; j++)
              {
                s[j] = m[j] + m[4 + j] + m[8 + j];
                sd[j] = m[4 + j] - m[8 + j] - m[12 + j];
                sa[j] = ma[j] + ma[4 + j] + ma[8 + j];
                sda[j] = ma[4 + j] + ma[8 + j] + ma[12 + j];
              }
            const double y[2][2] = { { s[0] + s[1] + s[2], s[1] - s[2] - s[3] },
                                     { sd[0] + sd[1] + sd[2], sd[1] - sd[2] - sd[3] } };
            const double ya[2][2] = { { sa[0] + sa[1] + sa[2], sa[1] + sa[2] + sa[3] },
                                      { sda[0] + sda[1] + sda[2], sda[1] + sda[2] + sda[3] } };
            for (int dy = 0; dy < 2; dy++)
              for (int dx = 0; dx < 2; dx++)
                {
                  const int oy = 2 * ty + dy, ox = 2 * tx + dx;
                  const gsize at = (gsize) oy * ow + ox;
                  float val;
                  if (oy >= oh || ox >= ow)
                    continue;
                  val = (float) (y[dy][dx] + (conv->bias ? conv->bias[co] : 0.f));
                  if (res)
                    val += sr_tensor_channel (res, co)[at];
                  sr_tensor_channel (twin, co)[at] =
                    sr_act_scalar (val, act, conv->alpha ? conv->alpha[co] : 0.f);
                  sr_tensor_channel (scale, co)[at] = (float) ya[dy][dx];
                }
          }
        g_free (v);
      }
  g_free (u);
}

/* A bf16 kernel's output @got against
 *
 * 1. its twin: the fp32 reference run on the weights and input rounded to
 *    bf16 (sr_bf16_round, what the kernel multiplies), within the fp32
 *    tolerance above: this catches a wrong pairing of channels, a wrong
 *    rounding (truncation is off by ~2^-9 of each product), a lost tap;
 *
 * 2. the fp32 reference @want, within the bound bf16 rounding allows.
 *    Derivation: rounding to bf16 (8 bits of precision, nearest) gives
 *    w' = w (1 + d1), x' = x (1 + d2) with |d1|, |d2| <= u = 2^-8, so
 *    |w'x' - wx| = |wx| |d1 + d2 + d1 d2| <= (2u + u^2) |w||x|.  Summed over
 *    the taps, the pre-activation sum moves by at most (2u + u^2) S, where
 *    S = sum |w||x| (computed by the reference on |w| and |x|).  Bias and
 *    residual are added in fp32, unrounded.  Every activation is at most
 *    1-Lipschitz (ReLU, leaky 0.05, PReLU slopes |a| <= 0.5, sigmoid 1/4),
 *    so the bound holds after it; the fp32 summation-order difference is the
 *    1e-5 (1 + |want|) already allowed above.
 *
 * Winograd convolutions (bf16 products of the transformed U and V) have
 * winograd_twin as their twin, and the bound on their products instead.
 * Shapes the bf16 kernels leave to fp32 (sr_bf16_applies) must match the
 * fp32 reference itself. */
static void
check_bf16 (const SrKernels *kern, const Case *c, const SrConv *conv, const SrTensor *in,
            const SrTensor *res, const SrTensor *got, const SrTensor *want, SrArena *arena)
{
  const double u = 1.0 / 256;
  const gsize nw = (gsize) conv->cout * conv->cin * conv->k * conv->k;
  const gsize nx = (gsize) in->c * in->h * in->w, n = (gsize) got->c * got->h * got->w;
  const gboolean winograd = sr_winograd_applies (kern, conv, c->act);
  const gboolean rounded = sr_bf16_applies (conv);
  float *w_round = g_new (float, nw), *w_abs = g_new (float, nw);
  SrTensor *x_round = sr_arena_tensor (arena, in->c, in->h, in->w, NULL);
  SrTensor *x_abs = sr_arena_tensor (arena, in->c, in->h, in->w, NULL);
  SrTensor *twin = sr_arena_tensor (arena, got->c, got->h, got->w, NULL);
  SrTensor *sum_abs = sr_arena_tensor (arena, got->c, got->h, got->w, NULL);
  SrConv round_conv = *conv, abs_conv = *conv;

  for (gsize i = 0; i < nw; i++)
    {
      w_round[i] = rounded ? sr_bf16_round (conv->weight[i]) : conv->weight[i];
      w_abs[i] = fabsf (conv->weight[i]);
    }
  for (gsize i = 0; i < nx; i++)
    {
      x_round->data[i] = rounded ? sr_bf16_round (in->data[i]) : in->data[i];
      x_abs->data[i] = fabsf (in->data[i]);
    }
  round_conv.weight = w_round;
  round_conv.pack = NULL;
  abs_conv.weight = w_abs;
  abs_conv.bias = NULL;
  abs_conv.pack = NULL;
  if (winograd)
    {
      /* Its error scale is that of the transformed products; the
       * transforms' own fp32 rounding is inside the 1e-5 as for fp32. */
      winograd_twin (conv, in, res, c->act, twin, sum_abs);
    }
  else
    {
      sr_f32_conv_ref (&round_conv, x_round, twin, res, c->act);
      sr_f32_conv_ref (&abs_conv, x_abs, sum_abs, NULL, SR_ACT_NONE);
    }
  for (gsize i = 0; i < n; i++)
    {
      const float g = got->data[i], t = twin->data[i], f = want->data[i];
      /* Winograd: the same per-product argument on U and V, whose rounded
       * magnitudes the twin summed: |U||V| <= |U'||V'| / (1 - u)^2. */
      const double per_product = winograd ? (2 * u + u * u) / ((1 - u) * (1 - u)) : 2 * u + u * u;
      const double bound = (rounded ? per_product * sum_abs->data[i] : 0.0)
                           + 1e-5 * (1.0 + fabs (f));
      if (!(fabsf (g - t) <= 1e-5f * (1.f + fabsf (t))))
        g_error (CASE_FMT ": element %zu: got %.8g, bf16 twin %.8g", CASE_ARGS (kern, c), i, g, t);
      if (!(fabs ((double) g - f) <= bound))
        g_error (CASE_FMT ": element %zu: got %.8g, fp32 %.8g, bound %.3g", CASE_ARGS (kern, c),
                 i, g, f, bound);
    }
  g_free (w_round);
  g_free (w_abs);
}

/* Runs one case with @kern and the reference; aborts with the case on a mismatch. */
static void
check_case (const SrKernels *kern, const Case *c)
{
  SrArena *arena = sr_arena_new ();
  const int kk = c->k * c->k;
  float *weight = test_random_floats (rng, c->cout * c->cin * kk, 1.0 / sqrt (c->cin * kk));
  float *bias = test_random_floats (rng, c->cout, c->bias), *alpha = test_random_floats (rng, c->cout, 0.5);
  SrConv conv = { weight, bias, alpha, c->cout, c->cin, c->k, c->stride, c->pad, NULL };
  int oh = sr_conv_out_size (&conv, c->h), ow = sr_conv_out_size (&conv, c->w);
  SrTensor *in = test_random_tensor (rng, arena, c->cin, c->h, c->w, 1.0);
  SrTensor *res = c->residual ? test_random_tensor (rng, arena, c->cout, oh, ow, 1.0) : NULL;
  SrTensor *got = sr_arena_tensor (arena, c->cout, oh, ow, NULL);
  SrTensor *want = sr_arena_tensor (arena, c->cout, oh, ow, NULL);
  SrConvPack *pack = c->prepack ? sr_conv_pack_new (kern, &conv) : NULL;
  gsize n = (gsize) c->cout * oh * ow;

  conv.pack = pack;
  /* Poison the output: a column or channel the kernel forgets shows up. */
  for (gsize i = 0; i < n; i++)
    got->data[i] = NAN;
  if (c->split > 0)
    {
      /* The first channels in a tensor of their own, the rest in place. */
      SrTensor *first = sr_arena_tensor (arena, c->split, oh, ow, NULL);
      SrTensor rest = sr_tensor_slice (got, c->split, c->cout - c->split);
      SrTensor head = sr_tensor_slice (got, 0, c->split);
      for (gsize i = 0; i < (gsize) c->split * oh * ow; i++)
        first->data[i] = NAN;
      sr_conv2d_split_with (kern, &conv, in, first, &rest, c->act);
      sr_copy (&head, first);
    }
  else
    sr_conv2d_with (kern, &conv, in, got, res, c->act);
  sr_f32_conv_ref (&conv, in, want, res, c->act);
  if (kern->pair_rows)
    check_bf16 (kern, c, &conv, in, res, got, want, arena);
  else
  for (gsize i = 0; i < n; i++)
    if (!(fabsf (got->data[i] - want->data[i]) <= 1e-5f * (1.f + fabsf (want->data[i]))))
      g_error ("%s: %dx%d cin %d cout %d k %d stride %d pad %d act %d residual %d prepack %d "
               "split %d: element %zu (channel %zu): got %.8g, want %.8g",
               kern->name, c->w, c->h, c->cin, c->cout, c->k, c->stride, c->pad, c->act,
               c->residual, c->prepack, c->split, i, i / ((gsize) oh * ow),
               got->data[i], want->data[i]);
  g_free (pack);
  g_free (weight);
  g_free (bias);
  g_free (alpha);
  sr_arena_free (arena);
}

static gboolean
skip_unsupported (const SrKernels *kern)
{
  if (sr_kernels_supported (kern))
    return FALSE;
  g_test_skip ("this CPU lacks the instruction set");
  return TRUE;
}

static Case
random_case (int w, int h)
{
  int k = g_rand_boolean (rng) ? 3 : 1;
  Case c = {
    .w = w, .h = h, .k = k,
    .cin = g_rand_int_range (rng, 1, 21), .cout = g_rand_int_range (rng, 1, 21),
    .stride = g_rand_int_range (rng, 0, 4) == 0 ? 2 : 1,
    .pad = g_rand_int_range (rng, 0, 4) == 0 ? 0 : k / 2,
    .act = g_rand_int_range (rng, 0, 5),
    .residual = g_rand_boolean (rng),
    .prepack = g_rand_boolean (rng),
    .bias = 0.5,
  };
  return c;
}

/* Every width and height 1..17, each shape with k 1 and 3. */
static void
test_small_sizes (gconstpointer data)
{
  const SrKernels *kern = data;

  if (skip_unsupported (kern))
    return;
  for (int h = 1; h <= 17; h++)
    for (int w = 1; w <= 17; w++)
      for (int k = 1; k <= 3; k += 2)
        {
          Case c = random_case (w, h);
          c.k = k;
          c.pad = c.pad ? k / 2 : 0;
          if (sr_conv_out_size (&(SrConv) { .k = k, .stride = c.stride, .pad = c.pad }, MIN (w, h)) < 1)
            c.pad = k / 2;
          check_case (kern, &c);
        }
}

/* Widths around one, two and three tiles (16 and 48 columns), where the
 * tiles switch between reading in place and through the copied window. */
static void
test_tile_widths (gconstpointer data)
{
  const SrKernels *kern = data;
  const int widths[] = { 15, 16, 17, 18, 31, 32, 33, 34, 47, 48, 49, 50, 51, 63, 64, 65,
                         95, 96, 97, 98, 99, 100, 143, 144, 145, 146, 150, 161, 200 };

  if (skip_unsupported (kern))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    for (int rep = 0; rep < 6; rep++)
      {
        Case c = random_case (widths[i], g_rand_int_range (rng, 1, 6));
        c.stride = rep < 4 ? 1 : 2;
        c.k = rep % 2 ? 3 : 1;
        c.pad = c.k / 2;
        check_case (kern, &c);
      }
}

/* Every input and output channel count 1..20 on a shape with interior tiles. */
static void
test_channel_counts (gconstpointer data)
{
  const SrKernels *kern = data;

  if (skip_unsupported (kern))
    return;
  for (int cin = 1; cin <= 20; cin++)
    for (int cout = 1; cout <= 20; cout++)
      {
        Case c = random_case (g_rand_int_range (rng, 1, 3) == 1 ? 7 : 101, 3);
        c.cin = cin;
        c.cout = cout;
        c.stride = 1;
        c.pad = c.k / 2;
        check_case (kern, &c);
      }
}

/* Each activation and residual combination, including a sigmoid driven far
 * into saturation, and the layer shapes of the shipped networks. */
static void
test_epilogues (gconstpointer data)
{
  const SrKernels *kern = data;
  const int shapes[][2] = { { 64, 64 }, { 48, 64 }, { 16, 48 }, { 64, 384 }, { 50, 50 },
                            { 12, 50 }, { 3, 64 }, { 64, 3 }, { 25, 100 }, { 48, 200 } };

  if (skip_unsupported (kern))
    return;
  for (int act = SR_ACT_NONE; act <= SR_ACT_SIGMOID; act++)
    for (int r = 0; r < 2; r++)
      for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
        {
          Case c = random_case (g_rand_int_range (rng, 40, 110), 2);
          c.cout = shapes[s][0];
          c.cin = shapes[s][1];
          c.act = act;
          c.residual = r;
          c.stride = 1;
          c.pad = c.k / 2;
          c.bias = act == SR_ACT_SIGMOID && s % 2 ? 120.0 : 0.5;
          check_case (kern, &c);
        }
}

/* Other kernel sizes and paddings go through the generic (im2row) path. */
static void
test_other_shapes (gconstpointer data)
{
  const SrKernels *kern = data;

  if (skip_unsupported (kern))
    return;
  for (int iter = 0; iter < 200; iter++)
    {
      Case c = random_case (g_rand_int_range (rng, 5, 70), g_rand_int_range (rng, 5, 12));
      c.k = g_rand_int_range (rng, 1, 4) * 2 - 1;   /* 1, 3, 5 */
      c.pad = g_rand_int_range (rng, 0, c.k / 2 + 1);
      check_case (kern, &c);
    }
}

/* Output channels split between two tensors at every position, every
 * shape path (in place, window, 1x1 as one row, im2row). */
static void
test_split (gconstpointer data)
{
  const SrKernels *kern = data;

  if (skip_unsupported (kern))
    return;
  for (int cout = 2; cout <= 20; cout++)
    for (int split = 1; split < cout; split++)
      {
        Case c = random_case (g_rand_int_range (rng, 1, 110), g_rand_int_range (rng, 1, 5));
        c.cout = cout;
        c.split = split;
        c.residual = FALSE;
        if (sr_conv_out_size (&(SrConv) { .k = c.k, .stride = c.stride, .pad = c.pad },
                              MIN (c.w, c.h)) < 1)
          c.pad = c.k / 2;
        check_case (kern, &c);
      }
}

/* Winograd F(2x2, 3x3): every size 1..17 (ragged tiles at each edge), widths
 * around its chunks (96 columns) and the in-place/padded-band switch, the
 * channel counts around its threshold, every epilogue it fuses, splits. */
static void
test_winograd (gconstpointer data)
{
  const SrKernels *kern = data;
  const int widths[] = { 18, 31, 32, 33, 34, 35, 63, 64, 65, 66, 67, 95, 96, 97, 98, 99, 100,
                         101, 129, 130, 131, 191, 192, 193, 194, 195, 196, 197, 320 };
  const int channels[][2] = { { 64, 64 }, { 64, 48 }, { 16, 48 }, { 48, 64 }, { 50, 50 },
                              { 17, 33 }, { 20, 32 }, { 3, 200 } };
  int ran = 0;

  if (skip_unsupported (kern))
    return;
  if (!kern->winograd_input)
    {
      g_test_skip ("this variant has no Winograd transforms");
      return;
    }
  for (int h = 1; h <= 17; h++)
    for (int w = 1; w <= 17; w += (h < 6 ? 1 : 4))
      {
        Case c = { .w = w, .h = h, .cin = 32 + (w + h) % 5, .cout = 16 + (w * h) % 9, .k = 3,
                   .stride = 1, .pad = 1, .act = (w + h) % 4, .residual = (w + h) % 2,
                   .prepack = h % 2, .bias = 0.5 };
        check_case (kern, &c);
        ran++;
      }
  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    for (guint s = 0; s < G_N_ELEMENTS (channels); s++)
      {
        Case c = { .w = widths[i], .h = g_rand_int_range (rng, 1, 9), .cout = channels[s][0],
                   .cin = channels[s][1], .k = 3, .stride = 1, .pad = 1,
                   .act = g_rand_int_range (rng, 0, SR_ACT_SIGMOID), .residual = s % 2,
                   .prepack = TRUE, .bias = 0.5 };
        /* Each split position of a small output, a few of the larger ones. */
        if (i % 3 == 0 && !c.residual)
          c.split = g_rand_int_range (rng, 1, c.cout);
        check_case (kern, &c);
        ran++;
      }
  /* The cases above must have taken this path. */
  g_assert_true (sr_winograd_applies (kern, &(SrConv) { .cin = 32, .cout = 16, .k = 3, .stride = 1,
                                                        .pad = 1 }, SR_ACT_PRELU));
  g_assert_cmpint (ran, >, 100);
}

/* SR_FORCE_REF=1 makes the reference the kernels in use. */
static void
test_force_ref (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("SR_FORCE_REF", "1", TRUE);
      g_assert_true (sr_kernels_get () == &sr_kernels_ref);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* The bf16 choice follows the CPU: a variant exactly when the CPU reports
 * AVX512_BF16 (and this build has one), none under SR_FORCE_REF. */
static void
test_bf16_choice (void)
{
  gboolean cpu = FALSE;

  if (g_test_subprocess ())
    {
      g_setenv ("SR_FORCE_REF", "1", TRUE);
      g_assert_null (sr_kernels_bf16_get ());
      return;
    }
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init ();
  cpu = __builtin_cpu_supports ("avx512bf16") != 0;
#endif
  if (sr_kernels_bf16_list ()[0])
    g_assert_true ((sr_kernels_bf16_get () != NULL) == cpu);
  else
    g_assert_null (sr_kernels_bf16_get ());
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  if (!sr_kernels_bf16_get ())
    g_test_skip ("no bf16 kernels on this CPU or build: only the fallback was checked");
}

/* A bf16 variant's Winograd input transform writes bf16 pairs directly: bit
 * for bit the fp32 variant's transform rounded by the scalar sr_bf16_pair
 * (nearest even), channels 2p low and 2p + 1 high, an odd last channel
 * paired with zero; and nothing past the pairs' rows. */
static void
test_winograd_input_pairs (gconstpointer data)
{
  const SrKernels *kern = data;
  const int cins[] = { 1, 2, 3, 17, 48, 64 };

  if (skip_unsupported (kern))
    return;
  g_assert_nonnull (kern->fp32);
  for (guint i = 0; i < G_N_ELEMENTS (cins); i++)
    for (int groups = 1; groups <= 3; groups++)
      {
        const int cin = cins[i], pairs = (cin + 1) / 2, tiles = groups * kern->vec;
        const int rstride = 2 * tiles + kern->vec + 3;
        const gsize band_cstride = (gsize) 4 * rstride + 5;
        const gsize xi_stride = (gsize) cin * tiles + 7;
        float *band = g_new (float, cin * band_cstride);
        float *want = g_new (float, 16 * xi_stride);
        guint32 *got = g_new (guint32, 16 * xi_stride);
        SrWinogradInput a = { band, band_cstride, rstride, cin, groups, want, xi_stride, tiles };

        for (gsize k = 0; k < cin * band_cstride; k++)
          band[k] = (float) g_rand_double_range (rng, -3, 3) * (k % 7 == 0 ? 100.f : 1.f);
        kern->fp32->winograd_input (&a);
        memset (got, 0xab, 16 * xi_stride * sizeof (guint32));
        a.v = (float *) got;
        kern->winograd_input (&a);
        for (int xi = 0; xi < 16; xi++)
          for (int p = 0; p < pairs; p++)
            for (int t = 0; t < tiles; t++)
              {
                const float *lo = want + xi * xi_stride + (gsize) 2 * p * tiles + t;
                const guint32 expect = sr_bf16_pair (*lo, 2 * p + 1 < cin ? lo[tiles] : 0.f);
                const guint32 have = got[xi * xi_stride + (gsize) p * tiles + t];
                if (have != expect)
                  g_error ("cin %d groups %d position %d pair %d tile %d: %08x, want %08x",
                           cin, groups, xi, p, t, have, expect);
              }
        /* Rows past the pairs are untouched (the chunk's room for cin rows). */
        for (int xi = 0; xi < 16; xi++)
          for (gsize k = (gsize) pairs * tiles; k < xi_stride; k++)
            g_assert_cmphex (got[xi * xi_stride + k], ==, 0xabababab);
        g_free (band);
        g_free (want);
        g_free (got);
      }
}

/* The convs at the image's edge stay fp32 in bf16 runs: under a bf16
 * variant, those with fewer than SR_BF16_MIN_CIN input channels (the heads,
 * which read the pixels) give the fp32 variant's result bit for bit, while
 * one with SR_BF16_MIN_CIN channels runs in bf16 (its result differs); and
 * sr_conv2d_fp32 (the upsampler, which writes them) ignores a model pack's
 * bf16 twin that sr_conv2d runs. */
static void
test_image_convs_fp32 (gconstpointer data)
{
  const SrKernels *kern = data;
  const int cout = 16, h = 37, w = 53;
  const gsize bytes = (gsize) cout * h * w * sizeof (float);

  if (skip_unsupported (kern))
    return;
  for (int cin = 1; cin <= SR_BF16_MIN_CIN; cin++)
    {
      SrArena *arena = sr_arena_new ();
      float *weight = test_random_floats (rng, cout * cin * 9, 1.0 / sqrt (cin * 9));
      float *bias = test_random_floats (rng, cout, 0.5);
      SrConv conv = { weight, bias, NULL, cout, cin, 3, 1, 1, NULL };
      SrTensor *in = test_random_tensor (rng, arena, cin, h, w, 1.0);
      SrTensor *got = sr_arena_tensor (arena, cout, h, w, NULL);
      SrTensor *fp32 = sr_arena_tensor (arena, cout, h, w, NULL);
      SrConvPack *pack;

      sr_conv2d_with (kern, &conv, in, got, NULL, SR_ACT_NONE);
      sr_conv2d_with (sr_kernels_get (), &conv, in, fp32, NULL, SR_ACT_NONE);
      if ((memcmp (got->data, fp32->data, bytes) == 0) != (cin < SR_BF16_MIN_CIN))
        g_error ("cin %d: the bf16 variant's result %s the fp32 one", cin,
                 cin < SR_BF16_MIN_CIN ? "differs from" : "equals");
      if (cin == SR_BF16_MIN_CIN)
        {
          /* A model's pack: fp32, with its bf16 twin set to run. */
          pack = sr_conv_pack_new (sr_kernels_get (), &conv);
          pack->twin = sr_bf16_pack_new (kern, &conv);
          pack->run_twin = TRUE;
          conv.pack = pack;
          sr_conv2d (&conv, in, got, NULL, SR_ACT_NONE);
          g_assert_true (memcmp (got->data, fp32->data, bytes) != 0);
          sr_conv2d_fp32 (&conv, in, got, NULL, SR_ACT_NONE);
          g_assert_true (memcmp (got->data, fp32->data, bytes) == 0);
          g_free (pack->twin);
          g_free (pack);
        }
      g_free (weight);
      g_free (bias);
      sr_arena_free (arena);
    }
}

typedef struct
{
  const char   *name;
  GTestDataFunc fn;
} NamedTest;

/* Registers each of @tests as /kernels/<variant>/<name> for @kern. */
static void
add_tests (const SrKernels *kern, const NamedTest *tests, guint n)
{
  for (guint t = 0; t < n; t++)
    {
      char *path = g_strdup_printf ("/kernels/%s/%s", kern->name, tests[t].name);
      g_test_add_data_func (path, kern, tests[t].fn);
      g_free (path);
    }
}

int
main (int argc, char **argv)
{
  const SrKernels *const *all = sr_kernels_list ();
  const NamedTest tests[] = {
    { "small-sizes", test_small_sizes },
    { "tile-widths", test_tile_widths },
    { "channel-counts", test_channel_counts },
    { "epilogues", test_epilogues },
    { "other-shapes", test_other_shapes },
    { "split", test_split },
    { "winograd", test_winograd },
  };
  /* What only the bf16 variants have: the paired transform, the fp32 edges. */
  const NamedTest bf16_tests[] = {
    { "winograd-input-pairs", test_winograd_input_pairs },
    { "image-convs-fp32", test_image_convs_fp32 },
  };

  g_test_init (&argc, &argv, NULL);
  rng = g_rand_new_with_seed (4242);
  for (int i = 0; all[i]; i++)
    {
      for (guint t = 0; t < G_N_ELEMENTS (tests); t++)
        {
          /* The reference is the yardstick; only its split has code of its own. */
          if (all[i]->nr == 0 && tests[t].fn != test_split)
            continue;
          char *path = g_strdup_printf ("/kernels/%s/%s", all[i]->name, tests[t].name);
          g_test_add_data_func (path, all[i], tests[t].fn);
          g_free (path);
        }
    }
  for (const SrKernels *const *bf16 = sr_kernels_bf16_list (); *bf16; bf16++)
    {
      /* Every test, Winograd included, then the bf16-only ones. */
      add_tests (*bf16, tests, G_N_ELEMENTS (tests));
      add_tests (*bf16, bf16_tests, G_N_ELEMENTS (bf16_tests));
    }
  g_test_add_func ("/kernels/force-ref", test_force_ref);
  g_test_add_func ("/kernels/bf16-choice", test_bf16_choice);
  return g_test_run ();
}
