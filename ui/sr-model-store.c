/* Model list for the dialog; see sr-model-store.h. */
#include "sr-plugin-config.h"

#include "sr.h"
#include "sr-model-choice.h"
#include "sr-model-store.h"
#include "sr-model-text.h"
#include "sr-plugin-i18n.h"

static void
append (GtkListStore *store, GtkTreeIter *iter, const char *key, const char *path,
        const char *name, const char *description, const char *architecture,
        int scale, gsize n_params, double macs)
{
  char          *details = sr_model_summary (architecture, scale, n_params, macs);
  char          *id = sr_model_id_from_path (path);
  SrModelPurpose purpose = sr_model_purpose (description);
  char          *label, *summary, *about;

  /* Shipped models by what they are for, with their scale ("Best quality
   * ×4"); other files by their own name.  The id (what scripts pass as
   * "model") and the technical details go on the line below. */
  if (purpose != SR_MODEL_PURPOSE_NONE)
    /* TRANSLATORS: a model's purpose and scale, e.g. "Best quality ×4" */
    label = g_strdup_printf (_("%s ×%d"), sr_model_purpose_label (purpose), scale);
  else
    label = g_strdup_printf ("%s (%s)", name && *name ? name : id, id);
  summary = g_strdup_printf ("%s · %s", id, details);
  about = purpose != SR_MODEL_PURPOSE_NONE ? g_strdup (sr_model_purpose_hint (purpose))
                                           : g_strdup (description ? description : "");

  gtk_list_store_append (store, iter);
  gtk_list_store_set (store, iter,
                      SR_MODEL_COL_LABEL, label,
                      SR_MODEL_COL_KEY, key,
                      SR_MODEL_COL_PATH, path,
                      SR_MODEL_COL_SCALE, scale,
                      SR_MODEL_COL_SUMMARY, summary,
                      SR_MODEL_COL_DESCRIPTION, about,
                      SR_MODEL_COL_MACS, macs,
                      SR_MODEL_COL_TOOLTIP, description ? description : "",
                      -1);
  g_free (label);
  g_free (summary);
  g_free (about);
  g_free (id);
  g_free (details);
}

/* Best quality first, then fast, then photos, then anything else; by scale
 * within each. */
static int
purpose_rank (const SrModelInfo *info)
{
  switch (sr_model_purpose (info->description))
    {
    case SR_MODEL_PURPOSE_QUALITY: return 0;
    case SR_MODEL_PURPOSE_FAST:    return 1;
    case SR_MODEL_PURPOSE_PHOTO:   return 2;
    default:                       return 3;
    }
}

static int
compare_models (gconstpointer a, gconstpointer b)
{
  const SrModelInfo *x = *(SrModelInfo *const *) a, *y = *(SrModelInfo *const *) b;
  int                rank = purpose_rank (x) - purpose_rank (y);

  if (rank)
    return rank;
  if (x->scale != y->scale)
    return x->scale - y->scale;
  return g_strcmp0 (x->id, y->id);
}

GtkListStore *
sr_model_store_new (const char *const *extra_dirs)
{
  GtkListStore *store = gtk_list_store_new (SR_MODEL_N_COLS,
                                            G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                            G_TYPE_INT, G_TYPE_STRING, G_TYPE_STRING,
                                            G_TYPE_DOUBLE, G_TYPE_STRING);
  GPtrArray    *models = sr_catalog_scan (extra_dirs);

  g_ptr_array_sort (models, compare_models);

  for (guint i = 0; i < models->len; i++)
    {
      const SrModelInfo *info = models->pdata[i];
      GtkTreeIter        iter;

      append (store, &iter, info->id, info->path, info->name, info->description,
              info->architecture, info->scale, info->n_params, info->macs_per_pixel);
    }
  g_ptr_array_unref (models);
  return store;
}

gboolean
sr_model_store_add_file (GtkListStore *store, const char *path, GtkTreeIter *iter,
                         GError **error)
{
  SrModel *model;

  if (sr_model_store_find (store, path, iter))
    return TRUE;
  model = sr_model_load (path, error);
  if (!model)
    return FALSE;
  append (store, iter, path, path,
          sr_model_get_meta_string (model, "name"),
          sr_model_get_meta_string (model, "description"),
          sr_model_get_architecture (model),
          sr_model_get_scale (model),
          sr_model_get_n_params (model),
          sr_model_get_macs_per_pixel (model));
  sr_model_free (model);
  return TRUE;
}

gboolean
sr_model_store_find (GtkListStore *store, const char *key_or_path, GtkTreeIter *iter)
{
  GtkTreeModel *model = GTK_TREE_MODEL (store);
  gboolean      valid;

  if (!key_or_path || !*key_or_path)
    return FALSE;
  for (valid = gtk_tree_model_get_iter_first (model, iter); valid;
       valid = gtk_tree_model_iter_next (model, iter))
    {
      char    *key, *path;
      gboolean match;

      gtk_tree_model_get (model, iter, SR_MODEL_COL_KEY, &key, SR_MODEL_COL_PATH, &path, -1);
      match = g_strcmp0 (key, key_or_path) == 0 || g_strcmp0 (path, key_or_path) == 0;
      g_free (key);
      g_free (path);
      if (match)
        return TRUE;
    }
  return FALSE;
}

gboolean
sr_model_store_find_for_scale (GtkListStore *store, int scale, GtkTreeIter *iter)
{
  GtkTreeModel *model = GTK_TREE_MODEL (store);
  gboolean      valid;

  if (sr_model_store_find (store, sr_catalog_default_id (scale), iter))
    return TRUE;
  for (valid = gtk_tree_model_get_iter_first (model, iter); valid;
       valid = gtk_tree_model_iter_next (model, iter))
    {
      int s;

      gtk_tree_model_get (model, iter, SR_MODEL_COL_SCALE, &s, -1);
      if (s == scale)
        return TRUE;
    }
  return FALSE;
}
