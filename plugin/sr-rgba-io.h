/* Where the pixels of a layer come from and where the result goes.
 *
 * The upscaling pipeline (sr-layer-upscale.h) talks to these two small
 * interfaces only, so the same code serves the real run (GEGL buffers of a
 * GIMP drawable, sr-gegl-io.h) and the dialog preview (an in-memory crop,
 * sr-rgba-memory.h).  Pixels are always non-premultiplied R'G'B'A floats in
 * the perceptual encoding; grey layers show up with R = G = B. */
#ifndef SR_RGBA_IO_H
#define SR_RGBA_IO_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  int      width, height;
  gboolean has_alpha;   /* FALSE: read_rgba always returns alpha 1 */
  gboolean is_grey;     /* the result is averaged back to one channel */
  /* Fills @rgba with w * h pixels of the rectangle (inside the image). */
  gboolean (*read_rgba) (gpointer user_data, int x, int y, int w, int h,
                         float *rgba, GError **error);
  /* Optional, for sources without alpha that are not grey: the same as
   * R'G'B' (3 floats a pixel), straight into the network's input with no
   * repacking. */
  gboolean (*read_rgb)  (gpointer user_data, int x, int y, int w, int h,
                         float *rgb, GError **error);
  gpointer user_data;
} SrRgbaSource;

typedef struct
{
  /* Stores w * h pixels at (x, y) in output coordinates.  For grey
   * results R = G = B already. */
  gboolean (*write_rgba) (gpointer user_data, int x, int y, int w, int h,
                          const float *rgba, GError **error);
  /* Optional, used with a source that has read_rgb: stores R'G'B' pixels
   * (3 floats a pixel) as they come from the network. */
  gboolean (*write_rgb)  (gpointer user_data, int x, int y, int w, int h,
                          const float *rgb, GError **error);
  gpointer user_data;
} SrRgbaSink;

G_END_DECLS

#endif /* SR_RGBA_IO_H */
