/* The printed size of a picture at its image's resolution, as GIMP's
 * Image > Scale Image shows it beside the pixels: plain arithmetic, no GTK
 * (unit-tested in tests/test-print-size.c). */
#ifndef SR_PRINT_SIZE_H
#define SR_PRINT_SIZE_H

#include <glib.h>

G_BEGIN_DECLS

#define SR_MM_PER_INCH 25.4

/* @pixels printed at @ppi pixels per inch, in inches / millimetres; 0 for
 * a resolution that is not positive (GIMP never stores one, but a broken
 * file could). */
double sr_print_size_inches (int pixels, double ppi);
double sr_print_size_mm     (int pixels, double ppi);

G_END_DECLS

#endif /* SR_PRINT_SIZE_H */
