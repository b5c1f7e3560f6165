/* Folders the plug-in reads: models (added to the core's search path) and
 * translations.  Besides the system-wide ones it looks next to its own
 * binary, so a per-user install (tools/install-user.sh: the binary with
 * models/ and locale/ beside it in the GIMP profile) is complete.  Shared
 * by the GIMP 2.10 and GIMP 3 front ends. */
#ifndef SR_PLUGIN_PATHS_H
#define SR_PLUGIN_PATHS_H

#include <glib.h>

G_BEGIN_DECLS

/* The user's own model folder, <GIMP profile>/super-resolution/models. */
char  *sr_plugin_user_model_dir (void);

/* NULL-terminated: the folder(s) of the running plug-in binary -- as GIMP
 * started it, then with symlinks resolved when that differs. */
char **sr_plugin_exe_dirs       (void);

/* NULL-terminated, for sr_catalog_scan() and sr_catalog_resolve(): the
 * user's folder, then <binary folder>/models (searched after $SR_MODEL_PATH,
 * before the system-wide shipped models). */
char **sr_plugin_model_dirs     (void);

/* Where the gettext catalogs are: <binary folder>/locale when there is one,
 * else the configured LOCALEDIR.  For bindtextdomain() and, in GIMP 2.10,
 * gimp_plugin_domain_register(). */
char  *sr_plugin_locale_dir     (void);

G_END_DECLS

#endif /* SR_PLUGIN_PATHS_H */
