/* Print size arithmetic; see sr-print-size.h. */
#include "sr-print-size.h"

double
sr_print_size_inches (int pixels, double ppi)
{
  return ppi > 0 ? pixels / ppi : 0.0;
}

double
sr_print_size_mm (int pixels, double ppi)
{
  return sr_print_size_inches (pixels, ppi) * SR_MM_PER_INCH;
}
