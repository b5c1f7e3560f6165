/* GEGL-buffer SrRgbaSource / SrRgbaSink; see sr-gegl-io.h. */
#include <string.h>

#include "sr-gegl-io.h"

static const char *const float_formats[] = {
  NULL, "Y' float", "Y'A float", "R'G'B' float", "R'G'B'A float"
};

static int
channel_count (gboolean has_alpha, gboolean is_grey)
{
  return (is_grey ? 1 : 3) + (has_alpha ? 1 : 0);
}

/* Reusable scratch of @n_floats, or NULL with @error set (a clean failure
 * of the run rather than an abort). */
static float *
grow (float **buffer, gsize *size, gsize n_floats, GError **error)
{
  if (n_floats > *size)
    {
      g_free (*buffer);
      *size = 0;
      if (!(*buffer = g_try_new (float, n_floats)))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOMEM, "out of memory for a tile");
          return NULL;
        }
      *size = n_floats;
    }
  return *buffer;
}

/* n_channels floats a pixel -> R'G'B'A; grey is replicated, missing alpha is 1. */
static void
unpack (const float *src, int n_channels, float *rgba, gsize n)
{
  gboolean grey = n_channels < 3;
  gboolean alpha = n_channels % 2 == 0;

  for (gsize i = 0; i < n; i++, src += n_channels, rgba += 4)
    {
      rgba[0] = src[0];
      rgba[1] = grey ? src[0] : src[1];
      rgba[2] = grey ? src[0] : src[2];
      rgba[3] = alpha ? src[n_channels - 1] : 1.0f;
    }
}

/* R'G'B'A -> n_channels floats; for grey R = G = B already, so R is Y'. */
static void
pack (const float *rgba, int n_channels, float *dst, gsize n)
{
  gboolean grey = n_channels < 3;
  gboolean alpha = n_channels % 2 == 0;

  for (gsize i = 0; i < n; i++, rgba += 4, dst += n_channels)
    {
      dst[0] = rgba[0];
      if (!grey)
        {
          dst[1] = rgba[1];
          dst[2] = rgba[2];
        }
      if (alpha)
        dst[n_channels - 1] = rgba[3];
    }
}

static gboolean
read_gegl (gpointer user_data, int x, int y, int w, int h, float *rgba, GError **error)
{
  SrGeglSource *source = user_data;
  GeglRectangle rect = { x, y, w, h };
  gsize         n = (gsize) w * h;
  /* R'G'B'A needs no repacking: read straight into the caller's memory. */
  float        *pixels = source->n_channels == 4
                         ? rgba : grow (&source->scratch, &source->scratch_size,
                                        n * source->n_channels, error);

  if (!pixels)
    return FALSE;
  gegl_buffer_get (source->buffer, &rect, 1.0, source->format, pixels,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_CLAMP);
  if (pixels != rgba)
    unpack (pixels, source->n_channels, rgba, n);
  return TRUE;
}

/* Opaque colour: the float format is R'G'B' already. */
static gboolean
read_gegl_rgb (gpointer user_data, int x, int y, int w, int h, float *rgb, GError **error)
{
  SrGeglSource *source = user_data;
  GeglRectangle rect = { x, y, w, h };

  gegl_buffer_get (source->buffer, &rect, 1.0, source->format, rgb,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_CLAMP);
  return TRUE;
}

void
sr_gegl_source_init (SrGeglSource *source, GeglBuffer *buffer,
                     gboolean has_alpha, gboolean is_grey)
{
  memset (source, 0, sizeof *source);
  source->buffer = buffer;
  source->n_channels = channel_count (has_alpha, is_grey);
  source->format = babl_format_with_space (float_formats[source->n_channels],
                                           gegl_buffer_get_format (buffer));
  source->base.width = gegl_buffer_get_width (buffer);
  source->base.height = gegl_buffer_get_height (buffer);
  source->base.has_alpha = has_alpha;
  source->base.is_grey = is_grey;
  source->base.read_rgba = read_gegl;
  source->base.read_rgb = source->n_channels == 3 ? read_gegl_rgb : NULL;
  source->base.user_data = source;
}

void
sr_gegl_source_clear (SrGeglSource *source)
{
  g_clear_pointer (&source->scratch, g_free);
  source->scratch_size = 0;
}

static gboolean
write_gegl (gpointer user_data, int x, int y, int w, int h, const float *rgba, GError **error)
{
  SrGeglSink   *sink = user_data;
  GeglRectangle rect = { x, y, w, h };
  gsize         n = (gsize) w * h;
  const float  *pixels = rgba;

  if (sink->n_channels != 4)
    {
      float *packed = grow (&sink->scratch, &sink->scratch_size, n * sink->n_channels, error);
      if (!packed)
        return FALSE;
      pack (rgba, sink->n_channels, packed, n);
      pixels = packed;
    }
  gegl_buffer_set (sink->buffer, &rect, 0, sink->format, pixels, GEGL_AUTO_ROWSTRIDE);
  return TRUE;
}

static gboolean
write_gegl_rgb (gpointer user_data, int x, int y, int w, int h, const float *rgb, GError **error)
{
  SrGeglSink   *sink = user_data;
  GeglRectangle rect = { x, y, w, h };

  gegl_buffer_set (sink->buffer, &rect, 0, sink->format, rgb, GEGL_AUTO_ROWSTRIDE);
  return TRUE;
}

void
sr_gegl_sink_init (SrGeglSink *sink, GeglBuffer *buffer, gboolean has_alpha, gboolean is_grey)
{
  memset (sink, 0, sizeof *sink);
  sink->buffer = buffer;
  sink->n_channels = channel_count (has_alpha, is_grey);
  sink->format = babl_format_with_space (float_formats[sink->n_channels],
                                         gegl_buffer_get_format (buffer));
  sink->base.write_rgba = write_gegl;
  sink->base.write_rgb = sink->n_channels == 3 ? write_gegl_rgb : NULL;
  sink->base.user_data = sink;
}

void
sr_gegl_sink_clear (SrGeglSink *sink)
{
  g_clear_pointer (&sink->scratch, g_free);
  sink->scratch_size = 0;
}
