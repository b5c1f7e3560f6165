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
input_pixels (const SrBufferUpscale *job)
{
  GeglBuffer *crop;

  if (gegl_rectangle_is_empty (&job->region) ||
      gegl_rectangle_equal (&job->region, gegl_buffer_get_extent (job->input)))
    return g_object_ref (job->input);
  crop = gegl_buffer_new (GEGL_RECTANGLE (0, 0, job->region.width, job->region.height),
                          gegl_buffer_get_format (job->input));
  gegl_buffer_copy (job->input, &job->region, GEGL_ABYSS_NONE, crop,
                    GEGL_RECTANGLE (0, 0, job->region.width, job->region.height));
  return crop;
}

GeglBuffer *
sr_buffer_upscale (const SrBufferUpscale *job, GError **error)
{
  GeglBuffer  *result, *input;
  SrGeglSource source;
  SrGeglSink   sink;
  GError      *local = NULL;

  /* Checks the layer size against what the core accepts. */
  if (!sr_output_size (job->model,
                       gegl_rectangle_is_empty (&job->region)
                       ? gegl_buffer_get_width (job->input) : job->region.width,
                       gegl_rectangle_is_empty (&job->region)
                       ? gegl_buffer_get_height (job->input) : job->region.height,
                       NULL, NULL, &local))
    {
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_UNSUPPORTED,
                   _("This layer cannot be upscaled: %s"), local->message);
      g_error_free (local);
      return NULL;
    }

  result = gegl_buffer_new (GEGL_RECTANGLE (0, 0, job->target_width, job->target_height),
                            job->format);
  input = input_pixels (job);
  sr_gegl_source_init (&source, input, job->has_alpha, job->is_grey);
  sr_gegl_sink_init (&sink, result, job->has_alpha, job->is_grey);
  {
    SrLayerUpscale layer_job = {
      .model = job->model,
      .source = &source.base,
      .sink = &sink.base,
      .target_width = job->target_width,
      .target_height = job->target_height,
      .threads = job->threads,
      .tile_size = job->tile_size,
      .tta = job->tta,
      .progress = job->progress,
      /* No cancel hook: GIMP cancels a plug-in by ending its process (see
       * sr-gimp-progress.h). */
      .cancel = NULL,
      .callback_data = job->progress_data,
    };

    if (!sr_layer_upscale (&layer_job, &local))
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
