#include "model-builder.h"

#include <string.h>

static void
put_le32 (guint8 *p, guint32 v)
{
  p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}

static gsize
align64 (gsize n)
{
  return (n + 63) / 64 * 64;
}

static guint8 *
assemble (const char *header, const guint8 *data, gsize data_size, gsize *size)
{
  gsize hlen = strlen (header), start = align64 (16 + hlen);
  guint8 *out = g_malloc0 (start + data_size);
  memcpy (out, "GIMPSRM", 8);
  put_le32 (out + 8, 1);
  put_le32 (out + 12, hlen);
  memcpy (out + 16, header, hlen);
  memcpy (out + start, data, data_size);
  *size = start + data_size;
  return out;
}

guint8 *
test_model_build (const TestModelSpec *spec, gsize *size)
{
  GString *h = g_string_new (NULL);
  GByteArray *data = g_byte_array_new ();
  int c = spec->channels, n = spec->blocks + 2, s = spec->scale;
  guint8 *out;

  g_string_append_printf (h, "{\"metadata\": {\"architecture\": \"%s\", \"scale\": %d, "
                          "\"channels\": %d, \"blocks\": %d, \"colour_space\": \"srgb\", "
                          "\"input_range\": 1.0, \"name\": \"test\", \"description\": \"test model\", "
                          "\"provenance\": \"tests\", \"licence\": \"CC0-1.0\"%s%s}, \"tensors\": {",
                          spec->architecture ? spec->architecture : "ecbsr", s, c, spec->blocks,
                          spec->extra_meta ? ", " : "", spec->extra_meta ? spec->extra_meta : "");
  for (int i = 0; i < n; i++)
    {
      int cin = i == 0 ? 3 : c, cout = i == n - 1 ? 3 * s * s : c;
      struct { const char *suffix; int dims[4], ndim; } parts[3] = {
        { "weight", { cout, cin, 3, 3 }, 4 }, { "bias", { cout }, 1 }, { "alpha", { cout }, 1 } };
      for (int p = 0; p < (i == n - 1 ? 2 : 3); p++)
        {
          gsize count = 1;
          g_string_append_printf (h, "%s\"layers.%d.%s\": {\"dtype\": \"f32\", \"shape\": [",
                                  i || p ? ", " : "", i, parts[p].suffix);
          for (int d = 0; d < parts[p].ndim; d++)
            {
              g_string_append_printf (h, "%s%d", d ? ", " : "", parts[p].dims[d]);
              count *= parts[p].dims[d];
            }
          g_string_append_printf (h, "], \"offset\": %u}", data->len);
          for (gsize k = 0; k < count; k++)
            g_byte_array_append (data, (const guint8 *) &spec->fill, 4);
          g_byte_array_set_size (data, align64 (data->len));
        }
    }
  g_string_append (h, "}}");
  out = assemble (h->str, data->data, data->len, size);
  g_string_free (h, TRUE);
  g_byte_array_unref (data);
  return out;
}

char *
test_model_header (const guint8 *bytes)
{
  guint32 len = bytes[12] | bytes[13] << 8 | bytes[14] << 16 | (guint32) bytes[15] << 24;
  return g_strndup ((const char *) bytes + 16, len);
}

guint8 *
test_model_replace_header (const guint8 *bytes, gsize size, const char *header, gsize *new_size)
{
  char *old = test_model_header (bytes);
  gsize start = align64 (16 + strlen (old));
  guint8 *out = assemble (header, bytes + start, size - start, new_size);
  g_free (old);
  return out;
}

SrModel *
test_model_zero (int scale, int blocks, int channels)
{
  TestModelSpec spec = { channels, blocks, scale, 0.0f, NULL, NULL };
  gsize size;
  guint8 *bytes = test_model_build (&spec, &size);
  GError *error = NULL;
  SrModel *model = sr_model_load_from_data (bytes, size, "zero.srm", &error);

  g_assert_no_error (error);
  g_free (bytes);
  return model;
}
