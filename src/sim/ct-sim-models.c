/* ct-sim-models.c - Business behaviour of the simulated Odoo modules
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * purchase (double validation), OCA base_tier_validation, mail (chatter,
 * tracking, activities), ir.cron, Odoo Approvals, OCA queue_job and the API key
 * wizard, each answering like the recorded server: what a method returns (or
 * that it returns None), which exception it raises and with which text.
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include <string.h>

#include "ct-json.h"
#include "ct-sim-domain.h"
#include "ct-sim-html.h"
#include "ct-sim-orm.h"
#include "ct-sim-schema.h"

#define SUBTYPE_COMMENT       1
#define SUBTYPE_NOTE          2
#define SUBTYPE_RFQ_CONFIRMED 7
#define SUBTYPE_RFQ_APPROVED  8
#define FIELD_PO_STATE        7627

/* ct-sim-decisions.c */
gboolean ct_sim_decisions_check_write (CtSimCall *call, CtSimModel *model, guint row,
                                       JsonObject *vals, GError **error);
void ct_sim_decisions_notify_assignee (CtSimCall *call, CtSimModel *target, guint row,
                                       const char *summary, const char *deadline, gint64 user_id);
void ct_sim_decisions_mark_feedback (CtSimCall *call, gint64 message_id, gint64 activity_type_id);
gboolean ct_sim_models_check_write  (CtSimCall *call, CtSimModel *model, guint row,
                                     JsonObject *vals, gboolean creating, GError **error);
void     ct_sim_models_after_create (CtSimCall *call, CtSimModel *model, guint row);
gboolean ct_sim_models_check_unlink (CtSimCall *call, guint row, GError **error);

static CtSimModel *
model (CtSimDb    *db,
       const char *name)
{
  return ct_sim_db_get_model (db, name);
}

static gint64
partner_of (CtSimCall *call)
{
  return call->user->partner_id;
}

static JsonNode *
bool_node (gboolean value)
{
  return json_node_init_boolean (json_node_alloc (), value);
}

static const char *
selection_label (CtSimField *field,
                 const char *value)
{
  JsonArray *sel;

  if (value == NULL || field->attrs == NULL || !json_object_has_member (field->attrs, "selection") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (field->attrs, "selection")))
    return value;
  sel = json_object_get_array_member (field->attrs, "selection");
  for (guint i = 0; i < json_array_get_length (sel); i++)
    {
      JsonArray *pair = json_array_get_array_element (sel, i);

      if (g_strcmp0 (json_array_get_string_element (pair, 0), value) == 0)
        return json_array_get_string_element (pair, 1);
    }
  return value;
}

/* Chatter */

gint64
ct_sim_orm_post_message (CtSimDb    *db,
                         const char *model_name,
                         gint64      res_id,
                         gint64      author_partner_id,
                         const char *body_html,
                         const char *message_type,
                         gint64      subtype_id)
{
  CtSimModel *messages = model (db, "mail.message");
  CtSimModel *target = model (db, model_name);
  g_autofree char *record_name = NULL;
  g_autofree char *preview = NULL;
  guint row = ct_sim_model_new_row (messages, 0);
  guint trow;

  if (target != NULL && ct_sim_model_lookup (target, res_id, &trow))
    {
      record_name = ct_sim_model_display_name (target, trow);
      if (ct_sim_model_get_field (target, "message_ids") != NULL)
        ct_sim_model_add_id (target, trow, "message_ids", ct_sim_model_row_id (messages, row));
    }
  ct_sim_model_set_str (messages, row, "body", body_html != NULL ? body_html : "");
  ct_sim_model_set_str (messages, row, "model", model_name);
  ct_sim_model_set_int (messages, row, "res_id", res_id);
  ct_sim_model_set_int (messages, row, "author_id", author_partner_id);
  ct_sim_model_set_str (messages, row, "date", ct_sim_db_datetime (db, 0));
  ct_sim_model_set_str (messages, row, "create_date", ct_sim_db_datetime (db, 0));
  ct_sim_model_set_str (messages, row, "write_date", ct_sim_db_datetime (db, 0));
  ct_sim_model_set_str (messages, row, "message_type", message_type);
  ct_sim_model_set_int (messages, row, "subtype_id", subtype_id);
  ct_sim_model_set_int (messages, row, "is_internal", subtype_id == SUBTYPE_NOTE);
  ct_sim_model_set_str (messages, row, "record_name", record_name);
  /* The preview is the body's text: for an escaped plain body, the raw markup. */
  preview = ct_sim_html_preview (body_html);
  ct_sim_model_set_str (messages, row, "preview", preview);
  return ct_sim_model_row_id (messages, row);
}

void
ct_sim_orm_track_state (CtSimDb    *db,
                        CtSimModel *target,
                        guint       row,
                        const char *new_state,
                        gint64      author_partner_id,
                        gint64      subtype_id)
{
  CtSimField *state = ct_sim_model_get_field (target, "state");
  const char *old = ct_sim_model_get (target, row, state).s;
  CtSimModel *tracking = model (db, "mail.tracking.value");
  gint64 message_id;
  guint trow, mrow;

  if (g_strcmp0 (old, new_state) == 0)
    return;
  ct_sim_model_set_str (target, row, "state", new_state);
  ct_sim_model_touch (target, row, 0);
  if (ct_sim_model_get_field (target, "message_ids") == NULL)
    return;
  message_id = ct_sim_orm_post_message (db, target->name, ct_sim_model_row_id (target, row),
                                        author_partner_id, "", "notification", subtype_id);
  trow = ct_sim_model_new_row (tracking, 0);
  ct_sim_model_set_int (tracking, trow, "field_id", FIELD_PO_STATE);
  ct_sim_model_set_str (tracking, trow, "old_value_char", selection_label (state, old));
  ct_sim_model_set_str (tracking, trow, "new_value_char", selection_label (state, new_state));
  ct_sim_model_set_int (tracking, trow, "mail_message_id", message_id);
  ct_sim_model_set_str (tracking, trow, "create_date", ct_sim_db_datetime (db, 0));
  ct_sim_model_lookup (model (db, "mail.message"), message_id, &mrow);
  ct_sim_model_add_id (model (db, "mail.message"), mrow, "tracking_value_ids",
                       ct_sim_model_row_id (tracking, trow));
}

/* Tier validation (OCA base_tier_validation) */

static gboolean
state_from (CtSimModel *m,
            guint       row)
{
  const char *state = ct_sim_model_get_field (m, "state") != NULL ?
    ct_sim_model_get_str (m, row, "state") : "draft";

  return state == NULL || g_strcmp0 (state, "draft") == 0 || g_strcmp0 (state, "sent") == 0 ||
    g_strcmp0 (state, "to approve") == 0;
}

/* Converts a Python-literal domain such as "[('a', '=', 1)]" to JSON. */
static JsonNode *
python_domain_to_json (const char *text)
{
  GString *json = g_string_new (NULL);
  gboolean in_string = FALSE;

  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            {
              g_string_append_c (json, *p++);
              g_string_append_c (json, *p);
            }
          else if (*p == '\'')
            {
              g_string_append_c (json, '"');
              in_string = FALSE;
            }
          else if (*p == '"')
            g_string_append (json, "\\\"");
          else
            g_string_append_c (json, *p);
          continue;
        }
      if (*p == '\'')
        {
          g_string_append_c (json, '"');
          in_string = TRUE;
        }
      else if (*p == '(')
        g_string_append_c (json, '[');
      else if (*p == ')')
        g_string_append_c (json, ']');
      else if (g_str_has_prefix (p, "True"))
        {
          g_string_append (json, "true");
          p += 3;
        }
      else if (g_str_has_prefix (p, "False"))
        {
          g_string_append (json, "false");
          p += 4;
        }
      else if (g_str_has_prefix (p, "None"))
        {
          g_string_append (json, "null");
          p += 3;
        }
      else
        g_string_append_c (json, *p);
    }
  {
    JsonNode *node = ct_json_parse (json->str, -1, NULL);

    g_string_free (json, TRUE);
    return node;
  }
}

/* The tier definitions that apply to a record, as rows of tier.definition. */
static GArray *
applicable_definitions (CtSimDb    *db,
                        CtSimModel *m,
                        guint       row)
{
  CtSimModel *defs = model (db, "tier.definition");
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint d = 0; d < ct_sim_model_n_rows (defs); d++)
    {
      g_autoptr(JsonNode) domain = NULL;
      g_autoptr(CtSimDomain) parsed = NULL;

      if (!ct_sim_model_row_alive (defs, d) || !ct_sim_model_get_int (defs, d, "active") ||
          g_strcmp0 (ct_sim_model_get_str (defs, d, "model"), m->name) != 0)
        continue;
      domain = python_domain_to_json (ct_sim_model_get_str (defs, d, "definition_domain"));
      parsed = ct_sim_domain_parse (m, domain, NULL);
      if (parsed != NULL && ct_sim_domain_match (parsed, row))
        g_array_append_val (out, d);
    }
  return out;
}

static GArray *
review_rows (CtSimDb    *db,
             CtSimModel *m,
             guint       row)
{
  CtSimModel *reviews = model (db, "tier.review");
  CtSimValue ids = ct_sim_model_get (m, row, ct_sim_model_get_field (m, "review_ids"));
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; ids.ids != NULL && i < ids.ids->len; i++)
    {
      guint r;

      if (ct_sim_model_lookup (reviews, g_array_index (ids.ids, gint64, i), &r))
        g_array_append_val (out, r);
    }
  return out;
}

static gboolean
review_has_reviewer (CtSimModel *reviews,
                     guint       r,
                     gint64      uid)
{
  CtSimValue v = ct_sim_model_get (reviews, r, ct_sim_model_get_field (reviews, "reviewer_ids"));

  for (guint i = 0; v.ids != NULL && i < v.ids->len; i++)
    if (g_array_index (v.ids, gint64, i) == uid)
      return TRUE;
  return FALSE;
}

static const char *
validation_status (CtSimDb    *db,
                   CtSimModel *m,
                   guint       row)
{
  g_autoptr(GArray) rows = review_rows (db, m, row);
  CtSimModel *reviews = model (db, "tier.review");
  gboolean all_approved = TRUE;

  if (rows->len == 0)
    return "no";
  for (guint i = 0; i < rows->len; i++)
    {
      const char *status = ct_sim_model_get_str (reviews, g_array_index (rows, guint, i), "status");

      if (g_strcmp0 (status, "rejected") == 0)
        return "rejected";
      if (g_strcmp0 (status, "approved") != 0)
        all_approved = FALSE;
    }
  return all_approved ? "validated" : "pending";
}

static gboolean
need_validation (CtSimDb    *db,
                 CtSimModel *m,
                 guint       row)
{
  g_autoptr(GArray) defs = NULL;
  g_autoptr(GArray) rows = review_rows (db, m, row);

  if (rows->len > 0 || !state_from (m, row))
    return FALSE;
  defs = applicable_definitions (db, m, row);
  return defs->len > 0;
}

static JsonNode *
compute_tier (CtSimModel *m,
              guint       row,
              CtSimField *field)
{
  CtSimDb *db = m->db;
  CtSimModel *reviews = model (db, "tier.review");
  const char *name = field->name;

  if (ct_sim_model_get_field (m, "review_ids") == NULL)
    return NULL;
  if (g_strcmp0 (name, "need_validation") == 0)
    return bool_node (need_validation (db, m, row));
  if (g_strcmp0 (name, "validation_status") == 0)
    return json_node_init_string (json_node_alloc (), validation_status (db, m, row));
  if (g_strcmp0 (name, "hide_reviews") == 0)
    return bool_node (!state_from (m, row));
  if (g_strcmp0 (name, "has_comment") == 0)
    return bool_node (FALSE);
  if (g_strcmp0 (name, "to_validate_message") == 0)
    return json_node_init_string (json_node_alloc (),
                                  "<span><i class=\"fa fa-info-circle\"></i> This Purchase Order "
                                  "needs to be validated</span>");
  if (g_strcmp0 (name, "validated_message") == 0 || g_strcmp0 (name, "rejected_message") == 0)
    return json_node_init_string (json_node_alloc (), "");
  if (g_strcmp0 (name, "can_review") == 0 || g_strcmp0 (name, "reviewer_ids") == 0 ||
      g_strcmp0 (name, "next_review") == 0)
    {
      g_autoptr(GArray) rows = review_rows (db, m, row);
      JsonArray *reviewers = json_array_new ();
      gboolean can = FALSE;
      const char *next = NULL;

      for (guint i = 0; i < rows->len; i++)
        {
          guint r = g_array_index (rows, guint, i);
          CtSimValue v;

          if (g_strcmp0 (ct_sim_model_get_str (reviews, r, "status"), "pending") != 0)
            continue;
          if (next == NULL)
            next = ct_sim_model_get_str (reviews, r, "name");
          can = can || review_has_reviewer (reviews, r, db->current_uid);
          v = ct_sim_model_get (reviews, r, ct_sim_model_get_field (reviews, "reviewer_ids"));
          for (guint j = 0; v.ids != NULL && j < v.ids->len; j++)
            json_array_add_int_element (reviewers, g_array_index (v.ids, gint64, j));
        }
      if (g_strcmp0 (name, "can_review") == 0)
        {
          json_array_unref (reviewers);
          return bool_node (can);
        }
      if (g_strcmp0 (name, "next_review") == 0)
        {
          g_autofree char *text = next != NULL ? g_strdup_printf ("Next: %s", next) : NULL;

          json_array_unref (reviewers);
          return text != NULL ? json_node_init_string (json_node_alloc (), text) : bool_node (FALSE);
        }
      return ct_sim_json_array (reviewers);
    }
  return NULL;
}

static JsonNode *
compute_review (CtSimModel *m,
                guint       row,
                CtSimField *field)
{
  if (g_strcmp0 (field->name, "can_review") == 0)
    return bool_node (g_strcmp0 (ct_sim_model_get_str (m, row, "status"), "pending") == 0 &&
                      review_has_reviewer (m, row, m->db->current_uid));
  if (g_strcmp0 (field->name, "display_status") == 0)
    return json_node_init_string (json_node_alloc (),
                                  selection_label (ct_sim_model_get_field (m, "status"),
                                                   ct_sim_model_get_str (m, row, "status")));
  return NULL;
}

static JsonNode *
compute_activity (CtSimModel *m,
                  guint       row,
                  CtSimField *field)
{
  if (g_strcmp0 (field->name, "state") == 0)
    {
      const char *deadline = ct_sim_model_get_str (m, row, "date_deadline");
      const char *today = ct_sim_db_date (m->db, 0);
      int c;

      if (!ct_sim_model_get_int (m, row, "active") && ct_sim_model_get_str (m, row, "date_done"))
        return json_node_init_string (json_node_alloc (), "done");
      if (deadline == NULL)
        return bool_node (FALSE);
      c = strcmp (deadline, today);
      return json_node_init_string (json_node_alloc (), c < 0 ? "overdue" : c == 0 ? "today" : "planned");
    }
  if (g_strcmp0 (field->name, "can_write") == 0)
    return bool_node (TRUE);
  return NULL;
}

static JsonNode *
compute_approval (CtSimModel *m,
                  guint       row,
                  CtSimField *field)
{
  if (g_strcmp0 (field->name, "user_status") == 0)
    {
      CtSimModel *approvers = model (m->db, "approval.approver");
      CtSimValue v = ct_sim_model_get (m, row, ct_sim_model_get_field (m, "approver_ids"));

      for (guint i = 0; v.ids != NULL && i < v.ids->len; i++)
        {
          guint a;

          if (ct_sim_model_lookup (approvers, g_array_index (v.ids, gint64, i), &a) &&
              ct_sim_model_get_int (approvers, a, "user_id") == m->db->current_uid)
            return json_node_init_string (json_node_alloc (),
                                          ct_sim_model_get_str (approvers, a, "status"));
        }
      return bool_node (FALSE);
    }
  return compute_tier (m, row, field);
}

static JsonNode *
compute_default (CtSimModel *m,
                 guint       row,
                 CtSimField *field)
{
  if (g_strcmp0 (field->name, "message_partner_ids") == 0)
    {
      /* The partners of the followers. */
      CtSimModel *followers = model (m->db, "mail.followers");
      CtSimField *ids_field = ct_sim_model_get_field (m, "message_follower_ids");
      CtSimValue v = ids_field != NULL ? ct_sim_model_get (m, row, ids_field) : (CtSimValue) { 0 };
      JsonArray *partners = json_array_new ();

      for (guint i = 0; v.ids != NULL && i < v.ids->len; i++)
        {
          guint f;

          if (ct_sim_model_lookup (followers, g_array_index (v.ids, gint64, i), &f))
            json_array_add_int_element (partners, ct_sim_model_get_int (followers, f, "partner_id"));
        }
      return ct_sim_json_array (partners);
    }
  return compute_tier (m, row, field);
}

static JsonNode *
pair_node (gint64      id,
           const char *name)
{
  JsonArray *pair = json_array_new ();

  json_array_add_int_element (pair, id);
  json_array_add_string_element (pair, name);
  return ct_sim_json_array (pair);
}

static JsonNode *
compute_purchase (CtSimModel *m,
                  guint       row,
                  CtSimField *field)
{
  const char *name = field->name;

  if (g_strcmp0 (name, "access_url") == 0)
    {
      g_autofree char *url = g_strdup_printf ("/my/purchase/%" G_GINT64_FORMAT, ct_sim_model_row_id (m, row));

      return json_node_init_string (json_node_alloc (), url);
    }
  if (g_strcmp0 (name, "access_warning") == 0 || g_strcmp0 (name, "purchase_warning_text") == 0)
    return json_node_init_string (json_node_alloc (), "");
  if (g_strcmp0 (name, "date_calendar_start") == 0)
    {
      const char *d = ct_sim_model_get_str (m, row, "date_approve");

      d = d != NULL ? d : ct_sim_model_get_str (m, row, "date_order");
      return d != NULL ? json_node_init_string (json_node_alloc (), d) : bool_node (FALSE);
    }
  if (g_strcmp0 (name, "tax_totals") == 0)
    {
      double total = ct_sim_model_get_float (m, row, "amount_total");
      g_autofree char *json = g_strdup_printf (
        "{\"currency_id\":1,\"currency_pd\":0.01,\"company_currency_id\":1,"
        "\"company_currency_pd\":0.01,\"has_tax_groups\":false,\"subtotals\":[{\"tax_groups\":[],"
        "\"tax_amount_currency\":0,\"tax_amount\":0,\"base_amount_currency\":%.2f,"
        "\"base_amount\":%.2f,\"name\":\"Untaxed Amount\"}],\"base_amount_currency\":%.2f,"
        "\"base_amount\":%.2f,\"tax_amount_currency\":0,\"tax_amount\":0,\"same_tax_base\":true,"
        "\"total_amount_currency\":%.2f,\"total_amount\":%.2f}", total, total, total, total, total, total);

      return ct_json_parse (json, -1, NULL);
    }
  if (g_strcmp0 (name, "tax_country_id") == 0)
    return pair_node (233, "United States");
  if (g_strcmp0 (name, "tax_calculation_rounding_method") == 0)
    return json_node_init_string (json_node_alloc (), "round_globally");
  if (g_strcmp0 (name, "company_currency_id") == 0)
    return pair_node (1, "USD");
  if (g_strcmp0 (name, "country_code") == 0)
    return json_node_init_string (json_node_alloc (), "US");
  if (g_strcmp0 (name, "company_price_include") == 0)
    return json_node_init_string (json_node_alloc (), "tax_excluded");
  if (g_strcmp0 (name, "default_location_dest_id_usage") == 0)
    return json_node_init_string (json_node_alloc (), "internal");
  if (g_strcmp0 (name, "on_time_rate") == 0)
    return json_node_init_int (json_node_alloc (), -1);
  if (g_strcmp0 (name, "currency_rate") == 0)
    return json_node_init_int (json_node_alloc (), 1);
  if (g_strcmp0 (name, "amount_total_cc") == 0)
    return ct_sim_model_value_to_json (m, row, ct_sim_model_get_field (m, "amount_total"));
  if (g_strcmp0 (name, "product_id") == 0)
    {
      CtSimModel *lines = model (m->db, "purchase.order.line");
      CtSimModel *products = model (m->db, "product.product");
      CtSimValue v = ct_sim_model_get (m, row, ct_sim_model_get_field (m, "order_line"));
      guint l, p;

      if (v.ids != NULL && v.ids->len > 0 &&
          ct_sim_model_lookup (lines, g_array_index (v.ids, gint64, 0), &l) &&
          ct_sim_model_lookup (products, ct_sim_model_get_int (lines, l, "product_id"), &p))
        {
          g_autofree char *display = ct_sim_model_display_name (products, p);

          return pair_node (ct_sim_model_row_id (products, p), display);
        }
      return bool_node (FALSE);
    }
  return compute_default (m, row, field);
}

void ct_sim_models_install_computes (CtSimDb *db);

void
ct_sim_models_install_computes (CtSimDb *db)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, db->models);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((CtSimModel *) value)->compute = compute_default;
  model (db, "tier.review")->compute = compute_review;
  model (db, "purchase.order")->compute = compute_purchase;
  model (db, "mail.activity")->compute = compute_activity;
  if (model (db, "approval.request") != NULL)
    model (db, "approval.request")->compute = compute_approval;
}

static void
refresh_reviews_todo (CtSimDb *db,
                      guint    r)
{
  CtSimModel *reviews = model (db, "tier.review");
  CtSimModel *users = model (db, "res.users");
  CtSimValue v = ct_sim_model_get (reviews, r, ct_sim_model_get_field (reviews, "reviewer_ids"));
  GString *todo = g_string_new (NULL);

  for (guint i = 0; v.ids != NULL && i < v.ids->len; i++)
    {
      guint u;

      if (ct_sim_model_lookup (users, g_array_index (v.ids, gint64, i), &u))
        g_string_append_printf (todo, "%s%s", todo->len > 0 ? ", " : "",
                                ct_sim_model_get_str (users, u, "name"));
    }
  ct_sim_model_set_str (reviews, r, "todo_by", todo->str);
  g_string_free (todo, TRUE);
}

/* Creates the reviews of one record; returns their ids in @created. */
static void
request_validation_row (CtSimCall  *call,
                        CtSimModel *m,
                        guint       row,
                        JsonArray  *created)
{
  CtSimDb *db = call->db;
  CtSimModel *defs = model (db, "tier.definition");
  CtSimModel *reviews = model (db, "tier.review");
  g_autoptr(GArray) applicable = NULL;

  if (!need_validation (db, m, row))
    return;
  applicable = applicable_definitions (db, m, row);
  for (guint i = 0; i < applicable->len; i++)
    {
      guint d = g_array_index (applicable, guint, i);
      guint r = ct_sim_model_new_row (reviews, 0);
      gint64 reviewer = ct_sim_model_get_int (defs, d, "reviewer_id");
      gint64 id = ct_sim_model_row_id (reviews, r);

      ct_sim_model_set_str (reviews, r, "name", ct_sim_model_get_str (defs, d, "name"));
      ct_sim_model_set_str (reviews, r, "model", m->name);
      ct_sim_model_set_int (reviews, r, "res_id", ct_sim_model_row_id (m, row));
      ct_sim_model_set_int (reviews, r, "definition_id", ct_sim_model_row_id (defs, d));
      ct_sim_model_set_str (reviews, r, "status", i == 0 || !ct_sim_model_get_int (defs, d, "approve_sequence") ?
                            "pending" : "waiting");
      ct_sim_model_set_int (reviews, r, "sequence", ct_sim_model_get_int (defs, d, "sequence"));
      ct_sim_model_set_int (reviews, r, "reviewer_id", reviewer);
      ct_sim_model_set_int (reviews, r, "reviewer_group_id", ct_sim_model_get_int (defs, d, "reviewer_group_id"));
      if (reviewer != 0)
        ct_sim_model_add_id (reviews, r, "reviewer_ids", reviewer);
      ct_sim_model_set_int (reviews, r, "requested_by", call->user->uid);
      ct_sim_model_set_int (reviews, r, "approve_sequence", ct_sim_model_get_int (defs, d, "approve_sequence"));
      ct_sim_model_set_str (reviews, r, "create_date", ct_sim_db_datetime (db, 0));
      refresh_reviews_todo (db, r);
      ct_sim_model_add_id (m, row, "review_ids", id);
      ct_sim_model_touch (reviews, r, call->user->uid);
      ct_sim_model_touch (m, row, call->user->uid);
      json_array_add_int_element (created, id);
    }
  ct_sim_orm_post_message (db, m->name, ct_sim_model_row_id (m, row), partner_of (call),
                           "<p>A review has been requested</p>", "notification", SUBTYPE_NOTE);
}

static void
decide_reviews (CtSimCall  *call,
                CtSimModel *m,
                guint       row,
                const char *status,
                const char *comment)
{
  CtSimModel *reviews = model (call->db, "tier.review");
  g_autoptr(GArray) rows = review_rows (call->db, m, row);
  gboolean decided = FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      guint r = g_array_index (rows, guint, i);

      if (g_strcmp0 (ct_sim_model_get_str (reviews, r, "status"), "pending") != 0 ||
          !review_has_reviewer (reviews, r, call->user->uid))
        continue;
      ct_sim_model_set_str (reviews, r, "status", status);
      ct_sim_model_touch (reviews, r, call->user->uid);
      ct_sim_model_set_int (reviews, r, "done_by", call->user->uid);
      ct_sim_model_set_str (reviews, r, "reviewed_date", ct_sim_db_datetime (call->db, 0));
      if (comment != NULL)
        ct_sim_model_set_str (reviews, r, "comment", comment);
      decided = TRUE;
    }
  /* With approve_sequence, the next waiting review becomes pending. */
  if (decided && g_strcmp0 (status, "approved") == 0)
    for (guint i = 0; i < rows->len; i++)
      {
        guint r = g_array_index (rows, guint, i);

        if (g_strcmp0 (ct_sim_model_get_str (reviews, r, "status"), "waiting") == 0)
          {
            ct_sim_model_set_str (reviews, r, "status", "pending");
            break;
          }
      }
  if (decided)
    ct_sim_model_touch (m, row, call->user->uid);
  if (decided)
    ct_sim_orm_post_message (call->db, m->name, ct_sim_model_row_id (m, row), partner_of (call),
                             g_strcmp0 (status, "approved") == 0 ?
                             "<p>A review was accepted</p>" : "<p>A review was rejected</p>",
                             "notification", SUBTYPE_NOTE);
}

static gboolean
definition_wants_comment (CtSimCall  *call,
                          CtSimModel *m,
                          guint       row)
{
  CtSimModel *reviews = model (call->db, "tier.review");
  CtSimModel *defs = model (call->db, "tier.definition");
  g_autoptr(GArray) rows = review_rows (call->db, m, row);

  for (guint i = 0; i < rows->len; i++)
    {
      guint r = g_array_index (rows, guint, i);
      guint d;

      if (g_strcmp0 (ct_sim_model_get_str (reviews, r, "status"), "pending") == 0 &&
          review_has_reviewer (reviews, r, call->user->uid) &&
          ct_sim_model_lookup (defs, ct_sim_model_get_int (reviews, r, "definition_id"), &d) &&
          ct_sim_model_get_int (defs, d, "has_comment"))
        return TRUE;
    }
  return FALSE;
}

static JsonNode *
comment_wizard_action (CtSimCall  *call,
                       CtSimModel *m,
                       guint       row,
                       const char *kind)
{
  CtSimModel *wizards = model (call->db, "comment.wizard");
  guint w = ct_sim_model_new_row (wizards, 0);
  JsonObject *action = json_object_new ();
  JsonObject *context = json_object_new ();

  ct_sim_model_set_str (wizards, w, "res_model", m->name);
  ct_sim_model_set_int (wizards, w, "res_id", ct_sim_model_row_id (m, row));
  ct_sim_model_set_str (wizards, w, "validate_reject", kind);
  json_object_set_string_member (action, "name", "Comment");
  json_object_set_string_member (action, "type", "ir.actions.act_window");
  json_object_set_string_member (action, "res_model", "comment.wizard");
  json_object_set_int_member (action, "res_id", ct_sim_model_row_id (wizards, w));
  json_object_set_string_member (action, "view_mode", "form");
  json_object_set_string_member (action, "target", "new");
  json_object_set_string_member (context, "default_res_model", m->name);
  json_object_set_int_member (context, "default_res_id", ct_sim_model_row_id (m, row));
  json_object_set_string_member (context, "default_validate_reject", kind);
  json_object_set_object_member (action, "context", context);
  return ct_sim_json_object (action);
}

/* The write() check of base_tier_validation for a move to a validated state. */
static gboolean
tier_check_state_change (CtSimCall   *call,
                         CtSimModel  *m,
                         guint        row,
                         GError     **error)
{
  const char *status;

  if (ct_sim_model_get_field (m, "review_ids") == NULL)
    return TRUE;
  if (need_validation (call->db, m, row))
    {
      /* Odoo requests the validation and validates the tiers the current
       * user reviews; it goes through only when that is all of them. */
      g_autoptr(JsonArray) created = json_array_new ();

      request_validation_row (call, m, row, created);
      decide_reviews (call, m, row, "approved", NULL);
      if (g_strcmp0 (validation_status (call->db, m, row), "validated") != 0)
        {
          g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALIDATION_ERROR,
                               "This action needs to be validated for at least one record. \n"
                               "Please request a validation.");
          return FALSE;
        }
      return TRUE;
    }
  status = validation_status (call->db, m, row);
  if (g_strcmp0 (status, "no") != 0 && g_strcmp0 (status, "validated") != 0)
    {
      g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALIDATION_ERROR,
                           "A validation process is still open for at least one record.");
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
m_request_validation (CtSimCall  *call,
                      GError    **error)
{
  JsonArray *created = json_array_new ();

  if (!ct_sim_orm_check_exists (call, error))
    {
      json_array_unref (created);
      return NULL;
    }
  for (guint i = 0; i < call->ids->len; i++)
    {
      guint row;

      ct_sim_model_lookup (call->model, g_array_index (call->ids, gint64, i), &row);
      request_validation_row (call, call->model, row, created);
    }
  return ct_sim_json_array (created);
}

static JsonNode *
m_validate_tier (CtSimCall  *call,
                 GError    **error)
{
  guint row;

  if (!ct_sim_orm_ensure_one (call, &row, error))
    return NULL;
  if (definition_wants_comment (call, call->model, row))
    return comment_wizard_action (call, call->model, row, "validate");
  decide_reviews (call, call->model, row, "approved", NULL);
  return NULL;
}

static JsonNode *
m_reject_tier (CtSimCall  *call,
               GError    **error)
{
  guint row;

  if (!ct_sim_orm_ensure_one (call, &row, error))
    return NULL;
  if (definition_wants_comment (call, call->model, row))
    return comment_wizard_action (call, call->model, row, "reject");
  decide_reviews (call, call->model, row, "rejected", NULL);
  return NULL;
}

static JsonNode *
m_restart_validation (CtSimCall  *call,
                      GError    **error)
{
  CtSimModel *reviews = model (call->db, "tier.review");

  if (!ct_sim_orm_check_exists (call, error))
    return NULL;
  for (guint i = 0; i < call->ids->len; i++)
    {
      g_autoptr(GArray) rows = NULL;
      guint row;

      ct_sim_model_lookup (call->model, g_array_index (call->ids, gint64, i), &row);
      /* Only from the states an order's validation starts from: on an
       * approved order it is a silent no-op (10-31). */
      if (g_strcmp0 (call->model->name, "purchase.order") == 0 &&
          !g_strv_contains ((const char *const[]) { "draft", "sent", "to approve", NULL },
                            ct_sim_model_get_str (call->model, row, "state") ?
                            ct_sim_model_get_str (call->model, row, "state") : ""))
        continue;
      rows = review_rows (call->db, call->model, row);
      for (guint j = 0; j < rows->len; j++)
        ct_sim_model_unlink_row (reviews, g_array_index (rows, guint, j));
      ct_sim_model_set (call->model, row, ct_sim_model_get_field (call->model, "review_ids"),
                        (CtSimValue) { .ids = NULL });
    }
  return NULL;
}

static JsonNode *
m_add_comment (CtSimCall  *call,
               GError    **error)
{
  CtSimModel *wizards = call->model;
  CtSimModel *target;
  guint w, row;

  if (!ct_sim_orm_ensure_one (call, &w, error))
    return NULL;
  target = model (call->db, ct_sim_model_get_str (wizards, w, "res_model"));
  if (target == NULL || !ct_sim_model_lookup (target, ct_sim_model_get_int (wizards, w, "res_id"), &row))
    {
      g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_MISSING_ERROR,
                           "Record does not exist or has been deleted.");
      return NULL;
    }
  if (ct_sim_model_get_str (wizards, w, "comment") == NULL)
    {
      g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALIDATION_ERROR,
                           "Comment is required.");
      return NULL;
    }
  decide_reviews (call, target, row,
                  g_strcmp0 (ct_sim_model_get_str (wizards, w, "validate_reject"), "reject") == 0 ?
                  "rejected" : "approved", ct_sim_model_get_str (wizards, w, "comment"));
  return NULL;
}

/* purchase */

static gboolean
approval_allowed (CtSimCall *call,
                  guint      row)
{
  CtSimModel *po = call->model;
  CtSimModel *companies = model (call->db, "res.company");
  guint c;

  if (ct_sim_user_has_group (call->user, "purchase.group_purchase_manager"))
    return TRUE;
  if (!ct_sim_model_lookup (companies, ct_sim_model_get_int (po, row, "company_id"), &c))
    return TRUE;
  if (g_strcmp0 (ct_sim_model_get_str (companies, c, "po_double_validation"), "two_step") != 0)
    return TRUE;
  return ct_sim_model_get_float (po, row, "amount_total") <
    ct_sim_model_get_float (companies, c, "po_double_validation_amount");
}

static gboolean
approve_order (CtSimCall  *call,
               guint       row,
               GError    **error)
{
  if (!tier_check_state_change (call, call->model, row, error))
    return FALSE;
  ct_sim_orm_track_state (call->db, call->model, row, "purchase", partner_of (call),
                          SUBTYPE_RFQ_APPROVED);
  ct_sim_model_set_str (call->model, row, "date_approve", ct_sim_db_datetime (call->db, 0));
  ct_sim_model_set_str (call->model, row, "write_date", ct_sim_db_datetime (call->db, 0));
  ct_sim_model_set_int (call->model, row, "write_uid", call->user->uid);
  return TRUE;
}

static JsonNode *
m_button_confirm (CtSimCall  *call,
                  GError    **error)
{
  if (!ct_sim_orm_check_exists (call, error))
    return NULL;
  for (guint i = 0; i < call->ids->len; i++)
    {
      guint row;
      const char *state;

      ct_sim_model_lookup (call->model, g_array_index (call->ids, gint64, i), &row);
      state = ct_sim_model_get_str (call->model, row, "state");
      if (g_strcmp0 (state, "draft") != 0 && g_strcmp0 (state, "sent") != 0)
        continue;
      if (approval_allowed (call, row))
        {
          if (!approve_order (call, row, error))
            return NULL;
        }
      else
        ct_sim_orm_track_state (call->db, call->model, row, "to approve", partner_of (call),
                                SUBTYPE_RFQ_CONFIRMED);
    }
  return bool_node (TRUE);
}

static JsonNode *
m_button_approve (CtSimCall  *call,
                  GError    **error)
{
  if (!ct_sim_orm_check_exists (call, error))
    return NULL;
  for (guint i = 0; i < call->ids->len; i++)
    {
      guint row;

      ct_sim_model_lookup (call->model, g_array_index (call->ids, gint64, i), &row);
      /* Odoo filters the orders the user may approve and silently skips the
       * others (04-json2-button_approve-as-purchaser-not-manager-silent-noop). */
      if (!approval_allowed (call, row))
        continue;
      if (!approve_order (call, row, error))
        return NULL;
    }
  return ct_sim_json_object (json_object_new ());
}

static JsonNode *
m_button_cancel (CtSimCall  *call,
                 GError    **error)
{
  if (!ct_sim_orm_check_exists (call, error))
    return NULL;
  for (guint i = 0; i < call->ids->len; i++)
    {
      guint row;

      ct_sim_model_lookup (call->model, g_array_index (call->ids, gint64, i), &row);
      if (g_strcmp0 (ct_sim_model_get_str (call->model, row, "state"), "done") == 0)
        {
          g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_USER_ERROR,
                               "Unable to cancel this purchase order. You must first cancel the "
                               "related vendor bills.");
          return NULL;
        }
      ct_sim_orm_track_state (call->db, call->model, row, "cancel", partner_of (call), SUBTYPE_NOTE);
    }
  return NULL;
}

static JsonNode *
m_button_draft (CtSimCall  *call,
                GError    **error)
{
  if (!ct_sim_orm_check_exists (call, error))
    return NULL;
  for (guint i = 0; i < call->ids->len; i++)
    {
      guint row;

      ct_sim_model_lookup (call->model, g_array_index (call->ids, gint64, i), &row);
      ct_sim_orm_track_state (call->db, call->model, row, "draft", partner_of (call), SUBTYPE_NOTE);
    }
  return ct_sim_json_object (json_object_new ());
}

/* A validated state for the other document types, with the tier check. */
static JsonNode *
move_to_state (CtSimCall   *call,
               const char  *from,
               const char  *to,
               GError     **error)
{
  g_autoptr(GArray) rows = ct_sim_orm_rows (call, error);

  if (rows == NULL)
    return NULL;
  for (guint i = 0; i < rows->len; i++)
    {
      guint row = g_array_index (rows, guint, i);
      const char *state;

      state = ct_sim_model_get_str (call->model, row, "state");
      if (from != NULL && strstr (from, state != NULL ? state : "-") == NULL)
        {
          g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_USER_ERROR,
                       "Only records in %s can be processed, %s is %s.", from,
                       ct_sim_model_get_str (call->model, row, "name"), state);
          return NULL;
        }
      if (!tier_check_state_change (call, call->model, row, error))
        return NULL;
      ct_sim_orm_track_state (call->db, call->model, row, to, partner_of (call), SUBTYPE_NOTE);
    }
  return bool_node (TRUE);
}

static JsonNode *
m_sale_action_confirm (CtSimCall *call, GError **error)
{
  return move_to_state (call, "draft,sent", "sale", error);
}

static JsonNode *
m_sale_action_cancel (CtSimCall *call, GError **error)
{
  return move_to_state (call, NULL, "cancel", error);
}

static JsonNode *
m_move_action_post (CtSimCall *call, GError **error)
{
  JsonNode *result = move_to_state (call, "draft", "posted", error);

  if (result != NULL)
    {
      json_node_unref (result);
      return NULL;
    }
  return NULL;
}

static JsonNode *
m_button_validate (CtSimCall *call, GError **error)
{
  return move_to_state (call, "draft,waiting,confirmed,assigned", "done", error);
}

static JsonNode *
m_scrap_validate (CtSimCall *call, GError **error)
{
  return move_to_state (call, "draft", "done", error);
}

static JsonNode *
m_apply_inventory (CtSimCall  *call,
                   GError    **error)
{
  g_autoptr(GArray) rows = ct_sim_orm_rows (call, error);

  if (rows == NULL)
    return NULL;
  for (guint i = 0; i < rows->len; i++)
    {
      guint row = g_array_index (rows, guint, i);

      if (!tier_check_state_change (call, call->model, row, error))
        return NULL;
      ct_sim_model_set_float (call->model, row, "quantity",
                              ct_sim_model_get_float (call->model, row, "inventory_quantity"));
      ct_sim_model_set_float (call->model, row, "inventory_diff_quantity", 0);
      ct_sim_model_set_int (call->model, row, "inventory_quantity_set", 0);
    }
  return NULL;
}

/* mail.thread */

static gint64
subtype_for (const char *xmlid)
{
  if (g_strcmp0 (xmlid, "mail.mt_note") == 0)
    return SUBTYPE_NOTE;
  return SUBTYPE_COMMENT;
}

static char *
html_body (const char *body,
           gboolean    is_html)
{
  if (body == NULL || body[0] == '\0')
    return g_strdup ("");
  /* Plain text is escaped and wrapped, as recorded: "<p>&lt;p&gt;...</p>". */
  return is_html ? ct_sim_html_sanitize (body) : ct_sim_html_from_text (body);
}

static JsonNode *
m_message_post (CtSimCall  *call,
                GError    **error)
{
  JsonNode *body = ct_sim_orm_kwarg (call, "body");
  JsonNode *is_html = ct_sim_orm_kwarg (call, "body_is_html");
  JsonNode *type = ct_sim_orm_kwarg (call, "message_type");
  JsonNode *subtype = ct_sim_orm_kwarg (call, "subtype_xmlid");
  g_autofree char *html = NULL;
  JsonArray *result;
  guint row;
  gint64 id;

  if (!ct_sim_orm_ensure_one (call, &row, error))
    return NULL;
  html = html_body (body != NULL && JSON_NODE_HOLDS_VALUE (body) &&
                    json_node_get_value_type (body) == G_TYPE_STRING ? json_node_get_string (body) : "",
                    is_html != NULL && JSON_NODE_HOLDS_VALUE (is_html) &&
                    json_node_get_value_type (is_html) == G_TYPE_BOOLEAN && json_node_get_boolean (is_html));
  id = ct_sim_orm_post_message (call->db, call->model->name, ct_sim_model_row_id (call->model, row),
                                partner_of (call), html,
                                type != NULL && JSON_NODE_HOLDS_VALUE (type) &&
                                json_node_get_value_type (type) == G_TYPE_STRING ?
                                json_node_get_string (type) : "notification",
                                subtype_for (subtype != NULL && JSON_NODE_HOLDS_VALUE (subtype) &&
                                             json_node_get_value_type (subtype) == G_TYPE_STRING ?
                                             json_node_get_string (subtype) : NULL));
  result = json_array_new ();
  json_array_add_int_element (result, id);
  return ct_sim_json_array (result);
}

static gint64
activity_type_for (const char *xmlid)
{
  if (g_strcmp0 (xmlid, "mail.mail_activity_data_email") == 0)
    return 1;
  if (g_strcmp0 (xmlid, "mail.mail_activity_data_call") == 0)
    return 2;
  if (g_strcmp0 (xmlid, "mail.mail_activity_data_meeting") == 0)
    return 3;
  if (g_strcmp0 (xmlid, "mail.mail_activity_data_upload_document") == 0)
    return 5;
  return 4;   /* mail.mail_activity_data_todo */
}

static gint64
create_activity (CtSimDb    *db,
                 CtSimModel *target,
                 guint       row,
                 gint64      type_id,
                 const char *deadline,
                 const char *summary,
                 const char *note,
                 gint64      user_id,
                 gint64      create_uid)
{
  CtSimModel *activities = model (db, "mail.activity");
  guint a = ct_sim_model_new_row (activities, 0);
  g_autofree char *res_name = ct_sim_model_display_name (target, row);
  gint64 id = ct_sim_model_row_id (activities, a);

  ct_sim_model_set_int (activities, a, "res_model_id", target->ir_model_id);
  ct_sim_model_set_str (activities, a, "res_model", target->name);
  ct_sim_model_set_int (activities, a, "res_id", ct_sim_model_row_id (target, row));
  ct_sim_model_set_str (activities, a, "res_name", res_name);
  ct_sim_model_set_int (activities, a, "activity_type_id", type_id);
  ct_sim_model_set_str (activities, a, "date_deadline", deadline != NULL ? deadline : ct_sim_db_date (db, 0));
  ct_sim_model_set_str (activities, a, "summary", summary);
  ct_sim_model_set_str (activities, a, "note", note);
  ct_sim_model_set_int (activities, a, "user_id", user_id);
  ct_sim_model_set_int (activities, a, "active", 1);
  ct_sim_model_set_str (activities, a, "activity_category", "default");
  ct_sim_model_set_str (activities, a, "create_date", ct_sim_db_datetime (db, 0));
  ct_sim_model_set_int (activities, a, "create_uid", create_uid);
  if (ct_sim_model_get_field (target, "activity_ids") != NULL)
    ct_sim_model_add_id (target, row, "activity_ids", id);
  return id;
}

gint64 ct_sim_models_create_activity (CtSimDb *db, CtSimModel *target, guint row, gint64 type_id,
                                      const char *deadline, const char *summary, const char *note,
                                      gint64 user_id, gint64 create_uid);

gint64
ct_sim_models_create_activity (CtSimDb    *db,
                               CtSimModel *target,
                               guint       row,
                               gint64      type_id,
                               const char *deadline,
                               const char *summary,
                               const char *note,
                               gint64      user_id,
                               gint64      create_uid)
{
  return create_activity (db, target, row, type_id, deadline, summary, note, user_id, create_uid);
}

static const char *
node_string (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static JsonNode *
m_activity_schedule (CtSimCall  *call,
                     GError    **error)
{
  JsonArray *created;
  JsonNode *user = ct_sim_orm_kwarg (call, "user_id");
  gint64 user_id = user != NULL && JSON_NODE_HOLDS_VALUE (user) &&
    json_node_get_value_type (user) == G_TYPE_INT64 ? json_node_get_int (user) : call->user->uid;
  const char *deadline = node_string (ct_sim_orm_kwarg (call, "date_deadline"));

  if (!ct_sim_orm_check_exists (call, error))
    return NULL;
  if (deadline != NULL && !g_regex_match_simple ("^\\d{4}-\\d{2}-\\d{2}$", deadline, 0, 0))
    {
      g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                   "time data '%s' does not match format '%%Y-%%m-%%d'", deadline);
      return NULL;
    }
  created = json_array_new ();
  for (guint i = 0; i < call->ids->len; i++)
    {
      guint row;

      ct_sim_model_lookup (call->model, g_array_index (call->ids, gint64, i), &row);
      json_array_add_int_element (created,
                                  create_activity (call->db, call->model, row,
                                                   activity_type_for (node_string (ct_sim_orm_kwarg (call, "act_type_xmlid"))),
                                                   deadline,
                                                   node_string (ct_sim_orm_kwarg (call, "summary")),
                                                   node_string (ct_sim_orm_kwarg (call, "note")),
                                                   user_id, call->user->uid));
      ct_sim_decisions_notify_assignee (call, call->model, row,
                                        node_string (ct_sim_orm_kwarg (call, "summary")),
                                        deadline != NULL ? deadline : ct_sim_db_date (call->db, 0),
                                        user_id);
    }
  return ct_sim_json_array (created);
}

static JsonNode *
m_action_feedback (CtSimCall  *call,
                   GError    **error)
{
  const char *feedback = node_string (ct_sim_orm_kwarg (call, "feedback"));
  CtSimModel *activities = call->model;
  gint64 message_id = 0;

  if (!ct_sim_orm_check_exists (call, error))
    return NULL;
  for (guint i = 0; i < call->ids->len; i++)
    {
      guint a;
      g_autofree char *body = NULL;
      g_autofree char *escaped = NULL;
      const char *summary;

      ct_sim_model_lookup (activities, g_array_index (call->ids, gint64, i), &a);
      summary = ct_sim_model_get_str (activities, a, "summary");
      escaped = g_markup_escape_text (feedback != NULL ? feedback : "", -1);
      body = g_strdup_printf ("<p>%s done</p>%s%s%s", summary != NULL ? summary : "Activity",
                              feedback != NULL ? "<div>" : "", feedback != NULL ? escaped : "",
                              feedback != NULL ? "</div>" : "");
      message_id = ct_sim_orm_post_message (call->db, ct_sim_model_get_str (activities, a, "res_model"),
                                            ct_sim_model_get_int (activities, a, "res_id"),
                                            partner_of (call), body, "notification", SUBTYPE_NOTE);
      ct_sim_decisions_mark_feedback (call, message_id,
                                      ct_sim_model_get_int (activities, a, "activity_type_id"));
      ct_sim_model_set_int (activities, a, "active", 0);
      ct_sim_model_touch (activities, a, call->user->uid);
      ct_sim_model_set_str (activities, a, "date_done", ct_sim_db_date (call->db, 0));
      ct_sim_model_set_str (activities, a, "feedback", feedback);
    }
  if (call->ids->len == 0)
    return bool_node (FALSE);
  return json_node_init_int (json_node_alloc (), message_id);
}

/* ir.cron */

static JsonNode *
m_method_direct_trigger (CtSimCall  *call,
                         GError    **error)
{
  g_autoptr(GArray) rows = ct_sim_orm_rows (call, error);

  if (rows == NULL)
    return NULL;
  for (guint i = 0; i < rows->len; i++)
    {
      guint row = g_array_index (rows, guint, i);

      ct_sim_model_set_str (call->model, row, "lastcall", ct_sim_db_datetime (call->db, 0));
      ct_sim_model_touch (call->model, row, call->user->uid);
    }
  return bool_node (TRUE);
}

/* res.users */

static JsonNode *
m_context_get (CtSimCall  *call,
               GError    **error)
{
  JsonObject *context = json_object_new ();

  json_object_set_string_member (context, "lang", "en_US");
  json_object_set_string_member (context, "tz", "Europe/Brussels");
  json_object_set_int_member (context, "uid", call->user->uid);
  return ct_sim_json_object (context);
}

/* res.users.has_group over JSON-2: {"ids": [uid], "group_ext_id": "…"} gives a
 * bare boolean (08-26, 08-27). */
static JsonNode *
m_has_group (CtSimCall  *call,
             GError    **error)
{
  JsonNode *group = ct_sim_orm_kwarg (call, "group_ext_id");
  CtSimUser *user;
  guint row;

  if (!ct_sim_orm_ensure_one (call, &row, error))
    return NULL;
  user = ct_sim_odoo_get_user (call->odoo, g_array_index (call->ids, gint64, 0));
  return bool_node (group != NULL && JSON_NODE_HOLDS_VALUE (group) &&
                    json_node_get_value_type (group) == G_TYPE_STRING &&
                    ct_sim_user_has_group (user, json_node_get_string (group)));
}

/* API keys: res.users.apikeys.description.make_key -> identity check -> key */

static JsonNode *
m_make_key (CtSimCall  *call,
            GError    **error)
{
  CtSimModel *checks = model (call->db, "res.users.identitycheck");
  JsonObject *action, *context;
  JsonArray *views, *view;
  guint row, c;

  if (!ct_sim_orm_ensure_one (call, &row, error))
    return NULL;
  c = ct_sim_model_new_row (checks, 0);
  ct_sim_model_set_str (checks, c, "request", ct_sim_model_get_str (call->model, row, "name"));
  action = json_object_new ();
  json_object_set_string_member (action, "type", "ir.actions.act_window");
  json_object_set_string_member (action, "res_model", "res.users.identitycheck");
  json_object_set_int_member (action, "res_id", ct_sim_model_row_id (checks, c));
  json_object_set_string_member (action, "name", "Access Control");
  json_object_set_string_member (action, "target", "new");
  views = json_array_new ();
  view = json_array_new ();
  json_array_add_boolean_element (view, FALSE);
  json_array_add_string_element (view, "form");
  json_array_add_array_element (views, view);
  json_object_set_array_member (action, "views", views);
  context = json_object_new ();
  json_object_set_string_member (context, "dialog_size", "medium");
  json_object_set_object_member (action, "context", context);
  return ct_sim_json_object (action);
}

static JsonNode *
m_run_check (CtSimCall  *call,
             GError    **error)
{
  const char *password = call->context != NULL ?
    node_string (json_object_get_member (call->context, "password")) : NULL;
  JsonObject *action, *context;
  JsonArray *views, *view;
  GString *key;
  guint row;

  if (!ct_sim_orm_ensure_one (call, &row, error))
    return NULL;
  if (password == NULL)
    password = node_string (json_object_get_member (call->kwargs, "password"));
  if (password == NULL || g_strcmp0 (password, call->user->password) != 0)
    {
      g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_USER_ERROR,
                           "Incorrect Password, try again or click on Forgot Password to reset "
                           "your password.");
      return NULL;
    }
  key = g_string_new (NULL);
  for (guint i = 0; i < 40; i++)
    g_string_append_c (key, "0123456789abcdef"[g_random_int_range (0, 16)]);
  g_ptr_array_add (call->user->api_keys, g_strdup (key->str));
  action = json_object_new ();
  json_object_set_string_member (action, "type", "ir.actions.act_window");
  json_object_set_string_member (action, "res_model", "res.users.apikeys.show");
  json_object_set_string_member (action, "name", "API Key Ready");
  views = json_array_new ();
  view = json_array_new ();
  json_array_add_boolean_element (view, FALSE);
  json_array_add_string_element (view, "form");
  json_array_add_array_element (views, view);
  json_object_set_array_member (action, "views", views);
  json_object_set_string_member (action, "target", "new");
  context = json_object_new ();
  json_object_set_string_member (context, "default_key", key->str);
  json_object_set_object_member (action, "context", context);
  g_string_free (key, TRUE);
  return ct_sim_json_object (action);
}

/* queue.job */

static JsonNode *
set_job_state (CtSimCall  *call,
               const char *state,
               GError    **error)
{
  g_autoptr(GArray) rows = ct_sim_orm_rows (call, error);

  if (rows == NULL)
    return NULL;
  for (guint i = 0; i < rows->len; i++)
    {
      guint row = g_array_index (rows, guint, i);

      ct_sim_model_set_str (call->model, row, "state", state);
      ct_sim_model_touch (call->model, row, call->user->uid);
      if (g_strcmp0 (state, "pending") == 0)
        {
          ct_sim_model_set_str (call->model, row, "exc_name", NULL);
          ct_sim_model_set_str (call->model, row, "exc_message", NULL);
          ct_sim_model_set_str (call->model, row, "exc_info", NULL);
          ct_sim_model_set_int (call->model, row, "retry", 0);
          ct_sim_model_set_str (call->model, row, "date_enqueued", NULL);
        }
      if (g_strcmp0 (state, "done") == 0)
        ct_sim_model_set_str (call->model, row, "date_done", ct_sim_db_datetime (call->db, 0));
    }
  return bool_node (TRUE);
}

static JsonNode *
m_requeue (CtSimCall *call, GError **error)
{
  return set_job_state (call, "pending", error);
}

static JsonNode *
m_job_done (CtSimCall *call, GError **error)
{
  return set_job_state (call, "done", error);
}

static JsonNode *
m_job_cancel (CtSimCall *call, GError **error)
{
  return set_job_state (call, "cancelled", error);
}

/* Odoo Approvals */

static void
update_request_status (CtSimDb *db,
                       guint    row)
{
  CtSimModel *requests = model (db, "approval.request");
  CtSimModel *approvers = model (db, "approval.approver");
  CtSimValue v = ct_sim_model_get (requests, row, ct_sim_model_get_field (requests, "approver_ids"));
  guint n = 0, approved = 0, refused = 0, cancelled = 0, fresh = 0;
  gboolean required_ok = TRUE;
  gint64 minimum = ct_sim_model_get_int (requests, row, "approval_minimum");
  const char *status;

  for (guint i = 0; v.ids != NULL && i < v.ids->len; i++)
    {
      guint a;
      const char *s;

      if (!ct_sim_model_lookup (approvers, g_array_index (v.ids, gint64, i), &a))
        continue;
      s = ct_sim_model_get_str (approvers, a, "status");
      n++;
      approved += g_strcmp0 (s, "approved") == 0;
      refused += g_strcmp0 (s, "refused") == 0;
      cancelled += g_strcmp0 (s, "cancel") == 0;
      fresh += g_strcmp0 (s, "new") == 0;
      if (ct_sim_model_get_int (approvers, a, "required") && g_strcmp0 (s, "approved") != 0)
        required_ok = FALSE;
    }
  if (n == 0)
    return;
  if ((gint64) n < minimum)
    minimum = n;
  status = cancelled ? "cancel" : refused ? "refused" : fresh ? "new" :
           (approved >= minimum && required_ok) ? "approved" : "pending";
  ct_sim_model_set_str (requests, row, "request_status", status);
}

static JsonNode *
m_approval_confirm (CtSimCall  *call,
                    GError    **error)
{
  CtSimModel *approvers = model (call->db, "approval.approver");
  CtSimModel *categories = model (call->db, "approval.category");

  if (!ct_sim_orm_check_exists (call, error))
    return NULL;
  for (guint i = 0; i < call->ids->len; i++)
    {
      CtSimValue v;
      gboolean sequence = FALSE;
      guint row, c;

      ct_sim_model_lookup (call->model, g_array_index (call->ids, gint64, i), &row);
      v = ct_sim_model_get (call->model, row, ct_sim_model_get_field (call->model, "approver_ids"));
      if (v.ids == NULL || v.ids->len == 0)
        {
          g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_USER_ERROR,
                               "You have to add at least one approver to confirm your request.");
          return NULL;
        }
      if (ct_sim_model_lookup (categories, ct_sim_model_get_int (call->model, row, "category_id"), &c))
        sequence = ct_sim_model_get_int (categories, c, "approver_sequence");
      for (guint j = 0; j < v.ids->len; j++)
        {
          guint a;

          if (ct_sim_model_lookup (approvers, g_array_index (v.ids, gint64, j), &a) &&
              g_strcmp0 (ct_sim_model_get_str (approvers, a, "status"), "new") == 0)
            ct_sim_model_set_str (approvers, a, "status", sequence && j > 0 ? "waiting" : "pending");
        }
      ct_sim_model_set_str (call->model, row, "date_confirmed", ct_sim_db_datetime (call->db, 0));
      update_request_status (call->db, row);
    }
  return NULL;
}

static JsonNode *
approval_decide (CtSimCall   *call,
                 const char  *status,
                 GError     **error)
{
  CtSimModel *approvers = model (call->db, "approval.approver");
  JsonNode *given = ct_sim_orm_kwarg (call, "approver");
  gint64 approver_id = given != NULL && JSON_NODE_HOLDS_VALUE (given) &&
    json_node_get_value_type (given) == G_TYPE_INT64 ? json_node_get_int (given) : 0;

  if (!ct_sim_orm_check_exists (call, error))
    return NULL;
  for (guint i = 0; i < call->ids->len; i++)
    {
      CtSimValue v;
      guint row;
      gboolean found = FALSE;

      ct_sim_model_lookup (call->model, g_array_index (call->ids, gint64, i), &row);
      v = ct_sim_model_get (call->model, row, ct_sim_model_get_field (call->model, "approver_ids"));
      for (guint j = 0; v.ids != NULL && j < v.ids->len; j++)
        {
          gint64 aid = g_array_index (v.ids, gint64, j);
          guint a;

          if (!ct_sim_model_lookup (approvers, aid, &a))
            continue;
          if (approver_id != 0 ? aid != approver_id :
              ct_sim_model_get_int (approvers, a, "user_id") != call->user->uid)
            continue;
          if (g_strcmp0 (ct_sim_model_get_str (approvers, a, "status"), "waiting") == 0)
            {
              g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_USER_ERROR,
                                   "You cannot approve before the previous approvers.");
              return NULL;
            }
          ct_sim_model_set_str (approvers, a, "status", status);
          ct_sim_model_touch (approvers, a, call->user->uid);
          found = TRUE;
          /* The next approver in sequence now has to act. */
          if (g_strcmp0 (status, "approved") == 0)
            for (guint k = j + 1; k < v.ids->len; k++)
              {
                guint b;

                if (ct_sim_model_lookup (approvers, g_array_index (v.ids, gint64, k), &b) &&
                    g_strcmp0 (ct_sim_model_get_str (approvers, b, "status"), "waiting") == 0)
                  {
                    ct_sim_model_set_str (approvers, b, "status", "pending");
                    break;
                  }
              }
        }
      if (found)
        {
          update_request_status (call->db, row);
          ct_sim_model_touch (call->model, row, call->user->uid);
          ct_sim_orm_post_message (call->db, call->model->name, ct_sim_model_row_id (call->model, row),
                                   partner_of (call),
                                   g_strcmp0 (status, "approved") == 0 ? "<p>Approved</p>" : "<p>Refused</p>",
                                   "notification", SUBTYPE_NOTE);
        }
    }
  return NULL;
}

static JsonNode *
m_approval_approve (CtSimCall *call, GError **error)
{
  return approval_decide (call, "approved", error);
}

static JsonNode *
m_approval_refuse (CtSimCall *call, GError **error)
{
  return approval_decide (call, "refused", error);
}

static JsonNode *
m_approval_cancel (CtSimCall *call, GError **error)
{
  return approval_decide (call, "cancel", error);
}

const CtSimMethod ct_sim_business_methods[] = {
  { "purchase.order", "button_confirm", FALSE, "", TRUE, m_button_confirm },
  { "purchase.order", "button_approve", FALSE, "?force", TRUE, m_button_approve },
  { "purchase.order", "button_cancel", FALSE, "", TRUE, m_button_cancel },
  { "purchase.order", "button_draft", FALSE, "", TRUE, m_button_draft },
  { "sale.order", "action_confirm", FALSE, "", TRUE, m_sale_action_confirm },
  { "sale.order", "action_cancel", FALSE, "", TRUE, m_sale_action_cancel },
  { "account.move", "action_post", FALSE, "", TRUE, m_move_action_post },
  { "stock.picking", "button_validate", FALSE, "", TRUE, m_button_validate },
  { "stock.scrap", "action_validate", FALSE, "", TRUE, m_scrap_validate },
  { "stock.quant", "action_apply_inventory", FALSE, "", TRUE, m_apply_inventory },
  { "@review_ids", "request_validation", FALSE, "", FALSE, m_request_validation },
  { "@review_ids", "validate_tier", FALSE, "", FALSE, m_validate_tier },
  { "@review_ids", "reject_tier", FALSE, "", FALSE, m_reject_tier },
  { "@review_ids", "restart_validation", FALSE, "", FALSE, m_restart_validation },
  { "comment.wizard", "add_comment", FALSE, "", FALSE, m_add_comment },
  { "@message_ids", "message_post", FALSE, "**", FALSE, m_message_post },
  { "@activity_ids", "activity_schedule", FALSE, "?act_type_xmlid,?date_deadline,?summary,?note,**",
    FALSE, m_activity_schedule },
  { "mail.activity", "action_feedback", FALSE, "?feedback,?attachment_ids", TRUE, m_action_feedback },
  { "mail.activity", "action_done", FALSE, "", TRUE, m_action_feedback },
  { "ir.cron", "method_direct_trigger", FALSE, "", TRUE, m_method_direct_trigger },
  { "res.users", "context_get", TRUE, "", FALSE, m_context_get },
  { "res.users", "has_group", FALSE, "group_ext_id", FALSE, m_has_group },
  { "res.users.apikeys.description", "make_key", FALSE, "", FALSE, m_make_key },
  { "res.users.identitycheck", "run_check", FALSE, "", FALSE, m_run_check },
  { "queue.job", "requeue", FALSE, "", TRUE, m_requeue },
  { "queue.job", "button_done", FALSE, "", TRUE, m_job_done },
  { "queue.job", "button_cancelled", FALSE, "", TRUE, m_job_cancel },
  { "approval.request", "action_confirm", FALSE, "", TRUE, m_approval_confirm },
  { "approval.request", "action_approve", FALSE, "?approver", FALSE, m_approval_approve },
  { "approval.request", "action_refuse", FALSE, "?approver", FALSE, m_approval_refuse },
  { "approval.request", "action_cancel", FALSE, "", TRUE, m_approval_cancel },
  { NULL }
};

/* Hooks of create / write / unlink */

static gboolean
partner_recursive (CtSimModel *partners,
                   gint64      self_id,
                   gint64      parent_id)
{
  guint guard = 0;

  while (parent_id != 0 && guard++ < 1000)
    {
      guint p;

      if (parent_id == self_id)
        return TRUE;
      if (!ct_sim_model_lookup (partners, parent_id, &p))
        return FALSE;
      parent_id = ct_sim_model_get_int (partners, p, "parent_id");
    }
  return FALSE;
}

static void
set_default (JsonObject *vals,
             const char *name,
             JsonNode   *value)
{
  if (!json_object_has_member (vals, name))
    json_object_set_member (vals, name, value);
  else
    json_node_unref (value);
}

static JsonNode *
int_node (gint64 v)
{
  return json_node_init_int (json_node_alloc (), v);
}

static JsonNode *
str_node (const char *s)
{
  return json_node_init_string (json_node_alloc (), s);
}

gboolean
ct_sim_models_check_write (CtSimCall   *call,
                           CtSimModel  *m,
                           guint        row,
                           JsonObject  *vals,
                           gboolean     creating,
                           GError     **error)
{
  CtSimDb *db = call->db;

  if (!creating && !ct_sim_decisions_check_write (call, m, row, vals, error))
    return FALSE;
  if (g_strcmp0 (m->name, "res.users") == 0 && json_object_has_member (vals, "login"))
    {
      const char *login = node_string (json_object_get_member (vals, "login"));
      CtSimUser *other = ct_sim_odoo_find_user (call->odoo, login);

      if (other != NULL && (creating || ct_sim_model_row_id (m, row) != other->uid))
        {
          g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALIDATION_ERROR,
                               "The operation cannot be completed: You can not have two users "
                               "with the same login!");
          return FALSE;
        }
    }
  if (g_strcmp0 (m->name, "res.users") == 0 && creating)
    {
      const char *password = node_string (json_object_get_member (vals, "password"));

      /* The password never lands in a readable column. */
      if (password != NULL)
        json_object_set_string_member (call->kwargs, "__password", password);
      json_object_remove_member (vals, "password");
    }
  if (g_strcmp0 (m->name, "res.partner") == 0 && !creating && json_object_has_member (vals, "parent_id"))
    {
      JsonNode *parent = json_object_get_member (vals, "parent_id");

      if (JSON_NODE_HOLDS_VALUE (parent) && json_node_get_value_type (parent) == G_TYPE_INT64 &&
          partner_recursive (m, ct_sim_model_row_id (m, row), json_node_get_int (parent)))
        {
          g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALIDATION_ERROR,
                               "You cannot create recursive Partner hierarchies.");
          return FALSE;
        }
    }
  if (g_strcmp0 (m->name, "mail.activity") == 0 && creating)
    {
      JsonNode *model_id = json_object_get_member (vals, "res_model_id");
      CtSimModel *ir_model = model (db, "ir.model");
      CtSimModel *target;
      guint r, t;

      /* res_model is a related field that create() ignores: without
       * res_model_id the record has no document, as recorded. */
      if (model_id == NULL || !JSON_NODE_HOLDS_VALUE (model_id) ||
          json_node_get_value_type (model_id) != G_TYPE_INT64 ||
          !ct_sim_model_lookup (ir_model, json_node_get_int (model_id), &r))
        {
          g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALIDATION_ERROR,
                               "The operation cannot be completed: Activities have to be linked "
                               "to records with a not null res_id.");
          return FALSE;
        }
      target = model (db, ct_sim_model_get_str (ir_model, r, "model"));
      /* res_model is stored, related to res_model_id: what create() was
       * given for it does not count, the model's name does (05-search_read
       * shows it filled for an activity made with res_model_id only). */
      json_object_set_string_member (vals, "res_model", ct_sim_model_get_str (ir_model, r,
                                                                              "model"));
      if (target == NULL || !json_object_has_member (vals, "res_id") ||
          !ct_sim_model_lookup (target, json_object_get_int_member (vals, "res_id"), &t))
        {
          g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALIDATION_ERROR,
                               "The operation cannot be completed: Activities have to be linked "
                               "to records with a not null res_id.");
          return FALSE;
        }
      set_default (vals, "date_deadline", str_node (ct_sim_db_date (db, 0)));
      set_default (vals, "user_id", int_node (call->user->uid));
      set_default (vals, "activity_type_id", int_node (4));
    }
  if (g_strcmp0 (m->name, "purchase.order") == 0 && creating)
    {
      g_autofree char *name = g_strdup_printf ("P%05" G_GINT64_FORMAT, m->next_id);

      set_default (vals, "name", str_node (name));
      set_default (vals, "state", str_node ("draft"));
      set_default (vals, "date_order", str_node (ct_sim_db_datetime (db, 0)));
      set_default (vals, "date_planned", str_node (ct_sim_db_datetime (db, 0)));
      set_default (vals, "company_id", int_node (1));
      set_default (vals, "currency_id", int_node (1));
      set_default (vals, "picking_type_id", int_node (1));
      set_default (vals, "user_id", int_node (call->user->uid));
      set_default (vals, "priority", str_node ("0"));
      set_default (vals, "invoice_status", str_node ("no"));
    }
  if (g_strcmp0 (m->name, "tier.definition") == 0)
    {
      JsonNode *model_id = json_object_get_member (vals, "model_id");
      CtSimModel *ir_model = model (db, "ir.model");
      guint r;

      if (model_id != NULL && JSON_NODE_HOLDS_VALUE (model_id) &&
          json_node_get_value_type (model_id) == G_TYPE_INT64 &&
          ct_sim_model_lookup (ir_model, json_node_get_int (model_id), &r))
        json_object_set_string_member (vals, "model", ct_sim_model_get_str (ir_model, r, "model"));
      if (creating)
        set_default (vals, "active", bool_node (TRUE));
    }
  if (g_strcmp0 (m->name, "res.partner") == 0 && creating)
    set_default (vals, "active", bool_node (TRUE));
  return TRUE;
}

static void
recompute_purchase_amounts (CtSimDb *db,
                            guint    row)
{
  CtSimModel *po = model (db, "purchase.order");
  CtSimModel *lines = model (db, "purchase.order.line");
  CtSimValue v = ct_sim_model_get (po, row, ct_sim_model_get_field (po, "order_line"));
  double total = 0;

  for (guint i = 0; v.ids != NULL && i < v.ids->len; i++)
    {
      guint l;

      if (ct_sim_model_lookup (lines, g_array_index (v.ids, gint64, i), &l))
        total += ct_sim_model_get_float (lines, l, "price_subtotal");
    }
  ct_sim_model_set_float (po, row, "amount_untaxed", total);
  ct_sim_model_set_float (po, row, "amount_total", total);
  ct_sim_model_set_float (po, row, "amount_tax", 0);
}

void
ct_sim_models_after_create (CtSimCall  *call,
                            CtSimModel *m,
                            guint       row)
{
  CtSimDb *db = call->db;

  if (g_strcmp0 (m->name, "purchase.order.line") == 0)
    {
      double subtotal = ct_sim_model_get_float (m, row, "product_qty") *
                        ct_sim_model_get_float (m, row, "price_unit");
      CtSimModel *po = model (db, "purchase.order");
      CtSimModel *products = model (db, "product.product");
      guint o, p;

      ct_sim_model_set_float (m, row, "price_subtotal", subtotal);
      ct_sim_model_set_float (m, row, "price_total", subtotal);
      ct_sim_model_set_str (m, row, "state", "draft");
      if (ct_sim_model_get_str (m, row, "name") == NULL &&
          ct_sim_model_lookup (products, ct_sim_model_get_int (m, row, "product_id"), &p))
        ct_sim_model_set_str (m, row, "name", ct_sim_model_get_str (products, p, "name"));
      if (ct_sim_model_lookup (po, ct_sim_model_get_int (m, row, "order_id"), &o))
        {
          ct_sim_model_add_id (po, o, "order_line", ct_sim_model_row_id (m, row));
          recompute_purchase_amounts (db, o);
        }
    }
  if (g_strcmp0 (m->name, "purchase.order") == 0)
    {
      recompute_purchase_amounts (db, row);
      ct_sim_orm_post_message (db, m->name, ct_sim_model_row_id (m, row), partner_of (call),
                               "<p>Purchase Order created</p>", "notification", SUBTYPE_NOTE);
    }
  if (g_strcmp0 (m->name, "res.users") == 0)
    {
      CtSimModel *partners = model (db, "res.partner");
      CtSimModel *groups = model (db, "res.groups");
      const char *login = ct_sim_model_get_str (m, row, "login");
      const char *name = ct_sim_model_get_str (m, row, "name");
      CtSimValue group_ids = ct_sim_model_get (m, row, ct_sim_model_get_field (m, "group_ids"));
      GString *xmlids = g_string_new ("");
      guint p = ct_sim_model_new_row (partners, 0);
      CtSimUser *user;

      ct_sim_model_set_str (partners, p, "name", name);
      ct_sim_model_set_int (partners, p, "active", 1);
      ct_sim_model_set_int (m, row, "partner_id", ct_sim_model_row_id (partners, p));
      ct_sim_model_set_int (m, row, "active", 1);
      for (guint i = 0; group_ids.ids != NULL && i < group_ids.ids->len; i++)
        {
          guint g;

          if (ct_sim_model_lookup (groups, g_array_index (group_ids.ids, gint64, i), &g) &&
              ct_sim_model_get_str (groups, g, "x_ct_xmlid") != NULL)
            g_string_append_printf (xmlids, "%s%s", xmlids->len > 0 ? "," : "",
                                    ct_sim_model_get_str (groups, g, "x_ct_xmlid"));
        }
      user = ct_sim_odoo_add_user (call->odoo, ct_sim_model_row_id (m, row), login, name,
                                   json_object_get_string_member_with_default (call->kwargs, "__password", NULL),
                                   NULL, xmlids->str);
      user->partner_id = ct_sim_model_row_id (partners, p);
      g_string_free (xmlids, TRUE);
    }
  if (g_strcmp0 (m->name, "approval.request") == 0)
    {
      CtSimModel *categories = model (db, "approval.category");
      guint c;

      ct_sim_model_set_str (m, row, "request_status", "new");
      if (ct_sim_model_lookup (categories, ct_sim_model_get_int (m, row, "category_id"), &c))
        ct_sim_model_set_int (m, row, "approval_minimum",
                              ct_sim_model_get_int (categories, c, "approval_minimum"));
    }
  if (g_strcmp0 (m->name, "approval.approver") == 0)
    {
      CtSimModel *requests = model (db, "approval.request");
      guint r;

      ct_sim_model_set_str (m, row, "status", "new");
      if (ct_sim_model_lookup (requests, ct_sim_model_get_int (m, row, "request_id"), &r))
        ct_sim_model_add_id (requests, r, "approver_ids", ct_sim_model_row_id (m, row));
    }
}

gboolean
ct_sim_models_check_unlink (CtSimCall  *call,
                            guint       row,
                            GError    **error)
{
  if (g_strcmp0 (call->model->name, "purchase.order") == 0)
    {
      const char *state = ct_sim_model_get_str (call->model, row, "state");

      if (g_strcmp0 (state, "draft") != 0 && g_strcmp0 (state, "cancel") != 0)
        {
          g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_USER_ERROR,
                               "In order to delete a purchase order, you must cancel it first.");
          return FALSE;
        }
    }
  if (g_strcmp0 (call->model->name, "res.users") == 0 &&
      ct_sim_model_row_id (call->model, row) == call->user->uid)
    {
      g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_USER_ERROR,
                           "You can not remove the admin user as it is used internally for "
                           "resources created by Odoo (updates, module installation, ...)");
      return FALSE;
    }
  return TRUE;
}
