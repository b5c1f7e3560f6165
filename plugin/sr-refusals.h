/* Refusals that depend on the layer, worded once for both front ends.
 *
 * The GIMP 2.10 and GIMP 3 drawable checks ask GIMP the questions (is it a
 * group, are its pixels locked, does the selection touch it); the answers'
 * consequences and messages live here.  GLib only. */
#ifndef SR_REFUSALS_H
#define SR_REFUSALS_H

#include <glib.h>

#include "sr-plugin-params.h"

G_BEGIN_DECLS

/* Output "replace" writes into the layer's own pixels, which GIMP refuses
 * for a group or a layer whose pixels are locked -- and only after the
 * image has been scaled, so refuse first.  TRUE when @output can go ahead. */
gboolean sr_refusals_check_output (SrOutputMode output, gboolean is_group,
                                   gboolean pixels_locked, GError **error);

/* FALSE with the message for "selection only" with a selection that does
 * not touch the layer. */
gboolean sr_refusals_selection_misses_layer (GError **error);

G_END_DECLS

#endif /* SR_REFUSALS_H */
