/* The convolution driver shared by the SIMD variants: walks the output in
 * micro-tiles and feeds each variant's micro-kernel (kernels.h).
 *
 * Stride-1 1x1 and 3x3 convolutions (nearly all the work) read the input in
 * place, a 1x1 one treating each plane as a single long row.  Tiles whose
 * taps would leave the input -- the padded border and the ragged right end --
 * first copy their input window into a zero-filled scratch, so the kernels
 * never test bounds.  Other shapes (stride 2, other kernel sizes) gather each
 * tile's taps into rows (im2row) and run the 1x1 kernel over cin*k*k
 * "channels", which the packed layout already matches.
 *
 * The kernels write each output channel through its own row pointer, so the
 * output may be split between two tensors at no cost (sr_conv2d_split), and
 * they prefetch the input the next stretch of work will need. */
#include <string.h>

#include "kernels.h"
#include "parallel.h"
#include "prefetch.h"
#include "winograd.h"

SrConvPack *
sr_conv_pack_new (const SrKernels *kernels, const SrConv *conv)
{
  const int nr = kernels->nr, kk = conv->k * conv->k, cin = conv->cin;
  int blocks;
  gsize per_block, winograd;
  SrConvPack *pack;

  if (nr == 0)
    return NULL;
  if (kernels->pair_rows)
    {
      pack = sr_bf16_applies (conv) ? sr_bf16_pack_new (kernels, conv)
                                    : sr_conv_pack_new (kernels->fp32, conv);
      pack->source = *conv;
      pack->source.pack = NULL;
      return pack;
    }
  blocks = (conv->cout + nr - 1) / nr;
  per_block = (gsize) cin * kk * nr;
  winograd = sr_winograd_pack_size (kernels, conv);
  /* One allocation, so the model frees a pack with g_free. */
  pack = g_malloc0 (sizeof (SrConvPack) +
                    ((gsize) blocks * nr + blocks * per_block + winograd) * sizeof (float));
  pack->kernels = kernels;
  pack->blocks = blocks;
  pack->source = *conv;
  pack->source.pack = NULL;
  pack->bias = (float *) (pack + 1);
  pack->weight = pack->bias + (gsize) blocks * nr;
  if (winograd)
    {
      pack->winograd = pack->weight + blocks * per_block;
      sr_winograd_pack (kernels, conv, pack->winograd);
    }

  for (int co = 0; co < conv->cout; co++)
    {
      int b = co / nr, lane = co % nr;
      float *dst = pack->weight + b * per_block + lane;
      const float *src = conv->weight + (gsize) co * cin * kk;
      pack->bias[co] = conv->bias ? conv->bias[co] : 0.f;
      /* [cin][k][k] for this channel, one lane of each nr-wide group. */
      for (gsize i = 0; i < (gsize) cin * kk; i++)
        dst[i * nr] = src[i];
    }
  return pack;
}

/* Copies rows [iy0, iy0 + rows) of every input channel, columns
 * [ix0, ix0 + width), into @dst as [cin][rows][width], zero outside the input. */
static void
copy_window (const SrTensor *in, int iy0, int rows, int ix0, int width, float *dst)
{
  const int lo = MAX (0, -ix0), hi = MIN (width, in->w - ix0);

  for (int c = 0; c < in->c; c++)
    for (int r = 0; r < rows; r++, dst += width)
      {
        const float *src = sr_tensor_channel (in, c) + (gsize) (iy0 + r) * in->w + ix0;
        if (hi <= lo)
          {
            memset (dst, 0, width * sizeof (float));
            continue;
          }
        memset (dst, 0, lo * sizeof (float));
        memcpy (dst + lo, src + lo, (hi - lo) * sizeof (float));
        memset (dst + hi, 0, (width - hi) * sizeof (float));
      }
}

/* The tiles of one output row: full tiles of kern->tile columns, then a
 * last one only as many vectors wide as the row's ragged end needs. */
typedef struct
{
  int          n;            /* tiles in the row */
  int          last_width;   /* columns the last tile computes (a multiple of the vector) */
  SrConvTileFn full, last;
} RowTiles;

static RowTiles
row_tiles (const SrKernels *kern, int k, int width)
{
  const int T = kern->tile, V = kern->vec;
  RowTiles r;
  int rest;

  r.n = (width + T - 1) / T;
  rest = width - (r.n - 1) * T;
  r.last_width = (rest + V - 1) / V * V;
  r.full = k == 1 ? kern->conv_k1[T / V - 1] : kern->conv_k3[T / V - 1];
  r.last = k == 1 ? kern->conv_k1[r.last_width / V - 1] : kern->conv_k3[r.last_width / V - 1];
  return r;
}

/* Where the output channels go: [0, split) to @first, the rest to @rest
 * (the same tensor, with split = cout, for a plain convolution). */
typedef struct
{
  SrTensor *first, *rest;
  int       split;
} Outputs;

static inline gboolean
pad_ok (const SrConv *conv)
{
  return conv->pad <= 1 && (conv->k == 1 || conv->k == 3);
}

static inline float *
out_channel (const Outputs *o, int co)
{
  return co < o->split ? sr_tensor_channel (o->first, co)
                       : sr_tensor_channel (o->rest, co - o->split);
}

/* Where one micro-tile reads its input: in place or in a copied window. */
typedef struct
{
  const float *in;
  gsize        cstride, rstride;
} TileInput;

/* Input bytes one chunk of tiles may span: the chunk is computed for every
 * output-channel block in turn, so it should stay in the L2 cache. */
#define CHUNK_BYTES (128 * 1024)

/* Runs output row @oy's tiles [t0, t1) (inputs[0] is tile t0's) for every output
 * channel block.  Blocks outermost, so one block's weights stay in L1 while
 * the tiles' inputs come from L2. */
static void
run_chunk (const SrKernels *kern, const RowTiles *tiles, const SrConv *conv,
           const SrConvPack *pack, SrConvTile *tile, gsize w_offset,
           const TileInput *inputs, int t0, int t1, SrPrefetch *prefetch,
           const Outputs *out, const SrTensor *residual, int oy)
{
  const int nr = kern->nr, T = kern->tile, width = out->first->w;
  const gsize per_block = (gsize) conv->cin * conv->k * conv->k * nr;
  const gsize row = (gsize) oy * width;

  for (int b = 0; b < pack->blocks; b++)
    {
      const int co0 = b * nr;
      const float *res_b = residual ? sr_tensor_channel (residual, co0) + row : NULL;
      float *out_b[SR_MAX_NR];

      tile->w = pack->weight + b * per_block + w_offset;
      tile->bias = pack->bias + co0;
      tile->alpha = conv->alpha ? conv->alpha + co0 : NULL;
      tile->n = MIN (nr, conv->cout - co0);
      for (int j = 0; j < tile->n; j++)
        out_b[j] = out_channel (out, co0 + j) + row;
      for (int t = t0; t < t1; t++)
        {
          const int x0 = t * T;
          tile->in = inputs[t - t0].in;
          tile->in_cstride = inputs[t - t0].cstride;
          tile->in_rstride = inputs[t - t0].rstride;
          tile->cols = MIN (T, width - x0);
          for (int j = 0; j < tile->n; j++)
            tile->out[j] = out_b[j] + x0;
          tile->res = res_b ? res_b + x0 : NULL;
          sr_prefetch_next (prefetch, tile);
          (t == tiles->n - 1 ? tiles->last : tiles->full) (tile);
        }
    }
}

/* One convolution, split into parts for sr_parallel_for: rows of the
 * output, or for a single long row (1x1), runs of its tiles. */
typedef struct
{
  const SrKernels *kern;
  const SrConv *conv;
  const SrConvPack *pack;
  const SrTensor *in, *residual;
  const Outputs *out;
  SrAct act;
  RowTiles tiles;
} DirectConv;

/* Output rows per block whose edge strips are copied at once. */
#define STRIP_ROWS 32

/* Output rows [oy0, oy1), tiles [tlo, thi) of each. */
static void
conv_direct_range (const DirectConv *d, int oy0, int oy1, int tlo, int thi)
{
  const SrKernels *kern = d->kern;
  const SrConv *conv = d->conv;
  const SrTensor *in = d->in;
  const int k = conv->k, pad = conv->pad, T = kern->tile;
  const int oh = d->out->first->h;
  const RowTiles tiles = d->tiles;
  /* Only the first tile (left padding) and the last (right padding or the
   * ragged end) can read outside the row when pad <= 1.  They read a
   * zero-padded copy of their column of the input instead, made once per
   * block of rows: every input row copied once, not once per kernel row. */
  const gsize strip_size = (gsize) in->c * (STRIP_ROWS + k - 1) * (T + k - 1);
  float *strips = g_new (float, strip_size * MIN (tiles.n, 2));
  TileInput *inputs = g_new (TileInput, tiles.n), *row_inputs = g_new (TileInput, tiles.n);
  const int chunk = CLAMP (CHUNK_BYTES / (in->c * k * T * (int) sizeof (float)), 1, tiles.n);
  SrConvTile tile = {
    .cin = in->c,
    .w_cstride = (gsize) k * k * kern->nr,
    .res_cstride = d->residual ? sr_tensor_plane (d->residual) : 0,
    .act = d->act,
  };

  for (int by = oy0; by < oy1; by += STRIP_ROWS)
    {
      const int by1 = MIN (oy1, by + STRIP_ROWS);
      /* Input rows the block reads: [y_lo, y_hi). */
      const int y_lo = MAX (0, by - pad), y_hi = MIN (in->h, by1 - 1 + k - pad);
      const int rows = MAX (0, y_hi - y_lo);
      int n_strips = 0;

      for (int t = tlo; t < thi; t++)
        {
          const int ix0 = t * T - pad;
          const int span = (t == tiles.n - 1 ? tiles.last_width : T) + k - 1;
          if (ix0 < 0 || ix0 + span > in->w)
            {
              float *strip = strips + strip_size * n_strips++;
              g_assert (n_strips <= MIN (tiles.n, 2));
              copy_window (in, y_lo, rows, ix0, span, strip);
              inputs[t].in = strip;
              inputs[t].cstride = (gsize) rows * span;
              inputs[t].rstride = span;
            }
          else
            {
              inputs[t].in = sr_tensor_channel (in, 0) + (gsize) y_lo * in->w + ix0;
              inputs[t].cstride = sr_tensor_plane (in);
              inputs[t].rstride = in->w;
            }
        }

      for (int oy = by; oy < by1; oy++)
        {
          /* Kernel rows that fall inside the input; the others only add zeros. */
          const int ky0 = MAX (0, pad - oy), ky1 = MIN (k, in->h + pad - oy);
          const int iy0 = ky1 > ky0 ? oy - pad + ky0 : y_lo;

          /* The next output row first reads input row oy + k - pad (a 1x1
           * conv's single long row fetches its next chunk instead, below). */
          const int next = oy + k - pad;
          SrPrefetch prefetch = sr_prefetch_plan (in, next, oh > 1 ? next + 1 : next, 0, in->w,
                                                  (thi - tlo) * d->pack->blocks);

          tile.kh = MAX (0, ky1 - ky0);
          for (int t = tlo; t < thi; t++)
            {
              row_inputs[t - tlo] = inputs[t];
              row_inputs[t - tlo].in += (gsize) (iy0 - y_lo) * inputs[t].rstride;
            }
          for (int t0 = tlo; t0 < thi; t0 += chunk)
            {
              const int t1 = MIN (t0 + chunk, thi);
              /* A 1x1 conv is one long row: fetch its next chunk instead. */
              if (oh == 1)
                prefetch = sr_prefetch_plan (in, 0, 1, t1 * T, (t1 + chunk) * T,
                                             (t1 - t0) * d->pack->blocks);
              run_chunk (kern, &tiles, conv, d->pack, &tile, (gsize) ky0 * k * kern->nr,
                         row_inputs + (t0 - tlo), t0, t1, &prefetch, d->out, d->residual, oy);
            }
        }
    }
  g_free (row_inputs);
  g_free (inputs);
  g_free (strips);
}

static void
conv_direct_part (gpointer data, int part, int n_parts)
{
  const DirectConv *d = data;
  const int oh = d->out->first->h;

  if (oh > 1)
    conv_direct_range (d, (int) ((gint64) oh * part / n_parts),
                       (int) ((gint64) oh * (part + 1) / n_parts), 0, d->tiles.n);
  else
    conv_direct_range (d, 0, 1, (int) ((gint64) d->tiles.n * part / n_parts),
                       (int) ((gint64) d->tiles.n * (part + 1) / n_parts));
}

/* Below this many multiply-adds a layer runs on one thread: waking helpers
 * costs more than it saves. */
#define PARALLEL_MIN_MACS (4.0 * 1024 * 1024)

/* Parts to split a layer of @units rows (or tiles) into. */
static int
parallel_parts (const SrConv *conv, const SrTensor *out, int units)
{
  const double macs = (double) out->h * out->w * conv->cout * conv->cin * conv->k * conv->k;

  if (sr_parallel_width () > 1 && macs >= PARALLEL_MIN_MACS)
    return MIN (units, 4 * sr_parallel_width ());   /* a few per thread evens out the load */
  return 1;
}

/* Stride 1, k 1 or 3, pad 0 or 1: the kernel reads the input rows in place. */
static void
conv_direct (const SrKernels *kern, const SrConv *conv, const SrConvPack *pack,
             const SrTensor *in, const Outputs *out, const SrTensor *residual, SrAct act)
{
  DirectConv d = { kern, conv, pack, in, residual, out, act,
                   row_tiles (kern, conv->k, out->first->w) };

  g_assert (pad_ok (conv));
  sr_parallel_for (parallel_parts (conv, out->first, out->first->h > 1 ? out->first->h : d.tiles.n),
                   conv_direct_part, &d);
}

/* Any stride and kernel size: gather each tile's taps into rows
 * [cin][ky][kx][T] -- the packed weights' order -- and run the 1x1 kernel. */
/* Output rows of one part: each gathers its own taps. */
static void
conv_im2row_part (gpointer data, int part, int n_parts)
{
  const DirectConv *d = data;
  const SrKernels *kern = d->kern;
  const SrConv *conv = d->conv;
  const SrTensor *in = d->in;
  const int k = conv->k, s = conv->stride, pad = conv->pad, T = kern->tile;
  const int taps = in->c * k * k, ow = d->out->first->w, oh = d->out->first->h;
  const RowTiles tiles = d->tiles;
  float *rows = g_new (float, (gsize) taps * T);
  const TileInput input = { rows, T, T };
  SrPrefetch none = { 0 };   /* the gathered rows are in cache already */
  SrConvTile tile = {
    .cin = taps,
    .kh = 1,
    .w_cstride = kern->nr,
    .res_cstride = d->residual ? sr_tensor_plane (d->residual) : 0,
    .act = d->act,
  };

  for (int oy = oh * part / n_parts; oy < oh * (part + 1) / n_parts; oy++)
    for (int t = 0; t < tiles.n; t++)
      {
        const int x0 = t * T, cols = MIN (T, ow - x0);
        float *dst = rows;
        for (int c = 0; c < in->c; c++)
          for (int ky = 0; ky < k; ky++)
            {
              const int iy = oy * s + ky - pad;
              const gboolean row_inside = iy >= 0 && iy < in->h;
              const float *src = sr_tensor_channel (in, c) + (gsize) (row_inside ? iy : 0) * in->w;
              for (int kx = 0; kx < k; kx++, dst += T)
                {
                  /* Columns i whose input column (x0 + i) * s + kx - pad lies
                   * inside the row: [lo, hi); zeros around them. */
                  const int first = x0 * s + kx - pad;
                  const int lo = row_inside ? MIN (cols, first < 0 ? (-first + s - 1) / s : 0) : 0;
                  const int hi = row_inside && in->w > first
                                 ? MAX (lo, MIN (cols, (in->w - first + s - 1) / s)) : lo;
                  memset (dst, 0, lo * sizeof (float));
                  for (int i = lo; i < hi; i++)
                    dst[i] = src[first + i * s];
                  memset (dst + hi, 0, (T - hi) * sizeof (float));
                }
            }
        run_chunk (kern, &tiles, conv, d->pack, &tile, 0, &input, t, t + 1, &none, d->out,
                   d->residual, oy);
      }
  g_free (rows);
}

static void
conv_im2row (const SrKernels *kern, const SrConv *conv, const SrConvPack *pack,
             const SrTensor *in, const Outputs *out, const SrTensor *residual, SrAct act)
{
  DirectConv d = { kern, conv, pack, in, residual, out, act, row_tiles (kern, 1, out->first->w) };
  sr_parallel_for (parallel_parts (conv, out->first, out->first->h), conv_im2row_part, &d);
}

/* Runs @conv with @out's channel placement (shapes already checked). */
static void
conv_run (const SrKernels *kern, const SrConv *conv, const SrTensor *in, const Outputs *out,
          const SrTensor *residual, SrAct act)
{
  const SrConvPack *pack = conv->pack;
  SrConvPack *temp = NULL;
  SrTensor pairs = { 0 };
  gsize pairs_got = 0;
  SrConv pair_conv;

  if (pack && pack->kernels != kern && pack->twin && pack->twin->kernels == kern)
    pack = pack->twin;
  /* Convs built outside a model (tests, attention) are packed on the fly:
   * cout*cin*k*k floats, small next to the convolution itself. */
  if (!pack || pack->kernels != kern)
    pack = temp = sr_conv_pack_new (kern, conv);
  if (kern->pair_rows && !(pack->winograd && sr_winograd_applies (kern, conv, act)))
    {
      /* bf16: the input as pairs of channels, which the driver below walks
       * as cin / 2 channels of 32 bits (Winograd pairs its transformed
       * input instead). */
      pairs = sr_bf16_pairs (kern, in, &pairs_got);
      in = &pairs;
      pair_conv = *conv;
      pair_conv.cin = pairs.c;
      conv = &pair_conv;
    }
  if (conv->k == 1 && conv->stride == 1 && conv->pad == 0)
    {
      /* A 1x1 convolution sees each plane as one long row: the tiles run
       * across row ends, so only the plane's last tile is ragged. */
      const SrTensor *first = out->first, *rest = out->rest;
      SrTensor in_row = { in->c, 1, in->h * in->w, in->data };
      SrTensor first_row = { first->c, 1, first->h * first->w, first->data };
      SrTensor rest_row = { rest->c, 1, rest->h * rest->w, rest->data };
      SrTensor res_row = residual ? (SrTensor) { residual->c, 1, first_row.w, residual->data }
                                  : in_row;
      Outputs rows = { &first_row, out->rest == out->first ? &first_row : &rest_row, out->split };
      conv_direct (kern, conv, pack, &in_row, &rows, residual ? &res_row : NULL, act);
    }
  else if (pack->winograd && sr_winograd_applies (kern, conv, act))
    sr_conv_winograd (kern, conv, pack, in, out->first, out->rest, out->split, residual, act,
                      parallel_parts (conv, out->first, (out->first->h + 1) / 2));
  else if (conv->stride == 1 && (conv->k == 1 || conv->k == 3) && conv->pad <= 1)
    conv_direct (kern, conv, pack, in, out, residual, act);
  else
    conv_im2row (kern, conv, pack, in, out, residual, act);
  sr_block_give (pairs.data, pairs_got);
  g_free (temp);
}

static void
check_shapes (const SrConv *conv, const SrTensor *in, const SrTensor *out)
{
  g_assert (in->c == conv->cin);
  g_assert (out->w == sr_conv_out_size (conv, in->w) && out->h == sr_conv_out_size (conv, in->h));
}

void
sr_conv2d_with (const SrKernels *kern, const SrConv *conv, const SrTensor *in, SrTensor *out,
                const SrTensor *residual, SrAct act)
{
  Outputs outputs = { out, out, conv->cout };

  if (kern->fp32 && !sr_bf16_applies (conv))
    kern = kern->fp32;
  check_shapes (conv, in, out);
  g_assert (out->c == conv->cout);
  if (kern->nr == 0)
    sr_f32_conv_ref (conv, in, out, residual, act);
  else
    conv_run (kern, conv, in, &outputs, residual, act);
}

void
sr_conv2d_split_with (const SrKernels *kern, const SrConv *conv, const SrTensor *in,
                      SrTensor *first, SrTensor *rest, SrAct act)
{
  Outputs outputs = { first, rest, first->c };

  if (kern->fp32 && !sr_bf16_applies (conv))
    kern = kern->fp32;
  check_shapes (conv, in, first);
  g_assert (first->c + rest->c == conv->cout && rest->h == first->h && rest->w == first->w);
  if (kern->nr == 0)
    {
      /* The reference has no split: compute whole, then copy the parts. */
      SrTensor whole = { conv->cout, first->h, first->w,
                         g_new (float, (gsize) conv->cout * sr_tensor_plane (first)) };
      SrTensor part;
      sr_f32_conv_ref (conv, in, &whole, NULL, act);
      part = sr_tensor_slice (&whole, 0, first->c);
      sr_copy (first, &part);
      part = sr_tensor_slice (&whole, first->c, rest->c);
      sr_copy (rest, &part);
      g_free (whole.data);
    }
  else
    conv_run (kern, conv, in, &outputs, NULL, act);
}

/* The kernels a model's conv runs with: its precision's (kernels.h). */
static const SrKernels *
kernels_for (const SrConv *conv)
{
  return conv->pack && conv->pack->run_twin ? conv->pack->twin->kernels : sr_kernels_get ();
}

void
sr_conv2d (const SrConv *conv, const SrTensor *in, SrTensor *out,
           const SrTensor *residual, SrAct act)
{
  sr_conv2d_with (kernels_for (conv), conv, in, out, residual, act);
}

void
sr_conv2d_like (const SrConv *model_conv, const SrConv *conv, const SrTensor *in,
                SrTensor *out, const SrTensor *residual, SrAct act)
{
  sr_conv2d_with (kernels_for (model_conv), conv, in, out, residual, act);
}

void
sr_conv2d_fp32 (const SrConv *conv, const SrTensor *in, SrTensor *out,
                const SrTensor *residual, SrAct act)
{
  /* The model's own pack is the fp32 one; the bf16 twin is only run when
   * asked for by kernels_for. */
  sr_conv2d_with (sr_kernels_get (), conv, in, out, residual, act);
}

void
sr_conv2d_split (const SrConv *conv, const SrTensor *in, SrTensor *first, SrTensor *rest,
                 SrAct act)
{
  sr_conv2d_split_with (kernels_for (conv), conv, in, first, rest, act);
}
