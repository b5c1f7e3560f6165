/* Image and drawable checks for GIMP 3; see sr3-drawable-check.h. */
#include "sr-plugin-config.h"

#include "sr3-drawable-check.h"
#include "sr-plugin-i18n.h"
#include "sr-refusals.h"

static gboolean
refuse (GError **error, SrPluginErrorCode code, const char *message)
{
  g_set_error_literal (error, SR_PLUGIN_ERROR, code, message);
  return FALSE;
}

gboolean
sr3_drawable_check (GimpImage *image, GimpDrawable *drawable, SrOutputMode output,
                    GError **error)
{
  GimpItem *item = GIMP_ITEM (drawable);

  if (!image || !gimp_image_is_valid (image))
    return refuse (error, SR_PLUGIN_ERROR_BAD_ARGUMENT, _("The image is not valid."));
  if (!drawable || !gimp_item_is_valid (item) || !gimp_item_is_drawable (item))
    return refuse (error, SR_PLUGIN_ERROR_BAD_ARGUMENT, _("The drawable is not valid."));
  if (gimp_image_get_id (gimp_item_get_image (item)) != gimp_image_get_id (image))
    return refuse (error, SR_PLUGIN_ERROR_BAD_ARGUMENT,
                   _("The drawable does not belong to the image."));
  /* Indexed first: its message is the useful one for indexed masks too. */
  if (gimp_image_get_base_type (image) == GIMP_INDEXED || gimp_drawable_is_indexed (drawable))
    return refuse (error, SR_PLUGIN_ERROR_UNSUPPORTED,
                   _("Indexed images are not supported. Convert the image to RGB "
                     "first (Image ▸ Mode ▸ RGB)."));
  if (!gimp_item_is_layer (item))
    return refuse (error, SR_PLUGIN_ERROR_UNSUPPORTED,
                   _("Only layers can be upscaled, not channels or layer masks. "
                     "Select a layer in the Layers dialog."));
  if (gimp_layer_is_floating_sel (GIMP_LAYER (drawable)) ||
      (output != SR_OUTPUT_NEW_IMAGE && gimp_image_get_floating_sel (image) != NULL))
    return refuse (error, SR_PLUGIN_ERROR_UNSUPPORTED,
                   _("The image has a floating selection. Anchor it or turn it "
                     "into a layer first."));
  return sr_refusals_check_output (output, gimp_item_is_group (item),
                                   gimp_item_get_lock_content (item), error);
}

gboolean
sr3_drawable_region (GimpImage *image, GimpDrawable *drawable, gboolean selection_only,
                     GeglRectangle *region, GError **error)
{
  gint x, y, w, h;

  *region = (GeglRectangle) { 0, 0, gimp_drawable_get_width (drawable),
                              gimp_drawable_get_height (drawable) };
  if (!selection_only || gimp_selection_is_empty (image))
    return TRUE;
  /* The selection's bounding box within the layer, in layer coordinates. */
  if (!gimp_drawable_mask_intersect (drawable, &x, &y, &w, &h) || w <= 0 || h <= 0)
    return sr_refusals_selection_misses_layer (error);
  *region = (GeglRectangle) { x, y, w, h };
  return TRUE;
}

gboolean
sr3_drawable_check_result_size (GimpImage *image, GimpDrawable *drawable,
                                const GeglRectangle *region, double scale,
                                SrOutputMode output, SrResultSize *size, GError **error)
{
  gint off_x, off_y;

  gimp_drawable_get_offsets (drawable, &off_x, &off_y);
  sr_result_size_compute (gimp_image_get_width (image), gimp_image_get_height (image),
                          off_x + region->x, off_y + region->y,
                          region->width, region->height,
                          scale, output, size);
  return sr_result_size_check (size, GIMP_MAX_IMAGE_SIZE, error);
}
