/* In-memory SrRgbaSource / SrRgbaSink; see sr-rgba-memory.h. */
#include <string.h>

#include "sr-rgba-memory.h"

static gboolean
read_memory (gpointer user_data, int x, int y, int w, int h, float *rgba, GError **error)
{
  SrRgbaMemorySource *source = user_data;
  int                 stride = source->base.width;

  for (int j = 0; j < h; j++)
    memcpy (rgba + (gsize) j * w * 4,
            source->pixels + ((gsize) (y + j) * stride + x) * 4,
            (gsize) w * 4 * sizeof (float));
  return TRUE;
}

void
sr_rgba_memory_source_init (SrRgbaMemorySource *source, const float *pixels,
                            int width, int height, gboolean has_alpha, gboolean is_grey)
{
  source->pixels = pixels;
  source->base.width = width;
  source->base.height = height;
  source->base.has_alpha = has_alpha;
  source->base.is_grey = is_grey;
  source->base.read_rgba = read_memory;
  source->base.read_rgb = NULL;
  source->base.user_data = source;
}

static gboolean
write_memory (gpointer user_data, int x, int y, int w, int h, const float *rgba, GError **error)
{
  SrRgbaMemorySink *sink = user_data;
  int x0 = MAX (x, 0), y0 = MAX (y, 0);
  int x1 = MIN (x + w, sink->width), y1 = MIN (y + h, sink->height);

  for (int j = y0; j < y1; j++)
    memcpy (sink->pixels + ((gsize) j * sink->width + x0) * 4,
            rgba + ((gsize) (j - y) * w + (x0 - x)) * 4,
            (gsize) MAX (x1 - x0, 0) * 4 * sizeof (float));
  return TRUE;
}

void
sr_rgba_memory_sink_init (SrRgbaMemorySink *sink, float *pixels, int width, int height)
{
  sink->pixels = pixels;
  sink->width = width;
  sink->height = height;
  sink->base.write_rgba = write_memory;
  sink->base.write_rgb = NULL;
  sink->base.user_data = sink;
}
