/* Turning the model and scale parameters into a loaded model; see header. */
#include "sr-plugin-config.h"

#include <math.h>
#include <string.h>

#include "sr-model-choice.h"
#include "sr-plugin-i18n.h"
#include "sr-plugin-params.h"

char *
sr_model_id_from_path (const char *path)
{
  char *base = g_path_get_basename (path);

  if (g_str_has_suffix (base, ".srm"))
    base[strlen (base) - 4] = '\0';
  return base;
}

/* Resolves and loads one model; errors say which step failed. */
static gboolean
load (SrModelChoice *choice, const char *id_or_path, const char *const *extra_dirs,
      GError **error)
{
  GError *local = NULL;

  choice->path = sr_catalog_resolve (id_or_path, extra_dirs, &local);
  if (!choice->path)
    {
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_BAD_ARGUMENT,
                   _("Could not find the model: %s"), local->message);
      g_error_free (local);
      return FALSE;
    }
  choice->model = sr_model_load (choice->path, &local);
  if (!choice->model)
    {
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_FAILED,
                   _("Could not load the model: %s"), local->message);
      g_error_free (local);
      g_clear_pointer (&choice->path, g_free);
      return FALSE;
    }
  choice->id = sr_model_id_from_path (choice->path);
  choice->scale = sr_model_get_scale (choice->model);
  return TRUE;
}

int
sr_model_choice_default_scale (double scale)
{
  /* A spin button's 3.0000000001 is still 3. */
  return CLAMP ((int) ceil (scale - 1e-6), 2, 4);
}

const char *
sr_model_choice_default_id (double scale, gboolean from_jpeg, const char *const *extra_dirs)
{
  int         model_scale = sr_model_choice_default_scale (scale);
  const char *photo = from_jpeg ? sr_catalog_photo_id_in (model_scale, extra_dirs) : NULL;

  return photo ? photo : sr_catalog_default_id_in (model_scale, extra_dirs);
}

/* The best installed shipped model for @scale (and the image's origin). */
static gboolean
load_default (SrModelChoice *choice, double scale, gboolean from_jpeg,
              const char *const *extra_dirs, GError **error)
{
  int         model_scale = sr_model_choice_default_scale (scale);
  const char *id = sr_model_choice_default_id (scale, from_jpeg, extra_dirs);
  GError     *local = NULL;

  if (id && load (choice, id, extra_dirs, &local))
    return TRUE;
  /* TRANSLATORS: ×%1$g is the scale asked for, ×%2$d the model scale
   * used for it, %3$s says what went wrong */
  g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_UNSUPPORTED,
               _("Scale ×%g without a model name needs the shipped ×%d model, "
                 "which cannot be used (%s). Install it, or name a model."),
               scale, model_scale, local ? local->message : "");
  g_clear_error (&local);
  return FALSE;
}

gboolean
sr_model_choice_resolve (SrModelChoice *choice, const char *model, double scale,
                         gboolean from_jpeg, const char *const *extra_dirs, GError **error)
{
  memset (choice, 0, sizeof *choice);

  if (!model || !*model)
    return load_default (choice, scale, from_jpeg, extra_dirs, error);
  return load (choice, model, extra_dirs, error);
}

void
sr_model_choice_clear (SrModelChoice *choice)
{
  g_clear_pointer (&choice->model, sr_model_free);
  g_clear_pointer (&choice->path, g_free);
  g_clear_pointer (&choice->id, g_free);
  choice->scale = 0;
}
