/* Finding models: shipped ones by id, users' own files by path or folder. */
#include "sr.h"

#include <string.h>

#ifndef SR_MODELS_DIR
#define SR_MODELS_DIR "/usr/local/share/gimp-sr/models"
#endif

#define MODEL_SUFFIX ".srm"

void
sr_model_info_free (SrModelInfo *info)
{
  if (!info)
    return;
  g_free (info->id);
  g_free (info->path);
  g_free (info->name);
  g_free (info->description);
  g_free (info->architecture);
  g_free (info);
}

/* $SR_MODEL_PATH, then the caller's folders, then the installed folder. */
static GPtrArray *
search_path (const char *const *extra_dirs)
{
  GPtrArray *dirs = g_ptr_array_new_with_free_func (g_free);
  const char *env = g_getenv ("SR_MODEL_PATH");

  if (env && *env)
    {
      char **parts = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);
      for (char **p = parts; *p; p++)
        if (**p)
          g_ptr_array_add (dirs, g_strdup (*p));
      g_strfreev (parts);
    }
  for (const char *const *d = extra_dirs; d && *d; d++)
    g_ptr_array_add (dirs, g_strdup (*d));
  g_ptr_array_add (dirs, g_strdup (SR_MODELS_DIR));
  return dirs;
}

static int
compare_ids (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 ((*(SrModelInfo *const *) a)->id, (*(SrModelInfo *const *) b)->id);
}

GPtrArray *
sr_catalog_scan (const char *const *extra_dirs)
{
  GPtrArray *dirs = search_path (extra_dirs);
  GPtrArray *models = g_ptr_array_new_with_free_func ((GDestroyNotify) sr_model_info_free);
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < dirs->len; i++)
    {
      GDir *dir = g_dir_open (dirs->pdata[i], 0, NULL);
      const char *entry;
      if (!dir)
        continue;
      while ((entry = g_dir_read_name (dir)))
        {
          char *id, *path;
          GError *error = NULL;
          SrModelInfo *info;
          if (!g_str_has_suffix (entry, MODEL_SUFFIX))
            continue;
          id = g_strndup (entry, strlen (entry) - strlen (MODEL_SUFFIX));
          if (g_hash_table_contains (seen, id))
            {
              g_free (id);
              continue;
            }
          path = g_build_filename (dirs->pdata[i], entry, NULL);
          info = sr_model_probe (path, &error);
          if (info)
            {
              g_ptr_array_add (models, info);
              g_hash_table_add (seen, id);
            }
          else
            {
              g_warning ("skipping model: %s", error->message);
              g_error_free (error);
              g_free (id);
            }
          g_free (path);
        }
      g_dir_close (dir);
    }
  g_ptr_array_sort (models, compare_ids);
  g_hash_table_unref (seen);
  g_ptr_array_unref (dirs);
  return models;
}

char *
sr_catalog_resolve (const char *id_or_path, const char *const *extra_dirs, GError **error)
{
  GPtrArray *dirs;
  GString *tried;
  char *found = NULL;

  if (!id_or_path || !*id_or_path)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "no model given");
      return NULL;
    }
  /* Anything that looks like a path is taken as one. */
  if (strchr (id_or_path, G_DIR_SEPARATOR) || g_str_has_suffix (id_or_path, MODEL_SUFFIX))
    {
      if (g_file_test (id_or_path, G_FILE_TEST_IS_REGULAR))
        return g_strdup (id_or_path);
      /* A folder (or a device) there is a wrong path, not a missing file. */
      if (g_file_test (id_or_path, G_FILE_TEST_EXISTS))
        g_set_error (error, SR_ERROR, SR_ERROR_IO, "%s is %s, so not a model file (.srm)", id_or_path,
                     g_file_test (id_or_path, G_FILE_TEST_IS_DIR) ? "a folder" : "no regular file");
      else
        g_set_error (error, SR_ERROR, SR_ERROR_IO, "model file %s does not exist", id_or_path);
      return NULL;
    }

  dirs = search_path (extra_dirs);
  tried = g_string_new (NULL);
  for (guint i = 0; !found && i < dirs->len; i++)
    {
      char *file = g_strconcat (id_or_path, MODEL_SUFFIX, NULL);
      char *path = g_build_filename (dirs->pdata[i], file, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        found = g_steal_pointer (&path);
      g_string_append_printf (tried, "%s%s", i ? ", " : "", (char *) dirs->pdata[i]);
      g_free (path);
      g_free (file);
    }
  if (!found)
    g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "unknown model \"%s\" (searched %s)",
                 id_or_path, tried->str);
  g_string_free (tried, TRUE);
  g_ptr_array_unref (dirs);
  return found;
}

/* The Set5 score recorded in a shipped model, -1 if it isn't installed
 * (or its header is broken).  Only the header is read. */
static double
installed_score (const char *id, const char *const *extra_dirs)
{
  char *path = sr_catalog_resolve (id, extra_dirs, NULL);
  SrModelInfo *info = path ? sr_model_probe (path, NULL) : NULL;
  double score = info ? info->set5_psnr : -1;

  sr_model_info_free (info);
  g_free (path);
  return score;
}

const char *
sr_catalog_default_id (int scale)
{
  return sr_catalog_default_id_in (scale, NULL);
}

const char *
sr_catalog_default_id_in (int scale, const char *const *extra_dirs)
{
  /* The installed model of this scale with the best Set5 score its
   * training recorded (on a tie or without scores, the quality family
   * first); if none, the same at larger scales (their output is resampled
   * down to the target, which beats any interpolation). */
  static const char *const ids[][2] = {
    { "imdn-x2", "ecbsr-x2" }, { "imdn-x3", "ecbsr-x3" }, { "imdn-x4", "ecbsr-x4" },
  };

  if (scale < 2 || scale > 4)
    return NULL;
  for (int s = scale; s <= 4; s++)
    {
      double quality = installed_score (ids[s - 2][0], extra_dirs);
      double fast = installed_score (ids[s - 2][1], extra_dirs);
      if (quality >= 0 || fast >= 0)
        return ids[s - 2][fast > quality ? 1 : 0];
    }
  return ids[scale - 2][0];
}

const char *
sr_catalog_photo_id_in (int scale, const char *const *extra_dirs)
{
  /* Only the exact scale: a ×4 photo model shrunk to ×3 would be slower
   * and no better than the clean ×3 model on what it was trained for, and
   * the clean default already handles the other scales (issue #20). */
  static const char *const ids[] = { "imdn-photo-x2", NULL, "imdn-photo-x4" };

  if (scale < 2 || scale > 4 || !ids[scale - 2])
    return NULL;
  return installed_score (ids[scale - 2], extra_dirs) >= 0 ? ids[scale - 2] : NULL;
}
