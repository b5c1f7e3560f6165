/* Runs a model over a whole GEGL buffer into a new buffer of the same format.
 *
 * The GIMP-free part of "upscale a drawable": the front ends (GIMP 2.10 and
 * GIMP 3) hand in the drawable's buffer and its layout and get the result
 * back in plug-in memory, in the drawable's own pixel format (precision and
 * alpha), without touching the image.  GEGL + core only. */
#ifndef SR_BUFFER_UPSCALE_H
#define SR_BUFFER_UPSCALE_H

#include <gegl.h>

#include "sr.h"

G_BEGIN_DECLS

typedef struct
{
  GeglBuffer     *input;          /* starts at (0, 0) */
  GeglRectangle   region;         /* the part of @input to upscale; empty:
                                   * all of it */
  const Babl     *format;         /* the result's format (the drawable's) */
  gboolean        has_alpha;
  gboolean        is_grey;
  const SrModel  *model;
  int             target_width, target_height;
  int             threads, tile_size;
  gboolean        tta;
  SrProgressFunc  progress;       /* may be NULL; on the calling thread */
  gpointer        progress_data;
} SrBufferUpscale;

/* Returns the result (target_width x target_height) or NULL with @error
 * set (SR_PLUGIN_ERROR_UNSUPPORTED: the core refuses this size;
 * SR_PLUGIN_ERROR_FAILED: it failed while running). */
GeglBuffer *sr_buffer_upscale (const SrBufferUpscale *request, GError **error);

G_END_DECLS

#endif /* SR_BUFFER_UPSCALE_H */
