/* Turns the preview's float pixels into what the screen shows: before on
 * the left of the divider, after on the right, transparency over a
 * checkerboard.  Pure C, no GTK. */
#ifndef SR_PREVIEW_PAINT_H
#define SR_PREVIEW_PAINT_H

#include <glib.h>

G_BEGIN_DECLS

/* R'G'B'A float pixels covering (x, y, w, h) in output coordinates. */
typedef struct
{
  const float *pixels;
  int          x, y, w, h;
} SrPreviewPixels;

/* Fills @rgb (vw * vh pixels, 3 bytes each, @rowstride bytes a row) with the
 * view whose top-left output pixel is (vx, vy).  Columns left of @divider
 * show @before; the others @after where it has pixels and @before elsewhere
 * (while a new result is being computed after panning). */
void sr_preview_paint (guchar *rgb, int rowstride, int vx, int vy, int vw, int vh,
                       const SrPreviewPixels *before, const SrPreviewPixels *after,
                       int divider);

/* Where the two tags ("Bicubic", "Super-resolved") go: the left x of each
 * tag's box, @left_w and @right_w wide, in a drawing area @area_w wide whose
 * image spans [image_x, image_x + image_w).  Inside the image's top corners,
 * @margin from its edges, when they fit there side by side with @margin
 * between them; on an image narrower than that (a small selection) at the
 * area's corners instead, over the grey around the image, so that neither
 * covers the other.  *@inside says which (the tags' y follows it). */
void sr_preview_place_tags (int area_w, int image_x, int image_w, int left_w, int right_w,
                            int margin, int *left_x, int *right_x, gboolean *inside);

G_END_DECLS

#endif /* SR_PREVIEW_PAINT_H */
