/* The progress bar's text: percent done and time left (plugin/sr-progress-text.c),
 * against values worked out by hand from elapsed * (1 - f) / f. */
#include <glib.h>

#include "sr-progress-text.h"

static void
expect (double fraction, double elapsed_s, const char *expected)
{
  char *text = sr_progress_text ("SR", fraction, elapsed_s);

  g_assert_cmpstr (text, ==, expected);
  g_free (text);
}

static void
test_time_left (void)
{
  expect (0.25, 10.0, "SR: 25 % — about 30 s left");       /* 10 * 0.75 / 0.25 = 30 */
  expect (0.90, 9.0, "SR: 90 % — about 5 s left");          /* 1 s: at least 5 */
  expect (0.80, 40.0, "SR: 80 % — about 10 s left");        /* 10 s */
  expect (0.40, 30.0, "SR: 40 % — about 45 s left");        /* 45 s */
  expect (0.50, 57.0, "SR: 50 % — about 1 min left");       /* 57 s -> 60 s */
  expect (0.50, 60.0, "SR: 50 % — about 1 min left");       /* 60 s */
  expect (0.42, 43.5, "SR: 42 % — about 2 min left");       /* 60.07 s -> 2 min */
  expect (0.10, 400.0, "SR: 10 % — about 1 h 0 min left");  /* 3600 s */
  expect (0.05, 500.0, "SR: 5 % — about 2 h 39 min left");  /* 9500 s = 158.3 min */
  expect (0.999, 100.0, "SR: 99 % — about 5 s left");       /* floor of 99.9 % */
}

static void
test_too_early (void)
{
  expect (0.5, 1.0, NULL);     /* runs under 2 s keep the plain message */
  expect (0.0, 30.0, NULL);    /* nothing done: no rate yet */
  expect (1.0, 30.0, NULL);    /* done */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/progress-text/time-left", test_time_left);
  g_test_add_func ("/progress-text/too-early", test_too_early);
  return g_test_run ();
}
