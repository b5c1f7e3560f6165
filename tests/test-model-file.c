/* The model loader refuses every malformed file with a message that names
 * the problem, and a valid file runs.  Files are built in memory
 * (model-builder.c), then corrupted one way at a time. */
#include <math.h>
#include <string.h>

#include <unistd.h>

#include <glib/gstdio.h>

#include "sr.h"
#include "model-builder.h"

static const TestModelSpec base_spec = { 8, 2, 2, 0.01f, NULL, NULL };

static void
expect_reject (const guint8 *bytes, gsize size, const char *needle)
{
  GError *error = NULL;
  SrModel *model = sr_model_load_from_data (bytes, size, "bad.srm", &error);
  g_assert_null (model);
  g_assert_nonnull (error);
  if (!strstr (error->message, needle) || !strstr (error->message, "bad.srm"))
    g_error ("message \"%s\" should name the file and contain \"%s\"", error->message, needle);
  g_error_free (error);
}

/* Replaces the first @from in the header with @to and expects @needle. */
static void
expect_header_edit_rejected (const char *from, const char *to, const char *needle)
{
  gsize size, new_size;
  guint8 *bytes = test_model_build (&base_spec, &size);
  char *header = test_model_header (bytes);
  char *at = strstr (header, from);
  GString *edited;
  guint8 *out;

  g_assert_nonnull (at);
  edited = g_string_new_len (header, at - header);
  g_string_append (edited, to);
  g_string_append (edited, at + strlen (from));
  out = test_model_replace_header (bytes, size, edited->str, &new_size);
  expect_reject (out, new_size, needle);
  g_free (out);
  g_string_free (edited, TRUE);
  g_free (header);
  g_free (bytes);
}

static void
test_valid_loads (void)
{
  gsize size;
  guint8 *bytes = test_model_build (&base_spec, &size);
  GError *error = NULL;
  SrModel *model = sr_model_load_from_data (bytes, size, "ok.srm", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sr_model_get_architecture (model), ==, "ecbsr");
  g_assert_cmpint (sr_model_get_scale (model), ==, 2);
  g_assert_cmpstr (sr_model_get_meta_string (model, "licence"), ==, "CC0-1.0");
  /* 3 convs: 3->8, 8->8, 8->8, 8->12 with biases and slopes. */
  g_assert_cmpuint (sr_model_get_n_params (model), ==,
                    (8 * 3 * 9 + 8 + 8) + 2 * (8 * 8 * 9 + 8 + 8) + (12 * 8 * 9 + 12));
  sr_model_free (model);
  g_free (bytes);
}

static void
test_truncated (void)
{
  gsize size;
  guint8 *bytes = test_model_build (&base_spec, &size);
  expect_reject (bytes, size - 100, "past the end");
  expect_reject (bytes, 12, "bad magic");
  expect_reject (bytes, 40, "does not fit");
  g_free (bytes);
}

static void
test_trailing_data (void)
{
  gsize size;
  guint8 *bytes = test_model_build (&base_spec, &size);
  guint8 *longer = g_malloc0 (size + 64);
  memcpy (longer, bytes, size);
  expect_reject (longer, size + 64, "trailing");
  g_free (longer);
  g_free (bytes);
}

static void
test_bad_preamble (void)
{
  gsize size;
  guint8 *bytes = test_model_build (&base_spec, &size);
  bytes[0] = 'X';
  expect_reject (bytes, size, "bad magic");
  bytes[0] = 'G';
  bytes[8] = 7;
  expect_reject (bytes, size, "version 7");
  bytes[8] = 1;
  bytes[15] = 0x7f;
  expect_reject (bytes, size, "header length");
  g_free (bytes);
}

static void
test_bad_json (void)
{
  expect_header_edit_rejected ("{\"metadata\"", "{\"metadata\" ::", "not valid JSON");
  expect_header_edit_rejected ("\"tensors\"", "\"tensorz\"", "\"tensors\"");
}

static void
test_bad_metadata (void)
{
  expect_header_edit_rejected ("\"ecbsr\"", "\"srcnn\"", "unknown architecture");
  expect_header_edit_rejected ("\"scale\": 2", "\"scale\": 99", "scale");
  expect_header_edit_rejected ("\"scale\": 2", "\"scale\": 2.5", "scale");
  expect_header_edit_rejected ("\"channels\": 8", "\"channels\": 100000", "channels");
  expect_header_edit_rejected ("\"input_range\": 1.0", "\"input_range\": 7", "input_range");
  expect_header_edit_rejected ("\"licence\"", "\"license_\"", "licence");
  expect_header_edit_rejected ("\"srgb\"", "\"linear\"", "colour_space");
}

static void
test_wrong_shapes (void)
{
  /* layers.0.weight is [8, 3, 3, 3]: say [8, 3, 5, 5] instead (and mind the offsets). */
  expect_header_edit_rejected ("\"shape\": [8, 3, 3, 3]", "\"shape\": [8, 3, 1, 3]", "needs [8, 3, 3, 3]");
  expect_header_edit_rejected ("\"layers.1.alpha\"", "\"layers.1.beta\"", "missing");
  expect_header_edit_rejected ("\"channels\": 8", "\"channels\": 4", "has shape");
}

static void
test_bad_offsets (void)
{
  expect_header_edit_rejected ("\"offset\": 0}", "\"offset\": 999999936}", "past the end");
  expect_header_edit_rejected ("\"offset\": 0}", "\"offset\": 12}", "multiple of 64");
  expect_header_edit_rejected ("\"offset\": 0}", "\"offset\": -64}", "offset");
  /* Point the first bias at the weights: overlap. */
  expect_header_edit_rejected ("\"offset\": 896}", "\"offset\": 0}", "overlaps");
}

static void
test_absurd_dimensions (void)
{
  expect_header_edit_rejected ("\"shape\": [8]", "\"shape\": [8, 2000000]", "outside");
  expect_header_edit_rejected ("\"shape\": [8]", "\"shape\": [1000000, 1000000, 1000]", "absurdly");
  expect_header_edit_rejected ("\"shape\": [8]", "\"shape\": []", "dimensions");
  expect_header_edit_rejected ("\"dtype\": \"f32\"", "\"dtype\": \"f64\"", "dtype");
}

static void
test_non_finite (void)
{
  TestModelSpec spec = base_spec;
  gsize size;
  guint8 *bytes;

  spec.fill = NAN;
  bytes = test_model_build (&spec, &size);
  expect_reject (bytes, size, "non-finite");
  g_free (bytes);
  spec.fill = INFINITY;
  bytes = test_model_build (&spec, &size);
  expect_reject (bytes, size, "non-finite");
  g_free (bytes);
}

/* A header that nests deeper than any model needs is refused before the
 * JSON parser sees it: 100k levels (well inside the 16 MiB header cap)
 * overflowed json-glib's recursion and crashed the process.  Nesting as
 * deep as the limit inside a metadata value still loads. */
static void
test_deep_nesting (void)
{
  const int deep = 100000;
  GString *junk = g_string_new ("{\"metadata\": {\"junk\": ");
  gsize size, new_size;
  guint8 *bytes = test_model_build (&base_spec, &size), *out;
  char *header = test_model_header (bytes);
  GError *error = NULL;
  SrModel *model;

  for (int i = 0; i < deep; i++)
    g_string_append_c (junk, '[');
  for (int i = 0; i < deep; i++)
    g_string_append_c (junk, ']');
  g_string_append (junk, ", ");
  expect_header_edit_rejected ("{\"metadata\": {", junk->str, "more than 64 deep");
  /* Brackets inside a string are text, not nesting. */
  expect_header_edit_rejected ("{\"metadata\": {", "{\"metadata\": {\"x\": \"[[[[\\\"[[\", \"y\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]], ",
                               "more than 64 deep");
  /* 60 levels in a metadata value (64 with the header's own) are fine. */
  g_string_assign (junk, "{\"metadata\": {\"junk\": ");
  for (int i = 0; i < 60; i++)
    g_string_append_c (junk, '[');
  for (int i = 0; i < 60; i++)
    g_string_append_c (junk, ']');
  g_string_append (junk, ", ");
  {
    char *at = strstr (header, "{\"metadata\": {");
    GString *edited = g_string_new_len (header, at - header);
    g_string_append (edited, junk->str);
    g_string_append (edited, at + strlen ("{\"metadata\": {"));
    out = test_model_replace_header (bytes, size, edited->str, &new_size);
    model = sr_model_load_from_data (out, new_size, "deep-ok.srm", &error);
    g_assert_no_error (error);
    g_assert_nonnull (model);
    sr_model_free (model);
    g_free (out);
    g_string_free (edited, TRUE);
  }
  g_string_free (junk, TRUE);
  g_free (header);
  g_free (bytes);
}

/* Upscales a w x h RGB image held in memory by the model's scale. */
typedef struct
{
  const float *in;
  float *out;
  int w, ow;
} MemoryImage;

static gboolean
memory_read (gpointer data, int x, int y, int w, int h, float *dst, GError **error)
{
  MemoryImage *m = data;
  for (int r = 0; r < h; r++)
    memcpy (dst + (gsize) r * w * 3, m->in + ((gsize) (y + r) * m->w + x) * 3, (gsize) w * 3 * sizeof (float));
  return TRUE;
}

static gboolean
memory_write (gpointer data, int x, int y, int w, int h, const float *src, GError **error)
{
  MemoryImage *m = data;
  for (int r = 0; r < h; r++)
    memcpy (m->out + ((gsize) (y + r) * m->ow + x) * 3, src + (gsize) r * w * 3, (gsize) w * 3 * sizeof (float));
  return TRUE;
}

static gboolean
run_in_memory (const SrModel *model, const float *in, int w, int h, float *out, GError **error)
{
  MemoryImage m = { in, out, w, w * sr_model_get_scale (model) };
  SrJob job = { w, h, memory_read, memory_write, NULL, NULL, &m, 1, 0 };
  return sr_upscale (model, &job, error);
}

/* A model loaded from a file keeps working when the file is truncated or
 * replaced under it (a reinstall, an editor, a sync tool): with the file
 * mapped, its tensors were read in place and the process died of SIGBUS. */
static void
test_file_changes_after_load (void)
{
  TestModelSpec spec = { 8, 2, 2, 0.0f, NULL, NULL };
  gsize size;
  guint8 *bytes = test_model_build (&spec, &size);
  char *dir = g_dir_make_tmp ("sr-model-XXXXXX", NULL);
  char *path = g_build_filename (dir, "changing.srm", NULL);
  float in[16 * 12 * 3], out[32 * 24 * 3];
  GError *error = NULL;
  SrModel *model;

  g_assert_true (g_file_set_contents (path, (const char *) bytes, size, NULL));
  model = sr_model_load (path, &error);
  g_assert_no_error (error);
  /* Truncate the file in place (the same inode), then run the model. */
  g_assert_cmpint (truncate (path, 0), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (in); i++)
    in[i] = (i % 17) / 16.0f;
  /* An all-zero ECBSR is a nearest-neighbour upscaler. */
  g_assert_true (run_in_memory (model, in, 16, 12, out, &error));
  g_assert_no_error (error);
  for (int y = 0; y < 24; y++)
    for (int x = 0; x < 32; x++)
      g_assert_cmpfloat_with_epsilon (out[(y * 32 + x) * 3], in[((y / 2) * 16 + x / 2) * 3], 1e-6);
  sr_model_free (model);
  g_remove (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
  g_free (bytes);
}

static void
test_missing_file (void)
{
  GError *error = NULL;
  g_assert_null (sr_model_load ("/nonexistent/model.srm", &error));
  g_assert_error (error, SR_ERROR, SR_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/model.srm"));
  g_error_free (error);
}

/* Random byte flips anywhere: the loader may accept or reject, never crash. */
static void
test_random_corruption (void)
{
  gsize size;
  guint8 *bytes = test_model_build (&base_spec, &size);
  GRand *rng = g_rand_new_with_seed (7);

  for (int iter = 0; iter < 3000; iter++)
    {
      guint8 *copy = g_memdup2 (bytes, size);
      int flips = g_rand_int_range (rng, 1, 6);
      gsize len = g_rand_int_range (rng, 0, 8) == 0 ? (gsize) g_rand_int_range (rng, 0, (gint32) size) : size;
      GError *error = NULL;
      SrModel *model;
      for (int f = 0; f < flips; f++)
        copy[g_rand_int_range (rng, 0, size)] = g_rand_int_range (rng, 0, 256);
      model = sr_model_load_from_data (copy, len, "fuzz.srm", &error);
      g_assert_true ((model == NULL) == (error != NULL));
      sr_model_free (model);
      g_clear_error (&error);
      g_free (copy);
    }
  g_rand_free (rng);
  g_free (bytes);
}

/* Writes a model file with a recorded Set5 score (or none) as @dir/@id.srm. */
static void
write_scored (const char *dir, const char *id, const char *score)
{
  char *meta = score ? g_strdup_printf ("\"training\": {\"set5_psnr_y\": %s}", score) : NULL;
  TestModelSpec spec = base_spec;
  char *file = g_strconcat (id, ".srm", NULL), *path = g_build_filename (dir, file, NULL);
  gsize size;
  guint8 *bytes;

  spec.scale = 4;
  spec.extra_meta = meta;
  bytes = test_model_build (&spec, &size);
  g_assert_true (g_file_set_contents (path, (const char *) bytes, size, NULL));
  g_free (bytes);
  g_free (path);
  g_free (file);
  g_free (meta);
}

/* The default model of a scale is the installed one with the best recorded
 * Set5 score; without scores, the quality family. */
static void
test_default_by_score (void)
{
  char *dir = g_dir_make_tmp ("sr-catalog-XXXXXX", NULL);
  char *imdn = g_build_filename (dir, "imdn-x4.srm", NULL);
  SrModel *model;

  g_assert_nonnull (dir);
  g_setenv ("SR_MODEL_PATH", dir, TRUE);
  write_scored (dir, "imdn-x4", NULL);
  write_scored (dir, "ecbsr-x4", NULL);
  g_assert_cmpstr (sr_catalog_default_id (4), ==, "imdn-x4");
  write_scored (dir, "imdn-x4", "30.28");
  write_scored (dir, "ecbsr-x4", "30.40");
  g_assert_cmpstr (sr_catalog_default_id (4), ==, "ecbsr-x4");
  write_scored (dir, "imdn-x4", "31.70");
  g_assert_cmpstr (sr_catalog_default_id (4), ==, "imdn-x4");

  model = sr_model_load (imdn, NULL);
  g_assert_cmpfloat_with_epsilon (sr_model_get_set5_psnr (model), 31.70, 1e-9);
  sr_model_free (model);
  g_unsetenv ("SR_MODEL_PATH");

  /* The same folder handed over as the caller's own (a plug-in in a user's
   * profile): searched for the scores too, not only the environment's. */
  write_scored (dir, "imdn-x4", "30.28");
  g_assert_cmpstr (sr_catalog_default_id_in (4, (const char *const[]) { dir, NULL }), ==,
                   "ecbsr-x4");
  for (const char *const *id = (const char *const[]) { "imdn-x4.srm", "ecbsr-x4.srm", NULL }; *id; id++)
    {
      char *path = g_build_filename (dir, *id, NULL);
      g_remove (path);
      g_free (path);
    }
  g_rmdir (dir);
  g_free (imdn);
  g_free (dir);
}

/* Writes @size bytes to @name in @dir; returns the path. */
static char *
write_file (const char *dir, const char *name, const guint8 *bytes, gsize size)
{
  char *path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, (const char *) bytes, size, NULL));
  return path;
}

/* Listing reads headers only: a model whose every weight is NaN lists with
 * its metadata and the cost its shapes imply (hand-computed below), and only
 * loading it, when it is used, finds the bad weights.  A header that lies
 * about the data section's size is still caught without reading it. */
static void
test_probe_reads_header_only (void)
{
  TestModelSpec spec = base_spec;
  char *dir = g_dir_make_tmp ("sr-probe-XXXXXX", NULL);
  gsize size;
  guint8 *bytes;
  char *nan_path, *short_path;
  SrModelInfo *info;
  GPtrArray *listed;
  GError *error = NULL;

  spec.fill = NAN;
  bytes = test_model_build (&spec, &size);
  nan_path = write_file (dir, "nan-x2.srm", bytes, size);
  short_path = write_file (dir, "short-x2.srm", bytes, size - 100);

  info = sr_model_probe (nan_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->id, ==, "nan-x2");
  g_assert_cmpstr (info->architecture, ==, "ecbsr");
  g_assert_cmpint (info->scale, ==, 2);
  /* Convs 3->8, 8->8, 8->8, 8->12 (3x3) with biases, PReLU slopes on all but the last. */
  g_assert_cmpuint (info->n_params, ==,
                    (8 * 3 * 9 + 8 + 8) + 2 * (8 * 8 * 9 + 8 + 8) + (12 * 8 * 9 + 12));
  g_assert_cmpfloat (info->macs_per_pixel, ==, 8 * 3 * 9 + 2 * 8 * 8 * 9 + 12 * 8 * 9);
  g_assert_nonnull (info->name);
  sr_model_info_free (info);

  g_assert_null (sr_model_load (nan_path, &error));
  g_assert_error (error, SR_ERROR, SR_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "nan-x2.srm"));
  g_assert_nonnull (strstr (error->message, "non-finite"));
  g_clear_error (&error);

  g_assert_null (sr_model_probe (short_path, &error));
  g_assert_error (error, SR_ERROR, SR_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "past the end"));
  g_clear_error (&error);

  /* The catalog lists the NaN model (and skips the short one, with a warning). */
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*short-x2.srm*");
  listed = sr_catalog_scan ((const char *const[]) { dir, NULL });
  g_test_assert_expected_messages ();
  {
    gboolean found = FALSE;
    for (guint i = 0; i < listed->len; i++)
      {
        SrModelInfo *m = listed->pdata[i];
        g_assert_cmpstr (m->id, !=, "short-x2");
        found |= g_strcmp0 (m->id, "nan-x2") == 0;
      }
    g_assert_true (found);
  }
  g_ptr_array_unref (listed);

  g_remove (nan_path);
  g_remove (short_path);
  g_rmdir (dir);
  g_free (nan_path);
  g_free (short_path);
  g_free (dir);
  g_free (bytes);
}

/* The shipped models' folder (tests/meson.build's SR_MODEL_PATH, which
 * other tests change), as read at start. */
static char *shipped_models;

/* Every shipped model probes to what loading it says: same architecture,
 * scale, parameter count, cost and score. */
static void
test_probe_matches_load (void)
{
  GPtrArray *listed;

  if (!shipped_models)
    {
      g_test_skip ("SR_MODEL_PATH (the shipped models) is not set");
      return;
    }
  listed = sr_catalog_scan ((const char *const[]) { shipped_models, NULL });

  g_assert_cmpuint (listed->len, >=, 6);
  for (guint i = 0; i < listed->len; i++)
    {
      SrModelInfo *info = listed->pdata[i];
      GError *error = NULL;
      SrModel *model = sr_model_load (info->path, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (info->architecture, ==, sr_model_get_architecture (model));
      g_assert_cmpint (info->scale, ==, sr_model_get_scale (model));
      g_assert_cmpuint (info->n_params, ==, sr_model_get_n_params (model));
      g_assert_cmpfloat (info->macs_per_pixel, ==, sr_model_get_macs_per_pixel (model));
      g_assert_cmpfloat (info->set5_psnr, ==, sr_model_get_set5_psnr (model));
      g_assert_cmpstr (info->name, ==, sr_model_get_meta_string (model, "name"));
      sr_model_free (model);
    }
  g_ptr_array_unref (listed);
}

/* Probing random corruptions of a file never crashes and either succeeds or
 * says what is wrong. */
static void
test_probe_random_corruption (void)
{
  gsize size;
  guint8 *bytes = test_model_build (&base_spec, &size);
  char *dir = g_dir_make_tmp ("sr-probe-XXXXXX", NULL);
  GRand *rand = g_rand_new_with_seed (23);

  for (int i = 0; i < 300; i++)
    {
      guint8 *copy = g_memdup2 (bytes, size);
      gsize len = g_rand_boolean (rand) ? size : (gsize) g_rand_int_range (rand, 0, (gint32) size);
      char *path;
      GError *error = NULL;
      SrModelInfo *info;

      for (int k = 0; k < 4; k++)
        copy[g_rand_int_range (rand, 0, MIN ((gint32) size, 600))] = (guint8) g_rand_int (rand);
      path = write_file (dir, "fuzz.srm", copy, len);
      info = sr_model_probe (path, &error);
      g_assert_true ((info != NULL) != (error != NULL));
      if (error)
        g_assert_nonnull (strstr (error->message, "fuzz.srm"));
      sr_model_info_free (info);
      g_clear_error (&error);
      g_remove (path);
      g_free (path);
      g_free (copy);
    }
  g_rand_free (rand);
  g_rmdir (dir);
  g_free (dir);
  g_free (bytes);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  shipped_models = g_strdup (g_getenv ("SR_MODEL_PATH"));
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/model-file/valid", test_valid_loads);
  g_test_add_func ("/model-file/truncated", test_truncated);
  g_test_add_func ("/model-file/trailing-data", test_trailing_data);
  g_test_add_func ("/model-file/bad-preamble", test_bad_preamble);
  g_test_add_func ("/model-file/bad-json", test_bad_json);
  g_test_add_func ("/model-file/bad-metadata", test_bad_metadata);
  g_test_add_func ("/model-file/wrong-shapes", test_wrong_shapes);
  g_test_add_func ("/model-file/bad-offsets", test_bad_offsets);
  g_test_add_func ("/model-file/absurd-dimensions", test_absurd_dimensions);
  g_test_add_func ("/model-file/non-finite", test_non_finite);
  g_test_add_func ("/model-file/missing-file", test_missing_file);
  g_test_add_func ("/model-file/deep-nesting", test_deep_nesting);
  g_test_add_func ("/model-file/file-changes-after-load", test_file_changes_after_load);
  g_test_add_func ("/model-file/random-corruption", test_random_corruption);
  g_test_add_func ("/catalog/default-by-score", test_default_by_score);
  g_test_add_func ("/catalog/probe-reads-header-only", test_probe_reads_header_only);
  g_test_add_func ("/catalog/probe-matches-load", test_probe_matches_load);
  g_test_add_func ("/catalog/probe-random-corruption", test_probe_random_corruption);
  return g_test_run ();
}
