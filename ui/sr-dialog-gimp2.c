/* GIMP 2.10's way into the dialog: describes the drawable through the
 * 2.10 API (integer ids); see sr-dialog.h. */
#include "sr-plugin-config.h"

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include "sr-dialog.h"
#include "sr-image-origin.h"

gboolean
sr_dialog_run (gint32 image, gint32 drawable, SrPluginParams *params)
{
  SrDialogLayer layer = { 0 };
  gboolean      ok;

  gimp_ui_init (SR_PLUGIN_BINARY, FALSE);
  gimp_drawable_offsets (drawable, &layer.layer_x, &layer.layer_y);
  layer.layer_width = gimp_drawable_width (drawable);
  layer.layer_height = gimp_drawable_height (drawable);
  layer.image_width = gimp_image_width (image);
  layer.image_height = gimp_image_height (image);
  gimp_image_get_resolution (image, &layer.xres, &layer.yres);
  layer.has_alpha = gimp_drawable_has_alpha (drawable);
  layer.is_grey = gimp_drawable_is_gray (drawable);
  layer.buffer = gimp_drawable_get_buffer (drawable);
  layer.has_selection = !gimp_selection_is_empty (image) &&
                        gimp_drawable_mask_intersect (drawable, &layer.selection_x,
                                                      &layer.selection_y,
                                                      &layer.selection_width,
                                                      &layer.selection_height);
  layer.from_jpeg = sr_image_is_from_jpeg (image);

  ok = sr_dialog_run_for_layer (&layer, params);
  g_object_unref (layer.buffer);
  return ok;
}
