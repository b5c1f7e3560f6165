/* The layer navigator under the preview; see sr-navigator.h. */
#include "sr-plugin-config.h"

#include <math.h>

#include "sr-gtk-compat.h"
#include "sr-navigator.h"
#include "sr-plugin-i18n.h"

#define THUMB_MAX_W 128
#define THUMB_MAX_H 96

struct _SrNavigator
{
  SrNavigatorFunc moved;
  gpointer        user_data;
  GtkWidget      *area;
  GdkPixbuf      *thumb;          /* NULL if the layer could not be read */
  int             thumb_w, thumb_h;
  double          fx, fy, fw, fh; /* the view, fractions of the layer */
  gboolean        dragging;
};

/* One thumbnail row: the mean of the layer's pixels under each thumbnail
 * pixel (a box filter: every layer pixel counts, nothing aliases), alpha
 * composited over mid grey. */
static void
average_band (const float *band, int width, int rows, int thumb_w, guchar *out)
{
  for (int tx = 0; tx < thumb_w; tx++)
    {
      int    x0 = tx * width / thumb_w, x1 = MAX ((tx + 1) * width / thumb_w, x0 + 1);
      double sum[3] = { 0, 0, 0 };

      for (int y = 0; y < rows; y++)
        for (int x = x0; x < x1; x++)
          {
            const float *px = band + ((gsize) y * width + x) * 4;
            for (int c = 0; c < 3; c++)
              sum[c] += px[c] * px[3] + 0.5 * (1.0 - px[3]);
          }
      for (int c = 0; c < 3; c++)
        out[tx * 3 + c] = (guchar) CLAMP (lround (sum[c] / ((double) rows * (x1 - x0)) * 255.0),
                                          0, 255);
    }
}

/* Reads the layer one band of rows at a time (never the whole layer at
 * once in floats: 16 bytes a pixel). */
static GdkPixbuf *
make_thumbnail (const SrRgbaSource *source, int thumb_w, int thumb_h)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, thumb_w, thumb_h);
  int        stride = gdk_pixbuf_get_rowstride (pixbuf);
  guchar    *pixels = gdk_pixbuf_get_pixels (pixbuf);
  float     *band = NULL;

  for (int ty = 0; ty < thumb_h; ty++)
    {
      int y0 = ty * source->height / thumb_h;
      int y1 = MAX ((ty + 1) * source->height / thumb_h, y0 + 1);

      band = g_renew (float, band, (gsize) source->width * (y1 - y0) * 4);
      if (!source->read_rgba (source->user_data, 0, y0, source->width, y1 - y0, band, NULL))
        {
          g_free (band);
          g_object_unref (pixbuf);
          return NULL;
        }
      average_band (band, source->width, y1 - y0, thumb_w, pixels + (gsize) ty * stride);
    }
  g_free (band);
  return pixbuf;
}

/* Where the thumbnail sits in the widget (centred). */
static void
thumb_origin (SrNavigator *nav, int *x, int *y)
{
  GtkAllocation room;

  gtk_widget_get_allocation (nav->area, &room);
  *x = (room.width - nav->thumb_w) / 2;
  *y = (room.height - nav->thumb_h) / 2;
}

static void
paint (SrNavigator *nav, cairo_t *cr)
{
  int ox, oy;

  if (!nav->thumb)
    return;
  thumb_origin (nav, &ox, &oy);
  gdk_cairo_set_source_pixbuf (cr, nav->thumb, ox, oy);
  cairo_paint (cr);
  /* Dark then light: the rectangle shows on any picture. */
  for (int pass = 0; pass < 2; pass++)
    {
      cairo_set_line_width (cr, pass ? 1 : 3);
      if (pass)
        cairo_set_source_rgb (cr, 1, 1, 1);
      else
        cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
      cairo_rectangle (cr, ox + floor (nav->fx * nav->thumb_w) + 0.5,
                       oy + floor (nav->fy * nav->thumb_h) + 0.5,
                       MAX (floor (nav->fw * nav->thumb_w) - 1, 1),
                       MAX (floor (nav->fh * nav->thumb_h) - 1, 1));
      cairo_stroke (cr);
    }
}

#if GTK_CHECK_VERSION (3, 0, 0)
static gboolean
on_draw (GtkWidget *widget, cairo_t *cr, SrNavigator *nav)
{
  paint (nav, cr);
  return TRUE;
}
#else
static gboolean
on_expose (GtkWidget *widget, GdkEventExpose *event, SrNavigator *nav)
{
  cairo_t *cr = gdk_cairo_create (gtk_widget_get_window (widget));

  gdk_cairo_region (cr, event->region);
  cairo_clip (cr);
  paint (nav, cr);
  cairo_destroy (cr);
  return TRUE;
}
#endif

static void
point_at (SrNavigator *nav, double x, double y)
{
  int ox, oy;

  thumb_origin (nav, &ox, &oy);
  nav->moved (CLAMP ((x - ox) / nav->thumb_w, 0.0, 1.0),
              CLAMP ((y - oy) / nav->thumb_h, 0.0, 1.0), nav->user_data);
}

static gboolean
on_press (GtkWidget *widget, GdkEventButton *event, SrNavigator *nav)
{
  if (event->button != 1 || !nav->thumb)
    return FALSE;
  nav->dragging = TRUE;
  point_at (nav, event->x, event->y);
  return TRUE;
}

static gboolean
on_motion (GtkWidget *widget, GdkEventMotion *event, SrNavigator *nav)
{
  if (nav->dragging)
    point_at (nav, event->x, event->y);
  return TRUE;
}

static gboolean
on_release (GtkWidget *widget, GdkEventButton *event, SrNavigator *nav)
{
  nav->dragging = FALSE;
  return TRUE;
}

void
sr_navigator_set_source (SrNavigator *nav, const SrRgbaSource *source)
{
  /* Never enlarged: a small layer is shown at its own size. */
  double shrink = MIN (MIN ((double) THUMB_MAX_W / source->width,
                            (double) THUMB_MAX_H / source->height), 1.0);

  g_clear_object (&nav->thumb);
  nav->thumb_w = MAX ((int) lround (source->width * shrink), 1);
  nav->thumb_h = MAX ((int) lround (source->height * shrink), 1);
  nav->thumb = make_thumbnail (source, nav->thumb_w, nav->thumb_h);
  nav->fx = nav->fy = 0.0;
  nav->fw = nav->fh = 1.0;
  /* The widget keeps the largest size asked: a box's thumbnail is never
   * larger than its layer's, and the row does not jump. */
  gtk_widget_queue_draw (nav->area);
}

SrNavigator *
sr_navigator_new (const SrRgbaSource *source, SrNavigatorFunc moved, gpointer user_data)
{
  SrNavigator *nav = g_new0 (SrNavigator, 1);

  nav->moved = moved;
  nav->user_data = user_data;
  nav->area = gtk_drawing_area_new ();
  sr_navigator_set_source (nav, source);
  gtk_widget_set_name (nav->area, "sr-navigator");
  gtk_widget_set_size_request (nav->area, nav->thumb_w + 4, nav->thumb_h + 4);
  gtk_widget_set_tooltip_text (nav->area, _("The whole layer: click or drag to choose "
                                            "the part the preview shows."));
  gtk_widget_add_events (nav->area, GDK_BUTTON_PRESS_MASK | GDK_BUTTON_RELEASE_MASK |
                                    GDK_BUTTON_MOTION_MASK);
#if GTK_CHECK_VERSION (3, 0, 0)
  g_signal_connect (nav->area, "draw", G_CALLBACK (on_draw), nav);
#else
  g_signal_connect (nav->area, "expose-event", G_CALLBACK (on_expose), nav);
#endif
  g_signal_connect (nav->area, "button-press-event", G_CALLBACK (on_press), nav);
  g_signal_connect (nav->area, "motion-notify-event", G_CALLBACK (on_motion), nav);
  g_signal_connect (nav->area, "button-release-event", G_CALLBACK (on_release), nav);
  return nav;
}

GtkWidget *
sr_navigator_get_widget (SrNavigator *nav)
{
  return nav->area;
}

void
sr_navigator_set_view (SrNavigator *nav, double fx, double fy, double fw, double fh)
{
  nav->fx = fx;
  nav->fy = fy;
  nav->fw = fw;
  nav->fh = fh;
  gtk_widget_queue_draw (nav->area);
}

void
sr_navigator_free (SrNavigator *nav)
{
  if (!nav)
    return;
  g_clear_object (&nav->thumb);
  g_free (nav);
}
