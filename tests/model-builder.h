/* Builds small model files in memory for tests: a valid ECBSR by default,
 * with hooks to corrupt the header, so tests need neither PyTorch nor files. */
#ifndef SR_TEST_MODEL_BUILDER_H
#define SR_TEST_MODEL_BUILDER_H

#include <glib.h>

#include "sr.h"

typedef struct
{
  int   channels, blocks, scale;
  float fill;          /* every weight and bias; NaN allowed */
  const char *extra_meta;    /* spliced into the metadata object, or NULL */
  const char *architecture;  /* default "ecbsr" */
} TestModelSpec;

/* Returns the file bytes; @size receives the length. */
guint8 *test_model_build (const TestModelSpec *spec, gsize *size);

/* A loaded ECBSR of @channels x @blocks whose weights are all zero:
 * exactly a nearest-neighbour upscaler by @scale (its global residual), a
 * known answer for run tests.  Aborts the test on failure. */
SrModel *test_model_zero (int scale, int blocks, int channels);

/* The header JSON text of a model built by test_model_build. */
char   *test_model_header (const guint8 *bytes);
/* Re-assembles a file from a (possibly edited) header and the original data. */
guint8 *test_model_replace_header (const guint8 *bytes, gsize size, const char *header,
                                   gsize *new_size);

#endif
