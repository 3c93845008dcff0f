/* ct-sim-n8n.c - The n8n public API v1 of the simulator
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sim-n8n"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ct-json.h"
#include "ct-sim-n8n.h"
#include "ct-sim-route.h"

/* Everything here follows tests/data/protocol/n8n-1.123: key names, which keys
 * each endpoint leaves out, ids as strings in most answers but as numbers in
 * a few (DELETE, retryOf of a retry), the messages of the OpenAPI validator,
 * and the quirks of n8n 1.x (running executions and waiting executions the
 * process holds in memory do not show up in lists).
 *
 * Served: GET /healthz, /healthz/readiness; with X-N8N-API-KEY, GET
 * /api/v1/workflows, GET /api/v1/workflows/{id}, POST .../activate and
 * .../deactivate, GET /api/v1/executions, GET and DELETE
 * /api/v1/executions/{id}, POST /api/v1/executions/{id}/retry. Not served
 * (404 {"message":"not found"} like an unknown route): creating, updating
 * or deleting workflows, and the public API's credentials, tags, users,
 * variables, projects and audit routes, which Control Tower does not use;
 * the editor's /rest/ and the /webhook/ routes are not the n8n side's
 * paths at all (ct_sim_n8n_owns_path). */

#define API_PREFIX        "/api/v1"
#define MAX_LIMIT         250
#define DEFAULT_LIMIT     100
#define WAIT_FOREVER_MS   G_GINT64_CONSTANT (32503680000000) /* 3000-01-01T00:00:00Z */
#define LAST_RESTART_MS   (12 * 3600000)  /* generated instance: uptime at `now` */
#define PROJECT_ID        "Sbe0CWQuBfBPqdbh"
#define OWNER_ID          "5b4a774e-c4a1-4691-9f59-a037a0858553"
#define JSON_TYPE         "application/json; charset=utf-8"

typedef enum
{
  STATUS_SUCCESS,
  STATUS_ERROR,
  STATUS_CRASHED,
  STATUS_WAITING,
  STATUS_RUNNING,
  STATUS_CANCELED,
  N_STATUSES
} ExecStatus;

static const char *const status_names[N_STATUSES] = {
  "success", "error", "crashed", "waiting", "running", "canceled",
};

typedef enum
{
  ERROR_CODE,     /* a Code node threw: Error or TypeError with a line number */
  ERROR_HTTP,     /* an HTTP Request node got an error answer: NodeApiError */
} ErrorKind;

typedef struct
{
  ErrorKind   kind;
  guint       node;         /* index of the failing node */
  const char *error_class;  /* ERROR_CODE: "Error", "TypeError" */
  const char *message;      /* without the " [line N]" suffix for code errors */
  guint       line;         /* ERROR_CODE */
  const char *http_code;    /* ERROR_HTTP: "502", "ETIMEDOUT" */
  const char *description;  /* ERROR_HTTP (nullable) */
  const char *upstream;     /* ERROR_HTTP: what the upstream answered */
} ErrorDef;

typedef struct
{
  const char *name;
  const char *type;
  double      type_version;
  gboolean    has_webhook_id;
  const char *parameters;   /* JSON */
} NodeDef;

typedef struct
{
  const char *id;           /* NULL: derived from the seed */
  const char *name;
  const char *mode;         /* "webhook", "trigger", "error" */
  const char *path;         /* webhook path (nullable) */
  const char *id_prefix;    /* node ids look like "<prefix>-0000-4000-8000-00000000000N" */
  const char *created_at;   /* recorded only */
  const char *version_id;   /* recorded only */
  const char *static_data;  /* JSON (nullable) */
  gboolean    error_workflow;
  NodeDef     nodes[6];
  guint       n_nodes;
  guint       wait_node;    /* 0: none */
  gboolean    wait_forever; /* the Wait node resumes on a webhook call */
  guint       weight;       /* share of the generated executions */
  guint       status_weights[N_STATUSES];
  ErrorDef    errors[2];
  guint       n_errors;
  guint       retry_success_permille;
  const char *link_model;   /* Odoo model its runs are about (nullable) */
  const char *link_topic;   /* (nullable) which of those records: the links of this topic */
} WorkflowDef;

typedef struct
{
  const WorkflowDef *def;
  char     *id;              /* (owned) */
  gboolean  active;
  gint64    created_ms;
  gint64    updated_ms;
  char     *version_id;      /* (owned) */
  char     *error_workflow;  /* (owned) (nullable): id of the error workflow */
  guint     version_counter;
} Workflow;

typedef struct
{
  gint64      id;
  Workflow   *workflow;      /* (unowned) */
  ExecStatus  status;
  const char *mode;
  gint64      retry_of;      /* 0: none */
  gint64      retry_success_id;
  gint64      created_ms;
  gint64      started_ms;
  gint64      stopped_ms;    /* 0: null */
  gint64      wait_till_ms;  /* 0: null */
  guint       error_index;
  guint       n_retries;
  /* Held in the n8n process's memory, which hides it from lists (n8n 1.x). */
  gboolean    in_memory;
  guint64     salt;          /* picks the Odoo record and the payload */
} Execution;

struct _CtSimN8n
{
  GObject     parent_instance;

  GMutex      lock;
  guint64     seed;
  guint       n_cases;
  gboolean    recorded;
  gint64      now_ms;        /* fixed clock, or 0 for the wall clock */
  gint64      clock_ticks;
  char       *api_key;       /* (owned) */
  char       *expired_key;   /* (owned) */
  GPtrArray  *workflows;     /* (owned) (element-type Workflow): sorted by id */
  GPtrArray  *executions;    /* (owned) (element-type Execution): sorted by id */
  GHashTable *by_id;         /* (owned): gint64 id → Execution */
  gint64      next_id;
  GArray     *links;         /* (owned) (element-type CtSimN8nLink), strings owned */
  guint       replay_stage;  /* recorded only: events of replay_events() applied */
};

G_DEFINE_FINAL_TYPE (CtSimN8n, ct_sim_n8n, G_TYPE_OBJECT)

/* ---------------------------------------------------------------------- */
/* The recorded instance (tests/data/protocol/n8n-1.123) */

#define WEBHOOK_PARAMS(path) \
  "{\"httpMethod\":\"POST\",\"path\":\"" path "\",\"responseMode\":\"onReceived\",\"options\":{}}"

static const WorkflowDef recorded_workflows[] = {
  {
    .id = "Cfrtu7IrQIbXDyt4", .name = "Order sync (succeeds)", .mode = "webhook",
    .path = "order-sync", .id_prefix = "cccccccc", .created_at = "2026-11-26T15:36:03.805Z",
    .version_id = "22c4e7f3-12ed-476e-bc72-d69bfe4a69da",
    .nodes = {
      { "Order received", "n8n-nodes-base.webhook", 2, TRUE, WEBHOOK_PARAMS ("order-sync") },
      { "Map order", "n8n-nodes-base.set", 3.4, FALSE,
        "{\"mode\":\"manual\",\"assignments\":{\"assignments\":[{\"id\":\"cccccccc-a0\","
        "\"name\":\"orderId\",\"value\":\"={{ $json.body.orderId }}\",\"type\":\"string\"}]},"
        "\"options\":{}}" },
      { "Pushed to ERP", "n8n-nodes-base.noOp", 1, FALSE, "{}" },
    }, .n_nodes = 3, .retry_success_permille = 1000,
  },
  {
    .id = "OARcEqmtrJbF2Gm2", .name = "Document approval (waits 24h)", .mode = "webhook",
    .path = "approval", .id_prefix = "bbbbbbbb", .created_at = "2026-11-26T15:36:02.411Z",
    .version_id = "2eada48c-4527-4ceb-95e6-8b69c5eb63b5",
    .nodes = {
      { "Document submitted", "n8n-nodes-base.webhook", 2, TRUE, WEBHOOK_PARAMS ("approval") },
      { "Wait 24h for approval window", "n8n-nodes-base.wait", 1.1, TRUE,
        "{\"resume\":\"timeInterval\",\"amount\":24,\"unit\":\"hours\"}" },
      { "Approved", "n8n-nodes-base.noOp", 1, FALSE, "{}" },
    }, .n_nodes = 3, .wait_node = 1, .retry_success_permille = 1000,
  },
  {
    .id = "iNmukRovJskhTOQF", .name = "Heartbeat (schedule, every 5 min)", .mode = "trigger",
    .id_prefix = "dddddddd", .created_at = "2026-11-26T15:36:04.617Z",
    .version_id = "55c3326c-91b2-4670-8703-f84f62346b9a",
    .static_data = "{\"node:Every 5 minutes\":{\"recurrenceRules\":[]}}",
    .nodes = {
      { "Every 5 minutes", "n8n-nodes-base.scheduleTrigger", 1.2, FALSE,
        "{\"rule\":{\"interval\":[{\"field\":\"minutes\",\"minutesInterval\":5}]}}" },
      { "Stamp heartbeat", "n8n-nodes-base.set", 3.4, FALSE,
        "{\"mode\":\"manual\",\"assignments\":{\"assignments\":[{\"id\":\"dddddddd-a0\","
        "\"name\":\"beat\",\"value\":\"={{ $now.toISO() }}\",\"type\":\"string\"}]},"
        "\"options\":{}}" },
    }, .n_nodes = 2, .retry_success_permille = 1000,
  },
  {
    .id = "o7IlixzRe9J4S49v", .name = "Credit check (fails)", .mode = "webhook",
    .path = "credit-check", .id_prefix = "aaaaaaaa", .created_at = "2026-11-26T15:35:57.199Z",
    .version_id = "01e97fd5-c049-4882-931f-d6e0cb8add5a",
    .nodes = {
      { "Loan application received", "n8n-nodes-base.webhook", 2, TRUE,
        WEBHOOK_PARAMS ("credit-check") },
      { "Prepare bureau request", "n8n-nodes-base.set", 3.4, FALSE,
        "{\"mode\":\"manual\",\"assignments\":{\"assignments\":[{\"id\":\"aaaaaaaa-a0\","
        "\"name\":\"applicant\",\"value\":\"={{ $json.body.applicant || 'unknown' }}\","
        "\"type\":\"string\"},{\"id\":\"aaaaaaaa-a1\",\"name\":\"bureau\","
        "\"value\":\"Experian-sandbox\",\"type\":\"string\"}]},\"options\":{}}" },
      { "Call credit bureau", "n8n-nodes-base.code", 2, FALSE,
        "{\"jsCode\":\"// Simulates an integration whose upstream never answers\\n"
        "throw new Error('credit bureau timeout');\"}" },
    }, .n_nodes = 3,
    .errors = { { ERROR_CODE, 2, "Error", "credit bureau timeout", 2 } }, .n_errors = 1,
    .retry_success_permille = 0,
  },
  {
    .id = "qfRX7evV64uUp9Ag", .name = "Payment capture (fails, succeeds on retry)",
    .mode = "webhook", .path = "payment", .id_prefix = "ffffffff",
    .created_at = "2026-11-26T15:36:05.872Z",
    .version_id = "80580426-5595-490e-98e8-8db0877b4969",
    .nodes = {
      { "Payment requested", "n8n-nodes-base.webhook", 2, TRUE, WEBHOOK_PARAMS ("payment") },
      { "Stamp request", "n8n-nodes-base.set", 3.4, FALSE,
        "{\"mode\":\"manual\",\"assignments\":{\"assignments\":[{\"id\":\"ffffffff-a0\","
        "\"name\":\"receivedAt\",\"value\":\"={{ $now.toMillis() }}\",\"type\":\"number\"}]},"
        "\"options\":{}}" },
      { "Capture payment", "n8n-nodes-base.code", 2, FALSE,
        "{\"jsCode\":\"const age = Date.now() - $input.first().json.receivedAt;\\n"
        "if (age < 15000) {\\n  throw new Error('payment gateway returned 503, try again "
        "later');\\n}\\nreturn [{ json: { captured: true, ageMs: age } }];\"}" },
    }, .n_nodes = 3,
    .errors = { { ERROR_CODE, 2, "Error", "payment gateway returned 503, try again later", 3 } },
    .n_errors = 1, .retry_success_permille = 1000,
  },
  {
    .id = "uCgDkQ18mX17JYSC", .name = "Contract sign-off (waits for callback)",
    .mode = "webhook", .path = "sign-off", .id_prefix = "b2b2b2b2",
    .created_at = "2026-11-26T15:36:03.095Z",
    .version_id = "b9ae91b7-13f1-4a2b-9b58-e28d8d8360aa",
    .nodes = {
      { "Contract sent", "n8n-nodes-base.webhook", 2, TRUE, WEBHOOK_PARAMS ("sign-off") },
      { "Wait for signature callback", "n8n-nodes-base.wait", 1.1, TRUE,
        "{\"resume\":\"webhook\",\"options\":{}}" },
      { "Signed", "n8n-nodes-base.noOp", 1, FALSE, "{}" },
    }, .n_nodes = 3, .wait_node = 1, .wait_forever = TRUE, .retry_success_permille = 1000,
  },
  {
    .id = "vcUwUIbYyIHF0HX1", .name = "Inventory push (HTTP 404 error)", .mode = "webhook",
    .path = "inventory", .id_prefix = "99999999", .created_at = "2026-11-26T15:36:06.624Z",
    .version_id = "bcd07799-fd6b-41b6-872f-be8b9185b796",
    .nodes = {
      { "Stock changed", "n8n-nodes-base.webhook", 2, TRUE, WEBHOOK_PARAMS ("inventory") },
      { "Push to warehouse API", "n8n-nodes-base.httpRequest", 4.2, FALSE,
        "{\"method\":\"POST\",\"url\":\"http://127.0.0.1:5678/webhook/"
        "warehouse-api-that-does-not-exist\",\"options\":{\"timeout\":5000}}" },
    }, .n_nodes = 2,
    .errors = { { ERROR_HTTP, 1, NULL, "The resource you are requesting could not be found", 0,
                  "404",
                  "The requested webhook \"POST warehouse-api-that-does-not-exist\" is not "
                  "registered.",
                  "{\"code\":404,\"message\":\"The requested webhook \\\"POST "
                  "warehouse-api-that-does-not-exist\\\" is not registered.\"}" } },
    .n_errors = 1, .retry_success_permille = 0,
  },
  {
    .id = "y7d4YRgWKHzCIbd1", .name = "Slow report (runs ~50s)", .mode = "webhook",
    .path = "slow-report", .id_prefix = "eeeeeeee", .created_at = "2026-11-26T15:36:05.207Z",
    .version_id = "846bec50-6740-46e7-89a9-010bc6de2cae",
    .nodes = {
      { "Report requested", "n8n-nodes-base.webhook", 2, TRUE, WEBHOOK_PARAMS ("slow-report") },
      { "Crunch numbers (50s)", "n8n-nodes-base.wait", 1.1, TRUE,
        "{\"resume\":\"timeInterval\",\"amount\":50,\"unit\":\"seconds\"}" },
      { "Report ready", "n8n-nodes-base.noOp", 1, FALSE, "{}" },
    }, .n_nodes = 3, .retry_success_permille = 1000,
  },
};

/* Executions as they were when the public API transcripts start (030):
 * waiting 12–16 are held in memory, which hides them from lists (030, 032).
 * Retries made during a replay get the ids 21–24 as in the recording; what
 * happened outside the public API later (a long run, a /rest stop, a
 * restart) comes with ct_sim_n8n_replay_until(). */
typedef struct
{
  gint64      id;
  guint       workflow;    /* index into recorded_workflows */
  ExecStatus  status;
  const char *mode;
  const char *created;
  const char *started;
  const char *stopped;     /* nullable */
  const char *wait_till;   /* nullable */
  gboolean    in_memory;
} RecordedExecution;

static const RecordedExecution recorded_executions[] = {
  { 1, 3, STATUS_ERROR, "webhook", "2026-11-26T15:36:28.025Z", "2026-11-26T15:36:28.104Z",
    "2026-11-26T15:36:28.704Z" },
  { 2, 3, STATUS_ERROR, "webhook", "2026-11-26T15:36:30.950Z", "2026-11-26T15:36:31.044Z",
    "2026-11-26T15:36:31.570Z" },
  { 3, 3, STATUS_ERROR, "webhook", "2026-11-26T15:36:31.540Z", "2026-11-26T15:36:31.623Z",
    "2026-11-26T15:36:32.411Z" },
  { 4, 3, STATUS_ERROR, "webhook", "2026-11-26T15:36:31.700Z", "2026-11-26T15:36:31.819Z",
    "2026-11-26T15:36:32.832Z" },
  { 5, 3, STATUS_ERROR, "webhook", "2026-11-26T15:36:32.752Z", "2026-11-26T15:36:32.978Z",
    "2026-11-26T15:36:33.558Z" },
  { 6, 0, STATUS_SUCCESS, "webhook", "2026-11-26T15:36:33.000Z", "2026-11-26T15:36:33.083Z",
    "2026-11-26T15:36:33.663Z" },
  { 7, 0, STATUS_SUCCESS, "webhook", "2026-11-26T15:36:33.790Z", "2026-11-26T15:36:33.867Z",
    "2026-11-26T15:36:34.455Z" },
  { 8, 0, STATUS_SUCCESS, "webhook", "2026-11-26T15:36:33.860Z", "2026-11-26T15:36:33.944Z",
    "2026-11-26T15:36:34.535Z" },
  { 9, 0, STATUS_SUCCESS, "webhook", "2026-11-26T15:36:34.620Z", "2026-11-26T15:36:34.707Z",
    "2026-11-26T15:36:35.162Z" },
  { 10, 0, STATUS_SUCCESS, "webhook", "2026-11-26T15:36:34.700Z", "2026-11-26T15:36:34.793Z",
    "2026-11-26T15:36:35.289Z" },
  { 11, 0, STATUS_SUCCESS, "webhook", "2026-11-26T15:36:35.310Z", "2026-11-26T15:36:35.517Z",
    "2026-11-26T15:36:36.079Z" },
  { 12, 1, STATUS_WAITING, "webhook", "2026-11-26T15:36:35.446Z", "2026-11-26T15:36:35.592Z",
    "2026-11-26T15:36:36.092Z", "2026-11-27T15:36:36.091Z", TRUE },
  { 13, 1, STATUS_WAITING, "webhook", "2026-11-26T15:36:36.108Z", "2026-11-26T15:36:36.302Z",
    "2026-11-26T15:36:36.399Z", "2026-11-27T15:36:36.398Z", TRUE },
  { 14, 1, STATUS_WAITING, "webhook", "2026-11-26T15:36:36.320Z", "2026-11-26T15:36:36.401Z",
    "2026-11-26T15:36:36.512Z", "2026-11-27T15:36:36.511Z", TRUE },
  { 15, 5, STATUS_WAITING, "webhook", "2026-11-26T15:36:36.777Z", "2026-11-26T15:36:36.881Z",
    "2026-11-26T15:36:36.903Z", "3000-01-01T00:00:00.000Z", TRUE },
  { 16, 5, STATUS_WAITING, "webhook", "2026-11-26T15:36:36.950Z", "2026-11-26T15:36:37.032Z",
    "2026-11-26T15:36:37.101Z", "3000-01-01T00:00:00.000Z", TRUE },
  { 17, 4, STATUS_ERROR, "webhook", "2026-11-26T15:36:37.556Z", "2026-11-26T15:36:37.632Z",
    "2026-11-26T15:36:37.967Z" },
  { 18, 4, STATUS_ERROR, "webhook", "2026-11-26T15:36:37.800Z", "2026-11-26T15:36:37.880Z",
    "2026-11-26T15:36:38.320Z" },
  { 19, 6, STATUS_ERROR, "webhook", "2026-11-26T15:36:38.410Z", "2026-11-26T15:36:38.493Z",
    "2026-11-26T15:36:39.069Z" },
  { 20, 6, STATUS_ERROR, "webhook", "2026-11-26T15:36:38.516Z", "2026-11-26T15:36:38.584Z",
    "2026-11-26T15:36:39.084Z" },
};

/* ---------------------------------------------------------------------- */
/* The generated instance: a distributor's integrations */

static const WorkflowDef generated_workflows[] = {
  {
    .name = "Credit bureau check (Creditsafe)", .mode = "webhook", .path = "credit-check",
    .error_workflow = TRUE, .weight = 20,
    .nodes = {
      { "Sale order awaiting credit", "n8n-nodes-base.webhook", 2, TRUE,
        WEBHOOK_PARAMS ("credit-check") },
      { "Build bureau request", "n8n-nodes-base.set", 3.4, FALSE,
        "{\"mode\":\"manual\",\"assignments\":{\"assignments\":[{\"name\":\"vat\","
        "\"value\":\"={{ $json.body.partner_vat }}\",\"type\":\"string\"}]},\"options\":{}}" },
      { "Query Creditsafe", "n8n-nodes-base.httpRequest", 4.2, FALSE,
        "{\"method\":\"GET\",\"url\":\"https://connect.creditsafe.com/v1/companies\","
        "\"options\":{\"timeout\":30000}}" },
      { "Score above limit?", "n8n-nodes-base.if", 2.2, FALSE,
        "{\"conditions\":{\"conditions\":[{\"leftValue\":\"={{ $json.creditScore }}\","
        "\"rightValue\":60,\"operator\":{\"type\":\"number\",\"operation\":\"gte\"}}]}}" },
      { "Release credit hold in Odoo", "n8n-nodes-base.httpRequest", 4.2, FALSE,
        "{\"method\":\"POST\",\"url\":\"={{ $env.ODOO_URL }}/json/2/sale.order/"
        "action_release_credit_hold\",\"options\":{}}" },
    }, .n_nodes = 5,
    .status_weights = { 930, 60, 0, 0, 10, 0 },
    .errors = {
      { ERROR_HTTP, 2, NULL,
        "The connection timed out, consider setting the 'Retry on Fail' option in the node "
        "settings", 0, "ETIMEDOUT", "timeout of 30000ms exceeded", NULL },
      { ERROR_HTTP, 2, NULL,
        "Service unavailable - try again later or consider setting this node to retry "
        "automatically (in the node settings)", 0, "503", "bureau maintenance window",
        "{\"error\":\"bureau maintenance window\"}" },
    }, .n_errors = 2, .retry_success_permille = 700, .link_model = "sale.order",
    .link_topic = "credit-check",
  },
  {
    .name = "Carrier booking (DHL Freight)", .mode = "webhook", .path = "carrier-booking",
    .weight = 25,
    .nodes = {
      { "Delivery validated", "n8n-nodes-base.webhook", 2, TRUE,
        WEBHOOK_PARAMS ("carrier-booking") },
      { "Build shipment", "n8n-nodes-base.code", 2, FALSE,
        "{\"jsCode\":\"const p = $json.body;\\nreturn [{ json: { ref: p.picking, weight: "
        "p.packages.reduce((w, x) => w + x.weight, 0) } }];\"}" },
      { "Book DHL shipment", "n8n-nodes-base.httpRequest", 4.2, FALSE,
        "{\"method\":\"POST\",\"url\":\"https://api-eu.dhl.com/freight/shipping/orders/v1\","
        "\"options\":{\"timeout\":20000}}" },
      { "Write tracking to Odoo", "n8n-nodes-base.httpRequest", 4.2, FALSE,
        "{\"method\":\"POST\",\"url\":\"={{ $env.ODOO_URL }}/json/2/stock.picking/write\","
        "\"options\":{}}" },
    }, .n_nodes = 4,
    .status_weights = { 935, 55, 0, 0, 10, 0 },
    .errors = {
      { ERROR_HTTP, 2, NULL, "Bad gateway - the service failed to handle your request", 0,
        "502", "502 Bad Gateway from api-eu.dhl.com",
        "<html><head><title>502 Bad Gateway</title></head><body>upstream error</body></html>" },
      { ERROR_CODE, 1, "TypeError", "Cannot read properties of undefined (reading 'reduce')",
        3 },
    }, .n_errors = 2, .retry_success_permille = 600, .link_model = "stock.picking",
  },
  {
    .name = "E-commerce order import (Shopify)", .mode = "trigger", .error_workflow = TRUE,
    .weight = 20, .static_data = "{\"node:Every 15 minutes\":{\"recurrenceRules\":[]}}",
    .nodes = {
      { "Every 15 minutes", "n8n-nodes-base.scheduleTrigger", 1.2, FALSE,
        "{\"rule\":{\"interval\":[{\"field\":\"minutes\",\"minutesInterval\":15}]}}" },
      { "Fetch new Shopify orders", "n8n-nodes-base.httpRequest", 4.2, FALSE,
        "{\"method\":\"GET\",\"url\":\"https://shop.example.com/admin/api/2024-10/orders.json\","
        "\"options\":{}}" },
      { "Map order lines", "n8n-nodes-base.code", 2, FALSE,
        "{\"jsCode\":\"return $input.all().map(o => ({ json: { lines: o.json.line_items.map("
        "l => ({ sku: l.sku, qty: l.quantity })) } }));\"}" },
      { "Create sale order in Odoo", "n8n-nodes-base.httpRequest", 4.2, FALSE,
        "{\"method\":\"POST\",\"url\":\"={{ $env.ODOO_URL }}/json/2/sale.order/create\","
        "\"options\":{}}" },
    }, .n_nodes = 4,
    .status_weights = { 895, 55, 50, 0, 0, 0 },
    .errors = {
      { ERROR_CODE, 2, "TypeError", "Cannot read properties of undefined (reading 'map')", 1 },
      { ERROR_HTTP, 3, NULL,
        "Your request is invalid or could not be processed by the service", 0, "422",
        "Product SKU-4471 is archived",
        "{\"name\":\"odoo.exceptions.ValidationError\",\"message\":\"Product SKU-4471 is "
        "archived\"}" },
    }, .n_errors = 2, .retry_success_permille = 500, .link_model = "sale.order",
  },
  {
    .name = "Nightly BI export (Power BI)", .mode = "trigger", .weight = 5,
    .static_data = "{\"node:Every night at 2\":{\"recurrenceRules\":[]}}",
    .nodes = {
      { "Every night at 2", "n8n-nodes-base.scheduleTrigger", 1.2, FALSE,
        "{\"rule\":{\"interval\":[{\"field\":\"days\",\"triggerAtHour\":2}]}}" },
      { "Read Odoo sales lines", "n8n-nodes-base.httpRequest", 4.2, FALSE,
        "{\"method\":\"POST\",\"url\":\"={{ $env.ODOO_URL }}/json/2/sale.order.line/"
        "search_read\",\"options\":{}}" },
      { "Aggregate by region", "n8n-nodes-base.code", 2, FALSE,
        "{\"jsCode\":\"// group lines by warehouse region\\nreturn aggregate($input.all());\"}" },
      { "Push Power BI dataset", "n8n-nodes-base.httpRequest", 4.2, FALSE,
        "{\"method\":\"POST\",\"url\":\"https://api.powerbi.com/v1.0/myorg/datasets\","
        "\"options\":{}}" },
    }, .n_nodes = 4,
    .status_weights = { 860, 40, 80, 0, 20, 0 },
    .errors = {
      { ERROR_HTTP, 3, NULL, "Authorization failed - please check your credentials", 0, "401",
        "Access token has expired", "{\"error\":{\"code\":\"TokenExpired\",\"message\":\"Access token has expired\"}}" },
    }, .n_errors = 1, .retry_success_permille = 800,
  },
  {
    .name = "Purchase document approval (waits for sign-off)", .mode = "webhook",
    .path = "po-approval", .weight = 20,
    .nodes = {
      { "Purchase order to approve", "n8n-nodes-base.webhook", 2, TRUE,
        WEBHOOK_PARAMS ("po-approval") },
      { "Prepare approval request", "n8n-nodes-base.set", 3.4, FALSE,
        "{\"mode\":\"manual\",\"assignments\":{\"assignments\":[{\"name\":\"approver\","
        "\"value\":\"={{ $json.body.approver }}\",\"type\":\"string\"}]},\"options\":{}}" },
      { "Wait for approver callback", "n8n-nodes-base.wait", 1.1, TRUE,
        "{\"resume\":\"webhook\",\"options\":{}}" },
      { "Confirm order in Odoo", "n8n-nodes-base.code", 2, FALSE,
        "{\"jsCode\":\"const r = $json.body;\\nif (!r.token) throw new Error('approval token "
        "expired');\\nreturn [{ json: r }];\"}" },
    }, .n_nodes = 4, .wait_node = 2, .wait_forever = TRUE,
    .status_weights = { 905, 25, 0, 50, 0, 20 },
    .errors = {
      { ERROR_CODE, 3, "Error", "approval token expired", 2 },
    }, .n_errors = 1, .retry_success_permille = 400, .link_model = "purchase.order",
  },
  {
    .name = "Error alert (mail operations)", .mode = "error", .weight = 10,
    .nodes = {
      { "On workflow error", "n8n-nodes-base.errorTrigger", 1, FALSE, "{}" },
      { "Mail operations desk", "n8n-nodes-base.emailSend", 2.1, FALSE,
        "{\"fromEmail\":\"n8n@example.com\",\"toEmail\":\"ops@example.com\","
        "\"subject\":\"={{ $json.workflow.name }} failed\",\"options\":{}}" },
    }, .n_nodes = 2,
    .status_weights = { 1000, 0, 0, 0, 0, 0 },
    .retry_success_permille = 1000,
  },
};

/* Plausible Odoo records when the Odoo side gave none. */
static const char *const partner_names[] = {
  "Azure Interior", "Deco Addict", "Gemini Furniture", "Lumber Inc", "Ready Mat",
  "The Jackson Group", "Wood Corner", "Nordic Freight AB", "Iberia Distribución SL",
  "Brandt & Söhne GmbH",
};

/* ---------------------------------------------------------------------- */
/* Small helpers */

static guint64
mix64 (guint64 x)
{
  /* splitmix64: stable across GLib versions, unlike GRand's sequences. */
  x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return x ^ (x >> 31);
}

static guint64
hash3 (guint64 a,
       guint64 b,
       guint64 c)
{
  return mix64 (a ^ mix64 (b ^ mix64 (c)));
}

static gint64
parse_iso_ms (const char *text)
{
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    return 0;
  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    return 0;
  return g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
}

static char *
format_ms (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);
  g_autofree char *base = NULL;

  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");
  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, (int) (ms % 1000));
}

static void
set_time (JsonObject *object,
          const char *key,
          gint64      ms)
{
  g_autofree char *text = NULL;

  if (ms == 0)
    {
      json_object_set_null_member (object, key);
      return;
    }
  text = format_ms (ms);
  json_object_set_string_member (object, key, text);
}

static void
set_id_string (JsonObject *object,
               const char *key,
               gint64      id)
{
  g_autofree char *text = NULL;

  if (id == 0)
    {
      json_object_set_null_member (object, key);
      return;
    }
  text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  json_object_set_string_member (object, key, text);
}

static void
set_nullable_string (JsonObject *object,
                     const char *key,
                     const char *value)
{
  if (value == NULL)
    json_object_set_null_member (object, key);
  else
    json_object_set_string_member (object, key, value);
}

static JsonNode *
parse_json_or_null (const char *text)
{
  JsonNode *node;

  if (text == NULL)
    return json_node_new (JSON_NODE_NULL);
  node = ct_json_parse (text, -1, NULL);
  /* The JSON in this file is ours; a typo in it is a bug worth a crash in tests. */
  g_assert (node != NULL);
  return node;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = parse_json_or_null (text);

  return json_object_ref (json_node_get_object (node));
}

static JsonArray *
single_source_array (const char *previous)
{
  JsonArray *array = json_array_new ();

  if (previous != NULL)
    {
      JsonObject *source = json_object_new ();

      json_object_set_string_member (source, "previousNode", previous);
      json_array_add_object_element (array, source);
    }
  return array;
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *body)
{
  char *text = json_to_string (body, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, JSON_TYPE, SOUP_MEMORY_TAKE, text, strlen (text));
}

static void
respond_object (SoupServerMessage *msg,
                guint              status,
                JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  respond_json (msg, status, node);
}

/* n8n's error body: {"message": "..."} and nothing else. */
static void
respond_message (SoupServerMessage *msg,
                 guint              status,
                 const char        *message)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "message", message);
  respond_object (msg, status, object);
}

/* What Express answers for a route nobody registered: an HTML page. */
static void
respond_express_404 (SoupServerMessage *msg,
                     const char        *path)
{
  g_autofree char *escaped = g_markup_escape_text (path, -1);
  char *page = g_strdup_printf ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                                "<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n"
                                "<body>\n<pre>Cannot %s %s</pre>\n</body>\n</html>\n",
                                soup_server_message_get_method (msg), escaped);

  soup_server_message_set_status (msg, 404, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                                    page, strlen (page));
}

static char *
make_token (guint64     seed,
            const char *salt,
            guint       len,
            const char *alphabet)
{
  GString *out = g_string_sized_new (len);
  gsize n = strlen (alphabet);
  guint64 h = hash3 (seed, g_str_hash (salt), len);

  for (guint i = 0; i < len; i++)
    {
      h = mix64 (h + i);
      g_string_append_c (out, alphabet[h % n]);
    }
  return g_string_free (out, FALSE);
}

static char *
make_uuid (guint64     seed,
           const char *salt)
{
  g_autofree char *hex = make_token (seed, salt, 32, "0123456789abcdef");

  return g_strdup_printf ("%.8s-%.4s-4%.3s-8%.3s-%.12s", hex, hex + 8, hex + 12, hex + 15,
                          hex + 18);
}

static char *
base64url (const char *data,
           gsize       len)
{
  char *text = g_base64_encode ((const guchar *) data, len);

  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return text;
}

/* n8n API keys are JWTs signed by the instance; ours are shaped the same so a
 * client that inspects or redacts them meets what a real server hands out. */
static char *
make_api_key (guint64     seed,
              const char *purpose,
              gint64      issued_at,
              gint64      expires_at)
{
  static const char header[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
  g_autofree char *sub = make_uuid (seed, purpose);
  g_autofree char *payload = NULL;
  g_autofree char *payload64 = NULL;
  g_autofree char *signature = NULL;

  if (expires_at > 0)
    payload = g_strdup_printf ("{\"sub\":\"%s\",\"iss\":\"n8n\",\"aud\":\"public-api\","
                               "\"iat\":%" G_GINT64_FORMAT ",\"exp\":%" G_GINT64_FORMAT "}",
                               sub, issued_at, expires_at);
  else
    payload = g_strdup_printf ("{\"sub\":\"%s\",\"iss\":\"n8n\",\"aud\":\"public-api\","
                               "\"iat\":%" G_GINT64_FORMAT "}", sub, issued_at);
  payload64 = base64url (payload, strlen (payload));
  signature = make_token (seed, purpose, 43,
                          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
  return g_strdup_printf ("%s.%s.%s", header, payload64, signature);
}

/* ---------------------------------------------------------------------- */
/* Workflows */

static void
workflow_free (Workflow *workflow)
{
  g_free (workflow->id);
  g_free (workflow->version_id);
  g_free (workflow->error_workflow);
  g_free (workflow);
}

static int
compare_workflows (gconstpointer a,
                   gconstpointer b)
{
  const Workflow *wa = *(Workflow * const *) a;
  const Workflow *wb = *(Workflow * const *) b;

  /* n8n lists workflows in id order, byte by byte ("Cf" < "OA" < "iN"). */
  return strcmp (wa->id, wb->id);
}

static Workflow *
find_workflow (CtSimN8n   *self,
               const char *id)
{
  for (guint i = 0; i < self->workflows->len; i++)
    {
      Workflow *workflow = g_ptr_array_index (self->workflows, i);

      if (g_strcmp0 (workflow->id, id) == 0)
        return workflow;
    }
  return NULL;
}

static char *
node_id (const Workflow *workflow,
         guint           index)
{
  return g_strdup_printf ("%s-0000-4000-8000-%012x", workflow->def->id_prefix != NULL
                          ? workflow->def->id_prefix : "00000000", index + 1);
}

static JsonObject *
node_json (const Workflow *workflow,
           guint           index)
{
  const NodeDef *def = &workflow->def->nodes[index];
  JsonObject *node = json_object_new ();
  JsonArray *position = json_array_new ();
  g_autofree char *id = node_id (workflow, index);

  json_object_set_string_member (node, "id", id);
  json_object_set_string_member (node, "name", def->name);
  json_object_set_string_member (node, "type", def->type);
  if (def->type_version == floor (def->type_version))
    json_object_set_int_member (node, "typeVersion", (gint64) def->type_version);
  else
    json_object_set_double_member (node, "typeVersion", def->type_version);
  json_array_add_int_element (position, 220 * index);
  json_array_add_int_element (position, 0);
  json_object_set_array_member (node, "position", position);
  if (def->has_webhook_id)
    {
      g_autofree char *webhook_id = g_strdup_printf ("%s-0000-4000-8000-0000000000%s",
                                                     workflow->def->id_prefix != NULL
                                                     ? workflow->def->id_prefix : "00000000",
                                                     index == 0 ? "aa" : "bb");

      json_object_set_string_member (node, "webhookId", webhook_id);
    }
  json_object_set_object_member (node, "parameters", parse_object (def->parameters));
  return node;
}

static JsonArray *
nodes_json (const Workflow *workflow)
{
  JsonArray *nodes = json_array_new ();

  for (guint i = 0; i < workflow->def->n_nodes; i++)
    json_array_add_object_element (nodes, node_json (workflow, i));
  return nodes;
}

static JsonObject *
connections_json (const Workflow *workflow)
{
  JsonObject *connections = json_object_new ();

  for (guint i = 0; i + 1 < workflow->def->n_nodes; i++)
    {
      JsonObject *from = json_object_new ();
      JsonArray *outputs = json_array_new ();
      JsonArray *targets = json_array_new ();
      JsonObject *target = json_object_new ();

      json_object_set_string_member (target, "node", workflow->def->nodes[i + 1].name);
      json_object_set_string_member (target, "type", "main");
      json_object_set_int_member (target, "index", 0);
      json_array_add_object_element (targets, target);
      json_array_add_array_element (outputs, targets);
      json_object_set_array_member (from, "main", outputs);
      json_object_set_object_member (connections, workflow->def->nodes[i].name, from);
    }
  return connections;
}

static JsonObject *
settings_json (const Workflow *workflow)
{
  JsonObject *settings = json_object_new ();

  json_object_set_string_member (settings, "executionOrder", "v1");
  json_object_set_boolean_member (settings, "saveManualExecutions", TRUE);
  json_object_set_boolean_member (settings, "saveExecutionProgress", FALSE);
  json_object_set_string_member (settings, "callerPolicy", "workflowsFromSameOwner");
  json_object_set_boolean_member (settings, "availableInMCP", FALSE);
  if (workflow->error_workflow != NULL)
    json_object_set_string_member (settings, "errorWorkflow", workflow->error_workflow);
  return settings;
}

static JsonObject *
owner_project_json (const Workflow *workflow)
{
  JsonObject *project = json_object_new ();
  JsonArray *relations = json_array_new ();
  JsonObject *relation = json_object_new ();
  JsonObject *user = json_object_new ();
  JsonObject *user_settings = json_object_new ();
  gint64 t = workflow->created_ms - 120000;
  g_autofree char *day = NULL;
  g_autofree char *stamp = format_ms (t);

  set_time (project, "updatedAt", t);
  set_time (project, "createdAt", t);
  json_object_set_string_member (project, "id", PROJECT_ID);
  json_object_set_string_member (project, "name", "Peer Owner <owner@example.com>");
  json_object_set_string_member (project, "type", "personal");
  json_object_set_null_member (project, "icon");
  json_object_set_null_member (project, "description");
  set_time (relation, "updatedAt", t);
  set_time (relation, "createdAt", t);
  json_object_set_string_member (relation, "userId", OWNER_ID);
  json_object_set_string_member (relation, "projectId", PROJECT_ID);
  set_time (user, "updatedAt", t);
  set_time (user, "createdAt", t);
  json_object_set_string_member (user, "id", OWNER_ID);
  json_object_set_string_member (user, "email", "owner@example.com");
  json_object_set_string_member (user, "firstName", "Peer");
  json_object_set_string_member (user, "lastName", "Owner");
  json_object_set_null_member (user, "personalizationAnswers");
  json_object_set_boolean_member (user_settings, "userActivated", TRUE);
  json_object_set_string_member (user_settings, "firstSuccessfulWorkflowId", workflow->id);
  json_object_set_int_member (user_settings, "userActivatedAt", t);
  json_object_set_object_member (user, "settings", user_settings);
  json_object_set_boolean_member (user, "disabled", FALSE);
  json_object_set_boolean_member (user, "mfaEnabled", FALSE);
  day = g_strndup (stamp, 10);
  json_object_set_string_member (user, "lastActiveAt", day);
  json_object_set_boolean_member (user, "isPending", FALSE);
  json_object_set_object_member (relation, "user", user);
  json_array_add_object_element (relations, relation);
  json_object_set_array_member (project, "projectRelations", relations);
  return project;
}

static JsonArray *
shared_json (const Workflow *workflow,
             gboolean        with_project)
{
  JsonArray *shared = json_array_new ();
  JsonObject *share = json_object_new ();

  set_time (share, "updatedAt", workflow->created_ms + 5);
  set_time (share, "createdAt", workflow->created_ms + 5);
  json_object_set_string_member (share, "role", "workflow:owner");
  json_object_set_string_member (share, "workflowId", workflow->id);
  json_object_set_string_member (share, "projectId", PROJECT_ID);
  if (with_project)
    json_object_set_object_member (share, "project", owner_project_json (workflow));
  json_array_add_object_element (shared, share);
  return shared;
}

static JsonNode *
active_version_json (const Workflow *workflow)
{
  JsonObject *version;
  JsonNode *node;

  if (!workflow->active)
    return json_node_new (JSON_NODE_NULL);
  version = json_object_new ();
  set_time (version, "updatedAt", workflow->updated_ms + 30);
  set_time (version, "createdAt", workflow->updated_ms + 30);
  json_object_set_string_member (version, "versionId", workflow->version_id);
  json_object_set_string_member (version, "workflowId", workflow->id);
  json_object_set_array_member (version, "nodes", nodes_json (workflow));
  json_object_set_object_member (version, "connections", connections_json (workflow));
  json_object_set_string_member (version, "authors", "Peer Owner");
  json_object_set_null_member (version, "name");
  json_object_set_null_member (version, "description");
  /* json_node_init_object () would take a reference of its own. */
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, version);
  return node;
}

typedef enum
{
  WF_VIEW_LIST,        /* GET /workflows (090) */
  WF_VIEW_GET,         /* GET /workflows/{id} (091) */
  WF_VIEW_ACTIVATE,    /* POST .../activate (012) */
  WF_VIEW_DEACTIVATE,  /* POST .../deactivate (096) */
} WorkflowView;

static JsonObject *
workflow_json (const Workflow *workflow,
               WorkflowView    view,
               gboolean        exclude_pinned_data)
{
  JsonObject *object = json_object_new ();

  set_time (object, "updatedAt", workflow->updated_ms);
  set_time (object, "createdAt", workflow->created_ms);
  json_object_set_string_member (object, "id", workflow->id);
  json_object_set_string_member (object, "name", workflow->def->name);
  if (view != WF_VIEW_LIST)
    json_object_set_null_member (object, "description");
  json_object_set_boolean_member (object, "active", workflow->active);
  json_object_set_boolean_member (object, "isArchived", FALSE);
  json_object_set_array_member (object, "nodes", nodes_json (workflow));
  json_object_set_object_member (object, "connections", connections_json (workflow));
  json_object_set_object_member (object, "settings", settings_json (workflow));
  json_object_set_member (object, "staticData", parse_json_or_null (workflow->def->static_data));
  json_object_set_null_member (object, "meta");
  if (!exclude_pinned_data)
    json_object_set_null_member (object, "pinData");
  json_object_set_string_member (object, "versionId", workflow->version_id);
  set_nullable_string (object, "activeVersionId", workflow->active ? workflow->version_id : NULL);
  if (view != WF_VIEW_LIST)
    json_object_set_int_member (object, "versionCounter", workflow->version_counter);
  json_object_set_int_member (object, "triggerCount", workflow->active ? 1 : 0);
  if (view != WF_VIEW_ACTIVATE)
    json_object_set_array_member (object, "shared", shared_json (workflow, view != WF_VIEW_LIST));
  if (view == WF_VIEW_LIST || view == WF_VIEW_GET)
    json_object_set_array_member (object, "tags", json_array_new ());
  json_object_set_member (object, "activeVersion", active_version_json (workflow));
  return object;
}

/* ---------------------------------------------------------------------- */
/* Executions */

static gint64
clock_ms (CtSimN8n *self)
{
  /* A fixed clock still moves forward between retries so that they keep
   * the order of their ids. */
  if (self->now_ms != 0)
    return self->now_ms + 1000 * ++self->clock_ticks;
  return g_get_real_time () / 1000;
}

static Execution *
find_execution (CtSimN8n *self,
                gint64    id)
{
  return g_hash_table_lookup (self->by_id, &id);
}

static void
add_execution (CtSimN8n  *self,
               Execution *execution)
{
  guint pos = self->executions->len;

  /* Kept sorted by id; new ones almost always go last. */
  while (pos > 0 && ((Execution *) g_ptr_array_index (self->executions, pos - 1))->id
         > execution->id)
    pos--;
  g_ptr_array_insert (self->executions, pos, execution);
  g_hash_table_insert (self->by_id, &execution->id, execution);
}

static gint64
allocate_id (CtSimN8n *self)
{
  while (find_execution (self, self->next_id) != NULL)
    self->next_id++;
  return self->next_id++;
}

static gboolean
find_link (CtSimN8n        *self,
           const Execution *execution,
           CtSimN8nLink    *out,
           char           **owned_name)
{
  const char *model = execution->workflow->def->link_model;
  const char *topic = execution->workflow->def->link_topic;
  guint n_matching = 0;

  *owned_name = NULL;
  if (model == NULL || self->recorded)
    return FALSE;

  if (self->links->len > 0)
    {
      /* A workflow about some of the records (a credit check: the orders
       * on credit hold) points at those where the Odoo side named them. */
      for (guint i = 0; i < self->links->len && topic != NULL; i++)
        n_matching += g_strcmp0 (g_array_index (self->links, CtSimN8nLink, i).topic, topic) == 0;
      if (n_matching == 0)
        topic = NULL;
      for (guint i = 0; i < self->links->len && topic == NULL; i++)
        if (g_strcmp0 (g_array_index (self->links, CtSimN8nLink, i).model, model) == 0)
          n_matching++;

      if (n_matching > 0)
        {
          guint pick = execution->salt % n_matching;

          for (guint i = 0; i < self->links->len; i++)
            {
              const CtSimN8nLink *link = &g_array_index (self->links, CtSimN8nLink, i);

              if (topic != NULL ? g_strcmp0 (link->topic, topic) != 0
                                : g_strcmp0 (link->model, model) != 0)
                continue;
              if (pick-- == 0)
                {
                  *out = *link;
                  return TRUE;
                }
            }
        }
      /* The Odoo side has no record of that model: point at any of its records. */
      *out = g_array_index (self->links, CtSimN8nLink, execution->salt % self->links->len);
      return TRUE;
    }

  out->model = model;
  out->id = (gint64) (execution->salt % MAX (self->n_cases, 1)) + 1;
  if (g_str_equal (model, "sale.order"))
    *owned_name = g_strdup_printf ("S%05" G_GINT64_FORMAT, out->id);
  else if (g_str_equal (model, "purchase.order"))
    *owned_name = g_strdup_printf ("P%05" G_GINT64_FORMAT, out->id);
  else if (g_str_equal (model, "stock.picking"))
    *owned_name = g_strdup_printf ("WH/OUT/%05" G_GINT64_FORMAT, out->id);
  else
    *owned_name = g_strdup (partner_names[execution->salt % G_N_ELEMENTS (partner_names)]);
  out->name = *owned_name;
  return TRUE;
}

static JsonObject *
custom_data_json (CtSimN8n        *self,
                  const Execution *execution)
{
  JsonObject *custom = json_object_new ();
  g_autofree char *owned_name = NULL;
  CtSimN8nLink link;

  if (find_link (self, execution, &link, &owned_name))
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, link.id);

      /* n8n stores customData values as strings only. */
      json_object_set_string_member (custom, "odoo_model", link.model);
      json_object_set_string_member (custom, "odoo_id", id);
      json_object_set_string_member (custom, "odoo_name", link.name != NULL ? link.name : "");
    }
  return custom;
}

static JsonObject *
trigger_item_json (CtSimN8n        *self,
                   const Execution *execution)
{
  const WorkflowDef *def = execution->workflow->def;
  JsonObject *json = json_object_new ();

  if (g_strcmp0 (def->mode, "webhook") == 0)
    {
      JsonObject *headers = json_object_new ();
      JsonObject *body = json_object_new ();
      g_autofree char *owned_name = NULL;
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:5678/webhook/%s",
                                              def->path != NULL ? def->path : "hook");
      g_autofree char *body_text = NULL;
      g_autofree char *length = NULL;
      g_autoptr(JsonNode) body_node = NULL;
      CtSimN8nLink link;

      if (find_link (self, execution, &link, &owned_name))
        {
          json_object_set_string_member (body, "model", link.model);
          json_object_set_int_member (body, "id", link.id);
          json_object_set_string_member (body, "name", link.name != NULL ? link.name : "");
        }
      else
        {
          g_autofree char *ref = g_strdup_printf ("ACME-%04" G_GUINT64_FORMAT,
                                                  execution->salt % 10000);

          json_object_set_string_member (body, "ref", ref);
        }
      body_node = json_node_init_object (json_node_alloc (), body);
      body_text = json_to_string (body_node, FALSE);
      length = g_strdup_printf ("%zu", strlen (body_text));
      json_object_set_string_member (headers, "host", "127.0.0.1:5678");
      json_object_set_string_member (headers, "user-agent", "Odoo");
      json_object_set_string_member (headers, "accept", "*/*");
      json_object_set_string_member (headers, "content-type", "application/json");
      json_object_set_string_member (headers, "content-length", length);
      json_object_set_object_member (json, "headers", headers);
      json_object_set_object_member (json, "params", json_object_new ());
      json_object_set_object_member (json, "query", json_object_new ());
      json_object_set_object_member (json, "body", body);
      json_object_set_string_member (json, "webhookUrl", url);
      json_object_set_string_member (json, "executionMode", "production");
    }
  else if (g_strcmp0 (def->mode, "error") == 0)
    {
      JsonObject *failed = json_object_new ();
      JsonObject *workflow = json_object_new ();

      json_object_set_string_member (failed, "mode", "webhook");
      json_object_set_object_member (json, "execution", failed);
      json_object_set_string_member (workflow, "id", execution->workflow->id);
      json_object_set_string_member (workflow, "name", def->name);
      json_object_set_object_member (json, "workflow", workflow);
    }
  else
    {
      set_time (json, "timestamp", execution->started_ms);
      json_object_set_string_member (json, "Timezone", "UTC (UTC+00:00)");
    }
  return json;
}

static JsonObject *
items_json (JsonObject *item_json,
            gboolean    paired)
{
  JsonObject *data = json_object_new ();
  JsonArray *main = json_array_new ();
  JsonArray *items = json_array_new ();
  JsonObject *item = json_object_new ();

  json_object_set_object_member (item, "json", item_json);
  if (paired)
    {
      JsonObject *paired_item = json_object_new ();

      json_object_set_int_member (paired_item, "item", 0);
      json_object_set_object_member (item, "pairedItem", paired_item);
    }
  json_array_add_object_element (items, item);
  json_array_add_array_element (main, items);
  json_object_set_array_member (data, "main", main);
  return data;
}

static gint64
timeout_of (JsonObject *parameters)
{
  JsonObject *options;

  /* HTTP Request nodes wait 5 minutes unless their options say otherwise. */
  if (!json_object_has_member (parameters, "options"))
    return 300000;
  options = json_object_get_object_member (parameters, "options");
  if (options == NULL || !json_object_has_member (options, "timeout"))
    return 300000;
  return json_object_get_int_member (options, "timeout");
}

static JsonObject *
error_json (const Execution *execution,
            const ErrorDef  *error,
            gint64           when_ms)
{
  const Workflow *workflow = execution->workflow;
  JsonObject *object = json_object_new ();

  if (error->kind == ERROR_CODE)
    {
      g_autofree char *message = g_strdup_printf ("%s [line %u]", error->message, error->line);
      g_autofree char *stack = g_strdup_printf (
        "%s: %s\n    at VmCodeWrapper (evalmachine.<anonymous>:%u:7)\n"
        "    at Script.runInContext (node:vm:149:12)\n"
        "    at JsTaskRunner.runForAllItems (/opt/n8n/node_modules/@n8n/task-runner/dist/"
        "js-task-runner/js-task-runner.js:170:34)",
        error->error_class, error->message, error->line);

      json_object_set_string_member (object, "level", "error");
      json_object_set_object_member (object, "tags", json_object_new ());
      json_object_set_null_member (object, "description");
      json_object_set_int_member (object, "lineNumber", error->line);
      json_object_set_string_member (object, "message", message);
      json_object_set_string_member (object, "stack", stack);
    }
  else
    {
      const NodeDef *node = &workflow->def->nodes[error->node];
      g_autoptr(JsonObject) parameters = parse_object (node->parameters);
      JsonObject *context = json_object_new ();
      JsonObject *request = json_object_new ();
      JsonObject *headers = json_object_new ();
      JsonArray *messages = json_array_new ();
      g_autofree char *first = NULL;
      g_autofree char *stack = g_strdup_printf (
        "NodeApiError: %s\n    at ExecuteContext.execute (/opt/n8n/node_modules/"
        "n8n-nodes-base/nodes/HttpRequest/V3/HttpRequestV3.node.ts:849:16)\n"
        "    at WorkflowExecute.executeNode (/opt/n8n/node_modules/n8n-core/src/"
        "execution-engine/workflow-execute.ts:1064:8)", error->message);
      gboolean client_error = error->http_code[0] == '4';

      if (error->upstream != NULL)
        {
          g_autoptr(JsonNode) quoted = json_node_init_string (json_node_alloc (),
                                                              error->upstream);
          g_autofree char *quoted_text = json_to_string (quoted, FALSE);

          first = g_strdup_printf ("%s - %s", error->http_code, quoted_text);
        }
      else
        {
          first = g_strdup (error->description != NULL ? error->description : error->message);
        }
      json_array_add_string_element (messages, first);

      json_object_set_string_member (object, "level", client_error ? "warning" : "error");
      json_object_set_object_member (object, "tags", json_object_new ());
      set_nullable_string (object, "description", error->description);
      json_object_set_int_member (object, "timestamp", when_ms);
      json_object_set_int_member (context, "itemIndex", 0);
      json_object_set_string_member (headers, "accept",
                                     "application/json,text/html,application/xhtml+xml,"
                                     "application/xml,text/*;q=0.9, image/*;q=0.8, */*;q=0.7");
      json_object_set_object_member (request, "headers", headers);
      json_object_set_string_member (request, "method",
                                     json_object_has_member (parameters, "method")
                                     ? json_object_get_string_member (parameters, "method")
                                     : "GET");
      json_object_set_string_member (request, "uri",
                                     json_object_has_member (parameters, "url")
                                     ? json_object_get_string_member (parameters, "url")
                                     : "");
      json_object_set_boolean_member (request, "gzip", TRUE);
      json_object_set_boolean_member (request, "rejectUnauthorized", TRUE);
      json_object_set_boolean_member (request, "followRedirect", TRUE);
      json_object_set_boolean_member (request, "resolveWithFullResponse", TRUE);
      json_object_set_boolean_member (request, "sendCredentialsOnCrossOriginRedirect", TRUE);
      json_object_set_boolean_member (request, "followAllRedirects", TRUE);
      json_object_set_int_member (request, "timeout", timeout_of (parameters));
      json_object_set_null_member (request, "encoding");
      json_object_set_boolean_member (request, "json", FALSE);
      json_object_set_boolean_member (request, "useStream", TRUE);
      json_object_set_object_member (context, "request", request);
      json_object_set_object_member (object, "context", context);
      json_object_set_string_member (object, "functionality", "regular");
      json_object_set_string_member (object, "name", "NodeApiError");
      json_object_set_object_member (object, "node", node_json (workflow, error->node));
      json_object_set_array_member (object, "messages", messages);
      json_object_set_string_member (object, "httpCode", error->http_code);
      json_object_set_string_member (object, "message", error->message);
      json_object_set_string_member (object, "stack", stack);
    }
  return object;
}

/* Where the run stopped: the node that failed, waits, crashed or was stopped. */
static guint
stop_node (const Execution *execution)
{
  const WorkflowDef *def = execution->workflow->def;

  switch (execution->status)
    {
    case STATUS_ERROR:
      return def->n_errors > 0 ? def->errors[execution->error_index % def->n_errors].node
                               : def->n_nodes - 1;
    case STATUS_WAITING:
    case STATUS_CANCELED:
      return def->wait_node > 0 ? def->wait_node : MIN (1u, def->n_nodes - 1);
    case STATUS_CRASHED:
      return def->wait_node > 0 ? def->wait_node : MAX (1u, def->n_nodes - 2);
    case STATUS_RUNNING:
      return 0;
    case STATUS_SUCCESS:
    case N_STATUSES:
    default:
      return def->n_nodes - 1;
    }
}

static JsonObject *
task_json (gint64      start_ms,
           guint       index,
           const char *previous,
           guint       duration,
           const char *status,
           gboolean    crashed_style)
{
  JsonObject *task = json_object_new ();

  json_object_set_int_member (task, "startTime", start_ms);
  json_object_set_int_member (task, "executionIndex", index);
  if (crashed_style)
    {
      /* After a crash n8n rebuilds the run from its event log: no hints, and
       * an unknown source. */
      JsonArray *source = json_array_new ();

      json_object_set_int_member (task, "executionTime", 0);
      json_array_add_null_element (source);
      json_object_set_array_member (task, "source", source);
    }
  else
    {
      json_object_set_array_member (task, "source", single_source_array (previous));
      json_object_set_array_member (task, "hints", json_array_new ());
      json_object_set_int_member (task, "executionTime", duration);
    }
  json_object_set_string_member (task, "executionStatus", status);
  return task;
}

static JsonObject *
execution_data_json (CtSimN8n        *self,
                     const Execution *execution)
{
  const WorkflowDef *def = execution->workflow->def;
  JsonObject *data = json_object_new ();
  JsonObject *result = json_object_new ();
  JsonObject *run_data = json_object_new ();
  JsonObject *exec_data = json_object_new ();
  JsonArray *stack = json_array_new ();
  guint stop = stop_node (execution);
  gboolean crashed = execution->status == STATUS_CRASHED;
  gint64 t = execution->started_ms;
  const ErrorDef *error = NULL;
  guint last_run;

  if (execution->status == STATUS_ERROR && def->n_errors > 0)
    error = &def->errors[execution->error_index % def->n_errors];

  json_object_set_int_member (data, "version", 1);
  json_object_set_object_member (data, "startData", json_object_new ());

  /* Which nodes ran: all for a success, up to the stop node otherwise (a
   * canceled run never reached its stop node), none yet for a running one. */
  switch (execution->status)
    {
    case STATUS_RUNNING:
      last_run = G_MAXUINT;
      break;
    case STATUS_CANCELED:
      last_run = stop > 0 ? stop - 1 : 0;
      break;
    case STATUS_SUCCESS:
    case STATUS_ERROR:
    case STATUS_CRASHED:
    case STATUS_WAITING:
    case N_STATUSES:
    default:
      last_run = stop;
      break;
    }

  if (last_run != G_MAXUINT)
    {
      for (guint i = 0; i <= last_run && i < def->n_nodes; i++)
        {
          const char *previous = i > 0 ? def->nodes[i - 1].name : NULL;
          gboolean is_stop = i == stop && execution->status != STATUS_SUCCESS;
          guint duration = (guint) (hash3 (execution->salt, i, 7) % 120);
          const char *status = "success";
          JsonObject *task;
          JsonArray *tasks = json_array_new ();

          if (is_stop && execution->status == STATUS_ERROR)
            status = "error";
          else if (is_stop && execution->status == STATUS_WAITING)
            status = "waiting";
          else if (is_stop && crashed)
            status = "crashed";

          task = task_json (t, i, previous, duration, status, crashed);
          if (is_stop && error != NULL)
            {
              json_object_set_object_member (task, "error", error_json (execution, error,
                                                                        t + duration));
            }
          else if (is_stop && crashed)
            {
              JsonObject *crash = json_object_new ();

              json_object_set_string_member (crash, "message", "Execution stopped at this node");
              json_object_set_int_member (crash, "timestamp", execution->stopped_ms);
              json_object_set_string_member (crash, "name", "NodeCrashedError");
              json_object_set_string_member (crash, "description",
                                             "n8n may have run out of memory while running this "
                                             "execution. More context and tips on how to avoid "
                                             "this <a href='https://docs.n8n.io/hosting/scaling/"
                                             "memory-errors/' target='_blank'>in the docs</a>");
              json_object_set_object_member (crash, "context", json_object_new ());
              json_object_set_object_member (task, "error", crash);
            }
          else
            {
              json_object_set_object_member (task, "data",
                                             items_json (trigger_item_json (self, execution),
                                                         !crashed));
            }
          json_array_add_object_element (tasks, task);
          json_object_set_array_member (run_data, def->nodes[i].name, tasks);
          t += duration;
        }
    }

  if (error != NULL)
    json_object_set_object_member (result, "error", error_json (execution, error, t));
  json_object_set_object_member (result, "runData", run_data);
  if (last_run != G_MAXUINT)
    json_object_set_string_member (result, "lastNodeExecuted",
                                   def->nodes[MIN (last_run, def->n_nodes - 1)].name);
  if (crashed)
    {
      JsonObject *crash = json_object_new ();

      json_object_set_string_member (crash, "message",
                                     "Workflow did not finish, possible out-of-memory issue");
      json_object_set_int_member (crash, "timestamp", execution->stopped_ms);
      json_object_set_string_member (crash, "name", "WorkflowCrashedError");
      json_object_set_object_member (crash, "context", json_object_new ());
      json_object_set_object_member (result, "error", crash);
    }
  json_object_set_object_member (data, "resultData", result);

  /* What would run next: nothing after a success. */
  if (execution->status != STATUS_SUCCESS)
    {
      JsonObject *entry = json_object_new ();
      guint next = execution->status == STATUS_RUNNING ? 0 : stop;

      /* A run that has not started a node yet, or one rebuilt after a crash,
       * waits at its trigger with unpaired items (102, 120). */
      if (crashed)
        next = 0;
      json_object_set_object_member (entry, "node", node_json (execution->workflow, next));
      json_object_set_object_member (entry, "data",
                                     items_json (trigger_item_json (self, execution),
                                                 next != 0));
      if (next == 0)
        {
          json_object_set_null_member (entry, "source");
        }
      else
        {
          JsonObject *source = json_object_new ();

          json_object_set_array_member (source, "main",
                                        single_source_array (def->nodes[next - 1].name));
          json_object_set_object_member (entry, "source", source);
        }
      json_array_add_object_element (stack, entry);
    }

  json_object_set_object_member (exec_data, "contextData", json_object_new ());
  json_object_set_array_member (exec_data, "nodeExecutionStack", stack);
  json_object_set_object_member (exec_data, "metadata", json_object_new ());
  json_object_set_object_member (exec_data, "waitingExecution", json_object_new ());
  json_object_set_object_member (exec_data, "waitingExecutionSource", json_object_new ());
  if (execution->status != STATUS_RUNNING && !crashed)
    {
      JsonObject *runtime = json_object_new ();

      json_object_set_int_member (runtime, "version", 1);
      json_object_set_int_member (runtime, "establishedAt", execution->started_ms);
      json_object_set_string_member (runtime, "source",
                                     g_strcmp0 (execution->mode, "retry") == 0
                                     ? def->mode : execution->mode);
      json_object_set_object_member (exec_data, "runtimeData", runtime);
    }
  json_object_set_object_member (data, "executionData", exec_data);
  if (execution->status == STATUS_WAITING)
    set_time (data, "waitTill", execution->wait_till_ms);
  return data;
}

static JsonObject *
execution_workflow_json (const Execution *execution,
                         gboolean         as_retried)
{
  const Workflow *workflow = execution->workflow;
  JsonObject *object = json_object_new ();

  /* Running and crashed runs carry the bare workflow the engine started
   * with (102, 120); finished ones the saved entity. */
  if (execution->status == STATUS_RUNNING || execution->status == STATUS_CRASHED)
    {
      json_object_set_object_member (object, "connections", connections_json (workflow));
      json_object_set_array_member (object, "nodes", nodes_json (workflow));
      json_object_set_string_member (object, "name", workflow->def->name);
      json_object_set_object_member (object, "settings", settings_json (workflow));
      json_object_set_string_member (object, "id", workflow->id);
      return object;
    }

  json_object_set_string_member (object, "id", workflow->id);
  json_object_set_string_member (object, "name", workflow->def->name);
  /* A retry's answer shows the workflow as inactive without an active
   * version, whatever its state (050, 051, 054, 056). */
  json_object_set_boolean_member (object, "active", as_retried ? FALSE : workflow->active);
  set_nullable_string (object, "activeVersionId",
                       !as_retried && workflow->active ? workflow->version_id : NULL);
  json_object_set_boolean_member (object, "isArchived", FALSE);
  set_time (object, "createdAt", workflow->created_ms);
  set_time (object, "updatedAt", workflow->updated_ms);
  json_object_set_array_member (object, "nodes", nodes_json (workflow));
  json_object_set_object_member (object, "connections", connections_json (workflow));
  json_object_set_object_member (object, "settings", settings_json (workflow));
  json_object_set_object_member (object, "staticData", json_object_new ());
  json_object_set_null_member (object, "pinData");
  return object;
}

typedef enum
{
  EXEC_VIEW_LIST,     /* items of GET /executions */
  EXEC_VIEW_GET,      /* GET /executions/{id} */
  EXEC_VIEW_DELETE,   /* DELETE: the id is a number (060) */
  EXEC_VIEW_RETRY,    /* POST .../retry: the new execution (050) */
} ExecutionView;

static JsonObject *
execution_json (CtSimN8n        *self,
                const Execution *execution,
                ExecutionView    view,
                gboolean         include_data)
{
  JsonObject *object = json_object_new ();
  gboolean finished = execution->status == STATUS_SUCCESS;

  if (view == EXEC_VIEW_RETRY)
    {
      set_id_string (object, "id", execution->id);
      json_object_set_string_member (object, "mode", execution->mode);
      set_time (object, "startedAt", execution->started_ms);
      json_object_set_string_member (object, "workflowId", execution->workflow->id);
      json_object_set_boolean_member (object, "finished", finished);
      json_object_set_int_member (object, "retryOf", execution->retry_of);
      json_object_set_string_member (object, "status", status_names[execution->status]);
    }
  else
    {
      if (view == EXEC_VIEW_DELETE)
        json_object_set_int_member (object, "id", execution->id);
      else
        set_id_string (object, "id", execution->id);
      json_object_set_boolean_member (object, "finished", finished);
      json_object_set_string_member (object, "mode", execution->mode);
      set_id_string (object, "retryOf", execution->retry_of);
      set_id_string (object, "retrySuccessId", execution->retry_success_id);
      json_object_set_string_member (object, "status", status_names[execution->status]);
      if (view != EXEC_VIEW_LIST)
        set_time (object, "createdAt", execution->created_ms);
      set_time (object, "startedAt", execution->started_ms);
      set_time (object, "stoppedAt", execution->stopped_ms);
      if (view != EXEC_VIEW_LIST)
        json_object_set_null_member (object, "deletedAt");
      json_object_set_string_member (object, "workflowId", execution->workflow->id);
      set_time (object, "waitTill", execution->wait_till_ms);
    }

  if (include_data)
    {
      json_object_set_object_member (object, "data", execution_data_json (self, execution));
      json_object_set_object_member (object, "workflowData",
                                     execution_workflow_json (execution,
                                                              view == EXEC_VIEW_RETRY));
      json_object_set_object_member (object, "customData", custom_data_json (self, execution));
    }
  return object;
}

/* ---------------------------------------------------------------------- */
/* Request validation, with the messages of n8n's OpenAPI validator */

static gboolean
parse_number (const char *text,
              double     *out)
{
  char *end = NULL;
  double value;

  if (text == NULL)
    return FALSE;
  /* The validator coerces an empty value to 0. */
  if (*text == '\0')
    {
      *out = 0;
      return TRUE;
    }
  /* Only decimal notation: strtod would also take "0x1f", "inf" and "nan". */
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && strchr ("+-.eE", *p) == NULL)
      return FALSE;
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value))
    return FALSE;
  *out = value;
  return TRUE;
}

static const char *
query_get (GHashTable *query,
           const char *key)
{
  return query != NULL ? g_hash_table_lookup (query, key) : NULL;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The first parameter (in byte order, so the answer does not depend on
 * hash order) that the route does not declare. */
static char *
find_unknown_param (GHashTable        *query,
                    const char *const *allowed)
{
  g_autofree const char **keys = NULL;
  guint n = 0;

  if (query == NULL)
    return NULL;
  keys = (const char **) g_hash_table_get_keys_as_array (query, &n);
  qsort (keys, n, sizeof (char *), compare_strings);
  for (guint i = 0; i < n; i++)
    if (!g_strv_contains (allowed, keys[i]))
      return g_strdup (keys[i]);
  return NULL;
}

static gboolean
check_unknown_params (SoupServerMessage *msg,
                      GHashTable        *query,
                      const char *const *allowed)
{
  g_autofree char *unknown = find_unknown_param (query, allowed);
  g_autofree char *message = NULL;

  if (unknown == NULL)
    return TRUE;
  message = g_strdup_printf ("Unknown query parameter '%s'", unknown);
  respond_message (msg, 400, message);
  return FALSE;
}

static gboolean
check_boolean_param (SoupServerMessage *msg,
                     GHashTable        *query,
                     const char        *key,
                     gboolean          *out)
{
  const char *value = query_get (query, key);
  g_autofree char *message = NULL;

  *out = FALSE;
  if (value == NULL)
    return TRUE;
  if (g_str_equal (value, "true"))
    {
      *out = TRUE;
      return TRUE;
    }
  if (g_str_equal (value, "false"))
    return TRUE;
  message = g_strdup_printf ("request/query/%s must be boolean", key);
  respond_message (msg, 400, message);
  return FALSE;
}

/* limit: a number up to 250; 0 and negative numbers mean no limit (085,
 * 085b); a fraction reaches SQLite and fails there (085c). */
static gboolean
check_limit_param (SoupServerMessage *msg,
                   GHashTable        *query,
                   gint64            *out)
{
  const char *value = query_get (query, "limit");
  double number = 0;

  *out = DEFAULT_LIMIT;
  if (value == NULL)
    return TRUE;
  if (!parse_number (value, &number))
    {
      respond_message (msg, 400, "request/query/limit must be number");
      return FALSE;
    }
  if (number > MAX_LIMIT)
    {
      respond_message (msg, 400, "request/query/limit must be <= 250");
      return FALSE;
    }
  if (number != floor (number))
    {
      respond_message (msg, 400, "SQLITE_MISMATCH: datatype mismatch");
      return FALSE;
    }
  *out = number <= 0 ? 0 : (gint64) number;
  return TRUE;
}

/* Cursors are base64 JSON. Node decodes base64 leniently, and a '+' in a
 * query string arrives as a space, so spaces count as '+'. */
static JsonObject *
decode_cursor (const char *cursor)
{
  g_autofree char *fixed = g_strdup (cursor);
  g_autofree guchar *raw = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  gsize len = 0;

  g_strdelimit (fixed, " ", '+');
  g_strdelimit (fixed, "-", '+');
  g_strdelimit (fixed, "_", '/');
  if (*fixed == '\0')
    return NULL;
  raw = g_base64_decode (fixed, &len);
  if (raw == NULL || len == 0)
    return NULL;
  text = g_strndup ((const char *) raw, len);
  if (!g_utf8_validate (text, -1, NULL))
    return NULL;
  node = ct_json_parse (text, -1, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

static gboolean
member_as_int (JsonObject *object,
               const char *key,
               gint64     *out)
{
  JsonNode *node = json_object_get_member (object, key);
  double number = 0;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out = json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      number = json_node_get_double (node);
      break;
    case G_TYPE_STRING:
      if (!parse_number (json_node_get_string (node), &number))
        return FALSE;
      break;
    default:
      return FALSE;
    }
  if (number != floor (number) || fabs (number) > 9.0e15)
    return FALSE;
  *out = (gint64) number;
  return TRUE;
}

/* The {id} of /executions/{id}: the schema says number. Returns FALSE after
 * answering 400; *id is 0 for numbers no execution can have. */
static gboolean
check_execution_id (SoupServerMessage *msg,
                    const char        *text,
                    gint64            *id)
{
  double number = 0;

  *id = 0;
  if (*text == '\0' || !parse_number (text, &number))
    {
      respond_message (msg, 400, "request/params/id must be number");
      return FALSE;
    }
  if (number == floor (number) && number > 0 && number < 9.0e15)
    *id = (gint64) number;
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Routes */

/* Sets "nextCursor": the base64 of @next (taken), or null on the last page. */
static void
set_next_cursor (JsonObject *answer,
                 char       *next)
{
  g_autofree char *json = next;
  g_autofree char *encoded = NULL;

  if (json == NULL)
    {
      json_object_set_null_member (answer, "nextCursor");
      return;
    }
  encoded = g_base64_encode ((const guchar *) json, strlen (json));
  json_object_set_string_member (answer, "nextCursor", encoded);
}

static void
route_workflows_list (gpointer      user_data,
                      CtSimRequest *request)
{
  CtSimN8n *self = user_data;
  SoupServerMessage *msg = request->msg;
  GHashTable *query = request->query;
  static const char *const allowed[] = {
    "active", "tags", "name", "projectId", "excludePinnedData", "limit", "cursor", NULL
  };
  g_autoptr(JsonObject) answer = json_object_new ();
  JsonArray *data = json_array_new ();
  const char *cursor = query_get (query, "cursor");
  const char *active_text = query_get (query, "active");
  const char *name = query_get (query, "name");
  const char *tags = query_get (query, "tags");
  const char *project = query_get (query, "projectId");
  gboolean active = FALSE;
  gboolean exclude_pinned = FALSE;
  gint64 limit = DEFAULT_LIMIT;
  gint64 offset = 0;
  gint64 index = 0;
  gboolean more = FALSE;

  json_object_set_array_member (answer, "data", data);
  if (!check_unknown_params (msg, query, allowed)
      || !check_boolean_param (msg, query, "active", &active)
      || !check_boolean_param (msg, query, "excludePinnedData", &exclude_pinned)
      || !check_limit_param (msg, query, &limit))
    return;

  if (cursor != NULL)
    {
      g_autoptr(JsonObject) decoded = decode_cursor (cursor);

      /* Workflows page by offset; the limit travels in the cursor. */
      if (decoded == NULL || !member_as_int (decoded, "limit", &limit)
          || !member_as_int (decoded, "offset", &offset) || offset < 0)
        {
          respond_message (msg, 400, "An invalid cursor was provided");
          return;
        }
    }

  for (guint i = 0; i < self->workflows->len; i++)
    {
      Workflow *workflow = g_ptr_array_index (self->workflows, i);

      if (active_text != NULL && workflow->active != active)
        continue;
      if (name != NULL && g_strcmp0 (workflow->def->name, name) != 0)
        continue;
      /* No workflow carries tags, so any tag filter matches none. */
      if (tags != NULL && *tags != '\0')
        continue;
      if (project != NULL && g_strcmp0 (project, PROJECT_ID) != 0)
        continue;
      if (index++ < offset)
        continue;
      if (limit > 0 && (gint64) json_array_get_length (data) >= limit)
        {
          more = TRUE;
          break;
        }
      json_array_add_object_element (data, workflow_json (workflow, WF_VIEW_LIST,
                                                          exclude_pinned));
    }

  set_next_cursor (answer, more ? g_strdup_printf ("{\"limit\":%" G_GINT64_FORMAT
                                                    ",\"offset\":%" G_GINT64_FORMAT "}",
                                                    limit, offset + limit) : NULL);
  respond_object (msg, 200, answer);
}

static void
route_workflow_get (gpointer      data,
                    CtSimRequest *request)
{
  static const char *const allowed[] = { "excludePinnedData", NULL };
  CtSimN8n *self = data;
  Workflow *workflow = find_workflow (self, request->args[0]);
  g_autoptr(JsonObject) answer = NULL;
  gboolean exclude_pinned = FALSE;

  if (!check_unknown_params (request->msg, request->query, allowed)
      || !check_boolean_param (request->msg, request->query, "excludePinnedData", &exclude_pinned))
    return;
  if (workflow == NULL)
    {
      respond_message (request->msg, 404, "Not Found");
      return;
    }
  answer = workflow_json (workflow, WF_VIEW_GET, exclude_pinned);
  respond_object (request->msg, 200, answer);
}

/* POST /workflows/{id}/activate and .../deactivate */
static void
route_workflow_activation (gpointer      data,
                           CtSimRequest *request)
{
  static const char *const allowed[] = { NULL };
  CtSimN8n *self = data;
  Workflow *workflow = find_workflow (self, request->args[0]);
  gboolean activate = g_str_has_suffix (request->path, "/activate");
  g_autoptr(JsonObject) answer = NULL;

  if (!check_unknown_params (request->msg, request->query, allowed))
    return;
  if (workflow == NULL)
    {
      respond_message (request->msg, 404, "Not Found");
      return;
    }
  if (workflow->active != activate)
    {
      workflow->active = activate;
      workflow->version_counter++;
    }
  answer = workflow_json (workflow, activate ? WF_VIEW_ACTIVATE : WF_VIEW_DEACTIVATE, FALSE);
  respond_object (request->msg, 200, answer);
}

static gboolean
status_from_name (const char *name,
                  ExecStatus *out)
{
  for (guint i = 0; i < N_STATUSES; i++)
    if (g_strcmp0 (status_names[i], name) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

static void
route_executions_list (gpointer      user_data,
                       CtSimRequest *request)
{
  CtSimN8n *self = user_data;
  SoupServerMessage *msg = request->msg;
  GHashTable *query = request->query;
  static const char *const allowed[] = {
    "includeData", "status", "workflowId", "projectId", "limit", "cursor", NULL
  };
  g_autoptr(JsonObject) answer = json_object_new ();
  JsonArray *data = json_array_new ();
  const char *status_text = query_get (query, "status");
  const char *workflow_id = query_get (query, "workflowId");
  const char *project = query_get (query, "projectId");
  const char *cursor = query_get (query, "cursor");
  ExecStatus status = STATUS_SUCCESS;
  gboolean include_data = FALSE;
  gint64 limit = DEFAULT_LIMIT;
  gint64 last_id = G_MAXINT64;
  gint64 last_listed = 0;
  gboolean more = FALSE;

  json_object_set_array_member (answer, "data", data);
  if (!check_unknown_params (msg, query, allowed)
      || !check_boolean_param (msg, query, "includeData", &include_data))
    return;
  /* "crashed" is a status but not a filter value in 1.123 (083). */
  if (status_text != NULL
      && (!status_from_name (status_text, &status) || status == STATUS_CRASHED))
    {
      respond_message (msg, 400, "request/query/status must be equal to one of the allowed "
                       "values: canceled, error, running, success, waiting");
      return;
    }
  if (!check_limit_param (msg, query, &limit))
    return;

  if (cursor != NULL)
    {
      g_autoptr(JsonObject) decoded = decode_cursor (cursor);

      /* The cursor holds the last id and the limit, never the filters (038). */
      if (decoded == NULL || !member_as_int (decoded, "lastId", &last_id)
          || !member_as_int (decoded, "limit", &limit))
        {
          respond_message (msg, 400, "An invalid cursor was provided");
          return;
        }
    }

  for (guint i = self->executions->len; i > 0; i--)
    {
      Execution *execution = g_ptr_array_index (self->executions, i - 1);

      if (execution->id >= last_id)
        continue;
      if (status_text != NULL && execution->status != status)
        continue;
      /* n8n 1.x leaves out what its process holds in memory: running runs
       * unless asked for by status (100, 101) and waiting ones started since
       * the last restart (030, 032). */
      if (execution->status == STATUS_RUNNING && status_text == NULL)
        continue;
      if (execution->in_memory && execution->status == STATUS_WAITING)
        continue;
      if (workflow_id != NULL && g_strcmp0 (execution->workflow->id, workflow_id) != 0)
        continue;
      if (project != NULL && g_strcmp0 (project, PROJECT_ID) != 0)
        continue;
      if (limit > 0 && (gint64) json_array_get_length (data) >= limit)
        {
          more = TRUE;
          break;
        }
      json_array_add_object_element (data, execution_json (self, execution, EXEC_VIEW_LIST,
                                                           include_data));
      last_listed = execution->id;
    }

  set_next_cursor (answer, more ? g_strdup_printf ("{\"lastId\":\"%" G_GINT64_FORMAT "\","
                                                    "\"limit\":%" G_GINT64_FORMAT "}",
                                                    last_listed, limit) : NULL);
  respond_object (msg, 200, answer);
}

static gboolean
retry_succeeds (CtSimN8n        *self,
                const Execution *original)
{
  guint64 h = hash3 (self->seed, (guint64) original->id, original->n_retries);

  /* A workflow that cannot fail (no error to show) always succeeds. */
  if (original->workflow->def->n_errors == 0)
    return TRUE;
  return h % 1000 < original->workflow->def->retry_success_permille;
}

static Execution *
create_retry (CtSimN8n  *self,
              Execution *original)
{
  Execution *retry = g_new0 (Execution, 1);
  gint64 now = clock_ms (self);

  retry->id = allocate_id (self);
  retry->workflow = original->workflow;
  retry->mode = "retry";
  retry->retry_of = original->id;
  retry->status = retry_succeeds (self, original) ? STATUS_SUCCESS : STATUS_ERROR;
  retry->created_ms = now - 3;
  retry->started_ms = now;
  retry->stopped_ms = now + 30 + (gint64) (hash3 (self->seed, retry->id, 3) % 200);
  retry->error_index = original->error_index;
  retry->salt = original->salt;
  original->n_retries++;
  if (retry->status == STATUS_SUCCESS)
    original->retry_success_id = retry->id;
  add_execution (self, retry);
  return retry;
}

static void
route_retry (gpointer      data,
             CtSimRequest *request)
{
  static const char *const allowed[] = { NULL };
  CtSimN8n *self = data;
  SoupServerMessage *msg = request->msg;
  const char *id_text = request->args[0];
  GHashTable *query = request->query;
  gint64 id = 0;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  Execution *original;
  Execution *retry;
  g_autoptr(JsonObject) answer = NULL;

  if (!check_execution_id (msg, id_text, &id) || !check_unknown_params (msg, query, allowed))
    return;

  /* The body is optional: {"loadWorkflow": boolean}. Our workflows have one
   * version only, so both values retry the same nodes. */
  if (body != NULL && body->length > 0)
    {
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size = 0;
      const char *text = g_bytes_get_data (bytes, &size);
      JsonNode *root;

      if (!ct_json_parser_load (parser, text, size, NULL)
          || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          respond_message (msg, 400, "request/body must be object");
          return;
        }
      if (json_object_has_member (json_node_get_object (root), "loadWorkflow"))
        {
          JsonNode *load = json_object_get_member (json_node_get_object (root), "loadWorkflow");

          if (!JSON_NODE_HOLDS_VALUE (load) || json_node_get_value_type (load) != G_TYPE_BOOLEAN)
            {
              respond_message (msg, 400, "request/body/loadWorkflow must be boolean");
              return;
            }
        }
    }

  original = id > 0 ? find_execution (self, id) : NULL;
  if (original == NULL)
    {
      g_autofree char *message = g_strdup_printf ("The execution with the ID \"%s\" does not "
                                                  "exist.", id_text);

      respond_message (msg, 404, message);
      return;
    }
  /* n8n refuses finished runs only: waiting, canceled, crashed and failed
   * ones are all run again (053, 054). */
  if (original->status == STATUS_SUCCESS)
    {
      respond_message (msg, 400, "The execution succeeded, so it cannot be retried.");
      return;
    }

  retry = create_retry (self, original);
  answer = execution_json (self, retry, EXEC_VIEW_RETRY, TRUE);
  respond_object (msg, 200, answer);
}

/* The execution of GET and DELETE /executions/{id}, or NULL after answering. */
static Execution *
request_execution (CtSimN8n            *self,
                   CtSimRequest        *request,
                   const char * const  *allowed,
                   gboolean            *include_data)
{
  Execution *execution;
  gint64 id = 0;

  if (!check_unknown_params (request->msg, request->query, allowed)
      || !check_execution_id (request->msg, request->args[0], &id)
      || (include_data != NULL
          && !check_boolean_param (request->msg, request->query, "includeData", include_data)))
    return NULL;
  execution = id > 0 ? find_execution (self, id) : NULL;
  if (execution == NULL)
    respond_message (request->msg, 404, "Not Found");
  return execution;
}

static void
route_execution_get (gpointer      data,
                     CtSimRequest *request)
{
  static const char *const allowed[] = { "includeData", NULL };
  g_autoptr(JsonObject) answer = NULL;
  gboolean include_data = FALSE;
  Execution *execution = request_execution (data, request, allowed, &include_data);

  if (execution == NULL)
    return;
  answer = execution_json (data, execution, EXEC_VIEW_GET, include_data);
  respond_object (request->msg, 200, answer);
}

static void
route_execution_delete (gpointer      data,
                        CtSimRequest *request)
{
  static const char *const allowed[] = { NULL };
  CtSimN8n *self = data;
  g_autoptr(JsonObject) answer = NULL;
  Execution *execution = request_execution (self, request, allowed, NULL);

  if (execution == NULL)
    return;
  if (execution->status == STATUS_RUNNING)
    {
      respond_message (request->msg, 400, "Cannot delete a running execution");
      return;
    }
  answer = execution_json (self, execution, EXEC_VIEW_DELETE, FALSE);
  g_hash_table_remove (self->by_id, &execution->id);
  g_ptr_array_remove (self->executions, execution);
  respond_object (request->msg, 200, answer);
}

static void
route_health (gpointer      data,
              CtSimRequest *request)
{
  g_autoptr(JsonObject) ok = json_object_new ();

  json_object_set_string_member (ok, "status", "ok");
  respond_object (request->msg, 200, ok);
}

/* Served without a key. Anything else outside the API is Express's 404 page. */
static const CtSimRoute public_routes[] = {
  { "GET", "/healthz", route_health },
  { "HEAD", "/healthz", route_health },
  { "GET", "/healthz/readiness", route_health },
  { "HEAD", "/healthz/readiness", route_health },
  { NULL, NULL, NULL }
};

/* The public API v1, behind X-N8N-API-KEY: a new endpoint is one row plus
 * its function; the rest answers 404 {"message":"not found"}. */
static const CtSimRoute api_routes[] = {
  { "GET", API_PREFIX "/workflows", route_workflows_list },
  { "GET", API_PREFIX "/workflows/{id}", route_workflow_get },
  { "POST", API_PREFIX "/workflows/{id}/activate", route_workflow_activation },
  { "POST", API_PREFIX "/workflows/{id}/deactivate", route_workflow_activation },
  { "GET", API_PREFIX "/executions", route_executions_list },
  { "GET", API_PREFIX "/executions/{id}", route_execution_get },
  { "DELETE", API_PREFIX "/executions/{id}", route_execution_delete },
  { "POST", API_PREFIX "/executions/{id}/retry", route_retry },
  { NULL, NULL, NULL }
};

/* ---------------------------------------------------------------------- */
/* Datasets */

static Workflow *
add_workflow (CtSimN8n          *self,
              const WorkflowDef *def,
              guint              index,
              gint64             created_ms)
{
  Workflow *workflow = g_new0 (Workflow, 1);
  g_autofree char *salt = g_strdup_printf ("workflow-%u", index);

  workflow->def = def;
  workflow->id = def->id != NULL
    ? g_strdup (def->id)
    : make_token (self->seed, salt, 16,
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
  workflow->version_id = def->version_id != NULL ? g_strdup (def->version_id)
                                                 : make_uuid (self->seed, workflow->id);
  workflow->active = TRUE;
  workflow->created_ms = created_ms;
  workflow->updated_ms = created_ms;
  workflow->version_counter = 3;
  g_ptr_array_add (self->workflows, workflow);
  return workflow;
}

static void
load_recorded (CtSimN8n *self)
{
  Workflow *workflows[G_N_ELEMENTS (recorded_workflows)];

  for (guint i = 0; i < G_N_ELEMENTS (recorded_workflows); i++)
    workflows[i] = add_workflow (self, &recorded_workflows[i], i,
                                 parse_iso_ms (recorded_workflows[i].created_at));

  for (guint i = 0; i < G_N_ELEMENTS (recorded_executions); i++)
    {
      const RecordedExecution *r = &recorded_executions[i];
      Execution *execution = g_new0 (Execution, 1);

      execution->id = r->id;
      execution->workflow = workflows[r->workflow];
      execution->status = r->status;
      execution->mode = r->mode;
      execution->created_ms = parse_iso_ms (r->created);
      execution->started_ms = parse_iso_ms (r->started);
      execution->stopped_ms = parse_iso_ms (r->stopped);
      execution->wait_till_ms = parse_iso_ms (r->wait_till);
      execution->in_memory = r->in_memory;
      execution->salt = (guint64) r->id;
      add_execution (self, execution);
    }
  self->next_id = 21;
}

static Execution *
add_recorded (CtSimN8n   *self,
              gint64      id,
              const char *workflow_id,
              ExecStatus  status,
              const char *mode,
              gint64      retry_of,
              const char *started,
              const char *stopped)
{
  Execution *execution = g_new0 (Execution, 1);

  execution->id = id;
  execution->workflow = find_workflow (self, workflow_id);
  g_assert (execution->workflow != NULL);
  execution->status = status;
  execution->mode = mode;
  execution->retry_of = retry_of;
  execution->started_ms = parse_iso_ms (started);
  execution->created_ms = execution->started_ms - 56;
  execution->stopped_ms = parse_iso_ms (stopped);
  execution->salt = (guint64) id;
  add_execution (self, execution);
  return execution;
}

/* What the recorded instance went through between transcripts without the
 * public API being asked: run 25 started (100), 13 was stopped through
 * /rest (110), then n8n was killed and restarted (120), which finished or
 * crashed what ran and put the waiting runs back into lists (123). */
static void
replay_events (CtSimN8n   *self,
               const char *name)
{
  Execution *execution;

  if (self->replay_stage < 1 && strcmp (name, "100") >= 0)
    {
      execution = add_recorded (self, 25, "y7d4YRgWKHzCIbd1", STATUS_RUNNING, "webhook", 0,
                                "2026-11-26T15:40:02.092Z", NULL);
      execution->in_memory = TRUE;
      self->replay_stage = 1;
    }

  if (self->replay_stage < 2 && strcmp (name, "110") >= 0)
    {
      execution = find_execution (self, 13);
      if (execution != NULL && execution->status == STATUS_WAITING)
        {
          execution->status = STATUS_CANCELED;
          execution->stopped_ms = parse_iso_ms ("2026-11-26T15:41:18.856Z");
          execution->wait_till_ms = 0;
          execution->in_memory = FALSE;
        }
      self->replay_stage = 2;
    }

  if (self->replay_stage < 3 && strcmp (name, "120") >= 0)
    {
      Execution *original;

      execution = find_execution (self, 25);
      if (execution != NULL && execution->status == STATUS_RUNNING)
        {
          execution->status = STATUS_SUCCESS;
          execution->stopped_ms = parse_iso_ms ("2026-11-26T15:40:52.405Z");
        }
      if (find_execution (self, 26) == NULL)
        {
          add_recorded (self, 26, "y7d4YRgWKHzCIbd1", STATUS_SUCCESS, "retry", 25,
                        "2026-11-26T15:40:12.714Z", "2026-11-26T15:41:02.735Z");
          if (execution != NULL)
            execution->retry_success_id = 26;
        }
      if (find_execution (self, 27) == NULL)
        add_recorded (self, 27, "iNmukRovJskhTOQF", STATUS_SUCCESS, "trigger", 0,
                      "2026-11-26T15:40:29.041Z", "2026-11-26T15:40:29.092Z");
      original = find_execution (self, 13);
      if (find_execution (self, 28) == NULL)
        {
          add_recorded (self, 28, "OARcEqmtrJbF2Gm2", STATUS_SUCCESS, "retry", 13,
                        "2026-11-26T15:41:24.699Z", "2026-11-26T15:41:24.715Z");
          if (original != NULL)
            original->retry_success_id = 28;
        }
      if (find_execution (self, 29) == NULL)
        add_recorded (self, 29, "y7d4YRgWKHzCIbd1", STATUS_CRASHED, "webhook", 0,
                      "2026-11-26T15:41:33.603Z", "2026-11-26T15:41:33.892Z");
      for (guint i = 0; i < self->executions->len; i++)
        ((Execution *) g_ptr_array_index (self->executions, i))->in_memory = FALSE;
      self->replay_stage = 3;
    }
}

static ExecStatus
pick_status (const WorkflowDef *def,
             guint64            h)
{
  guint total = 0;
  guint pick;

  for (guint i = 0; i < N_STATUSES; i++)
    total += def->status_weights[i];
  if (total == 0)
    return STATUS_SUCCESS;
  pick = (guint) (h % total);
  for (guint i = 0; i < N_STATUSES; i++)
    {
      if (pick < def->status_weights[i])
        return i;
      pick -= def->status_weights[i];
    }
  return STATUS_SUCCESS;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
load_generated (CtSimN8n *self)
{
  Workflow *workflows[G_N_ELEMENTS (generated_workflows)];
  const char *error_workflow_id = NULL;
  gint64 now = self->now_ms != 0 ? self->now_ms : g_get_real_time () / 1000;
  /* A week of runs: one per case up to 400 (a mid-sized distributor's
   * integrations run about 60 times a day), at least 12. */
  guint n_executions = CLAMP (self->n_cases, 12, 400);
  guint total_weight = 0;
  g_autoptr(GArray) starts = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_executions);
  Execution *pending_retry_of = NULL;
  Execution *last_running = NULL;
  Execution *newest_runnable = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (generated_workflows); i++)
    {
      const WorkflowDef *def = &generated_workflows[i];

      workflows[i] = add_workflow (self, def, i, now - (gint64) (40 - i) * 86400000
                                   - (gint64) (hash3 (self->seed, i, 1) % 3600000));
      total_weight += def->weight;
      if (g_str_equal (def->mode, "error"))
        error_workflow_id = workflows[i]->id;
    }
  for (guint i = 0; i < G_N_ELEMENTS (generated_workflows); i++)
    if (generated_workflows[i].error_workflow && error_workflow_id != NULL)
      workflows[i]->error_workflow = g_strdup (error_workflow_id);

  /* Start times over the last seven days, ids in the order runs started. */
  for (guint i = 0; i < n_executions; i++)
    {
      gint64 start = now - 60000 - (gint64) (hash3 (self->seed, i, 2) % (7 * 86400000));

      g_array_append_val (starts, start);
    }
  g_array_sort (starts, compare_gint64);

  for (guint i = 0; i < n_executions; i++)
    {
      Execution *execution = g_new0 (Execution, 1);
      guint64 h = hash3 (self->seed, i, 4);
      guint pick = (guint) (h % total_weight);
      guint w = 0;
      gint64 age;

      execution->id = i + 1;
      execution->salt = hash3 (self->seed, i, 5);
      execution->started_ms = g_array_index (starts, gint64, i);
      execution->created_ms = execution->started_ms - 40 - (gint64) (h % 150);
      age = now - execution->started_ms;

      if (pending_retry_of != NULL)
        {
          /* Someone already retried the previous failure by hand. */
          execution->workflow = pending_retry_of->workflow;
          execution->mode = "retry";
          execution->retry_of = pending_retry_of->id;
          execution->error_index = pending_retry_of->error_index;
          execution->salt = pending_retry_of->salt;
          execution->status = retry_succeeds (self, pending_retry_of) ? STATUS_SUCCESS
                                                                       : STATUS_ERROR;
          pending_retry_of->n_retries++;
          if (execution->status == STATUS_SUCCESS)
            pending_retry_of->retry_success_id = execution->id;
          pending_retry_of = NULL;
        }
      else
        {
          while (w + 1 < G_N_ELEMENTS (generated_workflows)
                 && pick >= generated_workflows[w].weight)
            {
              pick -= generated_workflows[w].weight;
              w++;
            }
          execution->workflow = workflows[w];
          execution->mode = generated_workflows[w].mode;
          execution->status = pick_status (&generated_workflows[w], hash3 (self->seed, i, 6));
          execution->error_index = (guint) (hash3 (self->seed, i, 8) % 2);
          /* Only recent runs can still be running; older ones finished. A
           * few recent ones of the slow integrations are still going. */
          if (execution->status == STATUS_RUNNING && age > 6 * 3600000)
            execution->status = STATUS_SUCCESS;
          else if (age <= 6 * 3600000 && generated_workflows[w].status_weights[STATUS_RUNNING] > 0
                   && hash3 (self->seed, i, 10) % 10 < 3)
            execution->status = STATUS_RUNNING;
          if (execution->status == STATUS_RUNNING)
            last_running = execution;
        }

      switch (execution->status)
        {
        case STATUS_RUNNING:
          execution->stopped_ms = 0;
          break;
        case STATUS_WAITING:
          execution->stopped_ms = execution->started_ms + 200 + (gint64) (h % 400);
          execution->wait_till_ms = execution->workflow->def->wait_forever
            ? WAIT_FOREVER_MS : execution->stopped_ms + 86400000;
          /* This n8n last restarted 12 hours ago: the waiting runs it began
           * since are held in memory and missing from lists, as on a real
           * n8n 1.x (030, 032); older ones are listed (123). */
          execution->in_memory = age < LAST_RESTART_MS;
          break;
        case STATUS_CANCELED:
          execution->stopped_ms = execution->started_ms + 3600000
            + (gint64) (h % (6 * 3600000));
          if (execution->stopped_ms > now)
            execution->stopped_ms = now;
          break;
        case STATUS_SUCCESS:
        case STATUS_ERROR:
        case STATUS_CRASHED:
        case N_STATUSES:
        default:
          execution->stopped_ms = execution->started_ms + 150 + (gint64) (h % 4000);
          break;
        }

      if (execution->status == STATUS_ERROR && execution->retry_of == 0
          && hash3 (self->seed, i, 9) % 10 < 3)
        pending_retry_of = execution;
      if (execution->retry_of == 0 && execution->status != STATUS_RUNNING
          && execution->workflow->def->status_weights[STATUS_RUNNING] > 0)
        newest_runnable = execution;

      add_execution (self, execution);
    }
  /* However small the dataset, one integration is busy right now. */
  if (last_running == NULL && newest_runnable != NULL)
    {
      if (newest_runnable->retry_success_id == 0 && newest_runnable->n_retries == 0)
        {
          newest_runnable->status = STATUS_RUNNING;
          newest_runnable->stopped_ms = 0;
          newest_runnable->wait_till_ms = 0;
        }
    }
  self->next_id = n_executions + 1;
}

/* ---------------------------------------------------------------------- */
/* GObject */

static void
ct_sim_n8n_finalize (GObject *object)
{
  CtSimN8n *self = (CtSimN8n *) object;

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->executions, g_ptr_array_unref);
  g_clear_pointer (&self->workflows, g_ptr_array_unref);
  if (self->links != NULL)
    {
      for (guint i = 0; i < self->links->len; i++)
        {
          CtSimN8nLink *link = &g_array_index (self->links, CtSimN8nLink, i);

          g_free ((char *) link->model);
          g_free ((char *) link->name);
        }
      g_clear_pointer (&self->links, g_array_unref);
    }
  g_clear_pointer (&self->api_key, g_free);
  g_clear_pointer (&self->expired_key, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ct_sim_n8n_parent_class)->finalize (object);
}

static void
ct_sim_n8n_class_init (CtSimN8nClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ct_sim_n8n_finalize;
}

static void
ct_sim_n8n_init (CtSimN8n *self)
{
  g_mutex_init (&self->lock);
  self->workflows = g_ptr_array_new_with_free_func ((GDestroyNotify) workflow_free);
  self->executions = g_ptr_array_new_with_free_func (g_free);
  self->by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->links = g_array_new (FALSE, TRUE, sizeof (CtSimN8nLink));
}

/* ---------------------------------------------------------------------- */
/* Public API */

/**
 * ct_sim_n8n_new:
 *
 * Builds the n8n side with its dataset. The same @seed, @n_cases and @now
 * give the same workflows, executions and API key.
 */
CtSimN8n *
ct_sim_n8n_new (guint64     seed,
                guint       n_cases,
                GDateTime  *now,
                const char *dataset)
{
  CtSimN8n *self = g_object_new (CT_TYPE_SIM_N8N, NULL);
  gint64 issued;

  self->seed = seed;
  self->n_cases = n_cases;
  self->recorded = g_strcmp0 (dataset, "recorded") == 0;
  if (now != NULL)
    self->now_ms = g_date_time_to_unix (now) * 1000 + g_date_time_get_microsecond (now) / 1000;

  issued = (self->now_ms != 0 ? self->now_ms / 1000 : 1795000000) - 86400 * 30;
  self->api_key = make_api_key (seed, "api-key", issued, 0);
  /* A key that expired a day ago, for the "expired key" case (076). */
  self->expired_key = make_api_key (seed, "expired-api-key", issued, issued + 86400 * 29);

  if (self->recorded)
    load_recorded (self);
  else
    load_generated (self);
  g_ptr_array_sort (self->workflows, compare_workflows);
  return self;
}

void
ct_sim_n8n_set_links (CtSimN8n           *self,
                      const CtSimN8nLink *links,
                      guint               n_links)
{
  g_return_if_fail (CT_IS_SIM_N8N (self));
  g_return_if_fail (links != NULL || n_links == 0);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->links->len; i++)
    {
      CtSimN8nLink *link = &g_array_index (self->links, CtSimN8nLink, i);

      g_free ((char *) link->model);
      g_free ((char *) link->name);
    }
  g_array_set_size (self->links, 0);
  for (guint i = 0; i < n_links; i++)
    {
      CtSimN8nLink copy = { g_strdup (links[i].model), links[i].id, g_strdup (links[i].name),
                            links[i].topic };

      if (copy.model == NULL)
        {
          g_free ((char *) copy.name);
          continue;
        }
      g_array_append_val (self->links, copy);
    }
  g_mutex_unlock (&self->lock);
}

void
ct_sim_n8n_handle (CtSimN8n          *self,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query)
{
  CtSimRequest request = { .msg = msg, .query = query };
  const char *method;
  const char *key;

  g_return_if_fail (CT_IS_SIM_N8N (self));
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  method = soup_server_message_get_method (msg);
  if (path == NULL)
    path = "/";

  request.method = method;
  request.path = path;
  if (ct_sim_route_dispatch (public_routes, self, &request))
    return;
  if (!g_str_has_prefix (path, API_PREFIX "/"))
    {
      respond_express_404 (msg, path);
      return;
    }

  /* Only the header counts: no bearer token, no session cookie (073–075). */
  key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                      "X-N8N-API-KEY");
  if (key == NULL || *key == '\0')
    {
      respond_message (msg, 401, "'X-N8N-API-KEY' header required");
      return;
    }
  if (!g_str_equal (key, self->api_key))
    {
      respond_message (msg, 401, "unauthorized");
      return;
    }

  g_mutex_lock (&self->lock);
  if (!ct_sim_route_dispatch (api_routes, self, &request))
    respond_message (msg, 404, "not found");
  g_mutex_unlock (&self->lock);
}

/**
 * ct_sim_n8n_replay_until:
 * @name: a transcript's file name, such as "100-api-executions-list-status-running.txt"
 *
 * For the "recorded" dataset: brings the executions to where they were when
 * transcript @name was recorded, for what happened outside the public API
 * (a run starting, a stop through /rest, a restart). Only moves forward.
 * Does nothing for the generated dataset.
 */
void
ct_sim_n8n_replay_until (CtSimN8n   *self,
                         const char *name)
{
  g_return_if_fail (CT_IS_SIM_N8N (self));
  g_return_if_fail (name != NULL);

  if (!self->recorded)
    return;
  g_mutex_lock (&self->lock);
  replay_events (self, name);
  g_mutex_unlock (&self->lock);
}

const char *
ct_sim_n8n_get_api_key (CtSimN8n *self)
{
  g_return_val_if_fail (CT_IS_SIM_N8N (self), NULL);

  return self->api_key;
}

/**
 * ct_sim_n8n_get_expired_api_key:
 *
 * Returns: a key shaped like the real one that the simulator knows but
 *   refuses because it has expired, as n8n does (401 "unauthorized").
 */
const char *
ct_sim_n8n_get_expired_api_key (CtSimN8n *self)
{
  g_return_val_if_fail (CT_IS_SIM_N8N (self), NULL);

  return self->expired_key;
}

gboolean
ct_sim_n8n_owns_path (const char *path)
{
  if (path == NULL)
    return FALSE;
  return g_str_has_prefix (path, "/api/")
         || g_str_equal (path, "/healthz")
         || g_str_has_prefix (path, "/healthz/");
}
