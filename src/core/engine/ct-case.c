/* ct-case.c - One pending record (or one incident) as the tower shows it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-case"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ct-case.h"
#include "ct-incident.h"

enum {
  PROP_0,
  PROP_KEY,
  PROP_TITLE,
  PROP_REFERENCE,
  PROP_AREA_ID,
  PROP_AMOUNT,
  PROP_PRIORITY,
  PROP_SLA_USED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (CtCase, ct_case, G_TYPE_OBJECT)

static void
requirement_free (CtRequirement *r)
{
  g_free (r->source_ref);
  g_free (r->approver);
  g_free (r);
}

static void
priority_component_free (CtPriorityComponent *c)
{
  g_free (c->name);
  g_free (c->explanation);
  g_free (c);
}

static void
anomaly_free (CtAnomaly *a)
{
  g_free (a->code);
  g_free (a->explanation);
  g_free (a);
}

static void
ct_case_finalize (GObject *object)
{
  CtCase *self = (CtCase *) object;

  g_free (self->key);
  g_free (self->model);
  g_free (self->reference);
  g_free (self->title);
  g_free (self->area_id);
  g_free (self->queue_id);
  g_free (self->requester);
  g_ptr_array_unref (self->requirements);
  g_free (self->currency);
  g_free (self->partner.name);
  g_free (self->partner.tier);
  g_free (self->company);
  g_free (self->branch);
  g_free (self->outcome);
  g_ptr_array_unref (self->reasons);
  g_array_unref (self->pauses);
  g_free (self->detail);
  g_free (self->failed_node);
  g_free (self->attempt_status);
  g_ptr_array_unref (self->linked_keys);
  g_ptr_array_unref (self->priority_components);
  g_ptr_array_unref (self->anomalies);
  g_free (self->search_text);

  G_OBJECT_CLASS (ct_case_parent_class)->finalize (object);
}

static void
ct_case_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CtCase *self = CT_CASE (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_REFERENCE:
      g_value_set_string (value, self->reference);
      break;
    case PROP_AREA_ID:
      g_value_set_string (value, self->area_id);
      break;
    case PROP_AMOUNT:
      g_value_set_double (value, self->amount);
      break;
    case PROP_PRIORITY:
      g_value_set_double (value, self->priority);
      break;
    case PROP_SLA_USED:
      g_value_set_double (value, self->sla.used);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ct_case_class_init (CtCaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ct_case_finalize;
  object_class->get_property = ct_case_get_property;

  properties [PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_REFERENCE] =
    g_param_spec_string ("reference", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_AREA_ID] =
    g_param_spec_string ("area-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_AMOUNT] =
    g_param_spec_double ("amount", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_PRIORITY] =
    g_param_spec_double ("priority", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_SLA_USED] =
    g_param_spec_double ("sla-used", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ct_case_init (CtCase *self)
{
  self->requirements = g_ptr_array_new_with_free_func ((GDestroyNotify) requirement_free);
  self->reasons = g_ptr_array_new_with_free_func (g_free);
  self->pauses = g_array_new (FALSE, FALSE, sizeof (CtPeriod));
  self->linked_keys = g_ptr_array_new_with_free_func (g_free);
  self->priority_components =
    g_ptr_array_new_with_free_func ((GDestroyNotify) priority_component_free);
  self->anomalies = g_ptr_array_new_with_free_func ((GDestroyNotify) anomaly_free);
  self->discount = NAN;
}

char *
ct_case_make_key (const char *model,
                  gint64      record_id)
{
  return g_strdup_printf ("%s:%" G_GINT64_FORMAT, model, record_id);
}

CtCase *
ct_case_new (const char *model,
             gint64      record_id)
{
  CtCase *self;

  g_return_val_if_fail (model != NULL, NULL);

  self = g_object_new (CT_TYPE_CASE, NULL);
  self->model = g_strdup (model);
  self->record_id = record_id;
  self->key = ct_case_make_key (model, record_id);
  return self;
}

CtCase *
ct_case_new_incident (CtIncidentKind  kind,
                      const char     *model,
                      gint64          record_id)
{
  CtCase *self = ct_case_new (model, record_id);

  self->kind = CT_CASE_KIND_INCIDENT;
  self->incident_kind = kind;
  return self;
}

CtCase *
ct_case_copy (CtCase *self)
{
  g_autoptr(GBytes) bytes = ct_case_serialize (self);
  CtCase *copy = ct_case_deserialize (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  copy->sla = self->sla;
  copy->priority = self->priority;
  copy->priority_at = self->priority_at;
  for (guint i = 0; i < self->priority_components->len; i++)
    {
      CtPriorityComponent *c = self->priority_components->pdata[i];
      CtPriorityComponent *d = g_new0 (CtPriorityComponent, 1);

      d->name = g_strdup (c->name);
      d->points = c->points;
      d->explanation = g_strdup (c->explanation);
      g_ptr_array_add (copy->priority_components, d);
    }
  return copy;
}

const char *
ct_case_get_key (CtCase *self)
{
  g_return_val_if_fail (CT_IS_CASE (self), NULL);
  return self->key;
}

const char *
ct_case_get_title (CtCase *self)
{
  g_return_val_if_fail (CT_IS_CASE (self), NULL);
  return self->title;
}

const char *
ct_case_get_area_id (CtCase *self)
{
  g_return_val_if_fail (CT_IS_CASE (self), NULL);
  return self->area_id;
}

CtCaseStatus
ct_case_get_status (CtCase *self)
{
  g_return_val_if_fail (CT_IS_CASE (self), CT_CASE_STATUS_PENDING);
  return self->status;
}

const CtSlaState *
ct_case_get_sla (CtCase *self)
{
  g_return_val_if_fail (CT_IS_CASE (self), NULL);
  return &self->sla;
}

void
ct_case_set_text (char       **field,
                  const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

CtRequirement *
ct_case_add_requirement (CtCase          *self,
                         CtSourceKind     source,
                         const char      *source_ref,
                         gint64           approver_id,
                         const char      *approver,
                         CtApproverState  state,
                         guint            sequence)
{
  CtRequirement *r = NULL;

  g_return_val_if_fail (CT_IS_CASE (self), NULL);
  g_return_val_if_fail (source_ref != NULL, NULL);

  for (guint i = 0; i < self->requirements->len; i++)
    {
      CtRequirement *e = self->requirements->pdata[i];

      if (g_strcmp0 (e->source_ref, source_ref) == 0)
        {
          r = e;
          break;
        }
    }
  if (r == NULL)
    {
      r = g_new0 (CtRequirement, 1);
      r->source_ref = g_strdup (source_ref);
      g_ptr_array_add (self->requirements, r);
    }
  r->source = source;
  r->approver_id = approver_id;
  ct_case_set_text (&r->approver, approver);
  r->state = state;
  r->sequence = sequence;
  r->actor = CT_ACTOR_UNKNOWN;
  return r;
}

/**
 * ct_case_dup_display_title:
 *
 * What names the case to a person: its title, or for a record with none of
 * its own (a purchase order) its partner and why it waits.
 *
 * Returns: (transfer full) (nullable): the title, or %NULL when the case has
 *   neither a title nor a partner nor a reason.
 */
char *
ct_case_dup_display_title (CtCase *self)
{
  gboolean has_reason;

  g_return_val_if_fail (CT_IS_CASE (self), NULL);

  has_reason = self->reasons != NULL && self->reasons->len > 0;
  if (self->title != NULL && *self->title != '\0')
    return g_strdup (self->title);
  if (self->kind == CT_CASE_KIND_INCIDENT)
    return g_strdup (ct_incident_kind_get_label (self->incident_kind));
  if (self->partner.name != NULL && has_reason)
    return g_strdup_printf ("%s — %s", self->partner.name, (char *) self->reasons->pdata[0]);
  if (self->partner.name != NULL)
    return g_strdup (self->partner.name);
  if (has_reason)
    return g_strdup (self->reasons->pdata[0]);
  return NULL;
}

char *
ct_case_dup_label (CtCase *self)
{
  g_autofree char *title = NULL;
  const char *reference;

  g_return_val_if_fail (CT_IS_CASE (self), NULL);

  reference = self->reference != NULL && *self->reference != '\0' ? self->reference : self->key;
  title = ct_case_dup_display_title (self);
  if (title == NULL || *title == '\0' || g_strcmp0 (title, reference) == 0)
    return g_strdup (reference);
  return g_strdup_printf ("%s · %s", reference, title);
}

/* Whether @r can be acted on now: Odoo refuses an order's double
 * validation (button_approve) while a tier review on it is open. */
static gboolean
requirement_open_now (CtCase        *self,
                      CtRequirement *r)
{
  if (r->state != CT_APPROVER_STATE_PENDING)
    return FALSE;
  if (r->source != CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION)
    return TRUE;
  for (guint i = 0; i < self->requirements->len; i++)
    {
      CtRequirement *t = self->requirements->pdata[i];

      if (t->source == CT_SOURCE_KIND_TIER_VALIDATION && t->state == CT_APPROVER_STATE_PENDING)
        return FALSE;
    }
  return TRUE;
}

gboolean
ct_case_user_can_act (CtCase *self)
{
  g_return_val_if_fail (CT_IS_CASE (self), FALSE);

  for (guint i = 0; i < self->requirements->len; i++)
    {
      CtRequirement *r = self->requirements->pdata[i];

      if (r->actor == CT_ACTOR_YOU && requirement_open_now (self, r))
        return TRUE;
    }
  return FALSE;
}

gboolean
ct_case_waits_for_others (CtCase *self)
{
  gboolean any = FALSE;

  g_return_val_if_fail (CT_IS_CASE (self), FALSE);

  for (guint i = 0; i < self->requirements->len; i++)
    {
      CtRequirement *r = self->requirements->pdata[i];

      if (!requirement_open_now (self, r))
        continue;
      if (r->actor != CT_ACTOR_SOMEONE_ELSE)
        return FALSE;
      any = TRUE;
    }
  return any;
}

gboolean
ct_case_has_source (CtCase       *self,
                    CtSourceKind  source)
{
  for (guint i = 0; i < self->requirements->len; i++)
    if (((CtRequirement *) self->requirements->pdata[i])->source == source)
      return TRUE;
  return FALSE;
}

guint
ct_case_count_open_requirements (CtCase *self)
{
  guint n = 0;

  for (guint i = 0; i < self->requirements->len; i++)
    {
      CtApproverState s = ((CtRequirement *) self->requirements->pdata[i])->state;
      n += s == CT_APPROVER_STATE_PENDING || s == CT_APPROVER_STATE_WAITING;
    }
  return n;
}

void
ct_case_add_reason (CtCase     *self,
                    const char *reason)
{
  g_return_if_fail (reason != NULL);

  for (guint i = 0; i < self->reasons->len; i++)
    if (strcmp (self->reasons->pdata[i], reason) == 0)
      return;
  g_ptr_array_add (self->reasons, g_strdup (reason));
}

static int
cmp_period (gconstpointer a,
            gconstpointer b)
{
  gint64 x = ((const CtPeriod *) a)->start, y = ((const CtPeriod *) b)->start;

  return (x > y) - (x < y);
}

void
ct_case_add_pause (CtCase *self,
                   gint64  start,
                   gint64  end)
{
  CtPeriod p = { start, end };
  guint out = 0;

  for (guint i = 0; i < self->pauses->len; i++)
    {
      CtPeriod *e = &g_array_index (self->pauses, CtPeriod, i);

      /* The same pause seen again (next sync) with its end now known. */
      if (e->start == start)
        {
          e->end = end;
          return;
        }
    }
  g_array_append_val (self->pauses, p);

  /* Keep the pauses sorted and disjoint, so the SLA clock never subtracts
   * the same time twice. An end of 0 means still open. */
  g_array_sort (self->pauses, cmp_period);
  for (guint i = 1; i < self->pauses->len; i++)
    {
      CtPeriod *last = &g_array_index (self->pauses, CtPeriod, out);
      CtPeriod *cur = &g_array_index (self->pauses, CtPeriod, i);

      if (last->end == 0 || cur->start <= last->end)
        {
          if (last->end != 0 && (cur->end == 0 || cur->end > last->end))
            last->end = cur->end;
        }
      else
        g_array_index (self->pauses, CtPeriod, ++out) = *cur;
    }
  g_array_set_size (self->pauses, out + 1);
}

void
ct_case_add_anomaly (CtCase     *self,
                     const char *code,
                     double      score,
                     const char *explanation)
{
  CtAnomaly *a = g_new0 (CtAnomaly, 1);

  a->code = g_strdup (code);
  a->score = score;
  a->explanation = g_strdup (explanation);
  g_ptr_array_add (self->anomalies, a);
}

void
ct_case_add_linked_key (CtCase     *self,
                        const char *key)
{
  for (guint i = 0; i < self->linked_keys->len; i++)
    if (strcmp (self->linked_keys->pdata[i], key) == 0)
      return;
  g_ptr_array_add (self->linked_keys, g_strdup (key));
}

void
ct_case_merge (CtCase *self,
               CtCase *other)
{
  g_return_if_fail (CT_IS_CASE (self));
  g_return_if_fail (CT_IS_CASE (other));
  g_return_if_fail (g_strcmp0 (self->key, other->key) == 0);

  for (guint i = 0; i < other->requirements->len; i++)
    {
      CtRequirement *r = other->requirements->pdata[i];
      ct_case_add_requirement (self, r->source, r->source_ref, r->approver_id, r->approver,
                               r->state, r->sequence)->actor = r->actor;
    }
  for (guint i = 0; i < other->reasons->len; i++)
    ct_case_add_reason (self, other->reasons->pdata[i]);
  for (guint i = 0; i < other->pauses->len; i++)
    {
      CtPeriod *p = &g_array_index (other->pauses, CtPeriod, i);
      ct_case_add_pause (self, p->start, p->end);
    }
  /* The earliest request starts the clock; pending beats upcoming. */
  if (other->requested_at > 0 &&
      (self->requested_at == 0 || other->requested_at < self->requested_at))
    self->requested_at = other->requested_at;
  if (other->status == CT_CASE_STATUS_PENDING && self->status == CT_CASE_STATUS_UPCOMING)
    self->status = CT_CASE_STATUS_PENDING;
  if (self->amount == 0)
    self->amount = other->amount;
  if (self->currency == NULL)
    ct_case_set_text (&self->currency, other->currency);
  if (self->title == NULL)
    ct_case_set_text (&self->title, other->title);
  if (self->reference == NULL)
    ct_case_set_text (&self->reference, other->reference);
  self->urgent |= other->urgent;
}

/* Record values as Odoo sends them. */

static JsonNode *
member (JsonObject *record,
        const char *field)
{
  if (record == NULL || field == NULL || *field == '\0')
    return NULL;
  return json_object_get_member (record, field);
}

static gboolean
node_number (JsonNode *node,
             double   *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) != G_TYPE_INT64 &&
      json_node_get_value_type (node) != G_TYPE_DOUBLE)
    return FALSE;
  *out = json_node_get_double (node);
  return isfinite (*out);
}

typedef enum
{
  KIND_OTHER,
  KIND_ID,
  KIND_INTEGER,
  KIND_AMOUNT,
  KIND_DATE,
} FieldKind;

/* The largest amount a row may carry: beyond it no currency has a real
 * order, and sums of a few of them would lose every cent. */
#define MAX_AMOUNT 1e15

static FieldKind
field_kind (const char *name,
            JsonObject *fields)
{
  JsonNode *meta;

  if (strcmp (name, "id") == 0)
    return KIND_ID;
  if (fields != NULL && (meta = json_object_get_member (fields, name)) != NULL &&
      JSON_NODE_HOLDS_OBJECT (meta))
    {
      const char *type = json_object_get_string_member_with_default (json_node_get_object (meta),
                                                                     "type", "");

      if (strcmp (type, "date") == 0 || strcmp (type, "datetime") == 0)
        return KIND_DATE;
      if (strcmp (type, "integer") == 0)
        return KIND_INTEGER;
      if (strcmp (type, "float") == 0 || strcmp (type, "monetary") == 0)
        return KIND_AMOUNT;
      return KIND_OTHER;
    }
  if (g_str_has_suffix (name, "_date") || g_str_has_prefix (name, "date_") ||
      strcmp (name, "nextcall") == 0 || strcmp (name, "lastcall") == 0)
    return KIND_DATE;
  if (g_str_has_prefix (name, "amount"))
    return KIND_AMOUNT;
  if (g_str_has_suffix (name, "_count") || strcmp (name, "sequence") == 0 ||
      strcmp (name, "res_id") == 0)
    return KIND_INTEGER;
  return KIND_OTHER;
}

static gboolean
holds (JsonNode *node,
       GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

CtRowProblem
ct_case_check_record (JsonObject  *record,
                      JsonObject  *fields,
                      const char **field)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_return_val_if_fail (record != NULL, CT_ROW_WRONG_TYPE);

  if (!json_object_has_member (record, "id"))
    {
      *field = "id";
      return CT_ROW_WRONG_TYPE;
    }
  json_object_iter_init (&iter, record);
  while (json_object_iter_next (&iter, &name, &node))
    {
      /* false (and null) is how Odoo says "empty" for every type. */
      gboolean empty = JSON_NODE_HOLDS_NULL (node) ||
                       (holds (node, G_TYPE_BOOLEAN) && !json_node_get_boolean (node));
      CtRowProblem problem = CT_ROW_READABLE;

      switch (field_kind (name, fields))
        {
        case KIND_ID:
          if (!holds (node, G_TYPE_INT64))
            problem = CT_ROW_WRONG_TYPE;
          else if (json_node_get_int (node) <= 0)
            problem = CT_ROW_IMPOSSIBLE_VALUE;
          break;
        case KIND_INTEGER:
          if (!empty && !holds (node, G_TYPE_INT64))
            problem = CT_ROW_WRONG_TYPE;
          break;
        case KIND_AMOUNT:
          if (!empty && !holds (node, G_TYPE_INT64) && !holds (node, G_TYPE_DOUBLE))
            problem = CT_ROW_WRONG_TYPE;
          else if (!empty && !(fabs (json_node_get_double (node)) <= MAX_AMOUNT))
            problem = CT_ROW_IMPOSSIBLE_VALUE;
          break;
        case KIND_DATE:
          if (!empty && !holds (node, G_TYPE_STRING))
            problem = CT_ROW_WRONG_TYPE;
          break;
        case KIND_OTHER:
        default:
          break;
        }
      if (problem != CT_ROW_READABLE)
        {
          *field = name;
          return problem;
        }
    }
  return CT_ROW_READABLE;
}

/* A char field, or a many2one's display name; id to *id_out when a many2one. */
static const char *
node_text (JsonNode *node,
           gint64   *id_out)
{
  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      JsonNode *id, *name;

      if (json_array_get_length (a) != 2)
        return NULL;
      id = json_array_get_element (a, 0);
      name = json_array_get_element (a, 1);
      if (id_out && JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_INT64)
        *id_out = json_node_get_int (id);
      if (JSON_NODE_HOLDS_VALUE (name) && json_node_get_value_type (name) == G_TYPE_STRING)
        return json_node_get_string (name);
    }
  return NULL;
}

void
ct_case_fill_party (CtCase              *self,
                    const CtQueueFields *fields,
                    JsonObject          *record)
{
  const char *text;
  gint64 id = 0;
  double v;

  g_return_if_fail (CT_IS_CASE (self));
  g_return_if_fail (fields != NULL);

  if (record == NULL)
    return;
  if (self->amount == 0 && node_number (member (record, fields->amount), &v))
    self->amount = v;
  if (self->currency == NULL && (text = node_text (member (record, fields->currency), NULL)) != NULL)
    ct_case_set_text (&self->currency, text);
  if (self->partner.name == NULL &&
      (text = node_text (member (record, fields->partner), &id)) != NULL)
    {
      ct_case_set_text (&self->partner.name, text);
      self->partner.id = id;
    }
}

void
ct_case_fill_from_record (CtCase        *self,
                          CtProfile     *profile,
                          const CtQueue *queue,
                          JsonObject    *record)
{
  const CtQueueFields *f;
  g_autoptr(JsonObject) facts = NULL;
  JsonObject *partner;
  g_autoptr(GPtrArray) reasons = NULL;
  const CtArea *area;
  const char *text;
  double v;
  gint64 id;

  g_return_if_fail (CT_IS_CASE (self));
  g_return_if_fail (CT_IS_PROFILE (profile));
  g_return_if_fail (queue != NULL);

  if (record == NULL)
    return;
  f = &queue->fields;

  if ((text = node_text (member (record, f->reference), NULL)) != NULL)
    ct_case_set_text (&self->reference, text);
  if ((text = node_text (member (record, f->title), NULL)) != NULL)
    ct_case_set_text (&self->title, text);
  if (node_number (member (record, f->amount), &v))
    self->amount = v;
  if ((text = node_text (member (record, f->currency), NULL)) != NULL)
    ct_case_set_text (&self->currency, text);
  id = 0;
  if ((text = node_text (member (record, f->requester), &id)) != NULL)
    {
      ct_case_set_text (&self->requester, text);
      self->requester_id = id;
    }
  id = 0;
  if ((text = node_text (member (record, f->partner), &id)) != NULL)
    {
      ct_case_set_text (&self->partner.name, text);
      self->partner.id = id;
    }
  if ((text = node_text (member (record, f->company), NULL)) != NULL)
    ct_case_set_text (&self->company, text);
  if ((text = node_text (member (record, f->branch), NULL)) != NULL)
    ct_case_set_text (&self->branch, text);
  if (node_number (member (record, f->discount), &v))
    self->discount = v;
  if (f->shipment_date != NULL)
    {
      gint64 t = ct_parse_odoo_datetime (member (record, f->shipment_date));
      if (t > 0)
        self->shipment_cutoff = t;
    }
  ct_case_set_text (&self->queue_id, queue->id);

  area = ct_profile_area_for_record (profile, queue, record);
  ct_case_set_text (&self->area_id, area ? area->id : NULL);

  if (area == NULL)
    return;
  /* The rules see the record plus what the case knows beyond it, which
   * takes precedence; the record itself is not copied (a full sync fills
   * 100 000 cases). */
  facts = json_object_new ();
  json_object_set_double_member (facts, "amount", self->amount);
  if (isfinite (self->discount))
    json_object_set_double_member (facts, "discount", self->discount);
  partner = ct_profile_partner_facts (self->partner.credit_limit, self->partner.exposure,
                                      self->partner.overdue);
  json_object_set_object_member (facts, "partner", partner);

  reasons = ct_profile_explain_record (profile, area->id, facts, record, self->currency);
  for (guint i = 0; i < reasons->len; i++)
    ct_case_add_reason (self, reasons->pdata[i]);
}

static void
append_folded (GString    *out,
               const char *text)
{
  g_autofree char *nfd = NULL;
  g_autofree char *folded = NULL;

  const char *p;

  if (text == NULL || *text == '\0')
    return;
  /* Most of what servers send is ASCII: lower-case it in place, which is
   * ten times cheaper than normalising. */
  for (p = text; *p && (guchar) *p < 0x80; p++)
    ;
  if (*p == '\0')
    {
      gsize start = out->len, len = p - text;

      g_string_append_len (out, text, len);
      for (gsize i = start; i < start + len; i++)
        out->str[i] = g_ascii_tolower (out->str[i]);
      g_string_append_c (out, '\n');
      return;
    }
  /* Decompose, fold case, and drop combining marks, so "Société" is found
   * by "societe" and "SOCIÉTÉ". */
  nfd = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  if (nfd == NULL)
    return;
  folded = g_utf8_casefold (nfd, -1);
  for (p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((guchar) *p < 0x80)
        {
          g_string_append_c (out, *p);
          continue;
        }
      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        continue;
      g_string_append_unichar (out, c);
    }
  g_string_append_c (out, '\n');
}

char *
ct_case_fold_text (const char *text)
{
  GString *out = g_string_new (NULL);

  append_folded (out, text);
  if (out->len > 0)
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

void
ct_case_update_search_text (CtCase *self)
{
  GString *out = g_string_sized_new (128);

  append_folded (out, self->key);
  append_folded (out, self->reference);
  append_folded (out, self->title);
  append_folded (out, self->requester);
  append_folded (out, self->partner.name);
  append_folded (out, self->company);
  append_folded (out, self->branch);
  append_folded (out, self->area_id);
  for (guint i = 0; i < self->requirements->len; i++)
    append_folded (out, ((CtRequirement *) self->requirements->pdata[i])->approver);
  for (guint i = 0; i < self->reasons->len; i++)
    append_folded (out, self->reasons->pdata[i]);
  append_folded (out, self->detail);
  append_folded (out, self->failed_node);
  g_free (self->search_text);
  self->search_text = g_string_free (out, FALSE);
}

gboolean
ct_case_matches (CtCase     *self,
                 const char *folded_needle)
{
  if (folded_needle == NULL || *folded_needle == '\0')
    return TRUE;
  if (self->search_text == NULL)
    return FALSE;
  return strstr (self->search_text, folded_needle) != NULL;
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       t)
{
  json_builder_set_member_name (b, name);
  if (t <= 0 || t == G_MAXINT64)
    json_builder_add_null_value (b);
  else
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
      g_autofree char *iso = dt ? g_date_time_format_iso8601 (dt) : NULL;

      if (iso)
        json_builder_add_string_value (b, iso);
      else
        json_builder_add_null_value (b);
    }
}

static void
add_str (JsonBuilder *b,
         const char  *name,
         const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_strv (JsonBuilder *b,
          const char  *name,
          GPtrArray   *values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < values->len; i++)
    json_builder_add_string_value (b, values->pdata[i]);
  json_builder_end_array (b);
}

JsonNode *
ct_case_to_json (CtCase *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (CT_IS_CASE (self), NULL);

  json_builder_begin_object (b);
  add_str (b, "key", self->key);
  add_str (b, "kind", self->kind == CT_CASE_KIND_INCIDENT ? "incident" : "approval");
  add_str (b, "model", self->model);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, self->record_id);
  add_str (b, "reference", self->reference);
  add_str (b, "title", self->title);
  add_str (b, "area", self->area_id);
  add_str (b, "queue", self->queue_id);
  add_str (b, "status", ct_case_status_to_string (self->status));
  add_str (b, "requester", self->requester);
  json_builder_set_member_name (b, "amount");
  json_builder_add_double_value (b, self->amount);
  add_str (b, "currency", self->currency);
  json_builder_set_member_name (b, "partner");
  json_builder_begin_object (b);
  add_str (b, "name", self->partner.name);
  add_str (b, "tier", self->partner.tier);
  json_builder_set_member_name (b, "credit_limit");
  json_builder_add_double_value (b, self->partner.credit_limit);
  json_builder_set_member_name (b, "exposure");
  json_builder_add_double_value (b, self->partner.exposure);
  json_builder_set_member_name (b, "overdue");
  json_builder_add_double_value (b, self->partner.overdue);
  json_builder_end_object (b);
  add_str (b, "company", self->company);
  add_str (b, "branch", self->branch);
  add_time (b, "requested_at", self->requested_at);
  if (self->status == CT_CASE_STATUS_DECIDED)
    {
      add_time (b, "decided_at", self->decided_at);
      add_str (b, "outcome", self->outcome);
    }

  json_builder_set_member_name (b, "requirements");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->requirements->len; i++)
    {
      CtRequirement *r = self->requirements->pdata[i];

      json_builder_begin_object (b);
      add_str (b, "source", ct_source_kind_to_string (r->source));
      add_str (b, "ref", r->source_ref);
      add_str (b, "approver", r->approver);
      add_str (b, "state", ct_approver_state_to_string (r->state));
      add_str (b, "actor", ct_actor_to_string (r->actor));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_strv (b, "reasons", self->reasons);

  json_builder_set_member_name (b, "sla");
  json_builder_begin_object (b);
  add_str (b, "state", ct_sla_status_to_string (self->sla.status));
  if (self->sla.status != CT_SLA_STATUS_NONE)
    {
      add_time (b, "due", self->sla.due);
      json_builder_set_member_name (b, "used");
      json_builder_add_double_value (b, self->sla.used);
      json_builder_set_member_name (b, "elapsed_seconds");
      json_builder_add_int_value (b, self->sla.elapsed_seconds);
      json_builder_set_member_name (b, "breached_seconds");
      json_builder_add_int_value (b, self->sla.breached_seconds);
      json_builder_set_member_name (b, "paused");
      json_builder_add_boolean_value (b, self->sla.paused);
      json_builder_set_member_name (b, "escalation_level");
      json_builder_add_int_value (b, self->sla.escalation_level);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "priority");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "score");
  json_builder_add_double_value (b, self->priority);
  json_builder_set_member_name (b, "components");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->priority_components->len; i++)
    {
      CtPriorityComponent *pc = self->priority_components->pdata[i];

      json_builder_begin_object (b);
      add_str (b, "name", pc->name);
      json_builder_set_member_name (b, "points");
      json_builder_add_double_value (b, pc->points);
      add_str (b, "explanation", pc->explanation);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "anomalies");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->anomalies->len; i++)
    {
      CtAnomaly *a = self->anomalies->pdata[i];

      json_builder_begin_object (b);
      add_str (b, "code", a->code);
      json_builder_set_member_name (b, "score");
      json_builder_add_double_value (b, a->score);
      add_str (b, "explanation", a->explanation);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  if (self->kind == CT_CASE_KIND_INCIDENT)
    {
      add_str (b, "incident", ct_incident_kind_to_string (self->incident_kind));
      add_str (b, "detail", self->detail);
      add_str (b, "failed_node", self->failed_node);
      add_str (b, "attempt_status", self->attempt_status);
      json_builder_set_member_name (b, "failures");
      json_builder_add_int_value (b, MAX (self->n_failures, 1));
      json_builder_set_member_name (b, "attempts");
      json_builder_add_int_value (b, MAX (self->n_attempts, 1));
      add_time (b, "first_failed_at", self->requested_at);
      add_time (b, "last_failed_at", self->last_failed_at ? self->last_failed_at
                                                          : self->requested_at);
      add_strv (b, "linked_cases", self->linked_keys);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* 2 added the grouped incident's fields at the end; 1 is still read. */
#define CASE_FORMAT 2

static void
put_u8 (GByteArray *out,
        guint8      v)
{
  g_byte_array_append (out, &v, 1);
}

static void
put_u32 (GByteArray *out,
         guint32     v)
{
  g_byte_array_append (out, (const guint8 *) &v, sizeof v);
}

static void
put_i64 (GByteArray *out,
         gint64      v)
{
  g_byte_array_append (out, (const guint8 *) &v, sizeof v);
}

static void
put_f64 (GByteArray *out,
         double      v)
{
  g_byte_array_append (out, (const guint8 *) &v, sizeof v);
}

static void
put_str (GByteArray *out,
         const char *s)
{
  if (s == NULL)
    {
      put_u32 (out, G_MAXUINT32);
      return;
    }
  put_u32 (out, (guint32) strlen (s));
  g_byte_array_append (out, (const guint8 *) s, (guint) strlen (s));
}

void
ct_case_serialize_to (CtCase     *self,
                      GByteArray *out)
{
  g_return_if_fail (CT_IS_CASE (self));

  put_u8 (out, CASE_FORMAT);
  put_u8 (out, self->kind);
  put_str (out, self->model);
  put_i64 (out, self->record_id);
  put_str (out, self->reference);
  put_str (out, self->title);
  put_str (out, self->area_id);
  put_str (out, self->queue_id);
  put_str (out, self->requester);
  put_i64 (out, self->requester_id);
  put_u32 (out, self->requirements->len);
  for (guint i = 0; i < self->requirements->len; i++)
    {
      CtRequirement *r = self->requirements->pdata[i];

      put_u8 (out, r->source);
      put_str (out, r->source_ref);
      put_i64 (out, r->approver_id);
      put_str (out, r->approver);
      /* The actor rides in the state byte's high half: snapshots written
       * before it existed read back as unknown. */
      put_u8 (out, r->state | (r->actor << 4));
      put_u32 (out, r->sequence);
    }
  put_f64 (out, self->amount);
  put_str (out, self->currency);
  put_i64 (out, self->partner.id);
  put_str (out, self->partner.name);
  put_str (out, self->partner.tier);
  put_f64 (out, self->partner.credit_limit);
  put_f64 (out, self->partner.exposure);
  put_f64 (out, self->partner.overdue);
  put_str (out, self->company);
  put_str (out, self->branch);
  put_i64 (out, self->requested_at);
  put_i64 (out, self->decided_at);
  put_str (out, self->outcome);
  put_u8 (out, self->breached_when_decided ? 1 : 0);
  put_u32 (out, self->reasons->len);
  for (guint i = 0; i < self->reasons->len; i++)
    put_str (out, self->reasons->pdata[i]);
  put_u8 (out, self->status);
  put_u32 (out, self->pauses->len);
  for (guint i = 0; i < self->pauses->len; i++)
    {
      CtPeriod *p = &g_array_index (self->pauses, CtPeriod, i);
      put_i64 (out, p->start);
      put_i64 (out, p->end);
    }
  put_u8 (out, self->urgent ? 1 : 0);
  put_i64 (out, self->shipment_cutoff);
  put_f64 (out, self->stock_criticality);
  put_f64 (out, self->discount);
  put_u8 (out, self->incident_kind);
  put_str (out, self->detail);
  put_u32 (out, self->linked_keys->len);
  for (guint i = 0; i < self->linked_keys->len; i++)
    put_str (out, self->linked_keys->pdata[i]);
  put_u32 (out, self->anomalies->len);
  for (guint i = 0; i < self->anomalies->len; i++)
    {
      CtAnomaly *a = self->anomalies->pdata[i];
      put_str (out, a->code);
      put_f64 (out, a->score);
      put_str (out, a->explanation);
    }
  put_str (out, self->failed_node);
  put_str (out, self->attempt_status);
  put_u32 (out, self->n_failures);
  put_u32 (out, self->n_attempts);
  put_i64 (out, self->last_failed_at);
}

GBytes *
ct_case_serialize (CtCase *self)
{
  GByteArray *out = g_byte_array_sized_new (256);

  ct_case_serialize_to (self, out);
  return g_byte_array_free_to_bytes (out);
}

gboolean
ct_case_equal (CtCase *a,
               CtCase *b)
{
  g_autoptr(GByteArray) x = NULL;
  g_autoptr(GByteArray) y = NULL;

  g_return_val_if_fail (CT_IS_CASE (a), FALSE);
  g_return_val_if_fail (CT_IS_CASE (b), FALSE);

  if (a == b)
    return TRUE;
  if (strcmp (a->key, b->key) != 0)
    return FALSE;
  /* The snapshot form holds exactly the non-derived fields, so comparing
   * it cannot forget a field added later. */
  x = g_byte_array_sized_new (512);
  y = g_byte_array_sized_new (512);
  ct_case_serialize_to (a, x);
  ct_case_serialize_to (b, y);
  return x->len == y->len && memcmp (x->data, y->data, x->len) == 0;
}

typedef struct
{
  const guint8 *p;
  const guint8 *end;
  gboolean      ok;
} Reader;

static gboolean
take (Reader  *r,
      gsize    n,
      gpointer out)
{
  if (!r->ok || (gsize) (r->end - r->p) < n)
    {
      r->ok = FALSE;
      return FALSE;
    }
  memcpy (out, r->p, n);
  r->p += n;
  return TRUE;
}

static guint8
get_u8 (Reader *r)
{
  guint8 v = 0;
  take (r, 1, &v);
  return v;
}

static guint32
get_u32 (Reader *r)
{
  guint32 v = 0;
  take (r, sizeof v, &v);
  return v;
}

static gint64
get_i64 (Reader *r)
{
  gint64 v = 0;
  take (r, sizeof v, &v);
  return v;
}

static double
get_f64 (Reader *r)
{
  double v = 0;
  take (r, sizeof v, &v);
  return v;
}

/* NULL for a NULL string or on error (then r->ok is FALSE). */
static char *
get_str (Reader *r)
{
  guint32 len = get_u32 (r);
  char *s;

  if (!r->ok || len == G_MAXUINT32)
    return NULL;
  if ((gsize) (r->end - r->p) < len || !g_utf8_validate ((const char *) r->p, len, NULL))
    {
      r->ok = FALSE;
      return NULL;
    }
  s = g_strndup ((const char *) r->p, len);
  r->p += len;
  return s;
}

/* A count must fit in what is left, or a few junk bytes could ask for
 * billions of items. */
static guint32
get_count (Reader *r,
           gsize   min_item_size)
{
  guint32 n = get_u32 (r);

  if (r->ok && (gsize) n > (gsize) (r->end - r->p) / min_item_size)
    r->ok = FALSE;
  return r->ok ? n : 0;
}

CtCase *
ct_case_deserialize (const guint8 *data,
                     gsize         length)
{
  Reader r = { data, data + length, data != NULL };
  g_autoptr(CtCase) self = NULL;
  g_autofree char *model = NULL;
  guint8 kind;
  gint64 record_id;
  guint32 n;
  guint8 format;

  format = get_u8 (&r);
  if (format != CASE_FORMAT && format != 1)
    return NULL;
  kind = get_u8 (&r);
  model = get_str (&r);
  record_id = get_i64 (&r);
  if (!r.ok || model == NULL || *model == '\0' || kind > CT_CASE_KIND_INCIDENT)
    return NULL;

  self = ct_case_new (model, record_id);
  self->kind = kind;
  self->reference = get_str (&r);
  self->title = get_str (&r);
  self->area_id = get_str (&r);
  self->queue_id = get_str (&r);
  self->requester = get_str (&r);
  self->requester_id = get_i64 (&r);
  n = get_count (&r, 22);
  for (guint32 i = 0; i < n && r.ok; i++)
    {
      guint8 source = get_u8 (&r);
      g_autofree char *ref = get_str (&r);
      gint64 approver_id = get_i64 (&r);
      g_autofree char *approver = get_str (&r);
      guint8 state_actor = get_u8 (&r);
      guint8 state = state_actor & 0x0f, actor = state_actor >> 4;
      guint32 seq = get_u32 (&r);

      if (r.ok && ref != NULL && source <= CT_SOURCE_KIND_QUEUE_JOB &&
          state <= CT_APPROVER_STATE_REJECTED && actor <= CT_ACTOR_SOMEONE_ELSE)
        ct_case_add_requirement (self, source, ref, approver_id, approver, state, seq)->actor = actor;
      else
        r.ok = FALSE;
    }
  self->amount = get_f64 (&r);
  self->currency = get_str (&r);
  self->partner.id = get_i64 (&r);
  self->partner.name = get_str (&r);
  self->partner.tier = get_str (&r);
  self->partner.credit_limit = get_f64 (&r);
  self->partner.exposure = get_f64 (&r);
  self->partner.overdue = get_f64 (&r);
  self->company = get_str (&r);
  self->branch = get_str (&r);
  self->requested_at = get_i64 (&r);
  self->decided_at = get_i64 (&r);
  self->outcome = get_str (&r);
  self->breached_when_decided = get_u8 (&r) != 0;
  n = get_count (&r, 4);
  for (guint32 i = 0; i < n && r.ok; i++)
    {
      char *s = get_str (&r);

      if (s != NULL)
        g_ptr_array_add (self->reasons, s);
    }
  self->status = get_u8 (&r);
  if (self->status > CT_CASE_STATUS_DECIDED)
    r.ok = FALSE;
  n = get_count (&r, 16);
  for (guint32 i = 0; i < n && r.ok; i++)
    {
      CtPeriod p;

      p.start = get_i64 (&r);
      p.end = get_i64 (&r);
      g_array_append_val (self->pauses, p);
    }
  self->urgent = get_u8 (&r) != 0;
  self->shipment_cutoff = get_i64 (&r);
  self->stock_criticality = get_f64 (&r);
  self->discount = get_f64 (&r);
  self->incident_kind = get_u8 (&r);
  if (self->incident_kind > CT_INCIDENT_QUEUE_JOB_STUCK)
    r.ok = FALSE;
  self->detail = get_str (&r);
  n = get_count (&r, 4);
  for (guint32 i = 0; i < n && r.ok; i++)
    {
      char *s = get_str (&r);

      if (s != NULL)
        g_ptr_array_add (self->linked_keys, s);
    }
  n = get_count (&r, 16);
  for (guint32 i = 0; i < n && r.ok; i++)
    {
      g_autofree char *code = get_str (&r);
      double score = get_f64 (&r);
      g_autofree char *expl = get_str (&r);

      if (r.ok)
        ct_case_add_anomaly (self, code, score, expl);
    }
  if (format >= 2)
    {
      self->failed_node = get_str (&r);
      self->attempt_status = get_str (&r);
      self->n_failures = get_u32 (&r);
      self->n_attempts = get_u32 (&r);
      self->last_failed_at = get_i64 (&r);
    }
  /* Trailing bytes mean this is not what we wrote. */
  if (!r.ok || r.p != r.end)
    return NULL;

  ct_case_update_search_text (self);
  return g_steal_pointer (&self);
}

static const char *status_names[] = { "pending", "upcoming", "awaiting-revision", "decided" };

const char *
ct_case_status_to_string (CtCaseStatus status)
{
  return (guint) status < G_N_ELEMENTS (status_names) ? status_names[status] : "unknown";
}

gboolean
ct_case_status_from_string (const char   *str,
                            CtCaseStatus *status)
{
  for (guint i = 0; str && i < G_N_ELEMENTS (status_names); i++)
    if (strcmp (str, status_names[i]) == 0)
      {
        *status = (CtCaseStatus) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ct_approver_state_to_string (CtApproverState state)
{
  static const char *names[] = { "pending", "waiting", "approved", "rejected" };

  return (guint) state < G_N_ELEMENTS (names) ? names[state] : "unknown";
}

const char *
ct_actor_to_string (CtActor actor)
{
  static const char *names[] = { "unknown", "you", "someone-else" };

  return (guint) actor < G_N_ELEMENTS (names) ? names[actor] : "unknown";
}
