/* Colour for fully transparent pixels, taken from their visible neighbours.
 *
 * The networks see colour only, and a transparent pixel's colour is
 * arbitrary (often black).  Left as is, it bleeds into the visible edge of
 * the upscaled layer as a dark fringe.  Filling it from nearby visible pixels
 * ("alpha bleeding") makes the edge colour continue under the transparent
 * area instead.  Pure C: no GIMP, no GEGL. */
#ifndef SR_TRANSPARENT_FILL_H
#define SR_TRANSPARENT_FILL_H

#include <glib.h>

G_BEGIN_DECLS

/* How far (in input pixels) the fill looks for visible neighbours. */
#define SR_TRANSPARENT_FILL_RADIUS 8

/* @rgba: w * h pixels, non-premultiplied R'G'B'A floats, changed in place.
 * Each pixel with alpha 0 gets the alpha-weighted mean colour of the smallest
 * square around it (half-side 1 .. @radius) holding any pixel with alpha > 0;
 * pixels with none that close keep their colour.  A pixel's result depends
 * only on pixels within @radius of it, so running this on any rectangle that
 * extends @radius beyond the pixels you keep (or up to the image edge) gives
 * the same colours: tiles agree with each other. */
void sr_transparent_fill (float *rgba, int w, int h, int radius);

G_END_DECLS

#endif /* SR_TRANSPARENT_FILL_H */
