/* Before/after preview of the result, in output pixels at 100 %, 200 % or
 * fitted (the whole result reduced or enlarged into the view).
 *
 * A split view: bicubic on the left of a draggable divider, the network's
 * result on the right; drag anywhere else to pan; zoom to fit, 100 % or
 * 200 %.  The network runs on the
 * matching input crop in a background thread (sr-preview-worker.h) and is
 * restarted whenever the model, settings or position change; the dialog
 * never waits for it.  Below it a navigator of the whole layer
 * (sr-navigator.h) picks the spot. */
#ifndef SR_PREVIEW_H
#define SR_PREVIEW_H

#include <gtk/gtk.h>

#include "sr-rgba-io.h"

G_BEGIN_DECLS

typedef struct _SrPreview SrPreview;

/* Told how long a finished preview run took, to calibrate time estimates. */
typedef void (*SrPreviewTimingFunc) (gpointer user_data, double seconds,
                                     int input_pixels, int threads);

/* @source: the layer, read on the main thread only; must outlive the preview. */
SrPreview *sr_preview_new        (const SrRgbaSource *source,
                                  SrPreviewTimingFunc timing, gpointer user_data);
GtkWidget *sr_preview_get_widget (SrPreview *preview);

/* What to preview: the layer upscaled to out_width x out_height (any size
 * from 1x to 8x, as the real run does it) with this model, threads, tile
 * size and TTA; restarts the run if anything changed. */
void       sr_preview_set_model  (SrPreview *preview, const char *model_path,
                                  int out_width, int out_height,
                                  int threads, int tile_size, gboolean tta);
/* Previews @source from now on (e.g. the selection's box: the sizes given
 * to sr_preview_set_model() are then that box's); it must outlive the
 * preview. */
void       sr_preview_set_source (SrPreview *preview, const SrRgbaSource *source);
/* Nothing to compute: shows @reason instead of a result. */
void       sr_preview_set_unavailable (SrPreview *preview, const char *reason);

/* TRUE once a result for the current settings is on screen (for tests). */
gboolean   sr_preview_is_done    (SrPreview *preview);
/* How many results it has shown so far (for tests: a new one after a change). */
int        sr_preview_get_n_results (SrPreview *preview);
/* How many times the idle preview handed the core's threads back (for tests). */
int        sr_preview_get_n_trims (SrPreview *preview);
/* Screen pixels per output pixel shown now (for tests). */
double     sr_preview_get_zoom   (SrPreview *preview);
/* The part of the result in view, in output pixels (for tests). */
void       sr_preview_get_view   (SrPreview *preview, int *x, int *y, int *width, int *height);

void       sr_preview_free       (SrPreview *preview);

G_END_DECLS

#endif /* SR_PREVIEW_H */
