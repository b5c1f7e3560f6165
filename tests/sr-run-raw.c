/* sr-run-raw MODEL IN.f32 WIDTH HEIGHT OUT.f32
 *
 * Runs a model on raw float32 interleaved RGB (0..1) and writes the raw
 * output: the bridge the PyTorch comparison tests use, free of image-file
 * quantisation.  Set SR_NO_CLAMP=1 to see the network's unclamped output.
 * SR_TILE, SR_THREADS, SR_TTA=1, SR_TILE_BUDGET_MB set the job (the last is
 * the per-tile memory of automatic tiles); SR_SCALE=f asks for an output
 * of round(f * size) through sr_upscale_to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr.h"

typedef struct
{
  const float *in;
  float *out;
  int w, ow;
} Raw;

static gboolean
read_raw (gpointer user, int x, int y, int w, int h, float *dst, GError **error)
{
  Raw *r = user;
  for (int row = 0; row < h; row++)
    memcpy (dst + (gsize) row * w * 3, r->in + ((gsize) (y + row) * r->w + x) * 3, (gsize) w * 3 * sizeof (float));
  return TRUE;
}

static gboolean
write_raw (gpointer user, int x, int y, int w, int h, const float *src, GError **error)
{
  Raw *r = user;
  for (int row = 0; row < h; row++)
    memcpy (r->out + ((gsize) (y + row) * r->ow + x) * 3, src + (gsize) row * w * 3, (gsize) w * 3 * sizeof (float));
  return TRUE;
}

int
main (int argc, char **argv)
{
  GError *error = NULL;
  SrModel *model;
  gchar *data = NULL;
  gsize len = 0;
  int w, h, ow, oh;
  Raw raw;
  FILE *f;

  if (argc != 6)
    {
      fprintf (stderr, "usage: %s MODEL IN.f32 WIDTH HEIGHT OUT.f32\n", argv[0]);
      return 2;
    }
  w = atoi (argv[3]);
  h = atoi (argv[4]);
  if (!(model = sr_model_load (argv[1], &error)) ||
      !g_file_get_contents (argv[2], &data, &len, &error) ||
      !sr_output_size (model, w, h, &ow, &oh, &error))
    goto fail;
  if (g_getenv ("SR_SCALE"))
    {
      double f = g_ascii_strtod (g_getenv ("SR_SCALE"), NULL);
      ow = (int) (w * f + 0.5);
      oh = (int) (h * f + 0.5);
    }
  if (len != (gsize) w * h * 3 * sizeof (float))
    {
      fprintf (stderr, "sr-run-raw: %s holds %zu bytes, not %d x %d x 3 floats\n", argv[2], len, w, h);
      return 1;
    }
  raw = (Raw) { (const float *) data, g_new (float, (gsize) ow * oh * 3), w, ow };
  {
    SrJob job = { w, h, read_raw, write_raw, NULL, NULL, &raw, 0, 0 };
    const char *tile = g_getenv ("SR_TILE");
    const char *threads = g_getenv ("SR_THREADS");
    job.tile_size = tile ? atoi (tile) : 0;
    job.threads = threads ? atoi (threads) : 0;
    job.tta = g_strcmp0 (g_getenv ("SR_TTA"), "1") == 0;
    job.unclamped = g_strcmp0 (g_getenv ("SR_NO_CLAMP"), "1") == 0;
    if (g_getenv ("SR_TILE_BUDGET_MB"))
      job.tile_budget_mb = g_ascii_strtod (g_getenv ("SR_TILE_BUDGET_MB"), NULL);
    if (!sr_upscale_to (model, &job, ow, oh, &error))
      goto fail;
  }
  f = fopen (argv[5], "wb");
  if (!f || fwrite (raw.out, sizeof (float), (gsize) ow * oh * 3, f) != (gsize) ow * oh * 3 || fclose (f) != 0)
    {
      fprintf (stderr, "sr-run-raw: cannot write %s\n", argv[5]);
      return 1;
    }
  g_free (raw.out);
  g_free (data);
  sr_model_free (model);
  return 0;
fail:
  fprintf (stderr, "sr-run-raw: %s\n", error->message);
  return 1;
}
