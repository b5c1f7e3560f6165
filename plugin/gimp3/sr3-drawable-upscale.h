/* Runs a model over a whole GIMP 3 drawable into a buffer of the plug-in's
 * own, with GIMP's progress bar (the GIMP-free work is sr-buffer-upscale.h).
 * Nothing in GIMP changes here, so an error or a cancel leaves no trace. */
#ifndef SR3_DRAWABLE_UPSCALE_H
#define SR3_DRAWABLE_UPSCALE_H

#include <libgimp/gimp.h>

#include "sr.h"

G_BEGIN_DECLS

/* @region: the part of @drawable to upscale (drawable coordinates); NULL:
 * all of it. */
GeglBuffer *sr3_drawable_upscale (GimpDrawable *drawable, const GeglRectangle *region,
                                  const SrModel *model,
                                  int target_width, int target_height,
                                  int threads, int tile_size, gboolean tta,
                                  const char *progress_text, GError **error);

G_END_DECLS

#endif /* SR3_DRAWABLE_UPSCALE_H */
