/* Drives the dialog's preview worker (ui/sr-preview-worker.c) without GTK:
 * one request through a GMainLoop, as the dialog makes it, and the result
 * written out for tests/test_preview_vs_cli.py to compare with the CLI.
 *
 *   preview-run MODEL CROP.f32 W H OUT_W OUT_H THREADS OUT.f32
 *
 * CROP.f32 holds W x H R'G'B'A float32 pixels of an RGB layer (alpha 1):
 * the crop under the view, margin included; OUT.f32 gets OUT_W x OUT_H of
 * them.  A request for a
 * missing model is submitted first and superseded at once, so the result
 * delivered must be the second request's (the generation rule).  Then the
 * core's threads are handed back (sr_cache_trim, as the dialog does when
 * its preview has been idle) and the request is run again: that second
 * result is the one written, so the CLI comparison checks the preview after
 * a trim. */
#include <stdio.h>
#include <stdlib.h>

#include "sr.h"
#include "sr-preview-worker.h"

typedef struct
{
  GMainLoop *loop;
  float     *pixels;
  int        width, height, results;
  char      *error_message;
} Outcome;

static void
on_result (const SrPreviewResult *result, gpointer data)
{
  Outcome *o = data;

  o->results++;
  if (result->pixels)
    {
      o->width = result->width;
      o->height = result->height;
      o->pixels = g_memdup2 (result->pixels, (gsize) result->width * result->height * 4 * sizeof (float));
    }
  else
    o->error_message = g_strdup (result->error_message);
  g_main_loop_quit (o->loop);
}

static gboolean
give_up (gpointer data)
{
  Outcome *o = data;

  o->error_message = g_strdup ("no result within 20 minutes");
  g_main_loop_quit (o->loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  Outcome           o = { 0 };
  SrPreviewWorker  *worker;
  SrPreviewRequest *stale, *request, *again;
  gsize             length;
  char             *bytes;
  GError           *error = NULL;

  if (argc != 9)
    {
      fprintf (stderr, "usage: preview-run MODEL CROP.f32 W H OUT_W OUT_H THREADS OUT.f32\n");
      return 2;
    }
  request = g_new0 (SrPreviewRequest, 1);
  request->model_path = g_strdup (argv[1]);
  request->width = atoi (argv[3]);
  request->height = atoi (argv[4]);
  request->out_width = atoi (argv[5]);
  request->out_height = atoi (argv[6]);
  request->threads = atoi (argv[7]);
  request->has_alpha = FALSE;   /* an RGB layer, as the CLI reads an RGB PNG */
  if (!g_file_get_contents (argv[2], &bytes, &length, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  if (length != (gsize) request->width * request->height * 4 * sizeof (float))
    {
      fprintf (stderr, "%s: %zu bytes, not %d x %d RGBA floats\n", argv[2], length,
               request->width, request->height);
      return 1;
    }
  request->pixels = (float *) bytes;

  stale = g_new0 (SrPreviewRequest, 1);
  *stale = *request;
  stale->model_path = g_strdup ("/nonexistent/stale.srm");
  stale->pixels = g_memdup2 (request->pixels, length);

  again = g_new0 (SrPreviewRequest, 1);
  *again = *request;
  again->model_path = g_strdup (request->model_path);
  again->pixels = g_memdup2 (request->pixels, length);

  o.loop = g_main_loop_new (NULL, FALSE);
  worker = sr_preview_worker_new (on_result, &o);
  sr_preview_worker_submit (worker, stale);
  sr_preview_worker_submit (worker, request);
  g_timeout_add_seconds (1200, give_up, &o);
  g_main_loop_run (o.loop);
  if (o.pixels)
    {
      /* The idle trim, then the same view again, on threads made anew. */
      g_clear_pointer (&o.pixels, g_free);
      sr_cache_trim ();
      sr_preview_worker_submit (worker, again);
      g_main_loop_run (o.loop);
    }
  sr_preview_worker_free (worker);
  g_main_loop_unref (o.loop);

  if (!o.pixels)
    {
      fprintf (stderr, "preview failed: %s\n", o.error_message ? o.error_message : "?");
      return 1;
    }
  if (o.results != 2 || o.width != atoi (argv[5]) || o.height != atoi (argv[6]))
    {
      fprintf (stderr, "%d results, %d x %d\n", o.results, o.width, o.height);
      return 1;
    }
  if (!g_file_set_contents (argv[8], (const char *) o.pixels,
                            (gssize) ((gsize) o.width * o.height * 4 * sizeof (float)), &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  g_free (o.pixels);
  return 0;
}
