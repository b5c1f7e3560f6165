/* Cubic resampling (Keys, a = -0.5, as MATLAB's imresize), antialiased when
 * shrinking: the kernel is stretched by the shrink factor, so detail finer
 * than the target grid is averaged away instead of aliasing into moire. */
#ifndef SR_RESAMPLE_H
#define SR_RESAMPLE_H

#include <glib.h>

/* Weights for one axis: output pixel u reads source pixels first[u] ..
 * first[u] + taps - 1 (already clamped to the source) with weight[u * taps + t]. */
typedef struct
{
  int    n_out, taps;
  int   *first;
  float *weight;
} SrResampleAxis;

/* Output pixels [u0, u0 + n_out) of a resize from @src_size to @dst_size
 * pixels, reading source pixels inside [lo, hi) only (clamping there: the
 * caller makes [lo, hi) the true image or enough of it).  FALSE when out of
 * memory (the axis is then empty; clearing it is still allowed). */
gboolean sr_resample_axis_init (SrResampleAxis *axis, int src_size, int dst_size,
                                int u0, int n_out, int lo, int hi);
void  sr_resample_axis_clear (SrResampleAxis *axis);
/* Source pixels needed on each side of an output pixel's centre. */
int   sr_resample_radius     (int src_size, int dst_size);

/* The source pixels [*lo, *hi) that @axis reads with a non-zero weight:
 * what a caller must supply to produce the axis's output pixels. */
void  sr_resample_axis_span  (const SrResampleAxis *axis, int *lo, int *hi);

/* A block of float samples cut out of a larger image, in any layout:
 * channel c of the block's pixel (x, y) is at
 * pixels[(y * w + x) * pixel_stride + c * channel_stride], and the block's
 * pixel (0, 0) is source pixel (ox, oy). */
typedef struct
{
  const float *pixels;
  int          w, h, ox, oy;
  gsize        pixel_stride, channel_stride;
} SrResampleBlock;

typedef enum
{
  SR_RESAMPLE_PLAIN = 0,
  /* The samples are 0..1 quantities (alpha, colour for display): results
   * are clamped to 0..1, and a pixel whose taps all hold one value gets
   * exactly that value -- opaque alpha stays 1, not 0.99999994 from the
   * rounding of the weights. */
  SR_RESAMPLE_UNIT_RANGE = 1 << 0,
} SrResampleFlags;

/* @n_channels channels of @src resampled into @dst: ay->n_out rows of
 * ax->n_out pixels, channel c of output pixel i at dst[i * dst_stride + c]
 * (other channels of @dst untouched).  @src must cover both axes' spans.
 * FALSE when out of memory for its row buffer. */
gboolean sr_resample_block (const SrResampleBlock *src, int n_channels,
                            const SrResampleAxis *ax, const SrResampleAxis *ay,
                            SrResampleFlags flags, float *dst, int dst_stride);

/* dst (ny.n_out x nx.n_out x 3, interleaved) from src (planar, 3 channels of
 * src_h x src_w, whose pixel (0, 0) is source pixel (ox, oy)).  FALSE when
 * out of memory for its row buffer. */
gboolean sr_resample_planar_to_rgb (const float *src, int src_w, int src_h, int ox, int oy,
                                    const SrResampleAxis *ax, const SrResampleAxis *ay,
                                    float *dst);
/* The same from an interleaved RGB source. */
gboolean sr_resample_rgb (const float *src, int src_w, int src_h, int ox, int oy,
                          const SrResampleAxis *ax, const SrResampleAxis *ay, float *dst);

#endif
