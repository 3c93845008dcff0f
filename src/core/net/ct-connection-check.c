/* ct-connection-check.c - Checks a connection before it is saved, step by step
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-connection-check"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ct-connection-check.h"
#include "ct-n8n-client.h"
#include "ct-odoo-client.h"

/* The approval mechanisms Control Tower reads, in the order shown. */
static const struct
{
  const char *model;
  const char *title;
} mechanisms[] = {
  { "tier.review", N_("Tier validation (OCA)") },
  { "approval.request", N_("Approvals app") },
  { "purchase.order", N_("Purchase order approval") },
  { "mail.activity", N_("Activities") },
};

#define N_MECHANISMS G_N_ELEMENTS (mechanisms)

typedef enum
{
  STEP_CONNECT,
  STEP_COMPANIES,
  STEP_DOUBLE_VALIDATION,
  STEP_READABLE,        /* one per present mechanism, index in `probe` */
  STEP_N8N,
  STEP_DONE,
} Step;

typedef enum
{
  PRESENCE_UNKNOWN,
  PRESENCE_ABSENT,
  PRESENCE_PRESENT,
} Presence;

typedef struct
{
  CtConnection  *connection;
  char          *secret;
  char          *n8n_api_key;
  CtOdooClient  *client;
  CtN8nClient   *n8n;
  GPtrArray     *items;
  Step           step;
  guint          probe;
  Presence       presence[N_MECHANISMS];
  char          *double_validation;   /* a sentence, or NULL */
} CheckData;

static void check_next (GTask *task);

void
ct_check_item_free (CtCheckItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item->title);
  g_free (item->text);
  g_free (item->certificate_sha256);
  g_free (item);
}

const char *
ct_check_state_to_string (CtCheckState state)
{
  switch (state)
    {
    case CT_CHECK_OK:
      return "ok";
    case CT_CHECK_WARNING:
      return "warning";
    case CT_CHECK_ERROR:
      return "error";
    case CT_CHECK_SKIPPED:
    default:
      return "skipped";
    }
}

char *
ct_connection_check_to_text (GPtrArray *items)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      CtCheckItem *item = items->pdata[i];

      g_string_append_printf (out, "[%s] %s: %s\n", ct_check_state_to_string (item->state),
                              item->title ? item->title : item->id, item->text);
      if (item->certificate_sha256 != NULL)
        g_string_append_printf (out, "    %s %s\n", _("Certificate SHA-256:"),
                                item->certificate_sha256);
    }
  return g_string_free (out, FALSE);
}

gboolean
ct_connection_check_passed (GPtrArray *items)
{
  for (guint i = 0; i < items->len; i++)
    if (((CtCheckItem *) items->pdata[i])->state == CT_CHECK_ERROR)
      return FALSE;
  return TRUE;
}

static void
check_data_free (CheckData *data)
{
  ct_connection_free (data->connection);
  if (data->secret != NULL)
    explicit_bzero (data->secret, strlen (data->secret));
  g_free (data->secret);
  if (data->n8n_api_key != NULL)
    explicit_bzero (data->n8n_api_key, strlen (data->n8n_api_key));
  g_free (data->n8n_api_key);
  g_clear_object (&data->client);
  g_clear_object (&data->n8n);
  g_ptr_array_unref (data->items);
  g_free (data->double_validation);
  g_free (data);
}

G_GNUC_PRINTF (4, 5)
static void
add_item (CheckData    *data,
          const char   *id,
          CtCheckState  state,
          const char   *format,
          ...)
{
  CtCheckItem *item = g_new0 (CtCheckItem, 1);
  va_list args;

  item->id = g_strdup (id);
  item->state = state;
  va_start (args, format);
  item->text = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (data->items, item);
  g_debug ("check %s: %s: %s", id, ct_check_state_to_string (state), item->text);
}

static void
set_last_title (CheckData  *data,
                const char *title)
{
  CtCheckItem *item = data->items->pdata[data->items->len - 1];

  g_free (item->title);
  item->title = g_strdup (title);
}

static void
skip (CheckData  *data,
      const char *id,
      const char *title)
{
  add_item (data, id, CT_CHECK_SKIPPED, "%s", _("Not checked because an earlier step failed."));
  set_last_title (data, title);
}

static void
skip_rest_of_odoo (CheckData *data,
                   gboolean   from_database)
{
  if (from_database)
    {
      skip (data, "database", _("Database"));
      skip (data, "login", _("Sign-in"));
    }
  skip (data, "companies", _("Companies"));
  skip (data, "approvals", _("Approval mechanisms"));
}

static void
report_connect_error (CheckData    *data,
                      const GError *error)
{
  const char *version = ct_odoo_client_get_server_version (data->client);

  if (error->domain == CT_CONNECTION_ERROR)
    {
      add_item (data, "reachable", CT_CHECK_ERROR, "%s", error->message);
      set_last_title (data, _("Server reachable"));
      skip (data, "version", _("Odoo version"));
      skip_rest_of_odoo (data, TRUE);
      return;
    }
  if (version == NULL)
    {
      const CtOdooErrorDetails *details = ct_odoo_error_get_details (error);
      CtCheckItem *item;

      /* Nothing usable came back: the server is not reachable as Odoo. */
      add_item (data, "reachable", CT_CHECK_ERROR, "%s", error->message);
      set_last_title (data, _("Server reachable"));
      item = data->items->pdata[data->items->len - 1];
      if (details != NULL && g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_TLS))
        item->certificate_sha256 = g_strdup (details->certificate_sha256);
      skip (data, "version", _("Odoo version"));
      skip_rest_of_odoo (data, TRUE);
      return;
    }

  add_item (data, "reachable", CT_CHECK_OK, _("The server at %s answers."),
            data->connection->odoo_url);
  set_last_title (data, _("Server reachable"));
  add_item (data, "version", CT_CHECK_OK, _("It runs Odoo %s."), version);
  set_last_title (data, _("Odoo version"));

  if (g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_FOUND))
    {
      add_item (data, "database", CT_CHECK_ERROR,
                _("There is no database named “%s” on this server. Check the name with "
                  "whoever runs Odoo."), data->connection->database);
      set_last_title (data, _("Database"));
      skip (data, "login", _("Sign-in"));
      skip_rest_of_odoo (data, FALSE);
      return;
    }
  add_item (data, "database", CT_CHECK_OK, _("The database “%s” exists."),
            data->connection->database);
  set_last_title (data, _("Database"));
  if (g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_AUTH))
    add_item (data, "login", CT_CHECK_ERROR,
              data->connection->secret_kind == CT_SECRET_KIND_API_KEY
              ? _("Odoo did not accept the login “%s” with this API key. Check that the key "
                  "belongs to this user and has not been revoked.")
              : _("Odoo did not accept the login “%s” with this password."),
              data->connection->login);
  else
    add_item (data, "login", CT_CHECK_ERROR, _("Signing in failed: %s"), error->message);
  set_last_title (data, _("Sign-in"));
  skip_rest_of_odoo (data, FALSE);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  CtOdooClient *client = CT_ODOO_CLIENT (source);

  if (!ct_odoo_client_connect_finish (client, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      report_connect_error (data, error);
      data->step = data->n8n_api_key != NULL ? STEP_N8N : STEP_DONE;
      check_next (g_steal_pointer (&task));
      return;
    }

  add_item (data, "reachable", CT_CHECK_OK, _("The server at %s answers."),
            data->connection->odoo_url);
  set_last_title (data, _("Server reachable"));
  if (ct_odoo_client_get_major_version (client) < 16)
    add_item (data, "version", CT_CHECK_WARNING,
              _("It runs Odoo %s; Control Tower is made for Odoo 16 and later, so some "
                "views may be incomplete."), ct_odoo_client_get_server_version (client));
  else
    add_item (data, "version", CT_CHECK_OK,
              ct_odoo_client_get_dialect (client) == CT_ODOO_DIALECT_JSON2
              ? _("It runs Odoo %s; Control Tower talks to it through the JSON-2 API "
                  "with your key.")
              : _("It runs Odoo %s; Control Tower talks to it through JSON-RPC."),
              ct_odoo_client_get_server_version (client));
  set_last_title (data, _("Odoo version"));
  add_item (data, "database", CT_CHECK_OK, _("The database “%s” exists."),
            data->connection->database);
  set_last_title (data, _("Database"));
  add_item (data, "login", CT_CHECK_OK, _("Signed in as “%s”."), data->connection->login);
  set_last_title (data, _("Sign-in"));

  data->step = STEP_COMPANIES;
  check_next (g_steal_pointer (&task));
}

static void
on_companies (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) records = NULL;

  records = ct_odoo_client_read_finish (CT_ODOO_CLIENT (source), result, &error);
  if (records == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      add_item (data, "companies", CT_CHECK_WARNING,
                _("Could not read your companies (%s); approvals of all your companies are "
                  "still shown."), error->message);
    }
  else
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (records); i++)
        {
          JsonNode *node = json_array_get_element (records, i);
          const char *name = JSON_NODE_HOLDS_OBJECT (node)
            ? json_object_get_string_member_with_default (json_node_get_object (node), "name", NULL)
            : NULL;

          if (name == NULL)
            continue;
          if (names->len > 0)
            g_string_append (names, ", ");
          g_string_append (names, name);
        }
      if (json_array_get_length (records) == 1)
        add_item (data, "companies", CT_CHECK_OK, _("You work in one company: %s."), names->str);
      else
        add_item (data, "companies", CT_CHECK_OK, _("You work in %u companies: %s."),
                  json_array_get_length (records), names->str);
    }
  set_last_title (data, _("Companies"));
  /* Which mechanisms exist comes from a search_count on each (404: not
   * installed, 403: not readable by you), never from ir.model, which only
   * administrators may read. */
  data->step = STEP_DOUBLE_VALIDATION;
  check_next (g_steal_pointer (&task));
}

static void
on_double_validation (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) records = NULL;

  records = ct_odoo_client_read_finish (CT_ODOO_CLIENT (source), result, &error);
  if (records != NULL)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (records); i++)
        {
          JsonNode *node = json_array_get_element (records, i);
          JsonObject *company;
          const char *mode;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          company = json_node_get_object (node);
          mode = json_object_get_string_member_with_default (company, "po_double_validation", NULL);
          if (g_strcmp0 (mode, "two_step") == 0)
            {
              const char *name = json_object_get_string_member_with_default (company, "name",
                                                                             "?");
              double amount = json_object_get_double_member_with_default (
                company, "po_double_validation_amount", 0);

              if (text->len > 0)
                g_string_append (text, " ");

              g_string_append_printf (text, _("%s asks a manager to approve orders above %.2f."),
                                      name, amount);
            }
        }
      if (text->len > 0)
        data->double_validation = g_string_free (g_steal_pointer (&text), FALSE);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->step = STEP_READABLE;
  data->probe = 0;
  check_next (g_steal_pointer (&task));
}

static void
on_readable (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint m = data->probe;
  gint64 count = 0;
  const char *model = mechanisms[m].model;

  if (ct_odoo_client_search_count_finish (CT_ODOO_CLIENT (source), result, &count, &error))
    {
      data->presence[m] = PRESENCE_PRESENT;
      if (g_str_equal (model, "purchase.order"))
        add_item (data, model, CT_CHECK_OK, "%s",
                  data->double_validation != NULL
                  ? data->double_validation
                  : _("Purchase orders are readable; no company asks for a second approval."));
      else
        add_item (data, model, CT_CHECK_OK,
                  _("Installed, and you may read them (%" G_GINT64_FORMAT " now)."), count);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  else if (g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_FOUND))
    {
      data->presence[m] = PRESENCE_ABSENT;
      add_item (data, model, CT_CHECK_OK, "%s", _("Not installed on this database."));
    }
  else if (g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_ACCESS))
    {
      g_autofree char *groups = ct_odoo_error_dup_allowed_groups (error);

      data->presence[m] = PRESENCE_PRESENT;
      if (groups != NULL)
        add_item (data, model, CT_CHECK_WARNING,
                  _("Installed, but not visible to you: Odoo lets only these groups read %s: "
                    "%s. Ask your Odoo administrator for one of them, or these approvals will "
                    "not show."), model, groups);
      else
        add_item (data, model, CT_CHECK_WARNING, "%s",
                  _("Installed, but your user may not read them: ask your Odoo administrator "
                    "for read access, or these approvals will not show."));
    }
  else
    add_item (data, model, CT_CHECK_WARNING, _("Could not check: %s"), error->message);
  set_last_title (data, _(mechanisms[m].title));

  data->probe++;
  check_next (g_steal_pointer (&task));
}

static void
on_n8n (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) executions = NULL;

  executions = ct_n8n_client_list_executions_finish (CT_N8N_CLIENT (source), result, &error);
  if (executions != NULL)
    add_item (data, "n8n", CT_CHECK_OK, "%s", _("n8n answers and accepts the API key."));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  else
    add_item (data, "n8n", CT_CHECK_ERROR, "%s", error->message);
  set_last_title (data, _("n8n"));
  data->step = STEP_DONE;
  check_next (g_steal_pointer (&task));
}

static void
check_next (GTask *task)
{
  CheckData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  switch (data->step)
    {
    case STEP_CONNECT:
      /* connect_async is started by ct_connection_check_async */
      g_assert_not_reached ();
      break;

    case STEP_COMPANIES:
      {
        guint n_ids;
        const gint64 *ids = ct_odoo_client_get_company_ids (data->client, &n_ids);
        static const char * const fields[] = { "name", NULL };

        ct_odoo_client_read_async (data->client, "res.company", ids, n_ids, fields, cancellable,
                                   on_companies, task);
      }
      break;

    case STEP_DOUBLE_VALIDATION:
      {
        guint n_ids;
        const gint64 *ids = ct_odoo_client_get_company_ids (data->client, &n_ids);
        static const char * const fields[] = {
          "name", "po_double_validation", "po_double_validation_amount", NULL,
        };

        /* Without Purchase the read fails and the step says nothing. */
        ct_odoo_client_read_async (data->client, "res.company", ids, n_ids, fields, cancellable,
                                   on_double_validation, task);
      }
      break;

    case STEP_READABLE:
      if (data->probe == 0)
        {
          add_item (data, "approvals", CT_CHECK_OK, "%s",
                    _("Checking which approval mechanisms this database has and whether you "
                      "may read them:"));
          set_last_title (data, _("Approval mechanisms"));
        }
      if (data->probe < N_MECHANISMS)
        {
          ct_odoo_client_search_count_async (data->client, mechanisms[data->probe].model, NULL,
                                             cancellable, on_readable, task);
          return;
        }
      {
        gboolean any = FALSE;
        CtCheckItem *summary = NULL;

        for (guint i = 0; i < data->items->len; i++)
          {
            CtCheckItem *item = data->items->pdata[i];

            if (g_str_equal (item->id, "approvals"))
              summary = item;
            for (guint m = 0; m < N_MECHANISMS; m++)
              if (g_str_equal (item->id, mechanisms[m].model) && item->state == CT_CHECK_OK &&
                  data->presence[m] == PRESENCE_PRESENT && !g_str_equal (item->id, "mail.activity"))
                any = TRUE;
          }
        if (summary != NULL && !any)
          {
            summary->state = CT_CHECK_WARNING;
            g_free (summary->text);
            summary->text = g_strdup (_("No approval mechanism you may read was found: "
                                        "Control Tower will only show activities."));
          }
        else if (summary != NULL)
          {
            g_free (summary->text);
            summary->text = g_strdup (_("Approvals this database uses are listed below."));
          }
      }
      data->step = data->n8n_api_key != NULL ? STEP_N8N : STEP_DONE;
      check_next (task);
      break;

    case STEP_N8N:
      {
        g_autoptr(GError) error = NULL;
        CtN8nExecutionQuery query = { .limit = 1, .max_items = 1 };

        data->n8n = ct_n8n_client_new (data->connection->n8n_url, data->n8n_api_key,
                                       data->connection->allow_insecure_http, &error);
        if (data->n8n == NULL)
          {
            add_item (data, "n8n", CT_CHECK_ERROR, "%s", error->message);
            set_last_title (data, _("n8n"));
            data->step = STEP_DONE;
            check_next (task);
            return;
          }
        ct_n8n_client_list_executions_async (data->n8n, &query, cancellable, on_n8n, task);
      }
      break;

    case STEP_DONE:
      g_task_return_pointer (task, g_ptr_array_ref (data->items),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      break;
    }
}

void
ct_connection_check_async (const CtCheckOptions *options,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  CheckData *data = g_new0 (CheckData, 1);

  g_return_if_fail (options != NULL && options->connection != NULL);

  g_task_set_source_tag (task, ct_connection_check_async);
  data->connection = ct_connection_copy (options->connection);
  data->secret = g_strdup (options->secret);
  if (options->n8n_api_key != NULL && options->connection->n8n_url != NULL &&
      *options->connection->n8n_url != '\0')
    data->n8n_api_key = g_strdup (options->n8n_api_key);
  data->items = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_check_item_free);
  data->client = ct_odoo_client_new ();
  if (options->connect_timeout_ms > 0 || options->call_timeout_ms > 0)
    ct_odoo_client_set_timeouts (data->client,
                                 options->connect_timeout_ms ? options->connect_timeout_ms
                                                             : CT_HTTP_DEFAULT_CONNECT_TIMEOUT_MS,
                                 options->call_timeout_ms ? options->call_timeout_ms
                                                          : CT_HTTP_DEFAULT_CALL_TIMEOUT_MS);
  ct_odoo_client_set_pinned_certificate (data->client, options->pinned_sha256);
  data->step = STEP_CONNECT;
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);

  ct_odoo_client_connect_async (data->client, data->connection, data->secret ? data->secret : "",
                                cancellable, on_connected, task);
}

GPtrArray *
ct_connection_check_finish (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
