/* ct-n8n-client.h - Async client for the n8n public API v1
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ct-http.h"
#include "ct-odoo-error.h"

G_BEGIN_DECLS

#define CT_TYPE_N8N_CLIENT (ct_n8n_client_get_type ())

G_DECLARE_FINAL_TYPE (CtN8nClient, ct_n8n_client, CT, N8N_CLIENT, GObject)

/* One execution. Ids are strings whatever n8n sent (lists send "20",
 * retries send retryOf 5). */
typedef struct
{
  char      *id;
  char      *workflow_id;
  char      *status;         /* error, success, waiting, running, canceled, crashed, new */
  char      *mode;           /* webhook, trigger, retry, manual, ... */
  gboolean   finished;
  GDateTime *started_at;     /* (nullable) */
  GDateTime *stopped_at;     /* (nullable) */
  GDateTime *wait_till;      /* (nullable) */
  char      *retry_of;       /* (nullable) */
  char      *retry_success_id; /* (nullable) */
  /* Only with includeData and a failed run: */
  char      *error_message;  /* the run's error, as n8n words it */
  char      *error_node;     /* the node that failed */
  char      *node_error;     /* that node's own error message, when it differs */
  char      *error_stack;    /* for a details view only */
} CtN8nExecution;

typedef struct
{
  char     *id;
  char     *name;
  gboolean  active;
  gboolean  archived;
  char     *error_workflow;  /* (nullable) settings.errorWorkflow */
} CtN8nWorkflow;

void            ct_n8n_execution_free (CtN8nExecution *execution);
void            ct_n8n_workflow_free  (CtN8nWorkflow  *workflow);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtN8nExecution, ct_n8n_execution_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtN8nWorkflow, ct_n8n_workflow_free)

/* ---- pure decoding (fuzzed; no network) ---- */

/* Any n8n answer: the JSON value on 2xx; otherwise an error: 401 → AUTH,
 * 403 → ACCESS, 404 → NOT_FOUND, 400/409 → PROTOCOL (callers that let the
 * user act remap), 5xx and HTML → SERVER. */
gboolean        ct_n8n_decode_response   (const char   *data,
                                          gsize         length,
                                          guint         http_status,
                                          const char   *content_type,
                                          JsonNode    **result,
                                          GError      **error);
CtN8nExecution *ct_n8n_execution_from_json (JsonNode   *node,
                                            GError    **error);
CtN8nWorkflow  *ct_n8n_workflow_from_json  (JsonNode   *node,
                                            GError    **error);
/* A list page: {"data": [...], "nextCursor": string|null}. Returns the
 * items (of CtN8nExecution or CtN8nWorkflow), sets *next_cursor. */
GPtrArray      *ct_n8n_executions_from_page (JsonNode  *node,
                                             char     **next_cursor,
                                             GError   **error);
GPtrArray      *ct_n8n_workflows_from_page  (JsonNode  *node,
                                             char     **next_cursor,
                                             GError   **error);

/* ---- the client ---- */

/* @url: the n8n base address (http:// outside loopback needs
 * @allow_insecure_http). The key goes in X-N8N-API-KEY and nowhere else. */
CtN8nClient    *ct_n8n_client_new          (const char   *url,
                                            const char   *api_key,
                                            gboolean      allow_insecure_http,
                                            GError      **error);
CtHttp         *ct_n8n_client_get_http     (CtN8nClient  *self);
void            ct_n8n_client_set_timeouts (CtN8nClient  *self,
                                            guint         connect_ms,
                                            guint         call_ms);
void            ct_n8n_client_set_pinned_certificate (CtN8nClient *self,
                                                      const char  *sha256);

typedef struct
{
  const char *status;        /* (nullable) */
  const char *workflow_id;   /* (nullable) */
  gboolean    include_data;
  guint       limit;         /* per page, 0: n8n's default (100); n8n caps it at 250 */
  guint       max_items;     /* stop after this many, 0: all pages */
} CtN8nExecutionQuery;

/* Lists executions across pages. n8n's cursor does not carry the filters,
 * so they are sent again with every page. */
void            ct_n8n_client_list_executions_async  (CtN8nClient               *self,
                                                      const CtN8nExecutionQuery *query,
                                                      GCancellable              *cancellable,
                                                      GAsyncReadyCallback        callback,
                                                      gpointer                   user_data);
GPtrArray      *ct_n8n_client_list_executions_finish (CtN8nClient               *self,
                                                      GAsyncResult              *result,
                                                      GError                   **error);

/* @id: the execution id as text ("5"); numbers are accepted as such. */
void            ct_n8n_client_get_execution_async    (CtN8nClient         *self,
                                                      const char          *id,
                                                      gboolean             include_data,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
CtN8nExecution *ct_n8n_client_get_execution_finish   (CtN8nClient         *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

void            ct_n8n_client_list_workflows_async   (CtN8nClient         *self,
                                                      gboolean             active_only,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray      *ct_n8n_client_list_workflows_finish  (CtN8nClient         *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Retries a failed execution. n8n answers only when the new run has
 * finished, so this goes through a connection of its own with no call
 * timeout: lists and reads keep flowing meanwhile. Returns the new
 * execution. 400 (cannot be retried) and 409 → USER with n8n's message;
 * 404 → NOT_FOUND; a server without the route → NOT_SUPPORTED. */
void            ct_n8n_client_retry_async            (CtN8nClient         *self,
                                                      const char          *id,
                                                      gboolean             load_workflow,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
CtN8nExecution *ct_n8n_client_retry_finish           (CtN8nClient         *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
