/* Model and translation folders; see sr-plugin-paths.h. */
#include "sr-plugin-config.h"

#include <libgimp/gimp.h>

#include "sr-plugin-paths.h"

char *
sr_plugin_user_model_dir (void)
{
  return g_build_filename (gimp_directory (), "super-resolution", "models", NULL);
}

char **
sr_plugin_exe_dirs (void)
{
  GPtrArray  *dirs = g_ptr_array_new ();
  const char *prog = gimp_get_progname ();
  char       *exe = g_file_read_link ("/proc/self/exe", NULL);

  /* GIMP starts a plug-in by its full path: that is where a profile
   * install put models/ and locale/, even if the binary is a symlink. */
  if (prog && g_path_is_absolute (prog))
    g_ptr_array_add (dirs, g_path_get_dirname (prog));
  /* The binary itself, symlinks resolved (Linux), in case argv[0] was
   * relative or pointed at a link to a build folder. */
  if (exe)
    {
      char *dir = g_path_get_dirname (exe);
      if (dirs->len && g_strcmp0 (dir, dirs->pdata[0]) == 0)
        g_free (dir);
      else
        g_ptr_array_add (dirs, dir);
      g_free (exe);
    }
  g_ptr_array_add (dirs, NULL);
  return (char **) g_ptr_array_free (dirs, FALSE);
}

char **
sr_plugin_model_dirs (void)
{
  char     **exe_dirs = sr_plugin_exe_dirs ();
  GPtrArray *dirs = g_ptr_array_new ();

  g_ptr_array_add (dirs, sr_plugin_user_model_dir ());
  for (char **d = exe_dirs; *d; d++)
    g_ptr_array_add (dirs, g_build_filename (*d, "models", NULL));
  g_ptr_array_add (dirs, NULL);
  g_strfreev (exe_dirs);
  return (char **) g_ptr_array_free (dirs, FALSE);
}

char *
sr_plugin_locale_dir (void)
{
  char **exe_dirs = sr_plugin_exe_dirs ();
  char  *found = NULL;

  for (char **d = exe_dirs; *d && !found; d++)
    {
      char *dir = g_build_filename (*d, "locale", NULL);
      if (g_file_test (dir, G_FILE_TEST_IS_DIR))
        found = dir;
      else
        g_free (dir);
    }
  g_strfreev (exe_dirs);
  return found ? found : g_strdup (LOCALEDIR);
}
