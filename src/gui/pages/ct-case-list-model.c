/* ct-case-list-model.c - A queue's rows: the store filtered and sorted by reading CtCase directly
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GtkFilterListModel over GtkSortListModel over 100 000 cases cost 60 to
 * 300 ms per keystroke or queue switch (ct-bench-gui). Here every case of
 * the store is kept sorted once, in an array of our own; a queue is one pass
 * over it that reads the struct, and a keystroke that only narrows the search
 * tests just the rows shown. Whatever changed, a view gets ONE items-changed
 * covering the smallest range that differs, so its selection and scroll
 * position outside that range stay put.
 */

#define G_LOG_DOMAIN "ct-case-list-model"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ct-case-list-model.h"

/* Above this many changed cases in one store emission, every row counts as
 * touched: hashing them would cost more than rebinding the visible rows. */
#define MAX_TOUCHED 4096

struct _CtCaseListModel
{
  GObject           parent_instance;

  CtCaseStore      *store;        /* (owned) (nullable) */
  gulong            store_changed_id;
  CtCaseFilter     *filter;       /* (owned) */
  GPtrArray        *all;          /* (owned) (element-type CtCase) every case, a ref each, sorted */
  GPtrArray        *items;        /* (owned) the rows: pointers into @all, no refs */
  GHashTable       *touched;      /* (owned) cases the store changed since the last rebuild */
  gboolean          all_touched;
  gboolean          store_dirty;
  guint             rebuild_id;
  guint             scope_total;

  GCompareDataFunc  compare;
  CtCaseSortText    text;
  gpointer          sort_data;
  gboolean          descending;
};

static void ct_case_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CtCaseListModel, ct_case_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, ct_case_list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return CT_TYPE_CASE;
}

static guint
get_n_items (GListModel *model)
{
  return CT_CASE_LIST_MODEL (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  CtCaseListModel *self = CT_CASE_LIST_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (self->items->pdata[position]);
}

static void
ct_case_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* ---- sorting ---- */

static int
compare_cb (gconstpointer a,
            gconstpointer b,
            gpointer      data)
{
  CtCaseListModel *self = data;
  int result = self->compare (*(CtCase **) a, *(CtCase **) b, self->sort_data);

  return self->descending ? -result : result;
}

typedef struct
{
  CtCase *c;
  char   *key;
} Keyed;

static int
compare_keys_cb (gconstpointer a,
                 gconstpointer b,
                 gpointer      data)
{
  CtCaseListModel *self = data;
  int result = strcmp (((const Keyed *) a)->key, ((const Keyed *) b)->key);

  return self->descending ? -result : result;
}

/* Collating once per case, then comparing bytes: g_utf8_collate() per
 * comparison would cost seconds over 100 000 cases. */
static void
sort_by_text (CtCaseListModel *self)
{
  GPtrArray *all = self->all;
  Keyed *keyed = g_new (Keyed, all->len);

  for (guint i = 0; i < all->len; i++)
    {
      g_autofree char *text = self->text (self->sort_data, all->pdata[i]);

      keyed[i].c = all->pdata[i];
      keyed[i].key = g_utf8_collate_key (text ? text : "", -1);
    }
  g_qsort_with_data (keyed, (int) all->len, sizeof (Keyed), compare_keys_cb, self);
  for (guint i = 0; i < all->len; i++)
    {
      all->pdata[i] = keyed[i].c;
      g_free (keyed[i].key);
    }
  g_free (keyed);
}

/* Both sorts are stable: ties keep the store's order. */
static void
sort_all (CtCaseListModel *self)
{
  if (self->text != NULL)
    sort_by_text (self);
  else if (self->compare != NULL)
    g_ptr_array_sort_with_data (self->all, compare_cb, self);
}

/* ---- filtering ---- */

static GPtrArray *
scan_all (CtCaseListModel *self)
{
  const CtCaseFilter *f = self->filter;
  GPtrArray *rows = g_ptr_array_sized_new (self->items->len + 64);

  self->scope_total = 0;
  for (guint i = 0; i < self->all->len; i++)
    {
      CtCase *c = self->all->pdata[i];

      if (!ct_case_in_scope (c, f->scope, f->user_id))
        continue;
      self->scope_total++;
      if (ct_case_filter_matches (f, c))
        g_ptr_array_add (rows, c);
    }
  return rows;
}

/* Only the search text grew: a row that did not match cannot match now. */
static GPtrArray *
scan_rows (CtCaseListModel *self)
{
  GPtrArray *rows = g_ptr_array_sized_new (self->items->len);

  for (guint i = 0; i < self->items->len; i++)
    {
      CtCase *c = self->items->pdata[i];

      if (ct_case_matches (c, self->filter->needle))
        g_ptr_array_add (rows, c);
    }
  return rows;
}

static gboolean
is_touched (CtCaseListModel *self,
            gpointer         c)
{
  return self->all_touched || (g_hash_table_size (self->touched) > 0 &&
                               g_hash_table_contains (self->touched, c));
}

/* Swaps in @rows and tells the views, as one items-changed over the range
 * between the unchanged head and tail. */
static void
take_rows (CtCaseListModel *self,
           GPtrArray       *rows)
{
  g_autoptr(GPtrArray) old = self->items;
  guint n_old = old->len, n_new = rows->len;
  guint head = 0, tail = 0;

  while (head < n_old && head < n_new && old->pdata[head] == rows->pdata[head] &&
         !is_touched (self, rows->pdata[head]))
    head++;
  while (tail < n_old - head && tail < n_new - head &&
         old->pdata[n_old - 1 - tail] == rows->pdata[n_new - 1 - tail] &&
         !is_touched (self, rows->pdata[n_new - 1 - tail]))
    tail++;
  self->items = rows;
  g_hash_table_remove_all (self->touched);
  self->all_touched = FALSE;
  if (n_old - head - tail > 0 || n_new - head - tail > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), head, n_old - head - tail, n_new - head - tail);
}

static void
rebuild (CtCaseListModel *self)
{
  g_autoptr(GPtrArray) old_all = self->all;
  GPtrArray *cases = self->store ? ct_case_store_get_cases (self->store) : NULL;

  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  self->store_dirty = FALSE;
  self->all = g_ptr_array_new_full (cases ? cases->len : 0, g_object_unref);
  for (guint i = 0; cases && i < cases->len; i++)
    g_ptr_array_add (self->all, g_object_ref (cases->pdata[i]));
  sort_all (self);
  /* The old cases live until the views have been told. */
  take_rows (self, scan_all (self));
}

static gboolean
rebuild_cb (gpointer data)
{
  CtCaseListModel *self = data;

  self->rebuild_id = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

/* A sync or the minute tick may emit many ranges: remember which cases they
 * brought (so their rows rebind) and rebuild once, before the next frame. */
static void
store_items_changed_cb (CtCaseListModel *self,
                        guint            position,
                        guint            removed,
                        guint            added,
                        GListModel      *store)
{
  GPtrArray *cases = ct_case_store_get_cases (self->store);

  if (added > MAX_TOUCHED || g_hash_table_size (self->touched) + added > MAX_TOUCHED)
    self->all_touched = TRUE;
  for (guint i = position; !self->all_touched && i < position + added && i < cases->len; i++)
    g_hash_table_add (self->touched, cases->pdata[i]);
  self->store_dirty = TRUE;
  if (self->rebuild_id == 0)
    self->rebuild_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, rebuild_cb, self, NULL);
}

/* ---- public ---- */

void
ct_case_list_model_set_store (CtCaseListModel *self,
                              CtCaseStore     *store)
{
  g_return_if_fail (CT_IS_CASE_LIST_MODEL (self));

  if (self->store != NULL)
    g_clear_signal_handler (&self->store_changed_id, self->store);
  g_set_object (&self->store, store);
  if (store != NULL)
    self->store_changed_id = g_signal_connect_swapped (store, "items-changed",
                                                       G_CALLBACK (store_items_changed_cb), self);
  rebuild (self);
}

static gboolean
same_bound (double a,
            double b)
{
  return (isnan (a) && isnan (b)) || a == b;
}

static gboolean
only_needle_grew (const CtCaseFilter *old,
                  const CtCaseFilter *new)
{
  if (new->needle == NULL || (old->needle != NULL && strstr (new->needle, old->needle) == NULL))
    return FALSE;
  return old->scope == new->scope && old->user_id == new->user_id &&
         g_strcmp0 (old->area_id, new->area_id) == 0 && g_strcmp0 (old->branch, new->branch) == 0 &&
         g_strcmp0 (old->company, new->company) == 0 && old->sla_status == new->sla_status &&
         old->source == new->source && same_bound (old->amount_min, new->amount_min) &&
         same_bound (old->amount_max, new->amount_max);
}

void
ct_case_list_model_set_filter (CtCaseListModel    *self,
                               const CtCaseFilter *filter)
{
  g_autoptr(CtCaseFilter) old = NULL;

  g_return_if_fail (CT_IS_CASE_LIST_MODEL (self));
  g_return_if_fail (filter != NULL);

  old = g_steal_pointer (&self->filter);
  self->filter = ct_case_filter_copy (filter);
  if (self->store_dirty)
    rebuild (self);
  else if (only_needle_grew (old, self->filter))
    take_rows (self, scan_rows (self));
  else
    take_rows (self, scan_all (self));
}

const CtCaseFilter *
ct_case_list_model_get_filter (CtCaseListModel *self)
{
  g_return_val_if_fail (CT_IS_CASE_LIST_MODEL (self), NULL);

  return self->filter;
}

void
ct_case_list_model_set_sort (CtCaseListModel  *self,
                             GCompareDataFunc  compare,
                             CtCaseSortText    text,
                             gpointer          data,
                             gboolean          descending)
{
  g_return_if_fail (CT_IS_CASE_LIST_MODEL (self));

  self->compare = compare;
  self->text = text;
  self->sort_data = data;
  self->descending = descending;
  /* From the store's order again, so ties keep it. */
  rebuild (self);
}

void
ct_case_list_model_flush (CtCaseListModel *self)
{
  g_return_if_fail (CT_IS_CASE_LIST_MODEL (self));

  if (self->store_dirty)
    rebuild (self);
}

guint
ct_case_list_model_get_scope_total (CtCaseListModel *self)
{
  g_return_val_if_fail (CT_IS_CASE_LIST_MODEL (self), 0);

  return self->scope_total;
}

static void
ct_case_list_model_dispose (GObject *object)
{
  CtCaseListModel *self = CT_CASE_LIST_MODEL (object);

  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  if (self->store != NULL)
    g_clear_signal_handler (&self->store_changed_id, self->store);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (ct_case_list_model_parent_class)->dispose (object);
}

static void
ct_case_list_model_finalize (GObject *object)
{
  CtCaseListModel *self = CT_CASE_LIST_MODEL (object);

  g_ptr_array_unref (self->items);
  g_ptr_array_unref (self->all);
  g_hash_table_unref (self->touched);
  ct_case_filter_free (self->filter);
  G_OBJECT_CLASS (ct_case_list_model_parent_class)->finalize (object);
}

static void
ct_case_list_model_class_init (CtCaseListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ct_case_list_model_dispose;
  object_class->finalize = ct_case_list_model_finalize;
}

static void
ct_case_list_model_init (CtCaseListModel *self)
{
  self->filter = ct_case_filter_new (CT_CASE_SCOPE_ALL_PENDING);
  self->all = g_ptr_array_new_with_free_func (g_object_unref);
  self->items = g_ptr_array_new ();
  self->touched = g_hash_table_new (NULL, NULL);
}

CtCaseListModel *
ct_case_list_model_new (void)
{
  return g_object_new (CT_TYPE_CASE_LIST_MODEL, NULL);
}
