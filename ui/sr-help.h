/* The dialog's Help button (and F1): opens our own page, docs/help/
 * index.html, installed with the plug-in, in the user's browser.  GIMP's
 * help system knows nothing about a third-party procedure, so GIMP's own
 * help function would only say that the page is missing. */
#ifndef SR_HELP_H
#define SR_HELP_H

#include <glib.h>

G_BEGIN_DECLS

/* The page: <plug-in folder>/help/index.html (a profile install, as
 * tools/install-user.sh makes it), else <datadir>/gimp-sr/help/index.html
 * (a system install); NULL when neither is there. */
char *sr_help_find_page (void);

/* A GimpHelpFunc: opens the page, or says where it was looked for. */
void  sr_help_show      (const char *help_id, gpointer help_data);

G_END_DECLS

#endif /* SR_HELP_H */
