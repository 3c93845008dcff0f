/* ct-profile.c - The governance profile: areas, calendars, SLAs, queues, rules
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-profile"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ct-core-resources.h"
#include "ct-json.h"
#include "ct-profile.h"

#define DEFAULT_PROFILE_PATH "/com/sysgenpro/ControlTower/core/profiles/default.json"

struct _CtProfile
{
  GObject               parent_instance;

  char                 *name;            /* (owned) */
  char                 *currency;        /* (owned) */
  double                confirm_amount;
  GPtrArray            *calendars;       /* (owned) (element-type CtCalendar) */
  GPtrArray            *escalations;     /* (owned) (element-type CtEscalationChain) */
  GPtrArray            *areas;           /* (owned) (element-type CtArea) */
  GPtrArray            *queues;          /* (owned) (element-type CtQueue) */
  GPtrArray            *reasons;         /* (owned) (element-type CtReasonRule) */
  GPtrArray            *lines;           /* (owned) (element-type CtLineMapping) */
  CtIncidentThresholds  incidents;
  CtPriorityWeights     priority;
  CtAnomalySettings     anomaly;
};

G_DEFINE_FINAL_TYPE (CtProfile, ct_profile, G_TYPE_OBJECT)

G_DEFINE_QUARK (ct-profile-error-quark, ct_profile_error)

/* Freeing the parts. */

static void
sla_override_free (CtSlaOverride *o)
{
  g_free (o->customer_tier);
  g_free (o);
}

static void
escalation_level_free (CtEscalationLevel *l)
{
  g_strfreev (l->targets);
  g_free (l);
}

static void
escalation_chain_free (CtEscalationChain *c)
{
  g_free (c->id);
  g_ptr_array_unref (c->levels);
  g_free (c);
}

static void
area_free (CtArea *a)
{
  g_free (a->id);
  g_free (a->label);
  g_free (a->icon_name);
  g_clear_pointer (&a->calendar, ct_calendar_unref);
  g_clear_pointer (&a->sla.overrides, g_ptr_array_unref);
  g_free (a);
}

static void
queue_fields_clear (CtQueueFields *f)
{
  g_free (f->amount);
  g_free (f->currency);
  g_free (f->requester);
  g_free (f->branch);
  g_free (f->partner);
  g_free (f->company);
  g_free (f->reference);
  g_free (f->title);
  g_free (f->discount);
  g_free (f->shipment_date);
}

static void
queue_free (CtQueue *q)
{
  g_free (q->id);
  g_free (q->label);
  g_free (q->model);
  g_free (q->domain_json);
  g_free (q->area_id);
  g_free (q->area_field);
  g_clear_pointer (&q->area_map, g_hash_table_unref);
  g_free (q->default_area);
  g_strfreev (q->activity_types);
  queue_fields_clear (&q->fields);
  g_free (q);
}

static void
reason_rule_free (CtReasonRule *r)
{
  g_free (r->id);
  g_strfreev (r->areas);
  g_free (r->field);
  g_free (r->message);
  g_free (r);
}

static void
line_mapping_free (CtLineMapping *m)
{
  g_free (m->model);
  g_free (m->line_model);
  g_free (m->link);
  g_free (m->product);
  g_free (m->description);
  g_free (m->quantity);
  g_free (m->unit);
  g_free (m->price_unit);
  g_free (m->discount);
  g_free (m->subtotal);
  g_free (m->total);
  g_free (m);
}

/* Where each value sits in the text. json-glib 1.6 keeps no positions on
 * nodes, so a small scanner walks the (already valid) text once and maps each
 * value's path ("areas[2].sla.breach_after_hours") to its line and column. */

typedef struct
{
  const char *p;
  const char *end;
  guint       line;
  guint       col;
  GHashTable *locs;        /* path → packed line << 32 | column */
} Scanner;

static void
scan_advance (Scanner *s)
{
  if (*s->p == '\n')
    {
      s->line++;
      s->col = 1;
    }
  else if (((guchar) *s->p & 0xC0) != 0x80)
    s->col++;
  s->p++;
}

static void
scan_ws (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    scan_advance (s);
}

static char *
scan_string (Scanner *s)
{
  GString *out = g_string_new (NULL);

  scan_advance (s); /* opening quote */
  while (s->p < s->end && *s->p != '"')
    {
      if (*s->p == '\\' && s->p + 1 < s->end)
        {
          scan_advance (s);
          /* Escapes in keys are rare in a profile; keep the escaped char. */
        }
      g_string_append_c (out, *s->p);
      scan_advance (s);
    }
  if (s->p < s->end)
    scan_advance (s);
  return g_string_free (out, FALSE);
}

static void scan_value (Scanner *s, const char *path, guint depth);

static void
scan_value (Scanner    *s,
            const char *path,
            guint       depth)
{
  scan_ws (s);
  if (s->p >= s->end || depth > 64)
    return;

  g_hash_table_insert (s->locs, g_strdup (path),
                       GSIZE_TO_POINTER (((guint64) s->line << 32) | s->col));

  if (*s->p == '{')
    {
      scan_advance (s);
      for (;;)
        {
          g_autofree char *key = NULL;
          g_autofree char *sub = NULL;

          scan_ws (s);
          if (s->p >= s->end || *s->p == '}')
            break;
          if (*s->p != '"')
            return;
          key = scan_string (s);
          scan_ws (s);
          if (s->p < s->end && *s->p == ':')
            scan_advance (s);
          sub = *path ? g_strconcat (path, ".", key, NULL) : g_strdup (key);
          scan_value (s, sub, depth + 1);
          scan_ws (s);
          if (s->p < s->end && *s->p == ',')
            scan_advance (s);
        }
      if (s->p < s->end)
        scan_advance (s);
    }
  else if (*s->p == '[')
    {
      guint i = 0;

      scan_advance (s);
      for (;;)
        {
          g_autofree char *sub = NULL;
          const char *before = s->p;

          scan_ws (s);
          if (s->p >= s->end || *s->p == ']')
            break;
          sub = g_strdup_printf ("%s[%u]", path, i++);
          scan_value (s, sub, depth + 1);
          /* A token this scanner does not know ('x', /x/): stop here
           * rather than loop on it; only locations are lost. */
          if (s->p == before)
            return;
          scan_ws (s);
          if (s->p < s->end && *s->p == ',')
            scan_advance (s);
        }
      if (s->p < s->end)
        scan_advance (s);
    }
  else if (*s->p == '"')
    {
      g_free (scan_string (s));
    }
  else
    {
      while (s->p < s->end && !strchr (",]} \t\r\n", *s->p))
        scan_advance (s);
    }
}

/* Checking the tree. */

typedef struct
{
  const char *name;
  GHashTable *locs;
  GError     *error;
} Ctx;

static gboolean ctx_fail (Ctx *ctx, const char *path, const char *format, ...) G_GNUC_PRINTF (3, 4);

/* Records the first error only: later ones are usually consequences. */
static gboolean
ctx_fail (Ctx        *ctx,
          const char *path,
          const char *format,
          ...)
{
  va_list args;
  g_autofree char *msg = NULL;
  guint64 packed = 0;
  g_autofree char *p = g_strdup (path);

  if (ctx->error != NULL)
    return FALSE;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);

  /* A missing member has no position: point at the closest enclosing value. */
  while (p != NULL && *p)
    {
      gpointer v;
      char *dot, *br;

      if (g_hash_table_lookup_extended (ctx->locs, p, NULL, &v))
        {
          packed = GPOINTER_TO_SIZE (v);
          break;
        }
      dot = strrchr (p, '.');
      br = strrchr (p, '[');
      if (dot == NULL && br == NULL)
        *p = '\0';
      else
        *(dot > br ? dot : br) = '\0';
    }
  if (packed == 0)
    packed = GPOINTER_TO_SIZE (g_hash_table_lookup (ctx->locs, ""));

  g_set_error (&ctx->error, CT_PROFILE_ERROR, CT_PROFILE_ERROR_INVALID, "%s:%u:%u: %s",
               ctx->name, (guint) (packed >> 32), (guint) (packed & 0xFFFFFFFF), msg);
  return FALSE;
}

static char *
path_join (const char *path,
           const char *member)
{
  return *path ? g_strconcat (path, ".", member, NULL) : g_strdup (member);
}

static gboolean
check_keys (Ctx         *ctx,
            JsonObject  *obj,
            const char  *path,
            const char **allowed)
{
  g_autoptr(GList) members = json_object_get_members (obj);

  for (GList *l = members; l; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *sub = path_join (path, l->data);
        return ctx_fail (ctx, sub, _("unknown key “%s”"), (const char *) l->data);
      }
  return TRUE;
}

static JsonObject *
need_object (Ctx        *ctx,
             JsonNode   *node,
             const char *path,
             const char *what)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      ctx_fail (ctx, path, _("%s must be an object"), what);
      return NULL;
    }
  return json_node_get_object (node);
}

static JsonArray *
get_array (Ctx        *ctx,
           JsonObject *obj,
           const char *path,
           const char *member,
           gboolean    required)
{
  JsonNode *node = json_object_get_member (obj, member);
  g_autofree char *sub = path_join (path, member);

  if (node == NULL)
    {
      if (required)
        ctx_fail (ctx, path, _("missing “%s”"), member);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      ctx_fail (ctx, sub, _("“%s” must be a list"), member);
      return NULL;
    }
  return json_node_get_array (node);
}

static gboolean
get_string (Ctx         *ctx,
            JsonObject  *obj,
            const char  *path,
            const char  *member,
            gboolean     required,
            char       **out)
{
  JsonNode *node = json_object_get_member (obj, member);
  g_autofree char *sub = path_join (path, member);
  const char *s;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return ctx_fail (ctx, path, _("missing “%s”"), member);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return ctx_fail (ctx, sub, _("“%s” must be a string"), member);
  s = json_node_get_string (node);
  if (required && *s == '\0')
    return ctx_fail (ctx, sub, _("“%s” must not be empty"), member);
  g_free (*out);
  *out = g_strdup (s);
  return TRUE;
}

static gboolean
get_number (Ctx        *ctx,
            JsonObject *obj,
            const char *path,
            const char *member,
            gboolean    required,
            double      min,
            double      max,
            double     *out)
{
  JsonNode *node = json_object_get_member (obj, member);
  g_autofree char *sub = path_join (path, member);
  GType t;
  double v;

  if (node == NULL)
    {
      if (required)
        return ctx_fail (ctx, path, _("missing “%s”"), member);
      return TRUE;
    }
  t = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (t != G_TYPE_INT64 && t != G_TYPE_DOUBLE)
    return ctx_fail (ctx, sub, _("“%s” must be a number"), member);
  v = json_node_get_double (node);
  if (!isfinite (v) || v < min || v > max)
    return ctx_fail (ctx, sub, _("“%s” must be between %g and %g, not %g"), member, min, max, v);
  *out = v;
  return TRUE;
}

static gboolean
get_strv (Ctx        *ctx,
          JsonObject *obj,
          const char *path,
          const char *member,
          gboolean    required,
          GStrv      *out)
{
  JsonArray *arr = get_array (ctx, obj, path, member, required);
  g_autoptr(GStrvBuilder) b = NULL;
  g_autofree char *sub = path_join (path, member);

  if (arr == NULL)
    return ctx->error == NULL;
  b = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      JsonNode *n = json_array_get_element (arr, i);

      if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
        {
          g_autofree char *el = g_strdup_printf ("%s[%u]", sub, i);
          return ctx_fail (ctx, el, _("“%s” must list strings"), member);
        }
      g_strv_builder_add (b, json_node_get_string (n));
    }
  g_strfreev (*out);
  *out = g_strv_builder_end (b);
  return TRUE;
}

static gboolean
valid_id (const char *id)
{
  if (id == NULL || *id == '\0')
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
parse_clock (const char *s,
             guint      *minute)
{
  guint h, m;
  char tail;

  if (s == NULL || sscanf (s, "%2u:%2u%c", &h, &m, &tail) != 2)
    return FALSE;
  if (strlen (s) != 5 || m > 59 || h > 24 || (h == 24 && m != 0))
    return FALSE;
  *minute = h * 60 + m;
  return TRUE;
}

static const char *weekday_keys[] = { NULL, "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static gboolean
parse_calendar (Ctx         *ctx,
                JsonNode    *node,
                const char  *path,
                CtCalendar **out)
{
  static const char *keys[] = { "id", "timezone", "hours", "holidays", NULL };
  static const char *day_keys[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL };
  JsonObject *obj = need_object (ctx, node, path, _("a calendar"));
  g_autofree char *id = NULL;
  g_autofree char *tzid = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(CtCalendar) cal = NULL;
  g_autofree char *hours_path = NULL;
  JsonNode *hours_node;
  JsonObject *hours;
  g_auto(GStrv) holidays = NULL;

  if (obj == NULL || !check_keys (ctx, obj, path, keys))
    return FALSE;
  if (!get_string (ctx, obj, path, "id", TRUE, &id) ||
      !get_string (ctx, obj, path, "timezone", TRUE, &tzid))
    return FALSE;
  if (!valid_id (id))
    {
      g_autofree char *sub = path_join (path, "id");
      return ctx_fail (ctx, sub, _("“%s” is not a valid id (letters, digits, - _ .)"), id);
    }

  /* g_time_zone_new_identifier () is 2.68+, and returns NULL for unknown
   * names instead of silently falling back to UTC. */
  tz = g_time_zone_new_identifier (tzid);
  if (tz == NULL)
    {
      g_autofree char *sub = path_join (path, "timezone");
      return ctx_fail (ctx, sub,
                       _("unknown time zone “%s” (use an IANA name like Europe/Brussels)"), tzid);
    }
  cal = ct_calendar_new (id, tz);

  hours_path = path_join (path, "hours");
  hours_node = json_object_get_member (obj, "hours");
  if (hours_node == NULL)
    return ctx_fail (ctx, path, _("missing “%s”"), "hours");
  hours = need_object (ctx, hours_node, hours_path, "“hours”");
  if (hours == NULL || !check_keys (ctx, hours, hours_path, day_keys))
    return FALSE;

  for (guint d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++)
    {
      g_auto(GStrv) spans = NULL;

      if (!get_strv (ctx, hours, hours_path, weekday_keys[d], FALSE, &spans))
        return FALSE;
      for (guint i = 0; spans && spans[i]; i++)
        {
          g_autofree char *sp = g_strdup_printf ("%s.%s[%u]", hours_path, weekday_keys[d], i);
          g_auto(GStrv) parts = g_strsplit (spans[i], "-", 3);
          guint s = 0, e = 0;

          if (g_strv_length (parts) != 2 || !parse_clock (g_strstrip (parts[0]), &s) ||
              !parse_clock (g_strstrip (parts[1]), &e))
            return ctx_fail (ctx, sp, _("“%s” is not a span like 08:00-12:00"), spans[i]);
          if (s >= e)
            return ctx_fail (ctx, sp, _("“%s” ends before it starts"), spans[i]);
          if (!ct_calendar_add_hours (cal, d, s, e))
            return ctx_fail (ctx, sp, _("“%s” overlaps another span or the day has more than %d"),
                             spans[i], CT_CALENDAR_MAX_SPANS_PER_DAY);
        }
    }
  if (ct_calendar_get_weekly_seconds (cal) == 0)
    return ctx_fail (ctx, hours_path, _("the calendar is never open"));

  if (!get_strv (ctx, obj, path, "holidays", FALSE, &holidays))
    return FALSE;
  for (guint i = 0; holidays && holidays[i]; i++)
    {
      g_autofree char *hp = g_strdup_printf ("%s.holidays[%u]", path, i);
      guint y = 0, m = 0, dd = 0;
      char tail;

      if (strlen (holidays[i]) == 10 &&
          sscanf (holidays[i], "%4u-%2u-%2u%c", &y, &m, &dd, &tail) == 3 &&
          g_date_valid_dmy (dd, m, y))
        ct_calendar_add_holiday (cal, y, m, dd);
      else if (strlen (holidays[i]) == 5 &&
               sscanf (holidays[i], "%2u-%2u%c", &m, &dd, &tail) == 2 &&
               g_date_valid_dmy (dd, m, 2000))
        ct_calendar_add_annual_holiday (cal, m, dd);
      else
        return ctx_fail (ctx, hp, _("“%s” is not a date (YYYY-MM-DD, or MM-DD for every year)"),
                         holidays[i]);
    }

  *out = g_steal_pointer (&cal);
  return TRUE;
}

static gboolean
parse_escalation (Ctx                *ctx,
                  JsonNode           *node,
                  const char         *path,
                  CtEscalationChain **out)
{
  static const char *keys[] = { "id", "levels", NULL };
  static const char *level_keys[] = { "level", "after_hours", "targets", NULL };
  JsonObject *obj = need_object (ctx, node, path, _("an escalation chain"));
  JsonArray *levels;
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) arr =
    g_ptr_array_new_with_free_func ((GDestroyNotify) escalation_level_free);
  CtEscalationChain *chain;

  if (obj == NULL || !check_keys (ctx, obj, path, keys))
    return FALSE;
  if (!get_string (ctx, obj, path, "id", TRUE, &id))
    return FALSE;
  levels = get_array (ctx, obj, path, "levels", TRUE);
  if (levels == NULL)
    return FALSE;
  if (json_array_get_length (levels) == 0)
    {
      g_autofree char *sub = path_join (path, "levels");
      return ctx_fail (ctx, sub, _("an escalation chain needs at least one level"));
    }
  for (guint i = 0; i < json_array_get_length (levels); i++)
    {
      g_autofree char *lp = g_strdup_printf ("%s.levels[%u]", path, i);
      JsonObject *lo = need_object (ctx, json_array_get_element (levels, i), lp, _("a level"));
      double level = 0, after = 0;
      g_auto(GStrv) targets = NULL;
      CtEscalationLevel *l;

      if (lo == NULL || !check_keys (ctx, lo, lp, level_keys) ||
          !get_number (ctx, lo, lp, "level", TRUE, 1, 20, &level) ||
          !get_number (ctx, lo, lp, "after_hours", TRUE, 0, 100000, &after) ||
          !get_strv (ctx, lo, lp, "targets", TRUE, &targets))
        return FALSE;
      if (level != (guint) level || level != i + 1)
        {
          g_autofree char *sub = path_join (lp, "level");
          return ctx_fail (ctx, sub, _("levels must count 1, 2, 3… in order; expected %u"), i + 1);
        }
      if (i > 0 && after * 3600 <= ((CtEscalationLevel *) arr->pdata[i - 1])->after_seconds)
        {
          g_autofree char *sub = path_join (lp, "after_hours");
          return ctx_fail (ctx, sub, _("each level must come later than the one before"));
        }
      if (targets[0] == NULL)
        {
          g_autofree char *sub = path_join (lp, "targets");
          return ctx_fail (ctx, sub, _("a level needs at least one target"));
        }
      for (guint t = 0; targets[t]; t++)
        if (!g_str_has_prefix (targets[t], "user:") && !g_str_has_prefix (targets[t], "group:"))
          {
            g_autofree char *sub = g_strdup_printf ("%s.targets[%u]", lp, t);
            return ctx_fail (ctx, sub, _("target “%s” must start with user: or group:"),
                             targets[t]);
          }
      l = g_new0 (CtEscalationLevel, 1);
      l->level = (guint) level;
      l->after_seconds = (gint64) (after * 3600);
      l->targets = g_steal_pointer (&targets);
      g_ptr_array_add (arr, l);
    }

  chain = g_new0 (CtEscalationChain, 1);
  chain->id = g_steal_pointer (&id);
  chain->levels = g_steal_pointer (&arr);
  *out = chain;
  return TRUE;
}

static gboolean
parse_sla (Ctx        *ctx,
           JsonNode   *node,
           const char *path,
           CtSlaRule  *sla)
{
  static const char *keys[] = { "breach_after_hours", "warning_percent", "overrides", NULL };
  static const char *ov_keys[] = { "when", "breach_after_hours", NULL };
  static const char *when_keys[] = { "customer_tier", "urgent", NULL };
  JsonObject *obj = need_object (ctx, node, path, "“sla”");
  double hours = 0, warn = 75;
  JsonArray *ovs;

  if (obj == NULL || !check_keys (ctx, obj, path, keys) ||
      !get_number (ctx, obj, path, "breach_after_hours", TRUE, 0.01, 100000, &hours) ||
      !get_number (ctx, obj, path, "warning_percent", FALSE, 1, 100, &warn))
    return FALSE;
  sla->window_seconds = (gint64) (hours * 3600);
  sla->warning_ratio = warn / 100.0;
  sla->overrides = g_ptr_array_new_with_free_func ((GDestroyNotify) sla_override_free);

  ovs = get_array (ctx, obj, path, "overrides", FALSE);
  if (ovs == NULL)
    return ctx->error == NULL;
  for (guint i = 0; i < json_array_get_length (ovs); i++)
    {
      g_autofree char *op = g_strdup_printf ("%s.overrides[%u]", path, i);
      g_autofree char *wp = path_join (op, "when");
      JsonObject *oo = need_object (ctx, json_array_get_element (ovs, i), op, _("an override"));
      JsonObject *when;
      JsonNode *urgent;
      double oh = 0;
      CtSlaOverride *o;

      if (oo == NULL || !check_keys (ctx, oo, op, ov_keys) ||
          !get_number (ctx, oo, op, "breach_after_hours", TRUE, 0.01, 100000, &oh))
        return FALSE;
      if (!json_object_has_member (oo, "when"))
        return ctx_fail (ctx, op, _("missing “%s”"), "when");
      when = need_object (ctx, json_object_get_member (oo, "when"), wp, "“when”");
      if (when == NULL || !check_keys (ctx, when, wp, when_keys))
        return FALSE;
      o = g_new0 (CtSlaOverride, 1);
      o->window_seconds = (gint64) (oh * 3600);
      g_ptr_array_add (sla->overrides, o);
      if (!get_string (ctx, when, wp, "customer_tier", FALSE, &o->customer_tier))
        return FALSE;
      urgent = json_object_get_member (when, "urgent");
      if (urgent != NULL)
        {
          g_autofree char *up = path_join (wp, "urgent");

          if (!JSON_NODE_HOLDS_VALUE (urgent) ||
              json_node_get_value_type (urgent) != G_TYPE_BOOLEAN)
            return ctx_fail (ctx, up, _("“%s” must be true or false"), "urgent");
          o->urgent = json_node_get_boolean (urgent);
        }
      if (o->customer_tier == NULL && !o->urgent)
        return ctx_fail (ctx, wp, _("“when” needs customer_tier or urgent: true"));
      if (o->window_seconds > sla->window_seconds)
        {
          g_autofree char *hp = path_join (op, "breach_after_hours");
          return ctx_fail (ctx, hp, _("an override must be shorter than the area’s window (%g h)"),
                           hours);
        }
    }
  return TRUE;
}

static gboolean
parse_area (Ctx        *ctx,
            CtProfile  *self,
            JsonNode   *node,
            const char *path,
            CtArea    **out)
{
  static const char *keys[] = { "id", "label", "icon", "calendar", "escalation", "sla", NULL };
  JsonObject *obj = need_object (ctx, node, path, _("an area"));
  g_autofree char *cal_id = NULL;
  g_autofree char *esc_id = NULL;
  g_autofree char *sla_path = NULL;
  CtArea *area;
  CtCalendar *cal;

  if (obj == NULL || !check_keys (ctx, obj, path, keys))
    return FALSE;
  area = g_new0 (CtArea, 1);
  *out = area;
  if (!get_string (ctx, obj, path, "id", TRUE, &area->id) ||
      !get_string (ctx, obj, path, "label", TRUE, &area->label) ||
      !get_string (ctx, obj, path, "icon", FALSE, &area->icon_name) ||
      !get_string (ctx, obj, path, "calendar", TRUE, &cal_id) ||
      !get_string (ctx, obj, path, "escalation", FALSE, &esc_id))
    return FALSE;
  if (!valid_id (area->id))
    {
      g_autofree char *sub = path_join (path, "id");
      return ctx_fail (ctx, sub, _("“%s” is not a valid id (letters, digits, - _ .)"), area->id);
    }
  if (area->icon_name == NULL)
    area->icon_name = g_strdup ("folder-symbolic");

  cal = ct_profile_find_calendar (self, cal_id);
  if (cal == NULL)
    {
      g_autofree char *sub = path_join (path, "calendar");
      return ctx_fail (ctx, sub, _("unknown calendar “%s”"), cal_id);
    }
  area->calendar = ct_calendar_ref (cal);

  if (esc_id != NULL)
    {
      area->escalation = (CtEscalationChain *) ct_profile_find_escalation (self, esc_id);
      if (area->escalation == NULL)
        {
          g_autofree char *sub = path_join (path, "escalation");
          return ctx_fail (ctx, sub, _("unknown escalation chain “%s”"), esc_id);
        }
    }

  sla_path = path_join (path, "sla");
  if (!json_object_has_member (obj, "sla"))
    return ctx_fail (ctx, path, _("missing “%s”"), "sla");
  return parse_sla (ctx, json_object_get_member (obj, "sla"), sla_path, &area->sla);
}

static gboolean
parse_queue (Ctx        *ctx,
             CtProfile  *self,
             JsonNode   *node,
             const char *path,
             CtQueue   **out)
{
  static const char *keys[] = { "id", "label", "source", "model", "domain", "area", "area_by",
                                "fields", "activity_types", NULL };
  static const char *field_keys[] = { "amount", "currency", "requester", "branch", "partner",
                                      "company", "reference", "title", "discount",
                                      "shipment_date", NULL };
  static const char *by_keys[] = { "field", "map", "default", NULL };
  JsonObject *obj = need_object (ctx, node, path, _("a queue"));
  g_autofree char *source = NULL;
  JsonNode *domain;
  CtQueue *q;

  if (obj == NULL || !check_keys (ctx, obj, path, keys))
    return FALSE;
  q = g_new0 (CtQueue, 1);
  *out = q;
  if (!get_string (ctx, obj, path, "id", TRUE, &q->id) ||
      !get_string (ctx, obj, path, "label", TRUE, &q->label) ||
      !get_string (ctx, obj, path, "source", TRUE, &source) ||
      !get_string (ctx, obj, path, "model", TRUE, &q->model) ||
      !get_string (ctx, obj, path, "area", FALSE, &q->area_id))
    return FALSE;
  if (!valid_id (q->id))
    {
      g_autofree char *sub = path_join (path, "id");
      return ctx_fail (ctx, sub, _("“%s” is not a valid id (letters, digits, - _ .)"), q->id);
    }
  if (!ct_source_kind_from_string (source, &q->kind) || q->kind > CT_SOURCE_KIND_ACTIVITY)
    {
      g_autofree char *sub = path_join (path, "source");
      return ctx_fail (ctx, sub, _("unknown source “%s” (tier-validation, approvals, "
                                   "purchase-double-validation or activity)"), source);
    }

  domain = json_object_get_member (obj, "domain");
  if (domain == NULL)
    q->domain_json = g_strdup ("[]");
  else
    {
      g_autofree char *dp = path_join (path, "domain");

      if (!JSON_NODE_HOLDS_ARRAY (domain))
        return ctx_fail (ctx, dp, _("“domain” must be an Odoo domain (a list)"));
      /* An Odoo domain is a list of terms [field, op, value] and the
       * operators "&", "|", "!". Catch the usual slips here rather than as a
       * server traceback later. */
      for (guint i = 0; i < json_array_get_length (json_node_get_array (domain)); i++)
        {
          JsonNode *t = json_array_get_element (json_node_get_array (domain), i);
          g_autofree char *tp = g_strdup_printf ("%s[%u]", dp, i);

          if (JSON_NODE_HOLDS_VALUE (t) && json_node_get_value_type (t) == G_TYPE_STRING)
            {
              const char *op = json_node_get_string (t);
              if (g_strcmp0 (op, "&") != 0 && g_strcmp0 (op, "|") != 0 && g_strcmp0 (op, "!") != 0)
                return ctx_fail (ctx, tp, _("“%s” is not a domain operator (&, | or !)"), op);
            }
          else if (!JSON_NODE_HOLDS_ARRAY (t) ||
                   json_array_get_length (json_node_get_array (t)) != 3 ||
                   json_node_get_value_type (json_array_get_element (json_node_get_array (t), 0))
                     != G_TYPE_STRING ||
                   json_node_get_value_type (json_array_get_element (json_node_get_array (t), 1))
                     != G_TYPE_STRING)
            return ctx_fail (ctx, tp, _("a domain term must be [\"field\", \"operator\", value]"));
        }
      q->domain_json = json_to_string (domain, FALSE);
    }

  if (json_object_has_member (obj, "area_by"))
    {
      g_autofree char *bp = path_join (path, "area_by");
      g_autofree char *mp = path_join (bp, "map");
      JsonObject *by = need_object (ctx, json_object_get_member (obj, "area_by"), bp, "“area_by”");
      JsonObject *map;
      g_autoptr(GList) members = NULL;

      if (by == NULL || !check_keys (ctx, by, bp, by_keys) ||
          !get_string (ctx, by, bp, "field", TRUE, &q->area_field) ||
          !get_string (ctx, by, bp, "default", FALSE, &q->default_area))
        return FALSE;
      if (!json_object_has_member (by, "map"))
        return ctx_fail (ctx, bp, _("missing “%s”"), "map");
      map = need_object (ctx, json_object_get_member (by, "map"), mp, "“map”");
      if (map == NULL)
        return FALSE;
      q->area_map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      members = json_object_get_members (map);
      for (GList *l = members; l; l = l->next)
        {
          char *area_id = NULL;

          if (!get_string (ctx, map, mp, l->data, TRUE, &area_id))
            return FALSE;
          g_hash_table_insert (q->area_map, g_strdup (l->data), area_id);
          if (ct_profile_find_area (self, area_id) == NULL)
            {
              g_autofree char *ap = path_join (mp, l->data);
              return ctx_fail (ctx, ap, _("unknown area “%s”"), area_id);
            }
        }
      if (q->default_area != NULL && ct_profile_find_area (self, q->default_area) == NULL)
        {
          g_autofree char *ap = path_join (bp, "default");
          return ctx_fail (ctx, ap, _("unknown area “%s”"), q->default_area);
        }
    }
  if (q->area_id == NULL && q->area_field == NULL)
    return ctx_fail (ctx, path, _("a queue needs “area” or “area_by”"));
  if (q->area_id != NULL && q->area_field != NULL)
    return ctx_fail (ctx, path, _("a queue takes “area” or “area_by”, not both"));
  if (q->area_id != NULL && ct_profile_find_area (self, q->area_id) == NULL)
    {
      g_autofree char *ap = path_join (path, "area");
      return ctx_fail (ctx, ap, _("unknown area “%s”"), q->area_id);
    }

  if (!get_strv (ctx, obj, path, "activity_types", FALSE, &q->activity_types))
    return FALSE;
  if (q->kind == CT_SOURCE_KIND_ACTIVITY && (q->activity_types == NULL || !q->activity_types[0]))
    return ctx_fail (ctx, path, _("an activity queue needs “activity_types”"));

  if (json_object_has_member (obj, "fields"))
    {
      g_autofree char *fp = path_join (path, "fields");
      JsonObject *f = need_object (ctx, json_object_get_member (obj, "fields"), fp, "“fields”");

      if (f == NULL || !check_keys (ctx, f, fp, field_keys) ||
          !get_string (ctx, f, fp, "amount", FALSE, &q->fields.amount) ||
          !get_string (ctx, f, fp, "currency", FALSE, &q->fields.currency) ||
          !get_string (ctx, f, fp, "requester", FALSE, &q->fields.requester) ||
          !get_string (ctx, f, fp, "branch", FALSE, &q->fields.branch) ||
          !get_string (ctx, f, fp, "partner", FALSE, &q->fields.partner) ||
          !get_string (ctx, f, fp, "company", FALSE, &q->fields.company) ||
          !get_string (ctx, f, fp, "reference", FALSE, &q->fields.reference) ||
          !get_string (ctx, f, fp, "title", FALSE, &q->fields.title) ||
          !get_string (ctx, f, fp, "discount", FALSE, &q->fields.discount) ||
          !get_string (ctx, f, fp, "shipment_date", FALSE, &q->fields.shipment_date))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_rule_op (const char *s,
               CtRuleOp   *op)
{
  static const char *ops[] = { ">", ">=", "<", "<=", "=", "!=" };

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    if (g_strcmp0 (s, ops[i]) == 0)
      {
        *op = (CtRuleOp) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_reason (Ctx          *ctx,
              CtProfile    *self,
              JsonNode     *node,
              const char   *path,
              CtReasonRule **out)
{
  static const char *keys[] = { "id", "areas", "field", "op", "limit", "message", NULL };
  JsonObject *obj = need_object (ctx, node, path, _("a reason rule"));
  g_autofree char *op = NULL;
  CtReasonRule *r;

  if (obj == NULL || !check_keys (ctx, obj, path, keys))
    return FALSE;
  r = g_new0 (CtReasonRule, 1);
  *out = r;
  if (!get_string (ctx, obj, path, "id", TRUE, &r->id) ||
      !get_strv (ctx, obj, path, "areas", FALSE, &r->areas) ||
      !get_string (ctx, obj, path, "field", TRUE, &r->field) ||
      !get_string (ctx, obj, path, "op", TRUE, &op) ||
      !get_number (ctx, obj, path, "limit", TRUE, -1e15, 1e15, &r->limit) ||
      !get_string (ctx, obj, path, "message", TRUE, &r->message))
    return FALSE;
  if (!parse_rule_op (op, &r->op))
    {
      g_autofree char *sub = path_join (path, "op");
      return ctx_fail (ctx, sub, _("“%s” is not an operator (>, >=, <, <=, =, !=)"), op);
    }
  for (guint i = 0; r->areas && r->areas[i]; i++)
    if (ct_profile_find_area (self, r->areas[i]) == NULL)
      {
        g_autofree char *sub = g_strdup_printf ("%s.areas[%u]", path, i);
        return ctx_fail (ctx, sub, _("unknown area “%s”"), r->areas[i]);
      }
  if (strstr (r->message, "{value}") == NULL)
    {
      g_autofree char *sub = path_join (path, "message");
      return ctx_fail (ctx, sub, _("the message must show the {value} it explains"));
    }
  return TRUE;
}

/* "lines": which records hold a case record's lines, and which of their
 * fields say what (the case view's table). */
static gboolean
parse_lines (Ctx            *ctx,
             JsonNode       *node,
             const char     *path,
             CtLineMapping **out)
{
  static const char *keys[] = { "model", "line_model", "link", "fields", NULL };
  static const char *field_keys[] = { "product", "description", "quantity", "unit", "price_unit",
                                      "discount", "subtotal", "total", NULL };
  JsonObject *obj = need_object (ctx, node, path, "“lines”");
  CtLineMapping *m;

  if (obj == NULL || !check_keys (ctx, obj, path, keys))
    return FALSE;
  m = g_new0 (CtLineMapping, 1);
  *out = m;
  if (!get_string (ctx, obj, path, "model", TRUE, &m->model) ||
      !get_string (ctx, obj, path, "line_model", TRUE, &m->line_model) ||
      !get_string (ctx, obj, path, "link", TRUE, &m->link))
    return FALSE;
  if (json_object_has_member (obj, "fields"))
    {
      g_autofree char *fp = path_join (path, "fields");
      JsonObject *f = need_object (ctx, json_object_get_member (obj, "fields"), fp, "“fields”");

      if (f == NULL || !check_keys (ctx, f, fp, field_keys) ||
          !get_string (ctx, f, fp, "product", FALSE, &m->product) ||
          !get_string (ctx, f, fp, "description", FALSE, &m->description) ||
          !get_string (ctx, f, fp, "quantity", FALSE, &m->quantity) ||
          !get_string (ctx, f, fp, "unit", FALSE, &m->unit) ||
          !get_string (ctx, f, fp, "price_unit", FALSE, &m->price_unit) ||
          !get_string (ctx, f, fp, "discount", FALSE, &m->discount) ||
          !get_string (ctx, f, fp, "subtotal", FALSE, &m->subtotal) ||
          !get_string (ctx, f, fp, "total", FALSE, &m->total))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_profile (CtProfile  *self,
               Ctx        *ctx,
               JsonNode   *root)
{
  static const char *keys[] = { "version", "name", "currency", "confirm_amount", "calendars",
                                "escalations", "areas", "queues", "reasons", "lines", "incidents",
                                "priority", "anomaly", NULL };
  static const char *inc_keys[] = { "n8n_running_minutes", "n8n_waiting_minutes",
                                    "cron_grace_minutes", "queue_job_started_minutes", NULL };
  static const char *prio_keys[] = { "value_points", "cutoff_points", "cutoff_horizon_hours",
                                     "strategic_points", "stock_points", NULL };
  static const char *anom_keys[] = { "threshold", "min_history", NULL };
  JsonObject *obj = need_object (ctx, root, "", _("a profile"));
  JsonArray *arr;
  double version = 0;

  if (obj == NULL || !check_keys (ctx, obj, "", keys))
    return FALSE;
  if (!get_number (ctx, obj, "", "version", TRUE, 0, 1000, &version))
    return FALSE;
  if (version != 1)
    return ctx_fail (ctx, "version", _("version %g is not supported (this build reads version 1)"),
                     version);
  if (!get_string (ctx, obj, "", "name", TRUE, &self->name) ||
      !get_string (ctx, obj, "", "currency", TRUE, &self->currency) ||
      !get_number (ctx, obj, "", "confirm_amount", FALSE, 0, 1e15, &self->confirm_amount))
    return FALSE;

  arr = get_array (ctx, obj, "", "calendars", TRUE);
  if (arr == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      g_autofree char *p = g_strdup_printf ("calendars[%u]", i);
      CtCalendar *cal = NULL;

      if (!parse_calendar (ctx, json_array_get_element (arr, i), p, &cal))
        return FALSE;
      if (ct_profile_find_calendar (self, ct_calendar_get_id (cal)) != NULL)
        {
          g_autofree char *sub = path_join (p, "id");
          ctx_fail (ctx, sub, _("calendar “%s” is defined twice"), ct_calendar_get_id (cal));
          ct_calendar_unref (cal);
          return FALSE;
        }
      g_ptr_array_add (self->calendars, cal);
    }

  arr = get_array (ctx, obj, "", "escalations", FALSE);
  for (guint i = 0; arr && i < json_array_get_length (arr); i++)
    {
      g_autofree char *p = g_strdup_printf ("escalations[%u]", i);
      CtEscalationChain *chain = NULL;

      if (!parse_escalation (ctx, json_array_get_element (arr, i), p, &chain))
        return FALSE;
      if (ct_profile_find_escalation (self, chain->id) != NULL)
        {
          g_autofree char *sub = path_join (p, "id");
          escalation_chain_free (chain);
          return ctx_fail (ctx, sub, _("escalation chain is defined twice"));
        }
      g_ptr_array_add (self->escalations, chain);
    }
  if (ctx->error)
    return FALSE;

  arr = get_array (ctx, obj, "", "areas", TRUE);
  if (arr == NULL)
    return FALSE;
  if (json_array_get_length (arr) == 0)
    return ctx_fail (ctx, "areas", _("a profile needs at least one area"));
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      g_autofree char *p = g_strdup_printf ("areas[%u]", i);
      CtArea *area = NULL;
      gboolean ok = parse_area (ctx, self, json_array_get_element (arr, i), p, &area);

      if (ok && ct_profile_find_area (self, area->id) != NULL)
        {
          g_autofree char *sub = path_join (p, "id");
          ok = ctx_fail (ctx, sub, _("area “%s” is defined twice"), area->id);
        }
      if (area != NULL)
        {
          area->index = self->areas->len;
          g_ptr_array_add (self->areas, area);
        }
      if (!ok)
        return FALSE;
    }

  arr = get_array (ctx, obj, "", "queues", FALSE);
  for (guint i = 0; arr && i < json_array_get_length (arr); i++)
    {
      g_autofree char *p = g_strdup_printf ("queues[%u]", i);
      CtQueue *q = NULL;
      gboolean ok = parse_queue (ctx, self, json_array_get_element (arr, i), p, &q);

      if (ok && ct_profile_find_queue (self, q->id) != NULL)
        {
          g_autofree char *sub = path_join (p, "id");
          ok = ctx_fail (ctx, sub, _("queue “%s” is defined twice"), q->id);
        }
      if (q != NULL)
        g_ptr_array_add (self->queues, q);
      if (!ok)
        return FALSE;
    }
  if (ctx->error)
    return FALSE;

  arr = get_array (ctx, obj, "", "reasons", FALSE);
  for (guint i = 0; arr && i < json_array_get_length (arr); i++)
    {
      g_autofree char *p = g_strdup_printf ("reasons[%u]", i);
      CtReasonRule *r = NULL;
      gboolean ok = parse_reason (ctx, self, json_array_get_element (arr, i), p, &r);

      if (r != NULL)
        g_ptr_array_add (self->reasons, r);
      if (!ok)
        return FALSE;
    }
  if (ctx->error)
    return FALSE;

  arr = get_array (ctx, obj, "", "lines", FALSE);
  for (guint i = 0; arr && i < json_array_get_length (arr); i++)
    {
      g_autofree char *p = g_strdup_printf ("lines[%u]", i);
      CtLineMapping *m = NULL;
      gboolean ok = parse_lines (ctx, json_array_get_element (arr, i), p, &m);

      if (m != NULL)
        g_ptr_array_add (self->lines, m);
      if (!ok)
        return FALSE;
    }
  if (ctx->error)
    return FALSE;

  if (json_object_has_member (obj, "incidents"))
    {
      JsonObject *inc = need_object (ctx, json_object_get_member (obj, "incidents"), "incidents",
                                     "“incidents”");
      double run = 30, wait = 240, grace = 15, job = 60;

      if (inc == NULL || !check_keys (ctx, inc, "incidents", inc_keys) ||
          !get_number (ctx, inc, "incidents", "n8n_running_minutes", FALSE, 1, 1e6, &run) ||
          !get_number (ctx, inc, "incidents", "n8n_waiting_minutes", FALSE, 1, 1e6, &wait) ||
          !get_number (ctx, inc, "incidents", "cron_grace_minutes", FALSE, 0, 1e6, &grace) ||
          !get_number (ctx, inc, "incidents", "queue_job_started_minutes", FALSE, 1, 1e6, &job))
        return FALSE;
      self->incidents.n8n_running_seconds = (gint64) (run * 60);
      self->incidents.n8n_waiting_seconds = (gint64) (wait * 60);
      self->incidents.cron_grace_seconds = (gint64) (grace * 60);
      self->incidents.queue_job_started_seconds = (gint64) (job * 60);
    }

  if (json_object_has_member (obj, "priority"))
    {
      JsonObject *pr = need_object (ctx, json_object_get_member (obj, "priority"), "priority",
                                    "“priority”");
      double horizon = self->priority.cutoff_horizon_seconds / 3600.0;

      if (pr == NULL || !check_keys (ctx, pr, "priority", prio_keys) ||
          !get_number (ctx, pr, "priority", "value_points", FALSE, 0, 1000,
                       &self->priority.value_weight) ||
          !get_number (ctx, pr, "priority", "cutoff_points", FALSE, 0, 1000,
                       &self->priority.cutoff_weight) ||
          !get_number (ctx, pr, "priority", "cutoff_horizon_hours", FALSE, 0.1, 10000, &horizon) ||
          !get_number (ctx, pr, "priority", "strategic_points", FALSE, 0, 1000,
                       &self->priority.strategic_weight) ||
          !get_number (ctx, pr, "priority", "stock_points", FALSE, 0, 1000,
                       &self->priority.stock_weight))
        return FALSE;
      self->priority.cutoff_horizon_seconds = (gint64) (horizon * 3600);
    }

  if (json_object_has_member (obj, "anomaly"))
    {
      JsonObject *an = need_object (ctx, json_object_get_member (obj, "anomaly"), "anomaly",
                                    "“anomaly”");
      double min_history = self->anomaly.min_history;

      if (an == NULL || !check_keys (ctx, an, "anomaly", anom_keys) ||
          !get_number (ctx, an, "anomaly", "threshold", FALSE, 1, 100, &self->anomaly.threshold) ||
          !get_number (ctx, an, "anomaly", "min_history", FALSE, 3, 100000, &min_history))
        return FALSE;
      self->anomaly.min_history = (guint) min_history;
    }
  return TRUE;
}

static void
ct_profile_finalize (GObject *object)
{
  CtProfile *self = (CtProfile *) object;

  g_free (self->name);
  g_free (self->currency);
  g_ptr_array_unref (self->lines);
  g_ptr_array_unref (self->reasons);
  g_ptr_array_unref (self->queues);
  g_ptr_array_unref (self->areas);
  g_ptr_array_unref (self->escalations);
  g_ptr_array_unref (self->calendars);

  G_OBJECT_CLASS (ct_profile_parent_class)->finalize (object);
}

static void
ct_profile_class_init (CtProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ct_profile_finalize;
}

static void
ct_profile_init (CtProfile *self)
{
  self->calendars = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_calendar_unref);
  self->escalations = g_ptr_array_new_with_free_func ((GDestroyNotify) escalation_chain_free);
  self->areas = g_ptr_array_new_with_free_func ((GDestroyNotify) area_free);
  self->queues = g_ptr_array_new_with_free_func ((GDestroyNotify) queue_free);
  self->reasons = g_ptr_array_new_with_free_func ((GDestroyNotify) reason_rule_free);
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_mapping_free);
  self->confirm_amount = 10000;
  self->incidents.n8n_running_seconds = 30 * 60;
  self->incidents.n8n_waiting_seconds = 240 * 60;
  self->incidents.cron_grace_seconds = 15 * 60;
  self->incidents.queue_job_started_seconds = 60 * 60;
  self->priority.value_weight = 40;
  self->priority.cutoff_weight = 30;
  self->priority.cutoff_horizon_seconds = 24 * 3600;
  self->priority.strategic_weight = 20;
  self->priority.stock_weight = 10;
  self->anomaly.threshold = 3.5;
  self->anomaly.min_history = 8;
}

CtProfile *
ct_profile_new_from_data (const char  *data,
                          gssize       length,
                          const char  *name,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(CtProfile) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) locs = NULL;
  Scanner scanner;
  Ctx ctx = { 0 };

  g_return_val_if_fail (data != NULL, NULL);

  if (name == NULL)
    name = "<profile>";
  if (length < 0)
    length = strlen (data);

  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error (error, CT_PROFILE_ERROR, CT_PROFILE_ERROR_SYNTAX,
                   _("%s:1:1: the file is not UTF-8 text"), name);
      return NULL;
    }

  /* json-glib parses recursively: refuse absurd nesting before it can
   * exhaust the stack. A real profile nests five deep. */
  {
    gsize offset = 0;
    g_autoptr(GError) check_error = NULL;

    if (!ct_json_check (data, length, 32, &offset, &check_error))
      {
        guint line = 1, col = 1;

        for (gsize i = 0; i < offset; i++)
          {
            if (data[i] == '\n')
              {
                line++;
                col = 1;
              }
            else if (((guchar) data[i] & 0xC0) != 0x80)
              col++;
          }
        if (g_error_matches (check_error, CT_JSON_ERROR, CT_JSON_ERROR_TOO_DEEP))
          g_set_error (error, CT_PROFILE_ERROR, CT_PROFILE_ERROR_SYNTAX,
                       _("%s:%u:%u: nested too deep to be a profile"), name, line, col);
        else
          g_set_error (error, CT_PROFILE_ERROR, CT_PROFILE_ERROR_SYNTAX,
                       "%s:%u:%u: %s", name, line, col, check_error->message);
        return NULL;
      }
  }

  if (!ct_json_parser_load (parser, data, length, &local_error))
    {
      /* json-glib says "<data>:line:col: Parse error: …"; show the file's name. */
      const char *msg = local_error->message;

      if (g_str_has_prefix (msg, "<data>:"))
        msg += strlen ("<data>:");
      else
        msg = NULL;
      if (msg != NULL)
        g_set_error (error, CT_PROFILE_ERROR, CT_PROFILE_ERROR_SYNTAX, "%s:%s", name, msg);
      else
        g_set_error (error, CT_PROFILE_ERROR, CT_PROFILE_ERROR_SYNTAX, "%s:1:1: %s", name,
                     local_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, CT_PROFILE_ERROR, CT_PROFILE_ERROR_SYNTAX,
                   _("%s:1:1: the file is empty"), name);
      return NULL;
    }

  locs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scanner = (Scanner) { data, data + length, 1, 1, locs };
  scan_value (&scanner, "", 0);

  self = g_object_new (CT_TYPE_PROFILE, NULL);
  ctx.name = name;
  ctx.locs = locs;
  if (!parse_profile (self, &ctx, json_parser_get_root (parser)))
    {
      if (ctx.error == NULL)
        g_set_error (&ctx.error, CT_PROFILE_ERROR, CT_PROFILE_ERROR_INVALID,
                     "%s:1:1: %s", name, _("invalid profile"));
      g_propagate_error (error, ctx.error);
      return NULL;
    }
  return g_steal_pointer (&self);
}

CtProfile *
ct_profile_new_from_file (GFile   *file,
                          GError **error)
{
  g_autofree char *data = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  name = g_file_get_parse_name (file);
  if (!g_file_load_contents (file, NULL, &data, &len, NULL, &local_error))
    {
      g_set_error (error, CT_PROFILE_ERROR, CT_PROFILE_ERROR_IO, "%s:1:1: %s", name,
                   local_error->message);
      return NULL;
    }
  /* A profile is a few kilobytes; refuse something that is clearly not one. */
  if (len > 16 * 1024 * 1024)
    {
      g_set_error (error, CT_PROFILE_ERROR, CT_PROFILE_ERROR_IO,
                   _("%s:1:1: the file is too large to be a profile"), name);
      return NULL;
    }
  return ct_profile_new_from_data (data, len, name, error);
}

CtProfile *
ct_profile_load_or_keep (GFile      *file,
                         CtProfile  *last_good,
                         GError    **error)
{
  CtProfile *p = ct_profile_new_from_file (file, error);

  if (p != NULL)
    return p;
  return last_good ? g_object_ref (last_good) : ct_profile_new_default ();
}

CtProfile *
ct_profile_new_default (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  CtProfile *p;
  gsize len;
  const char *data;

  /* Referencing the resource here pulls it into any binary that loads
   * profiles, even when the static library is linked without link_whole. */
  bytes = g_resource_lookup_data (ct_core_get_resource (), DEFAULT_PROFILE_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    g_error ("The built-in profile is missing: %s", error->message);
  data = g_bytes_get_data (bytes, &len);
  p = ct_profile_new_from_data (data, len, "resource://" DEFAULT_PROFILE_PATH, &error);
  if (p == NULL)
    g_error ("The built-in profile is invalid: %s", error->message);
  return p;
}

const char *
ct_profile_get_name (CtProfile *self)
{
  return self->name;
}

guint
ct_profile_get_n_areas (CtProfile *self)
{
  return self->areas->len;
}

const CtArea *
ct_profile_get_area (CtProfile *self,
                     guint      index)
{
  return index < self->areas->len ? self->areas->pdata[index] : NULL;
}

const CtArea *
ct_profile_find_area (CtProfile  *self,
                      const char *id)
{
  for (guint i = 0; id && i < self->areas->len; i++)
    if (g_strcmp0 (((CtArea *) self->areas->pdata[i])->id, id) == 0)
      return self->areas->pdata[i];
  return NULL;
}

guint
ct_profile_get_n_queues (CtProfile *self)
{
  return self->queues->len;
}

const CtQueue *
ct_profile_get_queue (CtProfile *self,
                      guint      index)
{
  return index < self->queues->len ? self->queues->pdata[index] : NULL;
}

const CtQueue *
ct_profile_find_queue (CtProfile  *self,
                       const char *id)
{
  for (guint i = 0; id && i < self->queues->len; i++)
    if (g_strcmp0 (((CtQueue *) self->queues->pdata[i])->id, id) == 0)
      return self->queues->pdata[i];
  return NULL;
}

const CtQueue *
ct_profile_find_queue_for_model (CtProfile  *self,
                                 const char *model)
{
  /* The first queue on @model that maps an amount or a partner. */
  for (guint i = 0; model && i < self->queues->len; i++)
    {
      const CtQueue *queue = self->queues->pdata[i];

      if (g_strcmp0 (queue->model, model) == 0 && queue->kind != CT_SOURCE_KIND_ACTIVITY &&
          ((queue->fields.amount != NULL && *queue->fields.amount != '\0') ||
           (queue->fields.partner != NULL && *queue->fields.partner != '\0')))
        return queue;
    }
  return NULL;
}

CtCalendar *
ct_profile_find_calendar (CtProfile  *self,
                          const char *id)
{
  for (guint i = 0; id && i < self->calendars->len; i++)
    if (g_strcmp0 (ct_calendar_get_id (self->calendars->pdata[i]), id) == 0)
      return self->calendars->pdata[i];
  return NULL;
}

const CtEscalationChain *
ct_profile_find_escalation (CtProfile  *self,
                            const char *id)
{
  for (guint i = 0; id && i < self->escalations->len; i++)
    if (g_strcmp0 (((CtEscalationChain *) self->escalations->pdata[i])->id, id) == 0)
      return self->escalations->pdata[i];
  return NULL;
}

guint
ct_profile_get_n_reason_rules (CtProfile *self)
{
  return self->reasons->len;
}

const CtReasonRule *
ct_profile_get_reason_rule (CtProfile *self,
                            guint      index)
{
  return index < self->reasons->len ? self->reasons->pdata[index] : NULL;
}

const CtLineMapping *
ct_profile_find_lines (CtProfile  *self,
                       const char *model)
{
  for (guint i = 0; model != NULL && i < self->lines->len; i++)
    if (g_strcmp0 (((CtLineMapping *) self->lines->pdata[i])->model, model) == 0)
      return self->lines->pdata[i];
  return NULL;
}

double
ct_profile_get_confirm_amount (CtProfile *self)
{
  return self->confirm_amount;
}

const char *
ct_profile_get_currency (CtProfile *self)
{
  return self->currency;
}

const CtIncidentThresholds *
ct_profile_get_incident_thresholds (CtProfile *self)
{
  return &self->incidents;
}

const CtPriorityWeights *
ct_profile_get_priority_weights (CtProfile *self)
{
  return &self->priority;
}

const CtAnomalySettings *
ct_profile_get_anomaly_settings (CtProfile *self)
{
  return &self->anomaly;
}

gboolean
ct_profile_needs_confirmation (CtProfile *self,
                               double     amount)
{
  return self->confirm_amount > 0 && amount >= self->confirm_amount;
}

/* Odoo gives a many2one as [id, "display name"] and an empty one as false. */
static gboolean
record_value_matches (JsonNode   *node,
                      const char *key)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    {
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *a = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (a) && i < 2; i++)
            if (record_value_matches (json_array_get_element (a, i), key))
              return TRUE;
        }
      return FALSE;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strcmp0 (json_node_get_string (node), key) == 0;
    case G_TYPE_INT64:
      {
        char buf[32];
        g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, json_node_get_int (node));
        return g_strcmp0 (buf, key) == 0;
      }
    default:
      return FALSE;
    }
}

const CtArea *
ct_profile_area_for_record (CtProfile     *self,
                            const CtQueue *queue,
                            JsonObject    *record)
{
  GHashTableIter iter;
  gpointer k, v;
  JsonNode *node;

  if (queue->area_id != NULL)
    return ct_profile_find_area (self, queue->area_id);

  node = record ? json_object_get_member (record, queue->area_field) : NULL;
  g_hash_table_iter_init (&iter, queue->area_map);
  while (g_hash_table_iter_next (&iter, &k, &v))
    if (record_value_matches (node, k))
      return ct_profile_find_area (self, v);
  return queue->default_area ? ct_profile_find_area (self, queue->default_area) : NULL;
}

static gboolean
lookup_number (JsonObject *facts,
               JsonObject *record,
               const char *field,
               double     *out)
{
  g_auto(GStrv) parts = g_strsplit (field, ".", 8);
  JsonObject *obj = facts;
  JsonNode *node = NULL;

  /* What @facts does not hold comes from the record. */
  if (parts[0] != NULL && (facts == NULL || !json_object_has_member (facts, parts[0])))
    obj = record;
  for (guint i = 0; parts[i]; i++)
    {
      node = obj ? json_object_get_member (obj, parts[i]) : NULL;
      if (node == NULL)
        return FALSE;
      if (parts[i + 1] != NULL)
        obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      *out = json_node_get_double (node);
      return isfinite (*out);
    default:
      /* Odoo sends false for an empty number field: that is no value. */
      return FALSE;
    }
}

char *
ct_format_number_decimals (double value,
                           guint  decimals)
{
  GString *s;
  char digits[512];
  const char *point;
  gsize n, first;

  /* Beyond 10¹⁵ digits stop meaning anything to a reader. */
  if (fabs (value) >= 1e15 || !isfinite (value))
    return g_strdup_printf ("%g", value);
  g_snprintf (digits, sizeof digits, "%.*f", (int) MIN (decimals, 6), fabs (value));
  point = strchr (digits, '.');
  n = point != NULL ? (gsize) (point - digits) : strlen (digits);
  s = g_string_new (NULL);
  /* Rounded to nothing, -0.001 is 0. */
  if (value < 0 && strspn (digits, "0.") != strlen (digits))
    g_string_append_c (s, '-');
  first = n % 3 ? n % 3 : 3;
  g_string_append_len (s, digits, first);
  /* Group thousands with a space: "12 400", readable in every locale we ship. */
  for (gsize i = first; i < n; i += 3)
    {
      g_string_append_c (s, ' ');
      g_string_append_len (s, digits + i, 3);
    }
  /* Whole numbers without their zeros: "12 400", not "12 400.00". */
  if (point != NULL && strspn (point + 1, "0") != strlen (point + 1))
    g_string_append (s, point);
  return g_string_free (s, FALSE);
}

char *
ct_format_number (double value)
{
  return ct_format_number_decimals (value, 1);
}

char *
ct_format_money (double      value,
                 const char *currency)
{
  g_autofree char *number = ct_format_number_decimals (value, 2);

  if (currency == NULL || *currency == '\0')
    return g_steal_pointer (&number);
  return g_strdup_printf ("%s %s", number, currency);
}

JsonObject *
ct_profile_partner_facts (double credit_limit,
                          double exposure,
                          double overdue)
{
  JsonObject *partner = json_object_new ();

  if (!isnan (credit_limit))
    json_object_set_double_member (partner, "credit_limit", credit_limit);
  if (!isnan (exposure))
    json_object_set_double_member (partner, "exposure", exposure);
  if (!isnan (overdue))
    json_object_set_double_member (partner, "overdue", overdue);
  if (!isnan (exposure) && !isnan (credit_limit) && credit_limit > 0)
    json_object_set_double_member (partner, "exposure_ratio", 100.0 * exposure / credit_limit);
  return partner;
}

static gboolean
rule_holds (const CtReasonRule *r,
            double              v)
{
  switch (r->op)
    {
    case CT_RULE_OP_GT: return v > r->limit;
    case CT_RULE_OP_GE: return v >= r->limit;
    case CT_RULE_OP_LT: return v < r->limit;
    case CT_RULE_OP_LE: return v <= r->limit;
    case CT_RULE_OP_EQ: return v == r->limit;
    case CT_RULE_OP_NE: return v != r->limit;
    default: return FALSE;
    }
}

GPtrArray *
ct_profile_explain (CtProfile  *self,
                    const char *area_id,
                    JsonObject *record,
                    const char *currency)
{
  return ct_profile_explain_record (self, area_id, NULL, record, currency);
}

GPtrArray *
ct_profile_explain_record (CtProfile  *self,
                           const char *area_id,
                           JsonObject *facts,
                           JsonObject *record,
                           const char *currency)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  if (currency == NULL)
    currency = self->currency;
  for (guint i = 0; (record || facts) && i < self->reasons->len; i++)
    {
      const CtReasonRule *r = self->reasons->pdata[i];
      g_autofree char *value = NULL;
      g_autofree char *limit = NULL;
      GString *msg;
      gboolean money;
      double v;

      if (r->areas != NULL && !g_strv_contains ((const char * const *) r->areas, area_id))
        continue;
      if (!lookup_number (facts, record, r->field, &v) || !rule_holds (r, v))
        continue;
      /* An amount has its cents: "10 498.60 EUR"; a percentage one decimal. */
      money = strstr (r->message, "{currency}") != NULL;
      value = ct_format_number_decimals (v, money ? 2 : 1);
      limit = ct_format_number_decimals (r->limit, money ? 2 : 1);
      msg = g_string_new (r->message);
      g_string_replace (msg, "{value}", value, 0);
      g_string_replace (msg, "{limit}", limit, 0);
      g_string_replace (msg, "{currency}", currency, 0);
      g_ptr_array_add (out, g_string_free (msg, FALSE));
    }
  return out;
}

static const char *source_kind_names[] = {
  "tier-validation", "approvals", "purchase-double-validation", "activity",
  "n8n", "cron", "queue-job",
};

const char *
ct_source_kind_to_string (CtSourceKind kind)
{
  return (guint) kind < G_N_ELEMENTS (source_kind_names) ? source_kind_names[kind] : "unknown";
}

gboolean
ct_source_kind_from_string (const char   *str,
                            CtSourceKind *kind)
{
  for (guint i = 0; str && i < G_N_ELEMENTS (source_kind_names); i++)
    if (strcmp (str, source_kind_names[i]) == 0)
      {
        *kind = (CtSourceKind) i;
        return TRUE;
      }
  return FALSE;
}
