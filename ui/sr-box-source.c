/* A box of a source; see sr-box-source.h. */
#include "sr-box-source.h"

static gboolean
read_box_rgba (gpointer data, int x, int y, int w, int h, float *rgba, GError **error)
{
  SrBoxSource *box = data;

  return box->whole->read_rgba (box->whole->user_data, box->x + x, box->y + y, w, h,
                                rgba, error);
}

static gboolean
read_box_rgb (gpointer data, int x, int y, int w, int h, float *rgb, GError **error)
{
  SrBoxSource *box = data;

  return box->whole->read_rgb (box->whole->user_data, box->x + x, box->y + y, w, h,
                               rgb, error);
}

void
sr_box_source_init (SrBoxSource *box, const SrRgbaSource *whole,
                    int x, int y, int width, int height)
{
  box->whole = whole;
  box->x = x;
  box->y = y;
  box->base.width = width;
  box->base.height = height;
  box->base.has_alpha = whole->has_alpha;
  box->base.is_grey = whole->is_grey;
  box->base.read_rgba = read_box_rgba;
  box->base.read_rgb = whole->read_rgb ? read_box_rgb : NULL;
  box->base.user_data = box;
}
