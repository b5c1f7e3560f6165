/* Is this image/drawable something the GIMP 3 plug-in can work on?
 *
 * The same checks and messages as the GIMP 2.10 front end's
 * sr-drawable-check.h, over GIMP 3's objects. */
#ifndef SR3_DRAWABLE_CHECK_H
#define SR3_DRAWABLE_CHECK_H

#include <libgimp/gimp.h>

#include "sr-plugin-params.h"
#include "sr-result-size.h"

G_BEGIN_DECLS

/* A layer of @image, not indexed, not a floating selection (and, for a new
 * or replaced layer, no floating selection in the image; for a replaced
 * one, not a group and pixels not locked). */
gboolean sr3_drawable_check             (GimpImage *image, GimpDrawable *drawable,
                                         SrOutputMode output, GError **error);

/* The part of @drawable to upscale (drawable coordinates): with
 * @selection_only and an active selection, the selection's bounding box
 * clipped to the layer (refused when they do not meet), else all of it. */
gboolean sr3_drawable_region            (GimpImage *image, GimpDrawable *drawable,
                                         gboolean selection_only, GeglRectangle *region,
                                         GError **error);

/* Where the result of @region of @drawable goes (sr_result_size_compute()),
 * refused when it is larger than GIMP allows. */
gboolean sr3_drawable_check_result_size (GimpImage *image, GimpDrawable *drawable,
                                         const GeglRectangle *region, double scale,
                                         SrOutputMode output, SrResultSize *size,
                                         GError **error);

G_END_DECLS

#endif /* SR3_DRAWABLE_CHECK_H */
