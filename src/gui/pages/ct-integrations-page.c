/* ct-integrations-page.c - Stalled integrations by system, what they hold up, and what to do
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page shows what the window passes in: the incidents of the store,
 * the sources' health, and the progress and result of the actions the
 * window runs (Retry, Run Now, Requeue). Its buttons name window actions
 * (win.run-integration, win.open-incident, win.open-case); it never talks
 * to a server. Server text goes into rows and labels with markup off.
 */

#define G_LOG_DOMAIN "ct-integrations-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ct-health-row.h"
#include "ct-incident.h"
#include "ct-integration-actions.h"
#include "ct-integrations-page.h"

/* What the page knows about one incident beyond the case itself. */
typedef struct
{
  gboolean  expanded;
  gboolean  running;
  gboolean  failed;
  char     *result;    /* (owned) (nullable) the last action's outcome in words */
  char     *message;   /* (owned) (nullable) n8n's error message for the run */
  char     *node;      /* (owned) (nullable) the node that failed */
  gboolean  details;   /* the run was read with its data */
} IncidentState;

struct _CtIntegrationsPage
{
  GtkWidget    parent_instance;

  GHashTable  *states;       /* (owned) key → IncidentState */
  GHashTable  *rows;         /* (owned) key → AdwExpanderRow (unowned) */
  CtCaseStore *store;        /* (owned) (nullable) the last one shown */
  char        *signature;    /* (owned) (nullable) what the rows say, to skip a rebuild */
  guint        rebuild_timeout; /* details arriving one by one, shown together */
  char        *pinned;       /* (owned) (nullable) a run asked for, listed even if older */
  guint        focus_idle;   /* a control takes the focus once it is shown */
  guint        focus_tries;
  char        *focus_target; /* (owned) (nullable) its focus id */

  /* Template widgets */
  GtkWidget   *empty_page;
  GtkWidget   *groups_box;
  GtkWidget   *health_box;
  GtkWidget   *scrolled;
};

G_DEFINE_FINAL_TYPE (CtIntegrationsPage, ct_integrations_page, GTK_TYPE_WIDGET)

/* The systems, in the order the page shows them. */
static const struct
{
  const char   *model;
  const char   *title;
  const char   *open_label;
  CtSourceKind  kind;
} systems[] = {
  { "n8n.execution", N_("n8n Workflows"), N_("Open in n8n"), CT_SOURCE_KIND_N8N },
  { "ir.cron", N_("Scheduled Actions"), N_("Open in Odoo"), CT_SOURCE_KIND_CRON },
  { "queue.job", N_("Queue Jobs"), N_("Open in Odoo"), CT_SOURCE_KIND_QUEUE_JOB },
};

#define FOCUS_ID "ct-focus-id"

static void
incident_state_free (gpointer data)
{
  IncidentState *state = data;

  g_free (state->result);
  g_free (state->message);
  g_free (state->node);
  g_free (state);
}

static IncidentState *
ensure_state (CtIntegrationsPage *self,
              const char         *key)
{
  IncidentState *state = g_hash_table_lookup (self->states, key);

  if (state == NULL)
    {
      state = g_new0 (IncidentState, 1);
      g_hash_table_insert (self->states, g_strdup (key), state);
    }
  return state;
}

static char *
format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_seconds);

  /* TRANSLATORS: when an incident started, see g_date_time_format */
  return dt ? g_date_time_format (dt, _("%-d %b, %H:%M")) : g_strdup ("");
}

/* "Order sync" out of "Workflow run failed — Order sync". */
static const char *
incident_name (CtCase *c)
{
  const char *title = c->title ? c->title : c->key;
  const char *dash = strstr (title, " — ");

  return dash != NULL ? dash + strlen (" — ") : title;
}

static GtkWidget *
text_row (const char *title,
          const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title ? title : "");
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  return row;
}

static void
set_focus_id (GtkWidget  *widget,
              const char *key,
              const char *part)
{
  g_object_set_data_full (G_OBJECT (widget), FOCUS_ID, g_strconcat (key, "|", part, NULL), g_free);
}

static char *
incident_subtitle (CtCase *c)
{
  g_autoptr(GString) sub = g_string_new (ct_incident_kind_get_label (c->incident_kind));

  if (c->requested_at > 0)
    {
      g_autofree char *since = format_time (c->requested_at);

      /* TRANSLATORS: "Workflow run failed · since 4 Dec, 14:02" */
      g_string_append_printf (sub, _(" · since %s"), since);
    }
  if (c->linked_keys != NULL && c->linked_keys->len > 0)
    g_string_append_printf (sub, g_dngettext (GETTEXT_PACKAGE, " · holds up %u case",
                                              " · holds up %u cases", c->linked_keys->len),
                            c->linked_keys->len);
  return g_string_free (g_steal_pointer (&sub), FALSE);
}

static void
expanded_cb (GObject    *row,
             GParamSpec *pspec,
             gpointer    user_data)
{
  CtIntegrationsPage *self = user_data;
  IncidentState *state = ensure_state (self, g_object_get_data (row, "key"));

  state->expanded = adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row));
}

static GtkWidget *
action_box (CtIntegrationsPage *self,
            CtCase             *c,
            const char         *open_label,
            IncidentState      *state)
{
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  CtIntegrationAction action = ct_integration_action_for_key (c->key);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  if (action != CT_INTEGRATION_ACTION_NONE)
    {
      GtkWidget *button = gtk_button_new_with_label (ct_integration_action_get_label (action));

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.run-integration");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", c->key);
      gtk_widget_add_css_class (button, "suggested-action");
      gtk_widget_set_sensitive (button, !state->running);
      set_focus_id (button, c->key, "run");
      gtk_box_append (GTK_BOX (box), button);
    }
  {
    GtkWidget *button = gtk_button_new_with_label (_(open_label));

    gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.open-incident");
    gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", c->key);
    set_focus_id (button, c->key, "open");
    gtk_box_append (GTK_BOX (box), button);
  }
  if (state->running)
    {
      GtkWidget *spinner = gtk_spinner_new ();
      GtkWidget *label = gtk_label_new (_("Working…"));

      gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Working…"), -1);
      gtk_widget_set_margin_start (spinner, 6);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), spinner);
      gtk_box_append (GTK_BOX (box), label);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Actions"));
  return row;
}

static GtkWidget *
error_icon (CtCase *c)
{
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");

  gtk_widget_add_css_class (icon, "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  ct_incident_kind_get_label (c->incident_kind), -1);
  return icon;
}

static GtkWidget *
working_spinner (void)
{
  GtkWidget *spinner = gtk_spinner_new ();

  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Working…"), -1);
  return spinner;
}

static GtkWidget *
result_row (IncidentState *state)
{
  GtkWidget *row = text_row (state->result, state->failed ? _("The action did not work")
                                                          : _("Result, as re-read"));
  GtkWidget *mark = gtk_image_new_from_icon_name (state->failed ? "dialog-warning-symbolic"
                                                                : "emblem-ok-symbolic");

  gtk_widget_add_css_class (mark, state->failed ? "error" : "success");
  gtk_accessible_update_property (GTK_ACCESSIBLE (mark), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  state->failed ? _("Failed") : _("Done"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), mark);
  return row;
}

/* The cases @c holds up, each opening its case. */
static void
add_held_rows (CtIntegrationsPage *self,
               GtkWidget          *expander,
               CtCase             *c)
{
  for (guint i = 0; c->linked_keys && i < c->linked_keys->len; i++)
    {
      const char *key = c->linked_keys->pdata[i];
      CtCase *held = self->store ? ct_case_store_lookup (self->store, key) : NULL;
      g_autofree char *title = NULL;
      GtkWidget *held_row;

      if (held != NULL)
        {
          const char *what = ct_case_get_title (held) ? ct_case_get_title (held)
                                                      : held->partner.name;

          title = what ? g_strdup_printf ("%s · %s", held->reference ? held->reference : key, what)
                       : g_strdup (held->reference ? held->reference : key);
        }
      held_row = text_row (title ? title : key, held ? _("Held up by this incident")
                                                     : _("Held up; not in the tower's queues"));
      /* Indented under the incident it belongs to. */
      {
        GtkWidget *spacer = gtk_image_new_from_icon_name ("mail-attachment-symbolic");

        gtk_widget_add_css_class (spacer, "dim-label");
        gtk_widget_set_margin_start (spacer, 28);
        gtk_accessible_update_property (GTK_ACCESSIBLE (spacer), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Held-up case"), -1);
        adw_action_row_add_prefix (ADW_ACTION_ROW (held_row), spacer);
      }
      if (held != NULL)
        {
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (held_row), TRUE);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (held_row), "win.open-case");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (held_row), "s", key);
          adw_action_row_add_suffix (ADW_ACTION_ROW (held_row),
                                     gtk_image_new_from_icon_name ("go-next-symbolic"));
          set_focus_id (held_row, c->key, key);
        }
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), held_row);
    }
}

static void
track_expanded (CtIntegrationsPage *self,
                GtkWidget          *expander,
                const char         *state_key)
{
  IncidentState *state = ensure_state (self, state_key);

  g_object_set_data_full (G_OBJECT (expander), "key", g_strdup (state_key), g_free);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), state->expanded);
  g_signal_connect_object (expander, "notify::expanded", G_CALLBACK (expanded_cb), self, 0);
}

static void
remember_row (CtIntegrationsPage *self,
              CtCase             *c,
              GtkWidget          *row,
              GtkWidget          *expander)
{
  g_object_set_data (G_OBJECT (row), "ct-expander", expander);
  g_hash_table_insert (self->rows, g_strdup (c->key), row);
}

/* A scheduled action or a queue job: one expander each. */
static GtkWidget *
incident_row (CtIntegrationsPage *self,
              CtCase             *c,
              const char         *open_label)
{
  IncidentState *state = ensure_state (self, c->key);
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *subtitle = incident_subtitle (c);
  g_autofree char *name = g_strdup_printf ("%s %s", incident_name (c),
                                           c->reference ? c->reference : "");
  const char *message = state->message ? state->message : c->detail;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), g_strstrip (name));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), error_icon (c));
  if (state->running)
    adw_expander_row_add_action (ADW_EXPANDER_ROW (row), working_spinner ());
  set_focus_id (row, c->key, "row");

  if (state->result != NULL)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (row), result_row (state));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            text_row (message ? message : _("The server gave no message"),
                                      _("Error message")));
  if (c->branch != NULL)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (row), text_row (c->branch, _("Model")));
  add_held_rows (self, row, c);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), action_box (self, c, open_label, state));

  track_expanded (self, row, c->key);
  remember_row (self, c, row, row);
  return row;
}

/* One stalled n8n run inside its workflow's expander: where it failed, in
 * n8n's words, and Retry. */
static GtkWidget *
run_row (CtIntegrationsPage *self,
         CtCase             *c,
         GtkWidget          *expander)
{
  IncidentState *state = ensure_state (self, c->key);
  /* TRANSLATORS: "Run #1001 · Workflow run failed" */
  g_autofree char *title = g_strdup_printf (_("Run %s · %s"), c->reference ? c->reference : c->key,
                                            ct_incident_kind_get_label (c->incident_kind));
  g_autoptr(GString) sub = g_string_new (NULL);
  const char *message = state->message ? state->message : c->detail;
  CtIntegrationAction action = ct_integration_action_for_key (c->key);
  GtkWidget *row, *button;

  if (c->requested_at > 0)
    {
      g_autofree char *since = format_time (c->requested_at);

      /* TRANSLATORS: when a stalled run started or failed */
      g_string_append_printf (sub, _("Since %s"), g_strstrip (since));
    }
  if (state->node != NULL)
    /* TRANSLATORS: the n8n node where a run failed */
    g_string_append_printf (sub, _(" · failed in “%s”"), state->node);
  if (message != NULL)
    g_string_append_printf (sub, "\n%s", message);
  else if (!state->details)
    g_string_append_printf (sub, "\n%s", _("Reading the run from n8n…"));
  row = text_row (title, sub->str);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), error_icon (c));
  if (state->running)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), working_spinner ());
  if (action != CT_INTEGRATION_ACTION_NONE)
    {
      button = gtk_button_new_with_label (ct_integration_action_get_label (action));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.run-integration");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", c->key);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_sensitive (button, !state->running);
      set_focus_id (button, c->key, "run");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  button = gtk_button_new_with_label (_("Open in n8n"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.open-incident");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", c->key);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  set_focus_id (button, c->key, "open");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  set_focus_id (row, c->key, "row");
  remember_row (self, c, row, expander);
  return row;
}

/* Runs listed per workflow: n8n keeps hundreds; the newest tell enough. */
#define RUNS_SHOWN 10

/* One n8n workflow: how many of its runs stalled, since when, what they
 * hold up; its newest stalled runs inside. @runs: oldest first. */
static GtkWidget *
workflow_row (CtIntegrationsPage *self,
              GPtrArray          *runs)
{
  CtCase *oldest = runs->pdata[0];
  g_autofree char *state_key = g_strconcat ("workflow:", oldest->branch ? oldest->branch : "",
                                            NULL);
  GtkWidget *row = adw_expander_row_new ();
  g_autoptr(GString) sub = g_string_new (NULL);
  g_autofree char *since = oldest->requested_at > 0 ? format_time (oldest->requested_at) : NULL;
  guint held = 0;

  for (guint i = 0; i < runs->len; i++)
    {
      CtCase *c = runs->pdata[i];

      held += c->linked_keys ? c->linked_keys->len : 0;
    }
  g_string_append_printf (sub, g_dngettext (GETTEXT_PACKAGE, "%u stalled run", "%u stalled runs",
                                            runs->len), runs->len);
  if (since != NULL)
    g_string_append_printf (sub, _(" · since %s"), g_strstrip (since));
  if (held > 0)
    g_string_append_printf (sub, g_dngettext (GETTEXT_PACKAGE, " · holds up %u case",
                                              " · holds up %u cases", held), held);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), incident_name (oldest));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), sub->str);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), error_icon (oldest));
  set_focus_id (row, state_key, "row");

  for (guint i = runs->len; i > 0; i--)
    {
      CtCase *c = runs->pdata[i - 1];
      IncidentState *state;

      if (runs->len - i >= RUNS_SHOWN && g_strcmp0 (c->key, self->pinned) != 0)
        continue;
      state = ensure_state (self, c->key);

      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), run_row (self, c, row));
      if (state->result != NULL)
        adw_expander_row_add_row (ADW_EXPANDER_ROW (row), result_row (state));
      add_held_rows (self, row, c);
    }
  if (runs->len > RUNS_SHOWN)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u older run is not listed here",
                                                            "%u older runs are not listed here",
                                                            runs->len - RUNS_SHOWN),
                                               runs->len - RUNS_SHOWN);

      adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                text_row (more, _("Open a run in n8n to see the workflow's "
                                                  "whole history")));
    }
  track_expanded (self, row, state_key);
  return row;
}

static int
compare_since (gconstpointer a,
               gconstpointer b)
{
  CtCase *ca = *(CtCase **) a;
  CtCase *cb = *(CtCase **) b;

  if (ca->requested_at != cb->requested_at)
    return ca->requested_at < cb->requested_at ? -1 : 1;
  return g_strcmp0 (ca->key, cb->key);
}

static GPtrArray *
collect_incidents (CtCaseStore *store)
{
  GPtrArray *cases = store ? ct_case_store_get_cases (store) : NULL;
  GPtrArray *incidents = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; cases && i < cases->len; i++)
    {
      CtCase *c = cases->pdata[i];

      if (c->kind == CT_CASE_KIND_INCIDENT)
        g_ptr_array_add (incidents, g_object_ref (c));
    }
  g_ptr_array_sort (incidents, compare_since);
  return incidents;
}

/* Everything the rows show, so an unchanged refresh leaves them alone. */
static char *
make_signature (CtIntegrationsPage *self,
                GPtrArray          *incidents)
{
  GString *s = g_string_new (self->pinned);

  for (guint i = 0; i < incidents->len; i++)
    {
      CtCase *c = incidents->pdata[i];
      IncidentState *state = g_hash_table_lookup (self->states, c->key);

      g_string_append_printf (s, "%s\x1f%d\x1f%s\x1f%s\x1f%" G_GINT64_FORMAT "\x1f", c->key,
                              c->incident_kind, c->title ? c->title : "",
                              c->detail ? c->detail : "", c->requested_at);
      for (guint j = 0; c->linked_keys && j < c->linked_keys->len; j++)
        {
          CtCase *held = ct_case_store_lookup (self->store, c->linked_keys->pdata[j]);

          g_string_append_printf (s, "%s%c,", (char *) c->linked_keys->pdata[j], held ? '+' : '-');
        }
      if (state != NULL)
        g_string_append_printf (s, "\x1f%d%d%d%s\x1f%s\x1f%s", state->running, state->failed,
                                state->details, state->result ? state->result : "",
                                state->message ? state->message : "",
                                state->node ? state->node : "");
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

static const char *
focused_id (CtIntegrationsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  for (; focus != NULL && focus != GTK_WIDGET (self); focus = gtk_widget_get_parent (focus))
    if (g_object_get_data (G_OBJECT (focus), FOCUS_ID) != NULL)
      return g_object_get_data (G_OBJECT (focus), FOCUS_ID);
  return NULL;
}

static GtkWidget *
find_focus_id (GtkWidget  *root,
               const char *id)
{
  if (g_strcmp0 (g_object_get_data (G_OBJECT (root), FOCUS_ID), id) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_focus_id (child, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
focus_idle_cb (gpointer data)
{
  CtIntegrationsPage *self = data;
  GtkWidget *target = self->focus_target ? find_focus_id (self->groups_box, self->focus_target)
                                         : NULL;

  /* A new row (after a rebuild, or inside an expander's revealer) can take
   * the focus only once it is shown. */
  if (target != NULL && !gtk_widget_has_focus (target) && self->focus_tries-- > 0 &&
      !(gtk_widget_get_mapped (target) && gtk_widget_grab_focus (target)))
    return G_SOURCE_CONTINUE;
  self->focus_idle = 0;
  g_clear_pointer (&self->focus_target, g_free);
  return G_SOURCE_REMOVE;
}

/* Gives the control with focus id @id the focus as soon as it can take it. */
static void
focus_soon (CtIntegrationsPage *self,
            const char         *id)
{
  g_free (self->focus_target);
  self->focus_target = g_strdup (id);
  self->focus_tries = 40;
  if (self->focus_idle == 0)
    self->focus_idle = g_timeout_add (25, focus_idle_cb, self);
}

static void
rebuild (CtIntegrationsPage *self)
{
  g_autoptr(GPtrArray) incidents = collect_incidents (self->store);
  g_autofree char *focus = g_strdup (focused_id (self));
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled));
  double scroll = gtk_adjustment_get_value (adj);
  GtkWidget *child;
  char *signature = make_signature (self, incidents);

  g_clear_handle_id (&self->rebuild_timeout, g_source_remove);
  if (g_strcmp0 (signature, self->signature) == 0)
    {
      g_free (signature);
      return;
    }
  g_free (self->signature);
  self->signature = signature;

  g_hash_table_remove_all (self->rows);
  while ((child = gtk_widget_get_first_child (self->groups_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->groups_box), child);

  for (guint s = 0; s < G_N_ELEMENTS (systems); s++)
    {
      GtkWidget *group = NULL;
      guint n = 0;

      g_autoptr(GHashTable) workflows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                               (GDestroyNotify) g_ptr_array_unref);
      g_autoptr(GPtrArray) order = g_ptr_array_new ();
      gboolean by_workflow = systems[s].kind == CT_SOURCE_KIND_N8N;

      for (guint i = 0; i < incidents->len; i++)
        {
          CtCase *c = incidents->pdata[i];

          if (!g_str_equal (c->model, systems[s].model))
            continue;
          if (group == NULL)
            {
              group = adw_preferences_group_new ();
              adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _(systems[s].title));
              gtk_box_append (GTK_BOX (self->groups_box), group);
            }
          n++;
          if (by_workflow)
            {
              const char *workflow = c->branch ? c->branch : "";
              GPtrArray *runs = g_hash_table_lookup (workflows, workflow);

              if (runs == NULL)
                {
                  runs = g_ptr_array_new ();
                  g_hash_table_insert (workflows, (gpointer) workflow, runs);
                  g_ptr_array_add (order, runs);
                }
              g_ptr_array_add (runs, c);
              continue;
            }
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                     incident_row (self, c, systems[s].open_label));
        }
      for (guint i = 0; i < order->len; i++)
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                   workflow_row (self, order->pdata[i]));
      if (group != NULL)
        {
          g_autofree char *description =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u stalled", "%u stalled", n), n);

          adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
        }
    }
  gtk_widget_set_visible (self->empty_page, incidents->len == 0);

  /* The user's place survives a refresh: where the list was scrolled to and
   * which control had the focus. */
  gtk_adjustment_set_value (adj, scroll);
  if (focus != NULL)
    {
      GtkWidget *again = find_focus_id (self->groups_box, focus);

      if (again == NULL)
        {
          /* The button went (a finished run); its incident's row is next best. */
          char *bar = strchr (focus, '|');

          if (bar != NULL)
            {
              strcpy (bar, "|row");
              again = find_focus_id (self->groups_box, focus);
            }
        }
      if (again != NULL && !(gtk_widget_get_mapped (again) && gtk_widget_grab_focus (again)))
        focus_soon (self, g_object_get_data (G_OBJECT (again), FOCUS_ID));
    }
}

static void
update_health (CtIntegrationsPage *self,
               CtSync             *sync)
{
  GtkWidget *child;
  GtkWidget *group = adw_preferences_group_new ();
  guint n = 0;

  while ((child = gtk_widget_get_first_child (self->health_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->health_box), child);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Source Health"));
  for (guint i = 0; sync != NULL && i < ct_sync_get_n_sources (sync); i++)
    {
      const CtSourceHealth *h = ct_sync_get_health (sync, i);
      g_autofree char *when = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;
      gboolean watched = FALSE;

      for (guint s = 0; s < G_N_ELEMENTS (systems); s++)
        watched |= systems[s].kind == h->kind;
      if (!watched)
        continue;
      when = h->last_success ? format_time (h->last_success) : g_strdup (_("never"));
      /* Not installed, or not visible to this user: the source says which
       * right would show it. */
      if (h->probed && !h->available &&
          ct_source_get_unavailable_reason (ct_sync_get_source (sync, i)) != NULL)
        subtitle = g_strdup (ct_source_get_unavailable_reason (ct_sync_get_source (sync, i)));
      else if (h->last_error != NULL)
        subtitle = g_strdup_printf (_("Last success %s · last error: %s"), when, h->last_error);
      else
        subtitle = g_strdup_printf (_("Last success %s"), when);
      row = text_row (h->name, subtitle);
      ct_health_row_decorate (ADW_ACTION_ROW (row), h);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      n++;
    }
  if (n == 0)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               text_row (_("No integration is watched"),
                                         _("Add an n8n server in the connection settings, or "
                                           "install the job queue in Odoo.")));
  gtk_box_append (GTK_BOX (self->health_box), group);
}

static gboolean
rebuild_timeout_cb (gpointer data)
{
  CtIntegrationsPage *self = data;

  self->rebuild_timeout = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

void
ct_integrations_page_update (CtIntegrationsPage *self,
                             CtCaseStore        *store,
                             CtSync             *sync)
{
  g_return_if_fail (CT_IS_INTEGRATIONS_PAGE (self));

  g_set_object (&self->store, store);
  rebuild (self);
  update_health (self, sync);
}

void
ct_integrations_page_set_running (CtIntegrationsPage *self,
                                  const char         *key)
{
  IncidentState *state;

  g_return_if_fail (CT_IS_INTEGRATIONS_PAGE (self));

  state = ensure_state (self, key);
  state->running = TRUE;
  state->expanded = TRUE;
  g_clear_pointer (&state->result, g_free);
  rebuild (self);
}

void
ct_integrations_page_set_result (CtIntegrationsPage *self,
                                 const char         *key,
                                 const char         *result,
                                 gboolean            failed)
{
  IncidentState *state;

  g_return_if_fail (CT_IS_INTEGRATIONS_PAGE (self));

  state = ensure_state (self, key);
  state->running = FALSE;
  state->failed = failed;
  g_free (state->result);
  state->result = g_strdup (result);
  rebuild (self);
}

const char *
ct_integrations_page_get_result (CtIntegrationsPage *self,
                                 const char         *key)
{
  IncidentState *state = g_hash_table_lookup (self->states, key);

  return state ? state->result : NULL;
}

gboolean
ct_integrations_page_is_running (CtIntegrationsPage *self,
                                 const char         *key)
{
  IncidentState *state = g_hash_table_lookup (self->states, key);

  return state != NULL && state->running;
}

void
ct_integrations_page_set_run_details (CtIntegrationsPage *self,
                                      const char         *key,
                                      const char         *message,
                                      const char         *node)
{
  IncidentState *state;

  g_return_if_fail (CT_IS_INTEGRATIONS_PAGE (self));

  state = ensure_state (self, key);
  state->details = TRUE;
  g_free (state->message);
  state->message = g_strdup (message);
  g_free (state->node);
  state->node = g_strdup (node);
  /* Reads come back one by one: one rebuild for those of a moment. */
  if (self->rebuild_timeout == 0)
    self->rebuild_timeout = g_timeout_add (300, rebuild_timeout_cb, self);
}

gboolean
ct_integrations_page_has_run_details (CtIntegrationsPage *self,
                                      const char         *key)
{
  IncidentState *state = g_hash_table_lookup (self->states, key);

  return state != NULL && state->details;
}

/* The n8n runs shown whose data has not been read: for the window to read. */
GStrv
ct_integrations_page_dup_unread_runs (CtIntegrationsPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (CT_IS_INTEGRATIONS_PAGE (self), NULL);

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_str_has_prefix (key, "n8n.execution:") && !ct_integrations_page_has_run_details (self, key))
      g_strv_builder_add (builder, key);
  return g_strv_builder_end (builder);
}

GtkWidget *
ct_integrations_page_get_row (CtIntegrationsPage *self,
                              const char         *key)
{
  g_return_val_if_fail (CT_IS_INTEGRATIONS_PAGE (self), NULL);
  return g_hash_table_lookup (self->rows, key);
}

gboolean
ct_integrations_page_reveal (CtIntegrationsPage *self,
                             const char         *key)
{
  GtkWidget *row;

  g_return_val_if_fail (CT_IS_INTEGRATIONS_PAGE (self), FALSE);

  /* An older run than the page lists is listed while it is asked for. */
  if (g_strcmp0 (self->pinned, key) != 0)
    {
      g_free (self->pinned);
      self->pinned = g_strdup (key);
      rebuild (self);
    }
  row = g_hash_table_lookup (self->rows, key);
  if (row == NULL)
    return FALSE;
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (g_object_get_data (G_OBJECT (row),
                                                                      "ct-expander")), TRUE);
  /* The viewport scrolls the focused row into view. */
  {
    g_autofree char *id = g_strconcat (key, "|row", NULL);

    if (!(gtk_widget_get_mapped (row) && gtk_widget_grab_focus (row)))
      focus_soon (self, id);
  }
  return TRUE;
}

static void
ct_integrations_page_dispose (GObject *object)
{
  CtIntegrationsPage *self = CT_INTEGRATIONS_PAGE (object);

  g_clear_handle_id (&self->rebuild_timeout, g_source_remove);
  g_clear_handle_id (&self->focus_idle, g_source_remove);
  g_hash_table_remove_all (self->rows);
  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_INTEGRATIONS_PAGE);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (ct_integrations_page_parent_class)->dispose (object);
}

static void
ct_integrations_page_finalize (GObject *object)
{
  CtIntegrationsPage *self = CT_INTEGRATIONS_PAGE (object);

  g_hash_table_unref (self->states);
  g_hash_table_unref (self->rows);
  g_free (self->signature);
  g_free (self->pinned);
  g_free (self->focus_target);
  G_OBJECT_CLASS (ct_integrations_page_parent_class)->finalize (object);
}

static void
ct_integrations_page_class_init (CtIntegrationsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_integrations_page_dispose;
  object_class->finalize = ct_integrations_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/sysgenpro/ControlTower/pages/ct-integrations-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CtIntegrationsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CtIntegrationsPage, groups_box);
  gtk_widget_class_bind_template_child (widget_class, CtIntegrationsPage, health_box);
  gtk_widget_class_bind_template_child (widget_class, CtIntegrationsPage, scrolled);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "integrationspage");
}

static void
ct_integrations_page_init (CtIntegrationsPage *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  /* Back to the case an incident was opened from, as on the case page. */
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                   gtk_keyval_trigger_new (GDK_KEY_Left,
                                                                           GDK_ALT_MASK)),
                      gtk_named_action_new ("win.incident-back")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  self->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, incident_state_free);
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ct_integrations_page_new (void)
{
  return g_object_new (CT_TYPE_INTEGRATIONS_PAGE, NULL);
}
