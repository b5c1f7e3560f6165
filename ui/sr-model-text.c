/* Model summaries and durations; see sr-model-text.h. */
#include "sr-plugin-config.h"

#include <math.h>

#include "sr-model-text.h"
#include "sr-plugin-i18n.h"

/* Thresholds picked from the shipped families: ECBSR and IMDN-RTC are tens
 * of thousands of multiply-adds per pixel, IMDN and RFDN several hundred. */
#define FAST_BELOW   50e3
#define MEDIUM_BELOW 250e3

const char *
sr_model_speed_hint (double macs_per_pixel)
{
  if (macs_per_pixel < FAST_BELOW)
    return _("fast");
  if (macs_per_pixel < MEDIUM_BELOW)
    return _("medium");
  return _("slow");
}

static char *
format_count (gsize n)
{
  if (n < 1000)
    return g_strdup_printf ("%" G_GSIZE_FORMAT, n);
  if (n < 1000000)
    /* TRANSLATORS: thousands, e.g. "715 k" */
    return g_strdup_printf (_("%.0f k"), n / 1e3);
  /* TRANSLATORS: millions, e.g. "1.2 M" */
  return g_strdup_printf (_("%.1f M"), n / 1e6);
}

char *
sr_model_summary (const char *architecture, int scale, gsize n_params, double macs_per_pixel)
{
  char *count = format_count (n_params);
  /* TRANSLATORS: architecture, scale, parameter count, speed hint,
   * e.g. "imdn · ×4 · 715 k parameters · slow" */
  char *text = g_strdup_printf (_("%s · ×%d · %s parameters · %s"),
                                architecture, scale, count,
                                sr_model_speed_hint (macs_per_pixel));
  g_free (count);
  return text;
}

char *
sr_format_duration (double seconds)
{
  if (seconds < 1.0)
    return g_strdup (_("under a second"));
  if (seconds < 90.0)
    return g_strdup_printf (_("about %d s"), (int) round (seconds));
  if (seconds < 90.0 * 60.0)
    return g_strdup_printf (_("about %d min"), (int) round (seconds / 60.0));
  return g_strdup_printf (_("about %.1f h"), seconds / 3600.0);
}

SrModelPurpose
sr_model_purpose (const char *description)
{
  if (!description)
    return SR_MODEL_PURPOSE_NONE;
  if (g_str_has_prefix (description, "Photo"))
    return SR_MODEL_PURPOSE_PHOTO;
  if (g_str_has_suffix (description, ": quality model"))
    return SR_MODEL_PURPOSE_QUALITY;
  if (g_str_has_suffix (description, ": fast model"))
    return SR_MODEL_PURPOSE_FAST;
  return SR_MODEL_PURPOSE_NONE;
}

const char *
sr_model_purpose_label (SrModelPurpose purpose)
{
  switch (purpose)
    {
    case SR_MODEL_PURPOSE_QUALITY: return _("Best quality");
    case SR_MODEL_PURPOSE_FAST:    return _("Fast");
    case SR_MODEL_PURPOSE_PHOTO:   return _("Photos (JPEG)");
    default:                       return NULL;
    }
}

const char *
sr_model_purpose_hint (SrModelPurpose purpose)
{
  switch (purpose)
    {
    case SR_MODEL_PURPOSE_QUALITY:
      return _("The sharpest result for clean images; takes longer.");
    case SR_MODEL_PURPOSE_FAST:
      return _("A quick result, a little softer.");
    case SR_MODEL_PURPOSE_PHOTO:
      return _("For camera photos and JPEG files: also removes compression "
               "blocks and noise.");
    default:
      return NULL;
    }
}
