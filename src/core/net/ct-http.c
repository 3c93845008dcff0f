/* ct-http.c - The HTTP transport the Odoo and n8n clients share
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-http"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ct-http.h"
#include "ct-odoo-error.h"

struct _CtHttp
{
  GObject      parent_instance;

  SoupSession *session;
  char        *what;
  guint        connect_timeout_ms;
  guint        call_timeout_ms;
  gsize        max_size;
  guint        backoff_ms;
  char        *pin;               /* normalised: lower-case hex, no colons */

  guint64      bytes_received;
  guint        request_count;
};

G_DEFINE_FINAL_TYPE (CtHttp, ct_http, G_TYPE_OBJECT)

#define READ_CHUNK 65536

typedef struct
{
  CtHttp               *self;
  char                 *method;
  char                 *uri;
  GStrv                 headers;
  GBytes               *body;
  char                 *label;
  char                 *host;
  char                 *path;
  guint                 max_attempts;
  guint                 attempt;

  SoupMessage          *msg;
  GCancellable         *op_cancellable;  /* ours: timeouts and the caller both cancel it */
  GCancellable         *user_cancellable;
  gulong                user_cancel_id;
  GSource              *call_timeout;
  GSource              *connect_timeout;
  GSource              *backoff;
  gboolean              timed_out;
  gboolean              connect_timed_out;
  gboolean              pin_mismatch;
  GTlsCertificateFlags  tls_errors;
  char                 *peer_fingerprint;

  GInputStream         *stream;
  GByteArray           *buffer;
  gboolean              finished;              /* the message's "finished" was emitted */
  GTask                *return_when_finished;  /* body read, waiting for "finished" */
  GSource              *finish_fallback;
  CtHttpResponse       *response;              /* (owned) (nullable) read, not yet returned */
  GMainContext         *context;               /* (owned) where the caller's task returns */
  gint64                start_us;
  CtHttpTally          *tally;                 /* (owned) (nullable) */
  guint                 tally_depth[4];        /* this request's depth in each level */
  gboolean              tallied;               /* sent and counted as in flight */
} SendData;

#define TALLY_LEVELS G_N_ELEMENTS (((SendData *) NULL)->tally_depth)

static void start_attempt (GTask *task);
static gboolean return_response (gpointer user_data);
static gboolean on_finish_fallback (gpointer user_data);

void
ct_http_response_free (CtHttpResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->content_type);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static GQuark
tally_quark (void)
{
  return g_quark_from_static_string ("ct-http-tally");
}

CtHttpTally *
ct_http_tally_new (CtHttpTally *parent)
{
  CtHttpTally *tally = g_rc_box_new0 (CtHttpTally);

  tally->parent = parent ? ct_http_tally_ref (parent) : NULL;
  return tally;
}

CtHttpTally *
ct_http_tally_ref (CtHttpTally *tally)
{
  return g_rc_box_acquire (tally);
}

static void
tally_clear (CtHttpTally *tally)
{
  g_clear_pointer (&tally->parent, ct_http_tally_unref);
}

void
ct_http_tally_unref (CtHttpTally *tally)
{
  g_rc_box_release_full (tally, (GDestroyNotify) tally_clear);
}

CtHttpTally *
ct_http_tally_get (GCancellable *cancellable)
{
  return cancellable != NULL ? g_object_get_qdata (G_OBJECT (cancellable), tally_quark ()) : NULL;
}

void
ct_http_tally_attach (GCancellable *cancellable,
                      CtHttpTally  *tally)
{
  g_return_if_fail (G_IS_CANCELLABLE (cancellable));
  g_object_set_qdata_full (G_OBJECT (cancellable), tally_quark (),
                           tally ? ct_http_tally_ref (tally) : NULL,
                           (GDestroyNotify) ct_http_tally_unref);
}

/* One attempt goes out: counted in every level; the first one also puts
 * the request in flight, one round trip deeper than the deepest answered. */
static void
tally_sent (SendData *data)
{
  guint level = 0;

  for (CtHttpTally *t = data->tally; t != NULL; t = t->parent, level++)
    {
      t->requests++;
      if (data->tallied)
        continue;
      t->in_flight++;
      t->max_in_flight = MAX (t->max_in_flight, t->in_flight);
      if (level < TALLY_LEVELS)
        {
          data->tally_depth[level] = t->done_depth + 1;
          t->depth = MAX (t->depth, data->tally_depth[level]);
        }
    }
  data->tallied = TRUE;
}

/* The request answered (or failed): before the caller's callback, so what
 * it sends next counts one round trip deeper. */
static void
tally_done (SendData *data,
            gsize     bytes)
{
  guint level = 0;

  if (!data->tallied)
    return;
  for (CtHttpTally *t = data->tally; t != NULL; t = t->parent, level++)
    {
      t->bytes += bytes;
      t->in_flight--;
      if (level < TALLY_LEVELS)
        t->done_depth = MAX (t->done_depth, data->tally_depth[level]);
    }
  data->tallied = FALSE;
}

static void
send_data_free (SendData *data)
{
  tally_done (data, 0);
  g_clear_pointer (&data->tally, ct_http_tally_unref);
  destroy_source (&data->call_timeout);
  destroy_source (&data->connect_timeout);
  destroy_source (&data->backoff);
  destroy_source (&data->finish_fallback);
  g_clear_pointer (&data->response, ct_http_response_free);
  g_clear_pointer (&data->context, g_main_context_unref);
  if (data->user_cancel_id != 0)
    g_cancellable_disconnect (data->user_cancellable, data->user_cancel_id);
  g_clear_object (&data->user_cancellable);
  g_clear_object (&data->op_cancellable);
  if (data->msg != NULL)
    g_signal_handlers_disconnect_by_data (data->msg, data);
  g_clear_object (&data->msg);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_strfreev (data->headers);
  g_free (data->method);
  g_free (data->uri);
  g_free (data->label);
  g_free (data->host);
  g_free (data->path);
  g_free (data->peer_fingerprint);
  g_clear_object (&data->self);
  g_free (data);
}

static void
ct_http_finalize (GObject *object)
{
  CtHttp *self = CT_HTTP (object);

  g_clear_object (&self->session);
  g_free (self->what);
  g_free (self->pin);
  G_OBJECT_CLASS (ct_http_parent_class)->finalize (object);
}

static void
ct_http_class_init (CtHttpClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ct_http_finalize;
}

static void
ct_http_init (CtHttp *self)
{
  self->connect_timeout_ms = CT_HTTP_DEFAULT_CONNECT_TIMEOUT_MS;
  self->call_timeout_ms = CT_HTTP_DEFAULT_CALL_TIMEOUT_MS;
  self->max_size = CT_HTTP_DEFAULT_MAX_SIZE;
  self->backoff_ms = 250;
  /* libsoup 3 adds SoupContentDecoder (gzip, deflate) by default and keeps
   * connections alive; "timeout" is only a backstop behind our own timers.
   * The limits are chosen, not defaults: a refresh sends the sources' reads
   * together (five Odoo sources, each with a few independent reads), and six
   * connections carry that in one or two round trips while leaving most of
   * a small Odoo's workers to the people using it — an Odoo with 4–8 HTTP
   * workers serves 200 desktops only if each asks for few at once. Requests
   * beyond the limit queue in libsoup, they do not fail. One CtHttp talks to
   * one host, so the total only has to cover the per-host limit. */
  self->session = soup_session_new_with_options ("user-agent", "ControlTower/" PACKAGE_VERSION,
                                                 "idle-timeout", 60,
                                                 "max-conns", CT_HTTP_MAX_CONNECTIONS,
                                                 "max-conns-per-host", CT_HTTP_MAX_CONNECTIONS,
                                                 NULL);
}

CtHttp *
ct_http_new (const char *what)
{
  CtHttp *self = g_object_new (CT_TYPE_HTTP, NULL);

  self->what = g_strdup (what ? what : "The server");
  ct_http_set_timeouts (self, self->connect_timeout_ms, self->call_timeout_ms);
  return self;
}

SoupSession *
ct_http_get_session (CtHttp *self)
{
  g_return_val_if_fail (CT_IS_HTTP (self), NULL);
  return self->session;
}

void
ct_http_set_timeouts (CtHttp *self,
                      guint   connect_ms,
                      guint   call_ms)
{
  g_return_if_fail (CT_IS_HTTP (self));
  self->connect_timeout_ms = connect_ms;
  self->call_timeout_ms = call_ms;
  g_object_set (self->session, "timeout", call_ms > 0 ? call_ms / 1000 + 5 : 0, NULL);
}

void
ct_http_set_max_size (CtHttp *self,
                      gsize   max_size)
{
  g_return_if_fail (CT_IS_HTTP (self));
  self->max_size = max_size;
}

void
ct_http_set_retry_backoff (CtHttp *self,
                           guint   first_ms)
{
  g_return_if_fail (CT_IS_HTTP (self));
  self->backoff_ms = first_ms;
}

static char *
normalize_fingerprint (const char *fingerprint)
{
  GString *out = g_string_new (NULL);

  for (const char *p = fingerprint; *p; p++)
    if (g_ascii_isxdigit (*p))
      g_string_append_c (out, g_ascii_tolower (*p));
  return g_string_free (out, FALSE);
}

void
ct_http_set_pinned_certificate (CtHttp     *self,
                                const char *sha256)
{
  g_return_if_fail (CT_IS_HTTP (self));
  g_clear_pointer (&self->pin, g_free);
  if (sha256 != NULL && *sha256 != '\0')
    self->pin = normalize_fingerprint (sha256);
}

char *
ct_http_certificate_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *hex = NULL;
  GString *out;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);
  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  out = g_string_new (NULL);
  for (gsize i = 0; hex[i] != '\0'; i += 2)
    {
      if (i > 0)
        g_string_append_c (out, ':');
      g_string_append_c (out, g_ascii_toupper (hex[i]));
      g_string_append_c (out, g_ascii_toupper (hex[i + 1]));
    }
  return g_string_free (out, FALSE);
}

static gboolean
pin_matches (CtHttp     *self,
             const char *fingerprint)
{
  g_autofree char *normalized = NULL;

  if (self->pin == NULL || fingerprint == NULL)
    return FALSE;
  normalized = normalize_fingerprint (fingerprint);
  return g_strcmp0 (normalized, self->pin) == 0;
}

guint64
ct_http_get_bytes_received (CtHttp *self)
{
  return self->bytes_received;
}

guint
ct_http_get_request_count (CtHttp *self)
{
  return self->request_count;
}

/* Secrets travel in these headers; the log shows only that they were there. */
static gboolean
header_is_secret (const char *name)
{
  return g_ascii_strcasecmp (name, "Authorization") == 0 ||
         g_ascii_strcasecmp (name, "Cookie") == 0 ||
         g_ascii_strcasecmp (name, "Set-Cookie") == 0 ||
         g_ascii_strcasecmp (name, "X-N8N-API-KEY") == 0 ||
         g_ascii_strcasecmp (name, "Proxy-Authorization") == 0 ||
         g_ascii_strcasecmp (name, "X-Api-Key") == 0;
}

static void
append_header_for_log (const char *name,
                       const char *value,
                       gpointer    user_data)
{
  GString *out = user_data;

  g_string_append_printf (out, " %s=%s", name, header_is_secret (name) ? "[redacted]" : value);
}

static gboolean
debug_enabled (void)
{
  return !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN);
}

static gboolean
on_accept_certificate (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  SendData *data = user_data;

  /* Only called when normal verification failed. A pinned fingerprint is
   * the user's explicit choice for this one certificate, nothing wider. */
  g_free (data->peer_fingerprint);
  data->peer_fingerprint = ct_http_certificate_fingerprint (certificate);
  data->tls_errors = errors;
  if (pin_matches (data->self, data->peer_fingerprint))
    {
      g_debug ("%s: accepting the pinned certificate", data->host);
      return TRUE;
    }
  if (data->self->pin != NULL)
    data->pin_mismatch = TRUE;
  return FALSE;
}

static void
on_network_event (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  SendData *data = user_data;

  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKED && G_IS_TLS_CONNECTION (connection) &&
      data->self->pin != NULL)
    {
      GTlsCertificate *peer = g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (connection));
      g_autofree char *fingerprint = peer ? ct_http_certificate_fingerprint (peer) : NULL;

      /* A certificate an authority vouches for but which is not the pinned
       * one is refused too, before the request (and its key) is written. */
      if (!pin_matches (data->self, fingerprint))
        {
          g_free (data->peer_fingerprint);
          data->peer_fingerprint = g_steal_pointer (&fingerprint);
          data->pin_mismatch = TRUE;
          g_cancellable_cancel (data->op_cancellable);
        }
    }
  if (event == G_SOCKET_CLIENT_COMPLETE)
    destroy_source (&data->connect_timeout);
}

static void
on_wrote_headers (SoupMessage *msg,
                  gpointer     user_data)
{
  SendData *data = user_data;

  /* A kept-alive connection emits no network events: the request leaving
   * is proof enough that we are connected. */
  destroy_source (&data->connect_timeout);
}

static gboolean
on_call_timeout (gpointer user_data)
{
  SendData *data = user_data;

  data->timed_out = TRUE;
  g_clear_pointer (&data->call_timeout, g_source_unref);
  g_cancellable_cancel (data->op_cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
on_connect_timeout (gpointer user_data)
{
  SendData *data = user_data;

  data->connect_timed_out = TRUE;
  g_clear_pointer (&data->connect_timeout, g_source_unref);
  g_cancellable_cancel (data->op_cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_user_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  GCancellable *op_cancellable = user_data;

  g_cancellable_cancel (op_cancellable);
}

/* Every timer and idle of a request runs in the context its task returns
 * in (the caller's thread-default when it sent): a request sent from a
 * thread with a context of its own never depends on another thread's
 * loop, and its timers and its answer are always in step. */
static GSource *
add_timeout (SendData    *data,
             guint        ms,
             GSourceFunc  func,
             gpointer     user_data)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, user_data, NULL);
  g_source_attach (source, data->context);
  return source;
}

static void
return_soon (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  GSource *idle = g_idle_source_new ();

  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, return_response, task, NULL);
  g_source_attach (idle, data->context);
  g_source_unref (idle);
}

static char *
describe_duration (guint ms)
{
  if (ms < 1000)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u millisecond", "%u milliseconds", ms),
                            ms);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", ms / 1000),
                          ms / 1000);
}

static char *
describe_tls_errors (GTlsCertificateFlags flags)
{
  GString *out = g_string_new (NULL);

#define ADD(flag, text) \
  if (flags & (flag)) \
    { \
      if (out->len > 0) \
        g_string_append (out, "; "); \
      g_string_append (out, text); \
    }
  ADD (G_TLS_CERTIFICATE_EXPIRED, _("it has expired"));
  ADD (G_TLS_CERTIFICATE_NOT_ACTIVATED, _("it is not valid yet"));
  ADD (G_TLS_CERTIFICATE_UNKNOWN_CA, _("it is not signed by an authority this computer trusts"));
  ADD (G_TLS_CERTIFICATE_BAD_IDENTITY, _("it was issued for another name"));
  ADD (G_TLS_CERTIFICATE_REVOKED, _("it has been revoked"));
  ADD (G_TLS_CERTIFICATE_INSECURE, _("it uses an insecure algorithm"));
  ADD (G_TLS_CERTIFICATE_GENERIC_ERROR, _("it could not be checked"));
#undef ADD
  if (out->len == 0)
    g_string_append (out, _("the secure connection could not be set up"));
  return g_string_free (out, FALSE);
}

static void
finish_with_error (GTask  *task,
                   GError *error)
{
  SendData *data = g_task_get_task_data (task);

  destroy_source (&data->call_timeout);
  destroy_source (&data->connect_timeout);
  tally_done (data, 0);
  if (debug_enabled ())
    g_debug ("%s %s%s%s failed after %.1f ms (attempt %u): %s",
             data->method, data->host, data->path, data->label,
             (g_get_monotonic_time () - data->start_us) / 1000.0, data->attempt,
             error->message);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static gboolean
on_backoff_done (gpointer user_data)
{
  GTask *task = user_data;
  SendData *data = g_task_get_task_data (task);

  g_clear_pointer (&data->backoff, g_source_unref);
  if (g_cancellable_is_cancelled (data->op_cancellable))
    {
      finish_with_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                    _("Operation was cancelled")));
      return G_SOURCE_REMOVE;
    }
  start_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
maybe_retry (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  guint delay;

  if (data->attempt >= data->max_attempts || data->timed_out ||
      g_cancellable_is_cancelled (data->op_cancellable))
    return FALSE;

  delay = data->self->backoff_ms << MIN (data->attempt - 1, 6u);
  g_debug ("%s %s%s%s: retrying in %u ms (attempt %u of %u)", data->method, data->host,
           data->path, data->label, delay, data->attempt + 1, data->max_attempts);
  destroy_source (&data->call_timeout);
  destroy_source (&data->connect_timeout);
  g_signal_handlers_disconnect_by_data (data->msg, data);
  g_clear_object (&data->msg);
  g_clear_object (&data->stream);
  data->backoff = add_timeout (data, delay, on_backoff_done, task);
  return TRUE;
}

static void
handle_transport_error (GTask  *task,
                        GError *error)
{
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) owned = error;
  GError *mapped;

  if (data->pin_mismatch)
    {
      g_autofree char *message =
        g_strdup_printf (_("The certificate of %s is not the one you chose to trust: "
                           "it has changed since, so the connection was refused."),
                         data->host);
      mapped = ct_odoo_error_new_full (CT_ODOO_ERROR_TLS, message, 0, -1, NULL, NULL, NULL);
      ct_odoo_error_set_certificate (mapped, data->peer_fingerprint);
    }
  else if (data->timed_out)
    {
      g_autofree char *limit = describe_duration (data->self->call_timeout_ms);
      g_autofree char *message =
        g_strdup_printf (_("%s at %s did not answer within %s."), data->self->what,
                         data->host, limit);
      mapped = ct_odoo_error_new_full (CT_ODOO_ERROR_TIMEOUT, message, 0, -1, NULL, NULL, NULL);
    }
  else if (data->connect_timed_out)
    {
      g_autofree char *limit = describe_duration (data->self->connect_timeout_ms);
      g_autofree char *message =
        g_strdup_printf (_("Could not connect to %s within %s."), data->host, limit);
      mapped = ct_odoo_error_new_full (CT_ODOO_ERROR_TIMEOUT, message, 0, -1, NULL, NULL, NULL);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      mapped = g_steal_pointer (&owned);
    }
  else if (error->domain == G_TLS_ERROR)
    {
      GTlsCertificateFlags flags = data->tls_errors;
      g_autofree char *why = NULL;
      g_autofree char *message = NULL;

      if (flags == 0 && data->msg != NULL)
        flags = soup_message_get_tls_peer_certificate_errors (data->msg);
      why = describe_tls_errors (flags);
      message = g_strdup_printf (_("The certificate of %s cannot be trusted: %s."),
                                 data->host, why);
      mapped = ct_odoo_error_new_full (CT_ODOO_ERROR_TLS, message, 0, -1, NULL,
                                       error->message, NULL);
      ct_odoo_error_set_certificate (mapped, data->peer_fingerprint);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_autofree char *message =
        g_strdup_printf (_("%s at %s did not answer in time."), data->self->what, data->host);
      mapped = ct_odoo_error_new_full (CT_ODOO_ERROR_TIMEOUT, message, 0, -1, NULL,
                                       error->message, NULL);
    }
  else
    {
      g_autofree char *message = NULL;

      if (maybe_retry (task))
        return;
      message = g_strdup_printf (_("Could not reach %s at %s: %s"), data->self->what,
                                 data->host, error->message);
      mapped = ct_odoo_error_new_full (CT_ODOO_ERROR_NETWORK, message, 0, -1, NULL,
                                       error->message, NULL);
    }
  finish_with_error (task, mapped);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  SendData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  CtHttpResponse *response;
  const char *content_type;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      handle_transport_error (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) > 0)
    {
      if (data->buffer->len + g_bytes_get_size (chunk) > data->self->max_size)
        {
          g_autofree char *size = g_format_size (data->self->max_size);
          g_autofree char *message =
            g_strdup_printf (_("The answer from %s is larger than %s; it was not read."),
                             data->host, size);

          g_cancellable_cancel (data->op_cancellable);
          finish_with_error (task, ct_odoo_error_new_full (CT_ODOO_ERROR_PROTOCOL, message,
                                                           soup_message_get_status (data->msg),
                                                           -1, NULL, NULL, NULL));
          return;
        }
      g_byte_array_append (data->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                       data->op_cancellable, on_read, task);
      return;
    }

  destroy_source (&data->call_timeout);
  destroy_source (&data->connect_timeout);

  response = g_new0 (CtHttpResponse, 1);
  response->status = soup_message_get_status (data->msg);
  content_type = soup_message_headers_get_content_type (
    soup_message_get_response_headers (data->msg), NULL);
  response->content_type = g_strdup (content_type);
  response->elapsed_us = g_get_monotonic_time () - data->start_us;
  response->attempts = data->attempt;
  response->body = g_byte_array_free_to_bytes (g_steal_pointer (&data->buffer));
  data->self->bytes_received += g_bytes_get_size (response->body);
  tally_done (data, g_bytes_get_size (response->body));

  if (debug_enabled ())
    {
      g_autoptr(GString) headers = g_string_new (NULL);

      soup_message_headers_foreach (soup_message_get_response_headers (data->msg),
                                    append_header_for_log, headers);
      g_debug ("%s %s%s%s -> HTTP %u, %" G_GSIZE_FORMAT " bytes, %.1f ms, attempt %u;%s",
               data->method, data->host, data->path, data->label, response->status,
               g_bytes_get_size (response->body), response->elapsed_us / 1000.0,
               data->attempt, headers->str);
    }

  /* Closing the body now hands the connection back to the pool before the
   * caller's callback runs, so a follow-up request reuses it (keep-alive). */
  g_input_stream_close (data->stream, NULL, NULL);
  g_clear_object (&data->stream);

  data->response = response;
  if (data->finished)
    return_soon (task);
  else
    {
      /* "finished" follows the end of the body at once; should it ever not,
       * the answer must not wait for it. */
      data->return_when_finished = task;
      data->finish_fallback = add_timeout (data, 250, on_finish_fallback, data);
    }
}

static gboolean
on_finish_fallback (gpointer user_data)
{
  SendData *data = user_data;

  g_clear_pointer (&data->finish_fallback, g_source_unref);
  if (data->return_when_finished != NULL)
    return_soon (g_steal_pointer (&data->return_when_finished));
  return G_SOURCE_REMOVE;
}

static void
on_finished (SoupMessage *msg,
             gpointer     user_data)
{
  SendData *data = user_data;

  data->finished = TRUE;
  destroy_source (&data->finish_fallback);
  if (data->return_when_finished != NULL)
    {
      return_soon (g_steal_pointer (&data->return_when_finished));
    }
}

/* libsoup puts the connection back in its pool from the main loop once the
 * message is done; returning one iteration later lets the caller's next
 * request reuse it instead of opening another. */
static gboolean
return_response (gpointer user_data)
{
  GTask *task = user_data;
  SendData *data = g_task_get_task_data (task);
  CtHttpResponse *response = g_steal_pointer (&data->response);

  g_task_return_pointer (task, response, (GDestroyNotify) ct_http_response_free);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  SendData *data = g_task_get_task_data (task);
  GError *error = NULL;
  SoupMessageHeaders *headers;
  guint status;

  data->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (data->stream == NULL)
    {
      handle_transport_error (task, error);
      return;
    }

  status = soup_message_get_status (data->msg);
  /* 502 and 503 are a proxy or a restarting server: worth another try for
   * a read, never for a write (the caller decides with max_attempts). */
  if ((status == SOUP_STATUS_BAD_GATEWAY || status == SOUP_STATUS_SERVICE_UNAVAILABLE) &&
      maybe_retry (task))
    return;

  headers = soup_message_get_response_headers (data->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_one (headers, "Content-Encoding") == NULL &&
      (guint64) soup_message_headers_get_content_length (headers) > data->self->max_size)
    {
      g_autofree char *size = g_format_size (data->self->max_size);
      g_autofree char *message =
        g_strdup_printf (_("The answer from %s is larger than %s; it was not read."),
                         data->host, size);

      g_cancellable_cancel (data->op_cancellable);
      finish_with_error (task, ct_odoo_error_new_full (CT_ODOO_ERROR_PROTOCOL, message, status,
                                                       -1, NULL, NULL, NULL));
      return;
    }

  data->buffer = g_byte_array_new ();
  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   data->op_cancellable, on_read, task);
}

static void
start_attempt (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  SoupMessageHeaders *request_headers;

  data->attempt++;
  data->self->request_count++;
  tally_sent (data);
  data->tls_errors = 0;
  data->finished = FALSE;
  g_clear_pointer (&data->buffer, g_byte_array_unref);

  data->msg = soup_message_new (data->method, data->uri);
  /* libsoup sends a POST over a fresh connection unless told it may be
   * replayed. Reads may (we retry them anyway): they reuse kept-alive
   * connections. Writes keep the fresh connection, so a stale one can never
   * make a change fail half-way. */
  if (data->max_attempts > 1)
    soup_message_add_flags (data->msg, SOUP_MESSAGE_IDEMPOTENT);
  request_headers = soup_message_get_request_headers (data->msg);
  soup_message_headers_replace (request_headers, "Accept", "application/json");
  for (guint i = 0; data->headers != NULL && data->headers[i] && data->headers[i + 1]; i += 2)
    soup_message_headers_replace (request_headers, data->headers[i], data->headers[i + 1]);
  if (data->body != NULL)
    soup_message_set_request_body_from_bytes (data->msg, "application/json", data->body);

  g_signal_connect (data->msg, "accept-certificate", G_CALLBACK (on_accept_certificate), data);
  g_signal_connect (data->msg, "network-event", G_CALLBACK (on_network_event), data);
  g_signal_connect (data->msg, "wrote-headers", G_CALLBACK (on_wrote_headers), data);
  g_signal_connect (data->msg, "finished", G_CALLBACK (on_finished), data);

  if (data->self->call_timeout_ms > 0)
    data->call_timeout = add_timeout (data, data->self->call_timeout_ms, on_call_timeout, data);
  if (data->self->connect_timeout_ms > 0)
    data->connect_timeout = add_timeout (data, data->self->connect_timeout_ms,
                                         on_connect_timeout, data);

  if (debug_enabled ())
    {
      g_autoptr(GString) headers = g_string_new (NULL);

      soup_message_headers_foreach (request_headers, append_header_for_log, headers);
      g_debug ("%s %s%s%s: sending %" G_GSIZE_FORMAT " bytes (attempt %u);%s",
               data->method, data->host, data->path, data->label,
               data->body ? g_bytes_get_size (data->body) : 0, data->attempt, headers->str);
    }

  soup_session_send_async (data->self->session, data->msg, G_PRIORITY_DEFAULT,
                           data->op_cancellable, on_sent, task);
}

void
ct_http_send_async (CtHttp              *self,
                    const char          *method,
                    const char          *uri,
                    const char * const  *headers,
                    GBytes              *body,
                    const char          *label,
                    guint                max_attempts,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GError) parse_error = NULL;
  GTask *task;
  SendData *data;

  g_return_if_fail (CT_IS_HTTP (self));
  g_return_if_fail (method != NULL && uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_http_send_async);

  parsed = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, &parse_error);
  if (parsed == NULL || g_uri_get_host (parsed) == NULL ||
      (g_strcmp0 (g_uri_get_scheme (parsed), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (parsed), "https") != 0))
    {
      g_task_return_new_error (task, CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL,
                               _("“%s” is not a web address."), uri);
      g_object_unref (task);
      return;
    }

  data = g_new0 (SendData, 1);
  data->self = g_object_ref (self);
  data->method = g_strdup (method);
  data->uri = g_strdup (uri);
  data->headers = g_strdupv ((char **) headers);
  data->body = body ? g_bytes_ref (body) : NULL;
  data->label = label ? g_strconcat (" ", label, NULL) : g_strdup ("");
  /* Only host and path are logged: a query or userinfo could carry secrets. */
  data->host = g_uri_get_port (parsed) > 0
             ? g_strdup_printf ("%s:%d", g_uri_get_host (parsed), g_uri_get_port (parsed))
             : g_strdup (g_uri_get_host (parsed));
  data->path = g_strdup (g_uri_get_path (parsed));
  data->max_attempts = MAX (1u, max_attempts);
  data->op_cancellable = g_cancellable_new ();
  data->start_us = g_get_monotonic_time ();
  data->context = g_main_context_ref (g_task_get_context (task));
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  if (cancellable != NULL)
    {
      data->user_cancellable = g_object_ref (cancellable);
      data->user_cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_user_cancelled),
                                                    data->op_cancellable, NULL);
      data->tally = g_object_get_qdata (G_OBJECT (cancellable), tally_quark ());
      if (data->tally != NULL)
        ct_http_tally_ref (data->tally);
    }

  start_attempt (task);
}

CtHttpResponse *
ct_http_send_finish (CtHttp        *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
