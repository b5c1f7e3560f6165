/* Layer-dependent refusals; see sr-refusals.h. */
#include "sr-plugin-config.h"

#include "sr-plugin-i18n.h"
#include "sr-refusals.h"

gboolean
sr_refusals_check_output (SrOutputMode output, gboolean is_group, gboolean pixels_locked,
                          GError **error)
{
  if (output == SR_OUTPUT_REPLACE && is_group)
    {
      g_set_error_literal (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_UNSUPPORTED,
                           _("A layer group cannot be replaced by its upscaled pixels. "
                             "Choose \"new layer\" or \"new image\" as the output."));
      return FALSE;
    }
  if (output == SR_OUTPUT_REPLACE && pixels_locked)
    {
      g_set_error_literal (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_UNSUPPORTED,
                           _("The layer's pixels are locked. Unlock them in the Layers "
                             "dialog, or choose \"new layer\" as the output."));
      return FALSE;
    }
  return TRUE;
}

gboolean
sr_refusals_selection_misses_layer (GError **error)
{
  g_set_error_literal (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_UNSUPPORTED,
                       _("The selection does not touch this layer. Select a part of "
                         "the layer, or turn \"selection only\" off."));
  return FALSE;
}
