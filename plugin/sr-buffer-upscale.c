/* Buffer -> network -> new buffer; see sr-buffer-upscale.h. */
#include "sr-plugin-config.h"

#include "sr-buffer-upscale.h"
#include "sr-gegl-io.h"
#include "sr-layer-upscale.h"
#include "sr-plugin-i18n.h"
#include "sr-plugin-params.h"

/* The pixels to upscale, starting at (0, 0) as the pixel source needs:
 * @input itself, or a copy of the region asked for (plug-in memory the
 * size of that region).  The region's edges then act as the image's edges,
 * exactly as for the CLI on the same crop. */
static GeglBuffer *
input_pixels (const SrBufferUpscale *request)
{
  GeglBuffer *crop;

  if (gegl_rectangle_is_empty (&request->region) ||
      gegl_rectangle_equal (&request->region, gegl_buffer_get_extent (request->input)))
    return g_object_ref (request->input);
  crop = gegl_buffer_new (GEGL_RECTANGLE (0, 0, request->region.width, request->region.height),
                          gegl_buffer_get_format (request->input));
  gegl_buffer_copy (request->input, &request->region, GEGL_ABYSS_NONE, crop,
                    GEGL_RECTANGLE (0, 0, request->region.width, request->region.height));
  return crop;
}

GeglBuffer *
sr_buffer_upscale (const SrBufferUpscale *request, GError **error)
{
  GeglBuffer  *result, *input;
  SrGeglSource source;
  SrGeglSink   sink;
  GError      *local = NULL;

  /* Checks the layer size against what the core accepts. */
  if (!sr_output_size (request->model,
                       gegl_rectangle_is_empty (&request->region)
                       ? gegl_buffer_get_width (request->input) : request->region.width,
                       gegl_rectangle_is_empty (&request->region)
                       ? gegl_buffer_get_height (request->input) : request->region.height,
                       NULL, NULL, &local))
    {
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_UNSUPPORTED,
                   _("This layer cannot be upscaled: %s"), local->message);
      g_error_free (local);
      return NULL;
    }

  result = gegl_buffer_new (GEGL_RECTANGLE (0, 0, request->target_width, request->target_height),
                            request->format);
  input = input_pixels (request);
  sr_gegl_source_init (&source, input, request->has_alpha, request->is_grey);
  sr_gegl_sink_init (&sink, result, request->has_alpha, request->is_grey);
  {
    SrLayerUpscale layer_request = {
      .model = request->model,
      .source = &source.base,
      .sink = &sink.base,
      .target_width = request->target_width,
      .target_height = request->target_height,
      .threads = request->threads,
      .tile_size = request->tile_size,
      .tta = request->tta,
      .progress = request->progress,
      /* No cancel hook: GIMP cancels a plug-in by ending its process (see
       * sr-gimp-progress.h). */
      .cancel = NULL,
      .callback_data = request->progress_data,
    };

    if (!sr_layer_upscale (&layer_request, &local))
      {
        g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_FAILED,
                     _("Upscaling failed: %s"), local->message);
        g_error_free (local);
        g_clear_object (&result);
      }
  }
  sr_gegl_source_clear (&source);
  sr_gegl_sink_clear (&sink);
  g_object_unref (input);
  return result;
}
