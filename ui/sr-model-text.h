/* Words and numbers about models and run times, as shown in the dialog.
 * GLib + gettext only. */
#ifndef SR_MODEL_TEXT_H
#define SR_MODEL_TEXT_H

#include <glib.h>

G_BEGIN_DECLS

/* "fast", "medium" or "slow" (translated), from multiply-adds per pixel. */
const char *sr_model_speed_hint (double macs_per_pixel);

/* One line: architecture, parameter count, speed, e.g.
 * "imdn · ×4 · 715 k parameters · slow".  Free with g_free(). */
char       *sr_model_summary    (const char *architecture, int scale, gsize n_params,
                                 double macs_per_pixel);

/* What a model is for, told by the start or end of its description in the
 * shipped models' metadata ("Photo (JPEG, noise): ...", "...: quality
 * model", "...: fast model"); NONE for other files. */
typedef enum
{
  SR_MODEL_PURPOSE_NONE,
  SR_MODEL_PURPOSE_QUALITY,
  SR_MODEL_PURPOSE_FAST,
  SR_MODEL_PURPOSE_PHOTO
} SrModelPurpose;

SrModelPurpose sr_model_purpose (const char *description);

/* In the user's words and language: "Best quality", "Fast", "Photos (JPEG)";
 * NULL for NONE. */
const char *sr_model_purpose_label (SrModelPurpose purpose);
/* One sentence on when to pick it; NULL for NONE. */
const char *sr_model_purpose_hint  (SrModelPurpose purpose);

/* A rough duration: "under a second", "about 12 s", "about 3 min", ... */
char       *sr_format_duration  (double seconds);

G_END_DECLS

#endif /* SR_MODEL_TEXT_H */
