/* The local help page; see sr-help.h. */
#include "sr-plugin-config.h"

#include <gio/gio.h>
#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include "sr-help.h"
#include "sr-plugin-i18n.h"
#include "sr-plugin-paths.h"

char *
sr_help_find_page (void)
{
  char **exe_dirs = sr_plugin_exe_dirs ();
  char  *found = NULL;

  for (char **d = exe_dirs; *d && !found; d++)
    {
      char *page = g_build_filename (*d, "help", "index.html", NULL);
      if (g_file_test (page, G_FILE_TEST_IS_REGULAR))
        found = page;
      else
        g_free (page);
    }
  g_strfreev (exe_dirs);
  if (!found)
    {
      char *page = g_build_filename (SR_HELP_DIR, "index.html", NULL);
      if (g_file_test (page, G_FILE_TEST_IS_REGULAR))
        found = page;
      else
        g_free (page);
    }
  return found;
}

/* A message in a window of its own: help is asked for from the dialog,
 * where GIMP's message console may not be visible. */
static void
tell (gpointer parent, const char *text)
{
  GtkWidget *box = gtk_message_dialog_new (GTK_IS_WINDOW (parent) ? GTK_WINDOW (parent) : NULL,
                                           GTK_DIALOG_MODAL, GTK_MESSAGE_INFO,
                                           GTK_BUTTONS_CLOSE, "%s", text);

  gtk_widget_set_name (box, "sr-help-message");
  gtk_dialog_run (GTK_DIALOG (box));
  gtk_widget_destroy (box);
}

void
sr_help_show (const char *help_id, gpointer help_data)
{
  char   *page = sr_help_find_page ();
  char   *uri, *text;
  GError *error = NULL;

  if (!page)
    {
      text = g_strdup_printf (_("The help page is not installed (looked for help/index.html "
                                "beside the plug-in and in %s)."), SR_HELP_DIR);
      tell (help_data, text);
      g_free (text);
      return;
    }
  uri = g_filename_to_uri (page, NULL, NULL);
  if (!uri || !g_app_info_launch_default_for_uri (uri, NULL, &error))
    {
      /* No browser known to the desktop: the path lets the user open it. */
      text = g_strdup_printf (_("Could not open a web browser (%s). The help page is %s"),
                              error ? error->message : "", page);
      tell (help_data, text);
      g_free (text);
      g_clear_error (&error);
    }
  g_free (uri);
  g_free (page);
}
