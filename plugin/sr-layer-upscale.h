/* Upscaling one layer: colour through the network, alpha cubic.
 *
 * Wraps sr_upscale_to() (any size from 1x to 8x the layer: the model runs
 * at its own scale and the core resamples its output, or a same-size model
 * runs on the layer resized) with what a layer needs on top of an RGB image:
 *   - transparent pixels get their colour from visible neighbours first
 *     (sr-transparent-fill.h), so edges get no dark fringe;
 *   - alpha is resampled with the core's cubic (resample.h) to the same
 *     size, separately from colour (the networks were trained on RGB
 *     only); opaque stays exactly opaque;
 *   - grey layers go through as R = G = B and come back as the mean of the
 *     three output channels.
 * No GIMP, no GEGL: the front ends (both GIMPs and the CLI) supply a
 * source and a sink. */
#ifndef SR_LAYER_UPSCALE_H
#define SR_LAYER_UPSCALE_H

#include "sr.h"
#include "sr-rgba-io.h"

G_BEGIN_DECLS

typedef struct
{
  const SrModel      *model;
  const SrModel      *chain_model; /* may be NULL; a x2 model run over @model's
                                    * output above its scale (sr_upscale_chain,
                                    * the CLI's --chain) */
  const SrRgbaSource *source;
  const SrRgbaSink   *sink;
  int                 target_width, target_height;  /* the result; 0 = the model's scale */
  int                 threads;     /* 0 = all cores */
  int                 tile_size;   /* 0 = automatic */
  gboolean            tta;         /* average the 8 flips/rotations (8x the time) */
  SrProgressFunc      progress;    /* may be NULL; on the calling thread */
  SrCancelFunc        cancel;      /* may be NULL */
  gpointer            callback_data;
} SrLayerUpscale;

/* Runs synchronously: the source and sink are called on the calling thread
 * only (the fill and the alpha's cubic run on the core's workers).  On
 * failure the sink may have received part of the result; @error says why
 * (SR_ERROR_CANCELLED when the cancel hook stopped it). */
gboolean sr_layer_upscale (const SrLayerUpscale *request, GError **error);

G_END_DECLS

#endif /* SR_LAYER_UPSCALE_H */
