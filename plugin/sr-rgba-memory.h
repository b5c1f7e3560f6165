/* SrRgbaSource and SrRgbaSink over plain float arrays in memory.
 *
 * The preview runs the network on a crop copied out of the drawable on the
 * main thread, so that its worker thread never calls into libgimp. */
#ifndef SR_RGBA_MEMORY_H
#define SR_RGBA_MEMORY_H

#include "sr-rgba-io.h"

G_BEGIN_DECLS

typedef struct
{
  SrRgbaSource  base;     /* pass &base to the pipeline */
  const float  *pixels;   /* base.width * base.height R'G'B'A floats */
} SrRgbaMemorySource;

typedef struct
{
  SrRgbaSink  base;
  float      *pixels;     /* width * height R'G'B'A floats */
  int         width, height;
} SrRgbaMemorySink;

/* @pixels must outlive the source. */
void sr_rgba_memory_source_init (SrRgbaMemorySource *source, const float *pixels,
                                 int width, int height,
                                 gboolean has_alpha, gboolean is_grey);

/* Results outside width x height are dropped. */
void sr_rgba_memory_sink_init   (SrRgbaMemorySink *sink, float *pixels,
                                 int width, int height);

G_END_DECLS

#endif /* SR_RGBA_MEMORY_H */
