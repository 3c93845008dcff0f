/* fuzz-decode.c - libFuzzer target over every response decoder
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fuzz-decode"

#include "config.h"

#include "ct-case.h"
#include "ct-incident.h"
#include "ct-n8n-client.h"
#include "ct-odoo-wire.h"
#include "ct-profile.h"

/* Input layout: byte 0 picks the decoder, byte 1 the HTTP status, byte 2
 * the content type; the rest is the body exactly as a server would send
 * it. The corpus (make-fuzz-corpus.py) wraps the recorded bodies so. */
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static const guint statuses[] = { 200, 400, 401, 403, 404, 409, 415, 422, 500, 502, 503, 204 };
static const char * const content_types[] = { "application/json", "text/html", NULL, "text/plain" };

/* What the sources do with each row of an answer: the engine reads it as a
 * case of every queue of the built-in profile and as each kind of incident,
 * and the report renders what came out. */
static void
exercise_rows (JsonNode *node,
               gboolean  n8n)
{
  static CtProfile *profile;
  JsonArray *rows = NULL;
  const CtIncidentThresholds *thresholds;
  gint64 now = 1764856800;

  if (profile == NULL)
    profile = ct_profile_new_default ();
  thresholds = ct_profile_get_incident_thresholds (profile);
  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_ARRAY (node))
    rows = json_node_get_array (node);
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *data = json_object_get_member (json_node_get_object (node), "data");

      if (data != NULL && JSON_NODE_HOLDS_ARRAY (data))
        rows = json_node_get_array (data);
    }
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows) && i < 64; i++)
    {
      JsonNode *row = json_array_get_element (rows, i);
      JsonObject *record;
      g_autoptr(CtCase) execution = NULL;
      g_autoptr(CtCase) cron = NULL;
      g_autoptr(CtCase) job = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (row))
        continue;
      record = json_node_get_object (row);
      {
        const char *field = NULL;

        /* The row checks the sources run first say why, or nothing. */
        if (ct_case_check_record (record, NULL, &field) != CT_ROW_READABLE)
          g_assert (field != NULL);
        field = NULL;
        if (n8n && ct_incident_check_n8n_execution (record, &field) != CT_ROW_READABLE)
          g_assert (field != NULL);
      }
      if (n8n)
        execution = ct_incident_from_n8n_execution (record, "workflow", thresholds, now);
      cron = ct_incident_from_cron (record, thresholds, now);
      job = ct_incident_from_queue_job (record, thresholds, now);
      for (guint q = 0; !n8n && q < ct_profile_get_n_queues (profile); q++)
        {
          g_autoptr(CtCase) c = ct_case_new ("purchase.order", 1);
          g_autoptr(JsonNode) json = NULL;

          ct_case_fill_from_record (c, profile, ct_profile_get_queue (profile, q), record);
          json = ct_case_to_json (c);
        }
      if (execution != NULL)
        json_node_unref (ct_case_to_json (execution));
      if (cron != NULL)
        json_node_unref (ct_case_to_json (cron));
      if (job != NULL)
        json_node_unref (ct_case_to_json (job));
    }
}

static void
exercise_n8n (JsonNode *node)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtN8nExecution) execution = NULL;
  g_autoptr(GPtrArray) executions = NULL;
  g_autoptr(GPtrArray) workflows = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *cursor2 = NULL;

  execution = ct_n8n_execution_from_json (node, &error);
  g_clear_error (&error);
  executions = ct_n8n_executions_from_page (node, &cursor, &error);
  g_clear_error (&error);
  workflows = ct_n8n_workflows_from_page (node, &cursor2, &error);
  g_clear_error (&error);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      CtN8nWorkflow *workflow = ct_n8n_workflow_from_json (node, &error);

      ct_n8n_workflow_free (workflow);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *body;
  gsize length;
  guint status;
  const char *content_type;
  gboolean ok;

  if (size < 3)
    return 0;
  status = statuses[data[1] % G_N_ELEMENTS (statuses)];
  content_type = content_types[data[2] % G_N_ELEMENTS (content_types)];
  body = (const char *) data + 3;
  length = size - 3;

  switch (data[0] % 3)
    {
    case 0:
      ok = ct_odoo_wire_decode_jsonrpc (body, length, status, content_type, &node, &error);
      break;
    case 1:
      ok = ct_odoo_wire_decode_json2 (body, length, status, content_type, &node, &error);
      break;
    default:
      ok = ct_n8n_decode_response (body, length, status, content_type, &node, &error);
      if (ok)
        exercise_n8n (node);
      if (ok)
        exercise_rows (node, TRUE);
      break;
    }

  /* the contract: success xor an error in our domain with details */
  g_assert (ok == (error == NULL));
  if (!ok)
    {
      g_assert (error->domain == CT_ODOO_ERROR);
      g_assert (ct_odoo_error_get_details (error) != NULL);
      g_assert (error->message != NULL);
    }
  else if (node != NULL)
    {
      int major = 0;
      g_autofree char *version = NULL;
      g_autoptr(GError) version_error = NULL;

      ct_odoo_wire_parse_version (node, &major, NULL, &version, &version_error);
      if (data[0] % 3 != 2)
        exercise_rows (node, FALSE);
    }
  return 0;
}
