/* A rectangle of a layer as a source of its own: what the preview reads
 * when only the selection's bounding box will be upscaled, so that it
 * previews exactly that box at the run's size (its edges included). */
#ifndef SR_BOX_SOURCE_H
#define SR_BOX_SOURCE_H

#include "sr-rgba-io.h"

G_BEGIN_DECLS

typedef struct
{
  SrRgbaSource        base;
  const SrRgbaSource *whole;   /* not owned; must outlive this */
  int                 x, y;    /* the box's place in @whole */
} SrBoxSource;

/* The box (@x, @y, @width, @height) of @whole, which must lie inside it. */
void sr_box_source_init (SrBoxSource *box, const SrRgbaSource *whole,
                         int x, int y, int width, int height);

G_END_DECLS

#endif /* SR_BOX_SOURCE_H */
