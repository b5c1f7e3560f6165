/* Which model file a (model, scale) request means, loaded and checked.
 *
 * The core runs a model at its own scale only (for now).  So: an empty
 * model name means the best shipped model for the scale; a model whose
 * scale differs from the requested one is swapped for the best shipped
 * model of that scale, if there is one; otherwise the request is refused
 * with a message that says what would work.  GLib + core only. */
#ifndef SR_MODEL_CHOICE_H
#define SR_MODEL_CHOICE_H

#include "sr.h"

G_BEGIN_DECLS

typedef struct
{
  SrModel *model;
  char    *path;
  char    *id;      /* file name without ".srm": goes into layer names */
  int      scale;   /* the model's output scale */
} SrModelChoice;

gboolean sr_model_choice_resolve (SrModelChoice *choice, const char *model, double scale,
                                  const char *const *extra_dirs, GError **error);
void     sr_model_choice_clear   (SrModelChoice *choice);

/* The id shown for a model path: its file name without ".srm". */
char    *sr_model_id_from_path   (const char *path);

G_END_DECLS

#endif /* SR_MODEL_CHOICE_H */
