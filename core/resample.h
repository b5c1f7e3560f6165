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
