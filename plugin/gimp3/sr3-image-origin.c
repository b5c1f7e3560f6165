/* GIMP 3: did this image come from a JPEG?  See sr3-image-origin.h. */
#include "sr-plugin-config.h"

#include "sr3-image-origin.h"
#include "sr-image-origin.h"

gboolean
sr3_image_is_from_jpeg (GimpImage *image)
{
  GimpParasite *settings = gimp_image_get_parasite (image, SR_JPEG_SETTINGS_PARASITE);
  GFile        *file;
  gboolean      jpeg = FALSE;

  if (settings)
    {
      gimp_parasite_free (settings);
      return TRUE;
    }
  /* File > Open records an imported file; a script's gimp-file-load makes
   * the JPEG the image's own file instead (or it is the XCF it was saved
   * as, which still carries the parasite). */
  file = gimp_image_get_imported_file (image);
  if (!file)
    file = gimp_image_get_file (image);
  if (file)
    {
      char *name = g_file_get_basename (file);
      jpeg = sr_file_name_is_jpeg (name);
      g_free (name);
      g_object_unref (file);
    }
  return jpeg;
}
