/* ct-sim-faults.c - Faults the simulator injects on purpose
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sim-faults"

#include "config.h"

#include <string.h>

#include "ct-sim-faults.h"

typedef enum
{
  FAULT_LATENCY,
  FAULT_HTTP500,
  FAULT_HTTP502,
  FAULT_HTTP503,
  FAULT_TRUNCATE,
  FAULT_BADJSON,
  FAULT_RESET,
  FAULT_EXPIRE_SESSION,
  FAULT_NOOP,           /* answer success (JSON-2 null) without handling the call */
  FAULT_LOSE_ANSWER,    /* handle the call, then drop the connection before answering */
} FaultKind;

static const struct
{
  const char *name;
  FaultKind   kind;
  gboolean    needs_arg;
} fault_kinds[] = {
  { "latency", FAULT_LATENCY, TRUE },
  { "http500", FAULT_HTTP500, FALSE },
  { "http502", FAULT_HTTP502, FALSE },
  { "http503", FAULT_HTTP503, FALSE },
  { "truncate", FAULT_TRUNCATE, FALSE },
  { "badjson", FAULT_BADJSON, FALSE },
  { "reset", FAULT_RESET, FALSE },
  { "expire-session", FAULT_EXPIRE_SESSION, TRUE },
  { "noop", FAULT_NOOP, FALSE },
  { "lose-answer", FAULT_LOSE_ANSWER, FALSE },
};

typedef struct
{
  FaultKind  kind;
  char      *route;      /* (owned) (nullable): path prefix; NULL matches every path */
  guint      arg;        /* latency ms, or calls before a session expires */
  gint64     remaining;  /* matching requests still to hit; -1 is unlimited */
  guint      calls;      /* expire-session: authenticated calls since the last expiry */
} FaultRule;

struct _CtSimFaults
{
  GMutex     lock;
  GPtrArray *rules;      /* (owned) (element-type FaultRule) */
};

/* What a reverse proxy in front of a real server answers when the upstream
 * misbehaves: clients meet these HTML pages where they expect JSON. */
static const char *const proxy_page_fmt =
  "<html>\r\n"
  "<head><title>%u %s</title></head>\r\n"
  "<body>\r\n"
  "<center><h1>%u %s</h1></center>\r\n"
  "<hr><center>nginx/1.22.1</center>\r\n"
  "</body>\r\n"
  "</html>\r\n";

/* Not JSON at all, but starts like a JSON answer so that a parser fails
 * halfway rather than on the first byte. */
static const char bad_json[] = "{\"data\": [{\"id\": \"1\", \"status\": error,}";

static void
fault_rule_free (FaultRule *rule)
{
  g_free (rule->route);
  g_free (rule);
}

static gboolean
rule_matches (const FaultRule *rule,
              const char      *path)
{
  if (rule->remaining == 0)
    return FALSE;
  if (rule->route == NULL)
    return TRUE;
  return path != NULL && g_str_has_prefix (path, rule->route);
}

static void
rule_consume (FaultRule *rule)
{
  if (rule->remaining > 0)
    rule->remaining--;
}

static gboolean
parse_uint (const char *text,
            gsize       len,
            guint64     max,
            guint64    *out)
{
  g_autofree char *copy = NULL;

  if (len == 0)
    return FALSE;
  copy = g_strndup (text, len);
  return g_ascii_string_to_unsigned (copy, 10, 0, max, out, NULL);
}

/* Parses one RULE that starts at byte @offset of the whole spec (for the
 * error message: a user typing --faults wants to see where it went wrong). */
static FaultRule *
parse_rule (const char  *rule_text,
            gsize        len,
            guint        index,
            gsize        offset,
            GError     **error)
{
  g_autoptr(GString) kind_name = g_string_new (NULL);
  g_autofree char *shown = g_strndup (rule_text, len);
  FaultRule *rule;
  const char *p = rule_text;
  const char *end = rule_text + len;
  const char *arg_text = NULL;
  gsize arg_len = 0;
  gboolean found = FALSE;
  gboolean needs_arg = FALSE;

  while (p < end && *p != '@' && *p != ':' && *p != '*')
    g_string_append_c (kind_name, *p++);

  rule = g_new0 (FaultRule, 1);
  rule->remaining = -1;

  for (guint i = 0; i < G_N_ELEMENTS (fault_kinds); i++)
    {
      if (g_strcmp0 (kind_name->str, fault_kinds[i].name) == 0)
        {
          rule->kind = fault_kinds[i].kind;
          needs_arg = fault_kinds[i].needs_arg;
          found = TRUE;
          break;
        }
    }
  if (!found)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Fault rule %u (“%s”) at character %" G_GSIZE_FORMAT
                   ": unknown kind “%s” (expected latency, http500, http502, http503, "
                   "truncate, badjson, reset, expire-session, noop or lose-answer)",
                   index, shown, offset, kind_name->str);
      fault_rule_free (rule);
      return NULL;
    }

  if (p < end && *p == '@')
    {
      const char *route = ++p;

      while (p < end && *p != ':' && *p != '*')
        p++;
      if (p == route || *route != '/')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Fault rule %u (“%s”) at character %" G_GSIZE_FORMAT
                       ": a route must be a path starting with “/”",
                       index, shown, offset + (gsize) (route - rule_text));
          fault_rule_free (rule);
          return NULL;
        }
      rule->route = g_strndup (route, p - route);
    }

  if (p < end && *p == ':')
    {
      arg_text = ++p;
      while (p < end && *p != '*')
        p++;
      arg_len = p - arg_text;
    }

  if (needs_arg)
    {
      guint64 value = 0;
      guint64 max = rule->kind == FAULT_LATENCY ? 600000 : G_MAXUINT;

      if (arg_text == NULL || !parse_uint (arg_text, arg_len, max, &value)
          || (rule->kind == FAULT_EXPIRE_SESSION && value == 0))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Fault rule %u (“%s”) at character %" G_GSIZE_FORMAT
                       ": “%s” needs “:N” with N %s",
                       index, shown,
                       offset + (arg_text != NULL ? (gsize) (arg_text - rule_text) : len),
                       kind_name->str,
                       rule->kind == FAULT_LATENCY ? "milliseconds (0–600000)"
                                                   : "calls (1 or more)");
          fault_rule_free (rule);
          return NULL;
        }
      rule->arg = (guint) value;
    }
  else if (arg_text != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Fault rule %u (“%s”) at character %" G_GSIZE_FORMAT
                   ": “%s” takes no “:” argument",
                   index, shown, offset + (gsize) (arg_text - 1 - rule_text), kind_name->str);
      fault_rule_free (rule);
      return NULL;
    }

  if (p < end && *p == '*')
    {
      const char *count_text = ++p;
      guint64 count = 0;

      if (!parse_uint (count_text, end - count_text, G_MAXINT32, &count) || count == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Fault rule %u (“%s”) at character %" G_GSIZE_FORMAT
                       ": “*” needs a count of 1 or more",
                       index, shown, offset + (gsize) (count_text - rule_text));
          fault_rule_free (rule);
          return NULL;
        }
      rule->remaining = (gint64) count;
    }

  return rule;
}

static const char *
reason_for (guint status)
{
  const char *phrase = soup_status_get_phrase (status);

  return phrase != NULL ? phrase : "Error";
}

/**
 * ct_sim_faults_new:
 *
 * Returns: a rule set with no rules: every request passes untouched.
 */
CtSimFaults *
ct_sim_faults_new (void)
{
  CtSimFaults *self = g_new0 (CtSimFaults, 1);

  g_mutex_init (&self->lock);
  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_rule_free);
  return self;
}

void
ct_sim_faults_free (CtSimFaults *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->rules);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/**
 * ct_sim_faults_parse:
 *
 * Adds the rules of @spec to the set. Nothing is added when any rule is
 * wrong, and the error names the rule and the character where it failed.
 */
gboolean
ct_sim_faults_parse (CtSimFaults  *self,
                     const char   *spec,
                     GError      **error)
{
  g_autoptr(GPtrArray) parsed = NULL;
  const char *p;
  guint index = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_rule_free);
  p = spec;
  while (*p != '\0')
    {
      const char *start = p;
      const char *stop;
      FaultRule *rule;

      while (*p != '\0' && *p != ';')
        p++;
      stop = p;
      if (*p == ';')
        p++;

      /* Tolerate blanks around rules ("a; b") and a trailing ';'. */
      while (start < stop && g_ascii_isspace (*start))
        start++;
      while (stop > start && g_ascii_isspace (stop[-1]))
        stop--;
      if (start == stop)
        continue;

      index++;
      rule = parse_rule (start, stop - start, index, start - spec, error);
      if (rule == NULL)
        return FALSE;
      g_ptr_array_add (parsed, rule);
    }

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < parsed->len; i++)
    g_ptr_array_add (self->rules, g_steal_pointer (&parsed->pdata[i]));
  g_mutex_unlock (&self->lock);
  g_ptr_array_set_free_func (parsed, NULL);

  return TRUE;
}

void
ct_sim_faults_clear (CtSimFaults *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->rules, 0);
  g_mutex_unlock (&self->lock);
}

gboolean
ct_sim_faults_before (CtSimFaults       *self,
                      SoupServerMessage *msg,
                      const char        *path,
                      guint             *delay_ms)
{
  FaultKind answer = FAULT_LATENCY;
  gboolean answered = FALSE;
  guint delay = 0;

  g_return_val_if_fail (self != NULL, FALSE);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->rules->len; i++)
    {
      FaultRule *rule = g_ptr_array_index (self->rules, i);

      if (!rule_matches (rule, path))
        continue;

      switch (rule->kind)
        {
        case FAULT_LATENCY:
          /* Several latency rules add up, like several slow hops would. */
          delay = MIN (delay + rule->arg, 600000u);
          rule_consume (rule);
          break;

        case FAULT_HTTP500:
        case FAULT_HTTP502:
        case FAULT_HTTP503:
        case FAULT_RESET:
        case FAULT_NOOP:
          /* The first answering rule wins; later ones keep their count. */
          if (!answered)
            {
              answer = rule->kind;
              answered = TRUE;
              rule_consume (rule);
            }
          break;

        case FAULT_TRUNCATE:
        case FAULT_BADJSON:
        case FAULT_EXPIRE_SESSION:
        case FAULT_LOSE_ANSWER:
        default:
          break;
        }
    }
  g_mutex_unlock (&self->lock);

  if (delay_ms != NULL)
    *delay_ms = answered ? 0 : delay;

  if (!answered)
    return FALSE;

  if (answer == FAULT_NOOP)
    {
      /* What a server that ignores the call says: success, nothing changed
       * (a JSON-2 method returning None; JSON-RPC without "result"). */
      const char *body = path != NULL && g_str_has_prefix (path, "/json/2/")
                         ? "null" : "{\"jsonrpc\": \"2.0\", \"id\": null}";

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_STATIC,
                                        body, strlen (body));
    }
  else if (answer == FAULT_RESET)
    {
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

      g_debug ("Resetting the connection of %s on purpose", path != NULL ? path : "?");
      if (stream != NULL)
        g_io_stream_close (stream, NULL, NULL);
    }
  else
    {
      guint status = answer == FAULT_HTTP500 ? 500 : answer == FAULT_HTTP502 ? 502 : 503;
      g_autofree char *page = g_strdup_printf (proxy_page_fmt,
                                               status, reason_for (status),
                                               status, reason_for (status));

      soup_server_message_set_status (msg, status, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_COPY,
                                        page, strlen (page));
    }

  return TRUE;
}

void
ct_sim_faults_after (CtSimFaults       *self,
                     SoupServerMessage *msg,
                     const char        *path)
{
  gboolean truncate = FALSE;
  gboolean badjson = FALSE;
  gboolean lose = FALSE;

  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->rules->len; i++)
    {
      FaultRule *rule = g_ptr_array_index (self->rules, i);

      if (!rule_matches (rule, path))
        continue;
      if (rule->kind == FAULT_TRUNCATE && !truncate && !badjson)
        {
          truncate = TRUE;
          rule_consume (rule);
        }
      else if (rule->kind == FAULT_BADJSON && !truncate && !badjson)
        {
          badjson = TRUE;
          rule_consume (rule);
        }
      else if (rule->kind == FAULT_LOSE_ANSWER && !lose)
        {
          lose = TRUE;
          rule_consume (rule);
        }
    }
  g_mutex_unlock (&self->lock);

  if (lose)
    {
      /* The server applied the call; the network loses its answer. */
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

      g_debug ("Dropping the answer of %s on purpose", path != NULL ? path : "?");
      if (stream != NULL)
        g_io_stream_close (stream, NULL, NULL);
      return;
    }

  if (truncate)
    {
      SoupMessageBody *body = soup_server_message_get_response_body (msg);
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
      g_autofree char *content_type = g_strdup (soup_message_headers_get_content_type (headers,
                                                                                        NULL));
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      gsize size = 0;
      const char *data = g_bytes_get_data (bytes, &size);
      g_autofree char *half = g_strndup (data, size / 2);

      /* set_response appends to what is there: empty the body first. */
      soup_message_body_truncate (body);

      /* The headers then announce the shortened length: a proxy that cut
       * the upstream's answer short sends a complete but incomplete body. */
      soup_server_message_set_response (msg, content_type != NULL ? content_type
                                                                 : "application/json",
                                        SOUP_MEMORY_COPY, half, size / 2);
    }
  else if (badjson)
    {
      soup_message_body_truncate (soup_server_message_get_response_body (msg));
      soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                        SOUP_MEMORY_STATIC, bad_json, strlen (bad_json));
    }
}

/* A session expires on every (N+1)-th authenticated call of an
 * "expire-session:N" rule, then the count starts again: a client that signs
 * in again gets N good calls before the next expiry, as with a short server
 * session lifetime. "*COUNT" limits how many expiries happen. */
gboolean
ct_sim_faults_session_should_expire (CtSimFaults *self)
{
  gboolean expire = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->rules->len; i++)
    {
      FaultRule *rule = g_ptr_array_index (self->rules, i);

      if (rule->kind != FAULT_EXPIRE_SESSION || rule->remaining == 0)
        continue;
      if (rule->calls >= rule->arg)
        {
          rule->calls = 0;
          rule_consume (rule);
          expire = TRUE;
        }
      else
        {
          rule->calls++;
        }
    }
  g_mutex_unlock (&self->lock);

  return expire;
}
