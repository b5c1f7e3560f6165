/* The Winograd F(2x2, 3x3) driver (winograd.h): weight transform at pack
 * time, then per row of 2x2 tiles and chunk of kern->tile tiles: copy the
 * four input rows into a zero-padded band, transform (the variant's
 * winograd_input), 16 matrix products with the variant's 1x1 micro-kernel,
 * inverse transform and epilogue (winograd_output).  A chunk's transformed
 * input and products (2 x 16 x 64 x 48 floats for 64 channels) stay in L2. */
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "prefetch.h"
#include "winograd.h"

#define XI 16   /* transformed positions of a 4x4 tile */

/* Filter transform G, F(2,3) with interpolation points 0, 1, -1, infinity. */
static const double G[4][3] = {
  { 1.0, 0.0, 0.0 }, { 0.5, 0.5, 0.5 }, { 0.5, -0.5, 0.5 }, { 0.0, 0.0, 1.0 },
};

static gpointer
read_switch (gpointer unused)
{
  const char *s = g_getenv ("SR_WINOGRAD");
  return GINT_TO_POINTER (!(s && strcmp (s, "0") == 0));
}

gboolean
sr_winograd_applies (const SrKernels *kern, const SrConv *conv, SrAct act)
{
  static GOnce once = G_ONCE_INIT;

  /* Fewer channels leave the transforms a larger share than they save
   * (ECBSR's 16, IMDN_RTC's 12 stay direct, and so stay exactly local). */
  return kern->winograd_input && conv->k == 3 && conv->stride == 1 && conv->pad == 1 &&
         conv->cin >= 32 && conv->cout >= 16 && act != SR_ACT_SIGMOID &&
         GPOINTER_TO_INT (g_once (&once, read_switch, NULL));
}

gsize
sr_winograd_pack_size (const SrKernels *kern, const SrConv *conv)
{
  if (!kern->winograd_input || conv->k != 3 || conv->stride != 1 || conv->pad != 1)
    return 0;
  return (gsize) XI * ((conv->cout + kern->nr - 1) / kern->nr) * kern->nr * conv->cin;
}

void
sr_winograd_pack (const SrKernels *kern, const SrConv *conv, float *dst)
{
  const int nr = kern->nr, cin = conv->cin, blocks = (conv->cout + nr - 1) / nr;

  for (int co = 0; co < conv->cout; co++)
    for (int c = 0; c < cin; c++)
      {
        const float *g = conv->weight + ((gsize) co * cin + c) * 9;
        double gt[4][3];   /* G g */
        for (int i = 0; i < 4; i++)
          for (int b = 0; b < 3; b++)
            gt[i][b] = G[i][0] * g[b] + G[i][1] * g[3 + b] + G[i][2] * g[6 + b];
        for (int i = 0; i < 4; i++)
          for (int j = 0; j < 4; j++)
            {
              const int xi = 4 * i + j;
              const double u = gt[i][0] * G[j][0] + gt[i][1] * G[j][1] + gt[i][2] * G[j][2];
              dst[(((gsize) xi * blocks + co / nr) * cin + c) * nr + co % nr] = (float) u;
            }
      }
}

/* Scratch kept per thread (pool and tile workers live for many layers). */
typedef struct
{
  gsize  size;
  float *data;
} Scratch;

static void
scratch_free (gpointer p)
{
  Scratch *s = p;
  free (s->data);
  g_free (s);
}

static GPrivate scratch_key = G_PRIVATE_INIT (scratch_free);

static float *
thread_scratch (gsize floats)
{
  Scratch *s = g_private_get (&scratch_key);
  void *mem;

  if (!s)
    {
      s = g_new0 (Scratch, 1);
      g_private_set (&scratch_key, s);
    }
  if (s->size < floats)
    {
      free (s->data);
      s->data = NULL;
      s->size = 0;
      if (posix_memalign (&mem, 64, floats * sizeof (float)) != 0)
        g_error ("out of memory for %.1f MiB of convolution scratch",
                 floats * sizeof (float) / 1048576.0);
      /* Zeroed once: columns past a chunk's last tile are read but never
       * stored, and must not hold NaNs or denormals that slow the FMAs. */
      memset (mem, 0, floats * sizeof (float));
      s->data = mem;
      s->size = floats;
    }
  return s->data;
}

typedef struct
{
  const SrKernels *kern;
  const SrConv *conv;
  const SrConvPack *pack;
  const SrTensor *in, *residual;
  SrTensor *first, *rest;
  int split;
  SrAct act;
  int tiles_x, tiles_y;
} Winograd;

static float *
out_row (const Winograd *w, int co, int y)
{
  float *plane = co < w->split ? sr_tensor_channel (w->first, co)
                               : sr_tensor_channel (w->rest, co - w->split);
  return plane + (gsize) y * w->first->w;
}

/* Input rows 2 ty - 1 .. 2 ty + 2, columns x0 .. x0 + width - 1, of every
 * channel into @band ([cin][4][stride]), zero outside the input and after. */
static void
fill_band (const SrTensor *in, int ty, int x0, int width, float *band, int stride)
{
  const int lo = MAX (0, -x0), hi = MAX (lo, MIN (width, in->w - x0));

  for (int c = 0; c < in->c; c++)
    for (int r = 0; r < 4; r++, band += stride)
      {
        const int iy = 2 * ty - 1 + r;
        if (iy < 0 || iy >= in->h)
          {
            memset (band, 0, stride * sizeof (float));
            continue;
          }
        memset (band, 0, lo * sizeof (float));
        memcpy (band + lo, sr_tensor_channel (in, c) + (gsize) iy * in->w + x0 + lo,
                (hi - lo) * sizeof (float));
        memset (band + hi, 0, (stride - hi) * sizeof (float));
      }
}

/* Tiles in the chunk that starts @left tiles before the row's end.  A lone
 * last vector of tiles would run the narrowest GEMM kernel, which waits on
 * its loads: such a row ends with two chunks of two vectors instead. */
static int
chunk_tiles (const SrKernels *kern, int left)
{
  return left > kern->tile && left <= kern->tile + kern->vec ? 2 * kern->vec
                                                            : MIN (kern->tile, left);
}

static void
winograd_part (gpointer data, int part, int n_parts)
{
  const Winograd *w = data;
  const SrKernels *kern = w->kern;
  const SrConv *conv = w->conv;
  const int nr = kern->nr, cin = conv->cin, cout = conv->cout;
  /* Channels the products read: pairs of them for bf16. */
  const int gcin = kern->pair_rows ? (cin + 1) / 2 : cin;
  const int blocks = w->pack->blocks, coutp = blocks * nr;
  const int chunk = kern->tile;                    /* tiles per chunk */
  const int band_stride = 2 * chunk + kern->vec;   /* two loads of a group past its start */
  const int oh = w->first->h, ow = w->first->w;
  const int ty0 = (int) ((gint64) w->tiles_y * part / n_parts);
  const int ty1 = (int) ((gint64) w->tiles_y * (part + 1) / n_parts);
  const gsize band_size = (gsize) cin * 4 * band_stride;
  const gsize v_size = (gsize) XI * cin * chunk;
  float *band = thread_scratch (band_size + v_size + (gsize) XI * coutp * chunk + nr);
  float *v = band + band_size, *m = v + v_size, *zeros = m + (gsize) XI * coutp * chunk;
  SrConvTile tile = { .cin = gcin, .kh = 1, .w_cstride = nr, .bias = zeros, .act = SR_ACT_NONE,
                      .in_cstride = chunk };

  memset (zeros, 0, nr * sizeof (float));
  for (int ty = ty0; ty < ty1; ty++)
    for (int tx0 = 0, nt; tx0 < w->tiles_x; tx0 += nt)
      {
        nt = chunk_tiles (kern, w->tiles_x - tx0);
        const int groups = (nt + kern->vec - 1) / kern->vec;
        const gboolean in_place = ty >= 1 && 2 * ty + 2 < w->in->h && tx0 >= 1 &&
                                  2 * tx0 - 1 + 2 * kern->vec * groups + 2 <= w->in->w;
        const SrConvTileFn gemm = kern->conv_k1[groups - 1];
        SrWinogradInput vin = { band, (gsize) 4 * band_stride, band_stride, cin, groups,
                                v, (gsize) cin * chunk, chunk };
        SrWinogradOutput vout = { .m_xi_stride = (gsize) coutp * chunk, .groups = groups,
                                  .cols = MIN (2 * nt, ow - 2 * tx0), .act = w->act };

        /* Chunks whose reads stay inside the input take it in place; the
         * others (the borders) go through the padded band. */
        if (in_place)
          {
            vin.band = sr_tensor_channel (w->in, 0) + (gsize) (2 * ty - 1) * w->in->w + 2 * tx0 - 1;
            vin.band_cstride = sr_tensor_plane (w->in);
            vin.band_rstride = w->in->w;
          }
        else
          fill_band (w->in, ty, 2 * tx0 - 1, 2 * nt + 2, band, band_stride);
        /* bf16 variants write the pairs their products read. */
        kern->winograd_input (&vin);

        const gboolean row_ends = tx0 + nt >= w->tiles_x;
        /* The next chunk's input comes into L2 while this one's products
         * run, so its transform need not wait on memory. */
        const int next_ty = row_ends ? ty + 1 : ty, next_tx = row_ends ? 0 : tx0 + nt;
        SrPrefetch ahead = next_ty >= ty1
                           ? (SrPrefetch) { 0 }
                           : sr_prefetch_plan (w->in, 2 * next_ty - 1, 2 * next_ty + 3, 2 * next_tx - 1,
                                               2 * (next_tx + chunk_tiles (kern, w->tiles_x - next_tx)) + 1,
                                               XI * blocks);
        tile.cols = nt;
        for (int xi = 0; xi < XI; xi++)
          for (int b = 0; b < blocks; b++)
            {
              tile.in = v + (gsize) xi * cin * chunk;
              tile.w = w->pack->winograd + (((gsize) xi * blocks + b) * gcin) * nr;
              tile.n = MIN (nr, cout - b * nr);
              for (int j = 0; j < tile.n; j++)
                tile.out[j] = m + ((gsize) xi * coutp + b * nr + j) * chunk;
              sr_prefetch_next (&ahead, &tile);
              gemm (&tile);
            }

        for (int co = 0; co < cout; co++)
          {
            const int y = 2 * ty, x = 2 * tx0;
            const gboolean second = y + 1 < oh;
            vout.m = m + (gsize) co * chunk;
            vout.out0 = out_row (w, co, y) + x;
            vout.out1 = second ? out_row (w, co, y + 1) + x : NULL;
            vout.res0 = w->residual ? sr_tensor_channel (w->residual, co) + (gsize) y * ow + x : NULL;
            vout.res1 = w->residual && second ? vout.res0 + ow : NULL;
            vout.bias = w->pack->bias[co];
            vout.alpha = conv->alpha ? conv->alpha[co] : 0.f;
            kern->winograd_output (&vout);
          }
      }
}

void
sr_conv_winograd (const SrKernels *kern, const SrConv *conv, const SrConvPack *pack,
                  const SrTensor *in, SrTensor *first, SrTensor *rest, int split,
                  const SrTensor *residual, SrAct act, int n_parts)
{
  Winograd w = { kern, conv, pack, in, residual, first, rest, split, act,
                 (first->w + 1) / 2, (first->h + 1) / 2 };

  g_assert (pack && pack->winograd && sr_winograd_applies (kern, conv, act));
  sr_parallel_for (MIN (n_parts, w.tiles_y), winograd_part, &w);
}
