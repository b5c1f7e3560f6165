/* SrRgbaSource and SrRgbaSink over GEGL buffers.
 *
 * Pixels cross as float in the perceptual (R'G'B', Y') encoding and the
 * colour space of the buffer's own format: the models expect perceptually
 * encoded values, and staying in the image's space avoids a gamut round
 * trip.  The float format keeps the buffer's channels (with or without
 * alpha, RGB or grey) so that babl converts straight between it and the
 * buffer's precision; a detour through another layout would add rounding
 * and make results differ from the CLI's in the last bit.  The pipeline's
 * R'G'B'A is packed and unpacked here; opaque RGB also goes straight
 * through (read_rgb / write_rgb), exactly as the CLI reads and writes.
 * GEGL only: no libgimp. */
#ifndef SR_GEGL_IO_H
#define SR_GEGL_IO_H

#include <gegl.h>

#include "sr-rgba-io.h"

G_BEGIN_DECLS

typedef struct
{
  SrRgbaSource  base;
  GeglBuffer   *buffer;      /* not owned */
  const Babl   *format;      /* float, the buffer's channels */
  int           n_channels;  /* 1 (Y'), 2 (Y'A), 3 (R'G'B') or 4 (R'G'B'A) */
  float        *scratch;
  gsize         scratch_size;
} SrGeglSource;

typedef struct
{
  SrRgbaSink  base;
  GeglBuffer *buffer;        /* not owned */
  const Babl *format;
  int         n_channels;
  float      *scratch;
  gsize       scratch_size;
} SrGeglSink;

/* Reads the whole extent of @buffer, which must start at (0, 0). */
void sr_gegl_source_init  (SrGeglSource *source, GeglBuffer *buffer,
                           gboolean has_alpha, gboolean is_grey);
void sr_gegl_source_clear (SrGeglSource *source);

/* Writes results into @buffer in the same layout rules as the source. */
void sr_gegl_sink_init    (SrGeglSink *sink, GeglBuffer *buffer,
                           gboolean has_alpha, gboolean is_grey);
void sr_gegl_sink_clear   (SrGeglSink *sink);

G_END_DECLS

#endif /* SR_GEGL_IO_H */
