/* Target size fields; see sr-target-size.h. */
#include "sr-plugin-config.h"

#include <math.h>

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include "sr-gtk-compat.h"
#include "sr-plugin-i18n.h"
#include "sr-print-size.h"
#include "sr-target-size.h"

enum { UNIT_PIXELS, UNIT_PERCENT };

struct _SrTargetSize
{
  int              layer_width, layer_height;
  double           xres, yres;   /* the image's resolution, pixels per inch */
  double           min_scale, max_scale, scale;
  SrTargetSizeFunc changed;
  gpointer         user_data;
  gboolean         updating;   /* set while we write the fields ourselves */

  GtkWidget *grid, *width_spin, *height_spin, *unit_combo, *chain, *print_label;
};

double
sr_target_size_scale_for (int length, double value, gboolean percent)
{
  return percent ? value / 100.0 : value / length;
}

static gboolean
in_percent (SrTargetSize *s)
{
  return gtk_combo_box_get_active (GTK_COMBO_BOX (s->unit_combo)) == UNIT_PERCENT;
}

/* "Print size: 7.11 × 7.11 in (180.6 × 180.6 mm) at 72 ppi" for the
 * result's pixels: both units, since users measure paper in either. */
static void
show_print_size (SrTargetSize *s)
{
  int   w = (int) round (s->layer_width * s->scale), h = (int) round (s->layer_height * s->scale);
  char *ppi, *text;

  if (s->xres <= 0 || s->yres <= 0)
    {
      gtk_label_set_text (GTK_LABEL (s->print_label), "");
      return;
    }
  ppi = fabs (s->xres - s->yres) < 0.005
    ? g_strdup_printf ("%.0f", s->xres)
    : g_strdup_printf ("%.0f × %.0f", s->xres, s->yres);
  /* TRANSLATORS: the result's size on paper: width × height in inches,
   * then in millimetres, at the image's resolution (pixels per inch) */
  text = g_strdup_printf (_("Print size: %.2f × %.2f in (%.1f × %.1f mm) at %s ppi"),
                          sr_print_size_inches (w, s->xres), sr_print_size_inches (h, s->yres),
                          sr_print_size_mm (w, s->xres), sr_print_size_mm (h, s->yres), ppi);
  gtk_label_set_text (GTK_LABEL (s->print_label), text);
  g_free (text);
  g_free (ppi);
}

/* Ranges and values of both fields for the current unit and factor. */
static void
show (SrTargetSize *s)
{
  GtkSpinButton *w = GTK_SPIN_BUTTON (s->width_spin), *h = GTK_SPIN_BUTTON (s->height_spin);

  s->updating = TRUE;
  if (in_percent (s))
    {
      gtk_spin_button_set_digits (w, 2);
      gtk_spin_button_set_digits (h, 2);
      gtk_spin_button_set_range (w, s->min_scale * 100, s->max_scale * 100);
      gtk_spin_button_set_range (h, s->min_scale * 100, s->max_scale * 100);
      gtk_spin_button_set_value (w, s->scale * 100);
      gtk_spin_button_set_value (h, s->scale * 100);
    }
  else
    {
      gtk_spin_button_set_digits (w, 0);
      gtk_spin_button_set_digits (h, 0);
      gtk_spin_button_set_range (w, ceil (s->layer_width * s->min_scale),
                                 floor (s->layer_width * s->max_scale));
      gtk_spin_button_set_range (h, ceil (s->layer_height * s->min_scale),
                                 floor (s->layer_height * s->max_scale));
      /* The sizes the run gives: round(side x factor), as sr-result-size. */
      gtk_spin_button_set_value (w, round (s->layer_width * s->scale));
      gtk_spin_button_set_value (h, round (s->layer_height * s->scale));
    }
  show_print_size (s);
  s->updating = FALSE;
}

static void
on_side_changed (GtkSpinButton *spin, SrTargetSize *s)
{
  int length = GTK_WIDGET (spin) == s->width_spin ? s->layer_width : s->layer_height;

  if (s->updating)
    return;
  s->scale = CLAMP (sr_target_size_scale_for (length, gtk_spin_button_get_value (spin),
                                              in_percent (s)),
                    s->min_scale, s->max_scale);
  show (s);   /* the other side follows */
  s->changed (s->scale, s->user_data);
}

static void
on_unit_changed (GtkComboBox *combo, SrTargetSize *s)
{
  show (s);
}

static GtkWidget *
side_spin (const char *name)
{
  /* Ranges and digits are set by show(). */
  GtkWidget *spin = sr_spin_new (1, 1, 1, 1, 0);

  gtk_entry_set_width_chars (GTK_ENTRY (spin), 7);
  gtk_widget_set_name (spin, name);
  return spin;
}

SrTargetSize *
sr_target_size_new (int layer_width, int layer_height, double xres, double yres,
                    double min_scale, double max_scale,
                    SrTargetSizeFunc changed, gpointer user_data)
{
  SrTargetSize *s = g_new0 (SrTargetSize, 1);

  s->layer_width = layer_width;
  s->layer_height = layer_height;
  s->xres = xres;
  s->yres = yres;
  s->min_scale = min_scale;
  s->max_scale = max_scale;
  s->scale = min_scale;
  s->changed = changed;
  s->user_data = user_data;

  s->grid = sr_grid_new (6, 2);
  s->width_spin = side_spin ("sr-target-width");
  s->height_spin = side_spin ("sr-target-height");
  sr_grid_attach (s->grid, sr_mnemonic_label_new (_("_Width:"), s->width_spin), 0, 0, 1, FALSE);
  sr_grid_attach (s->grid, s->width_spin, 1, 0, 1, FALSE);
  sr_grid_attach (s->grid, sr_mnemonic_label_new (_("_Height:"), s->height_spin), 0, 1, 1, FALSE);
  sr_grid_attach (s->grid, s->height_spin, 1, 1, 1, FALSE);

  /* Always linked: one factor for both sides is what the network does. */
  s->chain = gimp_chain_button_new (GIMP_CHAIN_RIGHT);
  gimp_chain_button_set_active (GIMP_CHAIN_BUTTON (s->chain), TRUE);
  gtk_widget_set_sensitive (s->chain, FALSE);
  gtk_widget_set_tooltip_text (s->chain, _("The aspect ratio is kept: both sides are "
                                           "enlarged by the same factor."));
#if GTK_CHECK_VERSION (3, 0, 0)
  gtk_grid_attach (GTK_GRID (s->grid), s->chain, 2, 0, 1, 2);
#else
  gtk_table_attach (GTK_TABLE (s->grid), s->chain, 2, 3, 0, 2, GTK_FILL, GTK_FILL, 0, 0);
#endif

  s->unit_combo = gtk_combo_box_text_new ();
  gtk_widget_set_name (s->unit_combo, "sr-target-unit");
  /* TRANSLATORS: the unit of the target size fields */
  gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (s->unit_combo), _("pixels"));
  gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (s->unit_combo), _("percent"));
  gtk_combo_box_set_active (GTK_COMBO_BOX (s->unit_combo), UNIT_PIXELS);
  sr_grid_attach (s->grid, s->unit_combo, 3, 0, 1, FALSE);

  s->print_label = gtk_label_new (NULL);
  gtk_widget_set_name (s->print_label, "sr-print-size");
  sr_label_set_align (s->print_label, 0.0, 0.5);
  gimp_label_set_attributes (GTK_LABEL (s->print_label), PANGO_ATTR_SCALE, PANGO_SCALE_SMALL, -1);
#if GTK_CHECK_VERSION (3, 0, 0)
  gtk_grid_attach (GTK_GRID (s->grid), s->print_label, 0, 2, 4, 1);
#else
  gtk_table_attach (GTK_TABLE (s->grid), s->print_label, 0, 4, 2, 3, GTK_FILL, GTK_FILL, 0, 0);
#endif

  g_signal_connect (s->width_spin, "value-changed", G_CALLBACK (on_side_changed), s);
  g_signal_connect (s->height_spin, "value-changed", G_CALLBACK (on_side_changed), s);
  g_signal_connect (s->unit_combo, "changed", G_CALLBACK (on_unit_changed), s);
  show (s);
  return s;
}

GtkWidget *
sr_target_size_get_widget (SrTargetSize *s)
{
  return s->grid;
}

void
sr_target_size_set_scale (SrTargetSize *s, double scale)
{
  s->scale = scale;
  show (s);
}

void
sr_target_size_set_source_size (SrTargetSize *s, int width, int height)
{
  if (width == s->layer_width && height == s->layer_height)
    return;
  s->layer_width = width;
  s->layer_height = height;
  show (s);
}

void
sr_target_size_free (SrTargetSize *s)
{
  g_free (s);
}
