/* ct-profile.h - The governance profile: areas, calendars, SLAs, queues, rules
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ct-calendar.h"

G_BEGIN_DECLS

#define CT_PROFILE_ERROR (ct_profile_error_quark ())

typedef enum
{
  CT_PROFILE_ERROR_IO,        /* the file cannot be read */
  CT_PROFILE_ERROR_SYNTAX,    /* not JSON */
  CT_PROFILE_ERROR_INVALID,   /* JSON, but not a valid profile */
} CtProfileError;

/* The approval mechanisms a queue reads from (ARCHITECTURE.md, Sources). */
typedef enum
{
  CT_SOURCE_KIND_TIER_VALIDATION,
  CT_SOURCE_KIND_APPROVALS,
  CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION,
  CT_SOURCE_KIND_ACTIVITY,
  CT_SOURCE_KIND_N8N,                     /* incidents only, never in a profile queue */
  CT_SOURCE_KIND_CRON,
  CT_SOURCE_KIND_QUEUE_JOB,
} CtSourceKind;

typedef enum
{
  CT_RULE_OP_GT,
  CT_RULE_OP_GE,
  CT_RULE_OP_LT,
  CT_RULE_OP_LE,
  CT_RULE_OP_EQ,
  CT_RULE_OP_NE,
} CtRuleOp;

typedef struct
{
  char   *customer_tier;  /* (nullable) applies when the partner has this tier */
  gboolean urgent;        /* applies when the case is an urgent shipment */
  gint64  window_seconds;
} CtSlaOverride;

typedef struct
{
  gint64     window_seconds;   /* breach after this much business time */
  double     warning_ratio;    /* at risk from this share of the window (0–1) */
  GPtrArray *overrides;        /* (element-type CtSlaOverride) shortest matching wins */
} CtSlaRule;

typedef struct
{
  guint   level;               /* 1, 2, … */
  gint64  after_seconds;       /* business time since the request */
  GStrv   targets;             /* "user:<login>" or "group:<xmlid>" */
} CtEscalationLevel;

typedef struct
{
  char      *id;
  GPtrArray *levels;           /* (element-type CtEscalationLevel) ascending after_seconds */
} CtEscalationChain;

typedef struct
{
  char              *id;
  char              *label;
  char              *icon_name;
  CtCalendar        *calendar;     /* (owned) */
  CtSlaRule          sla;
  CtEscalationChain *escalation;   /* (nullable) (unowned) */
  guint              index;        /* position in the profile, for per-area arrays */
} CtArea;

/* Which record fields fill a case. Empty strings mean "not available". */
typedef struct
{
  char *amount;
  char *currency;
  char *requester;
  char *branch;
  char *partner;
  char *company;
  char *reference;
  char *title;
  char *discount;
  char *shipment_date;
} CtQueueFields;

typedef struct
{
  char          *id;
  char          *label;
  CtSourceKind   kind;
  char          *model;          /* the reviewed/approved record's model */
  char          *domain_json;    /* Odoo domain, serialised JSON array */
  char          *area_id;        /* (nullable) fixed area */
  char          *area_field;     /* (nullable) record field whose value picks the area */
  GHashTable    *area_map;       /* (nullable) field value → area id */
  char          *default_area;   /* (nullable) when area_map has no entry */
  GStrv          activity_types; /* (nullable) for CT_SOURCE_KIND_ACTIVITY: type xmlids */
  CtQueueFields  fields;
} CtQueue;

/* Where a case record's lines are (purchase.order → purchase.order.line by
 * order_id) and which line fields fill the case view's table. A NULL field
 * is not shown. */
typedef struct
{
  char *model;
  char *line_model;
  char *link;            /* the line's many2one to the record */
  char *product;
  char *description;
  char *quantity;
  char *unit;
  char *price_unit;
  char *discount;
  char *subtotal;
  char *total;
} CtLineMapping;

typedef struct
{
  char     *id;
  GStrv     areas;           /* (nullable) NULL = every area */
  char     *field;           /* record field compared, e.g. "discount" or "partner.overdue" */
  CtRuleOp  op;
  double    limit;
  char     *message;         /* "discount {value} % > {limit} % limit"; {currency} too */
} CtReasonRule;

typedef struct
{
  gint64 n8n_running_seconds;
  gint64 n8n_waiting_seconds;
  gint64 cron_grace_seconds;
  gint64 queue_job_started_seconds;
} CtIncidentThresholds;

typedef struct
{
  double value_weight;           /* points at the confirmation amount */
  double cutoff_weight;          /* points when the shipment cut-off is now */
  gint64 cutoff_horizon_seconds; /* no points beyond this */
  double strategic_weight;       /* points for a strategic customer */
  double stock_weight;           /* points at full stock criticality */
} CtPriorityWeights;

typedef struct
{
  double threshold;              /* robust z-score above which a value is anomalous */
  guint  min_history;            /* fewer past values say nothing */
} CtAnomalySettings;

#define CT_TYPE_PROFILE (ct_profile_get_type ())

G_DECLARE_FINAL_TYPE (CtProfile, ct_profile, CT, PROFILE, GObject)

GQuark              ct_profile_error_quark          (void);

/* The distributor profile shipped in the core resources. Never fails. */
CtProfile          *ct_profile_new_default          (void);
/* Errors read `name:line:column: what is wrong`; @name is shown as given. */
CtProfile          *ct_profile_new_from_data        (const char      *data,
                                                     gssize           length,
                                                     const char      *name,
                                                     GError         **error);
CtProfile          *ct_profile_new_from_file        (GFile           *file,
                                                     GError         **error);
/* Loads @file, or returns @last_good (ref'd) — the built-in default when
 * @last_good is NULL — with @error set, so a bad edit never leaves the app
 * without a profile. */
CtProfile          *ct_profile_load_or_keep         (GFile           *file,
                                                     CtProfile       *last_good,
                                                     GError         **error);

const char         *ct_profile_get_name             (CtProfile       *self);
guint               ct_profile_get_n_areas          (CtProfile       *self);
const CtArea       *ct_profile_get_area             (CtProfile       *self,
                                                     guint            index);
const CtArea       *ct_profile_find_area            (CtProfile       *self,
                                                     const char      *id);
guint               ct_profile_get_n_queues         (CtProfile       *self);
const CtQueue      *ct_profile_get_queue            (CtProfile       *self,
                                                     guint            index);
const CtQueue      *ct_profile_find_queue           (CtProfile       *self,
                                                     const char      *id);
/* A queue (of another mechanism) on records of @model whose mapping names
 * their amount or partner: how to read a record an activity sits on. */
const CtQueue      *ct_profile_find_queue_for_model (CtProfile       *self,
                                                     const char      *model);
CtCalendar         *ct_profile_find_calendar        (CtProfile       *self,
                                                     const char      *id);
const CtEscalationChain *ct_profile_find_escalation (CtProfile       *self,
                                                     const char      *id);
guint               ct_profile_get_n_reason_rules   (CtProfile       *self);
const CtReasonRule *ct_profile_get_reason_rule      (CtProfile       *self,
                                                     guint            index);
/* The line mapping for records of @model, or NULL. */
const CtLineMapping *ct_profile_find_lines          (CtProfile       *self,
                                                     const char      *model);
double              ct_profile_get_confirm_amount   (CtProfile       *self);
const char         *ct_profile_get_currency         (CtProfile       *self);
const CtIncidentThresholds *ct_profile_get_incident_thresholds (CtProfile *self);
const CtPriorityWeights    *ct_profile_get_priority_weights    (CtProfile *self);
const CtAnomalySettings    *ct_profile_get_anomaly_settings    (CtProfile *self);

/* The area a record of @queue belongs to, from its values (an Odoo record as
 * read with search_read). Many2one values ([id, "name"]) match by id or name. */
const CtArea       *ct_profile_area_for_record      (CtProfile       *self,
                                                     const CtQueue   *queue,
                                                     JsonObject      *record);
/* The reasons (explained strings) why @record needs approval in @area_id.
 * @record may hold nested objects ("partner": {"overdue": …}); dotted rule
 * fields walk them. */
GPtrArray          *ct_profile_explain              (CtProfile       *self,
                                                     const char      *area_id,
                                                     JsonObject      *record,
                                                     const char      *currency);
/* The same for @record seen through @facts (nullable): a rule field whose
 * first part @facts holds is read there, any other in @record, as if
 * @facts' members were set on a copy of @record, without the copy. */
GPtrArray          *ct_profile_explain_record       (CtProfile       *self,
                                                     const char      *area_id,
                                                     JsonObject      *facts,
                                                     JsonObject      *record,
                                                     const char      *currency);
/* The "partner" object the rules see (partner.credit_limit, .exposure,
 * .overdue, .exposure_ratio in % of the limit): a figure that is NAN (not
 * readable) is left out, and so is the ratio without a positive limit. */
JsonObject         *ct_profile_partner_facts        (double           credit_limit,
                                                     double           exposure,
                                                     double           overdue);
/* Whether approving @amount asks for a confirmation first. */
gboolean            ct_profile_needs_confirmation   (CtProfile       *self,
                                                     double           amount);

const char         *ct_source_kind_to_string        (CtSourceKind     kind);
gboolean            ct_source_kind_from_string      (const char      *str,
                                                     CtSourceKind    *kind);
/* "12 400" / "3.5": how numbers appear in reasons (one decimal at most). */
char               *ct_format_number                (double           value);
/* The same with up to @decimals decimals, none when they are all zeros:
 * "10 498.60", "12 400". */
char               *ct_format_number_decimals       (double           value,
                                                     guint            decimals);
/* "10 498.60 EUR": an amount with its cents and currency (none when NULL). */
char               *ct_format_money                 (double           value,
                                                     const char      *currency);

G_END_DECLS
