/* The navigator's thumbnail (ui/sr-navigator.h): each pixel the mean of the
 * layer pixels under it, against means worked out here pixel by pixel from
 * the same synthetic layer (no chunks), and against values computed by
 * hand; a layer 300000 pixels wide makes the thumbnail read it in several
 * pieces per row band. */
#include <math.h>

#include "sr-navigator.h"

/* A layer that is a formula, so that any size costs no memory. */
typedef struct
{
  int   kind;            /* 0 ramp, 1 flat grey, 2 transparent red */
  int   reads;           /* read_rgba calls */
  gsize largest_read;    /* pixels */
} Synthetic;

static void
pixel (const Synthetic *s, int x, int y, float *px)
{
  switch (s->kind)
    {
    case 0:   /* R a ramp across, G stripes down, B checks; opaque */
      px[0] = (x % 1000) / 999.0f;
      px[1] = (y % 2) ? 1.0f : 0.0f;
      px[2] = ((x / 7 + y / 3) % 2) ? 0.25f : 0.75f;
      px[3] = 1.0f;
      break;
    case 1:
      px[0] = px[1] = px[2] = 0.5f;
      px[3] = 1.0f;
      break;
    default:
      px[0] = 1.0f;
      px[1] = px[2] = 0.0f;
      px[3] = 0.0f;
      break;
    }
}

static gboolean
read_rgba (gpointer data, int x, int y, int w, int h, float *rgba, GError **error)
{
  Synthetic *s = data;

  s->reads++;
  s->largest_read = MAX (s->largest_read, (gsize) w * h);
  for (int j = 0; j < h; j++)
    for (int i = 0; i < w; i++)
      pixel (s, x + i, y + j, rgba + ((gsize) j * w + i) * 4);
  return TRUE;
}

/* The mean under thumbnail pixel (tx, ty), straight from the formula. */
static void
expected (const Synthetic *s, int width, int height, int tw, int th, int tx, int ty,
          guchar out[3])
{
  int    x0 = (int) ((gint64) tx * width / tw), x1 = MAX ((int) ((gint64) (tx + 1) * width / tw), x0 + 1);
  int    y0 = (int) ((gint64) ty * height / th), y1 = MAX ((int) ((gint64) (ty + 1) * height / th), y0 + 1);
  double sum[3] = { 0, 0, 0 };

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        float px[4];
        pixel (s, x, y, px);
        for (int c = 0; c < 3; c++)
          sum[c] += px[c] * px[3] + 0.5 * (1 - px[3]);
      }
  for (int c = 0; c < 3; c++)
    out[c] = (guchar) lround (sum[c] / ((double) (x1 - x0) * (y1 - y0)) * 255.0);
}

static void
check_thumbnail (Synthetic *s, int width, int height, int tw, int th)
{
  SrRgbaSource source = { width, height, TRUE, FALSE, read_rgba, NULL, s };
  GdkPixbuf   *thumb = sr_navigator_thumbnail (&source, tw, th);
  int          stride;
  guchar      *pixels;

  g_assert_nonnull (thumb);
  g_assert_cmpint (gdk_pixbuf_get_width (thumb), ==, tw);
  g_assert_cmpint (gdk_pixbuf_get_height (thumb), ==, th);
  stride = gdk_pixbuf_get_rowstride (thumb);
  pixels = gdk_pixbuf_get_pixels (thumb);
  for (int ty = 0; ty < th; ty++)
    for (int tx = 0; tx < tw; tx++)
      {
        guchar want[3];
        expected (s, width, height, tw, th, tx, ty, want);
        for (int c = 0; c < 3; c++)
          g_assert_cmpint (pixels[ty * stride + tx * 3 + c], ==, want[c]);
      }
  g_object_unref (thumb);
}

static void
test_ramp (void)
{
  Synthetic s = { 0 };

  /* 1000 x 700 into 128 x 90: 7.8 x 7.8 layer pixels a thumbnail pixel. */
  check_thumbnail (&s, 1000, 700, 128, 90);
}

static void
test_by_hand (void)
{
  Synthetic grey = { 1 }, clear = { 2 };
  SrRgbaSource source = { 640, 480, TRUE, FALSE, read_rgba, NULL, &grey };
  GdkPixbuf   *thumb = sr_navigator_thumbnail (&source, 128, 96);

  /* Flat 0.5: 127.5 rounds to 128 everywhere. */
  g_assert_cmpint (gdk_pixbuf_get_pixels (thumb)[0], ==, 128);
  g_assert_cmpint (gdk_pixbuf_get_pixels (thumb)[95 * gdk_pixbuf_get_rowstride (thumb) + 127 * 3 + 2], ==, 128);
  g_object_unref (thumb);
  /* Fully transparent red shows the grey behind it, not red. */
  source.user_data = &clear;
  thumb = sr_navigator_thumbnail (&source, 128, 96);
  g_assert_cmpint (gdk_pixbuf_get_pixels (thumb)[0], ==, 128);
  g_assert_cmpint (gdk_pixbuf_get_pixels (thumb)[1], ==, 128);
  g_object_unref (thumb);
}

static void
test_wide_layer_in_pieces (void)
{
  Synthetic s = { 0 };

  /* 300000 x 8: a row band (the whole height) is 2.4 M pixels, read in
   * pieces of at most 1 M; the means must not notice. */
  check_thumbnail (&s, 300000, 8, 128, 1);
  g_assert_cmpint (s.reads, >, 1);
  g_assert_cmpuint (s.largest_read, <=, 1 << 20);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/navigator/thumbnail-ramp", test_ramp);
  g_test_add_func ("/navigator/thumbnail-by-hand", test_by_hand);
  g_test_add_func ("/navigator/thumbnail-wide-layer", test_wide_layer_in_pieces);
  return g_test_run ();
}
