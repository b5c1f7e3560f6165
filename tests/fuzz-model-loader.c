/* libFuzzer target for the model loader: any byte string must be either
 * accepted or rejected with an error, never crash or read out of bounds.
 * Build with -Dfuzz=true (clang); run e.g.
 *   build-fuzz/tests/fuzz-model-loader -max_total_time=60 tests/fuzz-corpus */
#include "sr.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  GError *error = NULL;
  SrModel *model = sr_model_load_from_data (data, size, "fuzz.srm", &error);
  g_assert ((model == NULL) == (error != NULL));
  sr_model_free (model);
  g_clear_error (&error);
  return 0;
}
