/* Folders the plug-in adds to the core's model search path. */
#ifndef SR_PLUGIN_PATHS_H
#define SR_PLUGIN_PATHS_H

#include <glib.h>

G_BEGIN_DECLS

/* The user's own model folder, <GIMP profile>/super-resolution/models. */
char  *sr_plugin_user_model_dir (void);

/* NULL-terminated, for sr_catalog_scan() and sr_catalog_resolve(): the
 * user's folder (searched after $SR_MODEL_PATH, before the shipped models). */
char **sr_plugin_model_dirs     (void);

G_END_DECLS

#endif /* SR_PLUGIN_PATHS_H */
