/* Procedure arguments; see sr3-procedure.h.  The descriptions are read by
 * script writers in the Procedure Browser, so they state ranges and
 * defaults. */
#include "sr-plugin-config.h"

#include "sr3-procedure.h"
#include "sr-plugin-i18n.h"

void
sr3_procedure_add_arguments (GimpProcedure *procedure)
{
  SrPluginParams d;

  sr_plugin_params_set_defaults (&d);

  gimp_procedure_add_string_argument (procedure, "model", _("_Model"),
    "Model id (e.g. \"imdn-x4\") or path to a .srm file; empty: the best installed "
    "shipped model of the next whole scale up (x2..x4, e.g. x3 for 2.5); for an image "
    "loaded from a JPEG, the photo model of that scale (imdn-photo-x2/x4) where installed",
    d.model, G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "scale", _("S_cale"),
    "Scale factor, 1..8, fractions too (e.g. 2.5): the result is round(width * scale) x "
    "round(height * scale); the model runs at its own scale and its output is resampled "
    "to that size",
    SR_SCALE_MIN, SR_SCALE_MAX, d.scale, G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "tile-size", _("_Tile size"),
    "Tile side in input pixels (0 = automatic, else 16..8192)",
    0, SR_TILE_SIZE_MAX, d.tile_size, G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "threads", _("T_hreads"),
    "Worker threads (0 = all cores, at most 256)",
    0, SR_THREADS_MAX, d.threads, G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "output", _("Output"),
    "Where the result goes: 0 (new layer): scale the image and add a layer above each "
    "source layer; 1 (new image): open each result as a new image; 2 (replace): scale "
    "the image and put each result into its source layer itself (it keeps its name, "
    "place, mask, mode, opacity and visibility)",
    SR_OUTPUT_NEW_LAYER, SR_OUTPUT_REPLACE, d.output, G_PARAM_READWRITE);
  gimp_procedure_add_boolean_argument (procedure, "tta", _("Test-time _augmentation"),
    "Averages the network over the 8 flips/rotations of the layer; slightly cleaner, "
    "8 times slower",
    d.tta, G_PARAM_READWRITE);
  gimp_procedure_add_boolean_argument (procedure, "selection-only", _("_Selection only"),
    "With an active selection, upscale only its bounding box within each layer (output "
    "0: a new layer where that box lies in the scaled image; 1: a new image of the box; "
    "2: the box replaces its part of the scaled layer); without a selection, the whole "
    "layer",
    d.selection_only, G_PARAM_READWRITE);

  gimp_procedure_add_layer_return_value (procedure, "new-layer", "New layer",
    "The super-resolved layer (of the first selected layer, when there are several)",
    FALSE, G_PARAM_READWRITE);
  gimp_procedure_add_image_return_value (procedure, "new-image", "New image",
    "The image holding it (the input image for output 0)",
    FALSE, G_PARAM_READWRITE);
}

gboolean
sr3_procedure_read_config (GimpProcedureConfig *config, SrPluginParams *params,
                           GError **error)
{
  char    *model = NULL;
  gboolean ok;

  sr_plugin_params_set_defaults (params);
  g_object_get (config,
                "model", &model,
                "scale", &params->scale,
                "tile-size", &params->tile_size,
                "threads", &params->threads,
                "output", &params->output,
                "tta", &params->tta,
                "selection-only", &params->selection_only,
                NULL);
  ok = sr_plugin_params_set_model (params, model, error);
  g_free (model);
  return ok;
}
