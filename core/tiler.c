/* Tile geometry and the tile-size policy; see tiler.h. */
#include "tiler.h"
#include "model.h"

#include <math.h>

static int
round_up (int v, int m)
{
  return (v + m - 1) / m * m;
}

static gint64
tile_count (int length, int tile)
{
  return ((gint64) length + tile - 1) / tile;
}

/* One axis: the input span for the core [c0, c1) on an axis of length n. */
static void
grow (int c0, int c1, int n, int halo, int min_size, int *i0, int *i1)
{
  *i0 = MAX (0, c0 - halo);
  *i1 = MIN (n, c1 + halo);
  /* Too narrow for the network (e.g. RFDN's pooling): take more real
   * context on whichever side has it. */
  while (*i1 - *i0 < min_size && (*i0 > 0 || *i1 < n))
    {
      if (*i1 < n)
        (*i1)++;
      if (*i1 - *i0 < min_size && *i0 > 0)
        (*i0)--;
    }
}

GArray *
sr_tiler_plan (int width, int height, int tile_w, int tile_h, int halo, int multiple, int min_size)
{
  GArray *tiles;

  g_return_val_if_fail (width > 0 && height > 0 && tile_w > 0 && tile_h > 0 && multiple > 0,
                        g_array_new (FALSE, FALSE, sizeof (SrTile)));
  while (tile_count (width, tile_w) * tile_count (height, tile_h) > SR_TILER_MAX_TILES)
    {
      tile_w = (int) MIN ((gint64) tile_w * 2, width);
      tile_h = (int) MIN ((gint64) tile_h * 2, height);
    }
  /* Aligned tile and halo keep strided layers (IMDN_AS) on the same grid
   * in every tile as in the whole image. */
  tile_w = round_up (tile_w, multiple);
  tile_h = round_up (tile_h, multiple);
  tiles = g_array_sized_new (FALSE, FALSE, sizeof (SrTile),
                             (guint) (tile_count (width, tile_w) * tile_count (height, tile_h)));
  halo = round_up (halo, multiple);
  min_size = round_up (min_size, multiple);

  for (int y = 0; y < height; y += tile_h)
    for (int x = 0; x < width; x += tile_w)
      {
        SrTile t;
        int x0, x1, y0, y1;
        t.core = (SrRect) { x, y, MIN (tile_w, width - x), MIN (tile_h, height - y) };
        grow (x, x + t.core.w, width, halo, min_size, &x0, &x1);
        grow (y, y + t.core.h, height, halo, min_size, &y0, &y1);
        /* min_size growth moves one pixel at a time: snap back to the grid. */
        x0 = x0 / multiple * multiple;
        y0 = y0 / multiple * multiple;
        x1 = MIN (width, round_up (x1, multiple));
        y1 = MIN (height, round_up (y1, multiple));
        t.in = (SrRect) { x0, y0, x1 - x0, y1 - y0 };
        g_array_append_val (tiles, t);
      }
  return tiles;
}

/* ---- Tile-size policy ---- */

/* Feature maps per worker that stay in cache, for local networks (which
 * tile for free): ECBSR x4 with 2 threads, 50 output megapixels, ran at
 * 18.1 ms/MPix in memory-budget tiles (~1000 px) and 13.6 ms/MPix in tiles of
 * 160-190 px, whose ~16 MiB of maps stay in the last-level cache. */
#define TILE_CACHE_BYTES (16.0 * 1024 * 1024)
#define MIN_TILE 64
#define MAX_TILE 1024

/* Side of the largest square tile whose feature maps fit @bytes. */
static int
tile_side_for (const SrModel *model, double bytes)
{
  int side = (int) sqrt (bytes / (model->arch->floats_per_pixel (model) * sizeof (float)));
  return CLAMP (side - 2 * model->arch->halo (model), MIN_TILE, MAX_TILE);
}

/* Tile size: the largest whose feature maps fit the per-worker memory
 * budget.  Local networks tile exactly, so they take cache-sized tiles, at
 * least one per thread (whole tiles on separate threads scale better than
 * split layers), and the image is cut evenly into a multiple of the thread
 * count: no thin slivers at the edges, no thread left waiting on the last. */
void
sr_tiler_auto_size (const SrModel *model, int width, int height, int threads, double budget_bytes,
                    int *tile_w, int *tile_h)
{
  const SrArch *arch = model->arch;
  int side, cached, n, nx, ny;

  side = tile_side_for (model, budget_bytes);
  *tile_w = *tile_h = side;
  if (!arch->local)
    return;
  cached = MIN (side, tile_side_for (model, TILE_CACHE_BYTES));
  n = (int) MIN (1e6, ceil ((double) width * height / ((double) cached * cached)));
  n = (n + threads - 1) / threads * threads;
  /* nx columns by ny rows of tiles, about twice as wide as tall: halos
   * favour squares, but the kernels work in runs of 16-48 columns and
   * waste part of the last run of each row. */
  nx = CLAMP ((int) lround (sqrt (n * (double) width / (2.0 * height))), 1, MIN (n, width));
  ny = MIN ((n + nx - 1) / nx, height);
  *tile_w = (width + nx - 1) / nx;
  *tile_h = (height + ny - 1) / ny;
}
