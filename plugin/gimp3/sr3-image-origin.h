/* GIMP 3: did this image come from a JPEG?  See ../sr-image-origin.h. */
#ifndef SR3_IMAGE_ORIGIN_H
#define SR3_IMAGE_ORIGIN_H

#include <libgimp/gimp.h>

G_BEGIN_DECLS

/* The JPEG loader's parasite is on @image, or the file it was imported
 * from is named like a JPEG. */
gboolean sr3_image_is_from_jpeg (GimpImage *image);

G_END_DECLS

#endif /* SR3_IMAGE_ORIGIN_H */
