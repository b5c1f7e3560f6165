/* sr-upscale: the command-line front end over the core.
 *
 *   sr-upscale [-m MODEL] [-s SCALE] [-t THREADS] [--tile N] [--tta] [--chain]
 *              [--max-megapixels N] [--max-input-megapixels N]
 *              [--precision auto|fp32|bf16] [--bench N] [--quiet] [--list-models] IN OUT
 *
 * Images are read and written with GEGL's own PNG, JPEG, TIFF and WebP
 * codecs, picked by content (sr-image-probe.c), and go through the same
 * image layer as the GIMP plug-ins (plugin/sr-layer-upscale.h): alpha is
 * kept (resampled on its own, transparent colour filled from its
 * neighbours), grey stays grey, and the output keeps the input's bit depth.
 * It appears complete or not at all (sr-safe-save.c).  Every
 * argument and the image's size (from its header) are checked before the
 * model is loaded or a pixel decoded.  Errors go to stderr, one line each,
 * with exit status 1 (docs/reliability.md).  On a terminal a progress bar
 * (sr-progress.c) shows the percentage done and the time left; --quiet drops
 * it and the informational notes, leaving errors and warnings. */
#include <gegl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "sr.h"
#include "sr-diag.h"
#include "sr-gegl-io.h"
#include "sr-image-probe.h"
#include "sr-layer-upscale.h"
#include "sr-progress.h"
#include "sr-safe-save.h"

/* Pixel budgets, in megapixels, checked from the header before decoding.
 * Output: 1600 MP is a 40000 x 40000 image, 4.8 GB as 8-bit RGB (9.6 GB at
 * 16 bits) in GEGL's buffer -- which spills to its swap file beyond 512 MiB
 * of cache -- and a few minutes of the fastest model on a desktop; it is
 * also a x4 upscale of the largest default input.  Input: 100 MP covers any
 * camera and most panoramas, and bounds what a small file that decompresses
 * to a huge image (a "pixel bomb") can cost before anything is refused.
 * Both can be raised on the command line; the refusal says how. */
#define DEFAULT_MAX_OUTPUT_MP 1600.0
#define DEFAULT_MAX_INPUT_MP  100.0

/* --tile: the core picks 64..1024 itself; below 16 the halo recomputed around
 * each tile dwarfs the tile, above 4096 one tile of the heavier networks'
 * feature maps needs tens of GiB. */
#define MIN_TILE_ARG 16
#define MAX_TILE_ARG 4096
#define MAX_THREADS  256
#define MAX_BENCH    100000

typedef struct
{
  GeglBuffer *in, *out;
} Io;

/* What the image holds, as a GIMP layer would: colour or grey, with or
 * without alpha. */
typedef struct
{
  gboolean has_alpha, is_grey;
  int      depth;   /* bits per channel: 8, 16 or 32 (float) */
} Layout;

/* An uninstalled build also finds the shipped models in the source tree, so
 * build/tools/sr-upscale works without SR_MODEL_PATH or `ninja install`.
 * Only when this binary runs from the build folder it was built in (an
 * installed or copied binary never looks into a source tree); searched
 * after $SR_MODEL_PATH and before the installed models, which may be older
 * than the tree this build matches.  NULL-terminated, for the catalogue. */
static const char *const *
model_dirs (void)
{
#if defined(SR_BUILD_ROOT) && defined(SR_SOURCE_MODELS_DIR)
  static const char *dirs[2];
  static gboolean    done;

  if (!done)
    {
      char *exe = realpath ("/proc/self/exe", NULL);
      char *build = realpath (SR_BUILD_ROOT, NULL);
      gsize n = build ? strlen (build) : 0;

      const char *env = g_getenv ("SR_MODEL_PATH");
      char **listed = g_strsplit (env ? env : "", G_SEARCHPATH_SEPARATOR_S, -1);

      /* (Not twice: the tests' SR_MODEL_PATH names it already.) */
      if (exe && build && strncmp (exe, build, n) == 0 && exe[n] == G_DIR_SEPARATOR &&
          !g_strv_contains ((const char *const *) listed, SR_SOURCE_MODELS_DIR))
        dirs[0] = SR_SOURCE_MODELS_DIR;
      g_strfreev (listed);
      free (exe);
      free (build);
      done = TRUE;
    }
  return dirs;
#else
  return NULL;
#endif
}

static gboolean
read_rect (gpointer user_data, int x, int y, int w, int h, float *dst, GError **error)
{
  Io *io = user_data;
  GeglRectangle r = { x, y, w, h };
  gegl_buffer_get (io->in, &r, 1.0, babl_format ("R'G'B' float"), dst,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_CLAMP);
  return TRUE;
}

/* Writes into a throw-away buffer: --bench times inference, not encoding. */
static gboolean
discard_rect (gpointer user_data, int x, int y, int w, int h, const float *src, GError **error)
{
  return TRUE;
}

/* Decodes @path with the one GEGL loader for the type its content showed
 * (never gegl:load, whose fallback for unknown content runs ImageMagick).
 * Whatever the decoder complains about -- a truncated or damaged stream
 * included -- is an error, not a half-grey image. */
static GeglBuffer *
load_image (const char *path, int fd, const SrImageInfo *info, GError **error)
{
  const char *op = sr_image_loader (info->type);
  GeglNode *graph, *load, *sink;
  GeglBuffer *buffer = NULL;
  char *context, *absolute;

  if (!gegl_has_operation (op))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSYS, "%s: this GEGL has no %s decoder (%s)",
                   path, sr_image_type_name (info->type), op);
      return NULL;
    }
  context = g_strdup_printf ("%s: cannot decode this %s file", path, sr_image_type_name (info->type));
  /* The file the header check read, through its descriptor: a file swapped
   * in meanwhile under the same name is not what gets decoded.  Without
   * /proc, the absolute path (GEGL reads standard input for "-"). */
  if (g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
    absolute = g_strdup_printf ("/proc/self/fd/%d", fd);
  else
    absolute = g_canonicalize_filename (path, NULL);
  sr_diag_begin (context);
  graph = gegl_node_new ();
  load = gegl_node_new_child (graph, "operation", op, "path", absolute, NULL);
  sink = gegl_node_new_child (graph, "operation", "gegl:buffer-sink", "buffer", &buffer, NULL);
  gegl_node_link (load, sink);
  gegl_node_process (sink);
  g_object_unref (graph);
  if (!sr_diag_end (error))
    g_clear_object (&buffer);
  else if (!buffer || gegl_buffer_get_width (buffer) != info->width ||
           gegl_buffer_get_height (buffer) != info->height)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: cannot decode this %s file "
                   "(the decoder disagrees with the header's size)", path, sr_image_type_name (info->type));
      g_clear_object (&buffer);
    }
  g_free (context);
  g_free (absolute);
  return buffer;
}

/* The decoded buffer's layout: 8, 16 or 32 (float) bits per channel, and
 * grey when one component is left besides alpha (CMYK counts as colour). */
static Layout
image_layout (GeglBuffer *buffer)
{
  const Babl *format = gegl_buffer_get_format (buffer);
  const Babl *type = babl_format_get_type (format, 0);
  Layout      layout;

  layout.has_alpha = babl_format_has_alpha (format);
  layout.is_grey = babl_format_get_n_components (format) - layout.has_alpha == 1;
  layout.depth = type == babl_type ("u8") ? 8 : type == babl_type ("u16") ? 16 : 32;
  return layout;
}

/* The result's format: the input's layout and colour space, as the
 * plug-in's result layer takes its drawable's (perceptual encoding, as the
 * CLI always wrote).  A CMYK space holds no RGB: sRGB then. */
static const Babl *
output_format (GeglBuffer *in, const Layout *layout)
{
  const Babl *space = babl_format_get_space (gegl_buffer_get_format (in));
  char name[32];

  g_snprintf (name, sizeof name, "%s%s %s", layout->is_grey ? "Y'" : "R'G'B'",
              layout->has_alpha ? "A" : "",
              layout->depth == 8 ? "u8" : layout->depth == 16 ? "u16" : "float");
  return babl_format_with_space (name, babl_space_is_cmyk (space) ? NULL : space);
}

/* Upscales @io->in into @io->out through the plug-ins' image layer. */
static gboolean
upscale_image (const SrModel *model, const SrModel *second, Io *io, const Layout *layout,
               int threads, int tile, gboolean tta, SrProgressBar *bar, GError **error)
{
  SrGeglSource source;
  SrGeglSink   sink;
  gboolean     ok;

  sr_gegl_source_init (&source, io->in, layout->has_alpha, layout->is_grey);
  sr_gegl_sink_init (&sink, io->out, layout->has_alpha, layout->is_grey);
  {
    SrLayerUpscale params = {
      .model = model,
      .chain_model = second,
      .source = &source.base,
      .sink = &sink.base,
      .target_width = gegl_buffer_get_width (io->out),
      .target_height = gegl_buffer_get_height (io->out),
      .threads = threads,
      .tile_size = tile,
      .tta = tta,
      .progress = sr_progress_bar_update,
      .callback_data = bar,
    };
    ok = sr_layer_upscale (&params, error);
  }
  sr_gegl_source_clear (&source);
  sr_gegl_sink_clear (&sink);
  return ok;
}

typedef struct
{
  GeglBuffer  *buffer;
  const char  *path;     /* the final name, for messages */
  SrImageType  type;
  int          depth;
} OutputImage;

/* sr_safe_save's encoder: writes @tmp with GEGL's encoder for the type the
 * output name asks for, turns its complaints (a failed write() included:
 * GEGL only prints those) into errors, then reads the result back with the
 * prober, which must find a complete file of the right size. */
static gboolean
encode_image (const char *tmp, gpointer data, GError **error)
{
  OutputImage *output = data;
  GeglNode *graph = gegl_node_new (), *src, *save;
  SrImageInfo info;
  GError *check = NULL;
  char *context = g_strdup_printf ("%s: could not write the image", output->path);
  gboolean ok;

  src = gegl_node_new_child (graph, "operation", "gegl:buffer-source", "buffer", output->buffer, NULL);
  switch (output->type)
    {
    case SR_IMAGE_PNG:
      save = gegl_node_new_child (graph, "operation", "gegl:png-save", "path", tmp,
                                  "bitdepth", output->depth == 8 ? 8 : 16, NULL);
      break;
    case SR_IMAGE_JPEG:
      save = gegl_node_new_child (graph, "operation", "gegl:jpg-save", "path", tmp, "quality", 95, NULL);
      break;
    case SR_IMAGE_TIFF:
      save = gegl_node_new_child (graph, "operation", "gegl:tiff-save", "path", tmp, NULL);
      break;
    default:
      save = gegl_node_new_child (graph, "operation", "gegl:webp-save", "path", tmp, "quality", 95, NULL);
      break;
    }
  gegl_node_link (src, save);
  sr_diag_begin (context);
  gegl_node_process (save);
  ok = sr_diag_end (error);
  g_object_unref (graph);
  g_free (context);
  if (!ok)
    return FALSE;
  if (!sr_image_probe (tmp, &info, &check) || info.type != output->type ||
      info.width != gegl_buffer_get_width (output->buffer) || info.height != gegl_buffer_get_height (output->buffer))
    {
      const char *why = check ? check->message : "its size or type is not what was written";
      if (g_str_has_prefix (why, tmp))
        why += strlen (tmp) + 2;
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   "%s: the written file failed its check (%s)", output->path, why);
      g_clear_error (&check);
      return FALSE;
    }
  return TRUE;
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
  printf ("bench: median_ms=%.3f min_ms=%.3f out_mpix=%.4f threads=%d first_ms=%.3f precision=%s\n",
          runs % 2 ? ms[runs / 2] : 0.5 * (ms[runs / 2 - 1] + ms[runs / 2]), ms[0],
          (double) ow * oh / 1e6, job->threads > 0 ? job->threads : (int) g_get_num_processors (),
          first_ms, sr_precision_to_string (sr_model_get_precision (model)));
  g_free (ms);
  return TRUE;
}

static void
list_models (void)
{
  GPtrArray *models = sr_catalog_scan (model_dirs ());
  if (models->len == 0)
    printf ("no models found (set SR_MODEL_PATH or install the shipped models)\n");
  for (guint i = 0; i < models->len; i++)
    {
      SrModelInfo *m = models->pdata[i];
      /* What each is for (its description: quality, fast, photo) on a
       * line of its own, under the figures. */
      printf ("%-14s x%d  %-8s %7.0fk params  %6.1f kMAC/px  %s\n    %s\n", m->id, m->scale,
              m->architecture, m->n_params / 1000.0, m->macs_per_pixel / 1000.0, m->path,
              m->description ? m->description : "");
    }
  g_ptr_array_unref (models);
}

/* --chain's second model: the best x2 model in the user's model folders,
 * or NULL (then the output is resampled, as without --chain). */
static SrModel *
load_chain_model (void)
{
  const char *id = sr_catalog_default_id_in (2, model_dirs ());
  char *path = sr_catalog_resolve (id, model_dirs (), NULL);
  GError *error = NULL;
  SrModel *model = path ? sr_model_load (path, &error) : NULL;

  if (error)
    fprintf (stderr, "sr-upscale: warning: --chain: %s; resampling instead\n", error->message);
  g_clear_error (&error);
  g_free (path);
  return model;
}

/* "512 MiB", "4.8 GiB": sizes in refusals. */
static char *
format_bytes (double bytes)
{
  return bytes < (1 << 30) ? g_strdup_printf ("%.0f MiB", bytes / (1 << 20))
                           : g_strdup_printf ("%.1f GiB", bytes / (1 << 30));
}

/* -s, parsed here rather than as G_OPTION_ARG_DOUBLE so that "-s 0" is not
 * mistaken for "not given".  NaN compares false with everything, so the
 * range is written as "inside", not "not outside". */
static double scale_arg;   /* 0: not given */

static gboolean
parse_scale (const char *name, const char *value, gpointer data, GError **error)
{
  char *end;
  double s = g_ascii_strtod (value, &end);

  if (end == value || *end || !(s >= 1 && s <= 8))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "the scale must be a number from 1 to 8, not \"%s\"", value);
      return FALSE;
    }
  scale_arg = s;
  return TRUE;
}

/* Every other option, before anything heavy. */
static gboolean
check_options (int threads, int tile, int bench, double max_mp, double max_in_mp, GError **error)
{
  const char *bad = NULL;

  if (!(threads >= 0 && threads <= MAX_THREADS))
    bad = "threads must be 0 (all cores) to 256";
  else if (!(tile == 0 || (tile >= MIN_TILE_ARG && tile <= MAX_TILE_ARG)))
    bad = "the tile size must be 0 (automatic) or 16 to 4096";
  else if (!(bench >= 0 && bench <= MAX_BENCH))
    bad = "--bench takes 1 to 100000 runs";
  else if (!(max_mp > 0 && max_mp <= 1e6) || !(max_in_mp > 0 && max_in_mp <= 1e6))
    bad = "megapixel budgets must be numbers above 0 (up to 1000000)";
  if (bad)
    g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, bad);
  return bad == NULL;
}

/* The input budget, from the header: refused before a pixel is decoded. */
static gboolean
check_input_size (const char *path, const SrImageInfo *info, double max_in_mp, GError **error)
{
  double mp = (double) info->width * info->height / 1e6;
  g_autofree char *need = format_bytes ((double) info->width * info->height * 4);

  if (info->width > SR_MAX_INPUT_SIDE || info->height > SR_MAX_INPUT_SIDE)
    g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "%s is %" G_GINT64_FORMAT " x %" G_GINT64_FORMAT
                 " pixels; the largest side sr-upscale handles is %d: crop or shrink it first",
                 path, info->width, info->height, SR_MAX_INPUT_SIDE);
  else if (mp > max_in_mp)
    g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "%s is %" G_GINT64_FORMAT " x %" G_GINT64_FORMAT
                 " pixels (%.4g megapixels), over the input budget of %g megapixels; to go on anyway "
                 "use --max-input-megapixels %.0f (decoding it needs at least %s)",
                 path, info->width, info->height, mp, max_in_mp, ceil (mp), need);
  else
    return TRUE;
  return FALSE;
}

/* The output budget and what the output format can hold. */
static gboolean
check_output_size (const char *path, SrImageType type, gint64 ow, gint64 oh, double max_mp,
                   GError **error)
{
  double mp = (double) ow * oh / 1e6;
  /* At least 8-bit RGB; the decoded layout is not known yet. */
  g_autofree char *need = format_bytes ((double) ow * oh * 3);

  if (mp > max_mp)
    g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "the output would be %" G_GINT64_FORMAT " x %"
                 G_GINT64_FORMAT " pixels (%.4g megapixels), over the output budget of %g megapixels; "
                 "to go on anyway use --max-megapixels %.0f (it needs at least %s of memory "
                 "or GEGL swap space), or pick a smaller scale with -s",
                 ow, oh, mp, max_mp, ceil (mp), need);
  else if (path && (ow > sr_image_max_side (type) || oh > sr_image_max_side (type)))
    g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "%s: %s cannot hold %" G_GINT64_FORMAT " x %"
                 G_GINT64_FORMAT " pixels (at most %" G_GINT64_FORMAT " a side): write a .png or "
                 ".tif instead", path, sr_image_type_name (type), ow, oh, sr_image_max_side (type));
  else
    return TRUE;
  return FALSE;
}

/* Classic TIFF, as GEGL writes it (uncompressed, 32-bit offsets), ends at 4 GiB. */
static gboolean
check_tiff_bytes (const char *path, SrImageType type, gint64 ow, gint64 oh, const Layout *layout,
                  GError **error)
{
  int    channels = (layout->is_grey ? 1 : 3) + (layout->has_alpha ? 1 : 0);
  gint64 bytes = ow * oh * channels * (layout->depth / 8);

  if (type != SR_IMAGE_TIFF || bytes < ((gint64) 4 << 30) - (64 << 20))
    return TRUE;
  g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "%s: %.1f GiB of pixels do not fit a TIFF file "
               "(4 GiB at most): write a .png instead", path, (double) bytes / (1 << 30));
  return FALSE;
}

/* "unknown model": says which ids there are. */
static void
add_model_list (GError *error)
{
  GPtrArray *models = sr_catalog_scan (model_dirs ());
  GString *msg = g_string_new (error->message);

  if (models->len == 0)
    g_string_append (msg, "; no models are installed (set SR_MODEL_PATH to a folder of .srm files)");
  else
    g_string_append (msg, "; available:");
  for (guint i = 0; i < models->len; i++)
    g_string_append_printf (msg, "%s %s", i ? "," : "", ((SrModelInfo *) models->pdata[i])->id);
  g_free (error->message);
  error->message = g_string_free (msg, FALSE);
  g_ptr_array_unref (models);
}

int
main (int argc, char **argv)
{
  char *model_arg = NULL, *model_path = NULL;
  const char *in_path, *out_path;
  double max_mp = DEFAULT_MAX_OUTPUT_MP, max_in_mp = DEFAULT_MAX_INPUT_MP;
  int threads = 0, tile = 0, bench = 0;
  gboolean list = FALSE, tta = FALSE, chain = FALSE, quiet = FALSE, gegl_up = FALSE;
  char *precision_arg = NULL;
  SrPrecision precision = SR_PRECISION_AUTO;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model_arg, "Model id (e.g. imdn-x4) or model file", "MODEL" },
    { "scale", 's', 0, G_OPTION_ARG_CALLBACK, parse_scale, "Scale factor, 1 to 8 (default: the model's); without -m it also picks the model", "SCALE" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, "Worker threads (0 = all cores, at most 256)", "N" },
    { "tile", 0, 0, G_OPTION_ARG_INT, &tile, "Tile size in input pixels (0 = automatic, else 16 to 4096)", "N" },
    { "tta", 0, 0, G_OPTION_ARG_NONE, &tta, "Average the 8 flips/rotations (better, 8x slower)", NULL },
    { "chain", 0, 0, G_OPTION_ARG_NONE, &chain, "Above the model's scale, run the best x2 model on its output instead of a cubic", NULL },
    { "max-megapixels", 0, 0, G_OPTION_ARG_DOUBLE, &max_mp, "Refuse outputs larger than this (default 1600)", "N" },
    { "max-input-megapixels", 0, 0, G_OPTION_ARG_DOUBLE, &max_in_mp, "Refuse inputs larger than this, before decoding (default 100)", "N" },
    { "precision", 0, 0, G_OPTION_ARG_STRING, &precision_arg, "Arithmetic: auto (bf16 where the CPU has it and the model is proven within 0.01 dB), fp32 or bf16 (default: $SR_PRECISION, else auto)", "P" },
    { "bench", 0, 0, G_OPTION_ARG_INT, &bench, "Time N runs after a warm-up; OUT is not written", "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress bar and no notes; errors and warnings only", NULL },
    { "list-models", 0, 0, G_OPTION_ARG_NONE, &list, "List the models found and exit", NULL },
    { NULL }
  };
  GOptionContext *ctx;
  GError *error = NULL;
  SrModel *model = NULL, *second = NULL;
  SrImageInfo info;
  SrImageType out_type = SR_IMAGE_UNKNOWN;
  double scale;
  Io io = { NULL, NULL };
  gint64 ow = 0, oh = 0;
  int status = 1, in_fd = -1;
  gboolean ok;
  Layout layout;
  SrProgressBar bar;

  /* First, before any thread exists: the signal mask is inherited. */
  sr_safe_save_init ();
  sr_diag_init ();
  ctx = g_option_context_new ("IN OUT - upscale an image with a super-resolution model");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    goto out;
  if (list)
    {
      list_models ();
      status = 0;
      goto out;
    }
  if (argc != 3)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "expected IN and OUT (see --help)");
      goto out;
    }
  in_path = argv[1];
  out_path = argv[2];
  if (!check_options (threads, tile, bench, max_mp, max_in_mp, &error))
    goto out;
  /* The CLI's choice wins over $SR_PRECISION, which the core reads at load. */
  if (precision_arg && !sr_precision_from_string (precision_arg, &precision))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--precision %s: expected auto, fp32 or bf16", precision_arg);
      goto out;
    }
  if (precision == SR_PRECISION_BF16 && !sr_cpu_has_bf16 ())
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--precision bf16: this CPU has no AVX512_BF16 (use auto or fp32)");
      goto out;
    }
  scale = scale_arg;
  /* --bench writes nothing (tools/bench passes /dev/null). */
  if (bench == 0)
    {
      out_type = sr_image_type_for_name (out_path);
      if (out_type == SR_IMAGE_UNKNOWN)
        {
          g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s: unknown output type; "
                       "name it .png, .jpg, .tif or .webp", out_path);
          goto out;
        }
      if (!sr_safe_save_check_target (out_path, &error))
        goto out;
    }
  /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
  if ((in_fd = open (in_path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
    {
      int e = errno;
      g_set_error (&error, G_FILE_ERROR, g_file_error_from_errno (e), "%s: %s", in_path, g_strerror (e));
      goto out;
    }
  if (!sr_image_probe_fd (in_fd, in_path, &info, &error) ||
      !check_input_size (in_path, &info, max_in_mp, &error))
    goto out;
  if (scale > 0 && bench == 0)
    {
      ow = llround (info.width * scale);
      oh = llround (info.height * scale);
      if (!check_output_size (out_path, out_type, ow, oh, max_mp, &error))
        goto out;
    }

  if (!model_arg)
    {
      /* The model of the next integer scale up (capped at the largest we ship),
       * then an antialiased downscale to the exact size.  A JPEG input (by
       * its content, like the decoder) gets the photo model of that scale
       * where one is installed: the clean models sharpen JPEG blocks. */
      int         model_scale = CLAMP ((int) ceil (scale ? scale : 4), 2, 4);
      const char *photo = info.type == SR_IMAGE_JPEG
                          ? sr_catalog_photo_id_in (model_scale, model_dirs ()) : NULL;
      if (photo && !quiet)
        g_printerr ("sr-upscale: %s is a JPEG: using the photo model %s (-m picks another)\n",
                    in_path, photo);
      model_arg = g_strdup (photo ? photo : sr_catalog_default_id_in (model_scale, model_dirs ()));
    }
  if (!(model_path = sr_catalog_resolve (model_arg, model_dirs (), &error)))
    {
      if (g_error_matches (error, SR_ERROR, SR_ERROR_INVALID) && !strchr (model_arg, '/'))
        add_model_list (error);
      goto out;
    }
  if (!(model = sr_model_load (model_path, &error)))
    goto out;
  if (precision_arg && !sr_model_set_precision (model, precision, &error))
    goto out;
  if (chain)
    second = load_chain_model ();
  if (second && precision_arg && !sr_model_set_precision (second, precision, &error))
    goto out;
  if (scale == 0 || bench > 0)
    {
      int w, h;
      if (!sr_output_size (model, info.width, info.height, &w, &h, &error))
        goto out;
      ow = w;
      oh = h;
      if (!check_output_size (bench ? NULL : out_path, out_type, ow, oh, max_mp, &error))
        goto out;
    }

  gegl_init (NULL, NULL);
  gegl_up = TRUE;
  {
    /* Large outputs spill into GEGL's swap ("gegl-swap-PID-N" in its swap
     * folder, unless it is "RAM"); a killed run should not leave gigabytes. */
    char *swap = NULL, *prefix = g_strdup_printf ("gegl-swap-%d-", (int) getpid ());
    g_object_get (gegl_config (), "swap", &swap, NULL);
    if (swap && g_path_is_absolute (swap))
      sr_safe_save_also_remove (swap, prefix);
    g_free (swap);
    g_free (prefix);
  }
  if (!(io.in = load_image (in_path, in_fd, &info, &error)))
    goto out;
  layout = image_layout (io.in);
  if (bench == 0 && layout.has_alpha && out_type == SR_IMAGE_JPEG)
    fprintf (stderr, "sr-upscale: warning: %s has an alpha channel, which JPEG cannot hold; "
             "%s is written without it (a .png, .tif or .webp keeps it)\n", in_path, out_path);
  if (bench == 0 && !check_tiff_bytes (out_path, out_type, ow, oh, &layout, &error))
    goto out;
  {
    /* --bench times the network alone: colour in, nothing written. */
    SrJob job = { gegl_buffer_get_width (io.in), gegl_buffer_get_height (io.in), read_rect,
                  discard_rect, NULL, NULL, &io, threads, tile, tta };
    const GeglRectangle *extent = gegl_buffer_get_extent (io.in);
    if (extent->x != 0 || extent->y != 0)
      {
        GeglBuffer *shifted = gegl_buffer_create_sub_buffer (io.in, extent);
        g_object_set (shifted, "shift-x", extent->x, "shift-y", extent->y, NULL);
        g_object_unref (io.in);
        io.in = shifted;
      }
    if (bench > 0)
      {
        if (run_bench (model, &job, bench, &error))
          status = 0;
        goto out;
      }
    io.out = gegl_buffer_new (GEGL_RECTANGLE (0, 0, ow, oh), output_format (io.in, &layout));
    /* A terminal only: in a log or a pipe the redrawn line would be noise. */
    sr_progress_bar_init (&bar, !quiet && isatty (STDERR_FILENO));
    ok = upscale_image (model, second, &io, &layout, threads, tile, tta, &bar, &error);
    sr_progress_bar_finish (&bar, ok);
    if (ok)
      {
        OutputImage save = { io.out, out_path, out_type, layout.depth };
        if (sr_safe_save (out_path, encode_image, &save, &error))
          status = 0;
      }
  }
out:
  g_clear_object (&io.in);
  g_clear_object (&io.out);
  if (gegl_up)
    gegl_exit ();
  if (in_fd >= 0)
    close (in_fd);
  if (error)
    fprintf (stderr, "sr-upscale: %s\n", error->message);
  g_clear_error (&error);
  sr_model_free (model);
  sr_model_free (second);
  g_free (model_path);
  g_free (model_arg);
  g_free (precision_arg);
  g_option_context_free (ctx);
  return status;
}
