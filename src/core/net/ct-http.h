/* ct-http.h - The HTTP transport the Odoo and n8n clients share
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define CT_TYPE_HTTP (ct_http_get_type ())

G_DECLARE_FINAL_TYPE (CtHttp, ct_http, CT, HTTP, GObject)

/* One complete answer. The body is already gunzipped and never larger than
 * the ceiling. */
typedef struct
{
  guint    status;
  char    *content_type;   /* (nullable) without parameters */
  GBytes  *body;
  gint64   elapsed_us;
  guint    attempts;       /* how many requests it took (retries) */
} CtHttpResponse;

void            ct_http_response_free (CtHttpResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtHttpResponse, ct_http_response_free)

#define CT_HTTP_DEFAULT_CONNECT_TIMEOUT_MS 10000
#define CT_HTTP_DEFAULT_CALL_TIMEOUT_MS    60000
/* Connections one client keeps open to its server (libsoup's max-conns
 * and max-conns-per-host): how many requests go out at once. The first
 * refresh of a session asks about 22 small things at once (whether each
 * model is there, its field types); one more than the limit waits a whole
 * round trip, which is what a distant server makes expensive. Later
 * refreshes send one request per source. */
#define CT_HTTP_MAX_CONNECTIONS            32
#define CT_HTTP_DEFAULT_MAX_SIZE           (64 * 1024 * 1024)

/* @what names the server in error messages ("Odoo", "n8n"). */
CtHttp         *ct_http_new                 (const char          *what);
SoupSession    *ct_http_get_session         (CtHttp              *self);

void            ct_http_set_timeouts        (CtHttp              *self,
                                             guint                connect_ms,
                                             guint                call_ms);
void            ct_http_set_max_size        (CtHttp              *self,
                                             gsize                max_size);
/* Back-off before the first retry; it doubles on each further one. */
void            ct_http_set_retry_backoff   (CtHttp              *self,
                                             guint                first_ms);
/* Accept exactly the certificate with this SHA-256 fingerprint (hex, with
 * or without colons) even if no authority vouches for it, and refuse any
 * other, even a valid one. NULL goes back to normal verification. */
void            ct_http_set_pinned_certificate (CtHttp           *self,
                                                const char       *sha256);
/* Hex SHA-256 of the certificate's DER, colon-separated pairs, upper case. */
char           *ct_http_certificate_fingerprint (GTlsCertificate *certificate);

/* Sends one request. @headers is NULL or a NULL-terminated list of name,
 * value pairs. @body (nullable) is sent as application/json. @label is what
 * the debug log says about the request (say "purchase.order.search_read");
 * it must not contain secrets. @max_attempts > 1 retries on network errors
 * and 502/503 with back-off: pass 1 for anything that changes data.
 *
 * Errors: CT_ODOO_ERROR NETWORK, TIMEOUT, TLS, PROTOCOL (oversized), or
 * G_IO_ERROR_CANCELLED. An HTTP error status is not an error here: the
 * caller decodes the body. */
void            ct_http_send_async          (CtHttp              *self,
                                             const char          *method,
                                             const char          *uri,
                                             const char * const  *headers,
                                             GBytes              *body,
                                             const char          *label,
                                             guint                max_attempts,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
CtHttpResponse *ct_http_send_finish         (CtHttp              *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* What one scope of work (a refresh, one source's fetch) cost on the wire.
 * Attach a tally to the GCancellable the scope's requests are sent with:
 * every request sent with that cancellable counts in the tally and in its
 * parents, whichever client and connection carry it, so concurrent scopes
 * sharing one CtHttp are still counted apart. */
typedef struct _CtHttpTally CtHttpTally;
struct _CtHttpTally
{
  CtHttpTally *parent;         /* (owned) (nullable): counts everything this one counts */
  guint        requests;       /* attempts sent, retries included */
  guint64      bytes;          /* response bodies received */
  guint        depth;          /* round trips deep: the longest chain of requests each
                                * sent after an earlier one had answered */
  guint        in_flight;
  guint        max_in_flight;  /* most requests outstanding at once */
  guint        done_depth;     /* (private) deepest request answered so far */
};

/* A new zeroed tally (refcounted); @parent (nullable) is referenced. */
CtHttpTally    *ct_http_tally_new           (CtHttpTally         *parent);
CtHttpTally    *ct_http_tally_ref           (CtHttpTally         *tally);
void            ct_http_tally_unref         (CtHttpTally         *tally);
/* Counts the requests sent with @cancellable in @tally (replacing any
 * tally attached before); @tally NULL detaches. */
void            ct_http_tally_attach        (GCancellable        *cancellable,
                                             CtHttpTally         *tally);
/* The tally attached to @cancellable (nullable), or NULL. */
CtHttpTally    *ct_http_tally_get           (GCancellable        *cancellable);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtHttpTally, ct_http_tally_unref)

/* Totals since creation, for the benchmark and the tests. */
guint64         ct_http_get_bytes_received  (CtHttp              *self);
guint           ct_http_get_request_count   (CtHttp              *self);

G_END_DECLS
