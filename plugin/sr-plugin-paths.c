/* Model folders; see sr-plugin-paths.h. */
#include <libgimp/gimp.h>

#include "sr-plugin-paths.h"

char *
sr_plugin_user_model_dir (void)
{
  return g_build_filename (gimp_directory (), "super-resolution", "models", NULL);
}

char **
sr_plugin_model_dirs (void)
{
  char **dirs = g_new0 (char *, 2);

  dirs[0] = sr_plugin_user_model_dir ();
  return dirs;
}
