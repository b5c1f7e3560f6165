/* Runs a model over a whole drawable into a GeglBuffer of the plug-in's own.
 *
 * The result lives in plug-in memory, in the drawable's own pixel format
 * (precision and alpha), until sr-result-insert.h puts it into an image.
 * Nothing in GIMP changes here, so an error or a cancel leaves no trace. */
#ifndef SR_DRAWABLE_UPSCALE_H
#define SR_DRAWABLE_UPSCALE_H

#include <gegl.h>

#include "sr.h"

G_BEGIN_DECLS

/* Upscales @region of @drawable (drawable coordinates; NULL: all of it)
 * to target_width x target_height (1x to 8x its size, see
 * sr_upscale_to()).  @progress_text: shown in GIMP's progress bar.
 * Returns NULL on error. */
GeglBuffer *sr_drawable_upscale (gint32 drawable, const GeglRectangle *region,
                                 const SrModel *model,
                                 int target_width, int target_height,
                                 int threads, int tile_size, gboolean tta,
                                 const char *progress_text, GError **error);

G_END_DECLS

#endif /* SR_DRAWABLE_UPSCALE_H */
