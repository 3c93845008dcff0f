/* ct-integration-actions.h - Retry, Run Now, Requeue: act on a stalled integration, then check
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ct-case.h"
#include "ct-n8n-client.h"
#include "ct-odoo-client.h"

G_BEGIN_DECLS

typedef enum
{
  CT_INTEGRATION_ACTION_NONE,
  CT_INTEGRATION_ACTION_RETRY,     /* n8n: POST /api/v1/executions/{id}/retry */
  CT_INTEGRATION_ACTION_RUN_NOW,   /* ir.cron: method_direct_trigger */
  CT_INTEGRATION_ACTION_REQUEUE,   /* OCA queue.job: requeue */
} CtIntegrationAction;

/* What an action did, as the re-read after it shows. */
typedef struct
{
  CtIntegrationAction  action;
  gboolean             resolved;  /* the re-read shows it healthy now */
  char                *summary;   /* a sentence for the user */
  char                *status;    /* (nullable) the state re-read ("success", "pending", ...) */
  char                *new_key;   /* (nullable) a retry's new run: "n8n.execution:<id>" */
} CtIntegrationResult;

void ct_integration_result_free (CtIntegrationResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtIntegrationResult, ct_integration_result_free)

#define CT_TYPE_INTEGRATION_ACTIONS (ct_integration_actions_get_type ())

G_DECLARE_FINAL_TYPE (CtIntegrationActions, ct_integration_actions, CT, INTEGRATION_ACTIONS,
                      GObject)

/* Either client may be NULL when that server is not configured; its
 * actions then fail with NOT_SUPPORTED. */
CtIntegrationActions *ct_integration_actions_new        (CtOdooClient        *odoo,
                                                         CtN8nClient         *n8n);

/* The action an incident key offers ("n8n.execution:12" → RETRY,
 * "ir.cron:4" → RUN_NOW, "queue.job:9" → REQUEUE), NONE for others. */
CtIntegrationAction   ct_integration_action_for_key     (const char          *key);
/* "Retry", "Run Now", "Requeue": the button's label. */
const char           *ct_integration_action_get_label   (CtIntegrationAction  action);

/* Where "Open in n8n / Odoo" goes for @incident: the execution in the
 * n8n editor (@n8n_url/workflow/<workflow>/executions/<id>), or the
 * scheduled action's or job's form in Odoo (see ct_odoo_form_url). NULL
 * when the server is not configured. */
char                 *ct_integration_open_url           (CtCase              *incident,
                                                         const char          *odoo_url,
                                                         int                  odoo_major_version,
                                                         const char          *n8n_url);

/* Runs the incident's action and re-reads what it acted on. A refusal
 * (the user's rights, a run n8n cannot retry) is an error whose message
 * is the server's own reason in words (CT_ODOO_ERROR ACCESS or USER). */
void                  ct_integration_actions_run_async  (CtIntegrationActions *self,
                                                         const char           *incident_key,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
CtIntegrationResult  *ct_integration_actions_run_finish (CtIntegrationActions *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

G_END_DECLS
