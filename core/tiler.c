#include "tiler.h"

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
