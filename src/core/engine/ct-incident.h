/* ct-incident.h - Stalled integrations as cases: n8n runs, crons, queue jobs
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ct-case.h"
#include "ct-profile.h"

G_BEGIN_DECLS

/* An incident is a CtCase of kind CT_CASE_KIND_INCIDENT, so one store, one
 * list model and one filter hold everything the tower shows; metrics skip
 * incidents. Keys: "n8n.execution:<id>", "ir.cron:<id>", "queue.job:<id>".
 *
 * Each function below is pure: it reads one record as the server sent it and
 * returns the incident it amounts to at @now, or NULL when the record is
 * healthy (or malformed: a record without an id is no incident). */

/* An n8n public-API execution (GET /api/v1/executions[/id]), alone. Linked
 * case keys come from customData: "caseKey" ("sale.order:42"), or "model"
 * with "recordId" or "res_id", or "odoo_model" with "odoo_id"; a failed run
 * read with includeData gives its message and failed node. @workflow_name
 * may be NULL. */
CtCase      *ct_incident_from_n8n_execution (JsonObject                 *execution,
                                             const char                 *workflow_name,
                                             const CtIncidentThresholds *thresholds,
                                             gint64                      now);
/* The n8n runs a fetch saw (@executions: element-type JsonObject, as listed
 * or read; failed ones with their data where it was read) as n8n means
 * them: a failed run whose retry succeeded (retrySuccessId set anywhere in
 * its retry chain) is resolved, no incident; a retry chain (runs linked by
 * retryOf) is one failure with its attempts; the failures of one workflow
 * are one incident with their count (n_failures), the first and last time
 * (requested_at, last_failed_at) and the cases they hold up; the latest
 * failure gives its key (the run a retry acts on), message (detail), failed
 * node, and attempts (n_attempts, attempt_status of the latest attempt).
 * Runs running or waiting too long are one incident each. @workflow_names:
 * workflow id → name (nullable). Returns (element-type CtCase). */
GPtrArray   *ct_incidents_from_n8n_executions (GPtrArray                  *executions,
                                               GHashTable                 *workflow_names,
                                               const CtIncidentThresholds *thresholds,
                                               gint64                      now);
/* An ir.cron record (search_read with active, nextcall, lastcall and, on
 * 18.0+, failure_count / first_failure_date). */
CtCase      *ct_incident_from_cron          (JsonObject                 *cron,
                                             const CtIncidentThresholds *thresholds,
                                             gint64                      now);
/* An OCA queue.job record (state, date_started, date_enqueued, model_name,
 * record_ids, exc_message / exc_info). */
CtCase      *ct_incident_from_queue_job     (JsonObject                 *job,
                                             const CtIncidentThresholds *thresholds,
                                             gint64                      now);

/* ct_case_check_record() for an n8n execution: its id (a string of digits
 * or a positive integer), status (a string), startedAt and stoppedAt (a
 * string or null) and workflowId (a string or null). */
CtRowProblem ct_incident_check_n8n_execution (JsonObject                *execution,
                                              const char               **field);

const char  *ct_incident_kind_to_string     (CtIncidentKind kind);
/* A short sentence for the user, e.g. "Workflow run failed". */
const char  *ct_incident_kind_get_label     (CtIncidentKind kind);

/* Odoo sends UTC "YYYY-MM-DD HH:MM:SS" (or false); n8n ISO 8601 with Z.
 * Both return 0 for anything else. */
gint64       ct_parse_odoo_datetime         (JsonNode      *node);
gint64       ct_parse_iso8601               (const char    *text);

G_END_DECLS
