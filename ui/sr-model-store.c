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
  char *summary = sr_model_summary (architecture, scale, n_params, macs);
  char *id = sr_model_id_from_path (path);
  /* Name and id: the id is what scripts pass as "model". */
  char *label = g_strdup_printf ("%s (%s)", name && *name ? name : id, id);

  gtk_list_store_append (store, iter);
  gtk_list_store_set (store, iter,
                      SR_MODEL_COL_LABEL, label,
                      SR_MODEL_COL_KEY, key,
                      SR_MODEL_COL_PATH, path,
                      SR_MODEL_COL_SCALE, scale,
                      SR_MODEL_COL_SUMMARY, summary,
                      SR_MODEL_COL_DESCRIPTION, description ? description : "",
                      SR_MODEL_COL_MACS, macs,
                      -1);
  g_free (label);
  g_free (id);
  g_free (summary);
}

GtkListStore *
sr_model_store_new (const char *const *extra_dirs)
{
  GtkListStore *store = gtk_list_store_new (SR_MODEL_N_COLS,
                                            G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                            G_TYPE_INT, G_TYPE_STRING, G_TYPE_STRING,
                                            G_TYPE_DOUBLE);
  GPtrArray    *models = sr_catalog_scan (extra_dirs);

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
