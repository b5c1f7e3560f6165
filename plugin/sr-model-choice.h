/* Which model file a (model, scale) request means, loaded and checked.
 *
 * A model runs at any scale from 1 to 8 (the core resamples its output, or
 * resizes the input of a same-size model), so a named model is always used
 * as it is.  An empty model name means the best installed shipped model for
 * the scale: the one of the next whole scale up, ×2 to ×4
 * (sr_model_choice_default_scale()), and for an image that came from a
 * JPEG file the photo model of that scale where one is installed
 * (issue #20: the clean models sharpen JPEG blocks).  GLib + core only. */
#ifndef SR_MODEL_CHOICE_H
#define SR_MODEL_CHOICE_H

#include "sr.h"

G_BEGIN_DECLS

typedef struct
{
  SrModel *model;
  char    *path;
  char    *id;      /* file name without ".srm": goes into layer names */
  int      scale;   /* the model's own scale (1 for same-size models) */
} SrModelChoice;

/* @from_jpeg: the image was loaded from a JPEG (sr-image-origin.h); only
 * used when @model is empty. */
gboolean sr_model_choice_resolve (SrModelChoice *choice, const char *model, double scale,
                                  gboolean from_jpeg, const char *const *extra_dirs,
                                  GError **error);
void     sr_model_choice_clear   (SrModelChoice *choice);

/* The model scale that suits @scale best: CLAMP (ceil (scale), 2, 4), the
 * next whole scale up (its output is then shrunk, antialiased, to the
 * size), capped at the largest shipped scale. */
int      sr_model_choice_default_scale (double scale);

/* The id an empty model name means at @scale: the photo model of the
 * model scale for an image from a JPEG if installed, else the clean
 * default (sr_catalog_default_id_in); NULL outside 1..8. */
const char *sr_model_choice_default_id (double scale, gboolean from_jpeg,
                                        const char *const *extra_dirs);

/* The id shown for a model path: its file name without ".srm". */
char    *sr_model_id_from_path   (const char *path);

G_END_DECLS

#endif /* SR_MODEL_CHOICE_H */
