/* Whether the plug-in can work on this image and drawable, and if not, a
 * message that says why and what to do.  Checked before any pixel is read,
 * so a refusal never costs a run (nor changes the image). */
#ifndef SR_DRAWABLE_CHECK_H
#define SR_DRAWABLE_CHECK_H

#include <gegl.h>

#include "sr-plugin-params.h"
#include "sr-result-size.h"

G_BEGIN_DECLS

/* The image and drawable are valid, belong together, the drawable is a
 * plain layer (or layer group) of an RGB or grey image. */
gboolean sr_drawable_check          (gint32 image, gint32 drawable, SrOutputMode output,
                                     GError **error);

/* The part of @drawable to upscale, in drawable coordinates, into
 * @region: with @selection_only and an active selection, the selection's
 * bounding box clipped to the layer (refused when they do not meet), else
 * the whole layer. */
gboolean sr_drawable_region         (gint32 image, gint32 drawable, gboolean selection_only,
                                     GeglRectangle *region, GError **error);

/* The sizes of the result of @region at @scale (see sr-result-size.h) into
 * @size, and whether they fit GIMP's size limits (for a new or replaced
 * layer: the whole canvas grows by @scale as well). */
gboolean sr_drawable_check_result_size (gint32 image, gint32 drawable,
                                        const GeglRectangle *region, double scale,
                                        SrOutputMode output, SrResultSize *size,
                                        GError **error);

G_END_DECLS

#endif /* SR_DRAWABLE_CHECK_H */
