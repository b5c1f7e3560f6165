/* The print size shown beside the target size (ui/sr-print-size.h),
 * against values worked out by hand: inches = pixels / ppi, 25.4 mm an
 * inch. */
#include <glib.h>

#include "sr-print-size.h"

static void
test_whole_inch (void)
{
  /* 300 pixels at 300 ppi: one inch, 25.4 mm. */
  g_assert_cmpfloat_with_epsilon (sr_print_size_inches (300, 300), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (sr_print_size_mm (300, 300), 25.4, 1e-12);
}

static void
test_screen_resolution (void)
{
  /* 640 px at 72 ppi: 80/9 = 8.888... in; x 25.4 = 225.777... mm. */
  g_assert_cmpfloat_with_epsilon (sr_print_size_inches (640, 72), 80.0 / 9.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (sr_print_size_mm (640, 72), 2032.0 / 9.0, 1e-9);
  /* Babyx4 (128 px) upscaled x4 = 512 px at 72 ppi: 64/9 in = 180.62 mm,
   * what the GIMP dialog tests read in the label. */
  g_assert_cmpfloat_with_epsilon (sr_print_size_mm (512, 72), 1625.6 / 9.0, 1e-9);
}

static void
test_a4 (void)
{
  /* An A4 page's 2480 x 3508 px scan at 300 ppi: 209.97 x 297.01 mm. */
  g_assert_cmpfloat_with_epsilon (sr_print_size_mm (2480, 300), 209.9733333333, 1e-9);
  g_assert_cmpfloat_with_epsilon (sr_print_size_mm (3508, 300), 297.0106666667, 1e-9);
}

static void
test_bad_resolution (void)
{
  /* No division by zero, no negative sizes from a broken file. */
  g_assert_cmpfloat (sr_print_size_inches (100, 0), ==, 0.0);
  g_assert_cmpfloat (sr_print_size_mm (100, -72), ==, 0.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/print-size/whole-inch", test_whole_inch);
  g_test_add_func ("/print-size/screen-resolution", test_screen_resolution);
  g_test_add_func ("/print-size/a4", test_a4);
  g_test_add_func ("/print-size/bad-resolution", test_bad_resolution);
  return g_test_run ();
}
