/* sr-upscale: the command-line front end over the core.
 *
 *   sr-upscale [-m MODEL] [-s SCALE] [-t THREADS] [--tile N] [--tta] [--chain]
 *              [--bench N] [--list-models] IN OUT
 *
 * Images are read and written with GEGL (PNG, JPEG, TIFF, ...); the output
 * keeps the input's bit depth.  Errors go to stderr with exit status 1. */
#include <gegl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "sr.h"

typedef struct
{
  GeglBuffer *in, *out;
} Io;

static gboolean
read_rect (gpointer user_data, int x, int y, int w, int h, float *dst, GError **error)
{
  Io *io = user_data;
  GeglRectangle r = { x, y, w, h };
  gegl_buffer_get (io->in, &r, 1.0, babl_format ("R'G'B' float"), dst,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_CLAMP);
  return TRUE;
}

static gboolean
write_rect (gpointer user_data, int x, int y, int w, int h, const float *src, GError **error)
{
  Io *io = user_data;
  GeglRectangle r = { x, y, w, h };
  gegl_buffer_set (io->out, &r, 0, babl_format ("R'G'B' float"), src, GEGL_AUTO_ROWSTRIDE);
  return TRUE;
}

/* Writes into a throw-away buffer: --bench times inference, not encoding. */
static gboolean
discard_rect (gpointer user_data, int x, int y, int w, int h, const float *src, GError **error)
{
  return TRUE;
}

static GeglBuffer *
load_image (const char *path, GError **error)
{
  GeglNode *graph, *load, *sink;
  GeglBuffer *buffer = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: no such file", path);
      return NULL;
    }
  graph = gegl_node_new ();
  load = gegl_node_new_child (graph, "operation", "gegl:load", "path", path, NULL);
  sink = gegl_node_new_child (graph, "operation", "gegl:buffer-sink", "buffer", &buffer, NULL);
  gegl_node_link (load, sink);
  gegl_node_process (sink);
  g_object_unref (graph);
  if (!buffer || gegl_buffer_get_width (buffer) <= 0 || gegl_buffer_get_height (buffer) <= 0)
    {
      g_clear_object (&buffer);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: cannot read this image", path);
    }
  return buffer;
}

/* 8, 16 or 32 (float) bits per channel, from the decoded buffer's format. */
static int
bit_depth (GeglBuffer *buffer)
{
  const Babl *type = babl_format_get_type (gegl_buffer_get_format (buffer), 0);
  if (type == babl_type ("u8"))
    return 8;
  if (type == babl_type ("u16"))
    return 16;
  return 32;
}

static const Babl *
output_format (int depth)
{
  return babl_format (depth == 8 ? "R'G'B' u8" : depth == 16 ? "R'G'B' u16" : "R'G'B' float");
}

static gboolean
save_image (GeglBuffer *buffer, const char *path, int depth, GError **error)
{
  GeglNode *graph = gegl_node_new (), *src, *save;
  char *lower = g_ascii_strdown (path, -1);
  gboolean ok;

  src = gegl_node_new_child (graph, "operation", "gegl:buffer-source", "buffer", buffer, NULL);
  if (g_str_has_suffix (lower, ".png"))
    save = gegl_node_new_child (graph, "operation", "gegl:png-save", "path", path,
                                "bitdepth", depth == 8 ? 8 : 16, NULL);
  else if (g_str_has_suffix (lower, ".jpg") || g_str_has_suffix (lower, ".jpeg"))
    save = gegl_node_new_child (graph, "operation", "gegl:jpg-save", "path", path,
                                "quality", 95, NULL);
  else
    save = gegl_node_new_child (graph, "operation", "gegl:save", "path", path, NULL);
  gegl_node_link (src, save);
  gegl_node_process (save);
  g_object_unref (graph);
  g_free (lower);
  ok = g_file_test (path, G_FILE_TEST_IS_REGULAR);
  if (!ok)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: could not write the image "
                 "(unknown extension or unwritable folder?)", path);
  return ok;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static gboolean
run_bench (const SrModel *model, SrJob *job, int runs, GError **error)
{
  double *ms = g_new (double, runs), first_ms;
  int ow, oh;
  gint64 t_first = g_get_monotonic_time ();

  job->write = discard_rect;
  /* Warm-up: pages in weights, faults in memory.  Its time is printed too:
   * it is what a one-shot run (a GIMP filter call) pays. */
  if (!sr_upscale (model, job, error))
    {
      g_free (ms);
      return FALSE;
    }
  first_ms = (g_get_monotonic_time () - t_first) / 1000.0;
  for (int i = 0; i < runs; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      if (!sr_upscale (model, job, error))
        {
          g_free (ms);
          return FALSE;
        }
      ms[i] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  qsort (ms, runs, sizeof (double), compare_doubles);
  sr_output_size (model, job->width, job->height, &ow, &oh, NULL);
  printf ("bench: median_ms=%.3f min_ms=%.3f out_mpix=%.4f threads=%d first_ms=%.3f\n",
          runs % 2 ? ms[runs / 2] : 0.5 * (ms[runs / 2 - 1] + ms[runs / 2]), ms[0],
          (double) ow * oh / 1e6, job->threads > 0 ? job->threads : (int) g_get_num_processors (),
          first_ms);
  g_free (ms);
  return TRUE;
}

static void
list_models (void)
{
  GPtrArray *models = sr_catalog_scan (NULL);
  if (models->len == 0)
    printf ("no models found (set SR_MODEL_PATH or install the shipped models)\n");
  for (guint i = 0; i < models->len; i++)
    {
      SrModelInfo *m = models->pdata[i];
      printf ("%-12s x%d  %-8s %7.0fk params  %6.1f kMAC/px  %s\n", m->id, m->scale,
              m->architecture, m->n_params / 1000.0, m->macs_per_pixel / 1000.0, m->path);
    }
  g_ptr_array_unref (models);
}

int
main (int argc, char **argv)
{
  char *model_arg = NULL, *model_path = NULL;
  double scale = 0;
  int threads = 0, tile = 0, bench = 0;
  gboolean list = FALSE, tta = FALSE, chain = FALSE;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model_arg, "Model id (e.g. imdn-x4) or model file", "MODEL" },
    { "scale", 's', 0, G_OPTION_ARG_DOUBLE, &scale, "Scale factor, 1 to 8 (default: the model's); without -m it also picks the model", "SCALE" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, "Worker threads (0 = all cores)", "N" },
    { "tile", 0, 0, G_OPTION_ARG_INT, &tile, "Tile size in input pixels (0 = automatic)", "N" },
    { "tta", 0, 0, G_OPTION_ARG_NONE, &tta, "Average the 8 flips/rotations (better, 8x slower)", NULL },
    { "chain", 0, 0, G_OPTION_ARG_NONE, &chain, "Above the model's scale, run the best x2 model on its output instead of a cubic", NULL },
    { "bench", 0, 0, G_OPTION_ARG_INT, &bench, "Time N runs after a warm-up; OUT is not written", "N" },
    { "list-models", 0, 0, G_OPTION_ARG_NONE, &list, "List the models found and exit", NULL },
    { NULL }
  };
  GOptionContext *ctx = g_option_context_new ("IN OUT - upscale an image with a super-resolution model");
  GError *error = NULL;
  SrModel *model = NULL;
  Io io = { NULL, NULL };
  int status = 1, depth;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    goto out;
  if (list)
    {
      list_models ();
      status = 0;
      goto out;
    }
  if (argc != 3 || (bench == 0 && argc < 3))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "expected IN and OUT (see --help)");
      goto out;
    }
  if ((scale != 0 && (scale < 1 || scale > 8)) || threads < 0 || tile < 0 || bench < 0)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "scale must be 1 to 8; threads, tile and bench must not be negative");
      goto out;
    }
  if (!model_arg)
    {
      /* The model of the next integer scale up (capped at the largest we ship),
       * then an antialiased downscale to the exact size. */
      const char *id = sr_catalog_default_id (CLAMP ((int) ceil (scale ? scale : 4), 2, 4));
      model_arg = g_strdup (id);
    }
  if (!(model_path = sr_catalog_resolve (model_arg, NULL, &error)) ||
      !(model = sr_model_load (model_path, &error)))
    goto out;

  gegl_init (NULL, NULL);
  if (!(io.in = load_image (argv[1], &error)))
    goto out_gegl;
  if (babl_format_has_alpha (gegl_buffer_get_format (io.in)))
    fprintf (stderr, "sr-upscale: warning: %s has an alpha channel; the CLI writes RGB only "
             "(the GIMP plug-in keeps alpha)\n", argv[1]);
  depth = bit_depth (io.in);
  {
    SrJob job = { gegl_buffer_get_width (io.in), gegl_buffer_get_height (io.in), read_rect, write_rect,
                  NULL, NULL, &io, threads, tile, tta, chain };
    int ow, oh;
    const GeglRectangle *extent = gegl_buffer_get_extent (io.in);
    if (extent->x != 0 || extent->y != 0)
      {
        GeglBuffer *shifted = gegl_buffer_create_sub_buffer (io.in, extent);
        g_object_set (shifted, "shift-x", extent->x, "shift-y", extent->y, NULL);
        g_object_unref (io.in);
        io.in = shifted;
      }
    if (!sr_output_size (model, job.width, job.height, &ow, &oh, &error))
      goto out_gegl;
    if (scale > 0)
      {
        ow = (int) lround (job.width * scale);
        oh = (int) lround (job.height * scale);
      }
    if (bench > 0)
      {
        if (run_bench (model, &job, bench, &error))
          status = 0;
        goto out_gegl;
      }
    io.out = gegl_buffer_new (GEGL_RECTANGLE (0, 0, ow, oh), output_format (depth));
    if (sr_upscale_to (model, &job, ow, oh, &error) && save_image (io.out, argv[2], depth, &error))
      status = 0;
  }
out_gegl:
  g_clear_object (&io.in);
  g_clear_object (&io.out);
  gegl_exit ();
out:
  if (error)
    fprintf (stderr, "sr-upscale: %s\n", error->message);
  g_clear_error (&error);
  sr_model_free (model);
  g_free (model_path);
  g_free (model_arg);
  g_option_context_free (ctx);
  return status;
}
