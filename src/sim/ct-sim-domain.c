/* ct-sim-domain.c - Odoo domains: parse once, evaluate per row
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include <string.h>

#include "ct-sim-domain.h"

typedef enum
{
  NODE_TRUE,
  NODE_FALSE,
  NODE_AND,
  NODE_OR,
  NODE_NOT,
  NODE_LEAF,
} NodeKind;

typedef enum
{
  OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_NOT_IN,
  OP_LIKE, OP_ILIKE, OP_EQ_LIKE, OP_EQ_ILIKE, OP_NOT_LIKE, OP_NOT_ILIKE,
  OP_EQ_OPT, OP_ANY, OP_NOT_ANY, OP_CHILD_OF, OP_PARENT_OF,
} Op;

static const char *const op_names[] = {
  "=", "!=", "<", "<=", ">", ">=", "in", "not in",
  "like", "ilike", "=like", "=ilike", "not like", "not ilike",
  "=?", "any", "not any", "child_of", "parent_of",
};

typedef struct _Node Node;
struct _Node
{
  NodeKind     kind;
  Node        *a;
  Node        *b;
  /* leaf */
  CtSimModel  *model;
  CtSimField  *field;
  Node        *rest;     /* the remaining path, evaluated on the comodel */
  Op           op;
  JsonNode    *value;    /* (owned) */
  char        *folded;   /* precomputed pattern for the like family */
  CtSimDomain *sub;      /* any / not any */
};

struct _CtSimDomain
{
  CtSimModel *model;
  Node       *root;
};

static void
node_free (Node *node)
{
  if (node == NULL)
    return;
  node_free (node->a);
  node_free (node->b);
  node_free (node->rest);
  g_clear_pointer (&node->value, json_node_unref);
  g_free (node->folded);
  g_clear_pointer (&node->sub, ct_sim_domain_free);
  g_free (node);
}

void
ct_sim_domain_free (CtSimDomain *domain)
{
  if (domain == NULL)
    return;
  node_free (domain->root);
  g_free (domain);
}

static Node *
node_new (NodeKind kind)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  return node;
}

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
    json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_falsy (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return !json_node_get_boolean (node);
  return FALSE;
}

static gboolean
is_number (JsonNode *node)
{
  GType t;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  t = json_node_get_value_type (node);
  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}

static void
condition_repr (GString    *out,
                JsonArray  *term)
{
  g_string_append_c (out, '(');
  for (guint i = 0; i < json_array_get_length (term); i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      ct_sim_py_repr (out, json_array_get_element (term, i));
    }
  g_string_append_c (out, ')');
}

static gboolean
raise_term (GError    **error,
            JsonArray  *term,
            const char *format,
            ...) G_GNUC_PRINTF (3, 4);

static gboolean
raise_term (GError    **error,
            JsonArray  *term,
            const char *format,
            ...)
{
  g_autoptr(GString) msg = g_string_new (NULL);
  va_list args;

  va_start (args, format);
  g_string_append_vprintf (msg, format, args);
  va_end (args);
  g_string_append (msg, " in condition ");
  condition_repr (msg, term);
  g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR, msg->str);
  return FALSE;
}

static Node *
parse_leaf_path (CtSimModel  *model,
                 char       **path,
                 Op           op,
                 JsonArray   *term,
                 GError     **error)
{
  CtSimField *field = ct_sim_model_get_field (model, path[0]);
  Node *leaf;

  if (field == NULL)
    {
      raise_term (error, term, "Invalid field %s.%s", model->name, path[0]);
      return NULL;
    }
  leaf = node_new (NODE_LEAF);
  leaf->model = model;
  leaf->field = field;
  leaf->op = op;
  if (path[1] != NULL)
    {
      CtSimModel *comodel = ct_sim_db_get_model (model->db, field->relation);

      if (comodel == NULL)
        {
          node_free (leaf);
          raise_term (error, term, "Invalid field %s.%s", model->name, path[0]);
          return NULL;
        }
      leaf->rest = parse_leaf_path (comodel, path + 1, op, term, error);
      if (leaf->rest == NULL)
        {
          node_free (leaf);
          return NULL;
        }
    }
  return leaf;
}

static void
prepare_leaf (Node     *leaf,
              JsonNode *value)
{
  for (; leaf != NULL; leaf = leaf->rest)
    {
      leaf->value = json_node_copy (value);
      if (is_string (value))
        {
          const char *s = json_node_get_string (value);

          switch (leaf->op)
            {
            case OP_LIKE:
            case OP_NOT_LIKE:
              leaf->folded = g_strdup_printf ("%%%s%%", s);
              break;
            case OP_ILIKE:
            case OP_NOT_ILIKE:
              {
                g_autofree char *f = g_utf8_casefold (s, -1);

                leaf->folded = g_strdup_printf ("%%%s%%", f);
              }
              break;
            case OP_EQ_ILIKE:
              leaf->folded = g_utf8_casefold (s, -1);
              break;
            case OP_EQ_LIKE:
              leaf->folded = g_strdup (s);
              break;
            default:
              break;
            }
        }
    }
}

static Node *parse_expr (CtSimModel *model, JsonArray *array, guint *pos, GError **error);

static Node *
parse_term (CtSimModel  *model,
            JsonArray   *term,
            GError     **error)
{
  JsonNode *left, *opnode, *value;
  const char *opname;
  g_auto(GStrv) path = NULL;
  Node *leaf;
  guint op;

  if (json_array_get_length (term) != 3)
    {
      g_autoptr(GString) msg = g_string_new ("Invalid domain term ");

      condition_repr (msg, term);
      g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR, msg->str);
      return NULL;
    }
  left = json_array_get_element (term, 0);
  opnode = json_array_get_element (term, 1);
  value = json_array_get_element (term, 2);

  /* TRUE_LEAF (1, '=', 1) and FALSE_LEAF (0, '=', 1) */
  if (is_number (left) && is_string (opnode) && is_number (value))
    {
      gint64 l = json_node_get_int (left);
      gint64 r = json_node_get_int (value);

      return node_new (l == r ? NODE_TRUE : NODE_FALSE);
    }
  if (!is_string (left) || !is_string (opnode))
    {
      g_autoptr(GString) msg = g_string_new ("Invalid domain term ");

      condition_repr (msg, term);
      g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR, msg->str);
      return NULL;
    }
  opname = json_node_get_string (opnode);
  for (op = 0; op < G_N_ELEMENTS (op_names); op++)
    if (g_ascii_strcasecmp (op_names[op], opname) == 0)
      break;
  if (op == G_N_ELEMENTS (op_names))
    {
      raise_term (error, term, "Invalid operator %s", opname);
      return NULL;
    }
  if (op == OP_EQ_OPT)
    {
      if (is_falsy (value))
        return node_new (NODE_TRUE);
      op = OP_EQ;
    }
  if ((op == OP_IN || op == OP_NOT_IN) && !JSON_NODE_HOLDS_ARRAY (value))
    {
      /* Odoo 19 accepts a scalar with "in" as a one-element list. */
      JsonArray *one = json_array_new ();

      json_array_add_element (one, json_node_copy (value));
      value = json_node_init_array (json_node_alloc (), one);
      json_array_unref (one);
      leaf = NULL;
      path = g_strsplit (json_node_get_string (left), ".", -1);
      leaf = parse_leaf_path (model, path, op, term, error);
      if (leaf != NULL)
        prepare_leaf (leaf, value);
      json_node_unref (value);
      return leaf;
    }
  path = g_strsplit (json_node_get_string (left), ".", -1);
  if (path[0] == NULL || path[0][0] == '\0')
    {
      raise_term (error, term, "Invalid field %s.%s", model->name, json_node_get_string (left));
      return NULL;
    }
  leaf = parse_leaf_path (model, path, op, term, error);
  if (leaf == NULL)
    return NULL;
  if (op == OP_ANY || op == OP_NOT_ANY)
    {
      Node *last = leaf;
      CtSimModel *comodel;

      while (last->rest != NULL)
        last = last->rest;
      comodel = ct_sim_db_get_model (model->db, last->field->relation);
      if (comodel == NULL)
        {
          raise_term (error, term, "Invalid operator %s for field %s", opname, last->field->name);
          node_free (leaf);
          return NULL;
        }
      last->sub = ct_sim_domain_parse (comodel, value, error);
      if (last->sub == NULL)
        {
          node_free (leaf);
          return NULL;
        }
      for (Node *n = leaf; n != NULL; n = n->rest)
        n->op = op;
      return leaf;
    }
  prepare_leaf (leaf, value);
  return leaf;
}

static Node *
parse_expr (CtSimModel  *model,
            JsonArray   *array,
            guint       *pos,
            GError     **error)
{
  JsonNode *item;

  if (*pos >= json_array_get_length (array))
    {
      g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                           "Domain is syntactically not correct: an operator lacks operands");
      return NULL;
    }
  item = json_array_get_element (array, (*pos)++);
  if (is_string (item))
    {
      const char *s = json_node_get_string (item);
      Node *node;

      if (g_strcmp0 (s, "&") == 0 || g_strcmp0 (s, "|") == 0)
        {
          node = node_new (s[0] == '&' ? NODE_AND : NODE_OR);
          if ((node->a = parse_expr (model, array, pos, error)) == NULL ||
              (node->b = parse_expr (model, array, pos, error)) == NULL)
            {
              node_free (node);
              return NULL;
            }
          return node;
        }
      if (g_strcmp0 (s, "!") == 0)
        {
          node = node_new (NODE_NOT);
          if ((node->a = parse_expr (model, array, pos, error)) == NULL)
            {
              node_free (node);
              return NULL;
            }
          return node;
        }
      g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR,
                   "Invalid domain operator '%s'", s);
      return NULL;
    }
  if (JSON_NODE_HOLDS_ARRAY (item))
    return parse_term (model, json_node_get_array (item), error);
  {
    g_autoptr(GString) msg = g_string_new ("Invalid domain term ");

    ct_sim_py_repr (msg, item);
    g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR, msg->str);
  }
  return NULL;
}

CtSimDomain *
ct_sim_domain_parse (CtSimModel  *model,
                     JsonNode    *domain,
                     GError     **error)
{
  g_autoptr(CtSimDomain) self = g_new0 (CtSimDomain, 1);
  JsonArray *array;
  guint pos = 0;

  self->model = model;
  if (is_falsy (domain))
    {
      self->root = node_new (NODE_TRUE);
      return g_steal_pointer (&self);
    }
  if (!JSON_NODE_HOLDS_ARRAY (domain))
    {
      g_autoptr(GString) msg = g_string_new ("Invalid domain: ");

      ct_sim_py_repr (msg, domain);
      g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR, msg->str);
      return NULL;
    }
  array = json_node_get_array (domain);
  self->root = node_new (NODE_TRUE);
  /* Implicit '&' between the top-level expressions. */
  while (pos < json_array_get_length (array))
    {
      Node *expr = parse_expr (model, array, &pos, error);
      Node *and;

      if (expr == NULL)
        return NULL;
      if (self->root->kind == NODE_TRUE)
        {
          node_free (self->root);
          self->root = expr;
          continue;
        }
      and = node_new (NODE_AND);
      and->a = self->root;
      and->b = expr;
      self->root = and;
    }
  return g_steal_pointer (&self);
}

gboolean
ct_sim_like (const char *text,
             const char *pattern,
             gboolean    fold)
{
  /* Iterative matcher with backtracking on the last '%'. Both strings are
   * already case-folded when @fold (the caller folds the pattern once). */
  g_autofree char *folded = fold ? g_utf8_casefold (text, -1) : NULL;
  const char *t = fold ? folded : text;
  const char *p = pattern;
  const char *star_p = NULL;
  const char *star_t = NULL;

  while (*t != '\0')
    {
      if (*p == '\\' && p[1] != '\0' && p[1] == *t)
        {
          p += 2;
          t++;
        }
      else if (*p == '%')
        {
          star_p = ++p;
          star_t = t;
        }
      else if (*p == '_' || (*p != '\0' && *p == *t))
        {
          p++;
          t++;
        }
      else if (star_p != NULL)
        {
          p = star_p;
          t = ++star_t;
        }
      else
        return FALSE;
    }
  while (*p == '%')
    p++;
  return *p == '\0';
}

static gboolean match_node (Node *node, guint row);

static gboolean
value_is_empty (CtSimField *field,
                CtSimValue  v)
{
  switch (field->type)
    {
    case CT_SIM_FIELD_INTEGER:
    case CT_SIM_FIELD_FLOAT:
    case CT_SIM_FIELD_MONETARY:
    case CT_SIM_FIELD_MANY2ONE_REFERENCE:
      return FALSE;   /* 0 is a value for numbers */
    case CT_SIM_FIELD_BOOLEAN:
      return v.i == 0;
    case CT_SIM_FIELD_MANY2ONE:
      return v.i == 0;
    case CT_SIM_FIELD_ONE2MANY:
    case CT_SIM_FIELD_MANY2MANY:
      return v.ids == NULL || v.ids->len == 0;
    default:
      return v.s == NULL;
    }
}

/* Compares the stored value with one JSON scalar: <0, 0, >0, or G_MININT when
 * they cannot be compared. */
static int
compare_scalar (Node       *leaf,
                guint       row,
                CtSimValue  v,
                JsonNode   *value)
{
  CtSimField *field = leaf->field;

  switch (field->type)
    {
    case CT_SIM_FIELD_INTEGER:
    case CT_SIM_FIELD_MANY2ONE_REFERENCE:
    case CT_SIM_FIELD_MANY2ONE:
      if (is_number (value))
        {
          double d = json_node_get_double (value);

          return ((double) v.i > d) - ((double) v.i < d);
        }
      if (field->type == CT_SIM_FIELD_MANY2ONE && is_string (value))
        {
          CtSimModel *comodel = ct_sim_db_get_model (leaf->model->db, field->relation);
          g_autofree char *name = NULL;
          guint crow;

          if (comodel == NULL || !ct_sim_model_lookup (comodel, v.i, &crow))
            return G_MININT;
          name = ct_sim_model_display_name (comodel, crow);
          return g_strcmp0 (name, json_node_get_string (value));
        }
      return G_MININT;
    case CT_SIM_FIELD_FLOAT:
    case CT_SIM_FIELD_MONETARY:
      if (is_number (value))
        {
          double d = json_node_get_double (value);

          return (v.f > d) - (v.f < d);
        }
      return G_MININT;
    case CT_SIM_FIELD_BOOLEAN:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
        return (v.i != 0) - (json_node_get_boolean (value) != 0);
      if (is_number (value))
        return (v.i != 0) - (json_node_get_int (value) != 0);
      return G_MININT;
    case CT_SIM_FIELD_ONE2MANY:
    case CT_SIM_FIELD_MANY2MANY:
      return G_MININT;
    default:
      if (v.s == NULL)
        return G_MININT;
      if (is_string (value))
        {
          int c = strcmp (v.s, json_node_get_string (value));

          return (c > 0) - (c < 0);
        }
      if (is_number (value))
        return G_MININT;
      return G_MININT;
    }
}

static gboolean
scalar_equal (Node       *leaf,
              guint       row,
              CtSimValue  v,
              JsonNode   *value)
{
  CtSimField *field = leaf->field;

  if (is_falsy (value) && field->type != CT_SIM_FIELD_BOOLEAN)
    return value_is_empty (field, v);
  if (field->type == CT_SIM_FIELD_ONE2MANY || field->type == CT_SIM_FIELD_MANY2MANY)
    {
      if (v.ids == NULL || !is_number (value))
        return FALSE;
      for (guint i = 0; i < v.ids->len; i++)
        if (g_array_index (v.ids, gint64, i) == json_node_get_int (value))
          return TRUE;
      return FALSE;
    }
  return compare_scalar (leaf, row, v, value) == 0;
}

static gboolean
match_like (Node       *leaf,
            guint       row,
            CtSimValue  v)
{
  CtSimField *field = leaf->field;
  g_autofree char *owned = NULL;
  const char *text = NULL;

  if (leaf->folded == NULL)
    return FALSE;
  if (field->type == CT_SIM_FIELD_MANY2ONE)
    {
      CtSimModel *comodel = ct_sim_db_get_model (leaf->model->db, field->relation);
      guint crow;

      if (comodel != NULL && ct_sim_model_lookup (comodel, v.i, &crow))
        text = owned = ct_sim_model_display_name (comodel, crow);
    }
  else if (field->type == CT_SIM_FIELD_INTEGER || field->type == CT_SIM_FIELD_FLOAT ||
           field->type == CT_SIM_FIELD_MONETARY)
    text = owned = field->type == CT_SIM_FIELD_INTEGER ?
      g_strdup_printf ("%" G_GINT64_FORMAT, v.i) : g_strdup_printf ("%g", v.f);
  else if (field->type != CT_SIM_FIELD_ONE2MANY && field->type != CT_SIM_FIELD_MANY2MANY &&
           field->type != CT_SIM_FIELD_BOOLEAN)
    text = v.s;
  if (text == NULL)
    return FALSE;
  return ct_sim_like (text, leaf->folded,
                      leaf->op == OP_ILIKE || leaf->op == OP_NOT_ILIKE || leaf->op == OP_EQ_ILIKE);
}

static gboolean
match_leaf_here (Node       *leaf,
                 guint       row,
                 CtSimValue  v)
{
  switch (leaf->op)
    {
    case OP_EQ:
      return scalar_equal (leaf, row, v, leaf->value);
    case OP_NE:
      return !scalar_equal (leaf, row, v, leaf->value);
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE:
      {
        int c;

        if (value_is_empty (leaf->field, v))
          return FALSE;
        c = compare_scalar (leaf, row, v, leaf->value);
        if (c == G_MININT)
          return FALSE;
        return leaf->op == OP_LT ? c < 0 : leaf->op == OP_LE ? c <= 0 :
               leaf->op == OP_GT ? c > 0 : c >= 0;
      }
    case OP_IN:
    case OP_NOT_IN:
      {
        JsonArray *list = JSON_NODE_HOLDS_ARRAY (leaf->value) ?
          json_node_get_array (leaf->value) : NULL;
        gboolean found = FALSE;

        for (guint i = 0; list != NULL && i < json_array_get_length (list) && !found; i++)
          found = scalar_equal (leaf, row, v, json_array_get_element (list, i));
        return leaf->op == OP_IN ? found : !found;
      }
    case OP_LIKE:
    case OP_ILIKE:
    case OP_EQ_LIKE:
    case OP_EQ_ILIKE:
      return match_like (leaf, row, v);
    case OP_NOT_LIKE:
    case OP_NOT_ILIKE:
      return !match_like (leaf, row, v);
    case OP_CHILD_OF:
    case OP_PARENT_OF:
      /* No hierarchies are simulated: a record is its own child and parent. */
      if (JSON_NODE_HOLDS_ARRAY (leaf->value))
        {
          JsonArray *list = json_node_get_array (leaf->value);

          for (guint i = 0; i < json_array_get_length (list); i++)
            if (scalar_equal (leaf, row, v, json_array_get_element (list, i)))
              return TRUE;
          return FALSE;
        }
      return scalar_equal (leaf, row, v, leaf->value);
    default:
      return FALSE;
    }
}

static gboolean
match_related (Node       *leaf,
               CtSimValue  v,
               gboolean    (*pred) (Node *, guint),
               Node       *target)
{
  CtSimModel *comodel = ct_sim_db_get_model (leaf->model->db, leaf->field->relation);
  guint crow;

  if (comodel == NULL)
    return FALSE;
  if (leaf->field->type == CT_SIM_FIELD_MANY2ONE)
    return ct_sim_model_lookup (comodel, v.i, &crow) && pred (target, crow);
  if (v.ids == NULL)
    return FALSE;
  for (guint i = 0; i < v.ids->len; i++)
    if (ct_sim_model_lookup (comodel, g_array_index (v.ids, gint64, i), &crow) &&
        pred (target, crow))
      return TRUE;
  return FALSE;
}

static gboolean
sub_match (Node  *leaf,
           guint  row)
{
  return ct_sim_domain_match (leaf->sub, row);
}

static gboolean
match_leaf (Node  *leaf,
            guint  row)
{
  CtSimValue v = ct_sim_model_get (leaf->model, row, leaf->field);

  if (leaf->rest != NULL)
    {
      /* A dotted path: negative operators hold when no related record
       * matches the positive form, as Odoo 19 rewrites them. */
      gboolean negative = leaf->op == OP_NE || leaf->op == OP_NOT_IN ||
        leaf->op == OP_NOT_LIKE || leaf->op == OP_NOT_ILIKE || leaf->op == OP_NOT_ANY;

      if (negative)
        {
          gboolean any;
          Op saved[16];
          guint n = 0;

          for (Node *n2 = leaf->rest; n2 != NULL && n < G_N_ELEMENTS (saved); n2 = n2->rest)
            {
              saved[n++] = n2->op;
              n2->op = n2->op == OP_NE ? OP_EQ : n2->op == OP_NOT_IN ? OP_IN :
                       n2->op == OP_NOT_LIKE ? OP_LIKE : n2->op == OP_NOT_ILIKE ? OP_ILIKE :
                       n2->op == OP_NOT_ANY ? OP_ANY : n2->op;
            }
          any = match_related (leaf, v, match_leaf, leaf->rest);
          n = 0;
          for (Node *n2 = leaf->rest; n2 != NULL && n < G_N_ELEMENTS (saved); n2 = n2->rest)
            n2->op = saved[n++];
          return !any;
        }
      return match_related (leaf, v, match_leaf, leaf->rest);
    }
  if (leaf->op == OP_ANY)
    return match_related (leaf, v, sub_match, leaf);
  if (leaf->op == OP_NOT_ANY)
    return !match_related (leaf, v, sub_match, leaf);
  return match_leaf_here (leaf, row, v);
}

static gboolean
match_node (Node  *node,
            guint  row)
{
  switch (node->kind)
    {
    case NODE_TRUE:
      return TRUE;
    case NODE_FALSE:
      return FALSE;
    case NODE_AND:
      return match_node (node->a, row) && match_node (node->b, row);
    case NODE_OR:
      return match_node (node->a, row) || match_node (node->b, row);
    case NODE_NOT:
      return !match_node (node->a, row);
    case NODE_LEAF:
      return match_leaf (node, row);
    default:
      return FALSE;
    }
}

gboolean
ct_sim_domain_match (CtSimDomain *domain,
                     guint        row)
{
  return match_node (domain->root, row);
}

static gboolean
mentions (Node       *node,
          const char *name)
{
  if (node == NULL)
    return FALSE;
  if (node->kind == NODE_LEAF)
    return g_strcmp0 (node->field->name, name) == 0;
  return mentions (node->a, name) || mentions (node->b, name);
}

gboolean
ct_sim_domain_mentions (CtSimDomain *domain,
                        const char  *name)
{
  return mentions (domain->root, name);
}
