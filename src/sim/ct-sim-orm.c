/* ct-sim-orm.c - Odoo's model methods over the record store
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ct-sim-domain.h"
#include "ct-sim-orm.h"

JsonNode *
ct_sim_orm_kwarg (CtSimCall  *call,
                  const char *name)
{
  JsonNode *node = json_object_get_member (call->kwargs, name);

  return node;
}

static gboolean
node_truthy (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) > 0;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_size (json_node_get_object (node)) > 0;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN: return json_node_get_boolean (node);
    case G_TYPE_INT64: return json_node_get_int (node) != 0;
    case G_TYPE_DOUBLE: return json_node_get_double (node) != 0;
    case G_TYPE_STRING: return json_node_get_string (node)[0] != '\0';
    default: return FALSE;
    }
}

static gint64
kwarg_int (CtSimCall *call,
           const char *name,
           gint64      fallback)
{
  JsonNode *node = ct_sim_orm_kwarg (call, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) == G_TYPE_STRING)
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node) ? 1 : fallback;
  return json_node_get_int (node);
}

static const char *
kwarg_str (CtSimCall  *call,
           const char *name)
{
  JsonNode *node = ct_sim_orm_kwarg (call, name);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static void
ids_repr (GString    *out,
          const char *model,
          GArray     *ids)
{
  g_string_append_printf (out, "%s(", model);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "",
                            g_array_index (ids, gint64, i));
  if (ids->len == 1)
    g_string_append_c (out, ',');
  g_string_append_c (out, ')');
}

gboolean
ct_sim_orm_check_exists (CtSimCall  *call,
                         GError    **error)
{
  g_autoptr(GArray) missing = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) repr = g_string_new (NULL);

  for (guint i = 0; i < call->ids->len; i++)
    if (!ct_sim_model_lookup (call->model, g_array_index (call->ids, gint64, i), NULL))
      g_array_append_val (missing, g_array_index (call->ids, gint64, i));
  if (missing->len == 0)
    return TRUE;
  ids_repr (repr, call->model->name, missing);
  g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_MISSING_ERROR,
               "Record does not exist or has been deleted.\n(Record: %s, User: %" G_GINT64_FORMAT ")",
               repr->str, call->user->uid);
  return FALSE;
}

GArray *
ct_sim_orm_rows (CtSimCall  *call,
                 GError    **error)
{
  GArray *rows;

  if (!ct_sim_orm_check_exists (call, error))
    return NULL;
  rows = g_array_sized_new (FALSE, FALSE, sizeof (guint), call->ids->len);
  for (guint i = 0; i < call->ids->len; i++)
    {
      guint row;

      ct_sim_model_lookup (call->model, g_array_index (call->ids, gint64, i), &row);
      g_array_append_val (rows, row);
    }
  return rows;
}

gboolean
ct_sim_orm_ensure_one (CtSimCall  *call,
                       guint      *row,
                       GError    **error)
{
  if (call->ids->len != 1)
    {
      g_autoptr(GString) repr = g_string_new (NULL);

      ids_repr (repr, call->model->name, call->ids);
      g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                   "Expected singleton: %s", repr->str);
      return FALSE;
    }
  if (!ct_sim_orm_check_exists (call, error))
    return FALSE;
  return ct_sim_model_lookup (call->model, g_array_index (call->ids, gint64, 0), row);
}

static gboolean
user_in_groups (CtSimUser  *user,
                char      **groups)
{
  if (groups == NULL)
    return ct_sim_user_has_group (user, "base.group_user");
  for (guint i = 0; groups[i] != NULL; i++)
    if (ct_sim_user_has_group (user, groups[i]))
      return TRUE;
  return FALSE;
}

gboolean
ct_sim_orm_check_access (CtSimOdoo   *odoo,
                         CtSimUser   *user,
                         CtSimModel  *model,
                         gboolean     write,
                         GError     **error)
{
  char **groups = write && model->write_groups != NULL ? model->write_groups : model->read_groups;

  if (user_in_groups (user, groups))
    return TRUE;
  g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_ACCESS_ERROR,
               "You are not allowed to %s '%s' (%s) records.\n\n"
               "This operation is allowed for the following groups:\n%s\n\n"
               "Contact your administrator to request access if necessary.",
               write && user_in_groups (user, model->read_groups) ? "modify" : "access",
               model->description, model->name,
               model->groups_text != NULL ? model->groups_text : "\t- Role / Administrator");
  return FALSE;
}

static gboolean
context_active_test (JsonObject *context)
{
  JsonNode *node = context != NULL ? json_object_get_member (context, "active_test") : NULL;

  return node == NULL || node_truthy (node);
}

GArray *
ct_sim_orm_search_rows (CtSimModel  *model,
                        JsonNode    *domain,
                        JsonObject  *context,
                        const char  *order,
                        gint64       offset,
                        gint64       limit,
                        GError     **error)
{
  g_autoptr(CtSimDomain) parsed = ct_sim_domain_parse (model, domain, error);
  g_autoptr(GArray) rows = NULL;
  CtSimField *active = NULL;
  guint n = ct_sim_model_n_rows (model);

  if (parsed == NULL)
    return NULL;
  if (model->has_active && context_active_test (context) &&
      !ct_sim_domain_mentions (parsed, "active"))
    active = ct_sim_model_get_field (model, "active");
  rows = g_array_sized_new (FALSE, FALSE, sizeof (guint), MIN (n, 4096));
  for (guint row = 0; row < n; row++)
    {
      if (!ct_sim_model_row_alive (model, row))
        continue;
      if (active != NULL && ct_sim_model_get (model, row, active).i == 0)
        continue;
      if (ct_sim_domain_match (parsed, row))
        g_array_append_val (rows, row);
    }
  if (!ct_sim_model_sort_rows (model, rows, order, error))
    return NULL;
  if (offset > 0)
    g_array_remove_range (rows, 0, MIN ((guint) MIN (offset, G_MAXUINT), rows->len));
  if (limit >= 0 && (guint64) limit < rows->len)
    g_array_set_size (rows, (guint) limit);
  return g_steal_pointer (&rows);
}

static JsonNode *
read_row (CtSimModel  *model,
          guint        row,
          GPtrArray   *fields)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", ct_sim_model_row_id (model, row));
  for (guint i = 0; i < fields->len; i++)
    {
      CtSimField *field = g_ptr_array_index (fields, i);

      if (field->index == 0)
        continue;
      json_object_set_member (object, field->name, ct_sim_model_value_to_json (model, row, field));
    }
  return ct_sim_json_object (object);
}

static GPtrArray *
resolve_fields (CtSimModel  *model,
                JsonNode    *fields,
                GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new ();

  if (fields == NULL || !node_truthy (fields))
    {
      for (guint i = 0; i < model->fields->len; i++)
        if (ct_sim_field_readable (model, g_ptr_array_index (model->fields, i)))
          g_ptr_array_add (out, g_ptr_array_index (model->fields, i));
      return g_steal_pointer (&out);
    }
  if (!JSON_NODE_HOLDS_ARRAY (fields))
    {
      g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                           "fields must be a list of field names");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (fields)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (fields), i);
      const char *name = JSON_NODE_HOLDS_VALUE (item) &&
        json_node_get_value_type (item) == G_TYPE_STRING ? json_node_get_string (item) : NULL;
      CtSimField *field = ct_sim_model_get_field (model, name);

      if (field == NULL)
        {
          g_autoptr(GString) repr = g_string_new (NULL);

          ct_sim_py_repr (repr, item);
          g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                       "Invalid field %s on '%s'", repr->str, model->name);
          return NULL;
        }
      /* One field the user may not read fails the whole read (09-21, 10-50). */
      if (!ct_sim_field_readable (model, field))
        {
          g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_ACCESS_ERROR,
                       "You do not have enough rights to access the field \"%s\" on %s (%s). "
                       "Please contact your system administrator.\n\nOperation: read\nUser: %"
                       G_GINT64_FORMAT "\nGroups: allowed for groups %s", field->name,
                       model->description, model->name, model->db->current_uid,
                       field->groups_text);
          return NULL;
        }
      g_ptr_array_add (out, field);
    }
  return g_steal_pointer (&out);
}

JsonNode *
ct_sim_orm_read_rows (CtSimModel  *model,
                      GArray      *rows,
                      JsonNode    *fields,
                      GError     **error)
{
  g_autoptr(GPtrArray) resolved = resolve_fields (model, fields, error);
  JsonArray *array;

  if (resolved == NULL)
    return NULL;
  array = json_array_sized_new (rows->len);
  for (guint i = 0; i < rows->len; i++)
    json_array_add_element (array, read_row (model, g_array_index (rows, guint, i), resolved));
  return ct_sim_json_array (array);
}

gboolean
ct_sim_orm_write_rows (CtSimModel  *model,
                       GArray      *rows,
                       JsonNode    *fields,
                       GString     *out,
                       GError     **error)
{
  g_autoptr(GPtrArray) resolved = resolve_fields (model, fields, error);

  if (resolved == NULL)
    return FALSE;
  g_string_append_c (out, '[');
  for (guint i = 0; i < rows->len; i++)
    {
      guint row = g_array_index (rows, guint, i);

      /* read_row()'s members in its order: the id, then the fields. */
      g_string_append (out, i > 0 ? ",{\"id\":" : "{\"id\":");
      g_string_append_printf (out, "%" G_GINT64_FORMAT, ct_sim_model_row_id (model, row));
      for (guint f = 0; f < resolved->len; f++)
        {
          CtSimField *field = g_ptr_array_index (resolved, f);

          if (field->index == 0)
            continue;
          g_string_append_c (out, ',');
          ct_sim_json_write_string (out, field->name);
          g_string_append_c (out, ':');
          ct_sim_model_value_write (model, row, field, out);
        }
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
  return TRUE;
}

/* search, search_count, search_read, read */

/* The read records as a node, or as text when the caller takes it. */
static JsonNode *
answer_rows (CtSimCall  *call,
             GArray     *rows,
             GError    **error)
{
  JsonNode *fields = ct_sim_orm_kwarg (call, "fields");

  if (call->text != NULL)
    {
      ct_sim_orm_write_rows (call->model, rows, fields, call->text, error);
      return NULL;
    }
  return ct_sim_orm_read_rows (call->model, rows, fields, error);
}

static JsonNode *
m_search (CtSimCall  *call,
          GError    **error)
{
  g_autoptr(GArray) rows = ct_sim_orm_search_rows (call->model, ct_sim_orm_kwarg (call, "domain"),
                                                   call->context, kwarg_str (call, "order"),
                                                   kwarg_int (call, "offset", 0),
                                                   kwarg_int (call, "limit", -1), error);
  JsonArray *ids;

  if (rows == NULL)
    return NULL;
  ids = json_array_sized_new (rows->len);
  for (guint i = 0; i < rows->len; i++)
    json_array_add_int_element (ids, ct_sim_model_row_id (call->model, g_array_index (rows, guint, i)));
  return ct_sim_json_array (ids);
}

static JsonNode *
m_search_count (CtSimCall  *call,
                GError    **error)
{
  g_autoptr(GArray) rows = ct_sim_orm_search_rows (call->model, ct_sim_orm_kwarg (call, "domain"),
                                                   call->context, "id", 0,
                                                   kwarg_int (call, "limit", -1), error);

  if (rows == NULL)
    return NULL;
  return json_node_init_int (json_node_alloc (), rows->len);
}

static gboolean
check_read_kwargs (CtSimCall  *call,
                   const char *const *known,
                   GError    **error)
{
  GList *members = json_object_get_members (call->kwargs);
  gboolean ok = TRUE;

  for (GList *l = members; l != NULL && ok; l = l->next)
    if (!g_strv_contains (known, l->data) && g_strcmp0 (l->data, "load") != 0)
      {
        g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_TYPE_ERROR,
                     "BaseModel._read_format() got an unexpected keyword argument '%s'",
                     (const char *) l->data);
        ok = FALSE;
      }
  g_list_free (members);
  return ok;
}

static JsonNode *
m_search_read (CtSimCall  *call,
               GError    **error)
{
  static const char *const known[] = { "domain", "fields", "offset", "limit", "order", NULL };
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GPtrArray) check = NULL;

  if (!check_read_kwargs (call, known, error))
    return NULL;
  /* Odoo validates the field names before searching. */
  check = resolve_fields (call->model, ct_sim_orm_kwarg (call, "fields"), error);
  if (check == NULL)
    return NULL;
  rows = ct_sim_orm_search_rows (call->model, ct_sim_orm_kwarg (call, "domain"), call->context,
                                 kwarg_str (call, "order"), kwarg_int (call, "offset", 0),
                                 kwarg_int (call, "limit", -1), error);
  if (rows == NULL)
    return NULL;
  return answer_rows (call, rows, error);
}

static JsonNode *
m_read (CtSimCall  *call,
        GError    **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) check = resolve_fields (call->model, ct_sim_orm_kwarg (call, "fields"), error);

  if (check == NULL)
    return NULL;
  for (guint i = 0; i < call->ids->len; i++)
    {
      guint row;

      /* Missing records are dropped, as recorded. */
      if (ct_sim_model_lookup (call->model, g_array_index (call->ids, gint64, i), &row))
        g_array_append_val (rows, row);
    }
  return answer_rows (call, rows, error);
}

/* create, write, unlink */

gboolean
ct_sim_orm_write_row (CtSimCall   *call,
                      CtSimModel  *model,
                      guint        row,
                      JsonObject  *vals,
                      GError     **error)
{
  GList *members = json_object_get_members (vals);

  for (GList *l = members; l != NULL; l = l->next)
    {
      CtSimField *field = ct_sim_model_get_field (model, l->data);
      JsonNode *value = json_object_get_member (vals, l->data);

      if (field == NULL)
        {
          /* Odoo ignores unknown fields with a warning in its log. */
          g_debug ("%s.write: unknown field %s ignored", model->name, (const char *) l->data);
          continue;
        }
      if (field->index == 0 || g_strcmp0 (field->name, "display_name") == 0)
        continue;
      if (field->type == CT_SIM_FIELD_ONE2MANY && JSON_NODE_HOLDS_ARRAY (value))
        {
          /* [0, 0, vals] creates lines on the comodel with the inverse set. */
          CtSimModel *comodel = ct_sim_db_get_model (model->db, field->relation);
          JsonArray *commands = json_node_get_array (value);
          gboolean plain = TRUE;

          for (guint i = 0; i < json_array_get_length (commands) && comodel != NULL; i++)
            {
              JsonNode *cmd = json_array_get_element (commands, i);

              if (JSON_NODE_HOLDS_ARRAY (cmd) &&
                  json_array_get_length (json_node_get_array (cmd)) == 3 &&
                  json_array_get_int_element (json_node_get_array (cmd), 0) == 0 &&
                  JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (cmd), 2)))
                {
                  JsonObject *line = json_array_get_object_element (json_node_get_array (cmd), 2);
                  g_autoptr(JsonObject) line_vals = json_object_new ();
                  GList *lm = json_object_get_members (line);
                  guint crow;

                  plain = FALSE;
                  for (GList *k = lm; k != NULL; k = k->next)
                    json_object_set_member (line_vals, k->data,
                                            json_node_copy (json_object_get_member (line, k->data)));
                  g_list_free (lm);
                  if (field->inverse != NULL)
                    json_object_set_int_member (line_vals, field->inverse,
                                                ct_sim_model_row_id (model, row));
                  if (!ct_sim_orm_create_one (call, comodel, line_vals, &crow, error))
                    {
                      g_list_free (members);
                      return FALSE;
                    }
                  ct_sim_model_add_id (model, row, field->name, ct_sim_model_row_id (comodel, crow));
                }
            }
          if (!plain)
            continue;
        }
      if (field->required && !node_truthy (value) && field->type != CT_SIM_FIELD_BOOLEAN &&
          field->type != CT_SIM_FIELD_INTEGER && field->type != CT_SIM_FIELD_FLOAT &&
          field->type != CT_SIM_FIELD_MONETARY)
        {
          g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALIDATION_ERROR,
                       "The operation cannot be completed: Missing required value for the field "
                       "'%s' (%s).\nModel: '%s' (%s)\n- create/update: a mandatory field is not "
                       "set\n- delete: another model requires the record being deleted, you can "
                       "archive it instead\n", field->string, field->name, model->description,
                       model->name);
          g_list_free (members);
          return FALSE;
        }
      if (!ct_sim_model_set_from_json (model, row, field, value, error))
        {
          g_list_free (members);
          return FALSE;
        }
    }
  g_list_free (members);
  if (ct_sim_model_get_field (model, "write_date") != NULL)
    {
      ct_sim_model_set_str (model, row, "write_date", ct_sim_db_datetime (model->db, 0));
      ct_sim_model_set_int (model, row, "write_uid", call->user->uid);
    }
  return TRUE;
}

/* Model-specific rules that run inside create and write (ct-sim-models.c). */
gboolean ct_sim_models_check_write (CtSimCall *call, CtSimModel *model, guint row,
                                    JsonObject *vals, gboolean creating, GError **error);
void     ct_sim_models_after_create (CtSimCall *call, CtSimModel *model, guint row);

gboolean
ct_sim_orm_create_one (CtSimCall   *call,
                       CtSimModel  *model,
                       JsonObject  *vals,
                       guint       *row_out,
                       GError     **error)
{
  guint row;

  /* Odoo fills missing values from the context's default_<field> keys
   * (how the comment wizard learns its record). */
  if (call->context != NULL && model == call->model)
    {
      GList *keys = json_object_get_members (call->context);

      for (GList *l = keys; l != NULL; l = l->next)
        {
          const char *key = l->data;

          if (g_str_has_prefix (key, "default_") &&
              ct_sim_model_get_field (model, key + 8) != NULL &&
              !json_object_has_member (vals, key + 8))
            json_object_set_member (vals, key + 8,
                                    json_node_copy (json_object_get_member (call->context, key)));
        }
      g_list_free (keys);
    }
  if (!ct_sim_models_check_write (call, model, G_MAXUINT, vals, TRUE, error))
    return FALSE;
  /* Required fields are checked before the row exists, as the database would. */
  for (guint i = 0; i < model->fields->len; i++)
    {
      CtSimField *field = g_ptr_array_index (model->fields, i);

      if (field->required && field->store && field->index != 0 &&
          field->type != CT_SIM_FIELD_BOOLEAN && field->type != CT_SIM_FIELD_INTEGER &&
          field->type != CT_SIM_FIELD_FLOAT && field->type != CT_SIM_FIELD_MONETARY &&
          field->type != CT_SIM_FIELD_ONE2MANY && field->type != CT_SIM_FIELD_MANY2MANY &&
          field->type != CT_SIM_FIELD_SELECTION &&
          g_strcmp0 (field->name, "name") != 0 && g_strcmp0 (field->name, "company_id") != 0 &&
          g_strcmp0 (field->name, "currency_id") != 0 && g_strcmp0 (field->name, "date_order") != 0 &&
          !node_truthy (json_object_get_member (vals, field->name)))
        {
          g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALIDATION_ERROR,
                       "The operation cannot be completed: Missing required value for the field "
                       "'%s' (%s).\nModel: '%s' (%s)\n- create/update: a mandatory field is not "
                       "set\n- delete: another model requires the record being deleted, you can "
                       "archive it instead\n", field->string, field->name, model->description,
                       model->name);
          return FALSE;
        }
    }
  row = ct_sim_model_new_row (model, 0);
  if (ct_sim_model_get_field (model, "create_date") != NULL)
    {
      ct_sim_model_set_str (model, row, "create_date", ct_sim_db_datetime (model->db, 0));
      ct_sim_model_set_int (model, row, "create_uid", call->user->uid);
    }
  if (model->has_active && !json_object_has_member (vals, "active"))
    ct_sim_model_set_int (model, row, "active", 1);
  if (!ct_sim_orm_write_row (call, model, row, vals, error))
    {
      ct_sim_model_unlink_row (model, row);
      return FALSE;
    }
  ct_sim_models_after_create (call, model, row);
  if (row_out != NULL)
    *row_out = row;
  return TRUE;
}

static JsonNode *
m_create (CtSimCall  *call,
          GError    **error)
{
  JsonNode *vals = ct_sim_orm_kwarg (call, "vals_list");
  g_autoptr(JsonArray) created = json_array_new ();

  if (vals != NULL && JSON_NODE_HOLDS_OBJECT (vals))
    {
      guint row;

      if (!ct_sim_orm_create_one (call, call->model, json_node_get_object (vals), &row, error))
        return NULL;
      return json_node_init_int (json_node_alloc (), ct_sim_model_row_id (call->model, row));
    }
  if (vals == NULL || !JSON_NODE_HOLDS_ARRAY (vals))
    {
      g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                           "create() expects a dict or a list of dicts");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (vals)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (vals), i);
      guint row;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                               "create() expects a dict or a list of dicts");
          return NULL;
        }
      if (!ct_sim_orm_create_one (call, call->model, json_node_get_object (item), &row, error))
        return NULL;
      json_array_add_int_element (created, ct_sim_model_row_id (call->model, row));
    }
  return ct_sim_json_array (g_steal_pointer (&created));
}

static JsonNode *
m_write (CtSimCall  *call,
         GError    **error)
{
  JsonNode *vals = ct_sim_orm_kwarg (call, "vals");

  if (vals == NULL || !JSON_NODE_HOLDS_OBJECT (vals))
    {
      g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                           "write() expects a dict of values");
      return NULL;
    }
  if (!ct_sim_orm_check_exists (call, error))
    return NULL;
  for (guint i = 0; i < call->ids->len; i++)
    {
      guint row;

      ct_sim_model_lookup (call->model, g_array_index (call->ids, gint64, i), &row);
      if (!ct_sim_models_check_write (call, call->model, row, json_node_get_object (vals), FALSE, error) ||
          !ct_sim_orm_write_row (call, call->model, row, json_node_get_object (vals), error))
        return NULL;
    }
  return json_node_init_boolean (json_node_alloc (), TRUE);
}

gboolean ct_sim_models_check_unlink (CtSimCall *call, guint row, GError **error);

static JsonNode *
m_unlink (CtSimCall  *call,
          GError    **error)
{
  if (!ct_sim_orm_check_exists (call, error))
    return NULL;
  for (guint i = 0; i < call->ids->len; i++)
    {
      guint row;

      ct_sim_model_lookup (call->model, g_array_index (call->ids, gint64, i), &row);
      if (!ct_sim_models_check_unlink (call, row, error))
        return NULL;
    }
  for (guint i = 0; i < call->ids->len; i++)
    {
      guint row;

      if (ct_sim_model_lookup (call->model, g_array_index (call->ids, gint64, i), &row))
        ct_sim_model_unlink_row (call->model, row);
    }
  return json_node_init_boolean (json_node_alloc (), TRUE);
}

/* fields_get */

static JsonNode *
m_fields_get (CtSimCall  *call,
              GError    **error)
{
  JsonNode *allfields = ct_sim_orm_kwarg (call, "allfields");
  JsonNode *attributes = ct_sim_orm_kwarg (call, "attributes");
  JsonObject *result = json_object_new ();

  for (guint i = 0; i < call->model->fields->len; i++)
    {
      CtSimField *field = g_ptr_array_index (call->model->fields, i);
      JsonObject *out;

      /* fields_get needs no read right, but leaves out the fields the user
       * may not read (08-19, 08-28, 08-29). */
      if (!ct_sim_field_readable (call->model, field))
        continue;
      if (node_truthy (allfields) && JSON_NODE_HOLDS_ARRAY (allfields))
        {
          JsonArray *wanted = json_node_get_array (allfields);
          gboolean found = FALSE;

          for (guint j = 0; j < json_array_get_length (wanted) && !found; j++)
            found = g_strcmp0 (json_array_get_string_element (wanted, j), field->name) == 0;
          if (!found)
            continue;
        }
      out = json_object_new ();
      if (node_truthy (attributes) && JSON_NODE_HOLDS_ARRAY (attributes))
        {
          JsonArray *attrs = json_node_get_array (attributes);

          for (guint j = 0; j < json_array_get_length (attrs); j++)
            {
              const char *name = json_array_get_string_element (attrs, j);

              if (name != NULL && json_object_has_member (field->attrs, name))
                json_object_set_member (out, name,
                                        json_node_copy (json_object_get_member (field->attrs, name)));
            }
        }
      else
        {
          GList *members = json_object_get_members (field->attrs);

          for (GList *l = members; l != NULL; l = l->next)
            json_object_set_member (out, l->data,
                                    json_node_copy (json_object_get_member (field->attrs, l->data)));
          g_list_free (members);
        }
      json_object_set_object_member (result, field->name, out);
    }
  return ct_sim_json_object (result);
}

/* Grouping */

typedef enum { AGG_SUM, AGG_AVG, AGG_MIN, AGG_MAX, AGG_COUNT, AGG_COUNT_DISTINCT,
               AGG_BOOL_AND, AGG_BOOL_OR } AggKind;

typedef struct
{
  char       *key;      /* output key: "amount_total:sum" or "amount_total" */
  CtSimField *field;
  AggKind     kind;
} Aggregate;

typedef struct
{
  CtSimField *field;
  char       *spec;     /* "date_order:month" */
  char       *granularity; /* (nullable) */
} GroupBy;

typedef struct
{
  guint       first_row;
  guint       count;
  double     *values;   /* per aggregate */
  gboolean   *seen;
  GHashTable *distinct; /* per group, for count_distinct, lazily */
} Group;

typedef enum { KEY_GROUPBY, KEY_AGGREGATE, KEY_COUNT } SortKeyKind;

typedef struct
{
  SortKeyKind kind;
  guint       index;
  gboolean    desc;
} SortKey;

typedef struct
{
  CtSimModel *model;
  GroupBy    *groupby;
  guint       n_groupby;
  Aggregate  *aggs;
  SortKey     keys[8];
  guint       n_keys;
} GroupSort;

static void
aggregate_clear (gpointer data)
{
  Aggregate *agg = data;

  g_free (agg->key);
}

static void
groupby_clear (gpointer data)
{
  GroupBy *gb = data;

  g_free (gb->spec);
  g_free (gb->granularity);
}

static void
group_free (gpointer data)
{
  Group *group = data;

  g_free (group->values);
  g_free (group->seen);
  g_clear_pointer (&group->distinct, g_hash_table_unref);
  g_free (group);
}

static gboolean
parse_aggregate (CtSimModel  *model,
                 const char  *spec,
                 gboolean     legacy,
                 Aggregate   *out,
                 gboolean    *skip,
                 GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (spec, ":", 2);
  static const char *const kinds[] = { "sum", "avg", "min", "max", "count", "count_distinct",
                                       "bool_and", "bool_or" };

  *skip = FALSE;
  out->field = ct_sim_model_get_field (model, parts[0]);
  if (out->field == NULL)
    {
      g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                   "Invalid field '%s' on model '%s'", parts[0], model->name);
      return FALSE;
    }
  if (parts[1] == NULL)
    {
      /* read_group's fields list: numbers sum by default, others are not aggregated. */
      if (!legacy || (out->field->type != CT_SIM_FIELD_INTEGER &&
                      out->field->type != CT_SIM_FIELD_FLOAT &&
                      out->field->type != CT_SIM_FIELD_MONETARY) || out->field->index == 0)
        {
          if (!legacy)
            {
              g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                           "Invalid aggregate specification '%s'", spec);
              return FALSE;
            }
          *skip = TRUE;
          return TRUE;
        }
      out->kind = AGG_SUM;
      out->key = g_strdup (parts[0]);
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i], parts[1]) == 0)
      {
        out->kind = (AggKind) i;
        out->key = g_strdup (legacy ? parts[0] : spec);
        return TRUE;
      }
  g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
               "Invalid aggregation function '%s'", parts[1]);
  return FALSE;
}

static gboolean
parse_groupby (CtSimModel  *model,
               const char  *spec,
               GroupBy     *out,
               GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (spec, ":", 2);

  out->field = ct_sim_model_get_field (model, parts[0]);
  if (out->field == NULL)
    {
      g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                   "Invalid field '%s' on model '%s'", parts[0], model->name);
      return FALSE;
    }
  out->spec = g_strdup (spec);
  if (out->field->type == CT_SIM_FIELD_DATE || out->field->type == CT_SIM_FIELD_DATETIME)
    {
      const char *g = parts[1] != NULL ? parts[1] : "month";

      if (g_strcmp0 (g, "day") != 0 && g_strcmp0 (g, "week") != 0 && g_strcmp0 (g, "month") != 0 &&
          g_strcmp0 (g, "quarter") != 0 && g_strcmp0 (g, "year") != 0)
        {
          g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                       "Invalid granularity '%s' for field '%s'", g, parts[0]);
          return FALSE;
        }
      out->granularity = g_strdup (g);
    }
  else if (parts[1] != NULL)
    {
      g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                   "Granularity set on a field of type '%s'",
                   json_object_get_string_member (out->field->attrs, "type"));
      return FALSE;
    }
  return TRUE;
}

/* The start of the period a date falls in, and the next period's start. */
static GDateTime *
period_start (const char *value,
              const char *granularity,
              GDateTime **next)
{
  int y, m, d;
  g_autoptr(GDateTime) day = NULL;
  GDateTime *start;

  if (value == NULL || sscanf (value, "%d-%d-%d", &y, &m, &d) != 3)
    return NULL;
  day = g_date_time_new_utc (y, m, d, 0, 0, 0);
  if (day == NULL)
    return NULL;
  if (g_strcmp0 (granularity, "day") == 0)
    {
      start = g_date_time_ref (day);
      *next = g_date_time_add_days (start, 1);
    }
  else if (g_strcmp0 (granularity, "week") == 0)
    {
      start = g_date_time_add_days (day, 1 - g_date_time_get_day_of_week (day));
      *next = g_date_time_add_days (start, 7);
    }
  else if (g_strcmp0 (granularity, "quarter") == 0)
    {
      start = g_date_time_new_utc (y, ((m - 1) / 3) * 3 + 1, 1, 0, 0, 0);
      *next = g_date_time_add_months (start, 3);
    }
  else if (g_strcmp0 (granularity, "year") == 0)
    {
      start = g_date_time_new_utc (y, 1, 1, 0, 0, 0);
      *next = g_date_time_add_years (start, 1);
    }
  else
    {
      start = g_date_time_new_utc (y, m, 1, 0, 0, 0);
      *next = g_date_time_add_months (start, 1);
    }
  return start;
}

static char *
group_key_part (CtSimModel *model,
                guint       row,
                GroupBy    *gb)
{
  CtSimValue v = ct_sim_model_get (model, row, gb->field);

  if (gb->granularity != NULL)
    {
      g_autoptr(GDateTime) next = NULL;
      g_autoptr(GDateTime) start = period_start (v.s, gb->granularity, &next);

      return start != NULL ? g_date_time_format (start, "%Y-%m-%d") : g_strdup ("");
    }
  switch (gb->field->type)
    {
    case CT_SIM_FIELD_INTEGER:
    case CT_SIM_FIELD_MANY2ONE:
    case CT_SIM_FIELD_BOOLEAN:
    case CT_SIM_FIELD_MANY2ONE_REFERENCE:
      return g_strdup_printf ("%" G_GINT64_FORMAT, v.i);
    case CT_SIM_FIELD_FLOAT:
    case CT_SIM_FIELD_MONETARY:
      return g_strdup_printf ("%.17g", v.f);
    case CT_SIM_FIELD_ONE2MANY:
    case CT_SIM_FIELD_MANY2MANY:
      return g_strdup ("");
    default:
      return g_strdup (v.s != NULL ? v.s : "\x01");
    }
}

static JsonNode *
group_value_json (CtSimModel *model,
                  guint       row,
                  GroupBy    *gb,
                  gboolean    formatted,
                  JsonArray  *extra_domain)
{
  CtSimValue v = ct_sim_model_get (model, row, gb->field);
  JsonNode *node;

  if (gb->granularity != NULL)
    {
      g_autoptr(GDateTime) next = NULL;
      g_autoptr(GDateTime) start = period_start (v.s, gb->granularity, &next);
      gboolean is_dt = gb->field->type == CT_SIM_FIELD_DATETIME;
      const char *fmt = is_dt ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d";
      g_autofree char *from = NULL;
      g_autofree char *to = NULL;
      g_autofree char *label = NULL;
      JsonArray *pair, *leaf;

      if (start == NULL)
        {
          leaf = json_array_new ();
          json_array_add_string_element (leaf, gb->field->name);
          json_array_add_string_element (leaf, "=");
          json_array_add_boolean_element (leaf, FALSE);
          json_array_add_array_element (extra_domain, leaf);
          return json_node_init_boolean (json_node_alloc (), FALSE);
        }
      from = g_date_time_format (start, fmt);
      to = g_date_time_format (next, fmt);
      if (g_strcmp0 (gb->granularity, "day") == 0)
        label = g_date_time_format (start, "%d %b %Y");
      else if (g_strcmp0 (gb->granularity, "week") == 0)
        label = g_date_time_format (start, "W%V %G");
      else if (g_strcmp0 (gb->granularity, "quarter") == 0)
        label = g_strdup_printf ("Q%d %d", (g_date_time_get_month (start) - 1) / 3 + 1,
                                 g_date_time_get_year (start));
      else if (g_strcmp0 (gb->granularity, "year") == 0)
        label = g_date_time_format (start, "%Y");
      else
        label = g_date_time_format (start, "%B %Y");
      json_array_add_string_element (extra_domain, "&");
      leaf = json_array_new ();
      json_array_add_string_element (leaf, gb->field->name);
      json_array_add_string_element (leaf, ">=");
      json_array_add_string_element (leaf, from);
      json_array_add_array_element (extra_domain, leaf);
      leaf = json_array_new ();
      json_array_add_string_element (leaf, gb->field->name);
      json_array_add_string_element (leaf, "<");
      json_array_add_string_element (leaf, to);
      json_array_add_array_element (extra_domain, leaf);
      pair = json_array_new ();
      json_array_add_string_element (pair, from);
      json_array_add_string_element (pair, label);
      return ct_sim_json_array (pair);
    }
  node = ct_sim_model_value_to_json (model, row, gb->field);
  {
    JsonArray *leaf = json_array_new ();

    json_array_add_string_element (leaf, gb->field->name);
    json_array_add_string_element (leaf, "=");
    if (gb->field->type == CT_SIM_FIELD_MANY2ONE)
      {
        if (v.i != 0)
          json_array_add_int_element (leaf, v.i);
        else
          json_array_add_boolean_element (leaf, FALSE);
      }
    else
      json_array_add_element (leaf, json_node_copy (node));
    json_array_add_array_element (extra_domain, leaf);
  }
  return node;
}

static int
compare_groupby (GroupSort   *sort,
                 const Group *ga,
                 const Group *gb,
                 guint        i)
{
  CtSimField *field = sort->groupby[i].field;
  CtSimValue va = ct_sim_model_get (sort->model, ga->first_row, field);
  CtSimValue vb = ct_sim_model_get (sort->model, gb->first_row, field);

  switch (field->type)
    {
    case CT_SIM_FIELD_INTEGER:
    case CT_SIM_FIELD_BOOLEAN:
    case CT_SIM_FIELD_MANY2ONE:
    case CT_SIM_FIELD_MANY2ONE_REFERENCE:
      return (va.i > vb.i) - (va.i < vb.i);
    case CT_SIM_FIELD_FLOAT:
    case CT_SIM_FIELD_MONETARY:
      return (va.f > vb.f) - (va.f < vb.f);
    case CT_SIM_FIELD_ONE2MANY:
    case CT_SIM_FIELD_MANY2MANY:
      return 0;
    default:
      return va.s == NULL ? (vb.s == NULL ? 0 : 1) : vb.s == NULL ? -1 : strcmp (va.s, vb.s);
    }
}

static double
aggregate_value (const Group *group,
                 Aggregate   *agg,
                 guint        i)
{
  if (agg->kind == AGG_AVG)
    return group->count > 0 ? group->values[i] / group->count : 0;
  if (agg->kind == AGG_COUNT_DISTINCT && group->distinct != NULL)
    {
      g_autofree char *prefix = g_strdup_printf ("%u:", i);
      GHashTableIter iter;
      gpointer key;
      guint n = 0;

      g_hash_table_iter_init (&iter, group->distinct);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        n += g_str_has_prefix (key, prefix);
      return n;
    }
  return group->values[i];
}

static int
compare_groups (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  GroupSort *sort = user_data;
  const Group *ga = *(Group * const *) a;
  const Group *gb = *(Group * const *) b;

  for (guint k = 0; k < sort->n_keys; k++)
    {
      SortKey *key = &sort->keys[k];
      int c;

      if (key->kind == KEY_GROUPBY)
        c = compare_groupby (sort, ga, gb, key->index);
      else if (key->kind == KEY_COUNT)
        c = (ga->count > gb->count) - (ga->count < gb->count);
      else
        {
          double va = aggregate_value (ga, &sort->aggs[key->index], key->index);
          double vb = aggregate_value (gb, &sort->aggs[key->index], key->index);

          c = (va > vb) - (va < vb);
        }
      if (c != 0)
        return key->desc ? -c : c;
    }
  for (guint i = 0; i < sort->n_groupby; i++)
    {
      int c = compare_groupby (sort, ga, gb, i);

      if (c != 0)
        return c;
    }
  return 0;
}

/* Parses a grouped order: groupby specs, aggregate specs and __count, each
 * optionally followed by asc or desc. */
static gboolean
parse_group_order (GroupSort   *sort,
                   const char  *order,
                   GArray      *aggs,
                   GError     **error)
{
  g_auto(GStrv) terms = NULL;

  if (order == NULL || order[0] == '\0')
    return TRUE;
  terms = g_strsplit (order, ",", -1);
  for (guint t = 0; terms[t] != NULL && sort->n_keys < G_N_ELEMENTS (sort->keys); t++)
    {
      g_auto(GStrv) words = g_strsplit_set (g_strstrip (terms[t]), " \t", -1);
      const char *name = NULL;
      const char *dir = NULL;
      SortKey key = { 0 };
      gboolean found = FALSE;

      for (guint w = 0; words[w] != NULL; w++)
        if (words[w][0] != '\0')
          {
            if (name == NULL)
              name = words[w];
            else if (dir == NULL)
              dir = words[w];
          }
      if (name == NULL)
        continue;
      if (dir != NULL && g_ascii_strcasecmp (dir, "asc") != 0 && g_ascii_strcasecmp (dir, "desc") != 0)
        {
          g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                       "Invalid order direction %s in %s", dir, order);
          return FALSE;
        }
      key.desc = dir != NULL && g_ascii_strcasecmp (dir, "desc") == 0;
      if (g_strcmp0 (name, "__count") == 0 || g_str_has_suffix (name, "_count"))
        {
          key.kind = KEY_COUNT;
          found = TRUE;
        }
      for (guint i = 0; i < sort->n_groupby && !found; i++)
        if (g_strcmp0 (sort->groupby[i].spec, name) == 0 ||
            g_strcmp0 (sort->groupby[i].field->name, name) == 0)
          {
            key.kind = KEY_GROUPBY;
            key.index = i;
            found = TRUE;
          }
      for (guint i = 0; i < aggs->len && !found; i++)
        {
          Aggregate *agg = &g_array_index (aggs, Aggregate, i);

          if (g_strcmp0 (agg->key, name) == 0 || g_strcmp0 (agg->field->name, name) == 0)
            {
              key.kind = KEY_AGGREGATE;
              key.index = i;
              found = TRUE;
            }
        }
      if (!found)
        {
          g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                       "Order term %s is neither grouped nor aggregated", name);
          return FALSE;
        }
      sort->keys[sort->n_keys++] = key;
    }
  return TRUE;
}

static void
accumulate (Group      *group,
            CtSimModel *model,
            guint       row,
            Aggregate  *aggs,
            guint       n_aggs)
{
  for (guint i = 0; i < n_aggs; i++)
    {
      CtSimField *field = aggs[i].field;
      CtSimValue v = ct_sim_model_get (model, row, field);
      double d = field->type == CT_SIM_FIELD_FLOAT || field->type == CT_SIM_FIELD_MONETARY ?
        v.f : (double) v.i;

      switch (aggs[i].kind)
        {
        case AGG_SUM:
        case AGG_AVG:
          group->values[i] += d;
          break;
        case AGG_MIN:
          group->values[i] = group->seen[i] ? MIN (group->values[i], d) : d;
          break;
        case AGG_MAX:
          group->values[i] = group->seen[i] ? MAX (group->values[i], d) : d;
          break;
        case AGG_COUNT:
          group->values[i] += 1;
          break;
        case AGG_COUNT_DISTINCT:
          if (group->distinct == NULL)
            group->distinct = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_add (group->distinct, g_strdup_printf ("%u:%.17g", i, d));
          break;
        case AGG_BOOL_AND:
          group->values[i] = (group->seen[i] ? group->values[i] != 0 : TRUE) && d != 0;
          break;
        case AGG_BOOL_OR:
          group->values[i] = (group->seen[i] && group->values[i] != 0) || d != 0;
          break;
        default:
          break;
        }
      group->seen[i] = TRUE;
    }
}

static JsonNode *
aggregate_json (Group     *group,
                Aggregate *agg,
                guint      i)
{
  double value = group->values[i];

  switch (agg->kind)
    {
    case AGG_AVG:
      value = group->count > 0 ? value / group->count : 0;
      break;
    case AGG_COUNT_DISTINCT:
      {
        guint n = 0;
        GHashTableIter iter;
        gpointer key;
        g_autofree char *prefix = g_strdup_printf ("%u:", i);

        if (group->distinct != NULL)
          {
            g_hash_table_iter_init (&iter, group->distinct);
            while (g_hash_table_iter_next (&iter, &key, NULL))
              n += g_str_has_prefix (key, prefix);
          }
        return json_node_init_int (json_node_alloc (), n);
      }
    case AGG_COUNT:
      return json_node_init_int (json_node_alloc (), (gint64) value);
    case AGG_BOOL_AND:
    case AGG_BOOL_OR:
      return json_node_init_boolean (json_node_alloc (), value != 0);
    default:
      break;
    }
  if (agg->field->type == CT_SIM_FIELD_INTEGER || agg->field->type == CT_SIM_FIELD_MANY2ONE)
    return json_node_init_int (json_node_alloc (), (gint64) value);
  /* Odoo rounds monetary sums to the currency; floats come out of PostgreSQL
   * as numeric: print integral values as integers like the recorded answers. */
  value = ((gint64) (value * 100.0 + (value >= 0 ? 0.5 : -0.5))) / 100.0;
  if (value == (double) (gint64) value)
    return json_node_init_int (json_node_alloc (), (gint64) value);
  return json_node_init_double (json_node_alloc (), value);
}

/* Counts the top-level expressions of a prefix-notation domain. */
static guint
domain_expressions (JsonArray *domain)
{
  guint n = 0;
  gint need = 0;

  for (guint i = 0; i < json_array_get_length (domain); i++)
    {
      JsonNode *item = json_array_get_element (domain, i);

      if (need == 0)
        {
          n++;
          need = 1;
        }
      if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
        {
          const char *op = json_node_get_string (item);

          if (g_strcmp0 (op, "&") == 0 || g_strcmp0 (op, "|") == 0)
            need += 1;
          /* '!' takes one and gives one */
        }
      else
        need -= 1;
    }
  return n;
}

/* Odoo's AND([a, b]) of normalized domains. */
static JsonArray *
domain_and (JsonArray *a,
            JsonArray *b)
{
  JsonArray *out = json_array_new ();
  guint na = a != NULL ? domain_expressions (a) : 0;
  guint nb = domain_expressions (b);
  guint total = na + nb;

  for (guint i = 1; i < total; i++)
    json_array_add_string_element (out, "&");
  for (guint i = 0; a != NULL && i < json_array_get_length (a); i++)
    json_array_add_element (out, json_node_copy (json_array_get_element (a, i)));
  for (guint i = 0; i < json_array_get_length (b); i++)
    json_array_add_element (out, json_node_copy (json_array_get_element (b, i)));
  return out;
}

static JsonNode *
do_group (CtSimCall   *call,
          JsonNode    *domain,
          JsonNode    *groupby_node,
          JsonNode    *aggregates_node,
          const char  *order,
          gint64       offset,
          gint64       limit,
          gboolean     legacy,
          gboolean     lazy,
          GError     **error)
{
  CtSimModel *model = call->model;
  g_autoptr(GArray) groupby = g_array_new (FALSE, TRUE, sizeof (GroupBy));
  g_autoptr(GArray) aggs = g_array_new (FALSE, TRUE, sizeof (Aggregate));
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GHashTable) groups = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_autoptr(GString) key = g_string_new (NULL);
  JsonArray *result;
  gboolean count_key = FALSE;
  guint n_gb;

  g_array_set_clear_func (groupby, groupby_clear);
  g_array_set_clear_func (aggs, aggregate_clear);

  if (groupby_node != NULL && JSON_NODE_HOLDS_VALUE (groupby_node) &&
      json_node_get_value_type (groupby_node) == G_TYPE_STRING)
    {
      GroupBy gb = { 0 };

      if (!parse_groupby (model, json_node_get_string (groupby_node), &gb, error))
        return NULL;
      g_array_append_val (groupby, gb);
    }
  else if (groupby_node != NULL && JSON_NODE_HOLDS_ARRAY (groupby_node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (groupby_node)); i++)
      {
        const char *spec = json_array_get_string_element (json_node_get_array (groupby_node), i);
        GroupBy gb = { 0 };

        if (spec == NULL || !parse_groupby (model, spec, &gb, error))
          {
            if (spec == NULL)
              g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                                   "groupby must be a list of strings");
            return NULL;
          }
        g_array_append_val (groupby, gb);
      }
  if (aggregates_node != NULL && JSON_NODE_HOLDS_ARRAY (aggregates_node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (aggregates_node)); i++)
      {
        const char *spec = json_array_get_string_element (json_node_get_array (aggregates_node), i);
        Aggregate agg = { 0 };
        gboolean skip;

        if (g_strcmp0 (spec, "__count") == 0)
          {
            count_key = TRUE;
            continue;
          }
        if (spec == NULL || !parse_aggregate (model, spec, legacy, &agg, &skip, error))
          {
            if (spec == NULL)
              g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                                   "aggregates must be a list of strings");
            return NULL;
          }
        if (!skip)
          g_array_append_val (aggs, agg);
      }

  rows = ct_sim_orm_search_rows (model, domain, call->context, "id", 0, -1, error);
  if (rows == NULL)
    return NULL;

  n_gb = legacy && lazy ? MIN (groupby->len, 1) : groupby->len;
  groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, group_free);
  for (guint i = 0; i < rows->len; i++)
    {
      guint row = g_array_index (rows, guint, i);
      Group *group;

      g_string_truncate (key, 0);
      for (guint j = 0; j < n_gb; j++)
        {
          g_autofree char *part = group_key_part (model, row, &g_array_index (groupby, GroupBy, j));

          g_string_append (key, part);
          g_string_append_c (key, '\x1f');
        }
      group = g_hash_table_lookup (groups, key->str);
      if (group == NULL)
        {
          group = g_new0 (Group, 1);
          group->first_row = row;
          group->values = g_new0 (double, MAX (aggs->len, 1));
          group->seen = g_new0 (gboolean, MAX (aggs->len, 1));
          g_hash_table_insert (groups, g_strdup (key->str), group);
          g_ptr_array_add (list, group);
        }
      group->count++;
      accumulate (group, model, row, (Aggregate *) aggs->data, aggs->len);
    }

  {
    GroupSort sort = { model, (GroupBy *) groupby->data, n_gb, (Aggregate *) aggs->data };

    if (!parse_group_order (&sort, order, aggs, error))
      return NULL;
    g_ptr_array_sort_with_data (list, compare_groups, &sort);
  }

  result = json_array_new ();
  for (guint i = 0; i < list->len; i++)
    {
      Group *group = g_ptr_array_index (list, i);
      JsonObject *object;
      g_autoptr(JsonArray) extra = json_array_new ();
      guint parts = 0;

      if (offset > 0 && i < (guint64) offset)
        continue;
      if (limit >= 0 && json_array_get_length (result) >= (guint64) limit)
        break;
      object = json_object_new ();
      for (guint j = 0; j < n_gb; j++)
        {
          GroupBy *gb = &g_array_index (groupby, GroupBy, j);
          g_autoptr(JsonArray) part = json_array_new ();
          JsonNode *value = group_value_json (model, group->first_row, gb, !legacy, part);

          json_object_set_member (object, legacy ? gb->field->name : gb->spec, value);
          if (parts++ == 0)
            {
              for (guint k = 0; k < json_array_get_length (part); k++)
                json_array_add_element (extra, json_node_copy (json_array_get_element (part, k)));
            }
          else
            {
              JsonArray *combined = domain_and (extra, part);

              json_array_unref (extra);
              extra = combined;
            }
        }
      if (legacy)
        {
          g_autofree char *count_name = g_strdup_printf ("%s_count",
                                                         n_gb > 0 ?
                                                         g_array_index (groupby, GroupBy, 0).field->name :
                                                         "");

          if (n_gb == 1 && lazy)
            json_object_set_int_member (object, count_name, group->count);
          else
            json_object_set_int_member (object, "__count", group->count);
          for (guint j = 0; j < aggs->len; j++)
            json_object_set_member (object, g_array_index (aggs, Aggregate, j).key,
                                    aggregate_json (group, &g_array_index (aggs, Aggregate, j), j));
          {
            JsonArray *base = domain != NULL && JSON_NODE_HOLDS_ARRAY (domain) ?
              json_node_get_array (domain) : NULL;

            json_object_set_array_member (object, "__domain", domain_and (base, extra));
          }
        }
      else
        {
          json_object_set_array_member (object, "__extra_domain", json_array_ref (extra));
          for (guint j = 0; j < aggs->len; j++)
            json_object_set_member (object, g_array_index (aggs, Aggregate, j).key,
                                    aggregate_json (group, &g_array_index (aggs, Aggregate, j), j));
          if (count_key)
            json_object_set_int_member (object, "__count", group->count);
        }
      json_array_add_object_element (result, object);
    }
  return ct_sim_json_array (result);
}

static JsonNode *
m_read_group (CtSimCall  *call,
              GError    **error)
{
  JsonNode *lazy = ct_sim_orm_kwarg (call, "lazy");

  return do_group (call, ct_sim_orm_kwarg (call, "domain"), ct_sim_orm_kwarg (call, "groupby"),
                   ct_sim_orm_kwarg (call, "fields"), kwarg_str (call, "orderby"),
                   kwarg_int (call, "offset", 0), kwarg_int (call, "limit", -1), TRUE,
                   lazy == NULL || node_truthy (lazy), error);
}

static JsonNode *
m_formatted_read_group (CtSimCall  *call,
                        GError    **error)
{
  return do_group (call, ct_sim_orm_kwarg (call, "domain"), ct_sim_orm_kwarg (call, "groupby"),
                   ct_sim_orm_kwarg (call, "aggregates"), kwarg_str (call, "order"),
                   kwarg_int (call, "offset", 0), kwarg_int (call, "limit", -1), FALSE, FALSE,
                   error);
}

/* web_search_read / web_read */

static JsonNode *read_spec (CtSimModel *model, guint row, JsonObject *spec);

static JsonNode *
read_spec (CtSimModel *model,
           guint       row,
           JsonObject *spec)
{
  JsonObject *object = json_object_new ();
  GList *members = json_object_get_members (spec);

  json_object_set_int_member (object, "id", ct_sim_model_row_id (model, row));
  for (GList *l = members; l != NULL; l = l->next)
    {
      CtSimField *field = ct_sim_model_get_field (model, l->data);
      JsonNode *sub = json_object_get_member (spec, l->data);
      JsonObject *subfields = NULL;
      CtSimModel *comodel;

      if (field == NULL || field->index == 0)
        continue;
      if (JSON_NODE_HOLDS_OBJECT (sub) &&
          json_object_has_member (json_node_get_object (sub), "fields") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (sub), "fields")))
        subfields = json_object_get_object_member (json_node_get_object (sub), "fields");
      comodel = ct_sim_db_get_model (model->db, field->relation);
      if (subfields != NULL && comodel != NULL && field->type == CT_SIM_FIELD_MANY2ONE)
        {
          CtSimValue v = ct_sim_model_get (model, row, field);
          guint crow;

          if (ct_sim_model_lookup (comodel, v.i, &crow))
            json_object_set_member (object, field->name, read_spec (comodel, crow, subfields));
          else
            json_object_set_boolean_member (object, field->name, FALSE);
        }
      else if (subfields != NULL && comodel != NULL &&
               (field->type == CT_SIM_FIELD_ONE2MANY || field->type == CT_SIM_FIELD_MANY2MANY))
        {
          CtSimValue v = ct_sim_model_get (model, row, field);
          JsonArray *array = json_array_new ();

          for (guint i = 0; v.ids != NULL && i < v.ids->len; i++)
            {
              guint crow;

              if (ct_sim_model_lookup (comodel, g_array_index (v.ids, gint64, i), &crow))
                json_array_add_element (array, read_spec (comodel, crow, subfields));
            }
          json_object_set_array_member (object, field->name, array);
        }
      else if (field->type == CT_SIM_FIELD_MANY2ONE)
        {
          CtSimValue v = ct_sim_model_get (model, row, field);

          if (v.i != 0)
            json_object_set_int_member (object, field->name, v.i);
          else
            json_object_set_boolean_member (object, field->name, FALSE);
        }
      else
        json_object_set_member (object, field->name, ct_sim_model_value_to_json (model, row, field));
    }
  g_list_free (members);
  return ct_sim_json_object (object);
}

static JsonNode *
m_web_search_read (CtSimCall  *call,
                   GError    **error)
{
  JsonNode *spec = ct_sim_orm_kwarg (call, "specification");
  gint64 offset = kwarg_int (call, "offset", 0);
  gint64 limit = kwarg_int (call, "limit", -1);
  g_autoptr(GArray) all = NULL;
  JsonObject *result;
  JsonArray *records;
  guint end;

  if (spec == NULL || !JSON_NODE_HOLDS_OBJECT (spec))
    {
      g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                           "specification must be a dict");
      return NULL;
    }
  all = ct_sim_orm_search_rows (call->model, ct_sim_orm_kwarg (call, "domain"), call->context,
                                kwarg_str (call, "order"), 0, -1, error);
  if (all == NULL)
    return NULL;
  records = json_array_new ();
  end = limit >= 0 ? (guint) MIN ((guint64) offset + (guint64) limit, all->len) : all->len;
  for (guint i = (guint) MIN ((guint64) offset, all->len); i < end; i++)
    json_array_add_element (records, read_spec (call->model, g_array_index (all, guint, i),
                                                json_node_get_object (spec)));
  result = json_object_new ();
  json_object_set_int_member (result, "length", MIN (all->len, (guint) kwarg_int (call, "count_limit", G_MAXUINT)));
  json_object_set_array_member (result, "records", records);
  return ct_sim_json_object (result);
}

static JsonNode *
m_web_read (CtSimCall  *call,
            GError    **error)
{
  JsonNode *spec = ct_sim_orm_kwarg (call, "specification");
  JsonArray *records = json_array_new ();

  if (spec == NULL || !JSON_NODE_HOLDS_OBJECT (spec))
    {
      json_array_unref (records);
      g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                           "specification must be a dict");
      return NULL;
    }
  for (guint i = 0; i < call->ids->len; i++)
    {
      guint row;

      if (ct_sim_model_lookup (call->model, g_array_index (call->ids, gint64, i), &row))
        json_array_add_element (records, read_spec (call->model, row, json_node_get_object (spec)));
    }
  return ct_sim_json_array (records);
}

static JsonNode *
m_name_search (CtSimCall  *call,
               GError    **error)
{
  const char *name = kwarg_str (call, "name");
  g_autoptr(GArray) rows = ct_sim_orm_search_rows (call->model, ct_sim_orm_kwarg (call, "domain"),
                                                   call->context, NULL, 0, -1, error);
  g_autofree char *folded = NULL;
  JsonArray *result;
  gint64 limit = kwarg_int (call, "limit", 100);

  if (rows == NULL)
    return NULL;
  folded = g_strdup_printf ("%%%s%%", name != NULL ? name : "");
  {
    g_autofree char *f = g_utf8_casefold (folded, -1);

    g_free (folded);
    folded = g_steal_pointer (&f);
  }
  result = json_array_new ();
  for (guint i = 0; i < rows->len && (limit < 0 || json_array_get_length (result) < (guint64) limit); i++)
    {
      guint row = g_array_index (rows, guint, i);
      g_autofree char *display = ct_sim_model_display_name (call->model, row);
      JsonArray *pair;

      if (display == NULL || !ct_sim_like (display, folded, TRUE))
        continue;
      pair = json_array_new ();
      json_array_add_int_element (pair, ct_sim_model_row_id (call->model, row));
      json_array_add_string_element (pair, display);
      json_array_add_array_element (result, pair);
    }
  return ct_sim_json_array (result);
}

static JsonNode *
m_default_get (CtSimCall  *call,
               GError    **error)
{
  return ct_sim_json_object (json_object_new ());
}

static JsonNode *
m_check_access_rights (CtSimCall  *call,
                       GError    **error)
{
  const char *operation = kwarg_str (call, "operation");
  gboolean write = g_strcmp0 (operation, "read") != 0;
  JsonNode *raise = ct_sim_orm_kwarg (call, "raise_exception");
  g_autoptr(GError) local = NULL;

  if (ct_sim_orm_check_access (call->odoo, call->user, call->model, write, &local))
    return json_node_init_boolean (json_node_alloc (), TRUE);
  if (raise == NULL || node_truthy (raise))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return json_node_init_boolean (json_node_alloc (), FALSE);
}

static const CtSimMethod generic_methods[] = {
  { NULL, "search", TRUE, "domain,?offset,?limit,?order", FALSE, m_search },
  { NULL, "search_count", TRUE, "domain,?limit", FALSE, m_search_count },
  { NULL, "search_read", TRUE, "?domain,?fields,?offset,?limit,?order,**", FALSE, m_search_read },
  { NULL, "read", FALSE, "?fields,?load", FALSE, m_read },
  { NULL, "create", TRUE, "vals_list", TRUE, m_create },
  { NULL, "write", FALSE, "vals", TRUE, m_write },
  { NULL, "unlink", FALSE, "", TRUE, m_unlink },
  { NULL, "fields_get", TRUE, "?allfields,?attributes", CT_SIM_ACCESS_NONE, m_fields_get },
  { NULL, "read_group", TRUE, "domain,fields,groupby,?offset,?limit,?orderby,?lazy", FALSE, m_read_group },
  { NULL, "formatted_read_group", TRUE, "domain,?groupby,?aggregates,?having,?offset,?limit,?order",
    FALSE, m_formatted_read_group },
  { NULL, "web_search_read", TRUE, "domain,specification,?offset,?limit,?order,?count_limit",
    FALSE, m_web_search_read },
  { NULL, "web_read", FALSE, "specification", FALSE, m_web_read },
  { NULL, "name_search", TRUE, "?name,?domain,?operator,?limit", FALSE, m_name_search },
  { NULL, "default_get", TRUE, "fields_list", FALSE, m_default_get },
  { NULL, "check_access_rights", TRUE, "operation,?raise_exception", CT_SIM_ACCESS_NONE,
    m_check_access_rights },
  { NULL }
};

/* Every method table, searched in order: the first row whose name and model
 * match wins, so a module's method overrides the generic one of the same
 * name. A new method is one row in its module's table plus its function; a
 * new module's table is one line here. */
static const CtSimMethod *const method_tables[] = {
  ct_sim_business_methods,
  ct_sim_attachment_methods,
  generic_methods,
};

const CtSimMethod *
ct_sim_orm_find_method (CtSimModel *model,
                        const char *name)
{
  for (guint t = 0; t < G_N_ELEMENTS (method_tables); t++)
    for (const CtSimMethod *m = method_tables[t]; m->name != NULL; m++)
      if (g_strcmp0 (m->name, name) == 0 &&
          (m->model == NULL || g_strcmp0 (m->model, model->name) == 0 ||
           (m->model[0] == '@' && ct_sim_model_get_field (model, m->model + 1) != NULL)))
        return m;
  return NULL;
}
