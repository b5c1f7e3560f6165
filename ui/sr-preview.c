/* The before/after preview widget; see sr-preview.h. */
#include "sr-plugin-config.h"

#include <math.h>
#include <string.h>

#include "resample.h"
#include "sr.h"
#include "sr-gtk-compat.h"
#include "sr-navigator.h"
#include "sr-plugin-i18n.h"
#include "sr-preview.h"
#include "sr-preview-paint.h"
#include "sr-preview-worker.h"

#define VIEW_WIDTH       384      /* size asked for; the view follows the */
#define VIEW_HEIGHT      288      /* allocation when the dialog grows */
/* Input pixels around the crop the network sees, so that its own border
 * effects stay outside the view. */
#define CROP_MARGIN      16
/* When the output/input size ratio is p/q with q at most this, crops start
 * and end on multiples of q: the crop then resamples on exactly the grid of
 * the whole layer (see crop_axis()). */
#define ALIGN_MAX        16
#define RESTART_DELAY_MS 150      /* lets a drag settle before a new run */
#define STATUS_PERIOD_MS 200
/* The dialog stays open for minutes while the core keeps its worker threads
 * and their scratch after each preview run: once no preview has run for
 * this long they are handed back (sr_cache_trim); the next run makes them
 * again. */
#define IDLE_TRIM_S      5
#define DIVIDER_GRAB     6        /* pixels either side of the divider */
/* Output pixels a view may hold at most: "Fit" on a large result reduces
 * only this far, since the network runs on everything in view and the
 * preview keeps three float copies of it (crop, before, after: ~100 MB at
 * 2 MP).  Beyond it the view pans as at 100 %. */
#define FIT_MAX_PIXELS   (2 * 1000 * 1000)

typedef enum { DRAG_NONE, DRAG_PAN, DRAG_DIVIDER } DragKind;

/* The zoom list's rows: fit the whole result into the view (reduced or
 * enlarged; see FIT_MAX_PIXELS), or 1 or 2 screen pixels per output
 * pixel. */
enum { ZOOM_FIT, ZOOM_100, ZOOM_200 };

struct _SrPreview
{
  const SrRgbaSource *source;
  SrPreviewTimingFunc timing;
  gpointer            timing_data;
  SrPreviewWorker    *worker;
  SrNavigator        *navigator;

  GtkWidget *box, *area, *status, *zoom_combo;

  /* What to compute: the layer becomes out_w x out_h. */
  char    *model_path;
  int      out_w, out_h, threads, tile_size;
  gboolean tta;
  char    *unavailable;           /* why nothing can be computed, or NULL */

  /* The view: output pixels (vx, vy, vw, vh), divider in view columns
   * (output pixels); the room the widget has for it, in screen pixels;
   * screen pixels per output pixel. */
  int    vx, vy, vw, vh;
  int    room_w, room_h;
  int    divider;
  int    zoom_mode;
  double zoom;

  /* The input crop under the view, what it becomes (tw x th output pixels
   * at tx, ty), and the bicubic "before". */
  float *crop;
  int    cx, cy, cw, ch;
  int    tx, ty, tw, th;
  float *before;

  /* The latest result; may lag behind the view while panning. */
  float *after;
  int    ax, ay, aw, ah;
  gboolean done;
  int      n_results;   /* results shown so far (for tests) */
  int      n_trims;     /* idle trims done so far (for tests) */

  guint debounce_id, status_id, trim_id;

  DragKind drag;
  double   drag_x, drag_y;
  int      drag_vx, drag_vy;
};

/* --- reading the crop and the bicubic side ------------------------------ */

static int
output_width (SrPreview *p)
{
  return p->out_w;
}

static int
output_height (SrPreview *p)
{
  return p->out_h;
}

static int
gcd (int a, int b)
{
  while (b)
    {
      int t = a % b;
      a = b;
      b = t;
    }
  return a;
}

/* One axis resized from in_len to out_len pixels: the input span
 * [*c0, *c0 + *clen) under the output span [v0, v0 + vlen), CROP_MARGIN
 * wider, and the output span it becomes, [*t0, *t0 + *tlen).  The crop is
 * upscaled on its own (sr_upscale_to to *tlen pixels), so its grid matches
 * the whole layer's only if its ends map to whole output pixels: with a
 * ratio p/q in lowest terms, ends on multiples of q (or the layer's end).
 * That is done when q is small; otherwise the crop's grid is within half
 * an output pixel of the layer's. */
static void
crop_axis (int in_len, int out_len, int v0, int vlen,
           int *c0, int *clen, int *t0, int *tlen)
{
  int    q = in_len / gcd (in_len, out_len);
  double ratio = (double) in_len / out_len;
  int    a = MAX ((int) floor (v0 * ratio) - CROP_MARGIN, 0);
  int    b = MIN ((int) ceil ((v0 + vlen) * ratio) + CROP_MARGIN, in_len);

  if (q <= ALIGN_MAX)
    {
      a = a / q * q;
      b = MIN ((b + q - 1) / q * q, in_len);
    }
  *c0 = a;
  *clen = b - a;
  *t0 = (int) round ((double) a * out_len / in_len);
  *tlen = (int) round ((double) b * out_len / in_len) - *t0;
}

/* Screen pixels per output pixel for the zoom chosen and the room there is. */
static double
effective_zoom (SrPreview *p, int out_w, int out_h)
{
  switch (p->zoom_mode)
    {
    case ZOOM_200:
      return 2.0;
    case ZOOM_FIT:
      if (out_w > 0 && out_h > 0)
        return MAX (MIN ((double) p->room_w / out_w, (double) p->room_h / out_h),
                    sqrt ((double) p->room_w * p->room_h / FIT_MAX_PIXELS));
      return 1.0;
    default:
      return 1.0;
    }
}

/* Output pixels the view shows across and down at @zoom. */
static void
view_size (SrPreview *p, double zoom, int out_w, int out_h, int *vw, int *vh)
{
  *vw = MIN ((int) (p->room_w / zoom), out_w);
  *vh = MIN ((int) (p->room_h / zoom), out_h);
}

/* Shows the navigator where the view is now. */
static void
update_navigator (SrPreview *p)
{
  if (p->out_w > 0 && p->out_h > 0)
    sr_navigator_set_view (p->navigator, (double) p->vx / p->out_w, (double) p->vy / p->out_h,
                           (double) p->vw / p->out_w, (double) p->vh / p->out_h);
}

/* Re-reads the crop under the view and recomputes "before".  Main thread:
 * the source may call into libgimp. */
static void
refresh_view (SrPreview *p)
{
  GError *error = NULL;

  g_clear_pointer (&p->before, g_free);
  if (p->out_w <= 0 || p->out_h <= 0)
    return;

  p->zoom = effective_zoom (p, p->out_w, p->out_h);
  view_size (p, p->zoom, p->out_w, p->out_h, &p->vw, &p->vh);
  p->vx = CLAMP (p->vx, 0, output_width (p) - p->vw);
  p->vy = CLAMP (p->vy, 0, output_height (p) - p->vh);
  p->divider = CLAMP (p->divider, 0, p->vw);

  update_navigator (p);
  crop_axis (p->source->width, p->out_w, p->vx, p->vw, &p->cx, &p->cw, &p->tx, &p->tw);
  crop_axis (p->source->height, p->out_h, p->vy, p->vh, &p->cy, &p->ch, &p->ty, &p->th);

  g_free (p->crop);
  p->crop = g_new (float, (gsize) p->cw * p->ch * 4);
  if (!p->source->read_rgba (p->source->user_data, p->cx, p->cy, p->cw, p->ch, p->crop, &error))
    {
      gtk_label_set_text (GTK_LABEL (p->status), error ? error->message : "");
      g_clear_error (&error);
      return;
    }

  p->before = g_new (float, (gsize) p->vw * p->vh * 4);
  {
    /* The core's cubic, as the result's alpha; the crop covers its taps
     * (edges replicated at the image's own edges, as for the result). */
    SrResampleAxis ax = { 0 }, ay = { 0 };
    SrResampleBlock block = { p->crop, p->cw, p->ch, p->cx, p->cy, 4, 1 };

    if (!sr_resample_axis_init (&ax, p->source->width, p->out_w, p->vx, p->vw,
                                p->cx, p->cx + p->cw) ||
        !sr_resample_axis_init (&ay, p->source->height, p->out_h, p->vy, p->vh,
                                p->cy, p->cy + p->ch) ||
        !sr_resample_block (&block, 4, &ax, &ay, SR_RESAMPLE_UNIT_RANGE, p->before, 4))
      g_clear_pointer (&p->before, g_free);
    sr_resample_axis_clear (&ax);
    sr_resample_axis_clear (&ay);
  }
}

/* --- background runs ---------------------------------------------------- */

static void
set_status (SrPreview *p, const char *text)
{
  gtk_label_set_text (GTK_LABEL (p->status), text);
}

static gboolean
show_progress (gpointer data)
{
  SrPreview *p = data;
  double     fraction = sr_preview_worker_progress (p->worker);
  char      *text;

  if (fraction < 0)
    return G_SOURCE_CONTINUE;   /* queued, not started yet */
  /* TRANSLATORS: %d is a percentage */
  text = g_strdup_printf (_("Computing preview… %d %%"), (int) (fraction * 100));
  set_status (p, text);
  g_free (text);
  return G_SOURCE_CONTINUE;
}

static void
stop_status_updates (SrPreview *p)
{
  if (p->status_id)
    g_source_remove (p->status_id);
  p->status_id = 0;
}

static gboolean
start_run (gpointer data)
{
  SrPreview        *p = data;
  SrPreviewRequest *request;

  p->debounce_id = 0;
  if (!p->model_path || !p->crop || p->unavailable)
    return G_SOURCE_REMOVE;

  request = g_new0 (SrPreviewRequest, 1);
  request->model_path = g_strdup (p->model_path);
  /* A copy: the worker must not share memory the main thread rewrites. */
  request->pixels = g_memdup2 (p->crop, (gsize) p->cw * p->ch * 4 * sizeof (float));
  request->width = p->cw;
  request->height = p->ch;
  request->has_alpha = p->source->has_alpha;
  request->is_grey = p->source->is_grey;
  request->threads = p->threads;
  request->tile_size = p->tile_size;
  request->tta = p->tta;
  request->out_x = p->tx;
  request->out_y = p->ty;
  request->out_width = p->tw;
  request->out_height = p->th;
  sr_preview_worker_submit (p->worker, request);

  if (!p->status_id)
    p->status_id = g_timeout_add (STATUS_PERIOD_MS, show_progress, p);
  return G_SOURCE_REMOVE;
}

/* Main thread, from a timeout that restart() removes before any new run
 * is submitted: no preview runs while the core trims. */
static gboolean
trim_when_idle (gpointer data)
{
  SrPreview *p = data;

  p->trim_id = 0;
  sr_cache_trim ();
  p->n_trims++;
  return G_SOURCE_REMOVE;
}

static void
stop_idle_trim (SrPreview *p)
{
  if (p->trim_id)
    g_source_remove (p->trim_id);
  p->trim_id = 0;
}

/* Something changed: stop the current run now, start a new one once the
 * user pauses. */
static void
restart (SrPreview *p)
{
  stop_idle_trim (p);
  sr_preview_worker_cancel (p->worker);
  p->done = FALSE;
  if (p->debounce_id)
    g_source_remove (p->debounce_id);
  p->debounce_id = 0;
  if (p->unavailable)
    {
      stop_status_updates (p);
      set_status (p, p->unavailable);
      return;
    }
  set_status (p, _("Computing preview…"));
  p->debounce_id = g_timeout_add (RESTART_DELAY_MS, start_run, p);
}

static void
take_result (const SrPreviewResult *result, gpointer data)
{
  SrPreview *p = data;

  stop_status_updates (p);
  if (result->error_message)
    {
      char *text = g_strdup_printf (_("No preview: %s"), result->error_message);
      set_status (p, text);
      g_free (text);
      return;
    }

  g_free (p->after);
  p->after = g_memdup2 (result->pixels, (gsize) result->width * result->height * 4 * sizeof (float));
  p->ax = result->x;
  p->ay = result->y;
  p->aw = result->width;
  p->ah = result->height;
  p->done = TRUE;
  p->n_results++;
  {
    /* TRANSLATORS: %.1f is a number of seconds */
    char *text = g_strdup_printf (_("Preview computed in %.1f s."), result->seconds);
    set_status (p, text);
    g_free (text);
  }
  if (p->timing)
    p->timing (p->timing_data, result->seconds, result->input_pixels, result->threads);
  stop_idle_trim (p);
  p->trim_id = g_timeout_add_seconds (IDLE_TRIM_S, trim_when_idle, p);
  gtk_widget_queue_draw (p->area);
}

/* --- drawing ------------------------------------------------------------ */

static void
view_origin (SrPreview *p, int *x, int *y)
{
  GtkAllocation room;

  gtk_widget_get_allocation (p->area, &room);
  *x = (int) (room.width - p->vw * p->zoom) / 2;
  *y = (int) (room.height - p->vh * p->zoom) / 2;
}

#define TAG_PAD 3   /* the tag's dark box around its text */

/* Width of @text's tag, box included. */
static int
tag_width (PangoLayout *layout, const char *text)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  return w + 2 * TAG_PAD;
}

/* A tag whose box's top-left corner is at (x, y). */
static void
draw_label (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
  cairo_rectangle (cr, x, y, w + 2 * TAG_PAD, h + 2);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, x + TAG_PAD, y + 1);
  pango_cairo_show_layout (cr, layout);
}

/* "Bicubic" left of the divider, "Super-resolved" right of it, each where
 * its side shows; placed so that they never cover each other. */
static void
draw_tags (GtkWidget *widget, cairo_t *cr, PangoLayout *layout, SrPreview *p,
           int ox, int oy, int divider)
{
  const char   *left = _("Bicubic"), *right = _("Super-resolved");
  int           image_w = (int) (p->vw * p->zoom), left_x, right_x;
  gboolean      inside;
  GtkAllocation room;

  gtk_widget_get_allocation (widget, &room);
  sr_preview_place_tags (room.width, ox, image_w, tag_width (layout, left),
                         tag_width (layout, right), 3, &left_x, &right_x, &inside);
  if (divider > 0)
    draw_label (cr, layout, left, left_x, inside ? oy + 3 : 3);
  if (divider < image_w)
    draw_label (cr, layout, right, right_x, inside ? oy + 3 : 3);
}

/* Paints the view into @cr, which covers the drawing area. */
static void
paint (GtkWidget *widget, cairo_t *cr, SrPreview *p)
{
  PangoLayout *layout;
  int          ox, oy;

  cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
  cairo_paint (cr);

  layout = gtk_widget_create_pango_layout (widget, NULL);
  if (p->before)
    {
      SrPreviewPixels before = { p->before, p->vx, p->vy, p->vw, p->vh };
      SrPreviewPixels after = { p->after, p->ax, p->ay, p->aw, p->ah };
      GdkPixbuf      *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, p->vw, p->vh);
      /* While nothing can be computed the whole view is "before". */
      int             divider = p->unavailable ? p->vw : p->divider;

      sr_preview_paint (gdk_pixbuf_get_pixels (pixbuf), gdk_pixbuf_get_rowstride (pixbuf),
                        p->vx, p->vy, p->vw, p->vh, &before, p->after ? &after : NULL, divider);
      view_origin (p, &ox, &oy);
      /* Enlarged with square pixels, as GIMP's own views show a zoom;
       * reduced with averaging, so that a reduction does not alias. */
      cairo_save (cr);
      cairo_translate (cr, ox, oy);
      cairo_scale (cr, p->zoom, p->zoom);
      gdk_cairo_set_source_pixbuf (cr, pixbuf, 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr),
                                p->zoom < 1.0 ? CAIRO_FILTER_GOOD : CAIRO_FILTER_NEAREST);
      cairo_paint (cr);
      cairo_restore (cr);
      g_object_unref (pixbuf);
      /* From here on, screen pixels. */
      divider = (int) (divider * p->zoom);

      /* The divider: a light line with a dark edge shows on any image. */
      cairo_set_line_width (cr, 3);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
      cairo_move_to (cr, ox + divider + 0.5, oy);
      cairo_line_to (cr, ox + divider + 0.5, oy + p->vh * p->zoom);
      cairo_stroke (cr);
      cairo_set_line_width (cr, 1);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_move_to (cr, ox + divider + 0.5, oy);
      cairo_line_to (cr, ox + divider + 0.5, oy + p->vh * p->zoom);
      cairo_stroke (cr);

      draw_tags (widget, cr, layout, p, ox, oy, divider);
    }
  else if (p->unavailable)
    draw_label (cr, layout, p->unavailable, 3, 3);

  g_object_unref (layout);
}

#if GTK_CHECK_VERSION (3, 0, 0)
static gboolean
on_draw (GtkWidget *widget, cairo_t *cr, SrPreview *p)
{
  paint (widget, cr, p);
  return TRUE;
}
#else
static gboolean
on_expose (GtkWidget *widget, GdkEventExpose *event, SrPreview *p)
{
  cairo_t *cr = gdk_cairo_create (gtk_widget_get_window (widget));

  gdk_cairo_region (cr, event->region);
  cairo_clip (cr);
  paint (widget, cr, p);
  cairo_destroy (cr);
  return TRUE;
}
#endif

/* --- panning and the divider -------------------------------------------- */

static gboolean
near_divider (SrPreview *p, double x)
{
  int ox, oy;

  view_origin (p, &ox, &oy);
  return fabs (x - (ox + p->divider * p->zoom)) <= DIVIDER_GRAB;
}

static void
set_cursor (SrPreview *p, GdkCursorType type)
{
  GdkCursor *cursor = gdk_cursor_new_for_display (gtk_widget_get_display (p->area), type);

  gdk_window_set_cursor (gtk_widget_get_window (p->area), cursor);
  sr_cursor_unref (cursor);
}

static gboolean
on_press (GtkWidget *widget, GdkEventButton *event, SrPreview *p)
{
  if (event->button != 1 || !p->before)
    return FALSE;
  p->drag = near_divider (p, event->x) && !p->unavailable ? DRAG_DIVIDER : DRAG_PAN;
  p->drag_x = event->x;
  p->drag_y = event->y;
  p->drag_vx = p->vx;
  p->drag_vy = p->vy;
  return TRUE;
}

static gboolean
on_release (GtkWidget *widget, GdkEventButton *event, SrPreview *p)
{
  p->drag = DRAG_NONE;
  return TRUE;
}

static gboolean
on_motion (GtkWidget *widget, GdkEventMotion *event, SrPreview *p)
{
  int ox, oy;

  switch (p->drag)
    {
    case DRAG_DIVIDER:
      view_origin (p, &ox, &oy);
      p->divider = CLAMP ((int) ((event->x - ox) / p->zoom), 0, p->vw);
      gtk_widget_queue_draw (widget);
      break;

    case DRAG_PAN:
      {
        int vx = p->drag_vx - (int) ((event->x - p->drag_x) / p->zoom);
        int vy = p->drag_vy - (int) ((event->y - p->drag_y) / p->zoom);

        vx = CLAMP (vx, 0, output_width (p) - p->vw);
        vy = CLAMP (vy, 0, output_height (p) - p->vh);
        if (vx != p->vx || vy != p->vy)
          {
            p->vx = vx;
            p->vy = vy;
            refresh_view (p);
            restart (p);
            gtk_widget_queue_draw (widget);
          }
      }
      break;

    case DRAG_NONE:
      set_cursor (p, near_divider (p, event->x) && !p->unavailable
                     ? GDK_SB_H_DOUBLE_ARROW : GDK_FLEUR);
      break;
    }
  return TRUE;
}

/* The navigator was clicked at (@fx, @fy) of the layer: centre the view
 * there; the stale run is cancelled and a new one starts (restart). */
static void
on_navigator_moved (double fx, double fy, gpointer data)
{
  SrPreview *p = data;
  int        vx, vy;

  if (p->out_w <= 0 || p->out_h <= 0)
    return;
  vx = CLAMP ((int) lround (fx * p->out_w - p->vw / 2.0), 0, p->out_w - p->vw);
  vy = CLAMP ((int) lround (fy * p->out_h - p->vh / 2.0), 0, p->out_h - p->vh);
  if (vx == p->vx && vy == p->vy)
    return;
  p->vx = vx;
  p->vy = vy;
  refresh_view (p);
  restart (p);
  gtk_widget_queue_draw (p->area);
}

/* The room or the zoom changed: show as much as fits, keeping the centre
 * and the divider's place. */
static void
reframe (SrPreview *p)
{
  double zoom = effective_zoom (p, p->out_w, p->out_h);
  int    new_vw, new_vh;

  view_size (p, zoom, p->out_w, p->out_h, &new_vw, &new_vh);
  p->vx += (p->vw - new_vw) / 2;
  p->vy += (p->vh - new_vh) / 2;
  p->divider = p->vw > 0 ? p->divider * new_vw / p->vw : new_vw / 2;
  refresh_view (p);
  restart (p);
  gtk_widget_queue_draw (p->area);
}

static void
on_size_allocate (GtkWidget *widget, GtkAllocation *allocation, SrPreview *p)
{
  int w = MAX (allocation->width, 16), h = MAX (allocation->height, 16);

  if (w == p->room_w && h == p->room_h)
    return;
  p->room_w = w;
  p->room_h = h;
  if (p->out_w > 0)   /* else nothing is shown yet; set_model sizes the view */
    reframe (p);
}

static void
on_zoom_changed (GtkComboBox *combo, SrPreview *p)
{
  p->zoom_mode = gtk_combo_box_get_active (combo);
  if (p->out_w > 0)
    reframe (p);
}

/* --- public ------------------------------------------------------------- */

SrPreview *
sr_preview_new (const SrRgbaSource *source, SrPreviewTimingFunc timing, gpointer user_data)
{
  SrPreview *p = g_new0 (SrPreview, 1);
  GtkWidget *frame, *hint;

  p->source = source;
  p->timing = timing;
  p->timing_data = user_data;
  p->worker = sr_preview_worker_new (take_result, p);
  p->divider = VIEW_WIDTH / 2;
  p->zoom_mode = ZOOM_100;
  p->zoom = 1.0;
  p->room_w = VIEW_WIDTH;
  p->room_h = VIEW_HEIGHT;

  p->box = sr_box_new (GTK_ORIENTATION_VERTICAL, 4);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_shadow_type (GTK_FRAME (frame), GTK_SHADOW_IN);
  gtk_box_pack_start (GTK_BOX (p->box), frame, TRUE, TRUE, 0);

  p->area = gtk_drawing_area_new ();
  gtk_widget_set_name (p->area, "sr-preview");
  gtk_widget_set_size_request (p->area, VIEW_WIDTH, VIEW_HEIGHT);
  gtk_widget_add_events (p->area, GDK_BUTTON_PRESS_MASK | GDK_BUTTON_RELEASE_MASK |
                                  GDK_POINTER_MOTION_MASK);
#if GTK_CHECK_VERSION (3, 0, 0)
  g_signal_connect (p->area, "draw", G_CALLBACK (on_draw), p);
#else
  g_signal_connect (p->area, "expose-event", G_CALLBACK (on_expose), p);
#endif
  g_signal_connect (p->area, "button-press-event", G_CALLBACK (on_press), p);
  g_signal_connect (p->area, "button-release-event", G_CALLBACK (on_release), p);
  g_signal_connect (p->area, "motion-notify-event", G_CALLBACK (on_motion), p);
  g_signal_connect (p->area, "size-allocate", G_CALLBACK (on_size_allocate), p);
  gtk_container_add (GTK_CONTAINER (frame), p->area);

  {
    GtkWidget *row = sr_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
    GtkWidget *label, *zoom_row, *zoom_column;

    p->navigator = sr_navigator_new (source, on_navigator_moved, p);
    gtk_box_pack_start (GTK_BOX (row), sr_navigator_get_widget (p->navigator), FALSE, FALSE, 0);

    hint = gtk_label_new (_("Drag to pan; drag the line to compare; click the small "
                            "picture to look elsewhere."));
    sr_label_set_align (hint, 0.0, 0.0);
    sr_label_set_wrap_width (hint, 24, 180);
    gtk_box_pack_start (GTK_BOX (row), hint, TRUE, TRUE, 0);

    p->zoom_combo = gtk_combo_box_text_new ();
    gtk_widget_set_name (p->zoom_combo, "sr-preview-zoom");
    /* In the order of ZOOM_FIT, ZOOM_100, ZOOM_200. */
    gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (p->zoom_combo), _("Fit"));
    gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (p->zoom_combo), _("100 %"));
    gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (p->zoom_combo), _("200 %"));
    gtk_combo_box_set_active (GTK_COMBO_BOX (p->zoom_combo), ZOOM_100);
    g_signal_connect (p->zoom_combo, "changed", G_CALLBACK (on_zoom_changed), p);
    label = gtk_label_new_with_mnemonic (_("_Zoom:"));
    gtk_label_set_mnemonic_widget (GTK_LABEL (label), p->zoom_combo);
    /* At the top of the row: the navigator makes the row taller than a
     * combo box should be. */
    zoom_row = sr_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
    zoom_column = sr_box_new (GTK_ORIENTATION_VERTICAL, 0);
    gtk_box_pack_end (GTK_BOX (zoom_row), p->zoom_combo, FALSE, FALSE, 0);
    gtk_box_pack_end (GTK_BOX (zoom_row), label, FALSE, FALSE, 0);
    gtk_box_pack_start (GTK_BOX (zoom_column), zoom_row, FALSE, FALSE, 0);
    gtk_box_pack_end (GTK_BOX (row), zoom_column, FALSE, FALSE, 0);
    gtk_box_pack_start (GTK_BOX (p->box), row, FALSE, FALSE, 0);
  }

  p->status = gtk_label_new (NULL);
  gtk_widget_set_name (p->status, "sr-preview-status");
  sr_label_set_align (p->status, 0.0, 0.5);
  gtk_label_set_ellipsize (GTK_LABEL (p->status), PANGO_ELLIPSIZE_END);
  gtk_box_pack_start (GTK_BOX (p->box), p->status, FALSE, FALSE, 0);

  gtk_widget_show_all (p->box);
  return p;
}

GtkWidget *
sr_preview_get_widget (SrPreview *p)
{
  return p->box;
}

void
sr_preview_set_model (SrPreview *p, const char *model_path, int out_width, int out_height,
                      int threads, int tile_size, gboolean tta)
{
  gboolean size_changed = out_width != p->out_w || out_height != p->out_h;

  if (!p->unavailable && g_strcmp0 (model_path, p->model_path) == 0 && !size_changed &&
      threads == p->threads && tile_size == p->tile_size && tta == p->tta)
    return;

  if (size_changed)
    {
      int in_w = p->source->width, in_h = p->source->height;

      /* Keep the same spot of the layer in the middle of the view. */
      double zoom = effective_zoom (p, out_width, out_height);
      int    vw, vh;

      view_size (p, zoom, out_width, out_height, &vw, &vh);
      if (p->out_w > 0 && p->out_h > 0)
        {
          double cx = (p->vx + p->vw / 2.0) * in_w / p->out_w;
          double cy = (p->vy + p->vh / 2.0) * in_h / p->out_h;
          p->vx = (int) (cx * out_width / in_w - vw / 2.0);
          p->vy = (int) (cy * out_height / in_h - vh / 2.0);
        }
      else
        {
          /* A fresh view (the first, or after a new source): centred, the
           * divider in its middle even when the result is narrower than
           * the room. */
          p->vx = (out_width - vw) / 2;
          p->vy = (out_height - vh) / 2;
          p->divider = vw / 2;
        }
      /* An old result at another size would sit at the wrong place. */
      g_clear_pointer (&p->after, g_free);
    }
  else if (g_strcmp0 (model_path, p->model_path) != 0)
    g_clear_pointer (&p->after, g_free);

  g_free (p->model_path);
  p->model_path = g_strdup (model_path);
  p->out_w = out_width;
  p->out_h = out_height;
  p->threads = threads;
  p->tile_size = tile_size;
  p->tta = tta;
  g_clear_pointer (&p->unavailable, g_free);

  if (size_changed)
    refresh_view (p);
  restart (p);
  gtk_widget_queue_draw (p->area);
}

void
sr_preview_set_source (SrPreview *p, const SrRgbaSource *source)
{
  if (source == p->source)
    return;
  p->source = source;
  sr_navigator_set_source (p->navigator, source);
  /* Nothing shown so far belongs to the new source: the next
   * sr_preview_set_model() sizes and centres the view afresh. */
  p->out_w = p->out_h = 0;
  p->vx = p->vy = p->vw = p->vh = 0;
  g_clear_pointer (&p->before, g_free);
  g_clear_pointer (&p->after, g_free);
  g_clear_pointer (&p->crop, g_free);
  g_clear_pointer (&p->model_path, g_free);
  restart (p);
  gtk_widget_queue_draw (p->area);
}

void
sr_preview_set_unavailable (SrPreview *p, const char *reason)
{
  if (p->unavailable && g_strcmp0 (p->unavailable, reason) == 0)
    return;
  g_free (p->unavailable);
  p->unavailable = g_strdup (reason);
  g_clear_pointer (&p->after, g_free);
  g_clear_pointer (&p->model_path, g_free);
  restart (p);
  gtk_widget_queue_draw (p->area);
}

gboolean
sr_preview_is_done (SrPreview *p)
{
  return p->done;
}

int
sr_preview_get_n_results (SrPreview *p)
{
  return p->n_results;
}

int
sr_preview_get_n_trims (SrPreview *p)
{
  return p->n_trims;
}

double
sr_preview_get_zoom (SrPreview *p)
{
  return p->zoom;
}

void
sr_preview_get_view (SrPreview *p, int *x, int *y, int *width, int *height)
{
  *x = p->vx;
  *y = p->vy;
  *width = p->vw;
  *height = p->vh;
}

void
sr_preview_free (SrPreview *p)
{
  if (!p)
    return;
  if (p->debounce_id)
    g_source_remove (p->debounce_id);
  stop_status_updates (p);
  stop_idle_trim (p);
  sr_preview_worker_free (p->worker);
  sr_navigator_free (p->navigator);
  g_free (p->model_path);
  g_free (p->unavailable);
  g_free (p->crop);
  g_free (p->before);
  g_free (p->after);
  g_free (p);
}
