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

/* The best shipped model for a whole @scale, or an error saying there is none. */
static gboolean
load_default (SrModelChoice *choice, double scale, const char *const *extra_dirs,
              GError **error)
{
  const char *id = sr_scale_is_integer (scale) ? sr_catalog_default_id ((int) round (scale)) : NULL;

  if (!id)
    {
      g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_UNSUPPORTED,
                   _("There is no model for scale ×%g. Only the scale of a model "
                     "is supported so far; choose a model or a whole-number scale "
                     "such as ×2, ×3 or ×4."), scale);
      return FALSE;
    }
  return load (choice, id, extra_dirs, error);
}

gboolean
sr_model_choice_resolve (SrModelChoice *choice, const char *model, double scale,
                         const char *const *extra_dirs, GError **error)
{
  memset (choice, 0, sizeof *choice);

  if (!model || !*model)
    return load_default (choice, scale, extra_dirs, error);

  if (!load (choice, model, extra_dirs, error))
    return FALSE;
  if (fabs (choice->scale - scale) < 1e-6)
    return TRUE;

  /* The model was made for another scale: take the best shipped one for
   * the scale asked for, if there is one. */
  {
    SrModelChoice other;
    GError       *local = NULL;

    if (load_default (&other, scale, extra_dirs, &local))
      {
        sr_model_choice_clear (choice);
        *choice = other;
        return TRUE;
      }
    /* The other model's own error (none shipped, not installed) matters
     * less than what to do instead. */
    g_set_error (error, SR_PLUGIN_ERROR, SR_PLUGIN_ERROR_UNSUPPORTED,
                 _("Model “%s” upscales ×%d; scale ×%g is not supported with it "
                   "yet and no installed model is made for it. Use scale %d."),
                 choice->id, choice->scale, scale, choice->scale);
    g_error_free (local);
    sr_model_choice_clear (choice);
    return FALSE;
  }
}

void
sr_model_choice_clear (SrModelChoice *choice)
{
  g_clear_pointer (&choice->model, sr_model_free);
  g_clear_pointer (&choice->path, g_free);
  g_clear_pointer (&choice->id, g_free);
  choice->scale = 0;
}
