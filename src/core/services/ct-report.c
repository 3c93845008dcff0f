/* ct-report.c - The report CLI's output: pending, breaches, incidents, metrics in three formats
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ct-incident.h"
#include "ct-json.h"
#include "ct-metrics.h"
#include "ct-report.h"

gboolean
ct_report_kind_from_string (const char   *str,
                            CtReportKind *kind)
{
  static const char *const names[] = { "pending", "breaches", "incidents", "metrics" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (str, names[i]) == 0)
      {
        *kind = (CtReportKind)i;
        return TRUE;
      }
  return FALSE;
}

gboolean
ct_report_format_from_string (const char     *str,
                              CtReportFormat *format)
{
  static const char *const names[] = { "table", "json", "csv" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (str, names[i]) == 0)
      {
        *format = (CtReportFormat)i;
        return TRUE;
      }
  return FALSE;
}

static const char *const kind_names[] = { "pending", "breaches", "incidents", "metrics" };

/* ---- partial results ---- */

typedef struct
{
  char         *name;   /* the source */
  CtSourceKind  kind;
  char         *model;  /* (nullable) one queue model; NULL: the whole source */
  char         *text;   /* the sentence for the user */
} Hidden;

struct _CtReportGaps
{
  GPtrArray *names;   /* (element-type utf8) the failed sources, in the sync's order */
  GArray    *kinds;   /* (element-type CtSourceKind) */
  GPtrArray *hidden;  /* (element-type Hidden) what this user may not see */
};

static void
hidden_free (Hidden *h)
{
  g_free (h->name);
  g_free (h->model);
  g_free (h->text);
  g_free (h);
}

CtReportGaps *
ct_report_gaps_new (void)
{
  CtReportGaps *gaps = g_new0 (CtReportGaps, 1);

  gaps->names = g_ptr_array_new_with_free_func (g_free);
  gaps->kinds = g_array_new (FALSE, FALSE, sizeof (CtSourceKind));
  gaps->hidden = g_ptr_array_new_with_free_func ((GDestroyNotify) hidden_free);
  return gaps;
}

void
ct_report_gaps_free (CtReportGaps *gaps)
{
  if (gaps == NULL)
    return;
  g_ptr_array_unref (gaps->names);
  g_array_unref (gaps->kinds);
  g_ptr_array_unref (gaps->hidden);
  g_free (gaps);
}

void
ct_report_gaps_add (CtReportGaps *gaps,
                    const char   *name,
                    CtSourceKind  kind)
{
  g_ptr_array_add (gaps->names, g_strdup (name));
  g_array_append_val (gaps->kinds, kind);
}

void
ct_report_gaps_add_hidden (CtReportGaps *gaps,
                           const char   *name,
                           CtSourceKind  kind,
                           const char   *model,
                           const char   *text)
{
  Hidden *h = g_new0 (Hidden, 1);

  h->name = g_strdup (name);
  h->kind = kind;
  h->model = g_strdup (model);
  h->text = g_strdup (text);
  g_ptr_array_add (gaps->hidden, h);
}

guint
ct_report_gaps_get_n (CtReportGaps *gaps)
{
  return gaps != NULL ? gaps->names->len : 0;
}

static int compare_strings (gconstpointer a,
                            gconstpointer b);

CtReportGaps *
ct_report_gaps_from_sync (CtSync *sync)
{
  CtReportGaps *gaps = ct_report_gaps_new ();

  for (guint i = 0; i < ct_sync_get_n_sources (sync); i++)
    {
      const CtSourceHealth *h = ct_sync_get_health (sync, i);

      CtSource *source = ct_sync_get_source (sync, i);
      GHashTable *models = ct_source_get_hidden_models (source);
      g_autofree gpointer *names = NULL;
      guint n = 0;

      if (h->available && h->failures > 0)
        ct_report_gaps_add (gaps, h->name, h->kind);
      if (h->probed && !h->available && ct_source_is_not_visible (source))
        {
          ct_report_gaps_add_hidden (gaps, h->name, h->kind, NULL,
                                     ct_source_get_unavailable_reason (source));
          continue;
        }
      if (!h->available)
        continue;
      /* Queues on models this user may not read (a purchase order's tier
       * review for a user without purchase rights). */
      names = g_hash_table_get_keys_as_array (models, &n);
      qsort (names, n, sizeof (gpointer), compare_strings);
      for (guint m = 0; m < n; m++)
        {
          const char *groups = g_hash_table_lookup (models, names[m]);
          g_autofree char *text = NULL;

          if (groups != NULL)
            /* Translators: source, model, model, the Odoo groups */
            text = g_strdup_printf (_("%s cannot show you %s records: Odoo lets only these groups "
                                      "read %s: %s."), h->name, (char *) names[m],
                                    (char *) names[m], groups);
          else
            text = g_strdup_printf (_("%s cannot show you %s records: Odoo does not let you read "
                                      "them."), h->name, (char *) names[m]);
          ct_report_gaps_add_hidden (gaps, h->name, h->kind, names[m], text);
        }
    }
  return gaps;
}

/* What a report cannot know, worked out from the failed sources and the
 * profile: the areas and queues they feed, and whether incidents are
 * among them. */
typedef struct
{
  CtReportGaps *gaps;       /* (unowned) (nullable) */
  GHashTable   *areas;      /* area ids, "unassigned" included */
  GHashTable   *queues;     /* queue ids */
  gboolean      incidents;
  GHashTable   *hidden;     /* area ids a queue feeds that this user may not see */
  GPtrArray    *texts;      /* (element-type utf8) (unowned) why, one sentence each */
} Unknowns;

static gboolean
kind_is_incident (CtSourceKind kind)
{
  return kind == CT_SOURCE_KIND_N8N || kind == CT_SOURCE_KIND_CRON ||
         kind == CT_SOURCE_KIND_QUEUE_JOB;
}

/* Adds to @areas the area ids @queue may put cases in. */
static void
add_queue_areas (GHashTable    *areas,
                 const CtQueue *queue)
{
  if (queue->area_id != NULL)
    g_hash_table_add (areas, queue->area_id);
  if (queue->area_map != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, queue->area_map);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_hash_table_add (areas, value);
    }
  if (queue->default_area != NULL)
    g_hash_table_add (areas, queue->default_area);
  if (queue->area_id == NULL && queue->default_area == NULL)
    g_hash_table_add (areas, (gpointer) "unassigned");
}

static void
unknowns_init (Unknowns     *u,
               CtReportKind  report,
               CtProfile    *profile,
               CtReportGaps *gaps)
{
  u->gaps = ct_report_gaps_get_n (gaps) > 0 ? gaps : NULL;
  u->areas = g_hash_table_new (g_str_hash, g_str_equal);
  u->queues = g_hash_table_new (g_str_hash, g_str_equal);
  u->hidden = g_hash_table_new (g_str_hash, g_str_equal);
  u->texts = g_ptr_array_new ();
  u->incidents = FALSE;
  for (guint g = 0; u->gaps != NULL && g < gaps->kinds->len; g++)
    {
      CtSourceKind kind = g_array_index (gaps->kinds, CtSourceKind, g);

      if (kind_is_incident (kind))
        {
          u->incidents = TRUE;
          continue;
        }
      for (guint q = 0; q < ct_profile_get_n_queues (profile); q++)
        {
          const CtQueue *queue = ct_profile_get_queue (profile, q);

          if (queue->kind != kind)
            continue;
          g_hash_table_add (u->queues, queue->id);
          add_queue_areas (u->areas, queue);
        }
    }
  /* What this user may not see: a whole mechanism, or one queue's model. */
  for (guint i = 0; gaps != NULL && i < gaps->hidden->len; i++)
    {
      Hidden *h = gaps->hidden->pdata[i];

      /* Each report says what hides its own subject: integrations, or
       * approvals. */
      if (kind_is_incident (h->kind) != (report == CT_REPORT_INCIDENTS))
        continue;
      if (h->text != NULL && !g_ptr_array_find_with_equal_func (u->texts, h->text, g_str_equal,
                                                                NULL))
        g_ptr_array_add (u->texts, h->text);
      for (guint q = 0; q < ct_profile_get_n_queues (profile); q++)
        {
          const CtQueue *queue = ct_profile_get_queue (profile, q);

          if (queue->kind == h->kind && (h->model == NULL || g_strcmp0 (h->model,
                                                                        queue->model) == 0))
            add_queue_areas (u->hidden, queue);
        }
    }
}

static void
unknowns_clear (Unknowns *u)
{
  g_clear_pointer (&u->areas, g_hash_table_unref);
  g_clear_pointer (&u->queues, g_hash_table_unref);
  g_clear_pointer (&u->hidden, g_hash_table_unref);
  g_clear_pointer (&u->texts, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Unknowns, unknowns_clear)

static gboolean
area_unknown (Unknowns   *u,
              const char *id)
{
  return g_hash_table_contains (u->areas, id);
}

/* An area a queue feeds that this user may not read: whatever was read
 * there, how many there are is not known to this user. */
static gboolean
area_hidden (Unknowns   *u,
             const char *id)
{
  return g_hash_table_contains (u->hidden, id);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* "tier-validation, n8n" */
static char *
failed_names (Unknowns   *u,
              const char *separator)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < u->gaps->names->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? separator : "",
                            (const char *) u->gaps->names->pdata[i]);
  return g_string_free (out, FALSE);
}

/* The first line of a partial table or CSV. */
static char *clean_text (const char *text);

/* What this user may not see, before a table or a CSV header. */
static void
append_hidden_notice (GString        *out,
                      CtReportFormat  format,
                      Unknowns       *u)
{
  guint n_areas = 0;
  g_autofree gpointer *areas = NULL;
  g_autofree char *area_list = NULL;

  if (u->texts->len == 0)
    return;
  if (format == CT_REPORT_FORMAT_CSV)
    {
      areas = g_hash_table_get_keys_as_array (u->hidden, &n_areas);
      qsort (areas, n_areas, sizeof (gpointer), compare_strings);
      area_list = g_strjoinv (" ", (char **) areas);
      /* Machine-read like the incomplete line; the sentences follow. */
      g_string_append_printf (out, "# not-visible: areas=%s\r\n", area_list);
    }
  for (guint i = 0; i < u->texts->len; i++)
    {
      g_autofree char *text = clean_text (u->texts->pdata[i]);

      if (format == CT_REPORT_FORMAT_CSV)
        g_string_append_printf (out, "# %s\r\n", text);
      else
        g_string_append_printf (out, "%s\n", text);
    }
  if (format != CT_REPORT_FORMAT_CSV)
    g_string_append_c (out, '\n');
}

static void
append_partial_notice (GString        *out,
                       CtReportFormat  format,
                       Unknowns       *u)
{
  g_autofree char *names = NULL;

  append_hidden_notice (out, format, u);
  if (u->gaps == NULL)
    return;
  if (format == CT_REPORT_FORMAT_CSV)
    {
      guint n_areas = 0;
      g_autofree gpointer *areas = g_hash_table_get_keys_as_array (u->areas, &n_areas);
      g_autofree char *area_list = NULL;

      qsort (areas, n_areas, sizeof (gpointer), compare_strings);
      area_list = g_strjoinv (" ", (char **) areas);
      names = failed_names (u, " ");
      /* Machine-read: stays English and space-separated. */
      g_string_append_printf (out, "# incomplete: failed_sources=%s; unknown_areas=%s%s\r\n",
                              names, area_list, u->incidents ? "; incidents=unknown" : "");
      return;
    }
  names = failed_names (u, ", ");
  g_string_append_printf (out, _("INCOMPLETE: %s could not be read; what it feeds is shown as "
                                 "“unknown”, not as a count.\n\n"), names);
}

static void
add_partial_members (JsonBuilder *b,
                     Unknowns    *u)
{
  json_builder_set_member_name (b, "complete");
  json_builder_add_boolean_value (b, u->gaps == NULL);
  json_builder_set_member_name (b, "failed_sources");
  json_builder_begin_array (b);
  for (guint i = 0; u->gaps != NULL && i < u->gaps->names->len; i++)
    json_builder_add_string_value (b, u->gaps->names->pdata[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "not_visible");
  json_builder_begin_array (b);
  for (guint i = 0; i < u->texts->len; i++)
    json_builder_add_string_value (b, u->texts->pdata[i]);
  json_builder_end_array (b);
}

/* ---- selecting and grouping ---- */

static gboolean
is_open (CtCase *c)
{
  return c->kind == CT_CASE_KIND_APPROVAL && c->status != CT_CASE_STATUS_DECIDED;
}

static gboolean
wanted (CtReportKind  kind,
        CtCase       *c)
{
  switch (kind)
    {
    case CT_REPORT_PENDING:
      return is_open (c);
    case CT_REPORT_BREACHES:
      return is_open (c) && c->sla.status == CT_SLA_STATUS_BREACHED;
    case CT_REPORT_INCIDENTS:
      return c->kind == CT_CASE_KIND_INCIDENT;
    case CT_REPORT_METRICS:
    default:
      return FALSE;
    }
}

/* Most urgent first: the largest share of the window used, then the key. */
static int
compare_urgency (gconstpointer a,
                 gconstpointer b)
{
  CtCase *x = *(CtCase **)a;
  CtCase *y = *(CtCase **)b;

  if (x->sla.used != y->sla.used)
    return x->sla.used > y->sla.used ? -1 : 1;
  if (x->requested_at != y->requested_at)
    return x->requested_at < y->requested_at ? -1 : 1;
  return g_strcmp0 (x->key, y->key);
}

static gint64
last_seen (CtCase *c)
{
  return c->last_failed_at > 0 ? c->last_failed_at : c->requested_at;
}

/* The latest failure first, then the key: the same order every run. */
static int
compare_incidents (gconstpointer a,
                   gconstpointer b)
{
  CtCase *x = *(CtCase **)a;
  CtCase *y = *(CtCase **)b;

  if (last_seen (x) != last_seen (y))
    return last_seen (x) > last_seen (y) ? -1 : 1;
  return g_strcmp0 (x->key, y->key);
}

/* (element-type CtCase) unowned */
static GPtrArray *
select_incidents (GPtrArray *cases)
{
  GPtrArray *incidents = g_ptr_array_new ();

  for (guint i = 0; i < cases->len; i++)
    if (wanted (CT_REPORT_INCIDENTS, cases->pdata[i]))
      g_ptr_array_add (incidents, cases->pdata[i]);
  g_ptr_array_sort (incidents, compare_incidents);
  return incidents;
}

typedef struct
{
  const char *id;
  const char *label;
  GPtrArray  *cases;   /* (element-type CtCase) unowned */
} Group;

/* One group per profile area (empty ones too: "area by area"), then the
 * cases no area claims. */
static GArray *
group_by_area (CtReportKind  kind,
               CtProfile    *profile,
               GPtrArray    *cases,
               Unknowns     *u)
{
  guint n_areas = ct_profile_get_n_areas (profile);
  GArray *groups = g_array_sized_new (FALSE, TRUE, sizeof (Group), n_areas + 1);
  Group other = { "unassigned", _("Without an area"), g_ptr_array_new () };

  for (guint i = 0; i < n_areas; i++)
    {
      const CtArea *area = ct_profile_get_area (profile, i);
      Group g = { area->id, area->label, g_ptr_array_new () };

      g_array_append_val (groups, g);
    }
  for (guint i = 0; i < cases->len; i++)
    {
      CtCase *c = cases->pdata[i];
      const CtArea *area;

      if (!wanted (kind, c))
        continue;
      area = c->area_id ? ct_profile_find_area (profile, c->area_id) : NULL;
      if (area != NULL)
        g_ptr_array_add (g_array_index (groups, Group, area->index).cases, c);
      else
        g_ptr_array_add (other.cases, c);
    }
  /* Shown even when empty if a failed source may have had cases there. */
  if (other.cases->len > 0 || area_unknown (u, other.id) || area_hidden (u, other.id))
    g_array_append_val (groups, other);
  else
    g_ptr_array_unref (other.cases);
  for (guint i = 0; i < groups->len; i++)
    g_ptr_array_sort (g_array_index (groups, Group, i).cases, compare_urgency);
  return groups;
}

static void
groups_free (GArray *groups)
{
  for (guint i = 0; i < groups->len; i++)
    g_ptr_array_unref (g_array_index (groups, Group, i).cases);
  g_array_unref (groups);
}

/* ---- text helpers ---- */

static char *
iso_time (gint64 when)
{
  g_autoptr(GDateTime) dt = NULL;

  if (when <= 0)
    return NULL;
  dt = g_date_time_new_from_unix_utc (when);
  return dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

/* Server text for a terminal or a CSV file: control characters (escape
 * sequences, newlines that would break a row) become spaces; invalid UTF-8
 * is replaced. */
static char *
clean_text (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      if (g_unichar_iscntrl (ch))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, ch);
    }
  return g_string_free (out, FALSE);
}

/* Pads or cuts @text to @width characters (… when cut). */
static void
append_cell (GString    *out,
             const char *text,
             guint       width)
{
  g_autofree char *clean = clean_text (text);
  glong len = g_utf8_strlen (clean, -1);

  if ((guint)len > width)
    {
      const char *end = g_utf8_offset_to_pointer (clean, width - 1);

      g_string_append_len (out, clean, end - clean);
      g_string_append (out, "…");
    }
  else
    {
      g_string_append (out, clean);
      for (guint i = len; i < width; i++)
        g_string_append_c (out, ' ');
    }
  g_string_append (out, "  ");
}

static void
append_csv (GString    *out,
            const char *text,
            gboolean    last)
{
  g_autofree char *clean = clean_text (text);
  gboolean formula = clean[0] == '=' || clean[0] == '+' || clean[0] == '-' || clean[0] == '@';

  if (formula || strpbrk (clean, ",\"") != NULL)
    {
      g_string_append_c (out, '"');
      if (formula)
        g_string_append_c (out, '\'');
      for (const char *p = clean; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, clean);
  g_string_append (out, last ? "\r\n" : ",");
}

static char *
format_amount (CtCase *c)
{
  if (c->amount == 0)
    return g_strdup ("");
  return ct_format_money (c->amount, c->currency);
}

static char *
format_approvers (CtCase *c)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < c->requirements->len; i++)
    {
      CtRequirement *r = c->requirements->pdata[i];

      if (r->state != CT_APPROVER_STATE_PENDING && r->state != CT_APPROVER_STATE_WAITING)
        continue;
      if (out->len > 0)
        g_string_append (out, "; ");
      g_string_append_printf (out, "%s (%s%s", r->approver ? r->approver : "?",
                              ct_source_kind_to_string (r->source),
                              r->state == CT_APPROVER_STATE_WAITING ? ", waiting" : "");
      /* Who can act on it, for the signed-in user. */
      if (r->actor == CT_ACTOR_YOU)
        g_string_append_printf (out, ", %s", _("you"));
      else if (r->actor == CT_ACTOR_SOMEONE_ELSE)
        g_string_append_printf (out, ", %s", _("someone else"));
      g_string_append_c (out, ')');
    }
  return g_string_free (out, FALSE);
}

static char *
format_sla (CtCase *c)
{
  if (c->sla.status == CT_SLA_STATUS_NONE)
    return g_strdup ("");
  if (c->sla.status == CT_SLA_STATUS_BREACHED)
    {
      g_autofree char *late = ct_format_business_duration (c->sla.breached_seconds);

      return g_strdup_printf (_("%s by %s"), ct_sla_status_get_label (c->sla.status), late);
    }
  return g_strdup_printf ("%s, %.0f %%", ct_sla_status_get_label (c->sla.status),
                          c->sla.used * 100);
}

/* ---- case reports ---- */

static char *
render_cases_json (CtReportKind  kind,
                   CtProfile    *profile,
                   GPtrArray    *cases,
                   Unknowns     *u,
                   gint64        now)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *at = iso_time (now);
  guint total = 0;
  gboolean total_unknown = FALSE;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "report");
  json_builder_add_string_value (b, kind_names[kind]);
  json_builder_set_member_name (b, "generated_at");
  json_builder_add_string_value (b, at);
  json_builder_set_member_name (b, "profile");
  json_builder_add_string_value (b, ct_profile_get_name (profile));
  add_partial_members (b, u);
  if (kind == CT_REPORT_INCIDENTS)
    {
      g_autoptr(GPtrArray) incidents = select_incidents (cases);

      json_builder_set_member_name (b, "incidents");
      json_builder_begin_array (b);
      for (guint i = 0; i < incidents->len; i++)
        json_builder_add_value (b, ct_case_to_json (incidents->pdata[i]));
      json_builder_end_array (b);
      total = incidents->len;
      total_unknown = u->incidents;
    }
  else
    {
      g_autoptr(GArray) groups = group_by_area (kind, profile, cases, u);

      json_builder_set_member_name (b, "areas");
      json_builder_begin_array (b);
      for (guint i = 0; i < groups->len; i++)
        {
          Group *g = &g_array_index (groups, Group, i);
          gboolean hidden = area_hidden (u, g->id);
          gboolean unknown = area_unknown (u, g->id) || hidden;

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, g->id);
          json_builder_set_member_name (b, "label");
          json_builder_add_string_value (b, g->label);
          /* Not visible to this user: what a queue there holds is hidden
           * from them; "partly" when something else there could be read. */
          json_builder_set_member_name (b, "visibility");
          json_builder_add_string_value (b, !hidden ? "visible"
                                            : g->cases->len > 0 ? "partly-visible"
                                            : "not-visible");
          /* Unknown is null, never a 0 a script would believe. */
          json_builder_set_member_name (b, "complete");
          json_builder_add_boolean_value (b, !unknown);
          json_builder_set_member_name (b, "count");
          if (unknown)
            json_builder_add_null_value (b);
          else
            json_builder_add_int_value (b, g->cases->len);
          total_unknown = total_unknown || unknown;
          json_builder_set_member_name (b, "cases");
          json_builder_begin_array (b);
          for (guint j = 0; j < g->cases->len; j++)
            json_builder_add_value (b, ct_case_to_json (g->cases->pdata[j]));
          json_builder_end_array (b);
          json_builder_end_object (b);
          total += g->cases->len;
        }
      json_builder_end_array (b);
      for (guint i = 0; i < groups->len; i++)
        g_ptr_array_unref (g_array_index (groups, Group, i).cases);
      g_array_set_size (groups, 0);
    }
  json_builder_set_member_name (b, "total");
  if (total_unknown)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, total);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  {
    g_autofree char *data = json_generator_to_data (gen, NULL);

    return g_strconcat (data, "\n", NULL);
  }
}

static void
append_case_row (GString        *out,
                 CtReportFormat  format,
                 const char     *area,
                 CtCase         *c)
{
  g_autofree char *amount = format_amount (c);
  g_autofree char *approvers = format_approvers (c);
  g_autofree char *sla = format_sla (c);
  g_autofree char *due = iso_time (c->sla.due);
  g_autofree char *requested = iso_time (c->requested_at);
  /* A purchase order has no title of its own: its partner and reason. */
  g_autofree char *display_title = ct_case_dup_display_title (c);

  if (format == CT_REPORT_FORMAT_CSV)
    {
      g_autofree char *used = c->sla.status != CT_SLA_STATUS_NONE
                              ? g_strdup_printf ("%.3f", c->sla.used) : g_strdup ("");

      append_csv (out, area, FALSE);
      append_csv (out, c->key, FALSE);
      append_csv (out, c->reference, FALSE);
      append_csv (out, display_title, FALSE);
      g_autofree char *plain = c->amount != 0 ? g_strdup_printf ("%.2f", c->amount) : g_strdup ("");

      append_csv (out, c->requester, FALSE);
      append_csv (out, plain, FALSE);
      append_csv (out, c->currency, FALSE);
      append_csv (out, ct_case_status_to_string (c->status), FALSE);
      append_csv (out, ct_sla_status_to_string (c->sla.status), FALSE);
      append_csv (out, used, FALSE);
      append_csv (out, due, FALSE);
      append_csv (out, requested, FALSE);
      append_csv (out, approvers, TRUE);
      return;
    }
  g_string_append (out, "  ");
  append_cell (out, c->reference ? c->reference : c->key, 14);
  append_cell (out, display_title, 24);
  append_cell (out, c->requester, 18);
  append_cell (out, amount, 14);
  append_cell (out, sla, 22);
  append_cell (out, due, 20);
  g_autofree char *clean = clean_text (approvers);
  g_string_append (out, clean);
  g_string_append_c (out, '\n');
}

/* One incident: a CSV row, or a table row (kind, what, how many times,
 * first and last) with what the server recorded on the lines below, in
 * full: a message cut at a column's width would hide why it failed. */
static void
append_incident (GString        *out,
                 CtReportFormat  format,
                 CtCase         *c)
{
  g_autofree char *first = iso_time (c->requested_at);
  g_autofree char *last = iso_time (c->last_failed_at);
  g_autofree char *count = g_strdup_printf ("%u", MAX (c->n_failures, 1));
  g_autofree char *attempts = g_strdup_printf ("%u", MAX (c->n_attempts, 1));
  const char *label = ct_incident_kind_get_label (c->incident_kind);
  const char *what = c->title ? c->title : c->key;
  GString *keys = g_string_new (NULL);
  g_autofree char *linked = NULL;

  for (guint k = 0; c->linked_keys != NULL && k < c->linked_keys->len; k++)
    g_string_append_printf (keys, "%s%s", k ? " " : "", (const char *)c->linked_keys->pdata[k]);
  linked = g_string_free (keys, FALSE);
  if (format == CT_REPORT_FORMAT_CSV)
    {
      append_csv (out, ct_incident_kind_to_string (c->incident_kind), FALSE);
      append_csv (out, c->key, FALSE);
      append_csv (out, c->title, FALSE);
      append_csv (out, c->detail, FALSE);
      append_csv (out, linked, FALSE);
      append_csv (out, first, FALSE);
      append_csv (out, c->failed_node, FALSE);
      append_csv (out, count, FALSE);
      append_csv (out, attempts, FALSE);
      append_csv (out, c->attempt_status, FALSE);
      append_csv (out, c->last_failed_at ? first : NULL, FALSE);
      append_csv (out, last, TRUE);
      return;
    }
  /* The title repeats the kind ("Workflow run failed — Credit check"). */
  if (g_str_has_prefix (what, label) && g_str_has_prefix (what + strlen (label), " — "))
    what += strlen (label) + strlen (" — ");
  append_cell (out, label, 26);
  append_cell (out, what, 40);
  append_cell (out, count, 5);
  append_cell (out, first, 20);
  g_string_append_printf (out, "%s\n", last ? last : "");
  if (c->detail != NULL || c->failed_node != NULL)
    {
      g_autofree char *detail = clean_text (c->detail);
      g_autofree char *node = clean_text (c->failed_node);

      g_string_append (out, "    ");
      if (c->failed_node != NULL && c->detail != NULL)
        /* Translators: the n8n node that failed, then n8n's error message */
        g_string_append_printf (out, _("Failed in “%s”: %s"), node, detail);
      else if (c->failed_node != NULL)
        g_string_append_printf (out, _("Failed in “%s”"), node);
      else
        g_string_append (out, detail);
      g_string_append_c (out, '\n');
    }
  if (c->n_attempts > 1)
    {
      g_autofree char *status = clean_text (c->attempt_status);

      g_string_append (out, "    ");
      /* Translators: how often one run was tried, then n8n's status of the
       * latest try (error, running, …) */
      g_string_append_printf (out, ngettext ("Tried %u time, the latest: %s\n",
                                             "Tried %u times, the latest: %s\n", c->n_attempts),
                              c->n_attempts, status);
    }
  if (*linked != '\0')
    g_string_append_printf (out, "    %s %s\n", _("Holds up:"), linked);
}

static char *
render_cases_text (CtReportKind    kind,
                   CtReportFormat  format,
                   CtProfile      *profile,
                   GPtrArray      *cases,
                   Unknowns       *u,
                   gint64          now)
{
  GString *out = g_string_new (NULL);
  GArray *groups;

  append_partial_notice (out, format, u);

  if (format == CT_REPORT_FORMAT_CSV)
    g_string_append (out, kind == CT_REPORT_INCIDENTS
                          ? "kind,key,label,detail,linked_cases,started,failed_node,failures,"
                            "attempts,latest_attempt,first_failed,last_failed\r\n"
                          : "area,key,reference,title,requester,amount,currency,status,sla,"
                            "used,due,requested,approvers\r\n");
  if (kind == CT_REPORT_INCIDENTS)
    {
      guint total = 0;

      if (format == CT_REPORT_FORMAT_TABLE)
        {
          append_cell (out, _("KIND"), 26);
          append_cell (out, _("WHAT"), 40);
          append_cell (out, _("COUNT"), 5);
          append_cell (out, _("FIRST (UTC)"), 20);
          g_string_append_printf (out, "%s\n", _("LAST (UTC)"));
        }
      g_autoptr(GPtrArray) incidents = select_incidents (cases);

      for (guint i = 0; i < incidents->len; i++)
        append_incident (out, format, incidents->pdata[i]);
      total = incidents->len;
      if (format == CT_REPORT_FORMAT_TABLE && u->incidents)
        g_string_append_printf (out, ngettext ("%u incident read; how many there are is unknown\n",
                                               "%u incidents read; how many there are is unknown\n",
                                               total), total);
      else if (format == CT_REPORT_FORMAT_TABLE)
        g_string_append_printf (out, ngettext ("%u incident\n", "%u incidents\n", total), total);
      return g_string_free (out, FALSE);
    }

  groups = group_by_area (kind, profile, cases, u);
  for (guint i = 0; i < groups->len; i++)
    {
      Group *g = &g_array_index (groups, Group, i);

      if (format == CT_REPORT_FORMAT_TABLE)
        {
          if (area_hidden (u, g->id) && !area_unknown (u, g->id) && g->cases->len == 0)
            g_string_append_printf (out, _("%s (not visible to you)\n"), g->label);
          else if (area_hidden (u, g->id) && !area_unknown (u, g->id))
            g_string_append_printf (out, _("%s (%u read, partly not visible to you)\n"), g->label,
                                    g->cases->len);
          else if (!area_unknown (u, g->id))
            g_string_append_printf (out, "%s (%u)\n", g->label, g->cases->len);
          else if (g->cases->len == 0)
            g_string_append_printf (out, _("%s (unknown)\n"), g->label);
          else
            g_string_append_printf (out, _("%s (unknown, %u read)\n"), g->label, g->cases->len);
          if (g->cases->len == 0)
            continue;
          g_string_append (out, "  ");
          append_cell (out, _("REFERENCE"), 14);
          append_cell (out, _("TITLE"), 24);
          append_cell (out, _("REQUESTER"), 18);
          append_cell (out, _("AMOUNT"), 14);
          append_cell (out, _("SLA"), 22);
          append_cell (out, _("DUE (UTC)"), 20);
          g_string_append_printf (out, "%s\n", _("WAITING FOR"));
        }
      for (guint j = 0; j < g->cases->len; j++)
        append_case_row (out, format, g->id, g->cases->pdata[j]);
    }
  groups_free (groups);
  return g_string_free (out, FALSE);
}

/* ---- metrics ---- */

static char *
hours (double value)
{
  return isnan (value) ? g_strdup ("—") : g_strdup_printf ("%.1f h", value);
}

/* Makes a metrics group's counts null: they are unknown. */
static void
mark_group_unknown (JsonObject *group)
{
  static const char *const counts[] = {
    "pending", "upcoming", "awaiting_revision", "on_track", "at_risk", "breached", "escalated",
    "decided_30d", "decided_90d", "cycle_hours_p50_30d", "cycle_hours_p90_30d",
    "cycle_hours_p50_90d", "cycle_hours_p90_90d", "breach_rate_30d",
  };
  JsonObject *ageing = json_object_get_object_member (group, "ageing_hours");
  g_autoptr(GList) buckets = ageing ? json_object_get_members (ageing) : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    if (json_object_has_member (group, counts[i]))
      json_object_set_null_member (group, counts[i]);
  for (GList *l = buckets; l != NULL; l = l->next)
    json_object_set_null_member (ageing, l->data);
  json_object_set_boolean_member (group, "complete", FALSE);
}

static void
mark_metrics_unknown (JsonObject *root,
                      Unknowns   *u)
{
  static const char *const lists[] = { "areas", "queues" };

  json_object_set_boolean_member (root, "complete", u->gaps == NULL);
  {
    JsonArray *failed = json_array_new ();

    for (guint i = 0; u->gaps != NULL && i < u->gaps->names->len; i++)
      json_array_add_string_element (failed, u->gaps->names->pdata[i]);
    json_object_set_array_member (root, "failed_sources", failed);
  }
  {
    JsonArray *hidden = json_array_new ();
    JsonArray *areas = json_object_get_array_member (root, "areas");

    for (guint i = 0; i < u->texts->len; i++)
      json_array_add_string_element (hidden, u->texts->pdata[i]);
    json_object_set_array_member (root, "not_visible", hidden);
    /* What this user may not see is not counted as none. */
    for (guint i = 0; areas != NULL && i < json_array_get_length (areas); i++)
      {
        JsonObject *g = json_array_get_object_element (areas, i);

        if (area_hidden (u, json_object_get_string_member (g, "id")))
          mark_group_unknown (g);
      }
    if (g_hash_table_size (u->hidden) > 0)
      mark_group_unknown (json_object_get_object_member (root, "total"));
  }
  if (u->gaps == NULL)
    return;
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      JsonArray *groups = json_object_get_array_member (root, lists[l]);
      GHashTable *set = l == 0 ? u->areas : u->queues;

      for (guint i = 0; groups != NULL && i < json_array_get_length (groups); i++)
        {
          JsonObject *g = json_array_get_object_element (groups, i);

          if (g_hash_table_contains (set, json_object_get_string_member (g, "id")))
            mark_group_unknown (g);
        }
    }
  if (g_hash_table_size (u->areas) > 0)
    {
      mark_group_unknown (json_object_get_object_member (root, "total"));
      /* An approver's backlog may be in the failed source too. */
      json_object_set_null_member (root, "approvers");
    }
  if (u->incidents)
    json_object_set_null_member (root, "incidents");
}

static char *
render_metrics (CtReportFormat  format,
                CtProfile      *profile,
                GPtrArray      *cases,
                Unknowns       *u,
                gint64          now)
{
  g_autoptr(CtMetrics) metrics = ct_metrics_compute (profile, cases, NULL, now);
  GString *out;

  if (format == CT_REPORT_FORMAT_JSON)
    {
      g_autoptr(JsonNode) root = ct_metrics_to_json (metrics);
      g_autoptr(JsonGenerator) gen = json_generator_new ();

      mark_metrics_unknown (json_node_get_object (root), u);
      json_generator_set_root (gen, root);
      json_generator_set_pretty (gen, TRUE);
      {
    g_autofree char *data = json_generator_to_data (gen, NULL);

    return g_strconcat (data, "\n", NULL);
  }
    }
  out = g_string_new (NULL);
  append_partial_notice (out, format, u);
  if (format == CT_REPORT_FORMAT_CSV)
    g_string_append (out, "group,id,label,pending,upcoming,on_track,at_risk,breached,escalated,"
                          "cycle_p50_30d_hours,cycle_p90_30d_hours,breach_rate_30d\r\n");
  else
    g_string_append_printf (out, "%-24s  %8s  %8s  %8s  %8s  %9s  %9s  %9s\n", _("AREA"),
                            _("PENDING"), _("UPCOMING"), _("AT RISK"), _("BREACHED"),
                            _("ESCALATED"), _("P50 30D"), _("P90 30D"));
  for (guint i = 0; i <= metrics->areas->len; i++)
    {
      const CtMetricsGroup *g = i < metrics->areas->len ? metrics->areas->pdata[i]
                                                        : metrics->total;
      g_autofree char *p50 = hours (g->cycle_p50_30d);
      g_autofree char *p90 = hours (g->cycle_p90_30d);
      gboolean hidden = i < metrics->areas->len ? area_hidden (u, g->id)
                                                : g_hash_table_size (u->hidden) > 0;
      gboolean unknown = i < metrics->areas->len ? area_unknown (u, g->id)
                                                 : g_hash_table_size (u->areas) > 0;

      if ((unknown || hidden) && format == CT_REPORT_FORMAT_CSV)
        {
          const char *word = unknown ? "unknown" : "not-visible";

          append_csv (out, i < metrics->areas->len ? "area" : "total", FALSE);
          append_csv (out, g->id, FALSE);
          append_csv (out, g->label, FALSE);
          for (guint w = 0; w < 9; w++)
            g_string_append_printf (out, "%s%s", word, w < 8 ? "," : "\r\n");
        }
      else if (unknown || hidden)
        {
          /* Translators: in a metrics column for an area the user may not read */
          const char *word = unknown ? _("unknown") : _("hidden");

          append_cell (out, g->label, 24);
          g_string_append_printf (out, "%8s  %8s  %8s  %8s  %9s  %9s  %9s\n", word, word, word,
                                  word, word, word, word);
        }
      else if (format == CT_REPORT_FORMAT_CSV)
        {
          g_autofree char *numbers =
            g_strdup_printf ("%u,%u,%u,%u,%u,%u", g->pending, g->upcoming, g->on_track,
                             g->at_risk, g->breached, g->escalated);
          g_autofree char *rate = isnan (g->breach_rate_30d)
                                  ? g_strdup ("") : g_strdup_printf ("%.3f", g->breach_rate_30d);
          g_autofree char *p50n = isnan (g->cycle_p50_30d)
                                  ? g_strdup ("") : g_strdup_printf ("%.2f", g->cycle_p50_30d);
          g_autofree char *p90n = isnan (g->cycle_p90_30d)
                                  ? g_strdup ("") : g_strdup_printf ("%.2f", g->cycle_p90_30d);

          append_csv (out, i < metrics->areas->len ? "area" : "total", FALSE);
          append_csv (out, g->id, FALSE);
          append_csv (out, g->label, FALSE);
          g_string_append_printf (out, "%s,", numbers);
          append_csv (out, p50n, FALSE);
          append_csv (out, p90n, FALSE);
          append_csv (out, rate, TRUE);
        }
      else
        {
          append_cell (out, g->label, 24);
          g_string_append_printf (out, "%8u  %8u  %8u  %8u  %9u  %9s  %9s\n", g->pending,
                                  g->upcoming, g->at_risk, g->breached, g->escalated, p50, p90);
        }
    }
  if (format == CT_REPORT_FORMAT_TABLE && u->incidents)
    g_string_append_printf (out, ngettext ("%u incident read; how many there are is unknown\n",
                                           "%u incidents read; how many there are is unknown\n",
                                           metrics->incidents), metrics->incidents);
  else if (format == CT_REPORT_FORMAT_TABLE)
    g_string_append_printf (out, ngettext ("%u incident\n", "%u incidents\n", metrics->incidents),
                            metrics->incidents);
  return g_string_free (out, FALSE);
}

char *
ct_report_render_partial (CtReportKind    kind,
                          CtReportFormat  format,
                          CtProfile      *profile,
                          GPtrArray      *cases,
                          CtReportGaps   *gaps,
                          gint64          now)
{
  g_auto(Unknowns) u = { 0 };

  unknowns_init (&u, kind, profile, gaps);
  if (kind == CT_REPORT_METRICS)
    return render_metrics (format, profile, cases, &u, now);
  if (format == CT_REPORT_FORMAT_JSON)
    return render_cases_json (kind, profile, cases, &u, now);
  return render_cases_text (kind, format, profile, cases, &u, now);
}

char *
ct_report_render (CtReportKind    kind,
                  CtReportFormat  format,
                  CtProfile      *profile,
                  GPtrArray      *cases,
                  gint64          now)
{
  return ct_report_render_partial (kind, format, profile, cases, NULL, now);
}

char *
ct_report_add_unreadable (char           *text,
                          CtReportFormat  format,
                          CtSync         *sync)
{
  g_autofree char *owned = text;
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(JsonArray) entries = json_array_new ();

  for (guint i = 0; i < ct_sync_get_n_sources (sync); i++)
    {
      CtSource *source = ct_sync_get_source (sync, i);
      g_autofree char *said = ct_source_describe_unreadable (source);
      JsonObject *entry;

      if (said == NULL)
        continue;
      g_string_append_printf (lines, "%s%s: %s\n", format == CT_REPORT_FORMAT_CSV ? "# " : "",
                              ct_source_get_name (source), said);
      entry = json_object_new ();
      json_object_set_string_member (entry, "source", ct_source_get_name (source));
      json_object_set_int_member (entry, "count", ct_source_get_n_unreadable (source));
      json_object_set_string_member (entry, "text", said);
      json_array_add_object_element (entries, entry);
    }
  if (lines->len == 0)
    return g_steal_pointer (&owned);
  if (format == CT_REPORT_FORMAT_JSON)
    {
      /* Our own output: parse it back and add the member. */
      g_autoptr(JsonNode) root = ct_json_parse (owned, -1, NULL);
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autofree char *data = NULL;

      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        return g_steal_pointer (&owned);
      json_object_set_array_member (json_node_get_object (root), "unreadable",
                                    json_array_ref (entries));
      json_generator_set_root (gen, root);
      json_generator_set_pretty (gen, TRUE);
      data = json_generator_to_data (gen, NULL);
      return g_strconcat (data, "\n", NULL);
    }
  if (format == CT_REPORT_FORMAT_TABLE)
    g_string_append_c (lines, '\n');
  g_string_append (lines, owned);
  return g_string_free (g_steal_pointer (&lines), FALSE);
}

char *
ct_report_format_stats (CtSync *sync)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%-28s  %8s  %12s  %10s  %s\n", _("SOURCE"), _("REQUESTS"),
                          _("BYTES"), _("TIME"), _("STATE"));
  for (guint i = 0; i < ct_sync_get_n_sources (sync); i++)
    {
      const CtSourceHealth *h = ct_sync_get_health (sync, i);
      guint unreadable = ct_source_get_n_unreadable (ct_sync_get_source (sync, i));
      g_autofree char *partly = NULL;
      const char *state;

      if (h->last_error != NULL)
        state = _("failed");
      else if (h->probed && !h->available)
        state = _("not installed");
      else if (unreadable > 0)
        state = partly = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "ok, %u record not read",
                                                       "ok, %u records not read", unreadable),
                                          unreadable);
      else
        state = _("ok");
      g_string_append_printf (out, "%-28s  %8u  %12" G_GUINT64_FORMAT "  %7.1f ms  %s\n", h->name,
                              h->total_requests, h->total_bytes, h->total_elapsed_us / 1000.0,
                              state);
    }
  return g_string_free (out, FALSE);
}

char *
ct_report_format_not_visible (CtSync *sync)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < ct_sync_get_n_sources (sync); i++)
    {
      const CtSourceHealth *h = ct_sync_get_health (sync, i);
      CtSource *source = ct_sync_get_source (sync, i);

      if (h->probed && !h->available && ct_source_is_not_visible (source))
        g_string_append_printf (out, "%s\n", ct_source_get_unavailable_reason (source));
    }
  return g_string_free (out, FALSE);
}
