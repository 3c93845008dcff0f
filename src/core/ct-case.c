/* ct-case.c - One pending record (or one incident) as the tower shows it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-case"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ct-case.h"

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
  g_autoptr(GVariant) v = g_variant_ref_sink (ct_case_serialize (self));
  CtCase *copy = ct_case_deserialize (v);

  copy->sla = self->sla;
  copy->priority = self->priority;
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

void
ct_case_add_requirement (CtCase          *self,
                         CtSourceKind     source,
                         const char      *source_ref,
                         gint64           approver_id,
                         const char      *approver,
                         CtApproverState  state,
                         guint            sequence)
{
  CtRequirement *r = NULL;

  g_return_if_fail (CT_IS_CASE (self));
  g_return_if_fail (source_ref != NULL);

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

void
ct_case_add_pause (CtCase *self,
                   gint64  start,
                   gint64  end)
{
  CtPeriod p = { start, end };

  for (guint i = 0; i < self->pauses->len; i++)
    {
      CtPeriod *e = &g_array_index (self->pauses, CtPeriod, i);

      if (e->start == start)
        {
          e->end = end;
          return;
        }
    }
  g_array_append_val (self->pauses, p);
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
                               r->state, r->sequence);
    }
  for (guint i = 0; i < other->reasons->len; i++)
    ct_case_add_reason (self, other->reasons->pdata[i]);
  for (guint i = 0; i < other->pauses->len; i++)
    {
      CtPeriod *p = &g_array_index (other->pauses, CtPeriod, i);
      ct_case_add_pause (self, p->start, p->end);
    }
  /* The earliest request starts the clock; pending beats upcoming. */
  if (other->requested_at > 0 && (self->requested_at == 0 || other->requested_at < self->requested_at))
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

static void
append_folded (GString    *out,
               const char *text)
{
  g_autofree char *nfd = NULL;
  g_autofree char *folded = NULL;

  if (text == NULL || *text == '\0')
    return;
  /* Decompose, fold case, and drop combining marks, so "Société" is found
   * by "societe" and "SOCIÉTÉ". */
  nfd = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  if (nfd == NULL)
    return;
  folded = g_utf8_casefold (nfd, -1);
  for (const char *p = folded; *p; p = g_utf8_next_char (p))
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

#define S(x) ((x) ? (x) : "")

GVariant *
ct_case_serialize (CtCase *self)
{
  GVariantBuilder reqs, reasons, pauses, links, anomalies;

  g_variant_builder_init (&reqs, G_VARIANT_TYPE ("a(usxsuu)"));
  for (guint i = 0; i < self->requirements->len; i++)
    {
      CtRequirement *r = self->requirements->pdata[i];
      g_variant_builder_add (&reqs, "(usxsuu)", (guint32) r->source, S (r->source_ref),
                             (gint64) r->approver_id, S (r->approver), (guint32) r->state,
                             (guint32) r->sequence);
    }
  g_variant_builder_init (&reasons, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint i = 0; i < self->reasons->len; i++)
    g_variant_builder_add (&reasons, "s", (const char *) self->reasons->pdata[i]);
  g_variant_builder_init (&pauses, G_VARIANT_TYPE ("a(xx)"));
  for (guint i = 0; i < self->pauses->len; i++)
    {
      CtPeriod *p = &g_array_index (self->pauses, CtPeriod, i);
      g_variant_builder_add (&pauses, "(xx)", (gint64) p->start, (gint64) p->end);
    }
  g_variant_builder_init (&links, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint i = 0; i < self->linked_keys->len; i++)
    g_variant_builder_add (&links, "s", (const char *) self->linked_keys->pdata[i]);
  g_variant_builder_init (&anomalies, G_VARIANT_TYPE ("a(sds)"));
  for (guint i = 0; i < self->anomalies->len; i++)
    {
      CtAnomaly *a = self->anomalies->pdata[i];
      g_variant_builder_add (&anomalies, "(sds)", S (a->code), a->score, S (a->explanation));
    }

  return g_variant_new (CT_CASE_VARIANT_TYPE_STRING,
                        (guint32) self->kind, S (self->model), (gint64) self->record_id,
                        S (self->reference), S (self->title), S (self->area_id),
                        S (self->queue_id), S (self->requester), (gint64) self->requester_id,
                        &reqs, self->amount, S (self->currency),
                        (gint64) self->partner.id, S (self->partner.name), S (self->partner.tier),
                        self->partner.credit_limit, self->partner.exposure, self->partner.overdue,
                        S (self->company), S (self->branch), (gint64) self->requested_at,
                        (gint64) self->decided_at, S (self->outcome),
                        (gboolean) self->breached_when_decided, &reasons, (guint32) self->status,
                        &pauses, (gboolean) self->urgent, (gint64) self->shipment_cutoff,
                        self->stock_criticality, self->discount, (guint32) self->incident_kind,
                        S (self->detail), &links, &anomalies);
}

#undef S

static char *
nullable (const char *s)
{
  return s && *s ? g_strdup (s) : NULL;
}

CtCase *
ct_case_deserialize (GVariant *variant)
{
  g_autoptr(GVariantIter) reqs = NULL;
  g_autoptr(GVariantIter) reasons = NULL;
  g_autoptr(GVariantIter) pauses = NULL;
  g_autoptr(GVariantIter) links = NULL;
  g_autoptr(GVariantIter) anomalies = NULL;
  const char *model, *reference, *title, *area_id, *queue_id, *requester, *currency;
  const char *pname, *ptier, *company, *branch, *outcome, *detail;
  guint32 kind, status, incident_kind;
  gint64 record_id, requester_id, pid, requested_at, decided_at, cutoff;
  double amount, limit, exposure, overdue, stock, discount;
  gboolean breached, urgent;
  CtCase *self;

  if (variant == NULL ||
      !g_variant_is_of_type (variant, G_VARIANT_TYPE (CT_CASE_VARIANT_TYPE_STRING)))
    return NULL;

  g_variant_get (variant, CT_CASE_VARIANT_TYPE_STRING,
                 &kind, &model, &record_id, &reference, &title, &area_id, &queue_id, &requester,
                 &requester_id, &reqs, &amount, &currency, &pid, &pname, &ptier, &limit,
                 &exposure, &overdue, &company, &branch, &requested_at, &decided_at, &outcome,
                 &breached, &reasons, &status, &pauses, &urgent, &cutoff, &stock, &discount,
                 &incident_kind, &detail, &links, &anomalies);
  /* The format uses "s", not "&s", so the strings are copies: freed below. */
  if (*model == '\0' || kind > CT_CASE_KIND_INCIDENT || status > CT_CASE_STATUS_DECIDED ||
      incident_kind > CT_INCIDENT_QUEUE_JOB_STUCK)
    {
      g_free ((char *) model); g_free ((char *) reference); g_free ((char *) title);
      g_free ((char *) area_id); g_free ((char *) queue_id); g_free ((char *) requester);
      g_free ((char *) currency); g_free ((char *) pname); g_free ((char *) ptier);
      g_free ((char *) company); g_free ((char *) branch); g_free ((char *) outcome);
      g_free ((char *) detail);
      return NULL;
    }

  self = ct_case_new (model, record_id);
  self->kind = kind;
  self->reference = nullable (reference);
  self->title = nullable (title);
  self->area_id = nullable (area_id);
  self->queue_id = nullable (queue_id);
  self->requester = nullable (requester);
  self->requester_id = requester_id;
  self->amount = amount;
  self->currency = nullable (currency);
  self->partner.id = pid;
  self->partner.name = nullable (pname);
  self->partner.tier = nullable (ptier);
  self->partner.credit_limit = limit;
  self->partner.exposure = exposure;
  self->partner.overdue = overdue;
  self->company = nullable (company);
  self->branch = nullable (branch);
  self->requested_at = requested_at;
  self->decided_at = decided_at;
  self->outcome = nullable (outcome);
  self->breached_when_decided = breached;
  self->status = status;
  self->urgent = urgent;
  self->shipment_cutoff = cutoff;
  self->stock_criticality = stock;
  self->discount = discount;
  self->incident_kind = incident_kind;
  self->detail = nullable (detail);
  g_free ((char *) model); g_free ((char *) reference); g_free ((char *) title);
  g_free ((char *) area_id); g_free ((char *) queue_id); g_free ((char *) requester);
  g_free ((char *) currency); g_free ((char *) pname); g_free ((char *) ptier);
  g_free ((char *) company); g_free ((char *) branch); g_free ((char *) outcome);
  g_free ((char *) detail);

  {
    guint32 src, st, seq;
    const char *ref, *who;
    gint64 aid;

    while (g_variant_iter_next (reqs, "(u&sx&suu)", &src, &ref, &aid, &who, &st, &seq))
      if (src <= CT_SOURCE_KIND_QUEUE_JOB && st <= CT_APPROVER_STATE_REJECTED)
        ct_case_add_requirement (self, src, ref, aid, *who ? who : NULL, st, seq);
  }
  {
    const char *s;
    while (g_variant_iter_next (reasons, "&s", &s))
      g_ptr_array_add (self->reasons, g_strdup (s));
    while (g_variant_iter_next (links, "&s", &s))
      g_ptr_array_add (self->linked_keys, g_strdup (s));
  }
  {
    gint64 a, b;
    while (g_variant_iter_next (pauses, "(xx)", &a, &b))
      ct_case_add_pause (self, a, b);
  }
  {
    const char *code, *expl;
    double score;
    while (g_variant_iter_next (anomalies, "(&sd&s)", &code, &score, &expl))
      ct_case_add_anomaly (self, code, score, expl);
  }
  ct_case_update_search_text (self);
  return self;
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
