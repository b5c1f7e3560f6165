/* The layer navigator under the preview; see sr-navigator.h. */
#include "sr-plugin-config.h"

#include <math.h>

#include "sr-gtk-compat.h"
#include "sr-navigator.h"
#include "sr-plugin-i18n.h"

#define THUMB_MAX_W 128
#define THUMB_MAX_H 96
/* Layer pixels read at once for the thumbnail (16 bytes each): 16 MB,
 * whatever the layer's size. */
#define READ_MAX_PIXELS (1 << 20)

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

/* The layer columns under thumbnail column @tx: [*x0, *x1). */
static void
column_span (int width, int thumb_w, int tx, int *x0, int *x1)
{
  *x0 = (int) ((gint64) tx * width / thumb_w);
  *x1 = MAX ((int) ((gint64) (tx + 1) * width / thumb_w), *x0 + 1);
}

/* Thumbnail pixels [tx0, tx1) of one row: the mean of the layer's pixels
 * under each (a box filter: every layer pixel counts, nothing aliases),
 * alpha composited over mid grey.  @chunk holds @rows rows of the layer's
 * columns from @chunk_x, @chunk_w wide. */
static void
average_chunk (const float *chunk, int chunk_x, int chunk_w, int rows,
               int width, int thumb_w, int tx0, int tx1, guchar *out)
{
  for (int tx = tx0; tx < tx1; tx++)
    {
      int    x0, x1;
      double sum[3] = { 0, 0, 0 };

      column_span (width, thumb_w, tx, &x0, &x1);
      for (int y = 0; y < rows; y++)
        for (int x = x0; x < x1; x++)
          {
            const float *px = chunk + ((gsize) y * chunk_w + (x - chunk_x)) * 4;
            for (int c = 0; c < 3; c++)
              sum[c] += px[c] * px[3] + 0.5 * (1.0 - px[3]);
          }
      for (int c = 0; c < 3; c++)
        out[tx * 3 + c] = (guchar) CLAMP (lround (sum[c] / ((double) rows * (x1 - x0)) * 255.0),
                                          0, 255);
    }
}

/* Reads the layer one band of rows at a time, each band in chunks of whole
 * thumbnail columns of at most READ_MAX_PIXELS where a column allows (never
 * the whole layer at once in floats).  See sr-navigator.h. */
GdkPixbuf *
sr_navigator_thumbnail (const SrRgbaSource *source, int thumb_w, int thumb_h)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, thumb_w, thumb_h);
  int        stride = gdk_pixbuf_get_rowstride (pixbuf);
  guchar    *pixels = gdk_pixbuf_get_pixels (pixbuf);
  float     *chunk = NULL;
  gboolean   ok = TRUE;

  for (int ty = 0; ty < thumb_h && ok; ty++)
    {
      int y0 = (int) ((gint64) ty * source->height / thumb_h);
      int y1 = MAX ((int) ((gint64) (ty + 1) * source->height / thumb_h), y0 + 1);
      int rows = y1 - y0;

      for (int tx0 = 0, tx1; tx0 < thumb_w && ok; tx0 = tx1)
        {
          int x0, x1, start, end;

          column_span (source->width, thumb_w, tx0, &x0, &x1);
          for (tx1 = tx0 + 1; tx1 < thumb_w; tx1++)
            {
              column_span (source->width, thumb_w, tx1, &start, &end);
              if ((gint64) (end - x0) * rows > READ_MAX_PIXELS)
                break;
              x1 = end;
            }
          chunk = g_renew (float, chunk, (gsize) (x1 - x0) * rows * 4);
          ok = source->read_rgba (source->user_data, x0, y0, x1 - x0, rows, chunk, NULL);
          if (ok)
            average_chunk (chunk, x0, x1 - x0, rows, source->width, thumb_w, tx0, tx1,
                           pixels + (gsize) ty * stride);
        }
    }
  g_free (chunk);
  if (!ok)
    g_clear_object (&pixbuf);
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
  nav->thumb = sr_navigator_thumbnail (source, nav->thumb_w, nav->thumb_h);
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
