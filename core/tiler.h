/* Tile geometry: which input rectangles to run the network on so that every
 * output pixel is computed with enough real context around it. */
#ifndef SR_TILER_H
#define SR_TILER_H

#include "sr.h"

#define SR_TILER_MAX_TILES (1 << 20)

typedef struct
{
  int x, y, w, h;
} SrRect;

typedef struct
{
  SrRect core;   /* the pixels this tile is responsible for */
  SrRect in;     /* core grown by the halo, clamped to the image */
} SrTile;

/* Splits a width x height image into tiles of @tile_w x @tile_h core pixels
 * (the last row/column may be smaller), each grown by @halo pixels of real
 * neighbours, clamped at the true image borders.  Every rectangle edge that
 * is not an image border lies on a multiple of @multiple, and inputs are
 * extended (inwards) to at least @min_size where the image allows.
 * Tiles are enlarged (both sides doubled, as often as needed) when there
 * would be more than SR_TILER_MAX_TILES of them: a user's tile size of 1 on
 * a 65536-pixel-wide image asked for 4 billion tiles, whose array alone
 * does not fit in memory, and tiles that small are all halo anyway.
 * Returns an array of SrTile in row-major order. */
GArray *sr_tiler_plan (int width, int height, int tile_w, int tile_h, int halo, int multiple,
                       int min_size);

/* ---- Tile-size policy ---- */

/* Default memory per worker for one tile's feature maps. */
#define SR_TILE_BUDGET_BYTES (448.0 * 1024 * 1024)

/* The automatic tile size for a width x height (padded) input run on
 * @threads threads, each tile's feature maps within @budget_bytes. */
void sr_tiler_auto_size (const SrModel *model, int width, int height, int threads,
                         double budget_bytes, int *tile_w, int *tile_h);

#endif
