/* ct-sim-db.h - The simulator's in-memory record store: models, fields, typed columns
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Odoo's exceptions, as the wire names them in error.data.name. */
typedef enum
{
  CT_SIM_ODOO_ACCESS_DENIED,     /* odoo.exceptions.AccessDenied */
  CT_SIM_ODOO_ACCESS_ERROR,      /* odoo.exceptions.AccessError */
  CT_SIM_ODOO_MISSING_ERROR,     /* odoo.exceptions.MissingError */
  CT_SIM_ODOO_USER_ERROR,        /* odoo.exceptions.UserError */
  CT_SIM_ODOO_VALIDATION_ERROR,  /* odoo.exceptions.ValidationError */
  CT_SIM_ODOO_VALUE_ERROR,       /* builtins.ValueError */
  CT_SIM_ODOO_TYPE_ERROR,        /* builtins.TypeError */
  CT_SIM_ODOO_KEY_ERROR,         /* builtins.KeyError */
  CT_SIM_ODOO_ATTRIBUTE_ERROR,   /* builtins.AttributeError */
  CT_SIM_ODOO_EXCEPTION,         /* builtins.Exception */
  CT_SIM_ODOO_OPERATIONAL_ERROR, /* psycopg2.OperationalError */
  CT_SIM_ODOO_SESSION_EXPIRED,   /* odoo.http.SessionExpiredException */
  CT_SIM_ODOO_NOT_FOUND,         /* werkzeug.exceptions.NotFound */
  CT_SIM_ODOO_UNPROCESSABLE,     /* werkzeug.exceptions.UnprocessableEntity */
} CtSimOdooError;

#define CT_SIM_ODOO_ERROR (ct_sim_odoo_error_quark ())
GQuark      ct_sim_odoo_error_quark      (void);
const char *ct_sim_odoo_error_class_name (int code);

typedef enum
{
  CT_SIM_FIELD_CHAR,
  CT_SIM_FIELD_TEXT,
  CT_SIM_FIELD_HTML,
  CT_SIM_FIELD_INTEGER,
  CT_SIM_FIELD_FLOAT,
  CT_SIM_FIELD_MONETARY,
  CT_SIM_FIELD_BOOLEAN,
  CT_SIM_FIELD_DATE,
  CT_SIM_FIELD_DATETIME,
  CT_SIM_FIELD_SELECTION,
  CT_SIM_FIELD_MANY2ONE,
  CT_SIM_FIELD_ONE2MANY,
  CT_SIM_FIELD_MANY2MANY,
  CT_SIM_FIELD_BINARY,
  CT_SIM_FIELD_JSON,
  CT_SIM_FIELD_REFERENCE,
  CT_SIM_FIELD_MANY2ONE_REFERENCE,
} CtSimFieldType;

/* One stored value. Strings (char, text, html, date, datetime, selection) are
 * interned in the store's string chunk; NULL is Odoo's False. Relational
 * values hold ids; 0 is False. x2many values are a GArray of gint64 or NULL. */
typedef union
{
  gint64      i;
  double      f;
  const char *s;
  GArray     *ids;
} CtSimValue;

typedef struct _CtSimDb    CtSimDb;
typedef struct _CtSimModel CtSimModel;
typedef struct _CtSimField CtSimField;

struct _CtSimField
{
  char           *name;
  CtSimFieldType  type;
  char           *relation;       /* (nullable) comodel */
  char           *inverse;        /* (nullable) one2many's inverse many2one */
  char           *string;
  gboolean        required;
  gboolean        readonly;
  gboolean        store;
  JsonObject     *attrs;          /* everything fields_get reports */
  char          **groups;         /* (nullable): who may read it (Odoo's groups= on a field) */
  char           *groups_text;    /* "'Role / Administrator'" listed in the AccessError */
  guint           index;
  /* Column: lazily allocated the first time a row gets a value, so the
   * hundred computed fields Odoo reports cost nothing until written. */
  CtSimValue     *column;
  guint           column_len;
};

typedef struct
{
  const char *model;
  const char *fields_json;
} CtSimRecordedFields;

extern const CtSimRecordedFields ct_sim_recorded_fields[];

/* Computes the display name of a row; returns NULL for False. */
typedef char *(*CtSimDisplayFunc) (CtSimModel *model, guint row);
/* Computes a non-stored field for the current user; NULL: use the column. */
typedef JsonNode *(*CtSimComputeFunc) (CtSimModel *model, guint row, CtSimField *field);

struct _CtSimModel
{
  CtSimDb          *db;
  char             *name;
  char             *description;   /* "Purchase Order" */
  GPtrArray        *fields;        /* CtSimField, owned */
  GHashTable       *by_name;       /* name -> CtSimField */
  GArray           *ids;           /* gint64 per row */
  GByteArray       *alive;         /* 1 per row; unlink clears it */
  GHashTable       *id_to_row;     /* GINT_TO_POINTER (id) -> row + 1 */
  gint64            next_id;
  guint             n_alive;
  const char       *rec_name;      /* field used for display_name */
  CtSimDisplayFunc  display;       /* (nullable) overrides rec_name */
  CtSimComputeFunc  compute;       /* (nullable) */
  const char       *default_order; /* "id" unless set */
  char            **read_groups;   /* (nullable): NULL is every internal user */
  char            **write_groups;  /* (nullable): NULL is read_groups */
  char             *groups_text;   /* "\t- Purchase/User\n..." listed in AccessError */
  gboolean          has_active;
  gint64            ir_model_id;
};

struct _CtSimDb
{
  GHashTable   *models;   /* name -> CtSimModel */
  GStringChunk *strings;
  char         *name;     /* database name */
  GDateTime    *now;      /* (owned) the clock the data was generated against */
  gint64        current_uid;  /* the user of the call being served */
  char        **current_groups; /* (unowned) (nullable) that user's groups; NULL: superuser */
  /* Once serving, the clock moves on from @now (so write_date cursors see
   * later writes); while a dataset is built it stays put, for determinism. */
  gint64        live_since_us;
  gpointer      odoo;         /* (unowned) the CtSimOdoo serving this database */
};

CtSimDb    *ct_sim_db_new              (const char   *name,
                                        GDateTime    *now);
void        ct_sim_db_free             (CtSimDb      *db);
CtSimModel *ct_sim_db_add_model        (CtSimDb      *db,
                                        const char   *name,
                                        const char   *description);
CtSimModel *ct_sim_db_get_model        (CtSimDb      *db,
                                        const char   *name);
const char *ct_sim_db_intern           (CtSimDb      *db,
                                        const char   *str);
/* "YYYY-MM-DD HH:MM:SS" of the db's clock plus @offset_seconds, interned. */
const char *ct_sim_db_datetime         (CtSimDb      *db,
                                        gint64        offset_seconds);
const char *ct_sim_db_date             (CtSimDb      *db,
                                        gint64        offset_seconds);

/* Fields. @spec: "name|type|String|relation-or-selection|flags" lines separated
 * by ';'. type is an Odoo type name; for selection the 4th part is
 * "key=Label,key=Label"; flags: r required, R readonly, c computed (not stored). */
void        ct_sim_model_add_fields_spec (CtSimModel *model,
                                          const char *spec);
/* Adds the fields of a fields_get answer (JSON object). */
void        ct_sim_model_add_fields_json (CtSimModel *model,
                                          const char *json);
CtSimField *ct_sim_model_get_field     (CtSimModel   *model,
                                        const char   *name);
void        ct_sim_model_set_access    (CtSimModel   *model,
                                        const char   *read_groups,
                                        const char   *write_groups,
                                        const char   *groups_text);
/* Restricts reading @fields (comma-separated) to @groups (comma-separated xml
 * ids): fields_get leaves them out for others, and naming one in a read
 * fails the whole call with an AccessError that lists @groups_text. */
void        ct_sim_model_set_field_groups (CtSimModel *model,
                                           const char *fields,
                                           const char *groups,
                                           const char *groups_text);
/* Whether the user of the call being served may read @field. */
gboolean    ct_sim_field_readable      (CtSimModel   *model,
                                        CtSimField   *field);

/* Rows. */
guint       ct_sim_model_new_row       (CtSimModel   *model,
                                        gint64        id);  /* 0: next id */
gboolean    ct_sim_model_lookup        (CtSimModel   *model,
                                        gint64        id,
                                        guint        *row);
gint64      ct_sim_model_row_id        (CtSimModel   *model,
                                        guint         row);
guint       ct_sim_model_n_rows        (CtSimModel   *model);
gboolean    ct_sim_model_row_alive     (CtSimModel   *model,
                                        guint         row);
void        ct_sim_model_unlink_row    (CtSimModel   *model,
                                        guint         row);

CtSimValue  ct_sim_model_get           (CtSimModel   *model,
                                        guint         row,
                                        CtSimField   *field);
void        ct_sim_model_set           (CtSimModel   *model,
                                        guint         row,
                                        CtSimField   *field,
                                        CtSimValue    value);
/* Sets write_date (now) and write_uid, as any write does in Odoo. */
void        ct_sim_model_touch         (CtSimModel   *model,
                                        guint         row,
                                        gint64        uid);
/* Convenience setters by field name; abort on unknown names (programming errors). */
void        ct_sim_model_set_str       (CtSimModel   *model,
                                        guint         row,
                                        const char   *field,
                                        const char   *value);
void        ct_sim_model_set_int       (CtSimModel   *model,
                                        guint         row,
                                        const char   *field,
                                        gint64        value);
void        ct_sim_model_set_float     (CtSimModel   *model,
                                        guint         row,
                                        const char   *field,
                                        double        value);
void        ct_sim_model_add_id        (CtSimModel   *model,
                                        guint         row,
                                        const char   *field,
                                        gint64        id);
const char *ct_sim_model_get_str       (CtSimModel   *model,
                                        guint         row,
                                        const char   *field);
gint64      ct_sim_model_get_int       (CtSimModel   *model,
                                        guint         row,
                                        const char   *field);
double      ct_sim_model_get_float     (CtSimModel   *model,
                                        guint         row,
                                        const char   *field);

/* The display name of a record of @model (NULL for False). */
char       *ct_sim_model_display_name  (CtSimModel   *model,
                                        guint         row);

/* Converts a row's value to the JSON Odoo's read() gives. */
JsonNode   *ct_sim_model_value_to_json (CtSimModel   *model,
                                        guint         row,
                                        CtSimField   *field);
/* Appends the same value as compact JSON text, byte for byte what
 * json-glib would generate from ct_sim_model_value_to_json(). */
void        ct_sim_model_value_write   (CtSimModel   *model,
                                        guint         row,
                                        CtSimField   *field,
                                        GString      *out);
/* Appends @text as a JSON string literal, escaped as json-glib does. */
void        ct_sim_json_write_string   (GString      *out,
                                        const char   *text);
/* Appends @node as compact JSON text, byte for byte json_to_string (@node, FALSE). */
void        ct_sim_json_write          (GString      *out,
                                        JsonNode     *node);
/* Sets a field from a JSON value as write()/create() receive it (x2many
 * commands included). */
gboolean    ct_sim_model_set_from_json (CtSimModel   *model,
                                        guint         row,
                                        CtSimField   *field,
                                        JsonNode     *node,
                                        GError      **error);

/* Ordering: parses "amount_total desc, id asc"; sorts @rows in place. */
gboolean    ct_sim_model_sort_rows     (CtSimModel   *model,
                                        GArray       *rows,
                                        const char   *order,
                                        GError      **error);

/* A node owning @array / @object (json_node_init_* would take another ref). */
static inline JsonNode *
ct_sim_json_array (JsonArray *array)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  return node;
}

static inline JsonNode *
ct_sim_json_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

/* Python's repr of a JSON value, as Odoo puts values in its messages. */
void        ct_sim_py_repr             (GString      *out,
                                        JsonNode     *node);

G_END_DECLS
