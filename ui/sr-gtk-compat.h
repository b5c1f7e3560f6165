/* The few places where GTK 2 (GIMP 2.10) and GTK 3 (GIMP 3) spell the same
 * thing differently, in one header, so that the dialog and the preview read
 * as one program for both GIMPs; and two small widget makers the dialog's
 * files share.  Everything here is a few lines. */
#ifndef SR_GTK_COMPAT_H
#define SR_GTK_COMPAT_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

static inline GtkWidget *
sr_box_new (GtkOrientation orientation, int spacing)
{
#if GTK_CHECK_VERSION (3, 0, 0)
  return gtk_box_new (orientation, spacing);
#else
  return orientation == GTK_ORIENTATION_HORIZONTAL ? gtk_hbox_new (FALSE, spacing)
                                                   : gtk_vbox_new (FALSE, spacing);
#endif
}

static inline GtkWidget *
sr_separator_new (void)
{
#if GTK_CHECK_VERSION (3, 0, 0)
  return gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
#else
  return gtk_hseparator_new ();
#endif
}

/* A grid of labelled rows: GtkGrid in GTK 3, GtkTable in GTK 2 (which grows
 * as children are attached). */
static inline GtkWidget *
sr_grid_new (int column_spacing, int row_spacing)
{
#if GTK_CHECK_VERSION (3, 0, 0)
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), column_spacing);
  gtk_grid_set_row_spacing (GTK_GRID (grid), row_spacing);
#else
  GtkWidget *grid = gtk_table_new (1, 1, FALSE);

  gtk_table_set_col_spacings (GTK_TABLE (grid), column_spacing);
  gtk_table_set_row_spacings (GTK_TABLE (grid), row_spacing);
#endif
  return grid;
}

/* @hexpand: the child takes the width left over. */
static inline void
sr_grid_attach (GtkWidget *grid, GtkWidget *child, int left, int top, int width,
                gboolean hexpand)
{
#if GTK_CHECK_VERSION (3, 0, 0)
  gtk_widget_set_hexpand (child, hexpand);
  gtk_grid_attach (GTK_GRID (grid), child, left, top, width, 1);
#else
  gtk_table_attach (GTK_TABLE (grid), child, left, left + width, top, top + 1,
                    GTK_FILL | (hexpand ? GTK_EXPAND : 0), GTK_FILL, 0, 0);
#endif
}

static inline void
sr_label_set_align (GtkWidget *label, float xalign, float yalign)
{
#if GTK_CHECK_VERSION (3, 16, 0)
  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_yalign (GTK_LABEL (label), yalign);
#else
  gtk_misc_set_alignment (GTK_MISC (label), xalign, yalign);
#endif
}

/* A left-aligned label whose mnemonic focuses @widget. */
static inline GtkWidget *
sr_mnemonic_label_new (const char *text, GtkWidget *widget)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  sr_label_set_align (label, 0.0, 0.5);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  return label;
}

/* A numeric spin button; the arrows step by @step, page by 4 steps. */
static inline GtkWidget *
sr_spin_new (double value, double lower, double upper, double step, int digits)
{
  GtkAdjustment *adj = GTK_ADJUSTMENT (gtk_adjustment_new (value, lower, upper,
                                                           step, step * 4, 0));
  GtkWidget     *spin = gtk_spin_button_new (adj, 1.0, digits);

  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  return spin;
}

/* A label that wraps instead of widening the dialog: at @chars characters
 * in GTK 3; GTK 2 wraps only at a width it is given, @gtk2_pixels. */
static inline void
sr_label_set_wrap_width (GtkWidget *label, int chars, int gtk2_pixels)
{
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
#if GTK_CHECK_VERSION (3, 0, 0)
  gtk_label_set_max_width_chars (GTK_LABEL (label), chars);
#else
  gtk_widget_set_size_request (label, gtk2_pixels, -1);
#endif
}

static inline void
sr_cursor_unref (GdkCursor *cursor)
{
#if GTK_CHECK_VERSION (3, 0, 0)
  g_object_unref (cursor);
#else
  gdk_cursor_unref (cursor);
#endif
}

G_END_DECLS

#endif /* SR_GTK_COMPAT_H */
