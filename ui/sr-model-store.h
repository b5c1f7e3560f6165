/* The dialog's list of models: the core's catalogue plus files the user
 * opened, with what the combo box and the info line show. */
#ifndef SR_MODEL_STORE_H
#define SR_MODEL_STORE_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

enum
{
  SR_MODEL_COL_LABEL,        /* string: shown in the combo box */
  SR_MODEL_COL_KEY,          /* string: goes into the "model" parameter */
  SR_MODEL_COL_PATH,         /* string: the file */
  SR_MODEL_COL_SCALE,        /* int */
  SR_MODEL_COL_SUMMARY,      /* string: id, architecture, size, speed */
  SR_MODEL_COL_DESCRIPTION,  /* string: what it is for, in the user's words
                              * (the model's own description for files
                              * without a known purpose) */
  SR_MODEL_COL_MACS,         /* double: multiply-adds per input pixel */
  SR_MODEL_COL_TOOLTIP,      /* string: the model's own description */
  SR_MODEL_N_COLS
};

/* Every model sr_catalog_scan() finds with @extra_dirs. */
GtkListStore *sr_model_store_new      (const char *const *extra_dirs);

/* Loads @path to check it and adds it (keyed by its path), unless it is
 * there already.  Sets @iter to its row. */
gboolean      sr_model_store_add_file (GtkListStore *store, const char *path,
                                       GtkTreeIter *iter, GError **error);

/* The row whose key or path is @key_or_path. */
gboolean      sr_model_store_find     (GtkListStore *store, const char *key_or_path,
                                       GtkTreeIter *iter);

/* The row to use for @scale: the catalogue's default id if listed, else the
 * first model of that scale. */
gboolean      sr_model_store_find_for_scale (GtkListStore *store, int scale,
                                             GtkTreeIter *iter);

G_END_DECLS

#endif /* SR_MODEL_STORE_H */
