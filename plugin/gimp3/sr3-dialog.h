/* The GIMP 3 plug-in's dialog: GIMP's own procedure dialog over the
 * procedure's arguments (the GTK 2 dialog with preview in ui/ is GIMP 2.10
 * only so far). */
#ifndef SR3_DIALOG_H
#define SR3_DIALOG_H

#include <libgimp/gimp.h>

G_BEGIN_DECLS

/* TRUE when the user pressed OK; @config then holds the choices. */
gboolean sr3_dialog_run (GimpProcedure *procedure, GimpProcedureConfig *config);

G_END_DECLS

#endif /* SR3_DIALOG_H */
