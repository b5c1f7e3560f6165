/* Bicubic (Catmull-Rom) resampling of float pixel rectangles, from an
 * image_width x image_height image to any out_width x out_height (each axis
 * on its own, so fractional scales work; meant for enlarging).
 *
 * Used for the alpha channel of the result (the networks only see colour)
 * and for the "before" half of the dialog preview.  Pure C: no GIMP, no GEGL,
 * so a GIMP 3 front end can reuse it. */
#ifndef SR_BICUBIC_H
#define SR_BICUBIC_H

#include <glib.h>

G_BEGIN_DECLS

/* A rectangle of interleaved float pixels lying inside a larger image. */
typedef struct
{
  const float *pixels;     /* rows of w pixels, n_channels floats each */
  int          x, y, w, h; /* where the rectangle lies in the image */
  int          n_channels;
  int          image_width, image_height;
} SrFloatRect;

/* The input rectangle whose pixels bicubic sampling needs to produce the
 * output rectangle (out_x, out_y, out_w, out_h) of the image resized to
 * out_width x out_height, clipped to the image: sampling clamps at the
 * image edge, like GIMP's scale does. */
void sr_bicubic_input_rect (int image_width, int image_height, int out_width, int out_height,
                            int out_x, int out_y, int out_w, int out_h,
                            int *in_x, int *in_y, int *in_w, int *in_h);

/* Resamples channels first_channel .. first_channel + n_channels - 1 of
 * @src (a part of an image resized to out_width x out_height) into the
 * output rectangle (out_x, out_y, out_w, out_h), writing them
 * to the same channels of @dst (out_w * out_h pixels of dst_channels floats).
 * @src must cover sr_bicubic_input_rect() of the output rectangle.
 * Results are clamped to 0..1; a pixel whose 16 taps are all equal gets that
 * value exactly, so fully opaque alpha stays exactly 1. */
void sr_bicubic_scale (const SrFloatRect *src, int out_width, int out_height,
                       int out_x, int out_y, int out_w, int out_h,
                       int first_channel, int n_channels,
                       float *dst, int dst_channels);

G_END_DECLS

#endif /* SR_BICUBIC_H */
