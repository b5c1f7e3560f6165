/* Image and drawable checks; see sr-drawable-check.h. */
#include "sr-plugin-config.h"

#include <libgimp/gimp.h>

#include "sr-drawable-check.h"
#include "sr-plugin-i18n.h"
#include "sr-refusals.h"

static gboolean
refuse (GError **error, SrPluginErrorCode code, const char *message)
{
  g_set_error_literal (error, SR_PLUGIN_ERROR, code, message);
  return FALSE;
}

gboolean
sr_drawable_check (gint32 image, gint32 drawable, SrOutputMode output, GError **error)
{
  if (!gimp_image_is_valid (image))
    return refuse (error, SR_PLUGIN_ERROR_BAD_ARGUMENT, _("The image is not valid."));
  if (!gimp_item_is_valid (drawable) || !gimp_item_is_drawable (drawable))
    return refuse (error, SR_PLUGIN_ERROR_BAD_ARGUMENT, _("The drawable is not valid."));
  if (gimp_item_get_image (drawable) != image)
    return refuse (error, SR_PLUGIN_ERROR_BAD_ARGUMENT,
                   _("The drawable does not belong to the image."));
  /* Indexed first: its message is the useful one for indexed masks too. */
  if (gimp_image_base_type (image) == GIMP_INDEXED || gimp_drawable_is_indexed (drawable))
    return refuse (error, SR_PLUGIN_ERROR_UNSUPPORTED,
                   _("Indexed images are not supported. Convert the image to RGB "
                     "first (Image ▸ Mode ▸ RGB)."));
  if (!gimp_item_is_layer (drawable))
    return refuse (error, SR_PLUGIN_ERROR_UNSUPPORTED,
                   _("Only layers can be upscaled, not channels or layer masks. "
                     "Select a layer in the Layers dialog."));
  if (gimp_layer_is_floating_sel (drawable) ||
      (output != SR_OUTPUT_NEW_IMAGE && gimp_image_get_floating_sel (image) != -1))
    return refuse (error, SR_PLUGIN_ERROR_UNSUPPORTED,
                   _("The image has a floating selection. Anchor it or turn it "
                     "into a layer first."));
  return sr_refusals_check_output (output, gimp_item_is_group (drawable),
                                   gimp_item_get_lock_content (drawable), error);
}

gboolean
sr_drawable_region (gint32 image, gint32 drawable, gboolean selection_only,
                    GeglRectangle *region, GError **error)
{
  gint x, y, w, h;

  *region = (GeglRectangle) { 0, 0, gimp_drawable_width (drawable),
                              gimp_drawable_height (drawable) };
  if (!selection_only || gimp_selection_is_empty (image))
    return TRUE;
  /* The selection's bounding box within the layer, in layer coordinates. */
  if (!gimp_drawable_mask_intersect (drawable, &x, &y, &w, &h) || w <= 0 || h <= 0)
    return sr_refusals_selection_misses_layer (error);
  *region = (GeglRectangle) { x, y, w, h };
  return TRUE;
}

gboolean
sr_drawable_check_result_size (gint32 image, gint32 drawable,
                               const GeglRectangle *region, double scale,
                               SrOutputMode output, SrResultSize *size, GError **error)
{
  gint off_x, off_y;

  gimp_drawable_offsets (drawable, &off_x, &off_y);
  sr_result_size_compute (gimp_image_width (image), gimp_image_height (image),
                          off_x + region->x, off_y + region->y,
                          region->width, region->height,
                          scale, output, size);
  return sr_result_size_check (size, GIMP_MAX_IMAGE_SIZE, error);
}
