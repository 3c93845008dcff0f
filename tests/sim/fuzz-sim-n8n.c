/* fuzz-sim-n8n.c - libFuzzer target over the n8n side's request handling and fault specs
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fuzz-sim-n8n"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ct-sim-faults.h"
#include "ct-sim-n8n.h"

/* Input: FAULT-SPEC '\0' METHOD-BYTE TARGET '\n' BODY
 *
 * The fault spec goes to ct_sim_faults_parse (any error is fine, a crash is
 * not); when it parses, its rules apply to the request. The request is
 * built from the method byte, the target (path and query, bytes that would
 * break the request line percent-encoded) and the body, sent with the
 * simulator's API key over a socket pair to a SoupServer that routes it
 * like CtSimServer does, and the answer is read to the end. */

static const char *const methods[] = { "GET", "POST", "DELETE", "PUT", "PATCH", "HEAD" };

typedef struct
{
  CtSimN8n    *n8n;
  CtSimFaults *faults;
} Target;

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Target *target = user_data;
  guint delay_ms = 0;

  /* Latency is only a number here: pausing would only slow the fuzzer. */
  if (ct_sim_faults_before (target->faults, msg, path, &delay_ms))
    return;
  if (ct_sim_n8n_owns_path (path))
    ct_sim_n8n_handle (target->n8n, msg, path, query);
  else
    soup_server_message_set_status (msg, 404, NULL);
  ct_sim_faults_after (target->faults, msg, path);
}

static SoupServer *
get_server (Target *target)
{
  static SoupServer *server = NULL;

  if (server == NULL)
    {
      server = soup_server_new (NULL, NULL);
      soup_server_add_handler (server, NULL, server_cb, target, NULL);
    }
  return server;
}

static GSocketAddress *
get_address (void)
{
  static GSocketAddress *address = NULL;

  if (address == NULL)
    address = g_inet_socket_address_new_from_string ("127.0.0.1", 5678);
  return address;
}

static void
append_target (GString      *out,
               const guint8 *data,
               gsize         len)
{
  if (len == 0 || data[0] != '/')
    g_string_append_c (out, '/');
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] <= 0x20 || data[i] >= 0x7f || data[i] == '#')
        g_string_append_printf (out, "%%%02X", data[i]);
      else
        g_string_append_c (out, (char) data[i]);
    }
}

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A critical or a warning is a bug the fuzzer must report. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static Target target;
  const guint8 *nul = memchr (data, '\0', size);
  const guint8 *request = nul != NULL ? nul + 1 : data;
  gsize request_len = size - (gsize) (request - data);
  const guint8 *newline;
  gsize target_len;
  g_autoptr(GString) wire = g_string_new (NULL);
  g_autoptr(GSocket) server_socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  SoupServer *server;
  int fds[2];
  gsize written = 0;
  guint spins = 0;

  /* Odd-sized inputs meet the generated dataset (Odoo links, more kinds of
   * runs), even-sized ones the recorded one. */
  target.n8n = ct_sim_n8n_new (size, 30, NULL, size % 2 == 1 ? "generated" : "recorded");
  target.faults = ct_sim_faults_new ();
  server = get_server (&target);

  if (nul != NULL)
    {
      g_autofree char *spec = g_strndup ((const char *) data, (gsize) (nul - data));
      g_autoptr(GError) spec_error = NULL;

      if (!ct_sim_faults_parse (target.faults, spec, &spec_error))
        g_assert (spec_error != NULL && spec_error->message != NULL);
    }

  /* Some inputs only exercise the spec parser and the replay clock. */
  if (request_len > 0 && request[0] == 'R')
    {
      g_autofree char *name = g_strndup ((const char *) request + 1, request_len - 1);

      ct_sim_n8n_replay_until (target.n8n, name);
      request_len = 0;
    }

  if (request_len > 0)
    {
      const char *method = methods[request[0] % G_N_ELEMENTS (methods)];
      const guint8 *rest = request + 1;
      gsize rest_len = request_len - 1;

      newline = memchr (rest, '\n', rest_len);
      target_len = newline != NULL ? (gsize) (newline - rest) : rest_len;
      g_string_append_printf (wire, "%s ", method);
      append_target (wire, rest, MIN (target_len, 4096));
      g_string_append_printf (wire, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                    "X-N8N-API-KEY: %s\r\n", ct_sim_n8n_get_api_key (target.n8n));
      if (newline != NULL)
        {
          gsize body_len = rest_len - target_len - 1;

          g_string_append_printf (wire, "Content-Type: application/json\r\n"
                                        "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", body_len);
          g_string_append_len (wire, (const char *) newline + 1, (gssize) body_len);
        }
      else
        {
          g_string_append (wire, "\r\n");
        }

      if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        g_error ("socketpair: %s", g_strerror (errno));
      server_socket = g_socket_new_from_fd (fds[0], &error);
      g_assert_no_error (error);
      connection = g_socket_connection_factory_create_connection (server_socket);
      soup_server_accept_iostream (server, G_IO_STREAM (connection), get_address (),
                                   get_address (), &error);
      g_assert_no_error (error);
      fcntl (fds[1], F_SETFL, O_NONBLOCK);

      /* Write the request and read the answer until the server closes. */
      while (spins++ < 200000)
        {
          char buffer[16384];
          ssize_t n;

          if (written < wire->len)
            {
              n = write (fds[1], wire->str + written, wire->len - written);
              if (n > 0)
                written += (gsize) n;
            }
          g_main_context_iteration (NULL, FALSE);
          n = read (fds[1], buffer, sizeof buffer);
          if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
            break;
        }
      close (fds[1]);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }

  g_clear_object (&target.n8n);
  g_clear_pointer (&target.faults, ct_sim_faults_free);
  return 0;
}
