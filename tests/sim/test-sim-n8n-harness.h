/* test-sim-n8n-harness.h - A SoupServer around the n8n side, for tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ct-sim-faults.h"
#include "ct-sim-n8n.h"

G_BEGIN_DECLS

/* Serves a CtSimN8n and a CtSimFaults the way CtSimServer does (faults
 * before, handler, faults after, latency by pausing the message), on
 * 127.0.0.1 with a free port, driven by the thread-default main context.
 * Tests talk to it over real HTTP with a SoupSession. */
typedef struct
{
  SoupServer  *server;
  SoupSession *session;
  CtSimN8n    *n8n;
  CtSimFaults *faults;
  char        *base_url;
} TestN8nServer;

typedef struct
{
  guint               status;      /* 0 when the transport failed */
  GError             *error;       /* set when the transport failed */
  GBytes             *body;
  SoupMessageHeaders *headers;
  JsonNode           *json;        /* NULL unless the body parsed as JSON */
  gint64              elapsed_ms;
} TestN8nReply;

TestN8nServer *test_n8n_server_new          (guint64         seed,
                                             guint           n_cases,
                                             GDateTime      *now,
                                             const char     *dataset);
void           test_n8n_server_free         (TestN8nServer  *self);
/* Sends one request and spins the main context until the answer (or the
 * transport error) arrives. @api_key NULL sends no X-N8N-API-KEY header;
 * @extra_headers is a NULL-terminated list of name, value pairs. */
TestN8nReply  *test_n8n_server_fetch        (TestN8nServer  *self,
                                             const char     *method,
                                             const char     *path_and_query,
                                             const char     *api_key,
                                             const char     *body,
                                             const char    **extra_headers);
/* Shortcut: GET with the sim's own key. */
TestN8nReply  *test_n8n_server_get          (TestN8nServer  *self,
                                             const char     *path_and_query);
void           test_n8n_reply_free          (TestN8nReply   *reply);
JsonObject    *test_n8n_reply_object        (TestN8nReply   *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestN8nServer, test_n8n_server_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestN8nReply, test_n8n_reply_free)

G_END_DECLS
