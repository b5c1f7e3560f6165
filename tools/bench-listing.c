/* Times what the dialog and the CLI pay before any image is touched:
 * listing the models (sr_catalog_scan) and choosing the default of each
 * scale (sr_catalog_default_id), against loading every listed model in
 * full (what listing cost when it read and packed the weights).
 *
 *   bench-listing [RUNS]     (models from $SR_MODEL_PATH and the installed folder)
 *
 * Prints medians and best runs over RUNS warm runs (the files in the page
 * cache) and their ratios; not a test, no thresholds. */
#include "sr.h"

#include <stdio.h>
#include <stdlib.h>

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v, int n)
{
  qsort (v, n, sizeof (double), compare_doubles);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int
main (int argc, char **argv)
{
  int runs = argc > 1 ? atoi (argv[1]) : 21;
  double *scan_ms, *default_ms, *load_ms;
  guint n_models = 0;

  if (runs < 1 || runs > 10000)
    {
      fprintf (stderr, "usage: bench-listing [RUNS (1..10000)]\n");
      return 2;
    }
  scan_ms = g_new (double, runs);
  default_ms = g_new (double, runs);
  load_ms = g_new (double, runs);
  g_ptr_array_unref (sr_catalog_scan (NULL));   /* warm-up: page cache */
  /* Each phase on its own: full loads free megabytes of packed weights,
   * which would leave a listing timed right after them paying for the
   * allocator's page faults. */
  for (int i = 0; i < runs; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      GPtrArray *models = sr_catalog_scan (NULL);
      scan_ms[i] = (g_get_monotonic_time () - t0) / 1000.0;
      n_models = models->len;
      g_ptr_array_unref (models);
    }
  for (int i = 0; i < runs; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      for (int scale = 2; scale <= 4; scale++)
        sr_catalog_default_id (scale);
      default_ms[i] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  for (int i = 0; i < runs; i++)
    {
      GPtrArray *models = sr_catalog_scan (NULL);
      gint64 t0 = g_get_monotonic_time ();
      for (guint m = 0; m < models->len; m++)
        {
          GError *error = NULL;
          SrModel *model = sr_model_load (((SrModelInfo *) models->pdata[m])->path, &error);
          if (!model)
            {
              fprintf (stderr, "%s\n", error->message);
              return 1;
            }
          sr_model_free (model);
        }
      load_ms[i] = (g_get_monotonic_time () - t0) / 1000.0;
      g_ptr_array_unref (models);
    }
  {
    /* median() sorts, so [0] is then the best run: on a shared machine a
     * run that lost the CPU to another process for a time slice (~10 ms)
     * lands in the median, never in the best. */
    double scan = median (scan_ms, runs), defaults = median (default_ms, runs),
           load = median (load_ms, runs);
    printf ("models=%u runs=%d list_ms=%.3f (best %.3f) defaults_x2_x3_x4_ms=%.3f (best %.3f) "
            "full_load_all_ms=%.3f (best %.3f) load_over_list=%.1f (best runs %.1f)\n",
            n_models, runs, scan, scan_ms[0], defaults, default_ms[0], load, load_ms[0],
            load / scan, load_ms[0] / scan_ms[0]);
  }
  g_free (scan_ms);
  g_free (default_ms);
  g_free (load_ms);
  return 0;
}
