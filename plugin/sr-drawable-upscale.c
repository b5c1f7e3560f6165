/* Drawable -> network -> in-memory buffer; see sr-drawable-upscale.h. */
#include "sr-plugin-config.h"

#include <libgimp/gimp.h>

#include "sr-drawable-upscale.h"
#include "sr-gegl-io.h"
#include "sr-gimp-progress.h"
#include "sr-layer-upscale.h"
#include "sr-plugin-i18n.h"
#include "sr-plugin-params.h"

GeglBuffer *
sr_drawable_upscale (gint32 drawable, const SrModel *model,
                     int target_width, int target_height,
                     int threads, int tile_size, gboolean tta,
                     const char *progress_text, GError **error)
{
  GeglBuffer    *input = gimp_drawable_get_buffer (drawable);
  GeglBuffer    *result;
  SrGeglSource   source;
  SrGeglSink     sink;
  SrGimpProgress progress;
  GError        *local = NULL;
  gboolean       is_grey = gimp_drawable_is_gray (drawable);

  /* Checks the layer size against what the core accepts. */
  if (!sr_output_size (model, gegl_buffer_get_width (input), gegl_buffer_get_height (input),
                       NULL, NULL, &local))
    {
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_UNSUPPORTED,
                   _("This layer cannot be upscaled: %s"), local->message);
      g_error_free (local);
      g_object_unref (input);
      return NULL;
    }

  /* Same format as the drawable: the new layer gets the image's precision,
   * and the buffer holds no more than that layer will. */
  result = gegl_buffer_new (GEGL_RECTANGLE (0, 0, target_width, target_height),
                            gimp_drawable_get_format (drawable));
  sr_gegl_source_init (&source, input, gimp_drawable_has_alpha (drawable), is_grey);
  sr_gegl_sink_init (&sink, result, gimp_drawable_has_alpha (drawable), is_grey);

  sr_gimp_progress_start (&progress, progress_text);
  {
    SrLayerUpscale job = {
      .model = model,
      .source = &source.base,
      .sink = &sink.base,
      .target_width = target_width,
      .target_height = target_height,
      .threads = threads,
      .tile_size = tile_size,
      .tta = tta,
      .progress = sr_gimp_progress_update,
      /* No cancel hook: GIMP 2.10 cancels by ending the process (see
       * sr-gimp-progress.h). */
      .cancel = NULL,
      .callback_data = &progress,
    };

    if (!sr_layer_upscale (&job, &local))
      {
        g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_FAILED,
                     _("Upscaling failed: %s"), local->message);
        g_error_free (local);
        g_clear_object (&result);
      }
  }
  /* Ended before the image is touched: from here on a cancel button would
   * kill the plug-in half-way through the image changes. */
  sr_gimp_progress_end (&progress);

  sr_gegl_source_clear (&source);
  sr_gegl_sink_clear (&sink);
  g_object_unref (input);
  return result;
}
