/* The GIMP 3 plug-in's dialog: the shared dialog of ui/ (GTK 3 here) over
 * the procedure's config, so that GIMP keeps the last values as for any
 * GimpProcedure. */
#ifndef SR3_DIALOG_H
#define SR3_DIALOG_H

#include <libgimp/gimp.h>

G_BEGIN_DECLS

/* Shows the dialog for @drawable (the first selected layer: the preview
 * and the sizes are about it) of @image, starting from @config.  TRUE when
 * the user pressed OK; @config then holds the choices. */
gboolean sr3_dialog_run (GimpProcedureConfig *config,
                         GimpImage *image, GimpDrawable *drawable);

G_END_DECLS

#endif /* SR3_DIALOG_H */
