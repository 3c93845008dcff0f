/* ct-case-row-model.c - Stable row slots over a list of cases, so GTK 4.8 keeps its row widgets
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8's list item manager destroys the row widgets of every position an
 * items-changed covers and builds new ones (a cell, a list item and a label
 * per column): 60 to 130 ms for a queue switch or a keystroke that changes
 * the rows shown. Here position i is always the same CtCaseRow; a change to
 * the cases re-points the rows GTK holds (those it asked for, the bound ones)
 * and notifies them, so their cells only set new text; items-changed covers
 * only the tail that appeared or went away.
 */

#define G_LOG_DOMAIN "ct-case-row-model"

#include "config.h"

#include "ct-case-row-model.h"

struct _CtCaseRow
{
  GObject         parent_instance;

  CtCase         *c;          /* (owned) */
  CtCaseRowModel *model;      /* (unowned) (nullable) the model caching this row */
  guint           position;
};

enum
{
  PROP_0,
  PROP_CASE,
  N_PROPS
};

static GParamSpec *row_props[N_PROPS];

struct _CtCaseRowModel
{
  GObject     parent_instance;

  GListModel *cases;          /* (owned) */
  GPtrArray  *rows;           /* (owned) one slot per position: a CtCaseRow, no ref, or NULL */
  gboolean    held;           /* @cases is empty and @rows kept as they were */
};

G_DEFINE_FINAL_TYPE (CtCaseRow, ct_case_row, G_TYPE_OBJECT)

/* ---- a row ---- */

CtCase *
ct_case_row_get_case (CtCaseRow *self)
{
  g_return_val_if_fail (CT_IS_CASE_ROW (self), NULL);

  return self->c;
}

static void
ct_case_row_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CtCaseRow *self = CT_CASE_ROW (object);

  switch (prop_id)
    {
    case PROP_CASE:
      g_value_set_object (value, self->c);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The cache holds no reference: a row GTK let go of leaves it. */
static void
ct_case_row_dispose (GObject *object)
{
  CtCaseRow *self = CT_CASE_ROW (object);

  if (self->model != NULL)
    {
      g_assert (self->model->rows->pdata[self->position] == self);
      self->model->rows->pdata[self->position] = NULL;
      self->model = NULL;
    }
  g_clear_object (&self->c);
  G_OBJECT_CLASS (ct_case_row_parent_class)->dispose (object);
}

static void
ct_case_row_class_init (CtCaseRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ct_case_row_get_property;
  object_class->dispose = ct_case_row_dispose;
  row_props[PROP_CASE] = g_param_spec_object ("case", NULL, NULL, CT_TYPE_CASE,
                                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                              G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, row_props);
}

static void
ct_case_row_init (CtCaseRow *self)
{
}

/* ---- the model ---- */

static void ct_case_row_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CtCaseRowModel, ct_case_row_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      ct_case_row_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return CT_TYPE_CASE_ROW;
}

static guint
get_n_items (GListModel *model)
{
  return CT_CASE_ROW_MODEL (model)->rows->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  CtCaseRowModel *self = CT_CASE_ROW_MODEL (model);
  CtCaseRow *row;

  if (position >= self->rows->len)
    return NULL;
  row = self->rows->pdata[position];
  if (row != NULL)
    return g_object_ref (row);
  row = g_object_new (CT_TYPE_CASE_ROW, NULL);
  row->c = g_list_model_get_item (self->cases, position);
  row->model = self;
  row->position = position;
  self->rows->pdata[position] = row;
  return row;
}

static void
ct_case_row_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
unlink_rows (CtCaseRowModel *self,
             guint           from)
{
  for (guint i = from; i < self->rows->len; i++)
    {
      CtCaseRow *row = self->rows->pdata[i];

      if (row != NULL)
        row->model = NULL;
    }
  g_ptr_array_set_size (self->rows, from);
}

static void
cases_changed_cb (CtCaseRowModel *self,
                  guint           position,
                  guint           removed,
                  guint           added,
                  GListModel     *cases)
{
  guint n_old = self->rows->len, n_new = g_list_model_get_n_items (cases);
  guint common = MIN (n_old, n_new);

  /* Nothing to show: the view hides behind its empty state, and its rows
   * stay, to show the next cases without being built again. */
  if (n_new == 0 && n_old > 0)
    {
      self->held = TRUE;
      return;
    }
  if (self->held)
    {
      self->held = FALSE;
      position = 0;
    }
  /* The rows past the end go first, so that GTK dropping them cannot touch
   * the slots re-pointed below. */
  unlink_rows (self, common);
  g_ptr_array_set_size (self->rows, n_new);
  for (guint i = position; i < common; i++)
    {
      CtCaseRow *row = self->rows->pdata[i];

      if (row == NULL)
        continue;
      g_clear_object (&row->c);
      row->c = g_list_model_get_item (cases, i);
      g_object_notify_by_pspec (G_OBJECT (row), row_props[PROP_CASE]);
    }
  if (n_old != n_new)
    g_list_model_items_changed (G_LIST_MODEL (self), common, n_old - common, n_new - common);
}

GListModel *
ct_case_row_model_get_cases (CtCaseRowModel *self)
{
  g_return_val_if_fail (CT_IS_CASE_ROW_MODEL (self), NULL);

  return self->cases;
}

static void
ct_case_row_model_dispose (GObject *object)
{
  CtCaseRowModel *self = CT_CASE_ROW_MODEL (object);

  if (self->cases != NULL)
    g_signal_handlers_disconnect_by_data (self->cases, self);
  unlink_rows (self, 0);
  g_clear_object (&self->cases);
  G_OBJECT_CLASS (ct_case_row_model_parent_class)->dispose (object);
}

static void
ct_case_row_model_finalize (GObject *object)
{
  CtCaseRowModel *self = CT_CASE_ROW_MODEL (object);

  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (ct_case_row_model_parent_class)->finalize (object);
}

static void
ct_case_row_model_class_init (CtCaseRowModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ct_case_row_model_dispose;
  object_class->finalize = ct_case_row_model_finalize;
}

static void
ct_case_row_model_init (CtCaseRowModel *self)
{
  self->rows = g_ptr_array_new ();
}

CtCaseRowModel *
ct_case_row_model_new (GListModel *cases)
{
  CtCaseRowModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (cases), NULL);

  self = g_object_new (CT_TYPE_CASE_ROW_MODEL, NULL);
  self->cases = g_object_ref (cases);
  g_ptr_array_set_size (self->rows, g_list_model_get_n_items (cases));
  g_signal_connect_object (cases, "items-changed", G_CALLBACK (cases_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}
