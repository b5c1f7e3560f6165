/* The procedure dialog; see sr3-dialog.h. */
#include "sr-plugin-config.h"

#include <libgimp/gimpui.h>

#include "sr3-dialog.h"
#include "sr-plugin-i18n.h"
#include "sr-plugin-params.h"

gboolean
sr3_dialog_run (GimpProcedure *procedure, GimpProcedureConfig *config)
{
  GtkWidget    *dialog;
  GtkListStore *outputs;
  gboolean      ok;

  gimp_ui_init (SR_PLUGIN_BINARY);
  dialog = gimp_procedure_dialog_new (procedure, config, _("Super-Resolution"));

  /* The output is an int in the PDB (as in 2.10); shown as two choices. */
  outputs = gimp_int_store_new (_("New layer (scale the image)"), SR_OUTPUT_NEW_LAYER,
                                _("New image"), SR_OUTPUT_NEW_IMAGE,
                                NULL);
  gimp_procedure_dialog_get_int_radio (GIMP_PROCEDURE_DIALOG (dialog), "output",
                                       GIMP_INT_STORE (outputs));

  /* Everything else as GIMP builds it from the arguments, in their order. */
  gimp_procedure_dialog_fill (GIMP_PROCEDURE_DIALOG (dialog), NULL);
  ok = gimp_procedure_dialog_run (GIMP_PROCEDURE_DIALOG (dialog));
  gtk_widget_destroy (dialog);
  return ok;
}
