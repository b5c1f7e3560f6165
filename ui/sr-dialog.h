/* The interactive dialog of plug-in-super-resolution (GTK 2, GimpDialog). */
#ifndef SR_DIALOG_H
#define SR_DIALOG_H

#include <glib.h>

#include "sr-plugin-params.h"

G_BEGIN_DECLS

/* Shows the dialog for @drawable of @image, starting from @params.
 * Returns TRUE with @params updated when the user pressed OK (the settings
 * are then valid as far as the dialog can tell), FALSE on Cancel. */
gboolean sr_dialog_run (gint32 image, gint32 drawable, SrPluginParams *params);

G_END_DECLS

#endif /* SR_DIALOG_H */
