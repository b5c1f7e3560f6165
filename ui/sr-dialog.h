/* The interactive dialog of plug-in-super-resolution: one dialog for both
 * GIMPs (GTK 2 in 2.10, GTK 3 in GIMP 3; see sr-gtk-compat.h).  The front
 * ends describe the layer; the dialog edits SrPluginParams. */
#ifndef SR_DIALOG_H
#define SR_DIALOG_H

#include <gegl.h>

#include "sr-plugin-params.h"

G_BEGIN_DECLS

/* What the dialog needs to know about the layer and its image. */
typedef struct
{
  int         image_width, image_height;
  double      xres, yres;    /* the image's resolution, pixels per inch */
  int         layer_x, layer_y, layer_width, layer_height;
  GeglBuffer *buffer;        /* the layer's pixels, read for the preview */
  gboolean    has_alpha, is_grey;
  /* An active selection touching the layer: its bounding box within the
   * layer, in layer coordinates (what "selection only" upscales). */
  gboolean    has_selection;
  int         selection_x, selection_y, selection_width, selection_height;
  /* The image was loaded from a JPEG: its default model is the photo
   * model of the scale, where one is installed (sr-model-choice.h). */
  gboolean    from_jpeg;
} SrDialogLayer;

/* Shows the dialog for @layer, starting from @params.  gimp_ui_init() must
 * have run.  Returns TRUE with @params updated when the user pressed OK
 * (the settings are then valid as far as the dialog can tell), FALSE on
 * Cancel. */
gboolean sr_dialog_run_for_layer (const SrDialogLayer *layer, SrPluginParams *params);

/* GIMP 2.10's entry point (sr-dialog-gimp2.c, not built for GIMP 3):
 * @drawable of @image, by their 2.10 ids. */
gboolean sr_dialog_run (gint32 image, gint32 drawable, SrPluginParams *params);

G_END_DECLS

#endif /* SR_DIALOG_H */
