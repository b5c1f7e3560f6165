/* libFuzzer target for the model loader: any byte string must be either
 * accepted or rejected with an error, never crash or read out of bounds;
 * a model that loads must also run (on a tiny image), since validation
 * that lets a bad shape through fails only there.
 * Build with -Dfuzz=true (clang); tools/fuzz.sh runs it with the seeds of
 * tests/fuzz-corpus/model (one model of every architecture, a header nested
 * too deep, a 1 MiB header). */
#include <string.h>

#include "sr.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

enum { W = 9, H = 7 };

static gboolean
read_grey (gpointer user_data, int x, int y, int w, int h, float *dst, GError **error)
{
  for (gsize i = 0; i < (gsize) w * h * 3; i++)
    dst[i] = (float) (i % 5) / 4.0f;
  return TRUE;
}

static gboolean
write_nothing (gpointer user_data, int x, int y, int w, int h, const float *src, GError **error)
{
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  GError *error = NULL;
  SrModel *model = sr_model_load_from_data (data, size, "fuzz.srm", &error);

  g_assert ((model == NULL) == (error != NULL));
  if (model)
    {
      SrJob job = { W, H, read_grey, write_nothing, NULL, NULL, NULL, 1, 0 };
      gboolean ok = sr_upscale (model, &job, &error);
      /* A model that loaded runs; only absurd sizes may refuse it. */
      g_assert (ok || g_error_matches (error, SR_ERROR, SR_ERROR_INVALID) ||
                g_error_matches (error, SR_ERROR, SR_ERROR_NOMEM));
    }
  sr_model_free (model);
  g_clear_error (&error);
  return 0;
}
