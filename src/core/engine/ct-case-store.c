/* ct-case-store.c - All cases and incidents, by key, as a GListModel
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-case-store"

#include "config.h"

#include <string.h>

#include "ct-case-store.h"

struct _CtCaseStore
{
  GObject     parent_instance;

  GPtrArray  *items;   /* (owned) (element-type CtCase) list order */
  GHashTable *by_key;  /* (owned) key (borrowed from the case) → CtCase (borrowed) */
};

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CtCaseStore, ct_case_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* One change at one old position: a removal (replacement NULL) or a
 * replacement. */
typedef struct
{
  guint   position;
  CtCase *replacement;
} Change;

static int
cmp_change (gconstpointer a,
            gconstpointer b)
{
  guint x = ((const Change *) a)->position, y = ((const Change *) b)->position;

  return (x > y) - (x < y);
}

static int
cmp_case_key (gconstpointer a,
              gconstpointer b)
{
  return strcmp ((*(CtCase **) a)->key, (*(CtCase **) b)->key);
}

static GType
get_item_type (GListModel *model)
{
  return CT_TYPE_CASE;
}

static guint
get_n_items (GListModel *model)
{
  return CT_CASE_STORE (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  CtCaseStore *self = CT_CASE_STORE (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (self->items->pdata[position]);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
ct_case_store_finalize (GObject *object)
{
  CtCaseStore *self = (CtCaseStore *) object;

  g_hash_table_unref (self->by_key);
  g_ptr_array_unref (self->items);

  G_OBJECT_CLASS (ct_case_store_parent_class)->finalize (object);
}

static void
ct_case_store_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CtCaseStore *self = CT_CASE_STORE (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ct_case_store_class_init (CtCaseStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ct_case_store_finalize;
  object_class->get_property = ct_case_store_get_property;

  properties [PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ct_case_store_init (CtCaseStore *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_key = g_hash_table_new (g_str_hash, g_str_equal);
}

CtCaseStore *
ct_case_store_new (void)
{
  return g_object_new (CT_TYPE_CASE_STORE, NULL);
}

CtCase *
ct_case_store_lookup (CtCaseStore *self,
                      const char  *key)
{
  g_return_val_if_fail (CT_IS_CASE_STORE (self), NULL);

  return key ? g_hash_table_lookup (self->by_key, key) : NULL;
}

guint
ct_case_store_get_n_cases (CtCaseStore *self)
{
  return self->items->len;
}

GPtrArray *
ct_case_store_get_cases (CtCaseStore *self)
{
  return self->items;
}

static void
renumber (CtCaseStore *self,
          guint        from)
{
  for (guint i = from; i < self->items->len; i++)
    ((CtCase *) self->items->pdata[i])->position = i;
}

guint
ct_case_store_apply_changes (CtCaseStore        *self,
                             GPtrArray          *upserts,
                             const char * const *removals)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  g_autoptr(GHashTable) removed_keys = g_hash_table_new (g_str_hash, g_str_equal);
  guint old_len = self->items->len;
  guint emissions = 0;
  guint first_changed = G_MAXUINT;
  guint i;

  g_return_val_if_fail (CT_IS_CASE_STORE (self), 0);

  for (i = 0; removals && removals[i]; i++)
    {
      CtCase *old = g_hash_table_lookup (self->by_key, removals[i]);
      gboolean seen = g_hash_table_contains (removed_keys, removals[i]);

      g_hash_table_add (removed_keys, (gpointer) removals[i]);
      if (old != NULL && !seen)
        {
          Change ch = { old->position, NULL };
          g_array_append_val (changes, ch);
        }
    }

  for (i = 0; upserts && i < upserts->len; i++)
    {
      CtCase *c = upserts->pdata[i];
      CtCase *old;

      g_return_val_if_fail (CT_IS_CASE (c), emissions);
      if (c->search_text == NULL)
        ct_case_update_search_text (c);
      if (g_hash_table_contains (removed_keys, c->key))
        continue;
      old = g_hash_table_lookup (self->by_key, c->key);
      /* The same object edited in place is still a change the view must see;
       * an equal copy is not. */
      if (old != NULL && old != c && ct_case_equal (old, c))
        continue;
      if (old != NULL)
        {
          Change ch = { old->position, c };
          g_array_append_val (changes, ch);
        }
      else
        g_ptr_array_add (added, c);
    }

  /* Two upserts of one new key in a batch: the last one wins. */
  g_ptr_array_sort (added, cmp_case_key);
  for (i = 0; i + 1 < added->len;)
    if (strcmp (((CtCase *) added->pdata[i])->key, ((CtCase *) added->pdata[i + 1])->key) == 0)
      g_ptr_array_remove_index (added, i);
    else
      i++;

  g_array_sort (changes, cmp_change);

  /* The appended cases are the last range; emit it first, then walk the
   * changed ranges from the end, so each emission's positions are valid in
   * the state the previous ones left. */
  if (added->len > 0)
    {
      for (i = 0; i < added->len; i++)
        {
          CtCase *c = g_object_ref (added->pdata[i]);

          c->position = self->items->len;
          g_ptr_array_add (self->items, c);
          g_hash_table_insert (self->by_key, c->key, c);
        }
      g_list_model_items_changed (G_LIST_MODEL (self), old_len, 0, added->len);
      emissions++;
    }

  i = changes->len;
  while (i > 0)
    {
      /* Collect the run [j, i) of changes at consecutive positions. */
      guint j = i - 1;
      guint start, n_removed, n_added = 0;
      g_autoptr(GPtrArray) replacements = g_ptr_array_new ();

      while (j > 0 &&
             (g_array_index (changes, Change, j - 1).position + 1 ==
                g_array_index (changes, Change, j).position ||
              g_array_index (changes, Change, j - 1).position ==
                g_array_index (changes, Change, j).position))
        j--;
      start = g_array_index (changes, Change, j).position;
      n_removed = g_array_index (changes, Change, i - 1).position - start + 1;

      for (guint k = j; k < i; k++)
        {
          Change *ch = &g_array_index (changes, Change, k);

          /* A duplicate entry at the same position: keep the last one. */
          if (k + 1 < i && g_array_index (changes, Change, k + 1).position == ch->position)
            continue;
          if (ch->replacement != NULL)
            g_ptr_array_add (replacements, ch->replacement);
        }

      for (guint k = start; k < start + n_removed; k++)
        {
          CtCase *old = self->items->pdata[k];
          g_hash_table_remove (self->by_key, old->key);
        }
      for (guint k = 0; k < replacements->len; k++)
        {
          CtCase *c = replacements->pdata[k];
          g_hash_table_insert (self->by_key, c->key, c);
          g_object_ref (c);
        }
      if (replacements->len == n_removed)
        {
          /* Same size: swap the pointers, no memmove. */
          for (guint k = 0; k < n_removed; k++)
            {
              CtCase *c = replacements->pdata[k];
              CtCase *old = self->items->pdata[start + k];

              c->position = start + k;
              self->items->pdata[start + k] = c;
              g_object_unref (old);
            }
        }
      else
        {
          g_ptr_array_remove_range (self->items, start, n_removed);
          for (guint k = 0; k < replacements->len; k++)
            g_ptr_array_insert (self->items, start + k, replacements->pdata[k]);
        }
      n_added = replacements->len;
      first_changed = MIN (first_changed, start);
      g_list_model_items_changed (G_LIST_MODEL (self), start, n_removed, n_added);
      emissions++;
      i = j;
    }

  if (first_changed != G_MAXUINT)
    renumber (self, first_changed);
  if (self->items->len != old_len)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_ITEMS]);
  return emissions;
}

void
ct_case_store_replace_all (CtCaseStore *self,
                           GPtrArray   *cases)
{
  guint old_len = self->items->len;
  g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new (cases->len);

  for (guint i = 0; i < cases->len; i++)
    g_ptr_array_add (sorted, g_object_ref (cases->pdata[i]));
  g_ptr_array_sort (sorted, cmp_case_key);
  g_hash_table_remove_all (self->by_key);
  g_ptr_array_set_size (self->items, 0);
  for (guint i = 0; i < sorted->len; i++)
    {
      CtCase *c = sorted->pdata[i];

      if (g_hash_table_contains (self->by_key, c->key))
        {
          g_object_unref (c);
          continue;
        }
      if (c->search_text == NULL)
        ct_case_update_search_text (c);
      c->position = self->items->len;
      g_ptr_array_add (self->items, c);
      g_hash_table_insert (self->by_key, c->key, c);
    }
  if (old_len > 0 || self->items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->items->len);
  if (self->items->len != old_len)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_ITEMS]);
}

guint
ct_case_store_update_sla (CtCaseStore *self,
                          CtProfile   *profile,
                          gint64       now)
{
  guint n = self->items->len;
  g_autofree guint16 *before = g_new (guint16, n);
  guint changed;
  guint i = 0;

  g_return_val_if_fail (CT_IS_CASE_STORE (self), 0);

  for (guint k = 0; k < n; k++)
    {
      CtCase *c = self->items->pdata[k];
      before[k] = (guint16) (c->sla.status << 8 | (c->sla.escalation_level & 0xFF));
    }
  changed = ct_sla_update_all (profile, self->items, now);
  if (changed == 0)
    return 0;

  while (i < n)
    {
      guint start;

      for (; i < n; i++)
        {
          CtCase *c = self->items->pdata[i];
          if (before[i] != (guint16) (c->sla.status << 8 | (c->sla.escalation_level & 0xFF)))
            break;
        }
      if (i == n)
        break;
      start = i;
      for (; i < n; i++)
        {
          CtCase *c = self->items->pdata[i];
          if (before[i] == (guint16) (c->sla.status << 8 | (c->sla.escalation_level & 0xFF)))
            break;
        }
      g_list_model_items_changed (G_LIST_MODEL (self), start, i - start, i - start);
    }
  return changed;
}

guint
ct_case_store_count_matching (CtCaseStore *self,
                              const char  *needle)
{
  g_autofree char *folded = ct_case_fold_text (needle);
  guint n = 0;

  for (guint i = 0; i < self->items->len; i++)
    n += ct_case_matches (self->items->pdata[i], folded);
  return n;
}
