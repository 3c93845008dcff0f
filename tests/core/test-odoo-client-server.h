/* test-odoo-client-server.h - The server the connector tests talk to
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The tests run against ct-sim with dataset "recorded" when the simulator
 * is built; until then (its start fails with G_IO_ERROR_NOT_SUPPORTED)
 * against a replay server that answers with the RESPONSE parts of the
 * transcripts recorded from the real Odoo 19 and n8n 1.123 in
 * $CT_PROTOCOL_DIR. The same test code drives both. */
typedef struct _TestServer TestServer;

typedef struct
{
  gboolean    tls;
  const char *faults;   /* ct-sim-faults.h grammar */
} TestServerOptions;

TestServer *test_server_start           (const TestServerOptions *options);
void        test_server_free            (TestServer   *server);
gboolean    test_server_is_replay       (TestServer   *server);
char       *test_server_dup_url         (TestServer   *server);
const char *test_server_get_database    (TestServer   *server);
const char *test_server_get_password    (TestServer   *server,
                                         const char   *login);
const char *test_server_get_api_key     (TestServer   *server,
                                         const char   *login);
const char *test_server_get_n8n_api_key (TestServer   *server);
const char *test_server_get_certificate_pem (TestServer *server);
void        test_server_set_faults      (TestServer   *server,
                                         const char   *spec);
guint       test_server_count_requests  (TestServer   *server,
                                         const char   *path_prefix);
void        test_server_reset_counts    (TestServer   *server);

/* Replay only: the next requests for @key ("purchase.order.search_read",
 * "common.authenticate", "n8n:GET /api/v1/executions/5") answer with the
 * recorded @transcript (a file name under odoo-19/ or n8n-1.123/) until
 * changed; NULL goes back to the default answer. */
void        test_server_answer_with     (TestServer   *server,
                                         const char   *key,
                                         const char   *transcript);
/* Replay only: how many client connections requests came in on since the
 * last reset (keep-alive reuses one). */
guint       test_server_count_connections (TestServer *server);
/* Replay only: the last request body received for @key (JSON text). */
const char *test_server_last_body       (TestServer   *server,
                                         const char   *key);
/* Replay only: the value of @header in the last request for @key. */
const char *test_server_last_header     (TestServer   *server,
                                         const char   *key,
                                         const char   *header);

/* A recorded transcript's parts, for tests that compare with it. */
typedef struct
{
  guint   status;
  char   *content_type;
  GBytes *body;
  char   *request_line;
} TestTranscript;

TestTranscript *test_transcript_load    (const char   *name,
                                         GError      **error);
void            test_transcript_free    (TestTranscript *transcript);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestTranscript, test_transcript_free)

/* Runs the default main context until *done is TRUE. */
void        test_wait                   (gboolean     *done);

G_END_DECLS
