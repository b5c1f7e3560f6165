/* Preview compositing; see sr-preview-paint.h. */
#include "sr-preview-paint.h"

#define CHECK_SIZE  8
#define CHECK_DARK  0.4f
#define CHECK_LIGHT 0.6f

static const float *
pixel_at (const SrPreviewPixels *p, int ox, int oy)
{
  if (!p || !p->pixels || ox < p->x || oy < p->y || ox >= p->x + p->w || oy >= p->y + p->h)
    return NULL;
  return p->pixels + ((gsize) (oy - p->y) * p->w + (ox - p->x)) * 4;
}

static guchar
to_byte (float v)
{
  return (guchar) (CLAMP (v, 0.0f, 1.0f) * 255.0f + 0.5f);
}

void
sr_preview_paint (guchar *rgb, int rowstride, int vx, int vy, int vw, int vh,
                  const SrPreviewPixels *before, const SrPreviewPixels *after, int divider)
{
  for (int y = 0; y < vh; y++)
    {
      guchar *d = rgb + (gsize) y * rowstride;

      for (int x = 0; x < vw; x++, d += 3)
        {
          int          ox = vx + x, oy = vy + y;
          const float *p = x >= divider ? pixel_at (after, ox, oy) : NULL;
          /* Checks move with the image, so panning looks like panning. */
          float        check = ((ox / CHECK_SIZE + oy / CHECK_SIZE) & 1) ? CHECK_LIGHT : CHECK_DARK;

          if (!p)
            p = pixel_at (before, ox, oy);
          if (!p)
            {
              d[0] = d[1] = d[2] = to_byte (check);
              continue;
            }
          for (int c = 0; c < 3; c++)
            d[c] = to_byte (p[c] * p[3] + check * (1.0f - p[3]));
        }
    }
}

void
sr_preview_place_tags (int area_w, int image_x, int image_w, int left_w, int right_w,
                       int margin, int *left_x, int *right_x, gboolean *inside)
{
  *left_x = image_x + margin;
  *right_x = image_x + image_w - margin - right_w;
  *inside = *left_x + left_w + margin <= *right_x;
  if (*inside)
    return;
  *left_x = margin;
  *right_x = area_w - margin - right_w;
  /* An area too narrow for both (not the dialog's): side by side anyway. */
  if (*left_x + left_w + margin > *right_x)
    *right_x = *left_x + left_w + margin;
}
