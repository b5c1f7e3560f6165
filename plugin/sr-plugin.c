/* plug-in-super-resolution: GIMP 2.10 entry points.
 *
 * query() registers the procedure; run() gathers the parameters for the run
 * mode, checks everything that can be checked up front, runs the network
 * into a buffer of its own, and only then changes the image.  The steps
 * live in their own files:
 *   sr-plugin-args      PDB signature, argument reading
 *   sr-plugin-params    defaults, validation (also used by the dialog)
 *   sr-drawable-check   is this image/layer something we can work on?
 *   sr-model-choice     model id/path + scale -> loaded model
 *   sr-drawable-upscale the run itself, with GIMP progress
 *   sr-result-insert    new layer or replaced layer (one undo step) or
 *                       new image
 *   ui/sr-dialog        the interactive dialog and its preview */
#include "sr-plugin-config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <libgimp/gimp.h>

#include "sr-dialog.h"
#include "sr-drawable-check.h"
#include "sr-drawable-upscale.h"
#include "sr-image-origin.h"
#include "sr-model-choice.h"
#include "sr-plugin-args.h"
#include "sr-plugin-i18n.h"
#include "sr-plugin-params.h"
#include "sr-plugin-paths.h"
#include "sr-result-insert.h"

static void query (void);
static void run   (const gchar      *name,
                   gint              nparams,
                   const GimpParam  *param,
                   gint             *nreturn_vals,
                   GimpParam       **return_vals);

const GimpPlugInInfo PLUG_IN_INFO =
{
  NULL,  /* init  */
  NULL,  /* quit  */
  query,
  run,
};

MAIN ()

static void
query (void)
{
  char *locale_dir = sr_plugin_locale_dir ();

  /* GIMP translates the menu label and blurb from this catalog. */
  gimp_plugin_domain_register (GETTEXT_PACKAGE, locale_dir);
  g_free (locale_dir);

  gimp_install_procedure (SR_PLUGIN_PROC,
                          N_("Upscale a layer with a super-resolution network"),
                          "Enlarges the layer by any factor from 1 to 8 with a "
                          "lightweight super-resolution network (IMDN, RFDN, "
                          "ECBSR ...): the network runs at its own scale and its "
                          "result is resampled to the size asked for.  "
                          "Optional test-time augmentation averages the 8 "
                          "flips/rotations.  Output 0 scales the whole image the "
                          "way Image > Scale Image does and adds the result as "
                          "a new layer above the source, in one undo step; "
                          "output 1 opens the result as a new image; output 2 "
                          "scales the image and puts the result into the source "
                          "layer itself, in one undo step.  With selection-only "
                          "and an active selection, only the selection's "
                          "bounding box is upscaled.  Colour goes through the "
                          "network, alpha is scaled bicubically.",
                          "gimp-sr authors",
                          "gimp-sr authors",
                          "2024",
                          N_("_Super-Resolution..."),
                          "RGB*, GRAY*",
                          GIMP_PLUGIN,
                          sr_plugin_n_args, sr_plugin_n_return_values,
                          sr_plugin_args, sr_plugin_return_values);

  gimp_plugin_menu_register (SR_PLUGIN_PROC, "<Image>/Filters/Enhance");
}

static void
quit_now (int signal_number)
{
  /* The shell's convention for "ended by signal N". */
  _exit (128 + signal_number);
}

/* SIGTERM ends the process at once.  libgimp's own handler (installed by
 * gimp_main() before run()) calls exit(), which runs atexit handlers and
 * library destructors while the core's worker threads still run; under
 * load that exit was seen to hang for minutes, with GIMP waiting for the
 * plug-in all that time.  _exit() is async-signal-safe and takes the
 * threads down with the process, so GIMP sees the plug-in end.  Skipping
 * exit()'s clean-up loses nothing: the image changes only after the
 * network has finished, through GIMP, and we hold no files of our own. */
static void
quit_on_sigterm (void)
{
  struct sigaction action;

  memset (&action, 0, sizeof action);
  action.sa_handler = quit_now;
  sigemptyset (&action.sa_mask);
  sigaction (SIGTERM, &action, NULL);
}

static void
init_i18n (void)
{
  /* Next to the binary after a per-user install, else the system's. */
  char *locale_dir = sr_plugin_locale_dir ();

  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  g_free (locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/* Bad arguments are the caller's fault (CALLING_ERROR); everything else
 * happened while running (EXECUTION_ERROR). */
static GimpPDBStatusType
status_for (const GError *error)
{
  if (error->domain == SR_PLUGIN_ERROR && error->code == SR_PLUGIN_ERROR_BAD_ARGUMENT)
    return GIMP_PDB_CALLING_ERROR;
  return GIMP_PDB_EXECUTION_ERROR;
}

/* Parameters for the run mode.  FALSE with no error: the user cancelled. */
static gboolean
get_params (GimpRunMode run_mode, gint nparams, const GimpParam *param,
            gint32 image, gint32 drawable, SrPluginParams *params, GError **error)
{
  sr_plugin_params_set_defaults (params);

  switch (run_mode)
    {
    case GIMP_RUN_INTERACTIVE:
      gimp_get_data (SR_PLUGIN_PROC, params);
      /* Refuse before opening the dialog rather than after. */
      if (!sr_drawable_check (image, drawable, params->output, error))
        return FALSE;
      return sr_dialog_run (image, drawable, params);

    case GIMP_RUN_NONINTERACTIVE:
      return sr_plugin_args_parse (nparams, param, params, error);

    case GIMP_RUN_WITH_LAST_VALS:
      gimp_get_data (SR_PLUGIN_PROC, params);
      /* Stored data from an older build could be unterminated. */
      params->model[sizeof params->model - 1] = '\0';
      return TRUE;

    default:
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_BAD_ARGUMENT,
                   _("Unknown run mode %d."), run_mode);
      return FALSE;
    }
}

/* With SR_PLUGIN_TIMING set, the phases of a run go to stderr (for
 * tests/gimp/measure_overhead.py). */
static void
report_timing (const char *phase, gint64 start)
{
  if (g_getenv ("SR_PLUGIN_TIMING"))
    g_printerr ("sr-plugin-timing %s %.3f\n", phase, (g_get_monotonic_time () - start) / 1e6);
}

/* Everything after the parameters: returns the new layer or -1. */
static gint32
upscale (GimpRunMode run_mode, gint32 image, gint32 drawable,
         const SrPluginParams *params, gint32 *new_image, GError **error)
{
  SrModelChoice choice;
  SrResultSize  size;
  GeglRectangle region;
  GeglBuffer   *result;
  char        **dirs;
  char         *text, *name;
  gint32        layer = -1;
  gint64        start = g_get_monotonic_time (), step;

  if (!sr_plugin_params_validate (params, error) ||
      !sr_drawable_check (image, drawable, params->output, error) ||
      !sr_drawable_region (image, drawable, params->selection_only, &region, error))
    return -1;

  dirs = sr_plugin_model_dirs ();
  /* An empty model name means the default for this image: the photo
   * model where it came from a JPEG. */
  if (!sr_model_choice_resolve (&choice, params->model, params->scale,
                                !params->model[0] && sr_image_is_from_jpeg (image),
                                (const char *const *) dirs, error))
    {
      g_strfreev (dirs);
      return -1;
    }
  g_strfreev (dirs);
  report_timing ("model", start);

  if (!sr_drawable_check_result_size (image, drawable, &region, params->scale,
                                      params->output, &size, error))
    {
      sr_model_choice_clear (&choice);
      return -1;
    }

  /* TRANSLATORS: progress text, %s is the model id */
  text = g_strdup_printf (_("Super-resolution (%s)"), choice.id);
  step = g_get_monotonic_time ();
  result = sr_drawable_upscale (drawable, &region, choice.model, size.width, size.height,
                                params->threads, params->tile_size, params->tta,
                                text, error);
  g_free (text);
  report_timing ("upscale", step);

  if (result)
    {
      step = g_get_monotonic_time ();
      name = sr_result_layer_name (drawable, params->scale);
      if (params->output == SR_OUTPUT_NEW_IMAGE)
        layer = sr_result_open_as_image (image, drawable, result, name, choice.id,
                                         run_mode != GIMP_RUN_NONINTERACTIVE,
                                         new_image, error);
      else
        {
          layer = params->output == SR_OUTPUT_REPLACE
                  ? sr_result_replace_layer (image, drawable, result, &size, choice.id, error)
                  : sr_result_add_layer (image, drawable, result, &size, name, choice.id,
                                         error);
          *new_image = image;
        }
      g_free (name);
      g_object_unref (result);
      report_timing ("insert", step);
    }
  sr_model_choice_clear (&choice);
  report_timing ("total", start);
  return layer;
}

static void
run (const gchar      *name,
     gint              nparams,
     const GimpParam  *param,
     gint             *nreturn_vals,
     GimpParam       **return_vals)
{
  static GimpParam values[3];
  static char     *last_message = NULL;
  GimpRunMode      run_mode = param[0].data.d_int32;
  gint32           image = param[1].data.d_image;
  gint32           drawable = param[2].data.d_drawable;
  gint32           new_layer = -1, new_image = -1;
  SrPluginParams   params;
  GError          *error = NULL;
  gint64           start = g_get_monotonic_time ();

  quit_on_sigterm ();
  init_i18n ();
  gegl_init (NULL, NULL);
  report_timing ("gegl-init", start);

  *return_vals = values;
  *nreturn_vals = 1;
  values[0].type = GIMP_PDB_STATUS;
  values[0].data.d_status = GIMP_PDB_SUCCESS;

  if (!get_params (run_mode, nparams, param, image, drawable, &params, &error))
    {
      if (!error)
        {
          values[0].data.d_status = GIMP_PDB_CANCEL;
          return;
        }
    }
  else
    new_layer = upscale (run_mode, image, drawable, &params, &new_image, &error);

  if (error)
    {
      /* GIMP shows this string (interactive) or hands it to the caller
       * (scripts): the second return value of a failed call. */
      g_free (last_message);
      last_message = g_strdup (error->message);
      values[0].data.d_status = status_for (error);
      values[1].type = GIMP_PDB_STRING;
      values[1].data.d_string = last_message;
      *nreturn_vals = 2;
      g_error_free (error);
      return;
    }

  if (run_mode == GIMP_RUN_INTERACTIVE)
    gimp_set_data (SR_PLUGIN_PROC, &params, sizeof params);
  if (run_mode != GIMP_RUN_NONINTERACTIVE)
    gimp_displays_flush ();

  values[1].type = GIMP_PDB_LAYER;
  values[1].data.d_layer = new_layer;
  values[2].type = GIMP_PDB_IMAGE;
  values[2].data.d_image = new_image;
  *nreturn_vals = 3;
}
