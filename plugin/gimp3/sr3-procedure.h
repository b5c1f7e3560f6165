/* The GIMP 3 procedure's arguments: declaring them and reading them back.
 *
 * Same names, ranges, defaults and meanings as the GIMP 2.10 PDB signature
 * (plugin/sr-plugin-args.c); the defaults come from
 * sr_plugin_params_set_defaults().  GIMP rejects values outside the
 * declared ranges itself; what a range cannot say (tile size 0 or 16..8192)
 * is left to sr_plugin_params_validate(). */
#ifndef SR3_PROCEDURE_H
#define SR3_PROCEDURE_H

#include <libgimp/gimp.h>

#include "sr-plugin-params.h"

G_BEGIN_DECLS

void     sr3_procedure_add_arguments (GimpProcedure *procedure);

/* Copies the config's arguments into @params (not validated yet). */
gboolean sr3_procedure_read_config   (GimpProcedureConfig *config, SrPluginParams *params,
                                      GError **error);

G_END_DECLS

#endif /* SR3_PROCEDURE_H */
