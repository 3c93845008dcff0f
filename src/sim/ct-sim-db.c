/* ct-sim-db.c - The simulator's in-memory record store: models, fields, typed columns
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ct-json.h"
#include "ct-sim-db.h"

G_DEFINE_QUARK (ct-sim-odoo-error-quark, ct_sim_odoo_error)

const char *
ct_sim_odoo_error_class_name (int code)
{
  switch ((CtSimOdooError) code)
    {
    case CT_SIM_ODOO_ACCESS_DENIED: return "odoo.exceptions.AccessDenied";
    case CT_SIM_ODOO_ACCESS_ERROR: return "odoo.exceptions.AccessError";
    case CT_SIM_ODOO_MISSING_ERROR: return "odoo.exceptions.MissingError";
    case CT_SIM_ODOO_USER_ERROR: return "odoo.exceptions.UserError";
    case CT_SIM_ODOO_VALIDATION_ERROR: return "odoo.exceptions.ValidationError";
    case CT_SIM_ODOO_VALUE_ERROR: return "builtins.ValueError";
    case CT_SIM_ODOO_TYPE_ERROR: return "builtins.TypeError";
    case CT_SIM_ODOO_KEY_ERROR: return "builtins.KeyError";
    case CT_SIM_ODOO_ATTRIBUTE_ERROR: return "builtins.AttributeError";
    case CT_SIM_ODOO_EXCEPTION: return "builtins.Exception";
    case CT_SIM_ODOO_OPERATIONAL_ERROR: return "psycopg2.OperationalError";
    case CT_SIM_ODOO_SESSION_EXPIRED: return "odoo.http.SessionExpiredException";
    case CT_SIM_ODOO_NOT_FOUND: return "werkzeug.exceptions.NotFound";
    case CT_SIM_ODOO_UNPROCESSABLE: return "werkzeug.exceptions.UnprocessableEntity";
    default: return "builtins.Exception";
    }
}

static const struct
{
  const char     *name;
  CtSimFieldType  type;
} field_types[] = {
  { "char", CT_SIM_FIELD_CHAR },
  { "text", CT_SIM_FIELD_TEXT },
  { "html", CT_SIM_FIELD_HTML },
  { "integer", CT_SIM_FIELD_INTEGER },
  { "float", CT_SIM_FIELD_FLOAT },
  { "monetary", CT_SIM_FIELD_MONETARY },
  { "boolean", CT_SIM_FIELD_BOOLEAN },
  { "date", CT_SIM_FIELD_DATE },
  { "datetime", CT_SIM_FIELD_DATETIME },
  { "selection", CT_SIM_FIELD_SELECTION },
  { "many2one", CT_SIM_FIELD_MANY2ONE },
  { "one2many", CT_SIM_FIELD_ONE2MANY },
  { "many2many", CT_SIM_FIELD_MANY2MANY },
  { "binary", CT_SIM_FIELD_BINARY },
  { "json", CT_SIM_FIELD_JSON },
  { "reference", CT_SIM_FIELD_REFERENCE },
  { "many2one_reference", CT_SIM_FIELD_MANY2ONE_REFERENCE },
};

static gboolean
parse_field_type (const char     *name,
                  CtSimFieldType *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_types); i++)
    if (g_strcmp0 (field_types[i].name, name) == 0)
      {
        *type = field_types[i].type;
        return TRUE;
      }
  return FALSE;
}

static gboolean
is_x2many (CtSimFieldType type)
{
  return type == CT_SIM_FIELD_ONE2MANY || type == CT_SIM_FIELD_MANY2MANY;
}

static gboolean
is_string_type (CtSimFieldType type)
{
  switch (type)
    {
    case CT_SIM_FIELD_CHAR:
    case CT_SIM_FIELD_TEXT:
    case CT_SIM_FIELD_HTML:
    case CT_SIM_FIELD_DATE:
    case CT_SIM_FIELD_DATETIME:
    case CT_SIM_FIELD_SELECTION:
    case CT_SIM_FIELD_BINARY:
    case CT_SIM_FIELD_REFERENCE:
    case CT_SIM_FIELD_JSON:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
field_free (gpointer data)
{
  CtSimField *field = data;

  if (is_x2many (field->type))
    for (guint i = 0; i < field->column_len; i++)
      g_clear_pointer (&field->column[i].ids, g_array_unref);
  g_free (field->column);
  g_free (field->name);
  g_free (field->relation);
  g_free (field->inverse);
  g_free (field->string);
  g_clear_pointer (&field->attrs, json_object_unref);
  g_strfreev (field->groups);
  g_free (field->groups_text);
  g_free (field);
}

static void
model_free (gpointer data)
{
  CtSimModel *model = data;

  g_ptr_array_unref (model->fields);
  g_hash_table_unref (model->by_name);
  g_array_unref (model->ids);
  g_byte_array_unref (model->alive);
  g_hash_table_unref (model->id_to_row);
  g_strfreev (model->read_groups);
  g_strfreev (model->write_groups);
  g_free (model->groups_text);
  g_free (model->name);
  g_free (model->description);
  g_free (model);
}

CtSimDb *
ct_sim_db_new (const char *name,
               GDateTime  *now)
{
  CtSimDb *db = g_new0 (CtSimDb, 1);

  db->models = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, model_free);
  db->strings = g_string_chunk_new (64 * 1024);
  db->name = g_strdup (name);
  db->now = g_date_time_ref (now);
  return db;
}

void
ct_sim_db_free (CtSimDb *db)
{
  if (db == NULL)
    return;
  g_hash_table_unref (db->models);
  g_string_chunk_free (db->strings);
  g_date_time_unref (db->now);
  g_free (db->name);
  g_free (db);
}

CtSimModel *
ct_sim_db_add_model (CtSimDb    *db,
                     const char *name,
                     const char *description)
{
  CtSimModel *model = g_new0 (CtSimModel, 1);

  model->db = db;
  model->name = g_strdup (name);
  model->description = g_strdup (description);
  model->fields = g_ptr_array_new_with_free_func (field_free);
  model->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  model->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  model->alive = g_byte_array_new ();
  model->id_to_row = g_hash_table_new (NULL, NULL);
  model->next_id = 1;
  model->rec_name = "name";
  model->default_order = "id";
  g_hash_table_insert (db->models, model->name, model);

  ct_sim_model_add_fields_spec (model,
                                "id|integer|ID||R;"
                                "display_name|char|Display Name||Rc;"
                                "create_date|datetime|Created on||R;"
                                "create_uid|many2one|Created by|res.users|R;"
                                "write_date|datetime|Last Updated on||R;"
                                "write_uid|many2one|Last Updated by|res.users|R");
  return model;
}

CtSimModel *
ct_sim_db_get_model (CtSimDb    *db,
                     const char *name)
{
  return name != NULL ? g_hash_table_lookup (db->models, name) : NULL;
}

const char *
ct_sim_db_intern (CtSimDb    *db,
                  const char *str)
{
  return str != NULL ? g_string_chunk_insert_const (db->strings, str) : NULL;
}

static gint64
live_offset (CtSimDb *db)
{
  if (db->live_since_us == 0)
    return 0;
  return (g_get_monotonic_time () - db->live_since_us) / G_USEC_PER_SEC;
}

const char *
ct_sim_db_datetime (CtSimDb *db,
                    gint64   offset_seconds)
{
  offset_seconds += live_offset (db);
  {
  g_autoptr(GDateTime) dt = g_date_time_add_seconds (db->now, (double) offset_seconds);
  g_autofree char *s = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");

  return ct_sim_db_intern (db, s);
  }
}

const char *
ct_sim_db_date (CtSimDb *db,
                gint64   offset_seconds)
{
  offset_seconds += live_offset (db);
  {
  g_autoptr(GDateTime) dt = g_date_time_add_seconds (db->now, (double) offset_seconds);
  g_autofree char *s = g_date_time_format (dt, "%Y-%m-%d");

  return ct_sim_db_intern (db, s);
  }
}

static CtSimField *
model_add_field (CtSimModel     *model,
                 const char     *name,
                 CtSimFieldType  type,
                 JsonObject     *attrs)
{
  CtSimField *field = g_hash_table_lookup (model->by_name, name);

  if (field != NULL)
    {
      /* Redefinition (recorded metadata over the base fields): keep the
       * column, take the new metadata. */
      g_clear_pointer (&field->attrs, json_object_unref);
      g_clear_pointer (&field->relation, g_free);
      g_clear_pointer (&field->string, g_free);
      g_clear_pointer (&field->inverse, g_free);
    }
  else
    {
      field = g_new0 (CtSimField, 1);
      field->name = g_strdup (name);
      field->index = model->fields->len;
      g_ptr_array_add (model->fields, field);
      g_hash_table_insert (model->by_name, field->name, field);
    }
  field->type = type;
  field->attrs = json_object_ref (attrs);
  if (json_object_has_member (attrs, "relation"))
    field->relation = g_strdup (json_object_get_string_member (attrs, "relation"));
  if (json_object_has_member (attrs, "relation_field"))
    field->inverse = g_strdup (json_object_get_string_member (attrs, "relation_field"));
  field->string = g_strdup (json_object_get_string_member_with_default (attrs, "string", name));
  field->required = json_object_get_boolean_member_with_default (attrs, "required", FALSE);
  field->readonly = json_object_get_boolean_member_with_default (attrs, "readonly", FALSE);
  field->store = json_object_get_boolean_member_with_default (attrs, "store", TRUE);
  return field;
}

void
ct_sim_model_add_fields_spec (CtSimModel *model,
                              const char *spec)
{
  g_auto(GStrv) entries = g_strsplit (spec, ";", -1);

  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_auto(GStrv) parts = NULL;
      g_autoptr(JsonObject) attrs = NULL;
      CtSimFieldType type;
      const char *flags;
      gboolean computed;

      g_strstrip (entries[i]);
      if (entries[i][0] == '\0')
        continue;
      parts = g_strsplit (entries[i], "|", 5);
      if (g_strv_length (parts) < 3 || !parse_field_type (parts[1], &type))
        g_error ("Bad field spec on %s: %s", model->name, entries[i]);
      flags = parts[3] != NULL && parts[4] != NULL ? parts[4] : "";
      computed = strchr (flags, 'c') != NULL;
      attrs = json_object_new ();
      json_object_set_boolean_member (attrs, "readonly", strchr (flags, 'R') != NULL);
      json_object_set_boolean_member (attrs, "required", strchr (flags, 'r') != NULL);
      json_object_set_boolean_member (attrs, "store", !computed);
      json_object_set_string_member (attrs, "string", parts[2]);
      json_object_set_string_member (attrs, "type", parts[1]);
      json_object_set_string_member (attrs, "name", parts[0]);
      if (parts[3] != NULL && parts[3][0] != '\0')
        {
          if (type == CT_SIM_FIELD_SELECTION)
            {
              g_auto(GStrv) options = g_strsplit (parts[3], ",", -1);
              JsonArray *selection = json_array_new ();

              for (guint j = 0; options[j] != NULL; j++)
                {
                  g_auto(GStrv) kv = g_strsplit (options[j], "=", 2);
                  JsonArray *pair = json_array_new ();

                  json_array_add_string_element (pair, kv[0]);
                  json_array_add_string_element (pair, kv[1] != NULL ? kv[1] : kv[0]);
                  json_array_add_array_element (selection, pair);
                }
              json_object_set_array_member (attrs, "selection", selection);
            }
          else
            {
              g_auto(GStrv) rel = g_strsplit (parts[3], ":", 2);

              json_object_set_string_member (attrs, "relation", rel[0]);
              if (rel[1] != NULL)
                json_object_set_string_member (attrs, "relation_field", rel[1]);
            }
        }
      model_add_field (model, parts[0], type, attrs);
    }
}

void
ct_sim_model_add_fields_json (CtSimModel *model,
                              const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  GList *members;

  if (!ct_json_parser_load (parser, json, -1, &error))
    g_error ("Recorded fields of %s do not parse: %s", model->name, error->message);
  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *attrs = json_object_get_object_member (object, l->data);
      CtSimFieldType type;

      if (!parse_field_type (json_object_get_string_member (attrs, "type"), &type))
        type = CT_SIM_FIELD_CHAR;
      model_add_field (model, l->data, type, attrs);
    }
  g_list_free (members);
}

void
ct_sim_model_set_field_groups (CtSimModel *model,
                               const char *fields,
                               const char *groups,
                               const char *groups_text)
{
  g_auto(GStrv) names = g_strsplit (fields, ",", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      CtSimField *field = ct_sim_model_get_field (model, names[i]);

      if (field == NULL)
        continue;
      g_strfreev (field->groups);
      g_free (field->groups_text);
      field->groups = g_strsplit (groups, ",", -1);
      field->groups_text = g_strdup (groups_text);
    }
}

gboolean
ct_sim_field_readable (CtSimModel *model,
                       CtSimField *field)
{
  char **mine = model->db->current_groups;

  if (field->groups == NULL || mine == NULL)
    return TRUE;
  for (guint i = 0; field->groups[i] != NULL; i++)
    if (g_strv_contains ((const char * const *) mine, field->groups[i]))
      return TRUE;
  return FALSE;
}

CtSimField *
ct_sim_model_get_field (CtSimModel *model,
                        const char *name)
{
  return name != NULL ? g_hash_table_lookup (model->by_name, name) : NULL;
}

void
ct_sim_model_set_access (CtSimModel *model,
                         const char *read_groups,
                         const char *write_groups,
                         const char *groups_text)
{
  g_strfreev (model->read_groups);
  g_strfreev (model->write_groups);
  g_free (model->groups_text);
  model->read_groups = read_groups != NULL ? g_strsplit (read_groups, ",", -1) : NULL;
  model->write_groups = write_groups != NULL ? g_strsplit (write_groups, ",", -1) : NULL;
  model->groups_text = g_strdup (groups_text);
}

guint
ct_sim_model_new_row (CtSimModel *model,
                      gint64      id)
{
  guint row = model->ids->len;
  guint8 one = 1;

  if (id <= 0)
    id = model->next_id;
  if (id >= model->next_id)
    model->next_id = id + 1;
  g_array_append_val (model->ids, id);
  g_byte_array_append (model->alive, &one, 1);
  g_hash_table_insert (model->id_to_row, GINT_TO_POINTER ((int) id), GUINT_TO_POINTER (row + 1));
  model->n_alive++;
  return row;
}

gboolean
ct_sim_model_lookup (CtSimModel *model,
                     gint64      id,
                     guint      *row)
{
  guint r;

  if (id <= 0 || id > G_MAXINT)
    return FALSE;
  r = GPOINTER_TO_UINT (g_hash_table_lookup (model->id_to_row, GINT_TO_POINTER ((int) id)));
  if (r == 0 || !model->alive->data[r - 1])
    return FALSE;
  if (row != NULL)
    *row = r - 1;
  return TRUE;
}

gint64
ct_sim_model_row_id (CtSimModel *model,
                     guint       row)
{
  return g_array_index (model->ids, gint64, row);
}

guint
ct_sim_model_n_rows (CtSimModel *model)
{
  return model->ids->len;
}

gboolean
ct_sim_model_row_alive (CtSimModel *model,
                        guint       row)
{
  return row < model->alive->len && model->alive->data[row];
}

void
ct_sim_model_unlink_row (CtSimModel *model,
                         guint       row)
{
  if (!ct_sim_model_row_alive (model, row))
    return;
  model->alive->data[row] = 0;
  model->n_alive--;
}

CtSimValue
ct_sim_model_get (CtSimModel *model,
                  guint       row,
                  CtSimField *field)
{
  CtSimValue empty = { 0 };

  if (field->index == 0)
    {
      empty.i = ct_sim_model_row_id (model, row);
      return empty;
    }
  if (row >= field->column_len)
    return empty;
  return field->column[row];
}

void
ct_sim_model_set (CtSimModel *model,
                  guint       row,
                  CtSimField *field,
                  CtSimValue  value)
{
  if (row >= field->column_len)
    {
      guint len = MAX (MAX (row + 1, field->column_len * 2), MAX (64, model->ids->len));

      field->column = g_renew (CtSimValue, field->column, len);
      memset (field->column + field->column_len, 0,
              (len - field->column_len) * sizeof (CtSimValue));
      field->column_len = len;
    }
  if (is_x2many (field->type) && field->column[row].ids != NULL &&
      field->column[row].ids != value.ids)
    g_array_unref (field->column[row].ids);
  field->column[row] = value;
}

static CtSimField *
field_or_die (CtSimModel *model,
              const char *name)
{
  CtSimField *field = ct_sim_model_get_field (model, name);

  if (field == NULL)
    g_error ("No field %s on %s", name, model->name);
  return field;
}

void
ct_sim_model_touch (CtSimModel *model,
                    guint       row,
                    gint64      uid)
{
  if (ct_sim_model_get_field (model, "write_date") == NULL)
    return;
  ct_sim_model_set_str (model, row, "write_date", ct_sim_db_datetime (model->db, 0));
  if (uid > 0)
    ct_sim_model_set_int (model, row, "write_uid", uid);
}

void
ct_sim_model_set_str (CtSimModel *model,
                      guint       row,
                      const char *field,
                      const char *value)
{
  CtSimValue v = { .s = ct_sim_db_intern (model->db, value) };

  ct_sim_model_set (model, row, field_or_die (model, field), v);
}

void
ct_sim_model_set_int (CtSimModel *model,
                      guint       row,
                      const char *field,
                      gint64      value)
{
  CtSimField *f = field_or_die (model, field);
  CtSimValue v = { 0 };

  if (f->type == CT_SIM_FIELD_FLOAT || f->type == CT_SIM_FIELD_MONETARY)
    v.f = (double) value;
  else
    v.i = value;
  ct_sim_model_set (model, row, f, v);
}

void
ct_sim_model_set_float (CtSimModel *model,
                        guint       row,
                        const char *field,
                        double      value)
{
  CtSimValue v = { .f = value };

  ct_sim_model_set (model, row, field_or_die (model, field), v);
}

void
ct_sim_model_add_id (CtSimModel *model,
                     guint       row,
                     const char *field,
                     gint64      id)
{
  CtSimField *f = field_or_die (model, field);
  CtSimValue v = ct_sim_model_get (model, row, f);

  if (v.ids == NULL)
    {
      v.ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 2);
      g_array_append_val (v.ids, id);
      ct_sim_model_set (model, row, f, v);
    }
  else
    {
      for (guint i = 0; i < v.ids->len; i++)
        if (g_array_index (v.ids, gint64, i) == id)
          return;
      g_array_append_val (v.ids, id);
    }
}

const char *
ct_sim_model_get_str (CtSimModel *model,
                      guint       row,
                      const char *field)
{
  return ct_sim_model_get (model, row, field_or_die (model, field)).s;
}

gint64
ct_sim_model_get_int (CtSimModel *model,
                      guint       row,
                      const char *field)
{
  return ct_sim_model_get (model, row, field_or_die (model, field)).i;
}

double
ct_sim_model_get_float (CtSimModel *model,
                        guint       row,
                        const char *field)
{
  return ct_sim_model_get (model, row, field_or_die (model, field)).f;
}

char *
ct_sim_model_display_name (CtSimModel *model,
                           guint       row)
{
  CtSimField *field;
  CtSimValue v;

  if (model->display != NULL)
    return model->display (model, row);
  field = ct_sim_model_get_field (model, model->rec_name);
  if (field == NULL)
    return g_strdup_printf ("%s,%" G_GINT64_FORMAT, model->name, ct_sim_model_row_id (model, row));
  v = ct_sim_model_get (model, row, field);
  if (field->type == CT_SIM_FIELD_MANY2ONE)
    {
      CtSimModel *comodel = ct_sim_db_get_model (model->db, field->relation);
      guint crow;

      if (comodel != NULL && ct_sim_model_lookup (comodel, v.i, &crow))
        return ct_sim_model_display_name (comodel, crow);
      return NULL;
    }
  return g_strdup (v.s);
}

JsonNode *
ct_sim_model_value_to_json (CtSimModel *model,
                            guint       row,
                            CtSimField *field)
{
  CtSimValue v = ct_sim_model_get (model, row, field);

  /* Computed values: fields without a column of their own (non-stored, or
   * stored fields the dataset never fills, like Odoo's presentation fields). */
  if (model->compute != NULL && (!field->store || row >= field->column_len) && field->index != 0)
    {
      JsonNode *computed = model->compute (model, row, field);

      if (computed != NULL)
        return computed;
    }
  if (g_strcmp0 (field->name, "display_name") == 0)
    {
      g_autofree char *name = ct_sim_model_display_name (model, row);

      if (name == NULL)
        return json_node_init_boolean (json_node_alloc (), FALSE);
      return json_node_init_string (json_node_alloc (), name);
    }

  switch (field->type)
    {
    case CT_SIM_FIELD_INTEGER:
    case CT_SIM_FIELD_MANY2ONE_REFERENCE:
      return json_node_init_int (json_node_alloc (), v.i);
    case CT_SIM_FIELD_FLOAT:
    case CT_SIM_FIELD_MONETARY:
      /* Python's json writes 7200.0 as 7200.0, but the recorded answers show
       * integral amounts as integers (Odoo rounds floats to their digits and
       * integral results come out as int): keep that. */
      if (v.f == (double) (gint64) v.f && v.f < 1e15 && v.f > -1e15)
        return json_node_init_int (json_node_alloc (), (gint64) v.f);
      return json_node_init_double (json_node_alloc (), v.f);
    case CT_SIM_FIELD_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (), v.i != 0);
    case CT_SIM_FIELD_MANY2ONE:
      {
        CtSimModel *comodel = ct_sim_db_get_model (model->db, field->relation);
        JsonArray *pair;
        g_autofree char *name = NULL;
        guint crow;

        if (v.i == 0 || comodel == NULL || !ct_sim_model_lookup (comodel, v.i, &crow))
          return json_node_init_boolean (json_node_alloc (), FALSE);
        name = ct_sim_model_display_name (comodel, crow);
        pair = json_array_sized_new (2);
        json_array_add_int_element (pair, v.i);
        if (name != NULL)
          json_array_add_string_element (pair, name);
        else
          json_array_add_boolean_element (pair, FALSE);
        return ct_sim_json_array (pair);
      }
    case CT_SIM_FIELD_ONE2MANY:
    case CT_SIM_FIELD_MANY2MANY:
      {
        JsonArray *array = json_array_new ();
        CtSimModel *comodel = ct_sim_db_get_model (model->db, field->relation);
        CtSimField *active = comodel != NULL && comodel->has_active &&
          field->type == CT_SIM_FIELD_ONE2MANY ? ct_sim_model_get_field (comodel, "active") : NULL;

        if (v.ids != NULL)
          for (guint i = 0; i < v.ids->len; i++)
            {
              gint64 id = g_array_index (v.ids, gint64, i);
              guint crow;

              /* Unlinked records vanish from relations, as in a database,
               * and archived ones from one2many fields (09-01: the done
               * activity leaves activity_ids). */
              if (comodel == NULL ||
                  (ct_sim_model_lookup (comodel, id, &crow) &&
                   (active == NULL || ct_sim_model_get (comodel, crow, active).i != 0)))
                json_array_add_int_element (array, id);
            }
        return ct_sim_json_array (array);
      }
    case CT_SIM_FIELD_JSON:
      if (v.s != NULL)
        {
          JsonNode *parsed = ct_json_parse (v.s, -1, NULL);

          if (parsed != NULL)
            return parsed;
        }
      return json_node_init_boolean (json_node_alloc (), FALSE);
    default:
      if (v.s == NULL)
        return json_node_init_boolean (json_node_alloc (), FALSE);
      return json_node_init_string (json_node_alloc (), v.s);
    }
}

/* json-glib 1.6 escapes the quote, the backslash, the control characters
 * below 0x1f (five of them by name) and DEL, and writes everything else,
 * 0x1f and UTF-8 included, as it is. */
static gboolean
json_byte_escaped (guchar c)
{
  return c == '"' || c == '\\' || (c > 0 && c < 0x1f) || c == 0x7f;
}

void
ct_sim_json_write_string (GString    *out,
                          const char *text)
{
  const guchar *p = (const guchar *) text;

  g_string_append_c (out, '"');
  while (*p != '\0')
    {
      const guchar *run = p;

      while (*p != '\0' && !json_byte_escaped (*p))
        p++;
      g_string_append_len (out, (const char *) run, p - run);
      if (*p == '\0')
        break;
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default: g_string_append_printf (out, "\\u%04x", *p); break;
        }
      p++;
    }
  g_string_append_c (out, '"');
}

/* g_string_append_printf() allocates for every number; ids are most of a read. */
static void
write_int (GString *out,
           gint64   value)
{
  char buf[24];
  guint64 magnitude = value < 0 ? -(guint64) value : (guint64) value;
  guint i = sizeof buf;

  do
    {
      buf[--i] = '0' + magnitude % 10;
      magnitude /= 10;
    }
  while (magnitude != 0);
  if (value < 0)
    buf[--i] = '-';
  g_string_append_len (out, buf + i, sizeof buf - i);
}

void
ct_sim_json_write (GString  *out,
                   JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            ct_sim_json_write_string (out, name);
            g_string_append_c (out, ':');
            ct_sim_json_write (out, member);
          }
        g_string_append_c (out, '}');
        return;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            ct_sim_json_write (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
        return;
      }
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      return;
    case JSON_NODE_VALUE:
      break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      write_int (out, json_node_get_int (node));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    case G_TYPE_STRING:
      ct_sim_json_write_string (out, json_node_get_string (node));
      break;
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node));
        g_string_append (out, buf);
        /* json-glib marks a double without a point as one, even 1e+20. */
        if (strchr (buf, '.') == NULL)
          g_string_append (out, ".0");
        break;
      }
    default:
      {
        g_autofree char *text = json_to_string (node, FALSE);

        g_string_append (out, text);
        break;
      }
    }
}


void
ct_sim_model_value_write (CtSimModel *model,
                          guint       row,
                          CtSimField *field,
                          GString    *out)
{
  CtSimValue v;

  /* The values computed per model, the JSON fields and non-integral
   * amounts are few: they go through the node, written the same way. */
  if ((model->compute != NULL && (!field->store || row >= field->column_len) &&
       field->index != 0) ||
      field->type == CT_SIM_FIELD_JSON)
    {
      g_autoptr(JsonNode) node = ct_sim_model_value_to_json (model, row, field);

      ct_sim_json_write (out, node);
      return;
    }
  if (g_strcmp0 (field->name, "display_name") == 0)
    {
      g_autofree char *name = ct_sim_model_display_name (model, row);

      if (name == NULL)
        g_string_append (out, "false");
      else
        ct_sim_json_write_string (out, name);
      return;
    }

  v = ct_sim_model_get (model, row, field);
  switch (field->type)
    {
    case CT_SIM_FIELD_INTEGER:
    case CT_SIM_FIELD_MANY2ONE_REFERENCE:
      write_int (out, v.i);
      break;
    case CT_SIM_FIELD_FLOAT:
    case CT_SIM_FIELD_MONETARY:
      if (v.f == (double) (gint64) v.f && v.f < 1e15 && v.f > -1e15)
        write_int (out, (gint64) v.f);
      else
        {
          g_autoptr(JsonNode) node = ct_sim_model_value_to_json (model, row, field);

          ct_sim_json_write (out, node);
        }
      break;
    case CT_SIM_FIELD_BOOLEAN:
      g_string_append (out, v.i != 0 ? "true" : "false");
      break;
    case CT_SIM_FIELD_MANY2ONE:
      {
        CtSimModel *comodel = ct_sim_db_get_model (model->db, field->relation);
        g_autofree char *name = NULL;
        guint crow;

        if (v.i == 0 || comodel == NULL || !ct_sim_model_lookup (comodel, v.i, &crow))
          {
            g_string_append (out, "false");
            break;
          }
        name = ct_sim_model_display_name (comodel, crow);
        g_string_append_c (out, '[');
        write_int (out, v.i);
        g_string_append_c (out, ',');
        if (name != NULL)
          ct_sim_json_write_string (out, name);
        else
          g_string_append (out, "false");
        g_string_append_c (out, ']');
        break;
      }
    case CT_SIM_FIELD_ONE2MANY:
    case CT_SIM_FIELD_MANY2MANY:
      {
        CtSimModel *comodel = ct_sim_db_get_model (model->db, field->relation);
        CtSimField *active = comodel != NULL && comodel->has_active &&
          field->type == CT_SIM_FIELD_ONE2MANY ? ct_sim_model_get_field (comodel, "active") : NULL;
        gboolean first = TRUE;

        g_string_append_c (out, '[');
        for (guint i = 0; v.ids != NULL && i < v.ids->len; i++)
          {
            gint64 id = g_array_index (v.ids, gint64, i);
            guint crow;

            /* The same records as ct_sim_model_value_to_json() keeps. */
            if (comodel == NULL ||
                (ct_sim_model_lookup (comodel, id, &crow) &&
                 (active == NULL || ct_sim_model_get (comodel, crow, active).i != 0)))
              {
                if (!first)
                  g_string_append_c (out, ',');
                first = FALSE;
                write_int (out, id);
              }
          }
        g_string_append_c (out, ']');
        break;
      }
    default:
      if (v.s == NULL)
        g_string_append (out, "false");
      else
        ct_sim_json_write_string (out, v.s);
      break;
    }
}

static gboolean
type_error (GError    **error,
            CtSimField *field,
            JsonNode   *node)
{
  g_autoptr(GString) repr = g_string_new (NULL);

  ct_sim_py_repr (repr, node);
  g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
               "Wrong value for %s: %s", field->name, repr->str);
  return FALSE;
}

static gboolean
node_to_id (JsonNode *node,
            gint64   *id)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *id = json_node_get_int (node);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
      !json_node_get_boolean (node))
    {
      *id = 0;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_NULL (node))
    {
      *id = 0;
      return TRUE;
    }
  return FALSE;
}

gboolean
ct_sim_model_set_from_json (CtSimModel  *model,
                            guint        row,
                            CtSimField  *field,
                            JsonNode    *node,
                            GError     **error)
{
  CtSimValue v = { 0 };
  gboolean is_false = JSON_NODE_HOLDS_NULL (node) ||
    (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
     !json_node_get_boolean (node) && field->type != CT_SIM_FIELD_BOOLEAN);

  if (is_string_type (field->type))
    {
      if (is_false)
        v.s = NULL;
      else if (field->type == CT_SIM_FIELD_JSON)
        {
          g_autofree char *s = json_to_string (node, FALSE);

          v.s = ct_sim_db_intern (model->db, s);
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (node);

          if (field->type == CT_SIM_FIELD_SELECTION && field->attrs != NULL &&
              json_object_has_member (field->attrs, "selection") &&
              JSON_NODE_HOLDS_ARRAY (json_object_get_member (field->attrs, "selection")))
            {
              JsonArray *sel = json_object_get_array_member (field->attrs, "selection");
              gboolean found = FALSE;

              for (guint i = 0; i < json_array_get_length (sel) && !found; i++)
                {
                  JsonArray *pair = json_array_get_array_element (sel, i);

                  found = g_strcmp0 (json_array_get_string_element (pair, 0), s) == 0;
                }
              if (!found && json_array_get_length (sel) > 0)
                {
                  g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                               "Wrong value for %s.%s: '%s'", model->name, field->name, s);
                  return FALSE;
                }
            }
          if (field->type == CT_SIM_FIELD_HTML && s[0] != '\0' && s[0] != '<')
            {
              g_autofree char *escaped = g_markup_escape_text (s, -1);
              g_autofree char *wrapped = g_strdup_printf ("<p>%s</p>", escaped);

              v.s = ct_sim_db_intern (model->db, wrapped);
            }
          else
            v.s = ct_sim_db_intern (model->db, s);
        }
      else
        return type_error (error, field, node);
    }
  else
    switch (field->type)
      {
      case CT_SIM_FIELD_INTEGER:
      case CT_SIM_FIELD_MANY2ONE_REFERENCE:
        if (is_false)
          v.i = 0;
        else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) != G_TYPE_STRING)
          v.i = (gint64) json_node_get_double (node);
        else
          return type_error (error, field, node);
        break;
      case CT_SIM_FIELD_FLOAT:
      case CT_SIM_FIELD_MONETARY:
        if (is_false)
          v.f = 0;
        else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) != G_TYPE_STRING)
          v.f = json_node_get_double (node);
        else
          return type_error (error, field, node);
        break;
      case CT_SIM_FIELD_BOOLEAN:
        if (JSON_NODE_HOLDS_NULL (node))
          v.i = 0;
        else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
          v.i = json_node_get_boolean (node);
        else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
          v.i = json_node_get_int (node) != 0;
        else
          return type_error (error, field, node);
        break;
      case CT_SIM_FIELD_MANY2ONE:
        {
          CtSimModel *comodel = ct_sim_db_get_model (model->db, field->relation);
          gint64 id;

          if (!node_to_id (node, &id))
            return type_error (error, field, node);
          if (id != 0 && comodel != NULL && !ct_sim_model_lookup (comodel, id, NULL))
            {
              g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_MISSING_ERROR,
                           "Record does not exist or has been deleted.\n"
                           "(Record: %s(%" G_GINT64_FORMAT ",), User: 2)",
                           field->relation, id);
              return FALSE;
            }
          v.i = id;
        }
        break;
      case CT_SIM_FIELD_ONE2MANY:
      case CT_SIM_FIELD_MANY2MANY:
        {
          /* A list of ids, or Odoo's commands: [6, 0, ids], [4, id], [3, id],
           * [5], [0, 0, vals] (creation is done by the caller's model layer
           * for one2many lines; here it links plain ids). */
          CtSimValue old = ct_sim_model_get (model, row, field);
          GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
          JsonArray *array;

          if (old.ids != NULL)
            g_array_append_vals (ids, old.ids->data, old.ids->len);
          if (is_false)
            {
              g_array_set_size (ids, 0);
              v.ids = ids;
              break;
            }
          if (!JSON_NODE_HOLDS_ARRAY (node))
            {
              g_array_unref (ids);
              return type_error (error, field, node);
            }
          array = json_node_get_array (node);
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *item = json_array_get_element (array, i);
              gint64 id;

              if (node_to_id (item, &id) && id > 0)
                {
                  if (i == 0)
                    g_array_set_size (ids, 0);
                  g_array_append_val (ids, id);
                }
              else if (JSON_NODE_HOLDS_ARRAY (item) &&
                       json_array_get_length (json_node_get_array (item)) >= 1)
                {
                  JsonArray *cmd = json_node_get_array (item);
                  gint64 op = json_array_get_int_element (cmd, 0);

                  if (op == 6 && json_array_get_length (cmd) >= 3 &&
                      JSON_NODE_HOLDS_ARRAY (json_array_get_element (cmd, 2)))
                    {
                      JsonArray *list = json_array_get_array_element (cmd, 2);

                      g_array_set_size (ids, 0);
                      for (guint j = 0; j < json_array_get_length (list); j++)
                        {
                          gint64 lid = json_array_get_int_element (list, j);

                          g_array_append_val (ids, lid);
                        }
                    }
                  else if (op == 5)
                    g_array_set_size (ids, 0);
                  else if ((op == 4 || op == 3 || op == 2) && json_array_get_length (cmd) >= 2)
                    {
                      gint64 lid = json_array_get_int_element (cmd, 1);

                      for (guint j = 0; j < ids->len; j++)
                        if (g_array_index (ids, gint64, j) == lid)
                          g_array_remove_index (ids, j--);
                      if (op == 4)
                        g_array_append_val (ids, lid);
                    }
                }
              else
                {
                  g_array_unref (ids);
                  return type_error (error, field, node);
                }
            }
          v.ids = ids;
        }
        break;
      default:
        g_assert_not_reached ();
      }

  ct_sim_model_set (model, row, field, v);
  return TRUE;
}

/* Ordering */

typedef struct
{
  CtSimModel *model;
  CtSimField *fields[8];
  gboolean    desc[8];
  guint       n;
} SortSpec;

static int
compare_values (CtSimModel *model,
                CtSimField *field,
                guint       a,
                guint       b)
{
  CtSimValue va = ct_sim_model_get (model, a, field);
  CtSimValue vb = ct_sim_model_get (model, b, field);

  switch (field->type)
    {
    case CT_SIM_FIELD_INTEGER:
    case CT_SIM_FIELD_BOOLEAN:
    case CT_SIM_FIELD_MANY2ONE_REFERENCE:
      return (va.i > vb.i) - (va.i < vb.i);
    case CT_SIM_FIELD_FLOAT:
    case CT_SIM_FIELD_MONETARY:
      return (va.f > vb.f) - (va.f < vb.f);
    case CT_SIM_FIELD_MANY2ONE:
      {
        /* Odoo orders a many2one by its comodel's order (the name, mostly). */
        CtSimModel *comodel = ct_sim_db_get_model (model->db, field->relation);
        g_autofree char *na = NULL;
        g_autofree char *nb = NULL;
        guint ra, rb;

        if (va.i == vb.i)
          return 0;
        if (comodel == NULL)
          return (va.i > vb.i) - (va.i < vb.i);
        if (va.i == 0 || !ct_sim_model_lookup (comodel, va.i, &ra))
          return 1;   /* NULLs last in ascending order, as PostgreSQL */
        if (vb.i == 0 || !ct_sim_model_lookup (comodel, vb.i, &rb))
          return -1;
        na = ct_sim_model_display_name (comodel, ra);
        nb = ct_sim_model_display_name (comodel, rb);
        return g_strcmp0 (na, nb);
      }
    case CT_SIM_FIELD_ONE2MANY:
    case CT_SIM_FIELD_MANY2MANY:
      return 0;
    default:
      if (va.s == vb.s)
        return 0;
      if (va.s == NULL)
        return 1;
      if (vb.s == NULL)
        return -1;
      return strcmp (va.s, vb.s);
    }
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  SortSpec *spec = user_data;
  guint ra = *(const guint *) a;
  guint rb = *(const guint *) b;

  for (guint i = 0; i < spec->n; i++)
    {
      int c = compare_values (spec->model, spec->fields[i], ra, rb);

      if (c != 0)
        return spec->desc[i] ? -c : c;
    }
  return (ra > rb) - (ra < rb);
}

gboolean
ct_sim_model_sort_rows (CtSimModel  *model,
                        GArray      *rows,
                        const char  *order,
                        GError     **error)
{
  g_auto(GStrv) terms = NULL;
  SortSpec spec = { model };

  if (order == NULL || order[0] == '\0')
    order = model->default_order;
  terms = g_strsplit (order, ",", -1);
  for (guint i = 0; terms[i] != NULL && spec.n < G_N_ELEMENTS (spec.fields); i++)
    {
      g_auto(GStrv) words = g_strsplit_set (g_strstrip (terms[i]), " \t", -1);
      const char *name = NULL;
      const char *dir = NULL;
      CtSimField *field;

      for (guint j = 0; words[j] != NULL; j++)
        {
          if (words[j][0] == '\0')
            continue;
          if (name == NULL)
            name = words[j];
          else if (dir == NULL)
            dir = words[j];
          else
            dir = "?";
        }
      if (name == NULL)
        continue;
      field = ct_sim_model_get_field (model, name);
      if (field == NULL || (dir != NULL && g_ascii_strcasecmp (dir, "asc") != 0 &&
                            g_ascii_strcasecmp (dir, "desc") != 0 &&
                            g_ascii_strcasecmp (dir, "nulls") != 0))
        {
          g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                       "Invalid \"order\" specified (%s). A valid \"order\" specification is "
                       "a comma-separated list of valid field names (optionally followed by "
                       "asc/desc for the direction)", order);
          return FALSE;
        }
      spec.fields[spec.n] = field;
      spec.desc[spec.n] = dir != NULL && g_ascii_strcasecmp (dir, "desc") == 0;
      spec.n++;
    }
  g_array_sort_with_data (rows, compare_rows, &spec);
  return TRUE;
}

void
ct_sim_py_repr (GString  *out,
                JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "None");
      return;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          ct_sim_py_repr (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      GList *members = json_object_get_members (object);
      gboolean first = TRUE;

      g_string_append_c (out, '{');
      for (GList *l = members; l != NULL; l = l->next)
        {
          if (!first)
            g_string_append (out, ", ");
          first = FALSE;
          g_string_append_printf (out, "'%s': ", (const char *) l->data);
          ct_sim_py_repr (out, json_object_get_member (object, l->data));
        }
      g_list_free (members);
      g_string_append_c (out, '}');
      return;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "True" : "False");
      break;
    case G_TYPE_INT64:
      write_int (out, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        g_string_append (out, g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
      break;
    case G_TYPE_STRING:
      {
        const char *s = json_node_get_string (node);

        g_string_append_c (out, '\'');
        for (; *s != '\0'; s++)
          {
            if (*s == '\'' || *s == '\\')
              g_string_append_c (out, '\\');
            g_string_append_c (out, *s);
          }
        g_string_append_c (out, '\'');
      }
      break;
    default:
      g_string_append (out, "None");
      break;
    }
}
