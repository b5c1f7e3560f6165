/* gettext for the plug-in: every user-visible string goes through _() or
 * N_().  Include after sr-plugin-config.h, which defines GETTEXT_PACKAGE. */
#ifndef SR_PLUGIN_I18N_H
#define SR_PLUGIN_I18N_H

#include <glib/gi18n-lib.h>

#endif /* SR_PLUGIN_I18N_H */
