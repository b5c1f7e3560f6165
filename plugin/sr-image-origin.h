/* Whether an image came from a JPEG file: such images get the photo model
 * by default (issue #20; sr-model-choice.h).  GIMP 2.10's test is in
 * sr-image-origin.c, GIMP 3's in gimp3/sr3-image-origin.c. */
#ifndef SR_IMAGE_ORIGIN_H
#define SR_IMAGE_ORIGIN_H

#include <string.h>

#include <glib.h>

G_BEGIN_DECLS

/* The JPEG loader of both GIMPs attaches this parasite to every image it
 * loads (plug-ins/file-jpeg/jpeg-settings.c; persistent, so an XCF saved
 * from a JPEG keeps it): the quality, subsampling and quantisation tables
 * it found. */
#define SR_JPEG_SETTINGS_PARASITE "jpeg-settings"

/* A file name or URI that ends in .jpg, .jpeg or .jpe, in any case: the
 * fallback for images whose parasite is gone (removed by a script). */
static inline gboolean
sr_file_name_is_jpeg (const char *name_or_uri)
{
  const char *dot = name_or_uri ? strrchr (name_or_uri, '.') : NULL;

  return dot && (g_ascii_strcasecmp (dot, ".jpg") == 0 ||
                 g_ascii_strcasecmp (dot, ".jpeg") == 0 ||
                 g_ascii_strcasecmp (dot, ".jpe") == 0);
}

/* GIMP 2.10: the JPEG loader's parasite is on @image, or the file it was
 * opened from is named like a JPEG. */
gboolean sr_image_is_from_jpeg (gint32 image);

G_END_DECLS

#endif /* SR_IMAGE_ORIGIN_H */
