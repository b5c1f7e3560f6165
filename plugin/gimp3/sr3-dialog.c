/* The procedure dialog; see sr3-dialog.h.
 *
 * GIMP 3's own plug-ins with a preview build their dialog around the
 * procedure config; ours has its own layout (ui/sr-dialog.c, shared with
 * GIMP 2.10), so the config is read into SrPluginParams before and written
 * back after: the config stays the one place GIMP takes the last values
 * from and stores them to. */
#include "sr-plugin-config.h"

#include <libgimp/gimpui.h>

#include "sr3-dialog.h"
#include "sr3-image-origin.h"
#include "sr3-procedure.h"
#include "sr-dialog.h"
#include "sr-plugin-params.h"

static void
write_config (GimpProcedureConfig *config, const SrPluginParams *params)
{
  g_object_set (config,
                "model", params->model,
                "scale", params->scale,
                "tile-size", params->tile_size,
                "threads", params->threads,
                "output", params->output,
                "tta", params->tta,
                NULL);
  /* Written only where the procedure has the argument. */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (config), "selection-only"))
    g_object_set (config, "selection-only", params->selection_only, NULL);
}

gboolean
sr3_dialog_run (GimpProcedureConfig *config,
                GimpImage *image, GimpDrawable *drawable)
{
  SrDialogLayer  layer = { 0 };
  SrPluginParams params;
  GError        *error = NULL;
  gboolean       ok;

  /* A stored value the parameters refuse (a model string too long) must
   * not keep the dialog from opening: start from the defaults then. */
  if (!sr3_procedure_read_config (config, &params, &error))
    {
      g_clear_error (&error);
      sr_plugin_params_set_defaults (&params);
    }

  gimp_ui_init (SR_PLUGIN_BINARY);
  gimp_drawable_get_offsets (drawable, &layer.layer_x, &layer.layer_y);
  layer.layer_width = gimp_drawable_get_width (drawable);
  layer.layer_height = gimp_drawable_get_height (drawable);
  layer.image_width = gimp_image_get_width (image);
  layer.image_height = gimp_image_get_height (image);
  gimp_image_get_resolution (image, &layer.xres, &layer.yres);
  layer.has_alpha = gimp_drawable_has_alpha (drawable);
  layer.is_grey = gimp_drawable_is_gray (drawable);
  layer.buffer = gimp_drawable_get_buffer (drawable);
  layer.has_selection = !gimp_selection_is_empty (image) &&
                        gimp_drawable_mask_intersect (drawable, &layer.selection_x,
                                                      &layer.selection_y,
                                                      &layer.selection_width,
                                                      &layer.selection_height);
  layer.from_jpeg = sr3_image_is_from_jpeg (image);

  ok = sr_dialog_run_for_layer (&layer, &params);
  g_object_unref (layer.buffer);
  if (ok)
    write_config (config, &params);
  return ok;
}
