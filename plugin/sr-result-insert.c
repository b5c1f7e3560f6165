/* Result -> GIMP layer or image; see sr-result-insert.h. */
#include "sr-plugin-config.h"

#include <string.h>

#include <libgimp/gimp.h>

#include "sr-plugin-i18n.h"
#include "sr-plugin-params.h"
#include "sr-result-insert.h"

char *
sr_result_layer_name (gint32 source_drawable, double scale)
{
  char *source = gimp_item_get_name (source_drawable);
  /* TRANSLATORS: new layer name, kept short for the Layers dock: the scale
   * factor, then the source layer's name, e.g. "SR ×4 · Background" or
   * "SR ×2.5 · Background" (SR: super-resolution) */
  char *name = g_strdup_printf (_("SR ×%g · %s"), scale, source);

  g_free (source);
  return name;
}

gboolean
sr_result_mark_model (gint32 layer, const char *model_id)
{
  GimpParasite *parasite = gimp_parasite_new (SR_MODEL_PARASITE,
                                              GIMP_PARASITE_PERSISTENT |
                                              GIMP_PARASITE_UNDOABLE,
                                              strlen (model_id) + 1, model_id);
  gboolean      ok = gimp_item_attach_parasite (layer, parasite);

  gimp_parasite_free (parasite);
  return ok;
}

/* A layer of @image with the source's type and look, not yet in the stack,
 * holding the pixels of @result. */
static gint32
new_layer_with (gint32 image, gint32 drawable, GeglBuffer *result, const char *name,
                const char *model_id, gboolean copy_look)
{
  /* A group's mode is pass-through, which a plain layer cannot have. */
  gboolean      look = copy_look && !gimp_item_is_group (drawable);
  GimpLayerMode mode = look ? gimp_layer_get_mode (drawable)
                            : gimp_image_get_default_new_layer_mode (image);
  double        opacity = look ? gimp_layer_get_opacity (drawable) : 100.0;
  gint32        layer = gimp_layer_new (image, name,
                                        gegl_buffer_get_width (result),
                                        gegl_buffer_get_height (result),
                                        gimp_drawable_type (drawable), opacity, mode);
  GeglBuffer   *target;

  /* Not in the stack yet: the parasite needs no undo of its own. */
  if (layer == -1 || !sr_result_mark_model (layer, model_id))
    return -1;
  target = gimp_drawable_get_buffer (layer);
  gegl_buffer_copy (result, NULL, GEGL_ABYSS_NONE, target, NULL);
  g_object_unref (target);   /* flushes the tiles to GIMP */
  return layer;
}

/* Gives @layer (not yet in the stack, at the scaled source's place) the
 * source layer's mask as GIMP's image scale just scaled it, with the same
 * apply/show state: the result then looks like the source did.  Where the
 * two differ by a rounding pixel at an edge, the mask's edge is repeated. */
static gboolean
copy_mask (gint32 source, gint32 layer, const SrResultSize *size)
{
  gint32      source_mask = gimp_layer_get_mask (source), mask;
  gint        source_x, source_y;
  GeglBuffer *from, *to;

  if (source_mask == -1)
    return TRUE;
  mask = gimp_layer_create_mask (layer, GIMP_ADD_MASK_WHITE);
  if (mask == -1 || !gimp_layer_add_mask (layer, mask))
    return FALSE;
  gimp_drawable_offsets (source, &source_x, &source_y);
  from = gimp_drawable_get_buffer (source_mask);
  to = gimp_drawable_get_buffer (mask);
  gegl_buffer_copy (from,
                    GEGL_RECTANGLE (size->x - source_x, size->y - source_y,
                                    gegl_buffer_get_width (to), gegl_buffer_get_height (to)),
                    GEGL_ABYSS_CLAMP, to, NULL);
  g_object_unref (from);
  g_object_unref (to);   /* flushes the tiles to GIMP */
  return gimp_layer_set_apply_mask (layer, gimp_layer_get_apply_mask (source)) &&
         gimp_layer_set_show_mask (layer, gimp_layer_get_show_mask (source));
}

static gint32
fail (GError **error, const char *message)
{
  g_set_error_literal (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_FAILED, message);
  return -1;
}

gint32
sr_result_add_layer (gint32 image, gint32 drawable, GeglBuffer *result,
                     const SrResultSize *size, const char *name, const char *model_id,
                     GError **error)
{
  gint32   layer, parent, position;
  gboolean scaled, inserted;

  /* Filled before the undo group starts: the group then holds only the
   * scale and the insertion, and a failure here changes nothing. */
  layer = new_layer_with (image, drawable, result, name, model_id, TRUE);
  if (layer == -1)
    return fail (error, _("Could not create the new layer."));

  parent = gimp_item_get_parent (drawable);
  position = gimp_image_get_item_position (image, drawable);

  gimp_image_undo_group_start (image);
  scaled = gimp_image_scale (image, size->image_width, size->image_height);
  /* Computed from the offsets before the scale with GIMP's rounding
   * (sr-result-size.c): the new layer covers the scaled source exactly. */
  inserted = scaled &&
             copy_mask (drawable, layer, size) &&
             gimp_layer_set_offsets (layer, size->x, size->y) &&
             /* Same parent and position: lands right above the source. */
             gimp_image_insert_layer (image, layer, parent > 0 ? parent : -1, position);
  gimp_image_undo_group_end (image);

  if (!inserted)
    {
      /* Not expected after the checks in sr-drawable-check.c; if the scale
       * went through, Edit ▸ Undo takes it back in one step. */
      gimp_item_delete (layer);
      return fail (error, scaled ? _("Could not add the new layer.")
                                 : _("Could not scale the image."));
    }
  gimp_image_set_active_layer (image, layer);
  return layer;
}

gint32
sr_result_replace_layer (gint32 image, gint32 drawable, GeglBuffer *result,
                         const SrResultSize *size, const char *model_id, GError **error)
{
  GeglBuffer *target;
  gint        layer_x, layer_y;
  gboolean    scaled;

  gimp_image_undo_group_start (image);
  scaled = gimp_image_scale (image, size->image_width, size->image_height);
  if (scaled)
    {
      /* Written straight into the layer's buffer: the scale's undo keeps
       * the layer's old buffer and puts it back whole, so this write needs
       * no undo of its own -- and, unlike a shadow buffer merge, it is not
       * clipped by the (scaled) selection. */
      gimp_drawable_offsets (drawable, &layer_x, &layer_y);
      target = gimp_drawable_get_buffer (drawable);
      gegl_buffer_copy (result, NULL, GEGL_ABYSS_NONE, target,
                        GEGL_RECTANGLE (size->x - layer_x, size->y - layer_y,
                                        size->width, size->height));
      g_object_unref (target);   /* flushes the tiles to GIMP */
      gimp_drawable_update (drawable, size->x - layer_x, size->y - layer_y,
                            size->width, size->height);
      sr_result_mark_model (drawable, model_id);
    }
  gimp_image_undo_group_end (image);

  if (!scaled)
    return fail (error, _("Could not scale the image."));
  gimp_image_set_active_layer (image, drawable);
  return drawable;
}

gint32
sr_result_open_as_image (gint32 image, gint32 drawable, GeglBuffer *result,
                         const char *name, const char *model_id, gboolean show,
                         gint32 *new_image, GError **error)
{
  GimpColorProfile *profile;
  double            xres, yres;
  gint32            img, layer;

  img = gimp_image_new_with_precision (gegl_buffer_get_width (result),
                                       gegl_buffer_get_height (result),
                                       gimp_image_base_type (image),
                                       gimp_image_get_precision (image));
  if (img == -1)
    return fail (error, _("Could not create the new image."));

  /* A fresh image needs no undo history of its own making. */
  gimp_image_undo_disable (img);
  profile = gimp_image_get_color_profile (image);
  if (profile)
    {
      gimp_image_set_color_profile (img, profile);
      g_object_unref (profile);
    }
  gimp_image_get_resolution (image, &xres, &yres);
  gimp_image_set_resolution (img, xres, yres);

  layer = new_layer_with (img, drawable, result, name, model_id, FALSE);
  if (layer == -1 || !gimp_image_insert_layer (img, layer, -1, 0))
    {
      gimp_image_delete (img);
      return fail (error, _("Could not create the new image."));
    }
  gimp_image_undo_enable (img);

  if (show)
    gimp_display_new (img);
  *new_image = img;
  return layer;
}
