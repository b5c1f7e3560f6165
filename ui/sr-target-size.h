/* "Width / Height in px or %" beside the scale factor, as in GIMP's
 * Image > Scale Image.  The network scales both sides by one factor, so the
 * two sizes are always linked (the chain shows it and cannot be broken):
 * typing one computes the factor, and the other side follows.  Below them,
 * the result's print size at the image's resolution. */
#ifndef SR_TARGET_SIZE_H
#define SR_TARGET_SIZE_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _SrTargetSize SrTargetSize;

/* Called when the user typed a size: the factor it means. */
typedef void (*SrTargetSizeFunc) (double scale, gpointer user_data);

/* For a layer of @layer_width x @layer_height in an image of @xres x @yres
 * pixels per inch (the print size shown), factors @min_scale..@max_scale. */
SrTargetSize *sr_target_size_new        (int layer_width, int layer_height,
                                         double xres, double yres,
                                         double min_scale, double max_scale,
                                         SrTargetSizeFunc changed, gpointer user_data);
GtkWidget    *sr_target_size_get_widget (SrTargetSize *size);
/* Shows the sizes of @scale; does not call back. */
void          sr_target_size_set_scale  (SrTargetSize *size, double scale);
/* What is enlarged is now @width x @height (the selection's box, or the
 * layer again): the sizes shown are of that; does not call back. */
void          sr_target_size_set_source_size (SrTargetSize *size, int width, int height);
void          sr_target_size_free       (SrTargetSize *size);

/* The factor that makes @length pixels of a side @value in @percent
 * (TRUE: per cent of @length; FALSE: pixels). */
double        sr_target_size_scale_for  (int length, double value, gboolean percent);

G_END_DECLS

#endif /* SR_TARGET_SIZE_H */
