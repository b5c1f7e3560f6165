/* Tile pixels between the caller's layout and the network's: interleaved
 * RGB in 0..1 on the outside, planar channels in the model's input range
 * inside.  Pure conversions, no threads and no callbacks: the scheduler
 * (scheduler.c) fetches and hands over the buffers. */
#ifndef SR_TILE_IO_H
#define SR_TILE_IO_H

#include "tensor.h"
#include "tiler.h"

/* Where one run's tile outputs go. */
typedef struct
{
  int      scale;                /* output pixels per input pixel of the network */
  int      out_w, out_h;         /* real output size at the network's scale */
  int      target_w, target_h;   /* what the caller asked for */
  gboolean resample;             /* target differs from the network's output */
  gboolean clamp;                /* clamp to 0..1 (not for the PyTorch comparisons) */
  float    input_range;          /* the model's: 1 or 255 */
} SrTileOutput;

/* Fills tensor @t (3 x t->h x t->w, model range) from @rgb, rw x rh
 * interleaved pixels in 0..1; where @t is larger (padding past the image)
 * the last row and column repeat. */
void   sr_tile_io_planar_from_rgb (const float *rgb, int rw, int rh, float input_range,
                                   SrTensor *t);

/* The part of network output @out (tile @tile's input rectangle, upscaled)
 * that the caller gets: the tile's core clipped to the real output and, if
 * @o->resample, resampled to the target.  Returns it interleaved in 0..1
 * with *@rect its place in the target, or NULL (error unset) when the tile
 * holds padding only; NULL with @error set when out of memory.  The buffer
 * is a kept block (tensor.h): give it back with sr_block_give (buf, *@got). */
float *sr_tile_io_rgb_from_planar (const SrTileOutput *o, const SrTile *tile,
                                   const SrTensor *out, SrRect *rect, gsize *got, GError **error);

#endif
