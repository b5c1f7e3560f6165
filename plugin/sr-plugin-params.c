/* Parameter defaults and validation; see sr-plugin-params.h. */
#include "sr-plugin-config.h"

#include <math.h>
#include <string.h>

#include "sr-plugin-i18n.h"
#include "sr-plugin-params.h"

G_DEFINE_QUARK (sr-plugin-error-quark, sr_plugin_error)

void
sr_plugin_params_set_defaults (SrPluginParams *params)
{
  memset (params, 0, sizeof *params);
  params->model[0] = '\0';          /* the best shipped model for the scale */
  params->scale = SR_DEFAULT_SCALE;
  params->tile_size = 0;
  params->threads = 0;
  params->output = SR_OUTPUT_NEW_LAYER;
  params->tta = FALSE;
  params->selection_only = FALSE;
}

gboolean
sr_plugin_params_set_model (SrPluginParams *params, const char *model, GError **error)
{
  if (!model)
    model = "";
  if (strlen (model) >= sizeof params->model)
    {
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_BAD_ARGUMENT,
                   _("The model name is too long (at most %d bytes)."),
                   (int) sizeof params->model - 1);
      return FALSE;
    }
  g_strlcpy (params->model, model, sizeof params->model);
  return TRUE;
}

gboolean
sr_plugin_params_validate (const SrPluginParams *params, GError **error)
{
  /* !(a >= b) rather than a < b so that NaN is rejected too. */
  if (!(params->scale >= SR_SCALE_MIN && params->scale <= SR_SCALE_MAX))
    {
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_BAD_ARGUMENT,
                   _("Scale %g is out of range: it must be between %g and %g."),
                   params->scale, SR_SCALE_MIN, SR_SCALE_MAX);
      return FALSE;
    }
  if (params->tile_size != 0 &&
      (params->tile_size < SR_TILE_SIZE_MIN || params->tile_size > SR_TILE_SIZE_MAX))
    {
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_BAD_ARGUMENT,
                   _("Tile size %d is out of range: use 0 (automatic) or %d to %d pixels."),
                   params->tile_size, SR_TILE_SIZE_MIN, SR_TILE_SIZE_MAX);
      return FALSE;
    }
  if (params->threads < 0 || params->threads > SR_THREADS_MAX)
    {
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_BAD_ARGUMENT,
                   _("Threads %d is out of range: use 0 (all cores) to %d."),
                   params->threads, SR_THREADS_MAX);
      return FALSE;
    }
  if (params->output != SR_OUTPUT_NEW_LAYER && params->output != SR_OUTPUT_NEW_IMAGE &&
      params->output != SR_OUTPUT_REPLACE)
    {
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_BAD_ARGUMENT,
                   _("Output %d is invalid: use 0 (new layer), 1 (new image) or 2 "
                     "(replace the layer)."),
                   params->output);
      return FALSE;
    }
  if (params->tta != FALSE && params->tta != TRUE)
    {
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_BAD_ARGUMENT,
                   _("TTA %d is invalid: use 0 (off) or 1 (on)."), params->tta);
      return FALSE;
    }
  if (params->selection_only != FALSE && params->selection_only != TRUE)
    {
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_BAD_ARGUMENT,
                   _("Selection-only %d is invalid: use 0 (off) or 1 (on)."),
                   params->selection_only);
      return FALSE;
    }
  return TRUE;
}
