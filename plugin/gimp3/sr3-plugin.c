/* plug-in-super-resolution: GIMP 3 entry points.
 *
 * A GimpPlugIn with one image procedure.  run() reads the parameters for
 * the run mode, checks everything that can be checked up front, runs the
 * network for every selected layer into buffers of its own, and only then
 * changes the image, in one undo step.  Everything talks to GIMP from this
 * (the main) thread: libgimp's wire is not thread-safe, and the core calls
 * the pixel and progress callbacks on the thread that called it.
 *   sr3-procedure        arguments (the same as the 2.10 PDB signature)
 *   sr3-dialog           the interactive dialog
 *   sr3-drawable-check   is this image/layer something we can work on?
 *   sr3-drawable-upscale the run itself, with GIMP progress
 *   sr3-result-insert    new or replaced layers (one undo step) or new
 *                        images
 * and from the shared GIMP-free library: parameters and validation
 * (sr-plugin-params), model choice, the pixel pipeline. */
#include "sr-plugin-config.h"

#include <libgimp/gimp.h>

#include "sr3-dialog.h"
#include "sr3-drawable-check.h"
#include "sr3-drawable-upscale.h"
#include "sr3-image-origin.h"
#include "sr3-procedure.h"
#include "sr3-result-insert.h"
#include "sr-model-choice.h"
#include "sr-plugin-i18n.h"
#include "sr-plugin-params.h"
#include "sr-plugin-paths.h"

typedef struct { GimpPlugIn parent_instance; } SrPlugIn;
typedef struct { GimpPlugInClass parent_class; } SrPlugInClass;

#define SR_TYPE_PLUG_IN (sr_plug_in_get_type ())
GType sr_plug_in_get_type (void) G_GNUC_CONST;

G_DEFINE_TYPE (SrPlugIn, sr_plug_in, GIMP_TYPE_PLUG_IN)

GIMP_MAIN (SR_TYPE_PLUG_IN)

/* Our catalogs live beside the plug-in after a per-user install
 * (<exe dir>/locale), else in the system locale folder: bind them ourselves
 * and tell libgimp to keep out (FALSE).  Runs before the procedure is
 * created or run. */
static gboolean
set_i18n (GimpPlugIn *plug_in, const gchar *procedure_name,
          gchar **gettext_domain, gchar **catalog_dir)
{
  char *locale_dir = sr_plugin_locale_dir ();

  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  g_free (locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return FALSE;
}

static GList *
query_procedures (GimpPlugIn *plug_in)
{
  return g_list_append (NULL, g_strdup (SR_PLUGIN_PROC));
}

/* Bad arguments are the caller's fault (CALLING_ERROR); everything else
 * happened while running (EXECUTION_ERROR). */
static GimpValueArray *
failure (GimpProcedure *procedure, GError *error)
{
  GimpPDBStatusType status = error->domain == SR_PLUGIN_ERROR &&
                             error->code == SR_PLUGIN_ERROR_BAD_ARGUMENT
                             ? GIMP_PDB_CALLING_ERROR : GIMP_PDB_EXECUTION_ERROR;

  /* GIMP shows the message (interactive) or hands it to the caller. */
  return gimp_procedure_new_return_values (procedure, status, error);
}

static gint
count_drawables (GimpDrawable **drawables)
{
  gint n = 0;

  while (drawables && drawables[n])
    n++;
  return n;
}

static void
clear_results (SrResult *results, gint n)
{
  for (gint i = 0; i < n; i++)
    {
      g_clear_object (&results[i].buffer);
      g_free (results[i].name);
      g_free (results[i].model_id);
    }
  g_free (results);
}

/* Runs the network for each drawable: fills results[i].buffer, .size and
 * .name.  Nothing in GIMP changes here. */
static gboolean
upscale_all (GimpImage *image, GimpDrawable **drawables, gint n,
             const SrPluginParams *params, const SrModelChoice *choice,
             SrResult *results, GError **error)
{
  for (gint i = 0; i < n; i++)
    {
      SrResult     *r = &results[i];
      GeglRectangle region;
      char         *text;

      r->source = drawables[i];
      if (!sr3_drawable_region (image, r->source, params->selection_only, &region, error) ||
          !sr3_drawable_check_result_size (image, r->source, &region, params->scale,
                                           params->output, &r->size, error))
        return FALSE;
      /* TRANSLATORS: progress text, %s is the model id */
      text = g_strdup_printf (_("Super-resolution (%s)"), choice->id);
      r->buffer = sr3_drawable_upscale (r->source, &region, choice->model,
                                        r->size.width, r->size.height,
                                        params->threads, params->tile_size, params->tta,
                                        text, error);
      g_free (text);
      if (!r->buffer)
        return FALSE;
      r->name = sr3_result_layer_name (r->source, params->scale);
      r->model_id = g_strdup (choice->id);
    }
  return TRUE;
}

static GimpValueArray *
run (GimpProcedure *procedure, GimpRunMode run_mode, GimpImage *image,
     GimpDrawable **drawables, GimpProcedureConfig *config, gpointer run_data)
{
  SrPluginParams  params;
  SrModelChoice   choice;
  SrResult       *results;
  GimpValueArray *values;
  GError         *error = NULL;
  char          **dirs;
  gint            n = count_drawables (drawables);
  gboolean        ok;

  /* libgimp leaves GEGL to the plug-ins that use it (GIMP's own call this
   * at the start of run() too); without it gegl_buffer_new() fails. */
  gegl_init (NULL, NULL);

  if (n == 0)
    {
      g_set_error_literal (&error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_BAD_ARGUMENT,
                           _("No layer is selected."));
      return failure (procedure, error);
    }

  /* The config already holds the last values (interactive, last values)
   * or the caller's arguments; GIMP stores them again after a success. */
  if (!sr3_procedure_read_config (config, &params, &error))
    return failure (procedure, error);
  for (gint i = 0; i < n; i++)
    if (!sr3_drawable_check (image, drawables[i], params.output, &error))
      return failure (procedure, error);

  if (run_mode == GIMP_RUN_INTERACTIVE)
    {
      if (!sr3_dialog_run (config, image, drawables[0]))
        return gimp_procedure_new_return_values (procedure, GIMP_PDB_CANCEL, NULL);
      if (!sr3_procedure_read_config (config, &params, &error))
        return failure (procedure, error);
    }

  if (!sr_plugin_params_validate (&params, &error))
    return failure (procedure, error);
  for (gint i = 0; i < n; i++)
    if (!sr3_drawable_check (image, drawables[i], params.output, &error))
      return failure (procedure, error);

  dirs = sr_plugin_model_dirs ();
  /* An empty model name means the default for this image: the photo
   * model where it came from a JPEG. */
  ok = sr_model_choice_resolve (&choice, params.model, params.scale,
                                !params.model[0] && sr3_image_is_from_jpeg (image),
                                (const char *const *) dirs, &error);
  g_strfreev (dirs);
  if (!ok)
    return failure (procedure, error);

  /* All networks first, then all image changes: a failure or a cancel
   * (GIMP ends the process) before that leaves the image untouched. */
  results = g_new0 (SrResult, n);
  ok = upscale_all (image, drawables, n, &params, &choice, results, &error);
  sr_model_choice_clear (&choice);
  if (ok)
    switch (params.output)
      {
      case SR_OUTPUT_NEW_IMAGE:
        ok = sr3_result_open_as_images (image, results, n,
                                        run_mode != GIMP_RUN_NONINTERACTIVE, &error);
        break;
      case SR_OUTPUT_REPLACE:
        ok = sr3_result_replace_layers (image, results, n, &error);
        break;
      default:
        ok = sr3_result_add_layers (image, results, n, &error);
      }
  if (!ok)
    {
      clear_results (results, n);
      return failure (procedure, error);
    }

  if (run_mode != GIMP_RUN_NONINTERACTIVE)
    gimp_displays_flush ();

  values = gimp_procedure_new_return_values (procedure, GIMP_PDB_SUCCESS, NULL);
  GIMP_VALUES_SET_LAYER (values, 1, results[0].layer);
  GIMP_VALUES_SET_IMAGE (values, 2, results[0].image);
  clear_results (results, n);
  return values;
}

static GimpProcedure *
create_procedure (GimpPlugIn *plug_in, const gchar *name)
{
  GimpProcedure *procedure;

  if (g_strcmp0 (name, SR_PLUGIN_PROC) != 0)
    return NULL;

  procedure = gimp_image_procedure_new (plug_in, name, GIMP_PDB_PROC_TYPE_PLUGIN,
                                        run, NULL, NULL);
  gimp_procedure_set_image_types (procedure, "RGB*, GRAY*");
  /* One or several layers: each gets its own super-resolved copy. */
  gimp_procedure_set_sensitivity_mask (procedure,
                                       GIMP_PROCEDURE_SENSITIVE_DRAWABLE |
                                       GIMP_PROCEDURE_SENSITIVE_DRAWABLES);
  gimp_procedure_set_menu_label (procedure, _("_Super-Resolution..."));
  gimp_procedure_add_menu_path (procedure, "<Image>/Filters/Enhance");
  gimp_procedure_set_documentation (procedure,
    _("Upscale layers with a super-resolution network"),
    "Enlarges each selected layer by any factor from 1 to 8 with a lightweight "
    "super-resolution network (IMDN, RFDN, ECBSR ...): the network runs at its own "
    "scale and its result is resampled to the size asked for.  Optional test-time "
    "augmentation averages the 8 flips/rotations.  Output 0 scales the whole image the "
    "way Image > Scale Image does and adds each result as a new layer above its "
    "source, all in one undo step; output 1 opens each result as a new image; output "
    "2 scales the image and puts each result into its source layer itself, in one "
    "undo step.  With selection-only and an active selection, only the selection's "
    "bounding box is upscaled.  Colour goes through the network, alpha is scaled "
    "bicubically.",
    name);
  gimp_procedure_set_attribution (procedure, "gimp-sr authors", "gimp-sr authors", "2024");
  sr3_procedure_add_arguments (procedure);
  return procedure;
}

static void
sr_plug_in_class_init (SrPlugInClass *klass)
{
  GimpPlugInClass *plug_in_class = GIMP_PLUG_IN_CLASS (klass);

  plug_in_class->query_procedures = query_procedures;
  plug_in_class->create_procedure = create_procedure;
  plug_in_class->set_i18n = set_i18n;
}

static void
sr_plug_in_init (SrPlugIn *plug_in)
{
}
