/* The CLI's progress line (tools/sr-progress.h) against lines written out by
 * hand: 30 cells, the percentage rounded down, the time left guessed as
 * elapsed x (1 - f) / f once 2 % is done and half a second spent. */
#include <glib.h>
#include <string.h>

#include "sr-progress.h"

static void
expect (double fraction, double elapsed, const char *want)
{
  char *got = sr_progress_bar_format (fraction, elapsed);
  g_assert_cmpstr (got, ==, want);
  g_free (got);
}

static void
test_quarter (void)
{
  /* 25 % of 30 cells = 7.5: 7 filled.  10 s for a quarter: 30 s left. */
  expect (0.25, 10.0, "[#######-----------------------]  25 %  0:30 left     ");
}

static void
test_no_guess_too_early (void)
{
  /* 1 % done, or 0.2 s spent: nothing to guess from yet. */
  expect (0.01, 10.0, "[------------------------------]   1 %                ");
  expect (0.5, 0.2, "[###############---------------]  50 %                ");
}

static void
test_hours (void)
{
  /* 10 % in 740 s: 6660 s = 1:51:00 left. */
  expect (0.1, 740.0, "[###---------------------------]  10 %  1:51:00 left  ");
}

static void
test_done_and_out_of_range (void)
{
  /* Done: full bar, no time left; out-of-range fractions are clamped. */
  expect (1.0, 5.0, "[##############################] 100 %                ");
  expect (1.7, 5.0, "[##############################] 100 %                ");
  expect (-0.3, 5.0, "[------------------------------]   0 %                ");
}

static void
test_same_width (void)
{
  /* A shorter line would leave the tail of a longer one on the terminal. */
  double cases[][2] = { { 0, 0 }, { 0.999, 1 }, { 0.02, 0.5 }, { 0.03, 36000 }, { 1, 9 } };
  gsize width = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *line = sr_progress_bar_format (cases[i][0], cases[i][1]);
      if (i == 0)
        width = strlen (line);
      g_assert_cmpuint (strlen (line), ==, width);
      g_free (line);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/progress/quarter", test_quarter);
  g_test_add_func ("/progress/no-guess-too-early", test_no_guess_too_early);
  g_test_add_func ("/progress/hours", test_hours);
  g_test_add_func ("/progress/done-and-out-of-range", test_done_and_out_of_range);
  g_test_add_func ("/progress/same-width", test_same_width);
  return g_test_run ();
}
