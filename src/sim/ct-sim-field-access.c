/* ct-sim-field-access.c - Odoo's field-level groups: fields some users may not read
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * As the recorded server shows (tests/data/protocol/README.md, 08-28, 08-29,
 * 09-21, 10-50): fields_get leaves out a field the user's groups do not
 * allow, and naming it in a read fails the whole call with an AccessError
 * that lists the groups.
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include "ct-sim-field-access.h"
#include "ct-sim-odoo.h"

#define ACCOUNTING "account.group_account_invoice,account.group_account_readonly"
#define ACCOUNTING_TEXT "'Show Accounting Features - Readonly', 'Accounting / Invoicing'"

static const struct
{
  const char *model;
  const char *field;
  const char *groups;       /* any one of them allows reading */
  const char *groups_text;  /* as the AccessError lists them */
} rules[] = {
  { "res.partner", "credit", ACCOUNTING, ACCOUNTING_TEXT },
  { "res.partner", "debit", ACCOUNTING, ACCOUNTING_TEXT },
  { "res.partner", "credit_limit", ACCOUNTING, ACCOUNTING_TEXT },
  { "res.partner", "use_partner_credit_limit", ACCOUNTING, ACCOUNTING_TEXT },
  { "res.partner", "show_credit_limit", ACCOUNTING, ACCOUNTING_TEXT },
  { "res.partner", "credit_to_invoice", ACCOUNTING, ACCOUNTING_TEXT },
  { "res.partner", "total_invoiced", ACCOUNTING, ACCOUNTING_TEXT },
  { "res.partner", "total_overdue", ACCOUNTING, ACCOUNTING_TEXT },
  { "mail.message", "tracking_value_ids", "base.group_system", "'Role / Administrator'" },
};

static CtSimUser *
current_user (CtSimDb *db)
{
  if (db->odoo == NULL || db->current_uid <= 0)
    return NULL;
  return ct_sim_odoo_get_user (db->odoo, db->current_uid);
}

static int
find_rule (CtSimModel *model,
           CtSimField *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    if (g_str_equal (rules[i].field, field->name) && g_str_equal (rules[i].model, model->name))
      return (int) i;
  return -1;
}

static gboolean
allowed (CtSimUser *user,
         int        rule)
{
  g_auto(GStrv) groups = NULL;

  if (user == NULL || rule < 0)
    return TRUE;
  groups = g_strsplit (rules[rule].groups, ",", -1);
  for (guint i = 0; groups[i] != NULL; i++)
    if (ct_sim_user_has_group (user, groups[i]))
      return TRUE;
  return FALSE;
}

gboolean
ct_sim_field_readable (CtSimModel *model,
                       CtSimField *field)
{
  return allowed (current_user (model->db), find_rule (model, field));
}

gboolean
ct_sim_field_check_read (CtSimModel  *model,
                         CtSimField  *field,
                         GError     **error)
{
  CtSimUser *user = current_user (model->db);
  int rule = find_rule (model, field);

  if (allowed (user, rule))
    return TRUE;
  g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_ACCESS_ERROR,
               "You do not have enough rights to access the field \"%s\" on %s (%s). Please "
               "contact your system administrator.\n\nOperation: read\nUser: %" G_GINT64_FORMAT
               "\nGroups: allowed for groups %s",
               field->name, model->description, model->name, user->uid, rules[rule].groups_text);
  return FALSE;
}
