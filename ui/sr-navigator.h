/* "Pick the spot": a small picture of the whole layer under the preview,
 * with a rectangle where the preview looks.  A click or a drag in it asks
 * the preview to look there (the preview then recomputes in the background
 * and abandons what became stale, sr-preview-worker.h). */
#ifndef SR_NAVIGATOR_H
#define SR_NAVIGATOR_H

#include <gtk/gtk.h>

#include "sr-rgba-io.h"

G_BEGIN_DECLS

typedef struct _SrNavigator SrNavigator;

/* The user pointed at (@fx, @fy), fractions 0..1 of the layer's width and
 * height: the preview should be centred there. */
typedef void (*SrNavigatorFunc) (double fx, double fy, gpointer user_data);

/* @source: the layer (read once, on the main thread, for the thumbnail). */
SrNavigator *sr_navigator_new        (const SrRgbaSource *source,
                                      SrNavigatorFunc moved, gpointer user_data);
GtkWidget   *sr_navigator_get_widget (SrNavigator *nav);
/* Shows @source instead (the selection's box or the whole layer again). */
void         sr_navigator_set_source (SrNavigator *nav, const SrRgbaSource *source);
/* The part of the layer in view, as fractions of its width and height. */
void         sr_navigator_set_view   (SrNavigator *nav, double fx, double fy,
                                      double fw, double fh);
void         sr_navigator_free       (SrNavigator *nav);

/* The thumbnail: @thumb_w x @thumb_h pixels, each the mean of the layer
 * pixels under it (alpha over mid grey), read in pieces of at most 16 MB;
 * NULL if the source fails.  Public for tests/gimp/test-navigator-thumb.c. */
GdkPixbuf   *sr_navigator_thumbnail  (const SrRgbaSource *source, int thumb_w, int thumb_h);

G_END_DECLS

#endif /* SR_NAVIGATOR_H */
