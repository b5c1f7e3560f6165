/* Drawable -> network -> in-memory buffer; see sr-drawable-upscale.h. */
#include "sr-plugin-config.h"

#include <libgimp/gimp.h>

#include "sr-buffer-upscale.h"
#include "sr-drawable-upscale.h"
#include "sr-gimp-progress.h"

GeglBuffer *
sr_drawable_upscale (gint32 drawable, const GeglRectangle *region,
                     const SrModel *model,
                     int target_width, int target_height,
                     int threads, int tile_size, gboolean tta,
                     const char *progress_text, GError **error)
{
  SrGimpProgress  progress;
  SrBufferUpscale request = {
    .input = gimp_drawable_get_buffer (drawable),
    .region = region ? *region : (GeglRectangle) { 0 },
    /* Same format as the drawable: the new layer gets the image's
     * precision, and the buffer holds no more than that layer will. */
    .format = gimp_drawable_get_format (drawable),
    .has_alpha = gimp_drawable_has_alpha (drawable),
    .is_grey = gimp_drawable_is_gray (drawable),
    .model = model,
    .target_width = target_width,
    .target_height = target_height,
    .threads = threads,
    .tile_size = tile_size,
    .tta = tta,
    .progress = sr_gimp_progress_update,
    .progress_data = &progress,
  };
  GeglBuffer     *result;

  sr_gimp_progress_start (&progress, progress_text);
  result = sr_buffer_upscale (&request, error);
  /* Ended before the image is touched: from here on a cancel button would
   * kill the plug-in half-way through the image changes. */
  sr_gimp_progress_end (&progress);
  g_object_unref (request.input);
  return result;
}
