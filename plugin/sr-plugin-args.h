/* The PDB signature of plug-in-super-resolution and reading its arguments. */
#ifndef SR_PLUGIN_ARGS_H
#define SR_PLUGIN_ARGS_H

#include <libgimp/gimp.h>

#include "sr-plugin-params.h"

G_BEGIN_DECLS

extern const GimpParamDef sr_plugin_args[];
extern const gint         sr_plugin_n_args;
extern const GimpParamDef sr_plugin_return_values[];
extern const gint         sr_plugin_n_return_values;

/* Reads the arguments after run-mode, image and drawable into @params.
 * Checks their number and types, not their ranges (see
 * sr_plugin_params_validate). */
gboolean sr_plugin_args_parse (gint nparams, const GimpParam *param,
                               SrPluginParams *params, GError **error);

G_END_DECLS

#endif /* SR_PLUGIN_ARGS_H */
