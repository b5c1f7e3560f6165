/* Whether the plug-in can work on this image and drawable, and if not, a
 * message that says why and what to do.  Checked before any pixel is read,
 * so a refusal never costs a run (nor changes the image). */
#ifndef SR_DRAWABLE_CHECK_H
#define SR_DRAWABLE_CHECK_H

#include <glib.h>

#include "sr-plugin-params.h"
#include "sr-result-size.h"

G_BEGIN_DECLS

/* The image and drawable are valid, belong together, the drawable is a
 * plain layer (or layer group) of an RGB or grey image. */
gboolean sr_drawable_check          (gint32 image, gint32 drawable, SrOutputMode output,
                                     GError **error);

/* The sizes of the result at @scale (see sr-result-size.h) into @size, and
 * whether they fit GIMP's size limits (for a new layer: the whole canvas
 * grows by @scale as well). */
gboolean sr_drawable_check_result_size (gint32 image, gint32 drawable, double scale,
                                        SrOutputMode output, SrResultSize *size,
                                        GError **error);

G_END_DECLS

#endif /* SR_DRAWABLE_CHECK_H */
