/* Results -> GIMP 3 layers or images; see sr3-result-insert.h. */
#include "sr-plugin-config.h"

#include <string.h>

#include "sr3-result-insert.h"
#include "sr-plugin-i18n.h"
#include "sr-plugin-params.h"

char *
sr3_result_layer_name (GimpDrawable *source, double scale)
{
  char *source_name = gimp_item_get_name (GIMP_ITEM (source));
  /* TRANSLATORS: new layer name, kept short for the Layers dock: the scale
   * factor, then the source layer's name, e.g. "SR ×4 · Background" or
   * "SR ×2.5 · Background" (SR: super-resolution) */
  char *name = g_strdup_printf (_("SR ×%g · %s"), scale, source_name);

  g_free (source_name);
  return name;
}

/* Attached with undo: inside the undo group when the layer is in the
 * image already, and nothing to undo for a layer not yet in one. */
static gboolean
mark_model (GimpLayer *layer, const char *model_id)
{
  GimpParasite *parasite = gimp_parasite_new (SR_MODEL_PARASITE,
                                              GIMP_PARASITE_PERSISTENT |
                                              GIMP_PARASITE_UNDOABLE,
                                              strlen (model_id) + 1, model_id);
  gboolean      ok = gimp_item_attach_parasite (GIMP_ITEM (layer), parasite);

  gimp_parasite_free (parasite);
  return ok;
}

/* A layer of @image with the source's type (and, if @copy_look, its mode
 * and opacity), not yet in the stack, holding the pixels of @result. */
static GimpLayer *
new_layer_with (GimpImage *image, const SrResult *result, gboolean copy_look)
{
  /* A group's mode is pass-through, which a plain layer cannot have. */
  GimpLayer    *source = GIMP_LAYER (result->source);
  gboolean      look = copy_look && !gimp_item_is_group (GIMP_ITEM (source));
  GimpLayerMode mode = look ? gimp_layer_get_mode (source)
                            : gimp_image_get_default_new_layer_mode (image);
  double        opacity = look ? gimp_layer_get_opacity (source) : 100.0;
  GimpLayer    *layer = gimp_layer_new (image, result->name,
                                        gegl_buffer_get_width (result->buffer),
                                        gegl_buffer_get_height (result->buffer),
                                        gimp_drawable_type (result->source), opacity, mode);
  GeglBuffer   *target;

  if (!layer)
    return NULL;
  if (!mark_model (layer, result->model_id))
    {
      gimp_item_delete (GIMP_ITEM (layer));
      return NULL;
    }
  target = gimp_drawable_get_buffer (GIMP_DRAWABLE (layer));
  gegl_buffer_copy (result->buffer, NULL, GEGL_ABYSS_NONE, target, NULL);
  g_object_unref (target);   /* flushes the tiles to GIMP */
  return layer;
}

/* Gives the new layer (at the scaled source's place) the source layer's
 * mask as GIMP's image scale just scaled it, with the same apply/show
 * state.  Where the two differ by a rounding pixel at an edge, the mask's
 * edge is repeated. */
static gboolean
copy_mask (const SrResult *result)
{
  GimpLayer     *source = GIMP_LAYER (result->source);
  GimpLayerMask *source_mask = gimp_layer_get_mask (source), *mask;
  gint           source_x, source_y;
  GeglBuffer    *from, *to;

  if (!source_mask)
    return TRUE;
  mask = gimp_layer_create_mask (result->layer, GIMP_ADD_MASK_WHITE);
  if (!mask || !gimp_layer_add_mask (result->layer, mask))
    return FALSE;
  gimp_drawable_get_offsets (result->source, &source_x, &source_y);
  from = gimp_drawable_get_buffer (GIMP_DRAWABLE (source_mask));
  to = gimp_drawable_get_buffer (GIMP_DRAWABLE (mask));
  gegl_buffer_copy (from,
                    GEGL_RECTANGLE (result->size.x - source_x, result->size.y - source_y,
                                    gegl_buffer_get_width (to), gegl_buffer_get_height (to)),
                    GEGL_ABYSS_CLAMP, to, NULL);
  g_object_unref (from);
  g_object_unref (to);   /* flushes the tiles to GIMP */
  return gimp_layer_set_apply_mask (result->layer, gimp_layer_get_apply_mask (source)) &&
         gimp_layer_set_show_mask (result->layer, gimp_layer_get_show_mask (source));
}

/* Adds one result right above its source, which GIMP has just scaled. */
static gboolean
insert_above_source (GimpImage *image, const SrResult *result)
{
  GimpItem *parent = gimp_item_get_parent (GIMP_ITEM (result->source));
  /* Asked now, not before: earlier insertions may have moved the source. */
  gint      position = gimp_image_get_item_position (image, GIMP_ITEM (result->source));

  return copy_mask (result) &&
         gimp_layer_set_offsets (result->layer, result->size.x, result->size.y) &&
         gimp_image_insert_layer (image, result->layer,
                                  parent ? GIMP_LAYER (parent) : NULL, position);
}

static gboolean
fail (GError **error, const char *message)
{
  g_set_error_literal (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_FAILED, message);
  return FALSE;
}

gboolean
sr3_result_add_layers (GimpImage *image, SrResult *results, int n_results, GError **error)
{
  GimpLayer **selected;
  gboolean    scaled, inserted = TRUE;
  int         i;

  /* Filled before the undo group starts: the group then holds only the
   * scale and the insertions, and a failure here changes nothing. */
  for (i = 0; i < n_results; i++)
    if (!(results[i].layer = new_layer_with (image, &results[i], TRUE)))
      {
        while (--i >= 0)
          gimp_item_delete (GIMP_ITEM (results[i].layer));
        return fail (error, _("Could not create the new layer."));
      }

  gimp_image_undo_group_start (image);
  /* Every result's size was computed for the same image and scale, so one
   * scale serves them all. */
  scaled = gimp_image_scale (image, results[0].size.image_width,
                             results[0].size.image_height);
  for (i = 0; scaled && inserted && i < n_results; i++)
    inserted = insert_above_source (image, &results[i]);
  gimp_image_undo_group_end (image);

  if (!scaled || !inserted)
    {
      /* Not expected after the checks in sr3-drawable-check.c; if the scale
       * went through, Edit ▸ Undo takes it back in one step. */
      for (int j = scaled ? i - 1 : 0; j < n_results; j++)
        gimp_item_delete (GIMP_ITEM (results[j].layer));
      return fail (error, scaled ? _("Could not add the new layer.")
                                 : _("Could not scale the image."));
    }

  selected = g_new0 (GimpLayer *, n_results + 1);
  for (i = 0; i < n_results; i++)
    {
      results[i].image = image;
      selected[i] = results[i].layer;
    }
  gimp_image_set_selected_layers (image, (const GimpLayer **) selected);
  g_free (selected);
  return TRUE;
}

/* Writes @result over its source, which GIMP has just scaled.  Straight
 * into the layer's buffer: the scale's undo keeps the layer's old buffer
 * and puts it back whole, so the write needs no undo of its own, and,
 * unlike a shadow buffer merge, it is not clipped by the selection. */
static gboolean
write_over_source (SrResult *result)
{
  GeglBuffer *target;
  gint        layer_x, layer_y, x, y;

  gimp_drawable_get_offsets (result->source, &layer_x, &layer_y);
  x = result->size.x - layer_x;
  y = result->size.y - layer_y;
  target = gimp_drawable_get_buffer (result->source);
  gegl_buffer_copy (result->buffer, NULL, GEGL_ABYSS_NONE, target,
                    GEGL_RECTANGLE (x, y, result->size.width, result->size.height));
  g_object_unref (target);   /* flushes the tiles to GIMP */
  result->layer = GIMP_LAYER (result->source);
  return gimp_drawable_update (result->source, x, y,
                               result->size.width, result->size.height) &&
         mark_model (result->layer, result->model_id);
}

gboolean
sr3_result_replace_layers (GimpImage *image, SrResult *results, int n_results,
                           GError **error)
{
  GimpLayer **selected;
  gboolean    scaled, written = TRUE;

  gimp_image_undo_group_start (image);
  scaled = gimp_image_scale (image, results[0].size.image_width,
                             results[0].size.image_height);
  for (int i = 0; scaled && written && i < n_results; i++)
    written = write_over_source (&results[i]);
  gimp_image_undo_group_end (image);

  if (!scaled || !written)
    /* Not expected after the checks in sr3-drawable-check.c; if the scale
     * went through, Edit ▸ Undo takes it back in one step. */
    return fail (error, scaled ? _("Could not write into the layer.")
                               : _("Could not scale the image."));
  selected = g_new0 (GimpLayer *, n_results + 1);
  for (int i = 0; i < n_results; i++)
    {
      results[i].image = image;
      selected[i] = results[i].layer;
    }
  /* The layers the user ran it on, as after a new-layer run. */
  gimp_image_set_selected_layers (image, (const GimpLayer **) selected);
  g_free (selected);
  return TRUE;
}

/* A new image holding just @result. */
static gboolean
open_as_image (GimpImage *image, SrResult *result, gboolean show, GError **error)
{
  GimpColorProfile *profile;
  double            xres, yres;
  GimpImage        *img;

  img = gimp_image_new_with_precision (gegl_buffer_get_width (result->buffer),
                                       gegl_buffer_get_height (result->buffer),
                                       gimp_image_get_base_type (image),
                                       gimp_image_get_precision (image));
  if (!img)
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

  result->layer = new_layer_with (img, result, FALSE);
  if (!result->layer || !gimp_image_insert_layer (img, result->layer, NULL, 0))
    {
      gimp_image_delete (img);
      result->layer = NULL;
      return fail (error, _("Could not create the new image."));
    }
  gimp_image_undo_enable (img);

  if (show)
    gimp_display_new (img);
  result->image = img;
  return TRUE;
}

gboolean
sr3_result_open_as_images (GimpImage *image, SrResult *results, int n_results,
                           gboolean show, GError **error)
{
  for (int i = 0; i < n_results; i++)
    if (!open_as_image (image, &results[i], show, error))
      return FALSE;
  return TRUE;
}
