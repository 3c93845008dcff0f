/* ct-test-gui.c - Helpers GUI tests share: waiting for paint, rendering, finding widgets
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ct-test-gui.h"

void
ct_test_gui_init (int    *argc,
                  char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  /* Renders show the settled state, not a frame of a transition. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

gboolean
ct_test_gui_wait (gboolean (*condition) (gpointer data),
                  gpointer   data,
                  guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return condition (data);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

void
ct_test_gui_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  *(gboolean *)data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *)data;
}

void
ct_test_gui_wait_painted (GtkWidget *window)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong id;

  g_assert_true (ct_test_gui_wait (is_mapped, window, 10000));
  clock = gtk_widget_get_frame_clock (window);
  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (window);
  g_assert_true (ct_test_gui_wait (flag_set, &painted, 10000));
  g_signal_handler_disconnect (clock, id);
}

char *
ct_test_gui_render_png (GtkWidget  *widget,
                        const char *filename)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width = 0, height = 0;

  /* A widget in the middle of a transition waits for its next layout
   * and gives no image until then: paint again, within a deadline. */
  for (guint attempt = 0; node == NULL && attempt < 50; attempt++)
    {
      ct_test_gui_wait_painted (widget);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      g_assert_cmpint (width, >, 0);
      g_assert_cmpint (height, >, 0);

      g_clear_object (&paintable);
      paintable = gtk_widget_paintable_new (widget);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                           filename, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("rendered %s (%dx%d)", path, width, height);
  return g_steal_pointer (&path);
}

char *
ct_test_gui_render_both (GtkWidget  *widget,
                         const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light = g_strdup_printf ("%s-light.png", name);
  g_autofree char *dark = g_strdup_printf ("%s-dark.png", name);
  g_autofree char *light_path = ct_test_gui_render_png (widget, light);
  g_autofree char *dark_path = NULL;

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  ct_test_gui_wait_painted (widget);
  dark_path = ct_test_gui_render_png (widget, dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  ct_test_gui_wait_painted (widget);
  return g_steal_pointer (&light_path);
}

static const char *
widget_text (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return gtk_button_get_label (GTK_BUTTON (widget));
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_label (GTK_LABEL (widget));
  if (ADW_IS_PREFERENCES_ROW (widget))
    return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  if (ADW_IS_PREFERENCES_GROUP (widget))
    return adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget));
  if (ADW_IS_STATUS_PAGE (widget))
    return adw_status_page_get_title (ADW_STATUS_PAGE (widget));
  return NULL;
}

GtkWidget *
ct_test_gui_find (GtkWidget  *root,
                  GType       type,
                  const char *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (text == NULL || g_strcmp0 (widget_text (root), text) == 0))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ct_test_gui_find (child, type, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWindow *
ct_test_gui_find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

void
ct_test_gui_reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}
