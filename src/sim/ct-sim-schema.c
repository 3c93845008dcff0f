/* ct-sim-schema.c - The models the simulator knows, their fields and access rights
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Models the recorded server answered fields_get for take that answer verbatim
 * (ct-sim-fields-recorded.c). The others are declared here with Odoo's field
 * names and types; fields Odoo does not have are prefixed x_ct_ like the
 * custom fields a real deployment would add through Studio.
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include <string.h>

#include "ct-sim-schema.h"

#define MAIL_THREAD \
  "message_ids|one2many|Messages|mail.message:res_id|;" \
  "activity_ids|one2many|Activities|mail.activity:res_id|;" \
  "message_follower_ids|one2many|Followers|mail.followers:res_id|;" \
  "message_partner_ids|many2many|Followers (Partners)|res.partner|c;" \
  "message_attachment_count|integer|Attachment Count||Rc;" \
  "activity_state|selection|Activity State|overdue=Overdue,today=Today,planned=Planned|Rc;" \
  "activity_date_deadline|date|Next Activity Deadline||Rc;" \
  "activity_summary|char|Next Activity Summary||c;" \
  "activity_user_id|many2one|Responsible User|res.users|Rc;"

#define TIER_MIXIN \
  "review_ids|one2many|Validations|tier.review:res_id|;" \
  "to_validate_message|html|To Validate Message||Rc;" \
  "validated_message|html|Validated Message||Rc;" \
  "need_validation|boolean|Need Validation||Rc;" \
  "rejected_message|html|Rejected Message||Rc;" \
  "validation_status|selection|Validation Status|no=Without validation,waiting=Waiting," \
  "pending=Pending,rejected=Rejected,validated=Validated|Rc;" \
  "reviewer_ids|many2many|Reviewers|res.users|Rc;" \
  "can_review|boolean|Can Review||Rc;" \
  "has_comment|boolean|Has Comment||Rc;" \
  "next_review|char|Next Review||Rc;" \
  "hide_reviews|boolean|Hide Reviews||Rc;"

static const char *const purchase_groups =
  "\t- Accounting/Invoicing\n\t- Inventory/User\n\t- Purchase/Administrator\n\t- Purchase/User\n"
  "\t- Role / Portal\n\t- Show Accounting Features - Readonly";

static char *
display_partner (CtSimModel *model,
                 guint       row)
{
  gint64 parent = ct_sim_model_get_int (model, row, "parent_id");
  const char *name = ct_sim_model_get_str (model, row, "name");
  guint prow;

  if (parent != 0 && ct_sim_model_lookup (model, parent, &prow))
    {
      const char *pname = ct_sim_model_get_str (model, prow, "name");

      return g_strdup_printf ("%s, %s", pname != NULL ? pname : "", name != NULL ? name : "");
    }
  return g_strdup (name);
}

static char *
display_purchase (CtSimModel *model,
                  guint       row)
{
  const char *name = ct_sim_model_get_str (model, row, "name");
  const char *ref = ct_sim_model_get_str (model, row, "partner_ref");

  if (ref != NULL)
    return g_strdup_printf ("%s (%s)", name, ref);
  return g_strdup (name);
}

static char *
display_field (CtSimModel *model,
               guint       row)
{
  const char *desc = ct_sim_model_get_str (model, row, "field_description");
  const char *model_name = ct_sim_model_get_str (model, row, "model");
  CtSimModel *target = ct_sim_db_get_model (model->db, model_name);

  return g_strdup_printf ("%s (%s)", desc != NULL ? desc : "",
                          target != NULL ? target->description : (model_name ? model_name : ""));
}

static char *
display_message (CtSimModel *model,
                 guint       row)
{
  const char *subject = ct_sim_model_get_str (model, row, "subject");

  /* mail.message has no name: the recorded server shows False. */
  return g_strdup (subject);
}

static char *
display_product (CtSimModel *model,
                 guint       row)
{
  const char *code = ct_sim_model_get_str (model, row, "default_code");
  const char *name = ct_sim_model_get_str (model, row, "name");

  if (code != NULL)
    return g_strdup_printf ("[%s] %s", code, name != NULL ? name : "");
  return g_strdup (name);
}

static char *
display_cron (CtSimModel *model,
              guint       row)
{
  return g_strdup (ct_sim_model_get_str (model, row, "cron_name"));
}

static int
compare_model_names (gconstpointer a,
                     gconstpointer b)
{
  return g_strcmp0 (((const CtSimModel *) a)->name, ((const CtSimModel *) b)->name);
}

static CtSimModel *
add (CtSimDb    *db,
     const char *name,
     const char *description,
     const char *spec)
{
  CtSimModel *model = ct_sim_db_add_model (db, name, description);

  for (guint i = 0; ct_sim_recorded_fields[i].model != NULL; i++)
    if (g_strcmp0 (ct_sim_recorded_fields[i].model, name) == 0)
      ct_sim_model_add_fields_json (model, ct_sim_recorded_fields[i].fields_json);
  if (spec != NULL)
    ct_sim_model_add_fields_spec (model, spec);
  model->has_active = ct_sim_model_get_field (model, "active") != NULL;
  return model;
}

void
ct_sim_schema_build (CtSimDb  *db,
                     gboolean  with_extras)
{
  CtSimModel *m;
  gint64 ir_model_id = 1;
  GList *models, *l;

  add (db, "res.currency", "Currency", "name|char|Currency||r;symbol|char|Symbol||r");
  add (db, "uom.uom", "Product Unit of Measure", "name|char|Unit Name||r");
  m = add (db, "res.company", "Companies",
           "name|char|Company Name||r;partner_id|many2one|Partner|res.partner|;"
           "currency_id|many2one|Currency|res.currency|;parent_id|many2one|Parent Company|res.company|;"
           "po_double_validation|selection|Levels of Approvals|one_step=Confirm purchase orders in one step,"
           "two_step=Get 2 levels of approvals to confirm a purchase order|;"
           "po_double_validation_amount|monetary|Double validation amount||;"
           "x_ct_region|selection|Region|north=North,central=Central,south=South|");
  ct_sim_model_set_access (m, NULL, "base.group_system", "\t- Role / Administrator");

  m = add (db, "res.partner", "Contact",
           "name|char|Name||;parent_id|many2one|Related Company|res.partner|;"
           "is_company|boolean|Is a Company||;active|boolean|Active||;email|char|Email||;"
           "phone|char|Phone||;city|char|City||;company_id|many2one|Company|res.company|;"
           "customer_rank|integer|Customer Rank||;supplier_rank|integer|Supplier Rank||;"
           "credit_limit|float|Credit Limit||;credit|monetary|Total Receivable||R;"
           "total_overdue|monetary|Total Overdue||R;"
           "x_ct_tier|selection|Customer Tier|platinum=Platinum,gold=Gold,silver=Silver,bronze=Bronze|;"
           "x_ct_onboarding_state|selection|Vendor Onboarding|none=Not Applicable,pending=Pending,"
           "approved=Approved,rejected=Rejected|;x_ct_credit_hold|boolean|Credit Hold||;"
           "user_ids|one2many|Users|res.users:partner_id|;"
           "currency_id|many2one|Currency|res.currency|R;"
           MAIL_THREAD TIER_MIXIN);
  m->display = display_partner;
  ct_sim_model_set_access (m, NULL, "base.group_partner_manager,base.group_system",
                           "\t- Contact Creation");
  /* What a purchase user may not read (08-28, 09-21). */
  ct_sim_model_set_field_groups (m, "credit,credit_to_invoice,credit_limit,"
                                 "use_partner_credit_limit,show_credit_limit,debit,total_invoiced,"
                                 "total_overdue",
                                 "account.group_account_readonly,account.group_account_invoice",
                                 "'Show Accounting Features - Readonly', 'Accounting / Invoicing'");
  ct_sim_model_set_field_groups (m, "sale_order_count",
                                 "sales_team.group_sale_salesman,sales_team.group_sale_manager",
                                 "'Sales / User: Own Documents Only'");

  m = add (db, "res.users", "User",
           "name|char|Name||r;login|char|Login||r;partner_id|many2one|Related Partner|res.partner|;"
           "active|boolean|Active||;share|boolean|Share User||R;"
           "company_id|many2one|Company|res.company|;company_ids|many2many|Companies|res.company|;"
           "group_ids|many2many|Groups|res.groups|;"
           "email|char|Email||;tz|char|Timezone||");
  ct_sim_model_set_access (m, NULL, "base.group_system", "\t- Role / Administrator");
  add (db, "res.groups", "Access Groups",
       "name|char|Name||r;full_name|char|Group Name||R;user_ids|many2many|Users|res.users|;"
       "x_ct_xmlid|char|External ID||R");
  add (db, "stock.picking.type", "Operation Type",
       "name|char|Operation Type||r;code|selection|Type of Operation|incoming=Receipt,"
       "outgoing=Delivery,internal=Internal Transfer|r;warehouse_id|many2one|Warehouse|stock.warehouse|");
  add (db, "comment.wizard", "Comment Wizard",
       "comment|char|Comment||r;res_model|char|Model||;res_id|many2one_reference|Record||;"
       "validate_reject|char|Validate or Reject||");
  /* Only Administration / Access Rights reads the model registry (08-01, 08-02). */
  m = add (db, "ir.model", "Models",
           "name|char|Model Description||r;model|char|Model||r;"
           "transient|boolean|Transient Model||;modules|char|In Apps||Rc");
  ct_sim_model_set_access (m, "base.group_erp_manager,base.group_system", NULL,
                           "\t- Access Rights");
  /* External ids: every employee reads them (base.access_ir_model_data_group_user
   * grants read to base.group_user), only the system group writes. */
  m = add (db, "ir.model.data", "Model Data",
           "name|char|External Identifier||r;complete_name|char|Complete ID||Rc;"
           "module|char|Module||r;model|char|Model Name||r;"
           "res_id|many2one_reference|Record ID||;noupdate|boolean|Non Updatable||");
  ct_sim_model_set_access (m, NULL, "base.group_system", "\t- Role / Administrator");
  m = add (db, "ir.model.fields", "Fields",
           "name|char|Field Name||r;model|char|Model Name||r;model_id|many2one|Model|ir.model|;"
           "field_description|char|Field Label||r;ttype|char|Field Type||r");
  m->display = display_field;
  ct_sim_model_set_access (m, "base.group_erp_manager,base.group_system", NULL,
                           "\t- Access Rights");
  add (db, "mail.message.subtype", "Message subtypes",
       "name|char|Message Type||r;internal|boolean|Internal Only||;description|text|Description||");
  add (db, "mail.activity.type", "Activity Type",
       "name|char|Name||r;category|selection|Action|default=None,upload_file=Upload Document,"
       "phonecall=Phonecall|;icon|char|Icon||;delay_count|integer|Schedule||");
  add (db, "mail.followers", "Document Followers",
       "res_model|char|Related Document Model Name||r;res_id|many2one_reference|Related Document ID||;"
       "partner_id|many2one|Related Partner|res.partner|r");
  add (db, "product.category", "Product Category",
       "name|char|Name||r;parent_id|many2one|Parent Category|product.category|");
  add (db, "res.country", "Country", "name|char|Country Name||r;code|char|Country Code||");
  m = add (db, "product.product", "Product Variant",
       "name|char|Name||r;default_code|char|Internal Reference||;categ_id|many2one|Product Category|product.category|;"
       "list_price|float|Sales Price||;standard_price|float|Cost||;active|boolean|Active||;"
       "type|selection|Product Type|consu=Goods,service=Service,combo=Combo|;"
       "tracking|selection|Tracking|serial=By Unique Serial Number,lot=By Lots,none=By Quantity|;"
       "x_ct_regulated|boolean|Regulated||;x_ct_high_value|boolean|High Value||");
  m->display = display_product;

  m = add (db, "purchase.order", "Purchase Order", TIER_MIXIN);
  m->display = display_purchase;
  m->default_order = "priority desc, id desc";
  ct_sim_model_set_access (m,
                           "purchase.group_purchase_user,purchase.group_purchase_manager,"
                           "stock.group_stock_user,account.group_account_invoice",
                           "purchase.group_purchase_user,purchase.group_purchase_manager",
                           purchase_groups);
  m = add (db, "purchase.order.line", "Purchase Order Line",
           "name|text|Description||;order_id|many2one|Order Reference|purchase.order|r;"
           "product_id|many2one|Product|product.product|;product_qty|float|Quantity||;"
           "price_unit|float|Unit Price||;price_subtotal|monetary|Subtotal||R;"
           "price_total|monetary|Total||R;state|selection|Status|draft=RFQ,sent=RFQ Sent,"
           "to approve=To Approve,purchase=Purchase Order,cancel=Cancelled|R");
  ct_sim_model_set_access (m,
                           "purchase.group_purchase_user,purchase.group_purchase_manager,"
                           "stock.group_stock_user,account.group_account_invoice",
                           "purchase.group_purchase_user,purchase.group_purchase_manager",
                           purchase_groups);

  m = add (db, "sale.order", "Sales Order",
           "name|char|Order Reference||R;partner_id|many2one|Customer|res.partner|r;"
           "date_order|datetime|Order Date||r;state|selection|Status|draft=Quotation,"
           "sent=Quotation Sent,sale=Sales Order,cancel=Cancelled|R;"
           "amount_untaxed|monetary|Untaxed Amount||R;amount_tax|monetary|Taxes||R;"
           "amount_total|monetary|Total||R;margin|monetary|Margin||R;margin_percent|float|Margin (%)||R;"
           "user_id|many2one|Salesperson|res.users|;company_id|many2one|Company|res.company|r;"
           "currency_id|many2one|Currency|res.currency|R;warehouse_id|many2one|Warehouse|stock.warehouse|;"
           "order_line|one2many|Order Lines|sale.order.line:order_id|;"
           "invoice_status|selection|Invoice Status|upselling=Upselling Opportunity,invoiced=Fully Invoiced,"
           "to invoice=To Invoice,no=Nothing to Invoice|R;"
           "x_ct_max_discount|float|Highest Line Discount (%)||R;" MAIL_THREAD TIER_MIXIN);
  ct_sim_model_set_access (m, "sales_team.group_sale_salesman,sales_team.group_sale_manager",
                           NULL, "\t- Sales / User: Own Documents Only");
  m = add (db, "sale.order.line", "Sales Order Line",
           "name|text|Description||r;order_id|many2one|Order Reference|sale.order|r;"
           "product_id|many2one|Product|product.product|;product_uom_qty|float|Quantity||;"
           "price_unit|float|Unit Price||;discount|float|Discount (%)||;"
           "price_subtotal|monetary|Subtotal||R;margin|float|Margin||R;margin_percent|float|Margin (%)||R");
  ct_sim_model_set_access (m, "sales_team.group_sale_salesman,sales_team.group_sale_manager",
                           NULL, "\t- Sales / User: Own Documents Only");

  m = add (db, "stock.warehouse", "Warehouse",
           "name|char|Warehouse||r;code|char|Short Name||r;company_id|many2one|Company|res.company|r;"
           "active|boolean|Active||;partner_id|many2one|Address|res.partner|");
  m = add (db, "stock.picking", "Transfer",
           "name|char|Reference||;partner_id|many2one|Contact|res.partner|;origin|char|Source Document||;"
           "picking_type_code|selection|Type of Operation|incoming=Receipt,outgoing=Delivery,"
           "internal=Internal Transfer|R;state|selection|Status|draft=Draft,waiting=Waiting Another Operation,"
           "confirmed=Waiting,assigned=Ready,done=Done,cancel=Cancelled|R;"
           "scheduled_date|datetime|Scheduled Date||;date_done|datetime|Date of Transfer||;"
           "return_id|many2one|Return of|stock.picking|;company_id|many2one|Company|res.company|;"
           "x_ct_warehouse_id|many2one|Warehouse|stock.warehouse|;"
           "x_ct_claim_amount|monetary|Claim Amount||;" MAIL_THREAD TIER_MIXIN);
  ct_sim_model_set_access (m, "stock.group_stock_user,stock.group_stock_manager", NULL,
                           "\t- Inventory/User");
  m = add (db, "stock.quant", "Quants",
           "product_id|many2one|Product|product.product|r;warehouse_id|many2one|Warehouse|stock.warehouse|R;"
           "quantity|float|Quantity||R;inventory_quantity|float|Counted Quantity||;"
           "inventory_diff_quantity|float|Difference||R;inventory_date|date|Scheduled Date||;"
           "inventory_quantity_set|boolean|Inventory Quantity Set||;user_id|many2one|Assigned To|res.users|;"
           "x_ct_value_diff|monetary|Value Difference||R;" MAIL_THREAD TIER_MIXIN);
  ct_sim_model_set_access (m, "stock.group_stock_user,stock.group_stock_manager", NULL,
                           "\t- Inventory/User");
  m = add (db, "stock.scrap", "Scrap",
           "name|char|Reference||R;product_id|many2one|Product|product.product|r;"
           "scrap_qty|float|Quantity||r;state|selection|Status|draft=Draft,done=Done|R;"
           "date_done|datetime|Date||;x_ct_warehouse_id|many2one|Warehouse|stock.warehouse|;"
           "x_ct_value|monetary|Scrap Value||R;scrap_reason_tag_ids|many2many|Scrap Reason|stock.scrap.reason.tag|;"
           MAIL_THREAD TIER_MIXIN);
  ct_sim_model_set_access (m, "stock.group_stock_user,stock.group_stock_manager", NULL,
                           "\t- Inventory/User");
  add (db, "stock.scrap.reason.tag", "Scrap Reason Tag", "name|char|Name||r");
  m = add (db, "account.move", "Journal Entry",
           "name|char|Number||;partner_id|many2one|Partner|res.partner|;"
           "move_type|selection|Type|entry=Journal Entry,out_invoice=Customer Invoice,"
           "out_refund=Customer Credit Note,in_invoice=Vendor Bill,in_refund=Vendor Credit Note|r;"
           "state|selection|Status|draft=Draft,posted=Posted,cancel=Cancelled|R;"
           "invoice_date|date|Invoice/Bill Date||;invoice_date_due|date|Due Date||;"
           "amount_total|monetary|Total||R;amount_residual|monetary|Amount Due||R;"
           "payment_state|selection|Payment Status|not_paid=Not Paid,in_payment=In Payment,paid=Paid,"
           "partial=Partially Paid,reversed=Reversed|R;invoice_origin|char|Origin||;"
           "company_id|many2one|Company|res.company|;"
           "x_ct_expected_amount|monetary|Expected Amount (PO)||R;"
           "x_ct_discrepancy|monetary|Discrepancy||R;" MAIL_THREAD TIER_MIXIN);
  ct_sim_model_set_access (m, "account.group_account_invoice,account.group_account_manager", NULL,
                           "\t- Accounting/Invoicing");

  m = add (db, "tier.definition", "Tier Definition",
           "name|char|Description||r;model_id|many2one|Referenced Model|ir.model|r;"
           "model|char|Model||R;review_type|selection|Validated by|individual=Specific user,"
           "group=Any user in a specific group,field=Field in related record|r;"
           "reviewer_id|many2one|Reviewer|res.users|;reviewer_group_id|many2one|Reviewer group|res.groups|;"
           "definition_type|selection|Definition|domain=Domain|;definition_domain|char|Definition Domain||;"
           "sequence|integer|Sequence||;active|boolean|Active||;has_comment|boolean|Comment||;"
           "approve_sequence|boolean|Approve by sequence||;company_id|many2one|Company|res.company|;"
           "notify_on_create|boolean|Notify Reviewers on Creation||");
  ct_sim_model_set_access (m, NULL, "base.group_system", "\t- Role / Administrator");
  m = add (db, "tier.review", "Tier Review", NULL);
  m->default_order = "sequence, id";
  add (db, "tier.validation.reject.wizard", "Reject Wizard", "comment|char|Comment||");

  /* Odoo Approvals (Enterprise) is not on the recorded Community server. */
  if (with_extras)
    {
  m = add (db, "approval.category", "Approval Category",
             "name|char|Name||r;description|char|Description||;sequence|integer|Sequence||;"
             "approval_minimum|integer|Minimum Approval||;approver_sequence|boolean|Approvers Sequence?||;"
             "active|boolean|Active||;company_id|many2one|Company|res.company|;"
             "approval_type|selection|Approval Type|purchase=Create RFQ's,payment=Payment,"
             "borrow=Borrow Items,other=Other|;has_amount|selection|Has Amount|required=Required,"
             "optional=Optional,no=None|;has_partner|selection|Has Contact|required=Required,"
             "optional=Optional,no=None|");
    m = add (db, "approval.request", "Approval Request",
             "name|char|Approval Subject||r;category_id|many2one|Category|approval.category|r;"
             "request_owner_id|many2one|Request Owner|res.users|;date|datetime|Date||;"
             "date_confirmed|datetime|Date Confirmed||;"
             "request_status|selection|Request Status|new=To Submit,pending=Submitted,approved=Approved,"
             "refused=Refused,cancel=Cancel|R;amount|float|Amount||;reason|html|Description||;"
             "partner_id|many2one|Contact|res.partner|;reference|char|Reference||;"
             "approver_ids|one2many|Approvers|approval.approver:request_id|;"
             "approval_minimum|integer|Minimum Approval||R;"
             "user_status|selection|Approval Status|new=New,pending=To Approve,waiting=Waiting,"
             "approved=Approved,refused=Refused,cancel=Cancel|Rc;"
             "company_id|many2one|Company|res.company|;"
             "x_ct_area|selection|Area|sales=Sales,credit=Credit,procurement=Procurement,"
             "inventory=Inventory,returns=Returns and Claims,vendor=Vendor Onboarding,"
             "invoice=Invoice Discrepancy|;" MAIL_THREAD);
    m = add (db, "approval.approver", "Approver",
             "sequence|integer|Sequence||;user_id|many2one|User|res.users|r;"
             "request_id|many2one|Request|approval.request|;status|selection|Status|new=New,"
             "pending=To Approve,waiting=Waiting,approved=Approved,refused=Refused,cancel=Cancel|R;"
             "required|boolean|Required||;can_edit|boolean|Can Edit||Rc");
  
    }
  m = add (db, "mail.message", "Message", NULL);
  m->display = display_message;
  m->default_order = "id desc";
  /* Tracking is for administrators over the ORM (08-29, 09-07, 10-50); the
   * chatter route shows it to everyone who may read the record (10-54). */
  ct_sim_model_set_field_groups (m, "tracking_value_ids", "base.group_system",
                                 "'Role / Administrator'");
  m = add (db, "mail.tracking.value", "Mail Tracking Value", NULL);
  m->rec_name = "field_id";
  ct_sim_model_set_access (m, "base.group_system", NULL, "\t- Role / Administrator");
  m = add (db, "mail.activity", "Activity", NULL);
  m->rec_name = "summary";
  m->default_order = "date_deadline ASC, id ASC";
  m = add (db, "ir.cron", "Scheduled Actions", NULL);
  m->display = display_cron;
  ct_sim_model_set_access (m, "base.group_system", NULL, "\t- Role / Administrator");
  m = add (db, "ir.attachment", "Attachment",
           "name|char|Name||r;res_model|char|Resource Model||;res_id|many2one_reference|Resource ID||;"
           "mimetype|char|Mime Type||;file_size|integer|File Size||Rc;type|selection|Type|url=URL,"
           "binary=File|c;description|text|Description||;company_id|many2one|Company|res.company|;"
           "datas|binary|File Content (base64)||;checksum|char|Checksum/SHA1||Rc;"
           "public|boolean|Is public document||;access_token|char|Access Token||");
  /* OCA queue_job is not on the recorded server either. */
  if (with_extras)
    {
  m = add (db, "queue.job", "Queue Job",
             "uuid|char|UUID||R;name|char|Description||;model_name|char|Model||R;"
             "method_name|char|Method||R;func_string|char|Task||R;record_ids|json|Record(s)||R;"
             "state|selection|State|wait_dependencies=Wait Dependencies,pending=Pending,"
             "enqueued=Enqueued,started=Started,done=Done,cancelled=Cancelled,failed=Failed|R;"
             "priority|integer|Priority||;exc_name|char|Exception||R;exc_message|char|Exception Message||R;"
             "exc_info|text|Exception Info||R;result|text|Result||R;date_created|datetime|Created Date||R;"
             "date_started|datetime|Start Date||R;date_enqueued|datetime|Enqueue Time||R;"
             "date_done|datetime|Date Done||R;retry|integer|Current try||;max_retries|integer|Max. retries||;"
             "channel|char|Channel||;user_id|many2one|User ID|res.users|;company_id|many2one|Company|res.company|");
    ct_sim_model_set_access (m, "base.group_system,queue_job.group_queue_job_manager", NULL,
                             "\t- Job Queue Manager");
    }
  add (db, "res.users.apikeys.description", "API Key Description",
       "name|char|Description||r;duration|selection|Duration|0=Persistent Key,1=1 Day,7=1 Week,"
       "30=1 Month,90=3 Months,180=6 Months,365=1 Year,-1=Custom Date|");
  add (db, "res.users.identitycheck", "Password Check",
       "request|char|Request||;password|char|Password||");

  /* ir.model rows so sources can be discovered; purchase.order has the
   * recorded id 592 (05-create-mail.activity-with-res_model_id). */
  models = g_hash_table_get_values (db->models);
  models = g_list_sort (models, compare_model_names);
  for (l = models; l != NULL; l = l->next)
    {
      CtSimModel *model = l->data;
      CtSimModel *ir_model = ct_sim_db_get_model (db, "ir.model");
      gint64 id = g_strcmp0 (model->name, "purchase.order") == 0 ? 592 :
                  g_strcmp0 (model->name, "sale.order") == 0 ? 593 : ir_model_id++;
      guint row = ct_sim_model_new_row (ir_model, id);

      if (ir_model_id == 592)
        ir_model_id = 594;
      ct_sim_model_set_str (ir_model, row, "name", model->description);
      ct_sim_model_set_str (ir_model, row, "model", model->name);
      model->ir_model_id = id;
    }
  g_list_free (models);
}

gint64
ct_sim_schema_model_id (CtSimDb    *db,
                        const char *model)
{
  CtSimModel *m = ct_sim_db_get_model (db, model);

  return m != NULL ? m->ir_model_id : 0;
}
