/* The dialog's state for tests; see sr-dialog-state.h. */
#include "sr-plugin-config.h"

#include "sr-dialog-state.h"

#define PERIOD_MS 200

typedef struct
{
  GtkWidget         *window;
  char              *path;
  SrDialogStateExtra extra;
  gpointer           user_data;
  guint              timer;
} Watch;

static void
describe_value (GKeyFile *state, const char *group, GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    {
      PangoRectangle ink, logical;

      g_key_file_set_string (state, group, "text", gtk_label_get_text (GTK_LABEL (widget)));
      /* The room the text's lines take as laid out, so that a test can see
       * a line running past the label's allocation (clipped on screen). */
      pango_layout_get_pixel_extents (gtk_label_get_layout (GTK_LABEL (widget)), &ink, &logical);
      g_key_file_set_integer (state, group, "text-width", logical.width);
      g_key_file_set_integer (state, group, "text-height", logical.height);
    }
  else if (GTK_IS_SPIN_BUTTON (widget))
    g_key_file_set_double (state, group, "value",
                           gtk_spin_button_get_value (GTK_SPIN_BUTTON (widget)));
  else if (GTK_IS_TOGGLE_BUTTON (widget))
    g_key_file_set_boolean (state, group, "active",
                            gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (widget)));
  else if (GTK_IS_COMBO_BOX (widget))
    g_key_file_set_integer (state, group, "active",
                            gtk_combo_box_get_active (GTK_COMBO_BOX (widget)));
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)))
    g_key_file_set_string (state, group, "label", gtk_button_get_label (GTK_BUTTON (widget)));
}

typedef struct
{
  GKeyFile  *state;
  GtkWidget *window;
} Walk;

static void
describe (GtkWidget *widget, gpointer data)
{
  Walk       *walk = data;
  const char *name = gtk_widget_get_name (widget);

  if (name && g_str_has_prefix (name, "sr-"))
    {
      GtkAllocation room;
      int           x = 0, y = 0;

      gtk_widget_get_allocation (widget, &room);
      gtk_widget_translate_coordinates (widget, walk->window, 0, 0, &x, &y);
      g_key_file_set_integer (walk->state, name, "x", x);
      g_key_file_set_integer (walk->state, name, "y", y);
      g_key_file_set_integer (walk->state, name, "width", room.width);
      g_key_file_set_integer (walk->state, name, "height", room.height);
      g_key_file_set_boolean (walk->state, name, "visible", gtk_widget_get_mapped (widget));
      g_key_file_set_boolean (walk->state, name, "sensitive",
                              gtk_widget_is_sensitive (widget));
      describe_value (walk->state, name, widget);
    }
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), describe, data);
}

static gboolean
write_state (gpointer data)
{
  Watch   *w = data;
  Walk     walk = { g_key_file_new (), w->window };
  char    *text;
  gsize    length;

  /* Wait until the X server has drawn what was sent: a test takes a
   * screenshot as soon as the file says the preview is done. */
  gdk_display_sync (gtk_widget_get_display (w->window));
  describe (w->window, &walk);
  if (w->extra)
    w->extra (walk.state, w->user_data);
  text = g_key_file_to_data (walk.state, &length, NULL);
  /* Written whole (through a temporary file): a reader never sees half. */
  g_file_set_contents (w->path, text, length, NULL);
  g_free (text);
  g_key_file_free (walk.state);
  return G_SOURCE_CONTINUE;
}

static void
stop (GtkWidget *window, gpointer data)
{
  Watch *w = data;

  g_source_remove (w->timer);
  g_free (w->path);
  g_free (w);
}

void
sr_dialog_state_watch (GtkWidget *window, SrDialogStateExtra extra, gpointer user_data)
{
  const char *path = g_getenv ("SR_DIALOG_STATE");
  Watch      *w;

  if (!path || !*path)
    return;
  w = g_new0 (Watch, 1);
  w->window = window;
  w->path = g_strdup (path);
  w->extra = extra;
  w->user_data = user_data;
  /* Below GTK's relayout and redraw (and the preview's result delivery):
   * the file then never describes a dialog the screen does not show yet,
   * which a loaded machine made happen (a screenshot taken after "scale 2.5,
   * preview done" still showed the previous scale). */
  w->timer = g_timeout_add_full (G_PRIORITY_LOW, PERIOD_MS, write_state, w, NULL);
  g_signal_connect (window, "destroy", G_CALLBACK (stop), w);
}
