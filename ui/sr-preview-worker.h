/* The preview's background thread: runs the network on a crop while the
 * dialog stays responsive.
 *
 * Rules that keep it safe: the worker never touches libgimp or GTK (the crop
 * arrives as plain floats, see sr-rgba-memory.h); results come back to the
 * main thread through g_idle_add(); every new request or cancel bumps a
 * generation counter that the render in progress polls through the core's cancel
 * hook, and results of an old generation are dropped unseen.  GLib + core
 * only. */
#ifndef SR_PREVIEW_WORKER_H
#define SR_PREVIEW_WORKER_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char     *model_path;
  float    *pixels;          /* width * height R'G'B'A floats, owned */
  int       width, height;
  gboolean  has_alpha, is_grey;
  int       threads, tile_size;
  gboolean  tta;
  /* What the crop becomes: out_width x out_height (1x to 8x the crop, as in
   * sr_upscale_to()), lying at (out_x, out_y) in the layer's result. */
  int       out_x, out_y, out_width, out_height;
} SrPreviewRequest;

typedef struct
{
  float  *pixels;            /* width * height R'G'B'A floats, or NULL on error */
  int     width, height;
  int     x, y;              /* where the result lies, in output pixels */
  int     input_pixels;      /* pixels the network ran on (all 8 views with
                              * TTA), for time estimates */
  int     threads;
  double  seconds;
  char   *error_message;     /* set when it failed */
} SrPreviewResult;

typedef struct _SrPreviewWorker SrPreviewWorker;

/* Called on the main thread with a result for the latest request; the
 * worker frees @result afterwards. */
typedef void (*SrPreviewResultFunc) (const SrPreviewResult *result, gpointer user_data);

SrPreviewWorker *sr_preview_worker_new      (SrPreviewResultFunc func, gpointer user_data);
/* Takes @request; stops whatever runs now. */
void             sr_preview_worker_submit   (SrPreviewWorker *worker, SrPreviewRequest *request);
/* Stops the render in progress and drops its result. */
void             sr_preview_worker_cancel   (SrPreviewWorker *worker);
/* 0..1 of the render in progress; negative when idle. */
double           sr_preview_worker_progress (SrPreviewWorker *worker);
/* Stops, waits for the thread, drops undelivered results. */
void             sr_preview_worker_free     (SrPreviewWorker *worker);

void             sr_preview_request_free    (SrPreviewRequest *request);

G_END_DECLS

#endif /* SR_PREVIEW_WORKER_H */
