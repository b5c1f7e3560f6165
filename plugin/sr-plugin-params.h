/* The plug-in's parameters, their defaults and their validation.
 *
 * One struct serves the PDB arguments, the dialog and gimp_set_data()
 * (so it holds no pointers).  GLib only, so a GIMP 3 front end can share it. */
#ifndef SR_PLUGIN_PARAMS_H
#define SR_PLUGIN_PARAMS_H

#include <glib.h>

G_BEGIN_DECLS

#define SR_PLUGIN_PROC       "plug-in-super-resolution"
#define SR_PLUGIN_BINARY     "super-resolution"
#define SR_PLUGIN_ROLE       "gimp-sr"

#define SR_MODEL_STRING_MAX  1024
#define SR_SCALE_MIN         1.0
#define SR_SCALE_MAX         8.0
#define SR_DEFAULT_SCALE     4.0
#define SR_TILE_SIZE_MIN     16      /* smallest non-automatic tile side */
#define SR_TILE_SIZE_MAX     8192
#define SR_THREADS_MAX       256

typedef enum
{
  SR_OUTPUT_NEW_LAYER = 0,   /* grow the canvas, add the result as a layer */
  SR_OUTPUT_NEW_IMAGE = 1,   /* open the result as a new image */
  SR_OUTPUT_REPLACE   = 2    /* grow the canvas, the source layer itself
                              * becomes the super-resolved one */
} SrOutputMode;

typedef struct
{
  char     model[SR_MODEL_STRING_MAX];  /* model id or file; "" = best for the scale */
  double   scale;                       /* 1..8, fractions too */
  int      tile_size;                   /* 0 = automatic */
  int      threads;                     /* 0 = all cores */
  int      output;                      /* SrOutputMode */
  gboolean tta;                         /* test-time augmentation: 8 runs averaged */
  /* With an active selection: only its bounding box (within the layer) is
   * upscaled.  Last, so that older stored last values read as FALSE. */
  gboolean selection_only;
} SrPluginParams;

/* What kind of failure: decides CALLING_ERROR vs EXECUTION_ERROR in GIMP. */
#define SR_PLUGIN_ERROR (sr_plugin_error_quark ())
GQuark sr_plugin_error_quark (void);

typedef enum
{
  SR_PLUGIN_ERROR_BAD_ARGUMENT,   /* the caller passed something invalid */
  SR_PLUGIN_ERROR_UNSUPPORTED,    /* valid, but not possible here */
  SR_PLUGIN_ERROR_FAILED          /* it went wrong while running */
} SrPluginErrorCode;

void     sr_plugin_params_set_defaults (SrPluginParams *params);

/* Copies @model into params->model; fails if it does not fit. */
gboolean sr_plugin_params_set_model    (SrPluginParams *params, const char *model,
                                        GError **error);

/* Checks every field's range (not whether the model exists: see
 * sr-model-choice.h).  The message names the parameter and its range. */
gboolean sr_plugin_params_validate     (const SrPluginParams *params, GError **error);

G_END_DECLS

#endif /* SR_PLUGIN_PARAMS_H */
