/* PDB arguments; see sr-plugin-args.h.  The descriptions are read by
 * script writers in the Procedure Browser, so they state ranges and
 * defaults. */
#include "sr-plugin-config.h"

#include "sr-plugin-args.h"
#include "sr-plugin-i18n.h"

const GimpParamDef sr_plugin_args[] =
{
  { GIMP_PDB_INT32,    "run-mode",  "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1), RUN-WITH-LAST-VALS (2) }" },
  { GIMP_PDB_IMAGE,    "image",     "Input image" },
  { GIMP_PDB_DRAWABLE, "drawable",  "Input layer (RGB or grey; not indexed)" },
  { GIMP_PDB_STRING,   "model",     "Model id (e.g. \"imdn-x4\", see the dialog's list) or path to a .srm file; "
                                    "empty: the best installed shipped model of the next whole scale up "
                                    "(x2..x4, e.g. x3 for 2.5); for an image loaded from a JPEG, the "
                                    "photo model of that scale (imdn-photo-x2/x4) where installed" },
  { GIMP_PDB_FLOAT,    "scale",     "Scale factor, 1..8, fractions too (e.g. 2.5): the result is "
                                    "round(width * scale) x round(height * scale); the model runs at its own "
                                    "scale and its output is resampled to that size" },
  { GIMP_PDB_INT32,    "tile-size", "Tile side in input pixels (0 = automatic, else 16..8192)" },
  { GIMP_PDB_INT32,    "threads",   "Worker threads (0 = all cores, at most 256)" },
  { GIMP_PDB_INT32,    "output",    "Where the result goes { NEW-LAYER (0): scale the image and add a layer "
                                    "above the source, NEW-IMAGE (1): open a new image, REPLACE (2): scale "
                                    "the image and put the result into the source layer itself (it keeps "
                                    "its name, place, mask, mode, opacity and visibility) }" },
  { GIMP_PDB_INT32,    "tta",       "Test-time augmentation (TRUE or FALSE): averages the network over the "
                                    "8 flips/rotations of the layer; slightly cleaner, 8 times slower" },
  /* Appended last: callers written for the 9 arguments above still work. */
  { GIMP_PDB_INT32,    "selection-only", "Upscale only the selection (TRUE or FALSE): with an active "
                                    "selection, only its bounding box within the layer is upscaled "
                                    "(output 0: a new layer where that box lies in the scaled image; "
                                    "1: a new image of the box; 2: the box replaces its part of the "
                                    "scaled layer); without a selection, the whole layer" },
};
const gint sr_plugin_n_args = G_N_ELEMENTS (sr_plugin_args);

const GimpParamDef sr_plugin_return_values[] =
{
  { GIMP_PDB_LAYER, "new-layer", "The super-resolved layer" },
  { GIMP_PDB_IMAGE, "new-image", "The image holding it (the input image for output 0)" },
};
const gint sr_plugin_n_return_values = G_N_ELEMENTS (sr_plugin_return_values);

static gboolean
type_is (const GimpParam *param, int index, GimpPDBArgType type, GError **error)
{
  if (param[index].type == type)
    return TRUE;
  g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_BAD_ARGUMENT,
               _("Argument %d (%s) has the wrong type."), index + 1, sr_plugin_args[index].name);
  return FALSE;
}

gboolean
sr_plugin_args_parse (gint nparams, const GimpParam *param, SrPluginParams *params,
                      GError **error)
{
  /* Callers from before selection-only (libgimp fills in no defaults)
   * pass one argument fewer. */
  if (nparams != sr_plugin_n_args && nparams != sr_plugin_n_args - 1)
    {
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_BAD_ARGUMENT,
                   _("Expected %d arguments, got %d."), sr_plugin_n_args, nparams);
      return FALSE;
    }
  for (int i = 3; i < nparams; i++)
    if (!type_is (param, i, sr_plugin_args[i].type, error))
      return FALSE;

  if (!sr_plugin_params_set_model (params, param[3].data.d_string, error))
    return FALSE;
  params->scale = param[4].data.d_float;
  params->tile_size = param[5].data.d_int32;
  params->threads = param[6].data.d_int32;
  params->output = param[7].data.d_int32;
  params->tta = param[8].data.d_int32;
  params->selection_only = nparams > 9 ? param[9].data.d_int32 : FALSE;
  return TRUE;
}
