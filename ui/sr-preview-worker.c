/* Background preview renders; see sr-preview-worker.h. */
#include "sr-plugin-config.h"

#include "sr-layer-upscale.h"
#include "sr-plugin-i18n.h"
#include "sr-preview-worker.h"
#include "sr-rgba-memory.h"
#include "sr-time-estimate.h"

/* Shared between the worker and the idle callbacks it queued, which can
 * outlive the worker by a main-loop turn: reference counted. */
typedef struct
{
  gint                ref_count;    /* atomic */
  gint                generation;   /* atomic: bumped by submit and cancel */
  gboolean            alive;        /* main thread only */
  SrPreviewResultFunc func;
  gpointer            user_data;
} Mailbox;

typedef struct
{
  SrPreviewRequest *request;        /* NULL: the thread should quit */
  gint              generation;
} QueuedRequest;

typedef struct
{
  Mailbox         *mailbox;
  gint             generation;
  SrPreviewResult *result;
} Delivery;

struct _SrPreviewWorker
{
  GThread     *thread;
  GAsyncQueue *queue;
  Mailbox     *mailbox;
  gint         progress_permille;     /* atomic; -1 when idle */
  /* Worker thread only: the last model, reused while the user pans. */
  char        *model_path;
  SrModel     *model;
};

typedef struct
{
  SrPreviewWorker *worker;
  gint             generation;
} RenderContext;

static Mailbox *
mailbox_ref (Mailbox *mailbox)
{
  g_atomic_int_inc (&mailbox->ref_count);
  return mailbox;
}

static void
mailbox_unref (Mailbox *mailbox)
{
  if (g_atomic_int_dec_and_test (&mailbox->ref_count))
    g_free (mailbox);
}

void
sr_preview_request_free (SrPreviewRequest *request)
{
  if (!request)
    return;
  g_free (request->model_path);
  g_free (request->pixels);
  g_free (request);
}

static void
result_free (SrPreviewResult *result)
{
  g_free (result->pixels);
  g_free (result->error_message);
  g_free (result);
}

static void
queued_request_free (QueuedRequest *queued)
{
  sr_preview_request_free (queued->request);
  g_free (queued);
}

/* Main thread: hands a result over unless something newer was asked for
 * since, or the dialog is gone. */
static gboolean
deliver (gpointer data)
{
  Delivery *delivery = data;
  Mailbox  *mailbox = delivery->mailbox;

  if (mailbox->alive && delivery->generation == g_atomic_int_get (&mailbox->generation))
    mailbox->func (delivery->result, mailbox->user_data);
  result_free (delivery->result);
  mailbox_unref (mailbox);
  g_free (delivery);
  return G_SOURCE_REMOVE;
}

static gboolean
is_stale (gpointer data)
{
  RenderContext *ctx = data;
  return g_atomic_int_get (&ctx->worker->mailbox->generation) != ctx->generation;
}

static void
note_progress (gpointer data, double fraction)
{
  RenderContext *ctx = data;
  g_atomic_int_set (&ctx->worker->progress_permille, (gint) (CLAMP (fraction, 0.0, 1.0) * 1000));
}

/* Worker thread: the model for @path, loaded once per path. */
static const SrModel *
get_model (SrPreviewWorker *worker, const char *path, GError **error)
{
  if (!path)
    {
      g_set_error_literal (error, SR_ERROR, SR_ERROR_INVALID, _("No model chosen."));
      return NULL;
    }
  if (worker->model && g_strcmp0 (worker->model_path, path) == 0)
    return worker->model;
  g_clear_pointer (&worker->model, sr_model_free);
  g_clear_pointer (&worker->model_path, g_free);
  worker->model = sr_model_load (path, error);
  if (worker->model)
    worker->model_path = g_strdup (path);
  return worker->model;
}

/* Worker thread: runs one request; a result, or NULL when it went stale. */
static SrPreviewResult *
render_request (SrPreviewWorker *worker, const QueuedRequest *queued)
{
  const SrPreviewRequest *req = queued->request;
  SrPreviewResult        *result = g_new0 (SrPreviewResult, 1);
  RenderContext           ctx = { worker, queued->generation };
  GError                 *error = NULL;
  const SrModel          *model = get_model (worker, req->model_path, &error);

  if (model)
    {
      result->pixels = g_try_new (float, (gsize) req->out_width * req->out_height * 4);
      if (!result->pixels)
        g_set_error (&error, SR_ERROR, SR_ERROR_NOMEM, "out of memory for the preview");
    }
  if (model && result->pixels)
    {
      SrRgbaMemorySource source;
      SrRgbaMemorySink   sink;
      gint64             start = g_get_monotonic_time ();
      int                ow = req->out_width, oh = req->out_height;

      sr_rgba_memory_source_init (&source, req->pixels, req->width, req->height,
                                  req->has_alpha, req->is_grey);
      sr_rgba_memory_sink_init (&sink, result->pixels, ow, oh);
      {
        /* The same path as the real run: sr_upscale_to() via the layer
         * pipeline, with the same model, size ratio and TTA. */
        SrLayerUpscale up = {
          .model = model,
          .source = &source.base,
          .sink = &sink.base,
          .target_width = ow,
          .target_height = oh,
          .threads = req->threads,
          .tile_size = req->tile_size,
          .tta = req->tta,
          .progress = note_progress,
          .cancel = is_stale,
          .callback_data = &ctx,
        };
        if (sr_layer_upscale (&up, &error))
          {
            result->width = ow;
            result->height = oh;
            result->x = req->out_x;
            result->y = req->out_y;
            result->input_pixels =
              (int) sr_time_estimate_work_pixels (sr_model_get_scale (model), req->width,
                                                  req->height, ow, oh, req->tta);
            result->threads = req->threads > 0 ? req->threads : (int) g_get_num_processors ();
            result->seconds = (g_get_monotonic_time () - start) / 1e6;
          }
      }
    }

  if (error)
    {
      g_clear_pointer (&result->pixels, g_free);
      if (g_error_matches (error, SR_ERROR, SR_ERROR_CANCELLED) || is_stale (&ctx))
        {
          g_error_free (error);
          result_free (result);
          return NULL;
        }
      result->error_message = g_strdup (error->message);
      g_error_free (error);
    }
  return result;
}

static gpointer
worker_main (gpointer data)
{
  SrPreviewWorker *worker = data;
  gboolean         quit = FALSE;

  while (!quit)
    {
      QueuedRequest *queued = g_async_queue_pop (worker->queue);
      QueuedRequest *next;

      /* Only the newest request matters; a quit anywhere wins. */
      while ((next = g_async_queue_try_pop (worker->queue)))
        {
          quit = quit || !queued->request;
          queued_request_free (queued);
          queued = next;
        }
      quit = quit || !queued->request;

      if (!quit && queued->generation == g_atomic_int_get (&worker->mailbox->generation))
        {
          SrPreviewResult *result;

          g_atomic_int_set (&worker->progress_permille, 0);
          result = render_request (worker, queued);
          g_atomic_int_set (&worker->progress_permille, -1);
          if (result)
            {
              Delivery *delivery = g_new (Delivery, 1);

              delivery->mailbox = mailbox_ref (worker->mailbox);
              delivery->generation = queued->generation;
              delivery->result = result;
              g_idle_add (deliver, delivery);
            }
        }
      queued_request_free (queued);
    }

  g_clear_pointer (&worker->model, sr_model_free);
  g_clear_pointer (&worker->model_path, g_free);
  return NULL;
}

SrPreviewWorker *
sr_preview_worker_new (SrPreviewResultFunc func, gpointer user_data)
{
  SrPreviewWorker *worker = g_new0 (SrPreviewWorker, 1);

  worker->mailbox = g_new0 (Mailbox, 1);
  worker->mailbox->ref_count = 1;
  worker->mailbox->alive = TRUE;
  worker->mailbox->func = func;
  worker->mailbox->user_data = user_data;
  worker->progress_permille = -1;
  worker->queue = g_async_queue_new ();
  worker->thread = g_thread_new ("sr-preview", worker_main, worker);
  return worker;
}

void
sr_preview_worker_submit (SrPreviewWorker *worker, SrPreviewRequest *request)
{
  QueuedRequest *queued = g_new (QueuedRequest, 1);

  queued->request = request;
  queued->generation = g_atomic_int_add (&worker->mailbox->generation, 1) + 1;
  g_async_queue_push (worker->queue, queued);
}

void
sr_preview_worker_cancel (SrPreviewWorker *worker)
{
  g_atomic_int_inc (&worker->mailbox->generation);
}

double
sr_preview_worker_progress (SrPreviewWorker *worker)
{
  gint permille = g_atomic_int_get (&worker->progress_permille);
  return permille < 0 ? -1.0 : permille / 1000.0;
}

void
sr_preview_worker_free (SrPreviewWorker *worker)
{
  QueuedRequest *quit;

  if (!worker)
    return;
  quit = g_new0 (QueuedRequest, 1);
  /* Results already queued on the main loop find the mailbox closed. */
  worker->mailbox->alive = FALSE;
  sr_preview_worker_cancel (worker);
  g_async_queue_push (worker->queue, quit);
  g_thread_join (worker->thread);

  /* Anything still queued was pushed before the quit and never popped. */
  {
    QueuedRequest *left;
    while ((left = g_async_queue_try_pop (worker->queue)))
      queued_request_free (left);
  }
  g_async_queue_unref (worker->queue);
  mailbox_unref (worker->mailbox);
  g_free (worker);
}
