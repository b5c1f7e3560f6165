/* GIMP 2.10: did this image come from a JPEG?  See sr-image-origin.h. */
#include "sr-plugin-config.h"

#include <libgimp/gimp.h>

#include "sr-image-origin.h"

gboolean
sr_image_is_from_jpeg (gint32 image)
{
  GimpParasite *settings = gimp_image_get_parasite (image, SR_JPEG_SETTINGS_PARASITE);
  gchar        *uri;
  gboolean      jpeg;

  if (settings)
    {
      gimp_parasite_free (settings);
      return TRUE;
    }
  /* File > Open records an imported file; gimp-file-load from a script
   * makes the JPEG the image's own file instead.  gimp_image_get_filename
   * gives either (or the XCF once it is saved as one, which still carries
   * the parasite, or a file it was exported to: a JPEG too then). */
  uri = gimp_image_get_filename (image);
  jpeg = sr_file_name_is_jpeg (uri);
  g_free (uri);
  return jpeg;
}
