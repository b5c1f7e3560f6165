/* The plug-in dialog, for both GIMPs (GTK 2 and 3); see sr-dialog.h.
 *
 * Layout: the preview on the left; on the right the model (with a line
 * about it), scale, output, TTA, an "Advanced" expander (tile size,
 * threads), then what the run will produce and cost, and -- when the
 * settings cannot work -- why, with OK made insensitive. */
#include "sr-plugin-config.h"

#include <math.h>

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include "sr.h"
#include "sr-box-source.h"
#include "sr-dialog.h"
#include "sr-dialog-state.h"
#include "sr-gegl-io.h"
#include "sr-help.h"
#include "sr-model-choice.h"
#include "sr-model-store.h"
#include "sr-model-text.h"
#include "sr-plugin-i18n.h"
#include "sr-plugin-paths.h"
#include "sr-gtk-compat.h"
#include "sr-preview.h"
#include "sr-result-size.h"
#include "sr-target-size.h"
#include "sr-time-estimate.h"

#define RESPONSE_RESET 1

typedef struct
{
  SrPluginParams *params;

  GtkListStore   *store;
  SrPreview      *preview;
  SrTargetSize   *target;
  SrTimeEstimate  estimate;
  SrGeglSource    source;
  SrBoxSource     selection_box;   /* the selection's box of source */
  /* Set while one handler changes another widget, so that the other
   * handler does not undo the change. */
  gboolean        updating;

  GtkWidget *dialog, *combo, *summary, *description;
  GtkWidget *scale_spin, *tile_spin, *threads_spin;
  GtkWidget *new_layer, *new_image, *replace, *selection_only, *tta;
  const SrDialogLayer *layer;
  char     **model_dirs;   /* where the store's models came from */
  GtkWidget *size_label, *time_label, *message_box, *message_label;
  /* The chosen model, loaded for planning the run (sr_plan_new) that the
   * summary and the time estimate describe; reloaded when the choice changes. */
  SrModel   *plan_model;
  char      *plan_model_path;
} Dialog;

typedef struct
{
  char  *path;
  int    scale;
  double macs;
} Selected;

static gboolean
get_selected (Dialog *d, Selected *sel)
{
  GtkTreeIter iter;

  if (!gtk_combo_box_get_active_iter (GTK_COMBO_BOX (d->combo), &iter))
    return FALSE;
  gtk_tree_model_get (GTK_TREE_MODEL (d->store), &iter,
                      SR_MODEL_COL_PATH, &sel->path,
                      SR_MODEL_COL_SCALE, &sel->scale,
                      SR_MODEL_COL_MACS, &sel->macs, -1);
  return TRUE;
}

/* The sizes the run would produce with the current settings. */
static void
get_result_size (Dialog *d, SrResultSize *size)
{
  const SrDialogLayer *l = d->layer;

  /* Only the selection's box, where the run would take only that. */
  if (d->params->selection_only && l->has_selection)
    sr_result_size_compute (l->image_width, l->image_height,
                            l->layer_x + l->selection_x, l->layer_y + l->selection_y,
                            l->selection_width, l->selection_height, d->params->scale,
                            d->params->output, size);
  else
    sr_result_size_compute (l->image_width, l->image_height, l->layer_x, l->layer_y,
                            l->layer_width, l->layer_height, d->params->scale,
                            d->params->output, size);
}

/* Whether the scale can be worked with at all (sizes are meaningless else). */
static gboolean
scale_in_range (Dialog *d)
{
  return d->params->scale >= SR_SCALE_MIN && d->params->scale <= SR_SCALE_MAX;
}

/* Whether a model of @model_scale is a good one for @scale: a same-size
 * model, the next whole scale up, or the default choice for the scale. */
static gboolean
model_suits (int model_scale, double scale)
{
  return model_scale == 1 || model_scale == (int) ceil (scale - 1e-6) ||
         model_scale == sr_model_choice_default_scale (scale);
}

/* The photo model that is the default at @scale for this image, or NULL:
 * only for an image loaded from a JPEG (sr-model-choice.h). */
static const char *
photo_default_id (Dialog *d, double scale)
{
  if (!d->layer->from_jpeg)
    return NULL;
  return sr_catalog_photo_id_in (sr_model_choice_default_scale (scale),
                                 (const char *const *) d->model_dirs);
}

/* The row of the model an empty model name means at @scale for this
 * image: the photo model for a JPEG, else the catalogue's default. */
static gboolean
find_default_model (Dialog *d, double scale, GtkTreeIter *iter)
{
  const char *photo = photo_default_id (d, scale);

  if (photo && sr_model_store_find (d->store, photo, iter))
    return TRUE;
  return sr_model_store_find_for_scale (d->store, sr_model_choice_default_scale (scale), iter);
}

/* Whether @model (a stored last value) is one the dialog chose by itself
 * for @scale, the clean or the photo default: the dialog stores the row it
 * showed, so "" and these follow the image; any other pick stays. */
static gboolean
is_default_choice (Dialog *d, const char *model, double scale)
{
  int                model_scale = sr_model_choice_default_scale (scale);
  const char *const *dirs = (const char *const *) d->model_dirs;

  return !model[0] || g_strcmp0 (model, sr_catalog_default_id_in (model_scale, dirs)) == 0 ||
         g_strcmp0 (model, sr_catalog_photo_id_in (model_scale, dirs)) == 0;
}

/* What is wrong with the settings, or NULL if they can run. */
static char *
find_problem (Dialog *d, const Selected *sel, gboolean have_model)
{
  GError *error = NULL;
  char   *text;

  if (!have_model)
    {
      char *dir = sr_plugin_user_model_dir ();
      text = g_strdup_printf (_("No models found. Put .srm model files into %s "
                                "or open one with the button next to the list."), dir);
      g_free (dir);
      return text;
    }
  if (!sr_plugin_params_validate (d->params, &error))
    {
      text = g_strdup (error->message);
      g_error_free (error);
      return text;
    }
  {
    SrResultSize size;

    get_result_size (d, &size);
    if (MAX (MAX (size.width, size.height), MAX (size.image_width, size.image_height))
        > GIMP_MAX_IMAGE_SIZE)
      return g_strdup_printf (_("The result would be larger than GIMP allows "
                                "(%d pixels a side)."), GIMP_MAX_IMAGE_SIZE);
  }
  return NULL;
}

/* The run OK would make, planned by the core as the run will be (route,
 * sizes, tiles, threads), or NULL where the model cannot be loaded or the
 * settings would be refused (find_problem says why). */
static SrPlan *
plan_run (Dialog *d, const Selected *sel, const SrResultSize *size)
{
  gboolean part = d->params->selection_only && d->layer->has_selection;
  SrJob    job = { 0 };

  if (g_strcmp0 (sel->path, d->plan_model_path) != 0)
    {
      g_clear_pointer (&d->plan_model, sr_model_free);
      g_free (d->plan_model_path);
      d->plan_model_path = g_strdup (sel->path);
      d->plan_model = sel->path ? sr_model_load (sel->path, NULL) : NULL;
    }
  if (!d->plan_model)
    return NULL;
  job.width = part ? d->layer->selection_width : d->layer->layer_width;
  job.height = part ? d->layer->selection_height : d->layer->layer_height;
  job.threads = d->params->threads;
  job.tile_size = d->params->tile_size;
  job.tta = d->params->tta;
  return sr_plan_new (d->plan_model, NULL, &job, size->width, size->height, NULL);
}

/* How the model gets to the result size (the plan's route), or NULL when
 * it simply runs. */
static char *
describe_route (const Selected *sel, const SrPlan *plan)
{
  SrPlanStageInfo stage;

  sr_plan_get_stage (plan, 0, &stage);
  switch (sr_plan_get_route (plan))
    {
    case SR_ROUTE_SAME_SIZE:
      return g_strdup (_("The layer is enlarged to this size (cubic), then restored by the model."));
    case SR_ROUTE_RESAMPLE:
      if (stage.out_w > stage.target_w || stage.out_h > stage.target_h)
        return g_strdup_printf (_("The model upscales ×%d; its result is scaled down to this "
                                  "size (antialiased cubic)."), sel->scale);
      return g_strdup_printf (_("The model upscales ×%d; its result is enlarged to this size "
                                "by cubic interpolation."), sel->scale);
    default:
      return sel->scale == 1 ? g_strdup (_("The model restores the layer at its own size."))
                             : NULL;
    }
}

static void
update_size_and_time (Dialog *d, const Selected *sel, gboolean have_model)
{
  SrResultSize size;
  char        *text = NULL;
  SrPlan      *plan = NULL;

  if (scale_in_range (d))
    {
      char *route, *result;

      get_result_size (d, &size);
      plan = have_model ? plan_run (d, sel, &size) : NULL;
      route = plan ? describe_route (sel, plan) : NULL;
      if (d->params->output != SR_OUTPUT_NEW_IMAGE)
        result = g_strdup_printf (_("Result: %d × %d pixels; the image becomes %d × %d."),
                                  size.width, size.height, size.image_width, size.image_height);
      else
        result = g_strdup_printf (_("Result: a new image of %d × %d pixels."),
                                  size.width, size.height);
      text = route ? g_strconcat (result, "\n", route, NULL) : g_strdup (result);
      g_free (result);
      g_free (route);
    }
  gtk_label_set_text (GTK_LABEL (d->size_label), text ? text : "");
  g_free (text);

  if (plan)
    {
      double seconds = sr_time_estimate_plan_seconds (&d->estimate, plan);
      char  *duration = sr_format_duration (seconds);

      if (d->params->tta)
        text = d->estimate.measured
          ? g_strdup_printf (_("Estimated time: %s (8 runs for test-time augmentation)."), duration)
          : g_strdup_printf (_("Estimated time: %s (8 runs for test-time augmentation; "
                               "a guess until the preview has run)."), duration);
      else
        text = d->estimate.measured
          ? g_strdup_printf (_("Estimated time: %s."), duration)
          : g_strdup_printf (_("Estimated time: %s (a guess until the preview has run)."), duration);
      g_free (duration);
    }
  else
    text = g_strdup ("");
  gtk_label_set_text (GTK_LABEL (d->time_label), text);
  g_free (text);
  sr_plan_free (plan);
}

static void
update_model_info (Dialog *d)
{
  GtkTreeIter iter;
  char       *summary = NULL, *description = NULL, *tooltip = NULL;

  if (gtk_combo_box_get_active_iter (GTK_COMBO_BOX (d->combo), &iter))
    gtk_tree_model_get (GTK_TREE_MODEL (d->store), &iter,
                        SR_MODEL_COL_SUMMARY, &summary,
                        SR_MODEL_COL_DESCRIPTION, &description,
                        SR_MODEL_COL_TOOLTIP, &tooltip, -1);
  gtk_label_set_text (GTK_LABEL (d->summary), summary ? summary : "");
  /* Why a JPEG got the photo model, so that the user knows the others are
   * one click away. */
  if (description && g_strcmp0 (d->params->model, photo_default_id (d, d->params->scale)) == 0)
    {
      char *why = g_strdup_printf ("%s\n%s", description,
                                   _("Chosen because the image was loaded from a JPEG."));
      g_free (description);
      description = why;
    }
  gtk_label_set_text (GTK_LABEL (d->description), description ? description : "");
  /* The model's own words (architecture, training) for those who ask. */
  gtk_widget_set_tooltip_text (d->description, tooltip && *tooltip ? tooltip : NULL);
  gtk_widget_set_tooltip_text (d->summary, tooltip && *tooltip ? tooltip : NULL);
  gtk_widget_set_tooltip_text (d->combo, tooltip && *tooltip ? tooltip : NULL);
  g_free (summary);
  g_free (description);
  g_free (tooltip);
}

/* Brings everything that depends on the settings up to date. */
static void
update (Dialog *d)
{
  Selected sel = { 0 };
  gboolean have_model = get_selected (d, &sel);
  char    *problem = find_problem (d, &sel, have_model);

  update_model_info (d);
  update_size_and_time (d, &sel, have_model);
  /* The sizes typed and shown are of what is enlarged: the selection's
   * box when only that is, else the layer. */
  if (d->params->selection_only && d->layer->has_selection)
    sr_target_size_set_source_size (d->target, d->layer->selection_width,
                                    d->layer->selection_height);
  else
    sr_target_size_set_source_size (d->target, d->layer->layer_width, d->layer->layer_height);
  if (scale_in_range (d))
    sr_target_size_set_scale (d->target, d->params->scale);

  gtk_label_set_text (GTK_LABEL (d->message_label), problem ? problem : "");
  gtk_widget_set_visible (d->message_box, problem != NULL);
  gtk_dialog_set_response_sensitive (GTK_DIALOG (d->dialog), GTK_RESPONSE_OK, problem == NULL);

  /* The preview reads what the run would read: the selection's box or the
   * whole layer (the sizes below are of that). */
  sr_preview_set_source (d->preview, d->params->selection_only && d->layer->has_selection
                                     ? &d->selection_box.base : &d->source.base);
  /* The preview runs what OK would run (on a crop) whenever the size is
   * known, even when another setting is the problem. */
  if (have_model && scale_in_range (d))
    {
      SrResultSize size;

      get_result_size (d, &size);
      sr_preview_set_model (d->preview, sel.path, size.width, size.height,
                            d->params->threads, d->params->tile_size, d->params->tta);
    }
  else
    /* The reason is spelled out beside the preview already. */
    sr_preview_set_unavailable (d->preview, _("No preview for these settings."));

  g_free (problem);
  g_free (sel.path);
}

/* --- handlers ----------------------------------------------------------- */

static void
on_model_changed (GtkComboBox *combo, Dialog *d)
{
  GtkTreeIter iter;
  char       *key;
  int         scale;

  if (!gtk_combo_box_get_active_iter (combo, &iter))
    return;
  gtk_tree_model_get (GTK_TREE_MODEL (d->store), &iter,
                      SR_MODEL_COL_KEY, &key, SR_MODEL_COL_SCALE, &scale, -1);
  sr_plugin_params_set_model (d->params, key, NULL);
  g_free (key);

  /* Any model runs at any scale, but one whose own scale is below what
   * the scale needs would leave the rest to cubic interpolation, and an
   * enlarging model at scale 1 would only blur: picking such a model picks
   * its scale.  A same-size model, or one at or above the scale's default
   * (its result is then shrunk), keeps the scale. */
  if (!d->updating && scale != 1 &&
      (scale < sr_model_choice_default_scale (d->params->scale) || d->params->scale < 1 + 1e-6))
    {
      d->updating = TRUE;
      d->params->scale = scale;
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (d->scale_spin), scale);
      d->updating = FALSE;
    }
  update (d);
}

static void
on_scale_changed (GtkSpinButton *spin, Dialog *d)
{
  Selected    sel = { 0 };
  GtkTreeIter iter;

  d->params->scale = gtk_spin_button_get_value (spin);
  if (d->updating)
    return;

  /* A new scale that the current model does not suit: switch to the model
   * the scale would get by default (the next whole scale up), if listed. */
  if (get_selected (d, &sel) && scale_in_range (d) && !model_suits (sel.scale, d->params->scale) &&
      find_default_model (d, d->params->scale, &iter))
    {
      d->updating = TRUE;
      gtk_combo_box_set_active_iter (GTK_COMBO_BOX (d->combo), &iter);
      d->updating = FALSE;
    }
  g_free (sel.path);
  update (d);
}

static void
on_preset_clicked (GtkButton *button, Dialog *d)
{
  int scale = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "sr-scale"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (d->scale_spin), scale);
}

/* The user typed a width or height: the factor follows (and through it the
 * model, the sizes and the preview). */
static void
on_target_size_changed (double scale, gpointer data)
{
  Dialog *d = data;

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (d->scale_spin), scale);
}

static void
on_int_changed (GtkSpinButton *spin, int *field)
{
  *field = gtk_spin_button_get_value_as_int (spin);
}

static void
on_output_toggled (GtkToggleButton *button, Dialog *d)
{
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (d->new_image)))
    d->params->output = SR_OUTPUT_NEW_IMAGE;
  else if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (d->replace)))
    d->params->output = SR_OUTPUT_REPLACE;
  else
    d->params->output = SR_OUTPUT_NEW_LAYER;
  update (d);
}

static void
on_selection_only_toggled (GtkToggleButton *button, Dialog *d)
{
  d->params->selection_only = gtk_toggle_button_get_active (button);
  update (d);
}

static void
on_tta_toggled (GtkToggleButton *button, Dialog *d)
{
  d->params->tta = gtk_toggle_button_get_active (button);
  update (d);
}

static void
on_open_file (GtkButton *button, Dialog *d)
{
  GtkWidget     *chooser;
  GtkFileFilter *filter;
  char          *dir = sr_plugin_user_model_dir ();

  chooser = gtk_file_chooser_dialog_new (_("Open Model File"), GTK_WINDOW (d->dialog),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Cancel"), GTK_RESPONSE_CANCEL,
                                         _("_Open"), GTK_RESPONSE_ACCEPT, NULL);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Super-resolution models (*.srm)"));
  gtk_file_filter_add_pattern (filter, "*.srm");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), dir);
  g_free (dir);

  if (gtk_dialog_run (GTK_DIALOG (chooser)) == GTK_RESPONSE_ACCEPT)
    {
      char       *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (chooser));
      GtkTreeIter iter;
      GError     *error = NULL;

      if (sr_model_store_add_file (d->store, path, &iter, &error))
        gtk_combo_box_set_active_iter (GTK_COMBO_BOX (d->combo), &iter);
      else
        {
          GtkWidget *message = gtk_message_dialog_new (GTK_WINDOW (chooser), GTK_DIALOG_MODAL,
                                                       GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                                       _("Could not open the model."));
          gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (message),
                                                    "%s", error->message);
          gtk_dialog_run (GTK_DIALOG (message));
          gtk_widget_destroy (message);
          g_error_free (error);
        }
      g_free (path);
    }
  gtk_widget_destroy (chooser);
}

static void
on_preview_timing (gpointer data, double seconds, int input_pixels, int threads)
{
  Dialog  *d = data;
  Selected sel = { 0 };

  if (get_selected (d, &sel))
    {
      sr_time_estimate_calibrate (&d->estimate, sel.macs, input_pixels, threads, seconds);
      update_size_and_time (d, &sel, TRUE);
    }
  g_free (sel.path);
}

/* --- setting widgets from parameters ------------------------------------ */

/* The row for params->model: the image's default where the model was
 * one, else listed, a file to add, or a sensible default. */
static void
select_initial_model (Dialog *d)
{
  GtkTreeIter iter;
  gboolean    found = FALSE;

  if (is_default_choice (d, d->params->model, d->params->scale))
    found = find_default_model (d, d->params->scale, &iter);
  if (!found)
    found = sr_model_store_find (d->store, d->params->model, &iter);
  if (!found && d->params->model[0] && g_file_test (d->params->model, G_FILE_TEST_IS_REGULAR))
    found = sr_model_store_add_file (d->store, d->params->model, &iter, NULL);
  if (!found)
    found = find_default_model (d, d->params->scale, &iter);
  if (!found)
    found = gtk_tree_model_get_iter_first (GTK_TREE_MODEL (d->store), &iter);
  if (found)
    gtk_combo_box_set_active_iter (GTK_COMBO_BOX (d->combo), &iter);
}

static void
set_widgets (Dialog *d)
{
  /* The stored scale wins over the model's: select without syncing. */
  double scale = d->params->scale;

  d->updating = TRUE;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (d->scale_spin), scale);
  select_initial_model (d);
  d->params->scale = scale;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (d->tile_spin), d->params->tile_size);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (d->threads_spin), d->params->threads);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (d->params->output == SR_OUTPUT_NEW_IMAGE
                                                   ? d->new_image
                                                   : d->params->output == SR_OUTPUT_REPLACE
                                                   ? d->replace : d->new_layer), TRUE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (d->selection_only),
                                d->params->selection_only);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (d->tta), d->params->tta);
  d->updating = FALSE;
  update (d);
}

/* What tests wait for besides the widgets (see sr-dialog-state.h). */
static void
add_test_state (GKeyFile *state, gpointer data)
{
  Dialog *d = data;

  g_key_file_set_string (state, "dialog", "model", d->params->model);
  g_key_file_set_double (state, "dialog", "scale", d->params->scale);
  g_key_file_set_integer (state, "dialog", "output", d->params->output);
  g_key_file_set_boolean (state, "dialog", "tta", d->params->tta);
  g_key_file_set_boolean (state, "dialog", "selection-only", d->params->selection_only);
  g_key_file_set_boolean (state, "dialog", "preview-done", sr_preview_is_done (d->preview));
  g_key_file_set_double (state, "dialog", "preview-zoom", sr_preview_get_zoom (d->preview));
  {
    int view[4];

    sr_preview_get_view (d->preview, &view[0], &view[1], &view[2], &view[3]);
    g_key_file_set_integer_list (state, "dialog", "preview-view", view, 4);
  }
  g_key_file_set_integer (state, "dialog", "preview-results",
                          sr_preview_get_n_results (d->preview));
  g_key_file_set_integer (state, "dialog", "preview-trims", sr_preview_get_n_trims (d->preview));
  g_key_file_set_boolean (state, "dialog", "estimate-measured", d->estimate.measured);
  g_key_file_set_boolean (state, "dialog", "ok-sensitive",
                          !gtk_widget_get_visible (d->message_box));
}

/* --- building ----------------------------------------------------------- */

static GtkWidget *
left_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  sr_label_set_align (label, 0.0, 0.5);
  return label;
}

static GtkWidget *
build_model_row (Dialog *d)
{
  GtkWidget       *hbox = sr_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget       *open;
  GtkCellRenderer *cell = gtk_cell_renderer_text_new ();

  d->combo = gtk_combo_box_new_with_model (GTK_TREE_MODEL (d->store));
  gtk_widget_set_name (d->combo, "sr-model");
  gtk_cell_layout_pack_start (GTK_CELL_LAYOUT (d->combo), cell, TRUE);
  gtk_cell_layout_set_attributes (GTK_CELL_LAYOUT (d->combo), cell,
                                  "text", SR_MODEL_COL_LABEL, NULL);
  g_object_set (cell, "ellipsize", PANGO_ELLIPSIZE_MIDDLE, "width-chars", 28, NULL);
  gtk_box_pack_start (GTK_BOX (hbox), d->combo, TRUE, TRUE, 0);
  g_signal_connect (d->combo, "changed", G_CALLBACK (on_model_changed), d);

  /* Not "_Open": Alt+O belongs to OK. */
  open = gtk_button_new_with_mnemonic (_("Open _File…"));
  gtk_widget_set_tooltip_text (open, _("Use a model file (.srm) that is not in the list"));
  gtk_box_pack_start (GTK_BOX (hbox), open, FALSE, FALSE, 0);
  g_signal_connect (open, "clicked", G_CALLBACK (on_open_file), d);
  return hbox;
}

static GtkWidget *
build_scale_row (Dialog *d)
{
  GtkWidget *hbox = sr_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  static const int presets[] = { 2, 3, 4 };

  /* Fractions too: the arrows step by a half. */
  d->scale_spin = sr_spin_new (d->params->scale, SR_SCALE_MIN, SR_SCALE_MAX, 0.5, 2);
  gtk_widget_set_name (d->scale_spin, "sr-scale");
  gtk_box_pack_start (GTK_BOX (hbox), d->scale_spin, FALSE, FALSE, 0);
  g_signal_connect (d->scale_spin, "value-changed", G_CALLBACK (on_scale_changed), d);

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      char      *text = g_strdup_printf ("×%d", presets[i]);
      GtkWidget *button = gtk_button_new_with_label (text);

      g_object_set_data (G_OBJECT (button), "sr-scale", GINT_TO_POINTER (presets[i]));
      g_signal_connect (button, "clicked", G_CALLBACK (on_preset_clicked), d);
      gtk_box_pack_start (GTK_BOX (hbox), button, FALSE, FALSE, 0);
      g_free (text);
    }
  return hbox;
}

static GtkWidget *
build_advanced (Dialog *d)
{
  GtkWidget *expander = gtk_expander_new_with_mnemonic (_("_Advanced"));
  GtkWidget *grid = sr_grid_new (6, 4);
  char      *cores;

  gtk_container_set_border_width (GTK_CONTAINER (grid), 6);
  gtk_container_add (GTK_CONTAINER (expander), grid);

  d->tile_spin = sr_spin_new (d->params->tile_size, 0, SR_TILE_SIZE_MAX, 16, 0);
  gtk_widget_set_name (d->tile_spin, "sr-tile-size");
  g_signal_connect (d->tile_spin, "value-changed", G_CALLBACK (on_int_changed),
                    &d->params->tile_size);
  g_signal_connect_swapped (d->tile_spin, "value-changed", G_CALLBACK (update), d);
  sr_grid_attach (grid, sr_mnemonic_label_new (_("Tile si_ze:"), d->tile_spin), 0, 0, 1, FALSE);
  sr_grid_attach (grid, d->tile_spin, 1, 0, 1, FALSE);
  sr_grid_attach (grid, left_label (_("pixels (0 = automatic)")), 2, 0, 1, FALSE);

  d->threads_spin = sr_spin_new (d->params->threads, 0, SR_THREADS_MAX, 1, 0);
  gtk_widget_set_name (d->threads_spin, "sr-threads");
  g_signal_connect (d->threads_spin, "value-changed", G_CALLBACK (on_int_changed),
                    &d->params->threads);
  g_signal_connect_swapped (d->threads_spin, "value-changed", G_CALLBACK (update), d);
  cores = g_strdup_printf (_("(0 = all %d cores)"), (int) g_get_num_processors ());
  sr_grid_attach (grid, sr_mnemonic_label_new (_("Threa_ds:"), d->threads_spin), 0, 1, 1, FALSE);
  sr_grid_attach (grid, d->threads_spin, 1, 1, 1, FALSE);
  sr_grid_attach (grid, left_label (cores), 2, 1, 1, FALSE);
  g_free (cores);
  return expander;
}

#if !GTK_CHECK_VERSION (3, 0, 0)
/* GTK 2 wraps a label at a width it guesses from max-width-chars, not at the
 * width the label is given, so a long line (the route under "Result:") ran
 * past the dialog's edge and was cut off.  Asking for exactly the allocated
 * width makes the next layout wrap there.  (sr_label_set_wrap_width's fixed
 * width suits the model's purpose, which must not widen the column; these
 * labels take the column's width, whatever the font and the language.)
 * GTK 3 wraps at the allocation by itself (height-for-width). */
static void
wrap_at_allocation (GtkWidget *label, GtkAllocation *room, gpointer data)
{
  int width;

  gtk_widget_get_size_request (label, &width, NULL);
  if (room->width > 1 && room->width != width)
    gtk_widget_set_size_request (label, room->width, -1);
}
#endif

/* A label in a line of its own that wraps rather than widening the dialog. */
static GtkWidget *
wrapping_label (void)
{
  GtkWidget *label = left_label (NULL);

  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
#if !GTK_CHECK_VERSION (3, 0, 0)
  g_signal_connect (label, "size-allocate", G_CALLBACK (wrap_at_allocation), NULL);
#endif
  return label;
}

static GtkWidget *
build_controls (Dialog *d)
{
  GtkWidget *vbox = sr_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *grid = sr_grid_new (6, 4);
  GtkWidget *output_box, *icon, *label;

  gtk_box_pack_start (GTK_BOX (vbox), grid, FALSE, FALSE, 0);

  sr_grid_attach (grid, build_model_row (d), 1, 0, 1, TRUE);
  sr_grid_attach (grid, sr_mnemonic_label_new (_("_Model:"), d->combo), 0, 0, 1, FALSE);

  d->description = left_label (NULL);
  gtk_widget_set_name (d->description, "sr-model-purpose");
  /* The photo models' purpose and the reason a JPEG got one take two
   * lines or more: GTK 2 clipped them without a width to wrap at. */
  sr_label_set_wrap_width (d->description, 48, 380);
  sr_grid_attach (grid, d->description, 1, 1, 1, FALSE);
  d->summary = left_label (NULL);
  gtk_widget_set_name (d->summary, "sr-model-summary");
  gtk_label_set_ellipsize (GTK_LABEL (d->summary), PANGO_ELLIPSIZE_END);
  gimp_label_set_attributes (GTK_LABEL (d->summary), PANGO_ATTR_SCALE, PANGO_SCALE_SMALL, -1);
  sr_grid_attach (grid, d->summary, 1, 2, 1, FALSE);

  sr_grid_attach (grid, build_scale_row (d), 1, 3, 1, FALSE);
  sr_grid_attach (grid, sr_mnemonic_label_new (_("_Scale:"), d->scale_spin), 0, 3, 1, FALSE);

  d->target = sr_target_size_new (d->layer->layer_width, d->layer->layer_height,
                                  d->layer->xres, d->layer->yres,
                                  SR_SCALE_MIN, SR_SCALE_MAX, on_target_size_changed, d);
  label = left_label (_("Size:"));
  sr_label_set_align (label, 0.0, 0.0);
  sr_grid_attach (grid, label, 0, 4, 1, FALSE);
  sr_grid_attach (grid, sr_target_size_get_widget (d->target), 1, 4, 1, FALSE);

  output_box = sr_box_new (GTK_ORIENTATION_VERTICAL, 2);
  d->new_layer = gtk_radio_button_new_with_mnemonic (NULL, _("New _layer (the image is scaled too)"));
  d->new_image = gtk_radio_button_new_with_mnemonic_from_widget (GTK_RADIO_BUTTON (d->new_layer),
                                                                 _("New _image"));
  d->replace = gtk_radio_button_new_with_mnemonic_from_widget (GTK_RADIO_BUTTON (d->new_layer),
                                                               _("Re_place the layer"));
  gtk_widget_set_tooltip_text (d->replace, _("The image is scaled and the layer itself "
                                             "becomes the super-resolved one."));
  gtk_widget_set_name (d->new_layer, "sr-output-new-layer");
  gtk_widget_set_name (d->new_image, "sr-output-new-image");
  gtk_widget_set_name (d->replace, "sr-output-replace");
  gtk_box_pack_start (GTK_BOX (output_box), d->new_layer, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (output_box), d->new_image, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (output_box), d->replace, FALSE, FALSE, 0);
  /* One handler for the group: each radio reports both its leaving and
   * its arriving; the state is read from all of them. */
  g_signal_connect (d->new_image, "toggled", G_CALLBACK (on_output_toggled), d);
  g_signal_connect (d->replace, "toggled", G_CALLBACK (on_output_toggled), d);

  d->selection_only = gtk_check_button_new_with_mnemonic (_("Only the selection's "
                                                            "_bounding box"));
  gtk_widget_set_name (d->selection_only, "sr-selection-only");
  gtk_widget_set_sensitive (d->selection_only, d->layer->has_selection);
  if (!d->layer->has_selection)
    gtk_widget_set_tooltip_text (d->selection_only, _("The image has no selection."));
  g_signal_connect (d->selection_only, "toggled", G_CALLBACK (on_selection_only_toggled), d);
  gtk_box_pack_start (GTK_BOX (output_box), d->selection_only, FALSE, FALSE, 0);
  label = left_label (_("Output:"));
  sr_label_set_align (label, 0.0, 0.0);
  sr_grid_attach (grid, label, 0, 5, 1, FALSE);
  sr_grid_attach (grid, output_box, 1, 5, 1, FALSE);

  d->tta = gtk_check_button_new_with_mnemonic (_("_Test-time augmentation (8 flips/rotations "
                                                 "averaged: slightly cleaner, 8× the time)"));
  gtk_widget_set_name (d->tta, "sr-tta");
  /* Long in some languages: wrap rather than widen the dialog. */
  sr_label_set_wrap_width (gtk_bin_get_child (GTK_BIN (d->tta)), 48, 380);
  g_signal_connect (d->tta, "toggled", G_CALLBACK (on_tta_toggled), d);
  gtk_box_pack_start (GTK_BOX (vbox), d->tta, FALSE, FALSE, 0);

  gtk_box_pack_start (GTK_BOX (vbox), build_advanced (d), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (vbox), sr_separator_new (), FALSE, FALSE, 0);

  d->size_label = wrapping_label ();
  gtk_widget_set_name (d->size_label, "sr-result-size");
  gtk_box_pack_start (GTK_BOX (vbox), d->size_label, FALSE, FALSE, 0);
  d->time_label = wrapping_label ();
  gtk_widget_set_name (d->time_label, "sr-time-estimate");
  gtk_box_pack_start (GTK_BOX (vbox), d->time_label, FALSE, FALSE, 0);

  d->message_box = sr_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  icon = gtk_image_new_from_icon_name (GIMP_ICON_DIALOG_WARNING, GTK_ICON_SIZE_BUTTON);
  gtk_box_pack_start (GTK_BOX (d->message_box), icon, FALSE, FALSE, 0);
  d->message_label = wrapping_label ();
  gtk_widget_set_name (d->message_label, "sr-problem");
  gtk_box_pack_start (GTK_BOX (d->message_box), d->message_label, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (vbox), d->message_box, FALSE, FALSE, 0);

  return vbox;
}

/* Names GimpDialog's Help button for the tests.  GIMP 2.10 packs it among
 * the response buttons without a response id: it is the button there that
 * has none. */
static void
name_help_button (GtkWidget *dialog)
{
  GtkWidget *help = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_HELP);

  if (!help)
    {
      GtkWidget *ok = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_OK);
      GList     *buttons = gtk_container_get_children (GTK_CONTAINER (gtk_widget_get_parent (ok)));

      for (GList *b = buttons; b && !help; b = b->next)
        if (GTK_IS_BUTTON (b->data) &&
            gtk_dialog_get_response_for_widget (GTK_DIALOG (dialog), b->data) == GTK_RESPONSE_NONE)
          help = b->data;
      g_list_free (buttons);
    }
  if (help)
    gtk_widget_set_name (help, "sr-help");
}

static void
build (Dialog *d)
{
  GtkWidget *hbox;

  d->dialog = gimp_dialog_new (_("Super-Resolution"), SR_PLUGIN_ROLE,
                               NULL, 0,
                               sr_help_show, SR_PLUGIN_PROC,
                               _("_Reset"), RESPONSE_RESET,
                               _("_Cancel"), GTK_RESPONSE_CANCEL,
                               _("_OK"), GTK_RESPONSE_OK,
                               NULL);
#if GTK_CHECK_VERSION (3, 0, 0)
  gimp_dialog_set_alternative_button_order (GTK_DIALOG (d->dialog),
                                            RESPONSE_RESET, GTK_RESPONSE_OK,
                                            GTK_RESPONSE_CANCEL, -1);
#else
  gtk_dialog_set_alternative_button_order (GTK_DIALOG (d->dialog),
                                           RESPONSE_RESET, GTK_RESPONSE_OK,
                                           GTK_RESPONSE_CANCEL, -1);
#endif
  gimp_window_set_transient (GTK_WINDOW (d->dialog));
  /* Named for tests, which find them in the state (sr-dialog-state.h). */
  gtk_widget_set_name (gtk_dialog_get_widget_for_response (GTK_DIALOG (d->dialog),
                                                           GTK_RESPONSE_OK), "sr-ok");
  gtk_widget_set_name (gtk_dialog_get_widget_for_response (GTK_DIALOG (d->dialog),
                                                           GTK_RESPONSE_CANCEL), "sr-cancel");
  name_help_button (d->dialog);

  hbox = sr_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_container_set_border_width (GTK_CONTAINER (hbox), 12);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (d->dialog))),
                      hbox, TRUE, TRUE, 0);

  d->preview = sr_preview_new (&d->source.base, on_preview_timing, d);
  gtk_box_pack_start (GTK_BOX (hbox), sr_preview_get_widget (d->preview), TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (hbox), build_controls (d), FALSE, FALSE, 0);
  gtk_widget_show_all (hbox);
  sr_dialog_state_watch (d->dialog, add_test_state, d);
}

gboolean
sr_dialog_run_for_layer (const SrDialogLayer *layer, SrPluginParams *params)
{
  Dialog          d = { 0 };
  SrPluginParams  edited = *params;
  gint            response;

  d.params = &edited;
  d.layer = layer;
  sr_time_estimate_init (&d.estimate);

  d.model_dirs = sr_plugin_model_dirs ();
  d.store = sr_model_store_new ((const char *const *) d.model_dirs);

  sr_gegl_source_init (&d.source, layer->buffer, layer->has_alpha, layer->is_grey);
  if (layer->has_selection)
    sr_box_source_init (&d.selection_box, &d.source.base, layer->selection_x,
                        layer->selection_y, layer->selection_width, layer->selection_height);

  build (&d);
  set_widgets (&d);
  gtk_widget_show (d.dialog);

  /* Help is GimpDialog's to answer (sr_help_show); should its response
   * still come through, the dialog stays open. */
  while ((response = gimp_dialog_run (GIMP_DIALOG (d.dialog))) == RESPONSE_RESET ||
         response == GTK_RESPONSE_HELP)
    {
      if (response == GTK_RESPONSE_HELP)
        continue;
      sr_plugin_params_set_defaults (d.params);
      set_widgets (&d);
    }

  /* The preview's thread must stop before the widgets and buffer go. */
  sr_preview_free (d.preview);
  gtk_widget_destroy (d.dialog);
  sr_target_size_free (d.target);
  sr_gegl_source_clear (&d.source);
  g_object_unref (d.store);
  g_strfreev (d.model_dirs);
  sr_model_free (d.plan_model);
  g_free (d.plan_model_path);

  if (response == GTK_RESPONSE_OK)
    *params = edited;
  return response == GTK_RESPONSE_OK;
}
