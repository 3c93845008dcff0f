/* ct-sim-recorded.c - The recorded server's database, so every transcript replays
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Database "ct" as tests/data/protocol/README.md describes it: the users, their
 * passwords, API keys and groups, company 1 with two-step purchase validation
 * at 5000, purchase orders 1-112 with the recorded states and references, tier
 * definition 1 and the pending reviews, the crons, and the chatter of PO 12.
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include "ct-sim-datasets.h"
#include "ct-sim-html.h"
#include "ct-sim-schema.h"

typedef struct
{
  gint64      id;
  const char *xmlid;
  const char *name;
} GroupDef;

static const GroupDef groups[] = {
  { 1, "base.group_user", "Role / User" },
  { 2, "base.group_system", "Role / Administrator" },
  { 3, "base.group_partner_manager", "Contact Creation" },
  { 4, "base.group_erp_manager", "Administration / Access Rights" },
  { 20, "account.group_account_invoice", "Accounting / Invoicing" },
  { 21, "account.group_account_manager", "Accounting / Administrator" },
  { 30, "sales_team.group_sale_salesman", "Sales / User: Own Documents Only" },
  { 31, "sales_team.group_sale_manager", "Sales / Administrator" },
  { 40, "stock.group_stock_user", "Inventory / User" },
  { 41, "stock.group_stock_manager", "Inventory / Administrator" },
  { 49, "purchase.group_purchase_user", "Purchase / User" },
  { 50, "purchase.group_purchase_manager", "Purchase / Administrator" },
  { 60, "queue_job.group_queue_job_manager", "Job Queue Manager" },
  { 70, "approvals.group_approval_user", "Approvals / Officer" },
};

void
ct_sim_dataset_add_groups (CtSimDb *db)
{
  CtSimModel *m = ct_sim_db_get_model (db, "res.groups");
  CtSimModel *data = ct_sim_db_get_model (db, "ir.model.data");

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      guint row = ct_sim_model_new_row (m, groups[i].id);
      const char *slash = strchr (groups[i].name, '/');
      const char *dot = strchr (groups[i].xmlid, '.');
      g_autofree char *module = g_strndup (groups[i].xmlid, dot - groups[i].xmlid);

      ct_sim_model_set_str (m, row, "name", slash != NULL ? slash + 2 : groups[i].name);
      ct_sim_model_set_str (m, row, "full_name", groups[i].name);
      ct_sim_model_set_str (m, row, "x_ct_xmlid", groups[i].xmlid);

      /* The external id, as Odoo resolves env.ref(): module, name, model, res_id. */
      row = ct_sim_model_new_row (data, 0);
      ct_sim_model_set_str (data, row, "module", module);
      ct_sim_model_set_str (data, row, "name", dot + 1);
      ct_sim_model_set_str (data, row, "complete_name", groups[i].xmlid);
      ct_sim_model_set_str (data, row, "model", "res.groups");
      ct_sim_model_set_int (data, row, "res_id", groups[i].id);
      ct_sim_model_set_int (data, row, "noupdate", 0);
    }
}

static void
group_ids_for (CtSimDb    *db,
               guint       user_row,
               const char *xmlids)
{
  CtSimModel *users = ct_sim_db_get_model (db, "res.users");
  g_auto(GStrv) list = g_strsplit (xmlids, ",", -1);

  for (guint i = 0; list[i] != NULL; i++)
    for (guint j = 0; j < G_N_ELEMENTS (groups); j++)
      if (g_strcmp0 (groups[j].xmlid, list[i]) == 0)
        ct_sim_model_add_id (users, user_row, "group_ids", groups[j].id);
}

gint64
ct_sim_dataset_add_partner (CtSimDb    *db,
                            gint64      id,
                            const char *name,
                            gint64      parent_id,
                            gboolean    is_company)
{
  CtSimModel *m = ct_sim_db_get_model (db, "res.partner");
  guint row = ct_sim_model_new_row (m, id);

  ct_sim_model_set_str (m, row, "name", name);
  ct_sim_model_set_int (m, row, "parent_id", parent_id);
  ct_sim_model_set_int (m, row, "is_company", is_company);
  ct_sim_model_set_int (m, row, "active", 1);
  ct_sim_model_set_int (m, row, "company_id", 1);
  ct_sim_model_set_int (m, row, "currency_id", 1);
  return ct_sim_model_row_id (m, row);
}

void
ct_sim_dataset_add_user (CtSimOdoo  *odoo,
                         gint64      uid,
                         gint64      partner_id,
                         const char *login,
                         const char *name,
                         const char *password,
                         const char *api_key,
                         const char *xmlids)
{
  CtSimDb *db = ct_sim_odoo_get_db (odoo);
  CtSimModel *users = ct_sim_db_get_model (db, "res.users");
  guint row = ct_sim_model_new_row (users, uid);
  CtSimUser *user;

  ct_sim_model_set_str (users, row, "name", name);
  ct_sim_model_set_str (users, row, "login", login);
  ct_sim_model_set_int (users, row, "partner_id", partner_id);
  ct_sim_model_set_int (users, row, "active", 1);
  ct_sim_model_set_int (users, row, "company_id", 1);
  ct_sim_model_set_str (users, row, "tz", "Europe/Brussels");
  group_ids_for (db, row, xmlids);
  if (password == NULL)
    return;   /* OdooBot cannot log in */
  user = ct_sim_odoo_add_user (odoo, uid, login, name, password, api_key, xmlids);
  user->partner_id = partner_id;
}

void
ct_sim_dataset_add_base (CtSimDb    *db,
                         const char *company_name,
                         const char *company_partner_name)
{
  CtSimModel *m;
  guint row;

  m = ct_sim_db_get_model (db, "res.currency");
  row = ct_sim_model_new_row (m, 1);
  ct_sim_model_set_str (m, row, "name", "USD");
  ct_sim_model_set_str (m, row, "symbol", "$");
  m = ct_sim_db_get_model (db, "uom.uom");
  row = ct_sim_model_new_row (m, 1);
  ct_sim_model_set_str (m, row, "name", "Units");

  ct_sim_dataset_add_partner (db, 1, company_partner_name, 0, TRUE);
  ct_sim_dataset_add_partner (db, 2, "OdooBot", 0, FALSE);

  m = ct_sim_db_get_model (db, "res.company");
  row = ct_sim_model_new_row (m, 1);
  ct_sim_model_set_str (m, row, "name", company_name);
  ct_sim_model_set_int (m, row, "partner_id", 1);
  ct_sim_model_set_int (m, row, "currency_id", 1);
  ct_sim_model_set_str (m, row, "po_double_validation", "two_step");
  ct_sim_model_set_float (m, row, "po_double_validation_amount", 5000);

  ct_sim_dataset_add_groups (db);

  m = ct_sim_db_get_model (db, "mail.message.subtype");
  {
    static const struct { gint64 id; const char *name; gboolean internal; } subtypes[] = {
      { 1, "Discussions", FALSE }, { 2, "Note", TRUE }, { 7, "RFQ Confirmed", FALSE },
      { 8, "RFQ Approved", FALSE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (subtypes); i++)
      {
        row = ct_sim_model_new_row (m, subtypes[i].id);
        ct_sim_model_set_str (m, row, "name", subtypes[i].name);
        ct_sim_model_set_int (m, row, "internal", subtypes[i].internal);
      }
  }
  m = ct_sim_db_get_model (db, "mail.activity.type");
  {
    static const char *const types[] = { "Email", "Call", "Meeting", "To-Do", "Upload Document" };

    for (guint i = 0; i < G_N_ELEMENTS (types); i++)
      {
        row = ct_sim_model_new_row (m, i + 1);
        ct_sim_model_set_str (m, row, "name", types[i]);
        ct_sim_model_set_str (m, row, "category", i == 4 ? "upload_file" : "default");
      }
  }
  m = ct_sim_db_get_model (db, "ir.model.fields");
  row = ct_sim_model_new_row (m, 7627);
  ct_sim_model_set_str (m, row, "name", "state");
  ct_sim_model_set_str (m, row, "model", "purchase.order");
  ct_sim_model_set_int (m, row, "model_id", ct_sim_schema_model_id (db, "purchase.order"));
  ct_sim_model_set_str (m, row, "field_description", "Status");
  ct_sim_model_set_str (m, row, "ttype", "selection");

  m = ct_sim_db_get_model (db, "res.country");
  row = ct_sim_model_new_row (m, 233);
  ct_sim_model_set_str (m, row, "name", "United States");
  ct_sim_model_set_str (m, row, "code", "US");

  m = ct_sim_db_get_model (db, "stock.picking.type");
  row = ct_sim_model_new_row (m, 1);
  ct_sim_model_set_str (m, row, "name", "YourCompany: Receipts");
  ct_sim_model_set_str (m, row, "code", "incoming");
}

static void
add_po (CtSimDb    *db,
        gint64      id,
        gint64      partner,
        const char *state,
        const char *ref,
        double      qty,
        double      price,
        gint64      user_id,
        gint64      offset)
{
  CtSimModel *po = ct_sim_db_get_model (db, "purchase.order");
  CtSimModel *lines = ct_sim_db_get_model (db, "purchase.order.line");
  guint row = ct_sim_model_new_row (po, id);
  guint l = ct_sim_model_new_row (lines, 0);
  g_autofree char *name = g_strdup_printf ("P%05" G_GINT64_FORMAT, id);
  const char *when = ct_sim_db_datetime (db, offset);

  ct_sim_model_set_str (po, row, "name", name);
  ct_sim_model_set_int (po, row, "partner_id", partner);
  ct_sim_model_set_str (po, row, "state", state);
  ct_sim_model_set_str (po, row, "partner_ref", ref);
  ct_sim_model_set_str (po, row, "priority", "0");
  ct_sim_model_set_str (po, row, "date_order", when);
  ct_sim_model_set_str (po, row, "date_planned", when);
  ct_sim_model_set_str (po, row, "create_date", when);
  ct_sim_model_set_str (po, row, "write_date", when);
  ct_sim_model_set_int (po, row, "create_uid", user_id);
  ct_sim_model_set_int (po, row, "write_uid", user_id);
  ct_sim_model_set_int (po, row, "user_id", user_id);
  ct_sim_model_set_int (po, row, "company_id", 1);
  ct_sim_model_set_int (po, row, "currency_id", 1);
  ct_sim_model_set_int (po, row, "picking_type_id", 1);
  ct_sim_model_set_str (po, row, "invoice_status", "no");
  ct_sim_model_set_str (po, row, "lock_confirmed_po", "edit");
  ct_sim_model_set_float (po, row, "amount_untaxed", qty * price);
  ct_sim_model_set_float (po, row, "amount_total", qty * price);
  ct_sim_model_set_float (po, row, "amount_tax", 0);
  if (g_strcmp0 (state, "purchase") == 0)
    ct_sim_model_set_str (po, row, "date_approve", when);
  ct_sim_model_set_int (lines, l, "order_id", id);
  ct_sim_model_set_int (lines, l, "product_id", 20);
  ct_sim_model_set_str (lines, l, "name", "[E-COM07] Large Cabinet");
  ct_sim_model_set_float (lines, l, "product_qty", qty);
  ct_sim_model_set_float (lines, l, "price_unit", price);
  ct_sim_model_set_float (lines, l, "price_subtotal", qty * price);
  ct_sim_model_set_float (lines, l, "price_total", qty * price);
  ct_sim_model_set_str (lines, l, "state", state);
  ct_sim_model_set_int (lines, l, "sequence", 10);
  ct_sim_model_set_int (lines, l, "product_uom_id", 1);
  ct_sim_model_set_int (lines, l, "currency_id", 1);
  ct_sim_model_set_str (lines, l, "date_planned", when);
  ct_sim_model_set_str (lines, l, "create_date", when);
  ct_sim_model_add_id (po, row, "order_line", ct_sim_model_row_id (lines, l));
  {
    /* The creator follows the order. */
    CtSimModel *followers = ct_sim_db_get_model (db, "mail.followers");
    guint f = ct_sim_model_new_row (followers, 0);

    ct_sim_model_set_str (followers, f, "res_model", "purchase.order");
    ct_sim_model_set_int (followers, f, "res_id", id);
    ct_sim_model_set_int (followers, f, "partner_id", user_id == 7 ? 45 : 3);
    ct_sim_model_add_id (po, row, "message_follower_ids", ct_sim_model_row_id (followers, f));
  }
}

static void
add_message (CtSimDb    *db,
             gint64      id,
             gint64      res_id,
             gint64      author,
             const char *body,
             gint64      subtype,
             gint64      offset)
{
  CtSimModel *messages = ct_sim_db_get_model (db, "mail.message");
  CtSimModel *po = ct_sim_db_get_model (db, "purchase.order");
  guint row = ct_sim_model_new_row (messages, id);
  g_autofree char *record_name = NULL;
  g_autofree char *preview = NULL;
  guint p;

  if (ct_sim_model_lookup (po, res_id, &p))
    {
      record_name = ct_sim_model_display_name (po, p);
      ct_sim_model_add_id (po, p, "message_ids", id);
    }
  ct_sim_model_set_str (messages, row, "body", body);
  preview = ct_sim_html_preview (body);
  ct_sim_model_set_str (messages, row, "preview", preview);
  ct_sim_model_set_str (messages, row, "model", "purchase.order");
  ct_sim_model_set_int (messages, row, "res_id", res_id);
  ct_sim_model_set_int (messages, row, "author_id", author);
  ct_sim_model_set_str (messages, row, "date", ct_sim_db_datetime (db, offset));
  ct_sim_model_set_str (messages, row, "create_date", ct_sim_db_datetime (db, offset));
  ct_sim_model_set_str (messages, row, "message_type", subtype <= 2 && body[0] != '\0' &&
                        author == 3 ? "comment" : "notification");
  ct_sim_model_set_int (messages, row, "subtype_id", subtype);
  ct_sim_model_set_int (messages, row, "is_internal", subtype == 2 && author != 3);
  ct_sim_model_set_str (messages, row, "record_name", record_name);
}

static void
add_tracking (CtSimDb    *db,
              gint64      id,
              gint64      message,
              const char *old_value,
              const char *new_value)
{
  CtSimModel *tracking = ct_sim_db_get_model (db, "mail.tracking.value");
  CtSimModel *messages = ct_sim_db_get_model (db, "mail.message");
  guint row = ct_sim_model_new_row (tracking, id);
  guint m;

  ct_sim_model_set_int (tracking, row, "field_id", 7627);
  ct_sim_model_set_str (tracking, row, "old_value_char", old_value);
  ct_sim_model_set_str (tracking, row, "new_value_char", new_value);
  ct_sim_model_set_int (tracking, row, "mail_message_id", message);
  if (ct_sim_model_lookup (messages, message, &m))
    ct_sim_model_set_str (tracking, row, "create_date",
                          ct_sim_model_get_str (messages, m, "create_date"));
  if (ct_sim_model_lookup (messages, message, &m))
    ct_sim_model_add_id (messages, m, "tracking_value_ids", id);
}

static void
add_cron (CtSimDb    *db,
          gint64      id,
          const char *name,
          const char *model,
          gint64      interval,
          const char *unit,
          gint64      priority,
          gint64      last_offset,
          gint64      next_offset,
          gint64      failures)
{
  CtSimModel *crons = ct_sim_db_get_model (db, "ir.cron");
  guint row = ct_sim_model_new_row (crons, id);

  ct_sim_model_set_str (crons, row, "name", name);
  ct_sim_model_set_str (crons, row, "cron_name", name);
  ct_sim_model_set_int (crons, row, "active", 1);
  ct_sim_model_set_str (crons, row, "lastcall", ct_sim_db_datetime (db, last_offset));
  ct_sim_model_set_str (crons, row, "nextcall", ct_sim_db_datetime (db, next_offset));
  ct_sim_model_set_int (crons, row, "interval_number", interval);
  ct_sim_model_set_str (crons, row, "interval_type", unit);
  ct_sim_model_set_int (crons, row, "priority", priority);
  ct_sim_model_set_int (crons, row, "failure_count", failures);
  if (failures > 0)
    ct_sim_model_set_str (crons, row, "first_failure_date",
                          ct_sim_db_datetime (db, last_offset - failures * 3600));
  ct_sim_model_set_int (crons, row, "user_id", 1);
  ct_sim_model_set_int (crons, row, "model_id", ct_sim_schema_model_id (db, model));
}

void
ct_sim_dataset_add_crons (CtSimDb *db,
                          gboolean with_failures)
{
  static const struct { const char *name; const char *model; gint64 n; const char *unit; gint64 prio; } crons[] = {
    { "Base: Auto-vacuum internal data", "ir.model", 1, "days", 3 },
    { "Base: Portal Users Deletion", "res.users", 1, "days", 8 },
    { "Mail: Email Queue Manager", "mail.message", 1, "hours", 10 },
    { "Mail: Fetchmail Service", "mail.message", 5, "minutes", 5 },
    { "Notification: Delete Notifications older than 6 Month", "mail.message", 1, "days", 5 },
    { "Partner Autocomplete: Sync with remote DB", "res.partner", 1, "days", 5 },
    { "Mail: send web push notification", "mail.message", 1, "days", 5 },
    { "Users: Notify About Unregistered Users", "res.users", 1, "days", 5 },
    { "Base: Auto-vacuum internal data (attachments)", "ir.attachment", 1, "days", 5 },
    { "Mail Activity: Post due activities", "mail.activity", 1, "days", 5 },
    { "Discuss: channel member unmute", "res.partner", 1, "minutes", 5 },
    { "Product: send email regarding products", "product.product", 1, "days", 5 },
    { "Procurement: run scheduler", "stock.warehouse", 1, "days", 5 },
    { "Inventory: Refresh Quants", "stock.quant", 1, "days", 5 },
    { "Account: Post draft entries with auto_post", "account.move", 1, "days", 5 },
    { "Account: Send invoice reminders", "account.move", 1, "days", 5 },
    { "Sales: Send quotation reminders", "sale.order", 1, "days", 5 },
    { "Tier Validation: Send reminders", "tier.review", 1, "days", 5 },
    { "Purchase reminder", "purchase.order", 1, "days", 5 },
    { "Queue Job: Requeue jobs stuck", "queue.job", 5, "minutes", 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (crons); i++)
    {
      gint64 failures = 0;
      gint64 last = -3600, next = 86400 - 3600;

      if (with_failures && (i == 14 || i == 16))
        {
          /* A failing cron (failure_count, first_failure_date) and an overdue one. */
          failures = i == 14 ? 4 : 0;
          last = i == 14 ? -7200 : -3 * 86400;
          next = i == 14 ? -3600 : -2 * 86400;
        }
      add_cron (db, i + 1, crons[i].name, crons[i].model, crons[i].n, crons[i].unit,
                crons[i].prio, last, next, failures);
      if (i == 3)
        {
          /* A cron that never ran yet: lastcall is False. */
          CtSimModel *m = ct_sim_db_get_model (db, "ir.cron");
          guint row;

          ct_sim_model_lookup (m, 4, &row);
          ct_sim_model_set_str (m, row, "lastcall", NULL);
        }
    }
}

void
ct_sim_dataset_recorded (CtSimOdoo *odoo)
{
  CtSimDb *db = ct_sim_odoo_get_db (odoo);
  CtSimModel *m;
  static const char *const vendors[] = { "Acme Corporation", "Gemini Furniture", "Ready Mat",
                                         "OpenWood", "LightsUp", "The Jackson Group",
                                         "Azure Interior" };
  static const char *const demo_states[] = { "purchase", "purchase", "purchase", "purchase",
                                             "draft", "draft", "purchase", "sent", "draft",
                                             "draft", "draft" };
  guint row;

  ct_sim_dataset_add_base (db, "My Company (San Francisco)", "YourCompany");
  ct_sim_dataset_add_partner (db, 3, "Mitchell Admin", 1, FALSE);
  {
    CtSimModel *partners = ct_sim_db_get_model (db, "res.partner");

    ct_sim_model_lookup (partners, 3, &row);
    ct_sim_model_set_str (partners, row, "email", "admin@example.com");
  }
  ct_sim_dataset_add_partner (db, 6, "Marc Demo", 1, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (vendors); i++)
    {
      gint64 id = ct_sim_dataset_add_partner (db, 9 + i, vendors[i], 0, TRUE);
      CtSimModel *partners = ct_sim_db_get_model (db, "res.partner");

      ct_sim_model_lookup (partners, id, &row);
      ct_sim_model_set_int (partners, row, "supplier_rank", 1);
    }
  ct_sim_dataset_add_partner (db, 45, "Paula Purchaser", 0, FALSE);
  ct_sim_dataset_add_partner (db, 46, "Norbert Noright", 0, FALSE);

  ct_sim_dataset_add_user (odoo, 1, 2, "__system__", "OdooBot", NULL, NULL, "base.group_user");
  ct_sim_dataset_add_user (odoo, 2, 3, "admin", "Mitchell Admin", "admin",
                           "c7228151caed75975ed94b42be0ccf28a17c3947",
                           "base.group_user,base.group_system,base.group_partner_manager,"
                           "purchase.group_purchase_user,purchase.group_purchase_manager,"
                           "stock.group_stock_user,stock.group_stock_manager,"
                           "sales_team.group_sale_salesman,sales_team.group_sale_manager,"
                           "account.group_account_invoice,queue_job.group_queue_job_manager,"
                           "approvals.group_approval_user");
  ct_sim_dataset_add_user (odoo, 5, 6, "demo", "Marc Demo", "demo", NULL,
                           "base.group_user,sales_team.group_sale_salesman,stock.group_stock_user");
  ct_sim_dataset_add_user (odoo, 7, 45, "purchaser", "Paula Purchaser", "purchaser",
                           "21e39ed4dc2377e5bdc04eb0859dc772b7088428",
                           "base.group_user,purchase.group_purchase_user");
  ct_sim_dataset_add_user (odoo, 8, 46, "noright", "Norbert Noright", "noright",
                           "ae8f57c5702b9ff7f10ebc902e1a3f62c7fd69cf", "base.group_user");
  {
    /* The chatter shows its authors' addresses (10-54, email_from); the
     * users created for the recordings have none. */
    static const struct { gint64 partner; const char *email; } emails[] = {
      { 3, "admin@yourcompany.example.com" },
    };

    m = ct_sim_db_get_model (db, "res.partner");
    for (guint i = 0; i < G_N_ELEMENTS (emails); i++)
      if (ct_sim_model_lookup (m, emails[i].partner, &row))
        ct_sim_model_set_str (m, row, "email", emails[i].email);
  }
  {
    /* The users' e-mail addresses, as 10-45 lists them. */
    CtSimModel *users = ct_sim_db_get_model (db, "res.users");
    guint u;

    if (ct_sim_model_lookup (users, 2, &u))
      ct_sim_model_set_str (users, u, "email", "admin@example.com");
    if (ct_sim_model_lookup (users, 5, &u))
      ct_sim_model_set_str (users, u, "email", "mark.brown23@example.com");
  }

  m = ct_sim_db_get_model (db, "product.product");
  row = ct_sim_model_new_row (m, 20);
  ct_sim_model_set_str (m, row, "name", "Large Cabinet");
  ct_sim_model_set_str (m, row, "default_code", "E-COM07");
  ct_sim_model_set_float (m, row, "standard_price", 800);
  ct_sim_model_set_int (m, row, "active", 1);

  /* Purchase orders: the demo data, the four "to approve" of setup-04/05,
   * the bulk drafts, 101-104 to approve, and the tier cases 108-112. */
  for (guint i = 0; i < G_N_ELEMENTS (demo_states); i++)
    add_po (db, i + 1, 9 + (i % 7), demo_states[i], NULL, 5 + i, 100 + 37 * i, 2, -86400 * (30 - (gint64) i));
  for (guint i = 0; i < 4; i++)
    add_po (db, 12 + i, 9 + i, "to approve", NULL, 9 + i, 800, 7, -600);
  for (guint i = 0; i < 85; i++)
    {
      g_autofree char *ref = g_strdup_printf ("BULK-%03u", i);

      add_po (db, 16 + i, 9 + (i % 7), "draft", ref, 1 + (i % 5), 250 + 13 * i, 2, -300);
    }
  for (guint i = 0; i < 4; i++)
    add_po (db, 101 + i, 12 + i, "to approve", NULL, 13 + i, 600, 7, -280);
  for (guint i = 0; i < 2; i++)
    add_po (db, 105 + i, 9 + i, "draft", NULL, 2, 450, 2, -250);
  add_po (db, 107, 11, "purchase", "TIER-000", 6, 1000, 7, -240);
  add_po (db, 108, 9, "draft", "TIER-001", 8, 800, 7, -200);
  add_po (db, 109, 10, "to approve", "TIER-002", 9, 800, 7, -190);
  add_po (db, 110, 11, "to approve", "TIER-003", 6, 1000, 7, -180);
  add_po (db, 111, 12, "to approve", "TIER-004", 7, 1000, 7, -170);
  add_po (db, 112, 13, "to approve", "TIER-005", 7, 800, 7, -160);
  m = ct_sim_db_get_model (db, "purchase.order");
  ct_sim_model_lookup (m, 14, &row);
  ct_sim_model_set_str (m, row, "partner_ref", NULL);

  /* Tier definition 1 and the reviews of 109-111 */
  m = ct_sim_db_get_model (db, "tier.definition");
  row = ct_sim_model_new_row (m, 1);
  ct_sim_model_set_str (m, row, "name", "PO TIER-* over 5000: Paula Purchaser reviews");
  ct_sim_model_set_int (m, row, "model_id", ct_sim_schema_model_id (db, "purchase.order"));
  ct_sim_model_set_str (m, row, "model", "purchase.order");
  ct_sim_model_set_str (m, row, "review_type", "individual");
  ct_sim_model_set_int (m, row, "reviewer_id", 7);
  ct_sim_model_set_str (m, row, "definition_type", "domain");
  ct_sim_model_set_str (m, row, "definition_domain",
                        "[('partner_ref', '=like', 'TIER-%'), ('amount_total', '>', 5000)]");
  ct_sim_model_set_int (m, row, "sequence", 10);
  ct_sim_model_set_int (m, row, "active", 1);
  ct_sim_model_set_int (m, row, "company_id", 1);
  {
    CtSimModel *reviews = ct_sim_db_get_model (db, "tier.review");
    CtSimModel *po = ct_sim_db_get_model (db, "purchase.order");

    guint r0 = ct_sim_model_new_row (reviews, 1);
    guint p0;

    /* An approved review (107 went through tier validation before). */
    ct_sim_model_set_str (reviews, r0, "name", "PO TIER-* over 5000: Paula Purchaser reviews");
    ct_sim_model_set_str (reviews, r0, "model", "purchase.order");
    ct_sim_model_set_int (reviews, r0, "res_id", 107);
    ct_sim_model_set_int (reviews, r0, "definition_id", 1);
    ct_sim_model_set_str (reviews, r0, "status", "approved");
    ct_sim_model_set_int (reviews, r0, "sequence", 1);
    ct_sim_model_set_int (reviews, r0, "reviewer_id", 7);
    ct_sim_model_add_id (reviews, r0, "reviewer_ids", 7);
    ct_sim_model_set_int (reviews, r0, "requested_by", 2);
    ct_sim_model_set_int (reviews, r0, "done_by", 2);
    ct_sim_model_set_str (reviews, r0, "reviewed_date", ct_sim_db_datetime (db, -230));
    ct_sim_model_set_str (reviews, r0, "todo_by", "Paula Purchaser");
    ct_sim_model_set_str (reviews, r0, "review_type", "individual");
    ct_sim_model_set_str (reviews, r0, "create_date", ct_sim_db_datetime (db, -235));
    ct_sim_model_set_str (reviews, r0, "write_date", ct_sim_db_datetime (db, -230));
    ct_sim_model_set_int (reviews, r0, "company_id", 1);
    ct_sim_model_lookup (po, 107, &p0);
    ct_sim_model_add_id (po, p0, "review_ids", 1);

    for (guint i = 0; i < 3; i++)
      {
        guint r = ct_sim_model_new_row (reviews, 3 + i);
        guint p;

        ct_sim_model_set_str (reviews, r, "name", "PO TIER-* over 5000: Paula Purchaser reviews");
        ct_sim_model_set_str (reviews, r, "model", "purchase.order");
        ct_sim_model_set_int (reviews, r, "res_id", 109 + i);
        ct_sim_model_set_int (reviews, r, "definition_id", 1);
        ct_sim_model_set_str (reviews, r, "status", "pending");
        ct_sim_model_set_int (reviews, r, "sequence", 1);
        ct_sim_model_set_int (reviews, r, "reviewer_id", 7);
        ct_sim_model_add_id (reviews, r, "reviewer_ids", 7);
        ct_sim_model_set_int (reviews, r, "requested_by", 7);
        ct_sim_model_set_str (reviews, r, "todo_by", "Paula Purchaser");
        ct_sim_model_set_int (reviews, r, "company_id", 1);
        ct_sim_model_set_str (reviews, r, "review_type", "individual");
        ct_sim_model_set_str (reviews, r, "create_date", ct_sim_db_datetime (db, -150));
        ct_sim_model_set_str (reviews, r, "write_date", ct_sim_db_datetime (db, -150));
        ct_sim_model_lookup (po, 109 + i, &p);
        ct_sim_model_add_id (po, p, "review_ids", 3 + i);
      }
    /* The recorded server gave ids 6 and 7 to reviews of P00112 that it
     * later deleted (07-*): its next review is 8 (10-09). */
    reviews->next_id = MAX (reviews->next_id, 8);
  }

  /* Chatter of PO 12 (with its tracking) and of PO 14 */
  add_message (db, 589, 12, 45, "<p>Purchase Order created</p>", 2, -900);
  add_message (db, 593, 12, 45, "", 7, -600);
  add_tracking (db, 215, 593, "RFQ", "To Approve");
  add_message (db, 696, 12, 3, "", 8, -60);
  add_tracking (db, 223, 696, "To Approve", "Purchase Order");
  /* P00013's creation and confirmation, the case detail of 09-01 … 09-07 */
  add_message (db, 592, 13, 45, "<p>Purchase Order created</p>", 2, -900);
  add_message (db, 596, 13, 45, "", 7, -600);
  add_tracking (db, 216, 596, "RFQ", "To Approve");
  add_message (db, 691, 14, 3, "<p>Please approve: budget confirmed by finance.</p>", 1, -120);
  add_message (db, 692, 14, 3, "<p>&lt;p&gt;Internal &lt;b&gt;note&lt;/b&gt; with HTML&lt;/p&gt;</p>",
               2, -110);
  add_message (db, 699, 14, 3, "<p>Posted via JSON-2</p>", 1, -100);
  ct_sim_db_get_model (db, "mail.message")->next_id = 710;
  ct_sim_db_get_model (db, "mail.tracking.value")->next_id = 230;

  /* Activities on purchase orders, and 24 on PO 13 for action_feedback */
  {
    CtSimModel *po = ct_sim_db_get_model (db, "purchase.order");
    CtSimModel *activities = ct_sim_db_get_model (db, "mail.activity");
    static const struct { gint64 id, po, type, offset_days; const char *summary; } acts[] = {
      { 11, 2, 1, 0, "Send specifications" }, { 12, 5, 4, 0, "Get approval" },
      { 13, 6, 4, -5, "Check optional products" }, { 14, 7, 4, 5, "Check competitors" },
      { 24, 13, 4, 6, "Approve P00013 (res_model_id)" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (acts); i++)
      {
        guint p;

        activities->next_id = acts[i].id;
        ct_sim_model_lookup (po, acts[i].po, &p);
        ct_sim_models_create_activity (db, po, p, acts[i].type,
                                       ct_sim_db_date (db, acts[i].offset_days * 86400),
                                       acts[i].summary, NULL, 2, 2);
      }
  }

  ct_sim_dataset_add_crons (db, FALSE);
}
