/* A test hook: when $SR_DIALOG_STATE names a file, the dialog writes there,
 * five times a second, every widget whose name starts with "sr-": where it
 * lies in the window and what it shows (label text, spin value, toggle
 * state, combo row), plus the preview's state.  The GIMP tests find widgets
 * by name in it, click them where they are, and wait for a state instead of
 * sleeping.  Unset (as for users), nothing runs. */
#ifndef SR_DIALOG_STATE_H
#define SR_DIALOG_STATE_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef void (*SrDialogStateExtra) (GKeyFile *state, gpointer user_data);

/* Starts writing for @window if $SR_DIALOG_STATE is set; @extra adds keys
 * of the dialog's own (group "dialog").  Stops when @window is destroyed. */
void sr_dialog_state_watch (GtkWidget *window, SrDialogStateExtra extra, gpointer user_data);

G_END_DECLS

#endif /* SR_DIALOG_STATE_H */
