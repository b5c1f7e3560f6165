/* Buffer -> network -> new buffer; see sr-buffer-upscale.h. */
#include "sr-plugin-config.h"

#include "sr-buffer-upscale.h"
#include "sr-gegl-io.h"
#include "sr-layer-upscale.h"
#include "sr-plugin-i18n.h"
#include "sr-plugin-params.h"

GeglBuffer *
sr_buffer_upscale (const SrBufferUpscale *job, GError **error)
{
  GeglBuffer  *result;
  SrGeglSource source;
  SrGeglSink   sink;
  GError      *local = NULL;

  /* Checks the layer size against what the core accepts. */
  if (!sr_output_size (job->model, gegl_buffer_get_width (job->input),
                       gegl_buffer_get_height (job->input), NULL, NULL, &local))
    {
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_UNSUPPORTED,
                   _("This layer cannot be upscaled: %s"), local->message);
      g_error_free (local);
      return NULL;
    }

  result = gegl_buffer_new (GEGL_RECTANGLE (0, 0, job->target_width, job->target_height),
                            job->format);
  sr_gegl_source_init (&source, job->input, job->has_alpha, job->is_grey);
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
  return result;
}
