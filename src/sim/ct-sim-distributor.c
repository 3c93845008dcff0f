/* ct-sim-distributor.c - The generated distributor: a deterministic demo company
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Northwind Distribution": three regional branches with warehouses,
 * customers (credit limit, exposure, overdue, tier), vendors (some new and
 * pending onboarding), products, and approval cases in every area, through
 * all four mechanisms Odoo offers: OCA tier.review on the document, Odoo
 * Approvals (approval.request), purchase double validation ("to approve") and
 * mail.activity approval activities. Pending cases are spread in age so some
 * are on track, some at risk and some breached; 90 days of decided cases give
 * cycle-time history. Everything derives from --seed: the same seed gives the
 * same database, id for id.
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ct-sim-datasets.h"
#include "ct-sim-schema.h"

#define UID_ADMIN     2
#define UID_MANAGER   6
#define UID_APPROVER  7
#define UID_REQUESTER 8
#define UID_NORIGHT   9

#define ACTIVITY_APPROVAL 6
#define CURRENCY_EUR      2
/* The companies' purchase double-validation threshold: the same 5 000 as the
 * default profile's "po-amount" reason and the recorded server, so the
 * reason a case shows and the rule that made it wait agree. */
#define DOUBLE_VALIDATION_AMOUNT 5000

typedef enum
{
  AREA_SALES,
  AREA_CREDIT,
  AREA_PROCUREMENT,
  AREA_INVENTORY,
  AREA_RETURNS,
  AREA_VENDOR,
  AREA_INVOICE,
  N_AREAS
} Area;

typedef enum
{
  MECH_TIER,
  MECH_APPROVAL,
  MECH_DOUBLE_VALIDATION,
  MECH_ACTIVITY,
} Mechanism;

static const char *const area_keys[] = { "sales", "credit", "procurement", "inventory", "returns",
                                         "vendor", "invoice" };
/* The names the default profile maps to its areas (approvals: category_id). */
static const char *const category_names[] = { "Discount override", "Credit release",
                                              "Purchase request", "Write-off",
                                              "Return or claim", "Vendor onboarding",
                                              "Invoice discrepancy" };

/* People per region and role: each region has requesters, approvers and a
 * manager; one finance controller signs off invoices everywhere. The five
 * logins of the tests keep their uids (central region). */
typedef enum
{
  ROLE_REQUESTER,
  ROLE_APPROVER,
  ROLE_MANAGER,
  ROLE_CONTROLLER,
} Role;

#define N_REGIONS      3
#define UID_CONTROLLER 30

typedef struct
{
  gint64      uid;
  const char *login;
  const char *name;
  guint       region;
  Role        role;
} Person;

static const Person people[] = {
  { 20, "jonas.berg", "Jonas Berg", 0, ROLE_REQUESTER },
  { 21, "ingrid.holm", "Ingrid Holm", 0, ROLE_REQUESTER },
  { 22, "lena.fischer", "Lena Fischer", 0, ROLE_APPROVER },
  { 23, "pieter.devries", "Pieter de Vries", 0, ROLE_APPROVER },
  { 24, "sven.olsen", "Sven Olsen", 0, ROLE_MANAGER },
  { UID_REQUESTER, NULL, NULL, 1, ROLE_REQUESTER },
  { 25, "marta.kowalska", "Marta Kowalska", 1, ROLE_REQUESTER },
  { UID_APPROVER, NULL, NULL, 1, ROLE_APPROVER },
  { 26, "claire.dubois", "Claire Dubois", 1, ROLE_APPROVER },
  { UID_MANAGER, NULL, NULL, 1, ROLE_MANAGER },
  { 27, "lucia.romero", "Lucía Romero", 2, ROLE_REQUESTER },
  { 28, "marco.bianchi", "Marco Bianchi", 2, ROLE_REQUESTER },
  { 29, "sofia.costa", "Sofia Costa", 2, ROLE_APPROVER },
  { 31, "nikos.papadakis", "Nikos Papadakis", 2, ROLE_APPROVER },
  { 32, "elena.ruiz", "Elena Ruiz", 2, ROLE_MANAGER },
  { UID_CONTROLLER, "hannah.weber", "Hannah Weber", 1, ROLE_CONTROLLER },
};

typedef struct
{
  CtSimOdoo  *odoo;
  CtSimDb    *db;
  GRand      *rand;
  gint64      now;        /* unix seconds */
  GArray     *links;
  /* models */
  CtSimModel *partners, *products, *sales, *sale_lines, *purchases, *purchase_lines, *pickings,
             *quants, *scraps, *moves, *reviews, *requests, *approvers, *messages, *activities,
             *attachments, *jobs, *warehouses;
  /* pools */
  guint       n_customers, n_vendors, n_products;
  gint64      first_customer, first_vendor, first_product;
  gint64      tier_definition[N_AREAS];
  gint64      category[N_AREAS];
  guint       counter[8];
  guint       region;     /* of the case being made */
  gint64      picking_type[N_REGIONS];
  /* Business minutes before now, every 5 minutes back (office calendar). */
  GArray     *business;
  /* The longest-waiting credit releases (sale order rows, oldest first):
   * what the failing credit bureau check holds up. */
  guint       credit_rows[3];
  gint64      credit_created[3];
  guint       n_credit;
} Gen;

const char *
ct_sim_dataset_distributor_api_key (guint64     seed,
                                    const char *login)
{
  static char keys[5][41];
  static const char *const logins[] = { "admin", "manager", "approver", "requester", "noright" };

  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    if (g_strcmp0 (logins[i], login) == 0)
      {
        g_autofree char *input = g_strdup_printf ("ct-sim:%" G_GUINT64_FORMAT ":%s", seed, login);
        g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA1, input, -1);

        g_strlcpy (keys[i], sha, sizeof keys[i]);
        return keys[i];
      }
  return NULL;
}

/* "YYYY-MM-DD HH:MM:SS" of a unix time, interned; faster than GDateTime for
 * the hundreds of thousands of timestamps a big dataset needs. */
static const char *
datetime_at (Gen    *g,
             gint64  t)
{
  time_t tt = (time_t) t;
  struct tm tm;
  char buf[96];

  gmtime_r (&tt, &tm);
  snprintf (buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
            tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return ct_sim_db_intern (g->db, buf);
}

static const char *
date_at (Gen    *g,
         gint64  t)
{
  time_t tt = (time_t) t;
  struct tm tm;
  char buf[48];

  gmtime_r (&tt, &tm);
  snprintf (buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return ct_sim_db_intern (g->db, buf);
}

static gint64
pick (Gen   *g,
      gint64 first,
      guint  n)
{
  return first + g_rand_int_range (g->rand, 0, (gint32) n);
}

static double
money (Gen   *g,
       double lo,
       double hi)
{
  double v = g_rand_double_range (g->rand, lo, hi);

  return (double) ((gint64) (v * 100)) / 100.0;
}

static const char *fmt (Gen *g, const char *format, ...) G_GNUC_PRINTF (2, 3);

static const char *
fmt (Gen        *g,
     const char *format,
     ...)
{
  char buf[256];
  va_list args;

  va_start (args, format);
  g_vsnprintf (buf, sizeof buf, format, args);
  va_end (args);
  return ct_sim_db_intern (g->db, buf);
}

/* Keeps @row among the three oldest pending credit releases. */
static void
note_credit_release (Gen    *g,
                     guint   row,
                     gint64  created)
{
  guint at = g->n_credit;

  while (at > 0 && g->credit_created[at - 1] > created)
    at--;
  if (at >= G_N_ELEMENTS (g->credit_rows))
    return;
  for (guint i = MIN (g->n_credit, G_N_ELEMENTS (g->credit_rows) - 1); i > at; i--)
    {
      g->credit_rows[i] = g->credit_rows[i - 1];
      g->credit_created[i] = g->credit_created[i - 1];
    }
  g->credit_rows[at] = row;
  g->credit_created[at] = created;
  g->n_credit = MIN (g->n_credit + 1, G_N_ELEMENTS (g->credit_rows));
}

static void
add_link (Gen        *g,
          const char *model,
          gint64      id,
          const char *name)
{
  CtSimLink link = { g_strdup (model), id, g_strdup (name), NULL };

  if (g->links != NULL && g->links->len < 400)
    g_array_append_val (g->links, link);
  else
    {
      g_free (link.model);
      g_free (link.name);
    }
}

/* Chatter */

static void
post (Gen        *g,
      CtSimModel *model,
      guint       row,
      gint64      author_partner,
      const char *body,
      gint64      when,
      gint64      subtype)
{
  guint m = ct_sim_model_new_row (g->messages, 0);
  gint64 id = ct_sim_model_row_id (g->messages, m);

  ct_sim_model_set_str (g->messages, m, "body", body);
  ct_sim_model_set_str (g->messages, m, "preview", "");
  ct_sim_model_set_str (g->messages, m, "model", model->name);
  ct_sim_model_set_int (g->messages, m, "res_id", ct_sim_model_row_id (model, row));
  ct_sim_model_set_int (g->messages, m, "author_id", author_partner);
  ct_sim_model_set_str (g->messages, m, "date", datetime_at (g, when));
  ct_sim_model_set_str (g->messages, m, "create_date", datetime_at (g, when));
  ct_sim_model_set_str (g->messages, m, "message_type", subtype == 1 ? "comment" : "notification");
  ct_sim_model_set_int (g->messages, m, "subtype_id", subtype);
  ct_sim_model_set_int (g->messages, m, "is_internal", subtype == 2);
  {
    g_autofree char *record_name = ct_sim_model_display_name (model, row);

    ct_sim_model_set_str (g->messages, m, "record_name", record_name);
  }
  ct_sim_model_add_id (model, row, "message_ids", id);
}

static void
attach (Gen        *g,
        CtSimModel *model,
        guint       row,
        const char *name,
        const char *mimetype,
        gint64      when)
{
  guint a = ct_sim_model_new_row (g->attachments, 0);

  ct_sim_model_set_str (g->attachments, a, "name", name);
  ct_sim_model_set_str (g->attachments, a, "res_model", model->name);
  ct_sim_model_set_int (g->attachments, a, "res_id", ct_sim_model_row_id (model, row));
  ct_sim_model_set_str (g->attachments, a, "mimetype", mimetype);
  ct_sim_model_set_int (g->attachments, a, "file_size", 20000 + g_rand_int_range (g->rand, 0, 900000));
  ct_sim_model_set_str (g->attachments, a, "type", "binary");
  ct_sim_model_set_str (g->attachments, a, "create_date", datetime_at (g, when));
  ct_sim_model_set_int (g->attachments, a, "create_uid", UID_REQUESTER);
}

static gint64
user_partner (gint64 uid)
{
  return uid + 100;   /* partners 102..109 are the users' */
}

/* Names a person recognises, derived from the index alone (no draw from
 * the seed, so adding a name never shifts the rest of the data). */
static const char *
customer_name (Gen   *g,
               guint  i)
{
  static const char *const first[] = { "Alpine", "Harbor", "Northgate", "Riverside", "Summit", "Oakwood",
                                        "Lakeside", "Metro", "Bayview", "Pinecrest", "Granite", "Meadow",
                                        "Coastal", "Valley", "Crown", "Beacon", "Juniper", "Hillcrest" };
  static const char *const second[] = { "Foods", "Grocers", "Markets", "Pharmacy", "Wholesale",
                                         "Cash & Carry", "Trading", "Supermarkets", "Retail", "Delicatessen",
                                         "Hospitality", "Convenience" };
  guint a = i % G_N_ELEMENTS (first), b = (i / G_N_ELEMENTS (first)) % G_N_ELEMENTS (second);
  guint round = i / (G_N_ELEMENTS (first) * G_N_ELEMENTS (second));

  return round == 0 ? fmt (g, "%s %s", first[a], second[b])
                    : fmt (g, "%s %s %u", first[a], second[b], round + 1);
}

static const char *
vendor_name (Gen   *g,
             guint  i)
{
  static const char *const first[] = { "Nordic", "Atlas", "Delta", "Evergreen", "Pacific", "Sterling",
                                        "Orion", "Vertex", "Cascade", "Heritage", "Apex", "Meridian", "Solano" };
  static const char *const second[] = { "Beverages", "Dairy", "Frozen Foods", "Pharma Supply", "Electronics",
                                         "Household Goods", "Tobacco", "Spirits", "Packaging", "Logistics",
                                         "Fresh Produce" };
  static const char *const form[] = { "Ltd", "GmbH", "B.V.", "S.A.", "AB" };
  guint a = i % G_N_ELEMENTS (first), b = (i / G_N_ELEMENTS (first)) % G_N_ELEMENTS (second);
  guint round = i / (G_N_ELEMENTS (first) * G_N_ELEMENTS (second));

  return round == 0 ? fmt (g, "%s %s %s", first[a], second[b], form[(a + b) % G_N_ELEMENTS (form)])
                    : fmt (g, "%s %s %s %u", first[a], second[b], form[(a + b) % G_N_ELEMENTS (form)], round + 1);
}

/* Someone of @role in the case's region, drawn from the seed. */
static gint64
person (Gen  *g,
        Role  role)
{
  gint64 found[4];
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (people) && n < G_N_ELEMENTS (found); i++)
    if (people[i].role == role && (role == ROLE_CONTROLLER || people[i].region == g->region))
      found[n++] = people[i].uid;
  g_assert (n > 0);
  return n == 1 ? found[0] : found[g_rand_int_range (g->rand, 0, (gint32) n)];
}

static const char *
person_name (gint64 uid)
{
  static const struct { gint64 uid; const char *name; } base[] = {
    { UID_ADMIN, "Ada Moreau" }, { UID_MANAGER, "Morgan Hale" }, { UID_APPROVER, "Avery Brooks" },
    { UID_REQUESTER, "Riley Chen" }, { UID_NORIGHT, "Nico Weiss" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (base); i++)
    if (base[i].uid == uid)
      return base[i].name;
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    if (people[i].uid == uid)
      return people[i].name;
  return "";
}

/* The office calendar of the default profile (Mon–Fri 08–12 and 13–17,
 * Europe/Brussels), walked back from now in 5-minute steps: entry i is how
 * many business minutes lie between now - 5 i minutes and now. Ages are
 * then drawn in business time, so the demo's spread of on track, at risk
 * and breached holds whatever the day and hour it starts. */
static void
build_business_table (Gen *g)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Brussels");
  guint minutes = 0;

  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  g->business = g_array_sized_new (FALSE, FALSE, sizeof (guint), 60 * 24 * 21 / 5);
  for (guint i = 0; i < 60 * 24 * 21 / 5; i++)
    {
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (g->now - (gint64) i * 300);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (t, tz);
      int dow = g_date_time_get_day_of_week (local);
      int minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);

      g_array_append_val (g->business, minutes);
      if (dow <= 5 && ((minute > 8 * 60 && minute <= 12 * 60) || (minute > 13 * 60 && minute <= 17 * 60)))
        minutes += 5;
    }
}

/* Wall-clock seconds back from now to reach @business_minutes of office time. */
static gint64
business_age (Gen   *g,
              guint  business_minutes)
{
  guint lo = 0, hi = g->business->len - 1;

  if (business_minutes >= g_array_index (g->business, guint, hi))
    return (gint64) hi * 300;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (g->business, guint, mid) < business_minutes)
        lo = mid + 1;
      else
        hi = mid;
    }
  return (gint64) lo * 300 + g_rand_int_range (g->rand, 0, 300);
}

/* The four mechanisms */

typedef struct
{
  gint64   created;
  gboolean pending;
  gboolean approved;     /* when decided */
  gboolean escalated;
  gint64   decided;      /* when decided */
} Timing;

static void
tier_review (Gen        *g,
             CtSimModel *model,
             guint       row,
             Area        area,
             Timing     *t)
{
  guint r = ct_sim_model_new_row (g->reviews, 0);
  gint64 id = ct_sim_model_row_id (g->reviews, r);

  ct_sim_model_set_str (g->reviews, r, "name", category_names[area]);
  ct_sim_model_set_str (g->reviews, r, "model", model->name);
  ct_sim_model_set_int (g->reviews, r, "res_id", ct_sim_model_row_id (model, row));
  ct_sim_model_set_int (g->reviews, r, "definition_id", g->tier_definition[area]);
  ct_sim_model_set_int (g->reviews, r, "sequence", 10);
  gint64 reviewer = person (g, ROLE_APPROVER);
  gint64 requester = person (g, ROLE_REQUESTER);
  /* Escalations go to the head of operations, Morgan Hale, whatever the
   * region. */
  gint64 manager = UID_MANAGER;

  ct_sim_model_set_int (g->reviews, r, "reviewer_id", reviewer);
  ct_sim_model_add_id (g->reviews, r, "reviewer_ids", reviewer);
  ct_sim_model_set_str (g->reviews, r, "todo_by", person_name (reviewer));
  ct_sim_model_set_int (g->reviews, r, "requested_by", requester);
  ct_sim_model_set_int (g->reviews, r, "company_id", 1);
  ct_sim_model_set_str (g->reviews, r, "create_date", datetime_at (g, t->created));
  if (t->pending)
    ct_sim_model_set_str (g->reviews, r, "status", "pending");
  else
    {
      ct_sim_model_set_str (g->reviews, r, "status", t->approved ? "approved" : "rejected");
      ct_sim_model_set_int (g->reviews, r, "done_by", t->escalated ? manager : reviewer);
      ct_sim_model_set_str (g->reviews, r, "reviewed_date", datetime_at (g, t->decided));
      if (!t->approved)
        ct_sim_model_set_str (g->reviews, r, "comment", "Outside policy, please revise.");
    }
  ct_sim_model_add_id (model, row, "review_ids", id);
  post (g, model, row, user_partner (requester), "<p>A review has been requested</p>", t->created, 2);
  if (t->escalated)
    {
      /* Escalation: a second tier for the manager, after the first one stalled. */
      guint e = ct_sim_model_new_row (g->reviews, 0);

      ct_sim_model_set_str (g->reviews, e, "name", "Escalation to management");
      ct_sim_model_set_str (g->reviews, e, "model", model->name);
      ct_sim_model_set_int (g->reviews, e, "res_id", ct_sim_model_row_id (model, row));
      ct_sim_model_set_int (g->reviews, e, "definition_id", g->tier_definition[area]);
      ct_sim_model_set_int (g->reviews, e, "sequence", 20);
      ct_sim_model_set_int (g->reviews, e, "reviewer_id", manager);
      ct_sim_model_add_id (g->reviews, e, "reviewer_ids", manager);
      ct_sim_model_set_str (g->reviews, e, "todo_by", person_name (manager));
      ct_sim_model_set_int (g->reviews, e, "requested_by", reviewer);
      ct_sim_model_set_str (g->reviews, e, "create_date", datetime_at (g, (t->created + t->decided) / 2));
      ct_sim_model_set_str (g->reviews, e, "status", t->pending ? "pending" : t->approved ? "approved" : "rejected");
      if (!t->pending)
        {
          ct_sim_model_set_int (g->reviews, e, "done_by", manager);
          ct_sim_model_set_str (g->reviews, e, "reviewed_date", datetime_at (g, t->decided));
        }
      ct_sim_model_add_id (model, row, "review_ids", ct_sim_model_row_id (g->reviews, e));
      post (g, model, row, user_partner (reviewer), "<p>Escalated to management</p>",
            (t->created + t->decided) / 2, 2);
    }
  if (t->pending && !t->escalated && area == AREA_INVOICE)
    {
      /* A second level in sequence: waiting until the first one approves. */
      guint w = ct_sim_model_new_row (g->reviews, 0);

      ct_sim_model_set_int (g->reviews, r, "approve_sequence", 1);
      ct_sim_model_set_str (g->reviews, w, "name", "Finance controller sign-off");
      ct_sim_model_set_str (g->reviews, w, "model", model->name);
      ct_sim_model_set_int (g->reviews, w, "res_id", ct_sim_model_row_id (model, row));
      ct_sim_model_set_int (g->reviews, w, "definition_id", g->tier_definition[area]);
      ct_sim_model_set_int (g->reviews, w, "sequence", 20);
      ct_sim_model_set_int (g->reviews, w, "approve_sequence", 1);
      ct_sim_model_set_int (g->reviews, w, "reviewer_id", UID_CONTROLLER);
      ct_sim_model_add_id (g->reviews, w, "reviewer_ids", UID_CONTROLLER);
      ct_sim_model_set_str (g->reviews, w, "todo_by", person_name (UID_CONTROLLER));
      ct_sim_model_set_int (g->reviews, w, "requested_by", requester);
      ct_sim_model_set_str (g->reviews, w, "create_date", datetime_at (g, t->created));
      ct_sim_model_set_str (g->reviews, w, "status", "waiting");
      ct_sim_model_add_id (model, row, "review_ids", ct_sim_model_row_id (g->reviews, w));
    }
  if (!t->pending)
    {
      post (g, model, row, user_partner (t->escalated ? manager : reviewer),
            t->approved ? "<p>A review was accepted</p>" : "<p>A review was rejected</p>", t->decided, 2);
      ct_sim_model_set_str (model, row, "write_date", datetime_at (g, t->decided));
    }
}

static void
approval_request (Gen        *g,
                  Area        area,
                  const char *subject,
                  double      amount,
                  gint64      partner,
                  const char *reference,
                  Timing     *t)
{
  guint r = ct_sim_model_new_row (g->requests, 0);
  gint64 id = ct_sim_model_row_id (g->requests, r);
  gboolean two = area == AREA_CREDIT || area == AREA_VENDOR;
  const gint64 users[2] = { person (g, ROLE_APPROVER), person (g, ROLE_MANAGER) };
  gint64 owner = person (g, ROLE_REQUESTER);

  ct_sim_model_set_str (g->requests, r, "name", subject);
  ct_sim_model_set_int (g->requests, r, "category_id", g->category[area]);
  ct_sim_model_set_int (g->requests, r, "request_owner_id", owner);
  ct_sim_model_set_str (g->requests, r, "date", datetime_at (g, t->created));
  ct_sim_model_set_str (g->requests, r, "date_confirmed", datetime_at (g, t->created));
  ct_sim_model_set_str (g->requests, r, "create_date", datetime_at (g, t->created));
  ct_sim_model_set_float (g->requests, r, "amount", amount);
  ct_sim_model_set_int (g->requests, r, "partner_id", partner);
  ct_sim_model_set_str (g->requests, r, "reference", reference);
  ct_sim_model_set_int (g->requests, r, "approval_minimum", two ? 2 : 1);
  ct_sim_model_set_str (g->requests, r, "x_ct_area", area_keys[area]);
  ct_sim_model_set_int (g->requests, r, "company_id", 1);
  ct_sim_model_set_str (g->requests, r, "request_status",
                        t->pending ? "pending" : t->approved ? "approved" : "refused");
  for (guint i = 0; i < (two ? 2u : 1u); i++)
    {
      guint a = ct_sim_model_new_row (g->approvers, 0);
      const char *status;

      if (t->pending)
        status = two && i == 1 && area == AREA_VENDOR ? "waiting" : "pending";
      else if (t->approved)
        status = "approved";
      else
        status = i == 0 ? "refused" : "pending";
      ct_sim_model_set_int (g->approvers, a, "sequence", 10 * (i + 1));
      ct_sim_model_set_int (g->approvers, a, "user_id", users[i]);
      ct_sim_model_set_int (g->approvers, a, "request_id", id);
      ct_sim_model_set_str (g->approvers, a, "status", status);
      ct_sim_model_set_int (g->approvers, a, "required", i == 0);
      ct_sim_model_add_id (g->requests, r, "approver_ids", ct_sim_model_row_id (g->approvers, a));
    }
  post (g, g->requests, r, user_partner (owner), "<p>Request submitted</p>", t->created, 2);
  if (!t->pending)
    post (g, g->requests, r, user_partner (users[0]), t->approved ? "<p>Approved</p>" : "<p>Refused</p>",
          t->decided, 2);
}

static void
approval_activity (Gen        *g,
                   CtSimModel *model,
                   guint       row,
                   const char *summary,
                   Timing     *t)
{
  guint a = ct_sim_model_new_row (g->activities, 0);
  gint64 id = ct_sim_model_row_id (g->activities, a);
  g_autofree char *res_name = ct_sim_model_display_name (model, row);
  gint64 approver = person (g, ROLE_APPROVER);
  gint64 requester = person (g, ROLE_REQUESTER);

  ct_sim_model_set_int (g->activities, a, "res_model_id", model->ir_model_id);
  ct_sim_model_set_str (g->activities, a, "res_model", model->name);
  ct_sim_model_set_int (g->activities, a, "res_id", ct_sim_model_row_id (model, row));
  ct_sim_model_set_str (g->activities, a, "res_name", res_name);
  ct_sim_model_set_int (g->activities, a, "activity_type_id", ACTIVITY_APPROVAL);
  ct_sim_model_set_str (g->activities, a, "summary", summary);
  ct_sim_model_set_str (g->activities, a, "date_deadline", date_at (g, t->created + 2 * 86400));
  ct_sim_model_set_int (g->activities, a, "user_id", approver);
  ct_sim_model_set_str (g->activities, a, "activity_category", "default");
  ct_sim_model_set_str (g->activities, a, "create_date", datetime_at (g, t->created));
  ct_sim_model_set_int (g->activities, a, "create_uid", requester);
  ct_sim_model_set_int (g->activities, a, "active", t->pending);
  if (!t->pending)
    {
      ct_sim_model_set_str (g->activities, a, "date_done", date_at (g, t->decided));
      ct_sim_model_set_str (g->activities, a, "feedback", t->approved ? "Approved" : "Refused");
      post (g, model, row, user_partner (approver),
            t->approved ? "<p>Approval done</p><div>Approved</div>" : "<p>Approval done</p><div>Refused</div>",
            t->decided, 2);
    }
  else
    ct_sim_model_add_id (model, row, "activity_ids", id);
}

/* Documents */

static guint
new_sale (Gen    *g,
          Timing *t,
          gint64  customer,
          double  max_discount)
{
  guint row = ct_sim_model_new_row (g->sales, 0);
  gint64 id = ct_sim_model_row_id (g->sales, row);
  guint n_lines = 1 + g_rand_int_range (g->rand, 0, 4);
  double untaxed = 0, margin = 0, top = 0;

  ct_sim_model_set_str (g->sales, row, "name", fmt (g, "S%05u", (guint) id));
  ct_sim_model_set_int (g->sales, row, "partner_id", customer);
  ct_sim_model_set_str (g->sales, row, "date_order", datetime_at (g, t->created));
  ct_sim_model_set_str (g->sales, row, "create_date", datetime_at (g, t->created));
  gint64 salesperson = person (g, ROLE_REQUESTER);

  ct_sim_model_set_int (g->sales, row, "create_uid", salesperson);
  ct_sim_model_set_int (g->sales, row, "user_id", salesperson);
  ct_sim_model_set_int (g->sales, row, "company_id", 2 + g->region);
  ct_sim_model_set_int (g->sales, row, "currency_id", CURRENCY_EUR);
  /* North Hub, Central Hub or Cross-dock, South Hub */
  ct_sim_model_set_int (g->sales, row, "warehouse_id", g->region == 0 ? 1 : g->region == 2 ? 4 : 2 + (id % 2));
  ct_sim_model_set_str (g->sales, row, "invoice_status", "no");
  for (guint i = 0; i < n_lines; i++)
    {
      guint l = ct_sim_model_new_row (g->sale_lines, 0);
      gint64 product = pick (g, g->first_product, g->n_products);
      double qty = 1 + g_rand_int_range (g->rand, 0, 40);
      double price = money (g, 12, 900);
      double discount = i == 0 ? max_discount : money (g, 0, MIN (max_discount, 10));
      double subtotal = qty * price * (1 - discount / 100);
      double cost = qty * price * g_rand_double_range (g->rand, 0.55, 0.85);

      ct_sim_model_set_int (g->sale_lines, l, "order_id", id);
      ct_sim_model_set_int (g->sale_lines, l, "product_id", product);
      ct_sim_model_set_str (g->sale_lines, l, "name", "Product line");
      ct_sim_model_set_float (g->sale_lines, l, "product_uom_qty", qty);
      ct_sim_model_set_float (g->sale_lines, l, "price_unit", price);
      ct_sim_model_set_float (g->sale_lines, l, "discount", discount);
      ct_sim_model_set_float (g->sale_lines, l, "price_subtotal", subtotal);
      ct_sim_model_set_float (g->sale_lines, l, "margin", subtotal - cost);
      ct_sim_model_set_float (g->sale_lines, l, "margin_percent", subtotal > 0 ? (subtotal - cost) / subtotal : 0);
      ct_sim_model_add_id (g->sales, row, "order_line", ct_sim_model_row_id (g->sale_lines, l));
      untaxed += subtotal;
      margin += subtotal - cost;
      top = MAX (top, discount);
    }
  ct_sim_model_set_float (g->sales, row, "amount_untaxed", untaxed);
  ct_sim_model_set_float (g->sales, row, "amount_tax", untaxed * 0.08);
  ct_sim_model_set_float (g->sales, row, "amount_total", untaxed * 1.08);
  ct_sim_model_set_float (g->sales, row, "margin", margin);
  ct_sim_model_set_float (g->sales, row, "margin_percent", untaxed > 0 ? margin / untaxed : 0);
  ct_sim_model_set_float (g->sales, row, "x_ct_max_discount", top);
  ct_sim_model_set_str (g->sales, row, "state",
                        t->pending ? "sent" : t->approved ? "sale" : "cancel");
  return row;
}

static guint
new_purchase (Gen        *g,
              Timing     *t,
              const char *pending_state,
              double      lo,
              double      hi)
{
  guint row = ct_sim_model_new_row (g->purchases, 0);
  gint64 id = ct_sim_model_row_id (g->purchases, row);
  guint l = ct_sim_model_new_row (g->purchase_lines, 0);
  double amount = money (g, lo, hi);

  ct_sim_model_set_str (g->purchases, row, "name", fmt (g, "P%05u", (guint) id));
  ct_sim_model_set_int (g->purchases, row, "partner_id", pick (g, g->first_vendor, g->n_vendors));
  ct_sim_model_set_str (g->purchases, row, "date_order", datetime_at (g, t->created));
  ct_sim_model_set_str (g->purchases, row, "date_planned", datetime_at (g, t->created + 7 * 86400));
  ct_sim_model_set_str (g->purchases, row, "create_date", datetime_at (g, t->created));
  gint64 buyer = person (g, ROLE_REQUESTER);

  ct_sim_model_set_int (g->purchases, row, "create_uid", buyer);
  ct_sim_model_set_int (g->purchases, row, "user_id", buyer);
  ct_sim_model_set_int (g->purchases, row, "company_id", 2 + g->region);
  ct_sim_model_set_int (g->purchases, row, "currency_id", CURRENCY_EUR);
  ct_sim_model_set_int (g->purchases, row, "picking_type_id", g->picking_type[g->region]);
  ct_sim_model_set_str (g->purchases, row, "priority", "0");
  ct_sim_model_set_str (g->purchases, row, "invoice_status", "no");
  ct_sim_model_set_float (g->purchases, row, "amount_untaxed", amount);
  ct_sim_model_set_float (g->purchases, row, "amount_total", amount);
  ct_sim_model_set_float (g->purchases, row, "amount_tax", 0);
  ct_sim_model_set_str (g->purchases, row, "state",
                        t->pending ? pending_state : t->approved ? "purchase" : "cancel");
  if (!t->pending && t->approved)
    ct_sim_model_set_str (g->purchases, row, "date_approve", datetime_at (g, t->decided));
  ct_sim_model_set_int (g->purchase_lines, l, "order_id", id);
  ct_sim_model_set_int (g->purchase_lines, l, "product_id", pick (g, g->first_product, g->n_products));
  ct_sim_model_set_str (g->purchase_lines, l, "name", "Replenishment");
  ct_sim_model_set_float (g->purchase_lines, l, "product_qty", 10);
  ct_sim_model_set_float (g->purchase_lines, l, "price_unit", amount / 10);
  ct_sim_model_set_float (g->purchase_lines, l, "price_subtotal", amount);
  ct_sim_model_set_float (g->purchase_lines, l, "price_total", amount);
  ct_sim_model_add_id (g->purchases, row, "order_line", ct_sim_model_row_id (g->purchase_lines, l));
  return row;
}

static void
make_case (Gen    *g,
           guint   index,
           Timing *t)
{
  /* A distributor's mix: sales and procurement lead, vendors are few. */
  static const guint area_weights[N_AREAS] = { 26, 14, 22, 10, 10, 5, 13 };
  gint32 roll = g_rand_int_range (g->rand, 0, 100);
  gint32 how = g_rand_int_range (g->rand, 0, 100);
  Area area = AREA_SALES;
  Mechanism mech;
  guint row;

  for (guint i = 0, sum = 0; i < N_AREAS; i++)
    if (roll >= (gint32) sum && roll < (gint32) (sum += area_weights[i]))
      area = (Area) i;

  /* Each area through the mechanisms its company would use, as the default
   * profile reads them: credit release by activity or request, procurement
   * by tier review or double validation, write-offs and vendors through the
   * Approvals app. A few decided requests everywhere keep every category
   * in use. */
  switch (area)
    {
    case AREA_SALES:
      mech = how < 55 ? MECH_TIER : MECH_APPROVAL;
      break;
    case AREA_CREDIT:
      mech = how < 70 ? MECH_ACTIVITY : MECH_APPROVAL;
      break;
    case AREA_PROCUREMENT:
      mech = how < 45 ? MECH_DOUBLE_VALIDATION : how < 92 || t->pending ? MECH_TIER : MECH_APPROVAL;
      break;
    case AREA_INVENTORY:
    case AREA_VENDOR:
      mech = how < 88 || t->pending ? MECH_APPROVAL : MECH_TIER;
      break;
    case AREA_RETURNS:
    case AREA_INVOICE:
    default:
      mech = how < 90 || t->pending ? MECH_TIER : MECH_APPROVAL;
      break;
    }

  switch (area)
    {
    case AREA_SALES:
      {
        gint64 customer = pick (g, g->first_customer, g->n_customers);

        row = new_sale (g, t, customer, money (g, 12, 40));
        if (index % 97 == 0)
          add_link (g, "sale.order", ct_sim_model_row_id (g->sales, row),
                    ct_sim_model_get_str (g->sales, row, "name"));
        if (mech == MECH_TIER)
          tier_review (g, g->sales, row, area, t);
        else if (mech == MECH_APPROVAL)
          approval_request (g, area, fmt (g, "Discount above policy on S%05u",
                                          (guint) ct_sim_model_row_id (g->sales, row)),
                            ct_sim_model_get_float (g->sales, row, "amount_total"), customer,
                            ct_sim_model_get_str (g->sales, row, "name"), t);
        else
          approval_activity (g, g->sales, row, "Approve discount / margin", t);
        if (g_rand_int_range (g->rand, 0, 3) == 0)
          attach (g, g->sales, row, "quotation.pdf", "application/pdf", t->created);
      }
      break;
    case AREA_CREDIT:
      {
        gint64 customer = pick (g, g->first_customer, g->n_customers);
        guint prow;

        ct_sim_model_lookup (g->partners, customer, &prow);
        row = new_sale (g, t, customer, money (g, 0, 8));
        if (t->pending)
          ct_sim_model_set_int (g->partners, prow, "x_ct_credit_hold", 1);
        if (index % 89 == 0)
          add_link (g, "res.partner", customer, ct_sim_model_get_str (g->partners, prow, "name"));
        if (mech == MECH_TIER)
          tier_review (g, g->sales, row, area, t);
        else if (mech == MECH_APPROVAL)
          approval_request (g, area, fmt (g, "Credit hold release for order S%05u",
                                          (guint) ct_sim_model_row_id (g->sales, row)),
                            /* The order that waits for the release. */
                            ct_sim_model_get_float (g->sales, row, "amount_total"),
                            customer, ct_sim_model_get_str (g->sales, row, "name"), t);
        else
          {
            approval_activity (g, g->sales, row, "Release credit hold", t);
            if (t->pending)
              note_credit_release (g, row, t->created);
          }
      }
      break;
    case AREA_PROCUREMENT:
      /* Orders under tier review sit in "to approve" like on the real server,
       * so many are pending through both mechanisms at once. */
      row = new_purchase (g, t, mech == MECH_DOUBLE_VALIDATION || mech == MECH_TIER ? "to approve" : "draft",
                          mech == MECH_DOUBLE_VALIDATION || mech == MECH_TIER ? DOUBLE_VALIDATION_AMOUNT : 2000,
                          60000);
      if (index % 83 == 0)
        add_link (g, "purchase.order", ct_sim_model_row_id (g->purchases, row),
                  ct_sim_model_get_str (g->purchases, row, "name"));
      if (mech == MECH_DOUBLE_VALIDATION)
        {
          post (g, g->purchases, row, user_partner (ct_sim_model_get_int (g->purchases, row, "user_id")), "",
                t->created, 7);
          if (!t->pending)
            post (g, g->purchases, row, user_partner (person (g, ROLE_MANAGER)), "", t->decided,
                  t->approved ? 8 : 2);
        }
      else if (mech == MECH_TIER)
        tier_review (g, g->purchases, row, area, t);
      else if (mech == MECH_APPROVAL)
        approval_request (g, area, fmt (g, "Purchase request P%05u",
                                        (guint) ct_sim_model_row_id (g->purchases, row)),
                          ct_sim_model_get_float (g->purchases, row, "amount_total"),
                          ct_sim_model_get_int (g->purchases, row, "partner_id"),
                          ct_sim_model_get_str (g->purchases, row, "name"), t);
      else
        approval_activity (g, g->purchases, row, "Approve purchase", t);
      break;
    case AREA_INVENTORY:
      if (g_rand_boolean (g->rand))
        {
          double qty = 10 + g_rand_int_range (g->rand, 0, 400);
          double counted = qty + g_rand_int_range (g->rand, -60, 20);

          row = ct_sim_model_new_row (g->quants, 0);
          ct_sim_model_set_int (g->quants, row, "product_id", pick (g, g->first_product, g->n_products));
          ct_sim_model_set_int (g->quants, row, "warehouse_id", 1 + index % 4);
          ct_sim_model_set_float (g->quants, row, "quantity", qty);
          ct_sim_model_set_float (g->quants, row, "inventory_quantity", counted);
          ct_sim_model_set_float (g->quants, row, "inventory_diff_quantity", counted - qty);
          ct_sim_model_set_float (g->quants, row, "x_ct_value_diff", (counted - qty) * money (g, 5, 300));
          ct_sim_model_set_int (g->quants, row, "inventory_quantity_set", t->pending);
          ct_sim_model_set_str (g->quants, row, "inventory_date", date_at (g, t->created));
          ct_sim_model_set_str (g->quants, row, "create_date", datetime_at (g, t->created));
          ct_sim_model_set_int (g->quants, row, "user_id", person (g, ROLE_REQUESTER));
          if (mech == MECH_APPROVAL)
            approval_request (g, area, fmt (g, "Inventory adjustment %u", (guint) ct_sim_model_row_id (g->quants, row)),
                              ct_sim_model_get_float (g->quants, row, "x_ct_value_diff"), 0, NULL, t);
          else if (mech == MECH_TIER)
            tier_review (g, g->quants, row, area, t);
          else
            approval_activity (g, g->quants, row, "Approve inventory adjustment", t);
        }
      else
        {
          row = ct_sim_model_new_row (g->scraps, 0);
          ct_sim_model_set_str (g->scraps, row, "name", fmt (g, "SP/%05u", (guint) ct_sim_model_row_id (g->scraps, row)));
          ct_sim_model_set_int (g->scraps, row, "product_id", pick (g, g->first_product, g->n_products));
          ct_sim_model_set_float (g->scraps, row, "scrap_qty", 1 + g_rand_int_range (g->rand, 0, 50));
          ct_sim_model_set_float (g->scraps, row, "x_ct_value", money (g, 100, 9000));
          ct_sim_model_set_int (g->scraps, row, "x_ct_warehouse_id", 1 + index % 4);
          ct_sim_model_set_str (g->scraps, row, "state", t->pending || !t->approved ? "draft" : "done");
          ct_sim_model_set_str (g->scraps, row, "create_date", datetime_at (g, t->created));
          if (!t->pending && t->approved)
            ct_sim_model_set_str (g->scraps, row, "date_done", datetime_at (g, t->decided));
          if (mech == MECH_APPROVAL)
            approval_request (g, area, fmt (g, "Write-off SP/%05u", (guint) ct_sim_model_row_id (g->scraps, row)),
                              ct_sim_model_get_float (g->scraps, row, "x_ct_value"), 0,
                              ct_sim_model_get_str (g->scraps, row, "name"), t);
          else if (mech == MECH_TIER)
            tier_review (g, g->scraps, row, area, t);
          else
            approval_activity (g, g->scraps, row, "Approve write-off", t);
        }
      break;
    case AREA_RETURNS:
      {
        gint64 customer = pick (g, g->first_customer, g->n_customers);

        row = ct_sim_model_new_row (g->pickings, 0);
        ct_sim_model_set_str (g->pickings, row, "name", fmt (g, "WH/RET/%05u", (guint) ct_sim_model_row_id (g->pickings, row)));
        ct_sim_model_set_int (g->pickings, row, "partner_id", customer);
        ct_sim_model_set_str (g->pickings, row, "picking_type_code", "incoming");
        ct_sim_model_set_str (g->pickings, row, "state",
                              t->pending ? "assigned" : t->approved ? "done" : "cancel");
        ct_sim_model_set_str (g->pickings, row, "scheduled_date", datetime_at (g, t->created + 3 * 86400));
        ct_sim_model_set_str (g->pickings, row, "create_date", datetime_at (g, t->created));
        ct_sim_model_set_str (g->pickings, row, "origin", "Customer claim");
        ct_sim_model_set_float (g->pickings, row, "x_ct_claim_amount", money (g, 50, 12000));
        ct_sim_model_set_int (g->pickings, row, "x_ct_warehouse_id", 1 + index % 4);
        ct_sim_model_set_int (g->pickings, row, "company_id", 1);
        if (index % 79 == 0)
          add_link (g, "stock.picking", ct_sim_model_row_id (g->pickings, row),
                    ct_sim_model_get_str (g->pickings, row, "name"));
        if (mech == MECH_APPROVAL)
          approval_request (g, area, fmt (g, "Return / claim WH/RET/%05u", (guint) ct_sim_model_row_id (g->pickings, row)),
                            ct_sim_model_get_float (g->pickings, row, "x_ct_claim_amount"), customer,
                            ct_sim_model_get_str (g->pickings, row, "name"), t);
        else if (mech == MECH_TIER)
          tier_review (g, g->pickings, row, area, t);
        else
          approval_activity (g, g->pickings, row, "Approve return / claim", t);
        if (g_rand_int_range (g->rand, 0, 2) == 0)
          attach (g, g->pickings, row, "damage-photo.jpg", "image/jpeg", t->created);
      }
      break;
    case AREA_VENDOR:
      {
        /* Prospective vendors take names after the approved ones. */
        gint64 id = ct_sim_dataset_add_partner (g->db, 0, vendor_name (g, g->n_vendors + index), 0, TRUE);
        guint prow;

        ct_sim_model_lookup (g->partners, id, &prow);
        ct_sim_model_set_int (g->partners, prow, "supplier_rank", 1);
        ct_sim_model_set_str (g->partners, prow, "x_ct_onboarding_state",
                              t->pending ? "pending" : t->approved ? "approved" : "rejected");
        ct_sim_model_set_str (g->partners, prow, "create_date", datetime_at (g, t->created));
        if (mech == MECH_APPROVAL)
          approval_request (g, area, fmt (g, "Onboard %s", ct_sim_model_get_str (g->partners, prow, "name")),
                            0, id, NULL, t);
        else if (mech == MECH_TIER)
          tier_review (g, g->partners, prow, area, t);
        else
          approval_activity (g, g->partners, prow, "Approve vendor onboarding", t);
        attach (g, g->partners, prow, "w9-form.pdf", "application/pdf", t->created);
      }
      break;
    case AREA_INVOICE:
    default:
      {
        double expected = money (g, 500, 40000);
        double diff = money (g, -800, 2500);

        row = ct_sim_model_new_row (g->moves, 0);
        ct_sim_model_set_str (g->moves, row, "name", fmt (g, "BILL/2026/%05u", (guint) ct_sim_model_row_id (g->moves, row)));
        ct_sim_model_set_int (g->moves, row, "partner_id", pick (g, g->first_vendor, g->n_vendors));
        ct_sim_model_set_str (g->moves, row, "move_type", "in_invoice");
        ct_sim_model_set_str (g->moves, row, "state", t->pending || !t->approved ? "draft" : "posted");
        ct_sim_model_set_str (g->moves, row, "invoice_date", date_at (g, t->created));
        ct_sim_model_set_str (g->moves, row, "invoice_date_due", date_at (g, t->created + 30 * 86400));
        ct_sim_model_set_float (g->moves, row, "x_ct_expected_amount", expected);
        ct_sim_model_set_float (g->moves, row, "x_ct_discrepancy", diff);
        ct_sim_model_set_float (g->moves, row, "amount_total", expected + diff);
        ct_sim_model_set_float (g->moves, row, "amount_residual", expected + diff);
        ct_sim_model_set_str (g->moves, row, "payment_state", "not_paid");
        ct_sim_model_set_str (g->moves, row, "create_date", datetime_at (g, t->created));
        ct_sim_model_set_int (g->moves, row, "company_id", 1);
        if (index % 73 == 0)
          add_link (g, "account.move", ct_sim_model_row_id (g->moves, row),
                    ct_sim_model_get_str (g->moves, row, "name"));
        if (mech == MECH_APPROVAL)
          approval_request (g, area, fmt (g, "Invoice discrepancy BILL/2026/%05u", (guint) ct_sim_model_row_id (g->moves, row)),
                            diff, ct_sim_model_get_int (g->moves, row, "partner_id"),
                            ct_sim_model_get_str (g->moves, row, "name"), t);
        else if (mech == MECH_TIER)
          tier_review (g, g->moves, row, area, t);
        else
          approval_activity (g, g->moves, row, "Resolve invoice discrepancy", t);
        attach (g, g->moves, row, "vendor-bill.pdf", "application/pdf", t->created);
      }
      break;
    }
}

/* What a food, drug and household distributor stocks: per category (in the
 * order of add_master_data()'s categories), under a few house and supplier
 * brands. Product @i is in category i % 8. */
static const char *
product_name (Gen   *g,
              guint  i)
{
  static const char *const names[][10] = {
    { "Sparkling Mineral Water 1.5 L", "Still Spring Water 500 ml", "Orange Juice 1 L", "Apple Juice 1 L",
      "Cola 330 ml Can", "Peach Iced Tea 1.5 L", "Tonic Water 200 ml", "Energy Drink 250 ml Can",
      "Ginger Ale 330 ml", "Cloudy Lemonade 1 L" },
    { "Whole Milk 1 L", "Semi-Skimmed Milk 1 L", "Greek Yogurt 500 g", "Unsalted Butter 250 g",
      "Aged Gouda 1 kg", "Mozzarella 125 g", "Cream Cheese 200 g", "Crème Fraîche 200 ml",
      "Mature Cheddar 400 g", "Kefir 500 ml" },
    { "Garden Peas 1 kg", "Margherita Pizza 400 g", "Vanilla Ice Cream 1 L", "Fish Fingers 450 g",
      "Straight-Cut Fries 2.5 kg", "Leaf Spinach 750 g", "Chicken Nuggets 1 kg", "Mixed Berries 500 g",
      "Puff Pastry 1 kg", "Cooked Prawns 500 g" },
    { "Paracetamol 500 mg, 20 Tablets", "Ibuprofen 400 mg, 24 Tablets", "Vitamin C 1000 mg, 30 Tablets",
      "Hand Sanitiser 500 ml", "Fabric Plasters, 40 Pieces", "Saline Nasal Spray 20 ml",
      "Antiseptic Cream 30 g", "Hay Fever Relief, 14 Tablets", "Throat Lozenges, 24 Pieces",
      "Digital Thermometer" },
    { "USB-C Charger 65 W", "Bluetooth Headphones", "LED Bulb E27 9 W", "AA Alkaline Batteries, 8 Pack",
      "Power Bank 10 000 mAh", "HDMI Cable 2 m", "Smart Plug", "Wireless Mouse", "Kettle 1.7 L",
      "Extension Lead, 4 Sockets" },
    { "Dishwasher Tablets, 40 Pack", "Laundry Liquid 2 L", "Kitchen Towel, 4 Rolls", "Toilet Tissue, 9 Rolls",
      "Bin Bags 60 L, 20 Pack", "All-Purpose Cleaner 750 ml", "Washing-Up Liquid 500 ml",
      "Scrub Sponges, 10 Pack", "Aluminium Foil 30 m", "Fabric Conditioner 1.5 L" },
    { "Rolling Tobacco 50 g", "Rolling Papers, 50 Booklets", "Filter Tips, 200 Pack", "Cigarillos, 10 Pack",
      "Pipe Tobacco 40 g", "Cigars, 5 Pack", "Refillable Lighter", "Nicotine Patches, 7 Pack",
      "Nicotine Gum, 30 Pieces", "Cigarette Tubes, 200 Pack" },
    { "London Dry Gin 70 cl", "Scotch Whisky 12 Year Old 70 cl", "Vodka 1 L", "Dark Rum 70 cl",
      "Cognac VS 70 cl", "Tequila Blanco 70 cl", "Limoncello 50 cl", "Irish Cream Liqueur 70 cl",
      "Calvados 70 cl", "Triple Sec 50 cl" },
  };
  static const char *const brands[] = { "Northwind", "Alpenhof", "Bella Casa", "Coastline", "Evergreen",
                                        "Fjordland", "Golden Valley", "Harvest Moon" };
  guint j = i / G_N_ELEMENTS (names);

  return fmt (g, "%s %s", brands[(j / G_N_ELEMENTS (names[0])) % G_N_ELEMENTS (brands)],
              names[i % G_N_ELEMENTS (names)][j % G_N_ELEMENTS (names[0])]);
}

static void
add_master_data (Gen *g)
{
  static const char *const regions[] = { "north", "central", "south" };
  static const char *const region_names[] = { "Northwind North", "Northwind Central", "Northwind South" };
  static const char *const warehouses[][2] = { { "North Hub", "WHN" }, { "Central Hub", "WHC" },
                                               { "Central Cross-dock", "WHX" }, { "South Hub", "WHS" } };
  static const char *const categories[] = { "Beverages", "Dairy", "Frozen", "Pharmacy", "Electronics",
                                            "Household", "Tobacco", "Spirits" };
  static const char *const tiers[] = { "platinum", "gold", "silver", "bronze" };
  static const char *const cities[] = { "Springfield", "Riverside", "Fairview", "Greenville", "Madison",
                                        "Georgetown", "Salem", "Clinton" };
  CtSimModel *companies = ct_sim_db_get_model (g->db, "res.company");
  CtSimModel *categ = ct_sim_db_get_model (g->db, "product.category");
  CtSimModel *defs = ct_sim_db_get_model (g->db, "tier.definition");
  CtSimModel *cats = ct_sim_db_get_model (g->db, "approval.category");
  CtSimModel *types = ct_sim_db_get_model (g->db, "mail.activity.type");
  guint row;

  for (guint i = 0; i < 3; i++)
    {
      gint64 partner = ct_sim_dataset_add_partner (g->db, 0, region_names[i], 1, TRUE);

      row = ct_sim_model_new_row (companies, 2 + i);
      ct_sim_model_set_str (companies, row, "name", region_names[i]);
      ct_sim_model_set_int (companies, row, "parent_id", 1);
      ct_sim_model_set_int (companies, row, "partner_id", partner);
      ct_sim_model_set_int (companies, row, "currency_id", CURRENCY_EUR);
      ct_sim_model_set_str (companies, row, "x_ct_region", regions[i]);
      ct_sim_model_set_str (companies, row, "po_double_validation", "two_step");
      ct_sim_model_set_float (companies, row, "po_double_validation_amount", DOUBLE_VALIDATION_AMOUNT);
    }
  ct_sim_model_lookup (companies, 1, &row);
  ct_sim_model_set_float (companies, row, "po_double_validation_amount", DOUBLE_VALIDATION_AMOUNT);
  for (guint i = 0; i < G_N_ELEMENTS (warehouses); i++)
    {
      row = ct_sim_model_new_row (g->warehouses, i + 1);
      ct_sim_model_set_str (g->warehouses, row, "name", warehouses[i][0]);
      ct_sim_model_set_str (g->warehouses, row, "code", warehouses[i][1]);
      ct_sim_model_set_int (g->warehouses, row, "company_id", 2 + (i == 0 ? 0 : i == 3 ? 2 : 1));
      ct_sim_model_set_int (g->warehouses, row, "active", 1);
    }
  {
    /* Receipts per regional hub: a purchase order's branch. */
    CtSimModel *types_model = ct_sim_db_get_model (g->db, "stock.picking.type");
    static const guint region_hub[N_REGIONS] = { 0, 1, 3 };
    CtSimModel *currencies = ct_sim_db_get_model (g->db, "res.currency");

    for (guint i = 0; i < N_REGIONS; i++)
      {
        row = ct_sim_model_new_row (types_model, 10 + i);
        g->picking_type[i] = 10 + i;
        ct_sim_model_set_str (types_model, row, "name", fmt (g, "%s: Receipts", warehouses[region_hub[i]][0]));
        ct_sim_model_set_str (types_model, row, "code", "incoming");
      }
    row = ct_sim_model_new_row (currencies, CURRENCY_EUR);
    ct_sim_model_set_str (currencies, row, "name", "EUR");
    ct_sim_model_set_str (currencies, row, "symbol", "€");
  }
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    {
      row = ct_sim_model_new_row (categ, i + 1);
      ct_sim_model_set_str (categ, row, "name", categories[i]);
    }
  row = ct_sim_model_new_row (types, ACTIVITY_APPROVAL);
  ct_sim_model_set_str (types, row, "name", "Approval");
  ct_sim_model_set_str (types, row, "category", "default");

  /* Customers */
  g->first_customer = ct_sim_db_get_model (g->db, "res.partner")->next_id;
  for (guint i = 0; i < g->n_customers; i++)
    {
      gint64 id = ct_sim_dataset_add_partner (g->db, 0, customer_name (g, i), 0, TRUE);
      double limit = 5000 * (1 + g_rand_int_range (g->rand, 0, 40));
      double exposure = limit * g_rand_double_range (g->rand, 0.2, 1.4);

      ct_sim_model_lookup (g->partners, id, &row);
      ct_sim_model_set_int (g->partners, row, "customer_rank", 1);
      ct_sim_model_set_float (g->partners, row, "credit_limit", limit);
      ct_sim_model_set_float (g->partners, row, "credit", exposure);
      ct_sim_model_set_float (g->partners, row, "total_overdue",
                              g_rand_int_range (g->rand, 0, 4) == 0 ? exposure * 0.3 : 0);
      ct_sim_model_set_str (g->partners, row, "x_ct_tier", tiers[g_rand_int_range (g->rand, 0, 4)]);
      ct_sim_model_set_str (g->partners, row, "city", cities[i % G_N_ELEMENTS (cities)]);
      ct_sim_model_set_int (g->partners, row, "company_id", 2 + i % 3);
    }
  g->first_vendor = ct_sim_db_get_model (g->db, "res.partner")->next_id;
  for (guint i = 0; i < g->n_vendors; i++)
    {
      gint64 id = ct_sim_dataset_add_partner (g->db, 0, vendor_name (g, i), 0, TRUE);

      ct_sim_model_lookup (g->partners, id, &row);
      ct_sim_model_set_int (g->partners, row, "supplier_rank", 1);
      ct_sim_model_set_str (g->partners, row, "x_ct_onboarding_state", "approved");
    }
  g->first_product = 1;
  for (guint i = 0; i < g->n_products; i++)
    {
      guint cat = i % G_N_ELEMENTS (categories);

      row = ct_sim_model_new_row (g->products, i + 1);
      ct_sim_model_set_str (g->products, row, "name", product_name (g, i));
      ct_sim_model_set_str (g->products, row, "default_code", fmt (g, "SKU-%05u", i + 1));
      ct_sim_model_set_int (g->products, row, "categ_id", cat + 1);
      ct_sim_model_set_float (g->products, row, "list_price", money (g, 2, 1500));
      ct_sim_model_set_float (g->products, row, "standard_price", money (g, 1, 900));
      ct_sim_model_set_str (g->products, row, "type", "consu");
      ct_sim_model_set_str (g->products, row, "tracking", cat == 4 ? "serial" : cat == 3 ? "lot" : "none");
      ct_sim_model_set_int (g->products, row, "x_ct_regulated", cat == 3 || cat == 6 || cat == 7);
      ct_sim_model_set_int (g->products, row, "x_ct_high_value", cat == 4 && i % 3 == 0);
      ct_sim_model_set_int (g->products, row, "active", 1);
    }

  /* How each area is approved */
  {
    static const char *const models[] = { "sale.order", "sale.order", "purchase.order", "stock.quant",
                                          "stock.picking", "res.partner", "account.move" };
    static const char *const domains[] = {
      "[('x_ct_max_discount', '>', 15)]", "[('partner_id.x_ct_credit_hold', '=', True)]",
      "[('amount_total', '>', 20000)]", "[('x_ct_value_diff', '<', -1000)]",
      "[('x_ct_claim_amount', '>', 1000)]", "[('x_ct_onboarding_state', '=', 'pending')]",
      "[('x_ct_discrepancy', '!=', 0)]",
    };

    for (guint i = 0; i < N_AREAS; i++)
      {
        row = ct_sim_model_new_row (defs, 0);
        g->tier_definition[i] = ct_sim_model_row_id (defs, row);
        ct_sim_model_set_str (defs, row, "name", category_names[i]);
        ct_sim_model_set_int (defs, row, "model_id", ct_sim_schema_model_id (g->db, models[i]));
        ct_sim_model_set_str (defs, row, "model", models[i]);
        ct_sim_model_set_str (defs, row, "review_type", "individual");
        ct_sim_model_set_int (defs, row, "reviewer_id", UID_APPROVER);
        ct_sim_model_set_str (defs, row, "definition_type", "domain");
        ct_sim_model_set_str (defs, row, "definition_domain", domains[i]);
        ct_sim_model_set_int (defs, row, "sequence", 10);
        ct_sim_model_set_int (defs, row, "active", 1);
        ct_sim_model_set_int (defs, row, "has_comment", i == AREA_INVOICE);
        ct_sim_model_set_int (defs, row, "company_id", 1);

        row = ct_sim_model_new_row (cats, 0);
        g->category[i] = ct_sim_model_row_id (cats, row);
        ct_sim_model_set_str (cats, row, "name", category_names[i]);
        ct_sim_model_set_int (cats, row, "approval_minimum", i == AREA_CREDIT || i == AREA_VENDOR ? 2 : 1);
        ct_sim_model_set_int (cats, row, "approver_sequence", i == AREA_VENDOR);
        ct_sim_model_set_int (cats, row, "sequence", 10 * (i + 1));
        ct_sim_model_set_int (cats, row, "active", 1);
        ct_sim_model_set_str (cats, row, "approval_type", i == AREA_PROCUREMENT ? "purchase" : "other");
        ct_sim_model_set_str (cats, row, "has_amount", i == AREA_VENDOR ? "no" : "required");
        ct_sim_model_set_str (cats, row, "has_partner", "optional");
        ct_sim_model_set_int (cats, row, "company_id", 1);
      }
  }
}

static void
add_jobs (Gen *g)
{
  static const struct { const char *name; const char *model; const char *method; const char *state;
                        const char *exc; } jobs[] = {
    { "Sync order to e-commerce", "sale.order", "_sync_to_shop", "failed",
      "requests.exceptions.ConnectTimeout: HTTPSConnectionPool(host='shop.example.com', port=443): Max retries exceeded" },
    { "Export invoice to BI", "account.move", "_export_bi", "failed",
      "psycopg2.errors.SerializationFailure: could not serialize access due to concurrent update" },
    { "Book carrier pickup", "stock.picking", "_book_carrier", "failed",
      "odoo.exceptions.UserError: Carrier API rejected the shipment: invalid postcode" },
    { "Credit bureau check", "res.partner", "_credit_check", "failed",
      "ValueError: Credit bureau answered 503 Service Unavailable" },
    { "Send purchase order to EDI", "purchase.order", "_send_edi", "failed",
      "ConnectionResetError: [Errno 104] Connection reset by peer" },
    { "Sync order to e-commerce", "sale.order", "_sync_to_shop", "pending", NULL },
    { "Export invoice to BI", "account.move", "_export_bi", "done", NULL },
    { "Book carrier pickup", "stock.picking", "_book_carrier", "started", NULL },
    { "Recompute stock valuation", "stock.quant", "_recompute", "enqueued", NULL },
    { "Send purchase order to EDI", "purchase.order", "_send_edi", "done", NULL },
  };

  for (guint i = 0; i < 3; i++)
    for (guint j = 0; j < G_N_ELEMENTS (jobs); j++)
      {
        guint row = ct_sim_model_new_row (g->jobs, 0);
        gint64 created = g->now - (gint64) (i * 86400 + j * 3700 + 600);
        CtSimModel *target = ct_sim_db_get_model (g->db, jobs[j].model);
        gint64 res_id = ct_sim_model_n_rows (target) > 0 ?
          ct_sim_model_row_id (target, (guint) ((i * 7 + j * 13) % ct_sim_model_n_rows (target))) : 1;
        char uuid[40];
        char records[64];
        char func[160];

        snprintf (uuid, sizeof uuid, "%08x-%04x-4%03x-a%03x-%012x", g_rand_int (g->rand),
                  g_rand_int (g->rand) & 0xffff, g_rand_int (g->rand) & 0xfff, g_rand_int (g->rand) & 0xfff,
                  g_rand_int (g->rand));
        snprintf (records, sizeof records, "[%" G_GINT64_FORMAT "]", res_id);
        snprintf (func, sizeof func, "%s(%" G_GINT64_FORMAT ",).%s()", jobs[j].model, res_id, jobs[j].method);
        ct_sim_model_set_str (g->jobs, row, "uuid", uuid);
        ct_sim_model_set_str (g->jobs, row, "name", jobs[j].name);
        ct_sim_model_set_str (g->jobs, row, "model_name", jobs[j].model);
        ct_sim_model_set_str (g->jobs, row, "method_name", jobs[j].method);
        ct_sim_model_set_str (g->jobs, row, "func_string", func);
        ct_sim_model_set_str (g->jobs, row, "record_ids", records);
        ct_sim_model_set_str (g->jobs, row, "state", i > 0 && jobs[j].exc != NULL ? "done" : jobs[j].state);
        ct_sim_model_set_str (g->jobs, row, "channel", "root");
        ct_sim_model_set_int (g->jobs, row, "priority", 10);
        ct_sim_model_set_int (g->jobs, row, "max_retries", 5);
        ct_sim_model_set_int (g->jobs, row, "user_id", UID_ADMIN);
        ct_sim_model_set_int (g->jobs, row, "company_id", 1);
        ct_sim_model_set_str (g->jobs, row, "date_created", datetime_at (g, created));
        ct_sim_model_set_str (g->jobs, row, "date_enqueued", datetime_at (g, created + 5));
        ct_sim_model_set_str (g->jobs, row, "date_started", datetime_at (g, created + 9));
        if (i == 0 && jobs[j].exc != NULL)
          {
            ct_sim_model_set_int (g->jobs, row, "retry", 5);
            {
              /* The exception class is the text before the first ':' */
              g_autofree char *cls = g_strndup (jobs[j].exc, strcspn (jobs[j].exc, ":"));

              ct_sim_model_set_str (g->jobs, row, "exc_name", cls);
            }
            ct_sim_model_set_str (g->jobs, row, "exc_message", jobs[j].exc);
            ct_sim_model_set_str (g->jobs, row, "exc_info",
                                  fmt (g, "Traceback (most recent call last):\n  File \"queue_job/job.py\", line %u, in perform\n", 500 + j));
          }
        else if (g_strcmp0 (jobs[j].state, "done") == 0 || i > 0)
          ct_sim_model_set_str (g->jobs, row, "date_done", datetime_at (g, created + 40));
        if (i == 0 && jobs[j].exc != NULL && target != NULL)
          add_link (g, jobs[j].model, res_id, func);
      }
}

/* Every record has a write_date, so clients can sync "changed since": the
 * last decision when there is one, else the creation. */
static void
fill_write_dates (Gen *g)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, g->db->models);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      CtSimModel *model = value;
      CtSimField *write = ct_sim_model_get_field (model, "write_date");
      CtSimField *create = ct_sim_model_get_field (model, "create_date");
      CtSimField *reviewed = ct_sim_model_get_field (model, "reviewed_date");
      CtSimField *done = ct_sim_model_get_field (model, "date_done");
      const char *fallback = datetime_at (g, g->now - 120 * 86400);

      if (write == NULL)
        continue;
      for (guint row = 0; row < ct_sim_model_n_rows (model); row++)
        {
          const char *when = NULL;

          if (ct_sim_model_get (model, row, write).s != NULL)
            continue;
          if (reviewed != NULL)
            when = ct_sim_model_get (model, row, reviewed).s;
          if (when == NULL && done != NULL && done->type == CT_SIM_FIELD_DATETIME)
            when = ct_sim_model_get (model, row, done).s;
          if (when == NULL && create != NULL)
            when = ct_sim_model_get (model, row, create).s;
          ct_sim_model_set (model, row, write, (CtSimValue) { .s = when != NULL ? when : fallback });
          if (ct_sim_model_get_field (model, "write_uid") != NULL)
            ct_sim_model_set_int (model, row, "write_uid", UID_ADMIN);
        }
    }
}

void
ct_sim_dataset_distributor (CtSimOdoo *odoo,
                            guint64    seed,
                            guint      n_cases,
                            GArray    *links)
{
  CtSimDb *db = ct_sim_odoo_get_db (odoo);
  guint32 seeds[2] = { (guint32) seed, (guint32) (seed >> 32) };
  Gen gen = { 0 };
  Gen *g = &gen;

  g->odoo = odoo;
  g->db = db;
  g->rand = g_rand_new_with_seed_array (seeds, 2);
  g->now = g_date_time_to_unix (db->now);
  g->links = links;
  g->partners = ct_sim_db_get_model (db, "res.partner");
  g->products = ct_sim_db_get_model (db, "product.product");
  g->sales = ct_sim_db_get_model (db, "sale.order");
  g->sale_lines = ct_sim_db_get_model (db, "sale.order.line");
  g->purchases = ct_sim_db_get_model (db, "purchase.order");
  g->purchase_lines = ct_sim_db_get_model (db, "purchase.order.line");
  g->pickings = ct_sim_db_get_model (db, "stock.picking");
  g->quants = ct_sim_db_get_model (db, "stock.quant");
  g->scraps = ct_sim_db_get_model (db, "stock.scrap");
  g->moves = ct_sim_db_get_model (db, "account.move");
  g->reviews = ct_sim_db_get_model (db, "tier.review");
  g->requests = ct_sim_db_get_model (db, "approval.request");
  g->approvers = ct_sim_db_get_model (db, "approval.approver");
  g->messages = ct_sim_db_get_model (db, "mail.message");
  g->activities = ct_sim_db_get_model (db, "mail.activity");
  g->attachments = ct_sim_db_get_model (db, "ir.attachment");
  g->jobs = ct_sim_db_get_model (db, "queue.job");
  g->warehouses = ct_sim_db_get_model (db, "stock.warehouse");
  g->n_customers = CLAMP (n_cases / 20, 30, 5000);
  g->n_vendors = CLAMP (n_cases / 50, 15, 2000);
  g->n_products = CLAMP (n_cases / 25, 40, 4000);

  ct_sim_dataset_add_base (db, "Northwind Distribution", "Northwind Distribution");
  {
    static const struct { gint64 uid; const char *login; const char *name; const char *groups; } users[] = {
      { UID_ADMIN, "admin", "Ada Moreau",
        "base.group_user,base.group_system,base.group_erp_manager,base.group_partner_manager,"
        "account.group_account_manager,purchase.group_purchase_user,"
        "purchase.group_purchase_manager,stock.group_stock_user,stock.group_stock_manager,"
        "sales_team.group_sale_salesman,sales_team.group_sale_manager,account.group_account_invoice,"
        "queue_job.group_queue_job_manager,approvals.group_approval_user" },
      { UID_MANAGER, "manager", "Morgan Hale",
        "base.group_user,purchase.group_purchase_user,purchase.group_purchase_manager,"
        "stock.group_stock_user,stock.group_stock_manager,sales_team.group_sale_salesman,"
        "sales_team.group_sale_manager,account.group_account_invoice,queue_job.group_queue_job_manager,"
        "approvals.group_approval_user" },
      { UID_APPROVER, "approver", "Avery Brooks",
        "base.group_user,purchase.group_purchase_user,purchase.group_purchase_manager,"
        "stock.group_stock_user,sales_team.group_sale_salesman,account.group_account_invoice,"
        "approvals.group_approval_user" },
      { UID_REQUESTER, "requester", "Riley Chen",
        "base.group_user,purchase.group_purchase_user,sales_team.group_sale_salesman,stock.group_stock_user" },
      { UID_NORIGHT, "noright", "Nico Weiss", "base.group_user" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (users); i++)
      {
        ct_sim_dataset_add_partner (db, user_partner (users[i].uid), users[i].name, 0, FALSE);
        ct_sim_dataset_add_user (odoo, users[i].uid, user_partner (users[i].uid), users[i].login,
                                 users[i].name, users[i].login,
                                 ct_sim_dataset_distributor_api_key (seed, users[i].login),
                                 users[i].groups);
      }
    for (guint i = 0; i < G_N_ELEMENTS (people); i++)
      {
        if (people[i].login == NULL)
          continue;
        ct_sim_dataset_add_partner (db, user_partner (people[i].uid), people[i].name, 0, FALSE);
        ct_sim_dataset_add_user (odoo, people[i].uid, user_partner (people[i].uid), people[i].login,
                                 people[i].name, people[i].login,
                                 ct_sim_dataset_distributor_api_key (seed, people[i].login),
                                 people[i].role == ROLE_REQUESTER ? users[3].groups
                                 : people[i].role == ROLE_APPROVER ? users[2].groups : users[1].groups);
      }
  }
  build_business_table (g);
  add_master_data (g);

  for (guint i = 0; i < n_cases; i++)
    {
      Timing t = { 0 };
      gint32 bucket = g_rand_int_range (g->rand, 0, 100);

      g->region = i % N_REGIONS;
      t.pending = bucket < 35;
      if (t.pending)
        {
          /* In office business minutes: most well inside even the shortest
           * window (credit, 4 h), some a few hours in, a few over a day (at
           * risk or breached where the window is short), a handful stuck for
           * days. */
          gint32 spread = g_rand_int_range (g->rand, 0, 1000);
          guint minutes = spread < 700 ? (guint) g_rand_int_range (g->rand, 5, 150) :
                          spread < 900 ? (guint) g_rand_int_range (g->rand, 150, 420) :
                          spread < 970 ? (guint) g_rand_int_range (g->rand, 420, 1200) :
                                         (guint) g_rand_int_range (g->rand, 1500, 4800);

          t.created = g->now - business_age (g, minutes);
          t.escalated = spread >= 995;
          t.decided = g->now;
        }
      else
        {
          gint64 age = g_rand_int_range (g->rand, 3600, 90 * 86400);
          gint64 cycle = g_rand_int_range (g->rand, 900, MIN (age, 6 * 86400));

          t.created = g->now - age;
          t.decided = t.created + cycle;
          t.approved = g_rand_int_range (g->rand, 0, 100) < 78;
          t.escalated = g_rand_int_range (g->rand, 0, 100) < 6;
        }
      make_case (g, i, &t);
    }
  /* The credit bureau check fails on the orders that have waited longest
   * for their credit release: what holds them up. */
  for (guint i = 0; links != NULL && i < g->n_credit; i++)
    {
      CtSimLink link = { g_strdup ("sale.order"), ct_sim_model_row_id (g->sales, g->credit_rows[i]),
                         g_strdup (ct_sim_model_get_str (g->sales, g->credit_rows[i], "name")),
                         "credit-check" };

      g_array_append_val (links, link);
    }
  add_jobs (g);
  ct_sim_dataset_add_crons (db, TRUE);
  fill_write_dates (g);
  g_array_unref (g->business);
  g_rand_free (g->rand);
}
