/* Where the preview's "Bicubic" and "Super-resolved" tags go
 * (sr_preview_place_tags in ui/sr-preview-paint.h): never over each other,
 * never outside the drawing area, inside the image's corners whenever they
 * fit there.  Before, a 100-pixel-wide result (a small selection) showed
 * "Super-resolved" drawn over "Bicubic". */
#include <glib.h>

#include "sr-preview-paint.h"

#define AREA   418   /* the dialog's preview area */
#define MARGIN 3

static void
place (int image_x, int image_w, int left_w, int right_w, int *left_x, int *right_x,
       gboolean *inside)
{
  sr_preview_place_tags (AREA, image_x, image_w, left_w, right_w, MARGIN, left_x, right_x, inside);
}

static void
test_wide_image (void)
{
  int      l, r;
  gboolean inside;

  /* The whole area is image: the tags in its top corners, as always. */
  place (0, AREA, 62, 104, &l, &r, &inside);
  g_assert_true (inside);
  g_assert_cmpint (l, ==, 3);
  g_assert_cmpint (r, ==, AREA - 3 - 104);
}

static void
test_small_selection (void)
{
  int      l, r;
  gboolean inside;

  /* 100 x 75 result centred in the area (the gimp-dialog test's box): the
   * tags (62 + 104 wide) cannot both fit over it; they go to the area's
   * corners. */
  place ((AREA - 100) / 2, 100, 62, 104, &l, &r, &inside);
  g_assert_false (inside);
  g_assert_cmpint (l, ==, 3);
  g_assert_cmpint (r, ==, AREA - 3 - 104);
}

static void
test_threshold (void)
{
  int      l, r;
  gboolean inside;
  /* margin, tag, margin, tag, margin */
  int      fits = 3 + 62 + 3 + 104 + 3;

  place (10, fits, 62, 104, &l, &r, &inside);
  g_assert_true (inside);
  g_assert_cmpint (l, ==, 13);
  g_assert_cmpint (r, ==, 10 + fits - 3 - 104);
  place (10, fits - 1, 62, 104, &l, &r, &inside);
  g_assert_false (inside);
}

/* Every image width and place, a few tag widths (German's are wider). */
static void
test_never_overlap (void)
{
  static const int widths[][2] = { { 62, 104 }, { 70, 150 }, { 20, 20 }, { 150, 200 } };

  for (guint t = 0; t < G_N_ELEMENTS (widths); t++)
    for (int image_w = 1; image_w <= AREA; image_w++)
      for (int image_x = 0; image_x + image_w <= AREA; image_x += 7)
        {
          int      lw = widths[t][0], rw = widths[t][1], l, r;
          gboolean inside;

          place (image_x, image_w, lw, rw, &l, &r, &inside);
          g_assert_cmpint (l + lw + MARGIN, <=, r);           /* apart */
          g_assert_cmpint (l, >=, 0);
          g_assert_cmpint (r + rw, <=, AREA);                 /* in the area */
          if (inside)
            {
              g_assert_cmpint (l, >=, image_x);               /* on the image */
              g_assert_cmpint (r + rw, <=, image_x + image_w);
            }
          else
            g_assert_cmpint (image_w, <, MARGIN * 3 + lw + rw);   /* only when needed */
        }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/preview-tags/wide-image", test_wide_image);
  g_test_add_func ("/preview-tags/small-selection", test_small_selection);
  g_test_add_func ("/preview-tags/threshold", test_threshold);
  g_test_add_func ("/preview-tags/never-overlap", test_never_overlap);
  return g_test_run ();
}
