/* ct-source.c - One approval mechanism (or integration side) behind one small interface
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-source"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ct-json.h"
#include "ct-model-probe.h"
#include "ct-source.h"

typedef struct
{
  CtSourceKind   kind;
  CtOdooClient  *client;     /* (nullable) */
  CtHttp        *http;       /* (nullable) */
  CtProfile     *profile;
  GStrv          required_models;
  GPtrArray     *queues;     /* (element-type CtQueue) unowned, from the profile */
  GHashTable    *fields;     /* model → JsonObject from fields_get */
  GHashTable    *missing;    /* models whose fields could not be read */
  GHashTable    *hidden;     /* queue models this user may not read (403) → the groups
                              * that may (nullable) */
  char          *unavailable; /* (nullable) why the last probe found the source off */
  gboolean       not_visible; /* off because this user may not read it (403) */
  /* The current fetch's rows: how many were checked, and the reasons of
   * those that could not be read (sentence → count). */
  guint          rows_checked;
  guint          rows_unreadable;
  GHashTable    *unreadable;
  GHashTable    *reconcile_known;  /* (unowned) for the fetch_async being called */
  guint          chunk_size;       /* 0: the size each full read asks for */
} CtSourcePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CtSource, ct_source, G_TYPE_OBJECT)

G_DEFINE_QUARK (ct-source-error-quark, ct_source_error)

void
ct_source_batch_free (CtSourceBatch *batch)
{
  if (batch == NULL)
    return;
  g_clear_pointer (&batch->cases, g_ptr_array_unref);
  g_clear_pointer (&batch->gone, g_ptr_array_unref);
  g_free (batch->cursor);
  g_free (batch);
}

static void
ct_source_finalize (GObject *object)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (CT_SOURCE (object));

  g_clear_object (&priv->client);
  g_clear_object (&priv->http);
  g_clear_object (&priv->profile);
  g_strfreev (priv->required_models);
  g_clear_pointer (&priv->queues, g_ptr_array_unref);
  g_clear_pointer (&priv->fields, g_hash_table_unref);
  g_clear_pointer (&priv->missing, g_hash_table_unref);
  g_clear_pointer (&priv->hidden, g_hash_table_unref);
  g_free (priv->unavailable);
  g_clear_pointer (&priv->unreadable, g_hash_table_unref);
  G_OBJECT_CLASS (ct_source_parent_class)->finalize (object);
}

static void
default_apply_decision_async (CtSource            *self,
                              CtCase              *c,
                              const char          *outcome,
                              const char          *comment,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, default_apply_decision_async);
  g_task_return_new_error (task, CT_SOURCE_ERROR, CT_SOURCE_ERROR_NOT_SUPPORTED,
                           _("Decisions through %s are not available in this version"),
                           ct_source_get_name (self));
}

static gboolean
default_apply_decision_finish (CtSource      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static CtSourceBatch *
default_fetch_finish (CtSource      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
ct_source_class_init (CtSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ct_source_finalize;
  klass->fetch_finish = default_fetch_finish;
  klass->apply_decision_async = default_apply_decision_async;
  klass->apply_decision_finish = default_apply_decision_finish;
}

static void
ct_source_init (CtSource *self)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);

  priv->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify)json_object_unref);
  priv->missing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  priv->hidden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  priv->unreadable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

gboolean
ct_source_queue_usable (CtSource      *self,
                        const CtQueue *queue)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);

  return !g_hash_table_contains (priv->missing, queue->model);
}

void
ct_source_setup (CtSource           *self,
                 CtSourceKind        kind,
                 CtOdooClient       *client,
                 CtHttp             *http,
                 CtProfile          *profile,
                 const char * const *required_models)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);

  priv->kind = kind;
  g_set_object (&priv->client, client);
  if (http == NULL && client != NULL)
    http = ct_odoo_client_get_http (client);
  g_set_object (&priv->http, http);
  g_set_object (&priv->profile, profile);
  priv->required_models = g_strdupv ((char **)required_models);
  priv->queues = g_ptr_array_new ();
  for (guint i = 0; i < ct_profile_get_n_queues (profile); i++)
    {
      const CtQueue *queue = ct_profile_get_queue (profile, i);

      if (queue->kind == kind)
        g_ptr_array_add (priv->queues, (gpointer)queue);
    }
}

const char *
ct_source_get_name (CtSource *self)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);

  return ct_source_kind_to_string (priv->kind);
}

CtSourceKind
ct_source_get_kind (CtSource *self)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);

  return priv->kind;
}

CtHttp *
ct_source_get_http (CtSource *self)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);

  return priv->http;
}

void
ct_source_set_chunk_size (CtSource *self,
                          guint     ids)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);

  g_return_if_fail (CT_IS_SOURCE (self));
  priv->chunk_size = ids;
}

CtProfile *
ct_source_get_profile (CtSource *self)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);

  return priv->profile;
}

CtOdooClient *
ct_source_get_client (CtSource *self)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);

  return priv->client;
}

GPtrArray *
ct_source_get_queues (CtSource *self)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);

  return priv->queues;
}

gboolean
ct_source_has_queues (CtSource *self)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);

  /* Incident sources have no profile queue: they always have work. */
  if (priv->kind == CT_SOURCE_KIND_N8N || priv->kind == CT_SOURCE_KIND_CRON ||
      priv->kind == CT_SOURCE_KIND_QUEUE_JOB)
    return TRUE;
  return priv->queues->len > 0;
}

gboolean
ct_source_watches_model (CtSource   *self,
                         const char *model)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);

  g_return_val_if_fail (CT_IS_SOURCE (self), FALSE);
  g_return_val_if_fail (model != NULL, FALSE);

  /* n8n is another server: Odoo's bus says nothing about it. */
  if (priv->kind == CT_SOURCE_KIND_N8N)
    return FALSE;
  if (priv->required_models != NULL && g_strv_contains ((const char * const *)priv->required_models,
                                                        model))
    return TRUE;
  for (guint i = 0; i < priv->queues->len; i++)
    if (g_strcmp0 (((CtQueue *)priv->queues->pdata[i])->model, model) == 0)
      return TRUE;
  return FALSE;
}

/* ---- probe ---- */

/* Whether the models exist for this user: a search_count on each, which
 * any user may run on a model they can read. 404 means not installed, 403
 * not visible to this user; ir.model, which only administrators may read,
 * is never asked. The counts go out together, and beside them what the
 * fetch will need to know about the database (the queues' field types and
 * whether this user may read their records, for crons whether queue.job is
 * there), so the fetch that follows finds it
 * learnt: one round trip before the first read, not two. */
typedef struct
{
  guint          pending;
  CtModelAccess *access;    /* (array length=n) one per required model */
  GError       **errors;    /* (array length=n) the probe itself failed */
  guint          n;
} Probe;

static void
probe_free (Probe *probe)
{
  for (guint i = 0; i < probe->n; i++)
    g_clear_error (&probe->errors[i]);
  g_free (probe->errors);
  g_free (probe->access);
  g_free (probe);
}

typedef struct
{
  GTask *task;    /* (owned) */
  guint  index;
} ProbeCall;

/* Every count is in: the first required model (in their order) that is
 * missing or not visible decides, whichever answered first. */
static void
probe_settle (GTask *task)
{
  CtSource *self = g_task_get_source_object (task);
  CtSourcePrivate *priv = ct_source_get_instance_private (self);
  Probe *probe = g_task_get_task_data (task);

  for (guint i = 0; i < probe->n; i++)
    {
      const char *model = priv->required_models[i];
      const char *groups;

      if (probe->errors[i] != NULL)
        {
          g_task_return_error (task, g_steal_pointer (&probe->errors[i]));
          return;
        }
      if (probe->access[i] == CT_MODEL_READABLE)
        continue;
      groups = ct_model_probe_get_allowed_groups (priv->client, model);
      g_clear_pointer (&priv->unavailable, g_free);
      priv->not_visible = probe->access[i] == CT_MODEL_FORBIDDEN;
      if (probe->access[i] == CT_MODEL_MISSING)
        priv->unavailable = g_strdup_printf (_("%s is not installed in this database (no %s)."),
                                             ct_source_get_name (self), model);
      else if (groups != NULL)
        priv->unavailable = g_strdup_printf (_("%s is not visible to you: Odoo lets only these "
                                               "groups read %s: %s."),
                                             ct_source_get_name (self), model, groups);
      else
        priv->unavailable = g_strdup_printf (_("%s is not visible to you: Odoo does not let "
                                               "you read %s."),
                                             ct_source_get_name (self), model);
      g_debug ("%s: %s", ct_source_get_name (self), priv->unavailable);
      g_task_return_int (task, FALSE);
      return;
    }
  g_task_return_int (task, TRUE);
}

static void
probe_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ProbeCall *call = user_data;
  g_autoptr(GTask) task = call->task;
  Probe *probe = g_task_get_task_data (task);

  ct_model_probe_access_finish (CT_ODOO_CLIENT (object), result, &probe->access[call->index],
                                &probe->errors[call->index]);
  g_free (call);
  if (--probe->pending == 0)
    probe_settle (task);
}

/* Asks, without waiting for the answer, what the fetch will ask first; the
 * answer is kept on the client (ct-model-probe.c) for the fetch to find. */
static void
probe_prefetch (CtSource     *self,
                GCancellable *cancellable)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);
  g_autoptr(GHashTable) asked = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < priv->queues->len; i++)
    {
      const CtQueue *queue = priv->queues->pdata[i];
      CtModelAccess access;

      /* A model known to be missing or hidden has no fields to learn (a
       * failed fields_get is not kept: it would only be asked again). */
      if (ct_model_probe_lookup_access (priv->client, queue->model, &access) &&
          access != CT_MODEL_READABLE)
        continue;
      if (!g_hash_table_contains (priv->fields, queue->model) &&
          g_hash_table_add (asked, queue->model))
        {
          ct_model_probe_fields_async (priv->client, queue->model, cancellable, NULL, NULL);
          ct_model_probe_access_async (priv->client, queue->model, cancellable, NULL, NULL);
        }
    }
  /* The crons' source reads ir.cron's optional fields before its first
   * read. */
  if (priv->kind == CT_SOURCE_KIND_CRON)
    ct_model_probe_fields_async (priv->client, "ir.cron", cancellable, NULL, NULL);
}

void
ct_source_probe_ahead (CtSource     *self,
                       GCancellable *cancellable)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);

  if (priv->client == NULL || priv->required_models == NULL || priv->required_models[0] == NULL)
    return;
  for (guint i = 0; priv->required_models[i] != NULL; i++)
    ct_model_probe_access_async (priv->client, priv->required_models[i], cancellable, NULL, NULL);
  probe_prefetch (self, cancellable);
}

void
ct_source_probe_async (CtSource            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Probe *probe;

  g_task_set_source_tag (task, ct_source_probe_async);
  g_clear_pointer (&priv->unavailable, g_free);
  priv->not_visible = FALSE;
  if (priv->client == NULL || priv->required_models == NULL || priv->required_models[0] == NULL)
    {
      g_task_return_int (task, TRUE);
      g_object_unref (task);
      return;
    }
  probe = g_new0 (Probe, 1);
  probe->n = g_strv_length (priv->required_models);
  probe->errors = g_new0 (GError *, probe->n);
  probe->access = g_new0 (CtModelAccess, probe->n);
  probe->pending = probe->n;
  g_task_set_task_data (task, probe, (GDestroyNotify) probe_free);
  /* Shared per connection with the other sources and their queues' models
   * (a model asked twice is asked once). */
  for (guint i = 0; i < probe->n; i++)
    {
      ProbeCall *call = g_new0 (ProbeCall, 1);

      call->task = g_object_ref (task);
      call->index = i;
      ct_model_probe_access_async (priv->client, priv->required_models[i], cancellable,
                                   probe_done, call);
    }
  probe_prefetch (self, cancellable);
  g_object_unref (task);
}

gboolean
ct_source_probe_finish (CtSource      *self,
                        GAsyncResult  *result,
                        gboolean      *available,
                        GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize value = g_task_propagate_int (G_TASK (result), &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (available != NULL)
    *available = value != 0;
  return TRUE;
}

const char *
ct_source_get_unavailable_reason (CtSource *self)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);

  return priv->unavailable;
}

/* ---- fetch ---- */

/* A profile names the fields a queue reads; a database may lack some (a
 * custom x_ field, a module not installed) and Odoo refuses a read that
 * names an unknown field. So whether each queue's model is there for this
 * user and its field types are learnt once per connection, all queues at
 * once (ct-model-probe.c, shared by every source), and unknown names are
 * left out; then the mechanism's fetch_async runs with a task of its own. */
typedef struct
{
  char       *cursor;
  char       *key;
  char       *model;    /* whose fields are being asked */
  GHashTable *known;    /* (nullable) a reconciliation's keys */
} FetchArgs;

static void
fetch_args_free (FetchArgs *args)
{
  g_free (args->cursor);
  g_free (args->key);
  g_free (args->model);
  g_clear_pointer (&args->known, g_hash_table_unref);
  g_free (args);
}


typedef struct
{
  guint     pending;
  gboolean  available;
  GError   *error;     /* (owned) (nullable) the first failure */
} Learn;

static void
learn_free (Learn *learn)
{
  g_clear_error (&learn->error);
  g_free (learn);
}

typedef struct
{
  GTask    *task;      /* (owned) */
  char     *model;
  gboolean  required;
} LearnCall;

static LearnCall *
learn_call_new (GTask      *task,
                const char *model,
                gboolean    required)
{
  LearnCall *call = g_new0 (LearnCall, 1);
  Learn *learn = g_task_get_task_data (task);

  learn->pending++;
  call->task = g_object_ref (task);
  call->model = g_strdup (model);
  call->required = required;
  return call;
}

/* One answer in: the last one completes the task. */
static void
learn_call_done (LearnCall *call,
                 GError    *error)
{
  Learn *learn = g_task_get_task_data (call->task);

  if (error != NULL && learn->error == NULL)
    learn->error = error;
  else if (error != NULL)
    g_error_free (error);
  if (--learn->pending == 0)
    {
      if (learn->error != NULL)
        g_task_return_error (call->task, g_steal_pointer (&learn->error));
      else
        g_task_return_int (call->task, learn->available);
    }
  g_object_unref (call->task);
  g_free (call->model);
  g_free (call);
}

static void
learn_access_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LearnCall *call = user_data;
  CtSource *self = g_task_get_source_object (call->task);
  CtSourcePrivate *priv = ct_source_get_instance_private (self);
  Learn *learn = g_task_get_task_data (call->task);
  GError *error = NULL;
  CtModelAccess access = CT_MODEL_READABLE;

  if (ct_model_probe_access_finish (CT_ODOO_CLIENT (object), result, &access, &error))
    {
      if (call->required && access != CT_MODEL_READABLE)
        learn->available = FALSE;
      /* A queue on a model this database lacks (no Sales, no Accounting)
       * or this user may not read: skipped, the others go on. */
      if (!call->required && access != CT_MODEL_READABLE)
        {
          g_debug ("%s: skipping the queues on %s (%s)", ct_source_get_name (self), call->model,
                   access == CT_MODEL_MISSING ? "not installed" : "not readable");
          g_hash_table_add (priv->missing, g_strdup (call->model));
          g_hash_table_replace (priv->fields, g_strdup (call->model), json_object_new ());
          if (access == CT_MODEL_FORBIDDEN)
            g_hash_table_replace (priv->hidden, g_strdup (call->model),
                                  g_strdup (ct_model_probe_get_allowed_groups (
                                    CT_ODOO_CLIENT (object), call->model)));
        }
    }
  learn_call_done (call, error);
}

static void
learn_fields_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LearnCall *call = user_data;
  CtSource *self = g_task_get_source_object (call->task);
  CtSourcePrivate *priv = ct_source_get_instance_private (self);
  GError *error = NULL;
  JsonObject *fields = ct_model_probe_fields_finish (CT_ODOO_CLIENT (object), result, &error);

  if (fields != NULL && !g_hash_table_contains (priv->missing, call->model))
    g_hash_table_replace (priv->fields, g_strdup (call->model), fields);
  else if (fields != NULL)
    json_object_unref (fields);
  /* Not there or not readable: its queues are skipped, the others go on. */
  if (g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_FOUND) ||
      g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_ACCESS))
    {
      g_hash_table_add (priv->missing, g_strdup (call->model));
      g_hash_table_replace (priv->fields, g_strdup (call->model), json_object_new ());
      g_clear_error (&error);
    }
  learn_call_done (call, error);
}

/* Learns what @required (nullable) and the queues' models not known yet
 * are, all at once; returns whether the required ones are all readable. */
static void
learn_models_async (CtSource            *self,
                    const char * const  *required,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GHashTable) asked = g_hash_table_new (g_str_hash, g_str_equal);
  Learn *learn = g_new0 (Learn, 1);

  LearnCall *hold;

  learn->available = TRUE;
  g_task_set_source_tag (task, learn_models_async);
  g_task_set_task_data (task, learn, (GDestroyNotify) learn_free);
  /* Held until everything is asked, so no early answer ends the task. */
  hold = learn_call_new (task, NULL, FALSE);
  for (guint i = 0; priv->client != NULL && required != NULL && required[i] != NULL; i++)
    ct_model_probe_access_async (priv->client, required[i], cancellable, learn_access_done,
                                 learn_call_new (task, required[i], TRUE));
  for (guint i = 0; priv->client != NULL && i < priv->queues->len; i++)
    {
      const CtQueue *queue = priv->queues->pdata[i];

      if (g_hash_table_contains (priv->fields, queue->model) ||
          !g_hash_table_add (asked, queue->model))
        continue;
      /* fields_get answers 404 for a model not installed, but a user who
       * may not read the records still gets their fields (only the ones he
       * may read): the access is asked too, with a search_count any user
       * may run (shared with the probes of other sources). */
      ct_model_probe_fields_async (priv->client, queue->model, cancellable, learn_fields_done,
                                   learn_call_new (task, queue->model, FALSE));
      ct_model_probe_access_async (priv->client, queue->model, cancellable, learn_access_done,
                                   learn_call_new (task, queue->model, FALSE));
    }
  learn_call_done (hold, NULL);
}

static gboolean
learn_models_finish (CtSource      *self,
                     GAsyncResult  *result,
                     gboolean      *available,
                     GError       **error)
{
  /* An int task like the probe's: whether the required models are there. */
  return ct_source_probe_finish (self, result, available, error);
}

static void
mechanism_fetch_done (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CtSource *self = CT_SOURCE (object);
  g_autoptr(GError) error = NULL;
  CtSourceBatch *batch = CT_SOURCE_GET_CLASS (self)->fetch_finish (self, result, &error);

  if (batch == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, batch, (GDestroyNotify)ct_source_batch_free);
}

/* The queues' models are known: the mechanism reads. Takes the reference
 * on the task. */
static void
fetch_learned (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CtSource *self = CT_SOURCE (object);
  CtSourcePrivate *priv = ct_source_get_instance_private (self);
  FetchArgs *args = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;

  if (!learn_models_finish (self, result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  /* fetch_async calls ct_source_fetch_begin at once, which takes them. */
  priv->reconcile_known = args->known;
  CT_SOURCE_GET_CLASS (self)->fetch_async (self, args->cursor, args->key, cancellable,
                                           mechanism_fetch_done, g_steal_pointer (&task));
  priv->reconcile_known = NULL;
}

static void
start_fetch (CtSource            *self,
             const char          *cursor,
             const char          *key,
             GHashTable          *known,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  FetchArgs *args = g_new0 (FetchArgs, 1);

  g_task_set_source_tag (task, ct_source_fetch_async);
  priv->rows_checked = 0;
  priv->rows_unreadable = 0;
  g_hash_table_remove_all (priv->unreadable);
  args->cursor = g_strdup (cursor);
  args->key = g_strdup (key);
  args->known = known != NULL ? g_hash_table_ref (known) : NULL;
  g_task_set_task_data (task, args, (GDestroyNotify)fetch_args_free);
  learn_models_async (self, NULL, g_task_get_cancellable (task), fetch_learned, task);
}

void
ct_source_fetch_async (CtSource            *self,
                       const char          *cursor,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  start_fetch (self, cursor, NULL, NULL, cancellable, callback, user_data);
}

void
ct_source_reconcile_async (CtSource            *self,
                           const char          *cursor,
                           GHashTable          *known,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  if (!CT_SOURCE_GET_CLASS (self)->reconciles_by_id || cursor == NULL || known == NULL)
    {
      start_fetch (self, NULL, NULL, NULL, cancellable, callback, user_data);
      return;
    }
  start_fetch (self, cursor, NULL, known, cancellable, callback, user_data);
}

CtSourceBatch *
ct_source_fetch_finish (CtSource      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);
  CtSourceBatch *batch;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  batch = g_task_propagate_pointer (G_TASK (result), error);

  g_debug ("%s: %u rows checked, %u could not be read", ct_source_get_name (self),
           priv->rows_checked, priv->rows_unreadable);
  /* Nothing could be read: that is a failure, never an empty result. */
  if (batch != NULL && priv->rows_checked > 0 && priv->rows_unreadable == priv->rows_checked)
    {
      g_autofree char *text = ct_source_describe_unreadable (self);

      ct_source_batch_free (batch);
      g_set_error_literal (error, CT_SOURCE_ERROR, CT_SOURCE_ERROR_UNREADABLE, text);
      return NULL;
    }
  return batch;
}

/* ---- rows that cannot be read: counted, not hidden ---- */

void
ct_source_count_unreadable (CtSource     *self,
                            CtRowProblem  problem,
                            const char   *field)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);
  char *reason;

  g_return_if_fail (CT_IS_SOURCE (self));

  priv->rows_checked++;
  if (problem == CT_ROW_READABLE)
    return;
  priv->rows_unreadable++;
  if (problem == CT_ROW_WRONG_TYPE)
    reason = g_strdup_printf (_("wrong type for %s"), field);
  else
    reason = g_strdup_printf (_("impossible value for %s"), field);
  g_debug ("%s: skipped a record: %s", ct_source_get_name (self), reason);
  g_hash_table_insert (priv->unreadable, reason,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (priv->unreadable,
                                                                                reason)) + 1));
}

JsonArray *
ct_source_keep_readable (CtSource   *self,
                         const char *model,
                         JsonArray  *rows)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);
  JsonObject *fields = model != NULL ? g_hash_table_lookup (priv->fields, model) : NULL;

  for (guint i = json_array_get_length (rows); i-- > 0;)
    {
      JsonNode *node = json_array_get_element (rows, i);
      const char *field = "id";
      CtRowProblem problem = JSON_NODE_HOLDS_OBJECT (node)
                             ? ct_case_check_record (json_node_get_object (node), fields, &field)
                             : CT_ROW_WRONG_TYPE;

      ct_source_count_unreadable (self, problem, field);
      if (problem != CT_ROW_READABLE)
        json_array_remove_element (rows, i);
    }
  return rows;
}

guint
ct_source_get_n_unreadable (CtSource *self)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);

  g_return_val_if_fail (CT_IS_SOURCE (self), 0);
  return priv->rows_unreadable;
}

static gint
compare_reasons (gconstpointer a,
                 gconstpointer b,
                 gpointer      counts)
{
  guint na = GPOINTER_TO_UINT (g_hash_table_lookup (counts, *(const char **)a));
  guint nb = GPOINTER_TO_UINT (g_hash_table_lookup (counts, *(const char **)b));

  if (na != nb)
    return na > nb ? -1 : 1;
  return strcmp (*(const char **)a, *(const char **)b);
}

char *
ct_source_describe_unreadable (CtSource *self)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);
  g_autoptr(GPtrArray) reasons = NULL;
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (CT_IS_SOURCE (self), NULL);

  if (priv->rows_unreadable == 0)
    return NULL;
  reasons = g_ptr_array_new ();
  {
    GHashTableIter iter;
    gpointer reason;

    g_hash_table_iter_init (&iter, priv->unreadable);
    while (g_hash_table_iter_next (&iter, &reason, NULL))
      g_ptr_array_add (reasons, reason);
  }
  g_ptr_array_sort_with_data (reasons, compare_reasons, priv->unreadable);
  out = g_string_new (NULL);
  g_string_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u record could not be read: ",
                                     "%u records could not be read: ", priv->rows_unreadable),
                   priv->rows_unreadable);
  for (guint i = 0; i < reasons->len; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, reasons->pdata[i]);
      /* With several reasons, say how many each. */
      if (reasons->len > 1)
        g_string_append_printf (out, " (%u)", GPOINTER_TO_UINT (g_hash_table_lookup (
                                                priv->unreadable, reasons->pdata[i])));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
fetch_case_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSourceBatch) batch = ct_source_fetch_finish (CT_SOURCE (object), result, &error);
  const char *key = g_task_get_task_data (task);

  if (batch == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < batch->cases->len; i++)
    {
      CtCase *c = batch->cases->pdata[i];

      if (g_strcmp0 (c->key, key) == 0)
        {
          g_task_return_pointer (task, g_object_ref (c), g_object_unref);
          return;
        }
    }
  g_task_return_pointer (task, NULL, NULL);
}

void
ct_source_fetch_case_async (CtSource            *self,
                            const char          *key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, ct_source_fetch_case_async);
  g_task_set_task_data (task, g_strdup (key), g_free);
  if (!ct_source_parse_key (key, NULL, NULL))
    {
      g_task_return_new_error (task, CT_SOURCE_ERROR, CT_SOURCE_ERROR_INVALID,
                               _("“%s” is not a case key"), key);
      g_object_unref (task);
      return;
    }
  start_fetch (self, NULL, key, NULL, cancellable, fetch_case_done, task);
}

CtCase *
ct_source_fetch_case_finish (CtSource      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ct_source_apply_decision_async (CtSource            *self,
                                CtCase              *c,
                                const char          *outcome,
                                const char          *comment,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (CT_IS_SOURCE (self));
  CT_SOURCE_GET_CLASS (self)->apply_decision_async (self, c, outcome, comment, cancellable,
                                                    callback, user_data);
}

gboolean
ct_source_apply_decision_finish (CtSource      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (CT_IS_SOURCE (self), FALSE);
  return CT_SOURCE_GET_CLASS (self)->apply_decision_finish (self, result, error);
}

/* ---- helpers for the mechanisms ---- */

JsonArray *
ct_source_queue_domain (const CtQueue  *queue,
                        GError        **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (queue->domain_json == NULL || *queue->domain_json == '\0')
    return json_array_new ();
  parser = json_parser_new ();
  if (!ct_json_parser_load (parser, queue->domain_json, -1, NULL) ||
      !JSON_NODE_HOLDS_ARRAY ((root = json_parser_get_root (parser))))
    {
      g_set_error (error, CT_SOURCE_ERROR, CT_SOURCE_ERROR_INVALID,
                   _("The domain of queue “%s” is not a JSON array"), queue->id);
      return NULL;
    }
  return json_array_ref (json_node_get_array (root));
}

GStrv
ct_source_queue_fields (CtSource           *self,
                        const CtQueue      *queue,
                        const char * const *extra)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);
  JsonObject *known = g_hash_table_lookup (priv->fields, queue->model);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *mapped[] = {
    queue->fields.amount, queue->fields.currency, queue->fields.requester, queue->fields.branch,
    queue->fields.partner, queue->fields.company, queue->fields.reference, queue->fields.title,
    queue->fields.discount, queue->fields.shipment_date, queue->area_field,
  };

  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    if ((known == NULL || json_object_has_member (known, extra[i]) ||
         g_strcmp0 (extra[i], "id") == 0) &&
        g_hash_table_add (seen, (gpointer)extra[i]))
      g_strv_builder_add (builder, extra[i]);
  for (guint i = 0; i < G_N_ELEMENTS (mapped); i++)
    if (mapped[i] != NULL && *mapped[i] != '\0' && strchr (mapped[i], '.') == NULL &&
        (known == NULL || json_object_has_member (known, mapped[i])) &&
        g_hash_table_add (seen, (gpointer)mapped[i]))
      g_strv_builder_add (builder, mapped[i]);
  return g_strv_builder_end (builder);
}

gboolean
ct_source_parse_key (const char  *key,
                     char       **model,
                     gint64      *id)
{
  const char *colon;
  char *end = NULL;
  gint64 value;

  if (key == NULL || (colon = strrchr (key, ':')) == NULL || colon == key)
    return FALSE;
  value = g_ascii_strtoll (colon + 1, &end, 10);
  if (end == colon + 1 || *end != '\0' || value <= 0)
    return FALSE;
  if (model != NULL)
    *model = g_strndup (key, colon - key);
  if (id != NULL)
    *id = value;
  return TRUE;
}

void
ct_source_domain_add (JsonArray  *domain,
                      const char *field,
                      const char *op,
                      JsonNode   *value)
{
  JsonArray *term = json_array_new ();

  json_array_add_string_element (term, field);
  json_array_add_string_element (term, op);
  json_array_add_element (term, value);
  json_array_add_array_element (domain, term);
}

JsonNode *
ct_source_ids_node (GArray *ids)
{
  JsonArray *array = json_array_sized_new (ids->len);
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < ids->len; i++)
    json_array_add_int_element (array, g_array_index (ids, gint64, i));
  /* json_node_init_array () would take a reference of its own and leave
   * ours behind: the node takes this one. */
  json_node_take_array (node, array);
  return node;
}

static JsonNode *
member (JsonObject *record,
        const char *field)
{
  return record != NULL && field != NULL ? json_object_get_member (record, field) : NULL;
}

gint64
ct_source_m2o_id (JsonObject *record,
                  const char *field)
{
  JsonNode *node = member (record, field);

  if (node == NULL)
    return 0;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *pair = json_node_get_array (node);

      if (json_array_get_length (pair) >= 1 &&
          json_node_get_value_type (json_array_get_element (pair, 0)) == G_TYPE_INT64)
        return json_array_get_int_element (pair, 0);
      return 0;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  return 0;
}

const char *
ct_source_m2o_name (JsonObject *record,
                    const char *field)
{
  JsonNode *node = member (record, field);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *pair = json_node_get_array (node);

      if (json_array_get_length (pair) >= 2 &&
          json_node_get_value_type (json_array_get_element (pair, 1)) == G_TYPE_STRING)
        return json_array_get_string_element (pair, 1);
    }
  return NULL;
}

const char *
ct_source_get_string (JsonObject *record,
                      const char *field)
{
  JsonNode *node = member (record, field);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

gint64
ct_source_get_int (JsonObject *record,
                   const char *field)
{
  JsonNode *node = member (record, field);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64)
        return json_node_get_int (node);
      if (type == G_TYPE_DOUBLE)
        return (gint64)json_node_get_double (node);
    }
  return 0;
}

void
ct_source_track_cursor (char       **cursor,
                        JsonObject  *record)
{
  const char *write_date = ct_source_get_string (record, "write_date");

  /* "YYYY-MM-DD HH:MM:SS" sorts as text. */
  if (write_date != NULL && (*cursor == NULL || strcmp (write_date, *cursor) > 0))
    {
      g_free (*cursor);
      *cursor = g_strdup (write_date);
    }
}

void
ct_source_domain_changed_since (JsonArray  *domain,
                                const char *cursor,
                                const char *seen_second,
                                GArray     *seen_ids)
{
  ct_source_domain_add (domain, "write_date", ">=",
                        json_node_init_string (json_node_alloc (), cursor));
  if (seen_ids == NULL || seen_ids->len == 0 || g_strcmp0 (seen_second, cursor) != 0)
    return;
  /* ['|', (write_date > c), (id not in seen)], ANDed with the above. */
  json_array_add_string_element (domain, "|");
  ct_source_domain_add (domain, "write_date", ">",
                        json_node_init_string (json_node_alloc (), cursor));
  if (seen_ids->len <= CT_SOURCE_MAX_SEEN)
    ct_source_domain_add (domain, "id", "not in", ct_source_ids_node (seen_ids));
  else
    {
      /* Thousands written in one second (an import): a list that long would
       * cost more than it saves; leave out the ids up to the highest read.
       * A later write in that second to a lower id waits for the
       * reconciliation. */
      gint64 highest = 0;

      for (guint i = 0; i < seen_ids->len; i++)
        highest = MAX (highest, g_array_index (seen_ids, gint64, i));
      ct_source_domain_add (domain, "id", ">", json_node_init_int (json_node_alloc (), highest));
    }
}

void
ct_source_note_seen (char       **seen_second,
                     GArray      *seen_ids,
                     const char  *cursor,
                     JsonObject  *row)
{
  const char *write_date = ct_source_get_string (row, "write_date");
  gint64 id = ct_source_get_int (row, "id");

  if (cursor == NULL || g_strcmp0 (write_date, cursor) != 0 || id <= 0)
    return;
  if (g_strcmp0 (*seen_second, cursor) != 0)
    {
      g_free (*seen_second);
      *seen_second = g_strdup (cursor);
      g_array_set_size (seen_ids, 0);
    }
  g_array_append_val (seen_ids, id);
}

/* ---- one fetch ---- */

typedef struct _Check Check;
static void check_free (Check *check);
typedef struct _Chunks Chunks;
static void chunks_unref (Chunks *chunks);

/* The task owns the state; the fetch holds the task until it returns or
 * fails, and every read in flight holds it too, so reads that answer after
 * the fetch is over (several go out at once) find it and drop their rows. */
typedef struct
{
  CtSourceFetch   fetch;      /* first: a CtSourceFetch * is a FetchState * */
  GTask          *task;       /* (owned) until the fetch is over, then (unowned) */
  gboolean        over;       /* returned or failed: later answers are dropped */
  GDestroyNotify  data_free;
  struct _Check  *check;      /* (owned) (nullable) a reconciliation's check in flight */
  struct _Chunks *chunks;     /* (owned) (nullable) a chunked read's ids read in flight */
} FetchState;

static void
fetch_state_free (FetchState *state)
{
  CtSourceFetch *f = &state->fetch;

  g_free (f->cursor);
  g_free (f->key);
  g_free (f->key_model);
  g_free (f->new_cursor);
  g_hash_table_unref (f->open);
  g_hash_table_unref (f->read);
  g_clear_pointer (&f->known, g_hash_table_unref);
  g_clear_pointer (&state->check, check_free);
  g_clear_pointer (&state->chunks, chunks_unref);
  if (state->data_free != NULL && f->data != NULL)
    state->data_free (f->data);
  g_free (state);
}

CtSourceFetch *
ct_source_fetch_begin (CtSource            *self,
                       const char          *cursor,
                       const char          *key,
                       gpointer             data,
                       GDestroyNotify       data_free,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  FetchState *state = g_new0 (FetchState, 1);
  CtSourceFetch *f = &state->fetch;

  state->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (state->task, ct_source_fetch_begin);
  g_task_set_task_data (state->task, state, (GDestroyNotify)fetch_state_free);
  state->data_free = data_free;
  f->source = self;
  f->data = data;
  f->cursor = g_strdup (cursor);
  f->key = g_strdup (key);
  f->open = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  f->read = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  {
    CtSourcePrivate *priv = ct_source_get_instance_private (self);

    if (priv->reconcile_known != NULL && cursor != NULL && key == NULL)
      f->known = g_hash_table_ref (priv->reconcile_known);
  }
  /* A record read alone and found with nothing open is gone. */
  if (key != NULL && ct_source_parse_key (key, &f->key_model, &f->key_id))
    g_hash_table_add (f->read, g_strdup (key));
  return f;
}

GCancellable *
ct_source_fetch_get_cancellable (CtSourceFetch *fetch)
{
  return g_task_get_cancellable (((FetchState *)fetch)->task);
}

const CtQueue *
ct_source_fetch_queue (CtSourceFetch *fetch)
{
  GPtrArray *queues = ct_source_get_queues (fetch->source);

  return fetch->queue < queues->len ? queues->pdata[fetch->queue] : NULL;
}

const CtQueue *
ct_source_fetch_next_queue (CtSourceFetch *fetch)
{
  GPtrArray *queues = ct_source_get_queues (fetch->source);

  while (fetch->queue < queues->len &&
         !ct_source_queue_usable (fetch->source, queues->pdata[fetch->queue]))
    fetch->queue++;
  return ct_source_fetch_queue (fetch);
}

JsonArray *
ct_source_fetch_queue_domain (CtSourceFetch *fetch)
{
  GError *error = NULL;
  JsonArray *domain = ct_source_queue_domain (ct_source_fetch_queue (fetch), &error);

  if (domain == NULL)
    ct_source_fetch_fail (fetch, error);
  return domain;
}

CtCase *
ct_source_new_case (CtProfile     *profile,
                    const CtQueue *queue,
                    const char    *model,
                    gint64         id,
                    JsonObject    *row)
{
  CtCase *c = ct_case_new (model, id);

  ct_case_fill_from_record (c, profile, queue, row);
  g_free (c->queue_id);
  c->queue_id = g_strdup (queue->id);
  c->status = CT_CASE_STATUS_PENDING;
  return c;
}

void
ct_source_fetch_take_case (CtSourceFetch *fetch,
                           CtCase        *c)
{
  g_hash_table_replace (fetch->open, c->key, c);
}

CtCase *
ct_source_fetch_add_case (CtSourceFetch *fetch,
                          const char    *model,
                          gint64         id,
                          JsonObject    *row)
{
  CtCase *c = ct_source_new_case (ct_source_get_profile (fetch->source),
                                  ct_source_fetch_queue (fetch), model, id, row);

  ct_source_fetch_take_case (fetch, c);
  return c;
}

void
ct_source_fetch_note_read (CtSourceFetch *fetch,
                           const char    *model,
                           gint64         id)
{
  if (model != NULL && id > 0)
    g_hash_table_add (fetch->read, ct_case_make_key (model, id));
}

void
ct_source_fetch_hold (CtSourceFetch *fetch)
{
  g_object_ref (((FetchState *)fetch)->task);
}

gboolean
ct_source_fetch_release (CtSourceFetch *fetch)
{
  FetchState *state = (FetchState *)fetch;
  gboolean over = state->over;

  g_object_unref (state->task);
  return !over;
}

gboolean
ct_source_fetch_is_over (CtSourceFetch *fetch)
{
  return ((FetchState *)fetch)->over;
}

void
ct_source_fetch_return (CtSourceFetch *fetch)
{
  FetchState *state = (FetchState *)fetch;
  GTask *task = state->task;
  CtSourceBatch *batch;
  GHashTableIter iter;
  gpointer key, value;

  if (state->over)
    return;
  state->over = TRUE;
  batch = g_new0 (CtSourceBatch, 1);

  batch->cases = g_ptr_array_new_full (g_hash_table_size (fetch->open), g_object_unref);
  batch->gone = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, fetch->open);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (batch->cases, g_object_ref (value));
  g_hash_table_iter_init (&iter, fetch->read);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (fetch->open, key))
      g_ptr_array_add (batch->gone, g_strdup (key));
  batch->complete = fetch->cursor == NULL && fetch->key == NULL;
  batch->cursor = g_strdup (fetch->key != NULL ? fetch->cursor : fetch->new_cursor);
  g_task_return_pointer (task, batch, (GDestroyNotify)ct_source_batch_free);
  g_object_unref (task);
}

void
ct_source_fetch_fail (CtSourceFetch *fetch,
                      GError        *error)
{
  FetchState *state = (FetchState *)fetch;

  /* Another read of the same fetch failed first: one error is enough. */
  if (state->over)
    {
      g_error_free (error);
      return;
    }
  state->over = TRUE;
  g_task_return_error (state->task, error);
  g_object_unref (state->task);
}

/* A read in flight: what to do with its rows. */
typedef struct
{
  CtSourceFetch     *fetch;   /* held */
  CtSourceFetchFunc  then;
  char              *model;   /* (owned) (nullable) whose rows are checked */
  guint              queue;   /* fetch->queue when it was asked, again for @then */
} Step;

static Step *
step_new (CtSourceFetch     *fetch,
          CtSourceFetchFunc  then)
{
  Step *step = g_new0 (Step, 1);

  ct_source_fetch_hold (fetch);
  step->fetch = fetch;
  step->then = then;
  step->queue = fetch->queue;
  return step;
}

/* The fetch still wants the answer of @step: its queue is the current one
 * again. Otherwise lets go of it. */
static gboolean
step_wanted (Step *step)
{
  if (ct_source_fetch_is_over (step->fetch))
    {
      ct_source_fetch_release (step->fetch);
      return FALSE;
    }
  step->fetch->queue = step->queue;
  return TRUE;
}

static void
read_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree Step *step = user_data;
  g_autofree char *model = step->model;
  GError *error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (object), result,
                                                                 &error);

  if (!step_wanted (step))
    {
      g_clear_error (&error);
      return;
    }
  if (rows == NULL)
    ct_source_fetch_fail (step->fetch, error);
  else
    step->then (step->fetch, ct_source_keep_readable (step->fetch->source, model, rows));
  ct_source_fetch_release (step->fetch);
}

void
ct_source_fetch_read (CtSourceFetch      *fetch,
                      const char         *model,
                      JsonArray          *domain,
                      const char * const *fields,
                      const char         *order,
                      CtSourceFetchFunc   then)
{
  Step *step = step_new (fetch, then);

  step->model = g_strdup (model);
  ct_odoo_client_search_read_async (ct_source_get_client (fetch->source), model, domain, fields,
                                    order != NULL ? order : "id", 0, 5000,
                                    ct_source_fetch_get_cancellable (fetch), read_done, step);
}

static void
latest_write_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autofree Step *step = user_data;
  CtSourceFetch *fetch = step->fetch;
  GError *error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (object), result,
                                                                 &error);

  if (!step_wanted (step))
    {
      g_clear_error (&error);
      return;
    }
  if (rows == NULL)
    {
      ct_source_fetch_fail (fetch, error);
      ct_source_fetch_release (fetch);
      return;
    }
  g_clear_pointer (&fetch->new_cursor, g_free);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *row = json_array_get_element (rows, i);

      if (JSON_NODE_HOLDS_OBJECT (row))
        ct_source_track_cursor (&fetch->new_cursor, json_node_get_object (row));
    }
  if (fetch->new_cursor == NULL)
    fetch->new_cursor = g_strdup (fetch->cursor);
  step->then (fetch, NULL);
  ct_source_fetch_release (fetch);
}

void
ct_source_fetch_latest_write (CtSourceFetch     *fetch,
                              const char        *model,
                              CtSourceFetchFunc  then)
{
  g_autoptr(JsonArray) where = json_array_new ();
  static const char *const fields[] = { "write_date", NULL };

  /* DESC puts empty values first (PostgreSQL's NULLS FIRST): skip them. */
  ct_source_domain_add (where, "write_date", "!=",
                        json_node_init_boolean (json_node_alloc (), FALSE));
  ct_odoo_client_search_read_async (ct_source_get_client (fetch->source), model, where, fields,
                                    "write_date desc", 1, 1,
                                    ct_source_fetch_get_cancellable (fetch), latest_write_done,
                                    step_new (fetch, then));
}

/* ---- reading records by id, in chunks ---- */

#define READ_CHUNK 2000

typedef struct
{
  CtSourceFetch     *fetch;   /* held */
  CtSourceFetchFunc  then;
  char              *model;
  GArray            *ids;
  GStrv              fields;
  guint              next;
  guint              queue;
  JsonArray         *rows;
} ReadIds;

static void
read_ids_free (ReadIds *data)
{
  ct_source_fetch_release (data->fetch);
  g_free (data->model);
  g_array_unref (data->ids);
  g_strfreev (data->fields);
  json_array_unref (data->rows);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReadIds, read_ids_free)

static void read_ids_next (ReadIds *data);

static void
read_ids_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ReadIds *data = user_data;
  GError *error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (object), result,
                                                                 &error);

  if (ct_source_fetch_is_over (data->fetch))
    {
      g_clear_error (&error);
      read_ids_free (data);
      return;
    }
  if (rows == NULL)
    {
      ct_source_fetch_fail (data->fetch, error);
      read_ids_free (data);
      return;
    }
  ct_source_keep_readable (data->fetch->source, data->model, rows);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    json_array_add_element (data->rows, json_node_copy (json_array_get_element (rows, i)));
  read_ids_next (data);
}

/* Takes @data. */
static void
read_ids_next (ReadIds *data)
{
  g_autoptr(JsonArray) domain = json_array_new ();
  g_autoptr(GArray) chunk = NULL;
  guint n;

  if (data->next >= data->ids->len)
    {
      g_autoptr(ReadIds) done = data;

      done->fetch->queue = done->queue;
      done->then (done->fetch, done->rows);
      return;
    }
  n = MIN (READ_CHUNK, data->ids->len - data->next);
  chunk = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  g_array_append_vals (chunk, &g_array_index (data->ids, gint64, data->next), n);
  data->next += n;
  ct_source_domain_add (domain, "id", "in", ct_source_ids_node (chunk));
  ct_odoo_client_search_read_async (ct_source_get_client (data->fetch->source), data->model,
                                    domain, (const char * const *)data->fields, NULL, 0,
                                    READ_CHUNK, ct_source_fetch_get_cancellable (data->fetch),
                                    read_ids_done, data);
}

void
ct_source_fetch_read_ids (CtSourceFetch      *fetch,
                          const char         *model,
                          GArray             *ids,
                          const char * const *fields,
                          CtSourceFetchFunc   then)
{
  ReadIds *data = g_new0 (ReadIds, 1);

  ct_source_fetch_hold (fetch);
  data->fetch = fetch;
  data->queue = fetch->queue;
  data->then = then;
  data->model = g_strdup (model);
  data->ids = g_array_ref (ids);
  data->fields = g_strdupv ((char **)fields);
  data->rows = json_array_new ();
  read_ids_next (data);
}

/* ---- keyset pages ---- */

typedef struct
{
  CtSourceFetch     *fetch;   /* held */
  CtSourceFetchFunc  page;
  CtSourceFetchFunc  then;
  char              *model;
  JsonArray         *domain;
  GStrv              fields;
  guint              page_size;
  guint              queue;
  gint64             last_id;
  gboolean           uncounted;  /* unreadable rows are left to the caller */
} Pages;

static void
pages_free (Pages *pages)
{
  ct_source_fetch_release (pages->fetch);
  g_free (pages->model);
  json_array_unref (pages->domain);
  g_strfreev (pages->fields);
  g_free (pages);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pages, pages_free)

static void pages_next (Pages *pages);

/* The id of a row, 0 when it has none. */
static gint64
row_id (JsonNode *row)
{
  return JSON_NODE_HOLDS_OBJECT (row) ? ct_source_get_int (json_node_get_object (row), "id") : 0;
}

static void
pages_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Pages) pages = user_data;
  CtSourceFetch *fetch = pages->fetch;
  GError *error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (object), result,
                                                                 &error);
  guint n;
  gint64 previous;

  if (ct_source_fetch_is_over (fetch))
    {
      g_clear_error (&error);
      return;
    }
  fetch->queue = pages->queue;
  if (rows == NULL)
    {
      ct_source_fetch_fail (fetch, error);
      return;
    }
  n = json_array_get_length (rows);
  previous = pages->last_id;
  for (guint i = 0; i < n; i++)
    {
      gint64 id = row_id (json_array_get_element (rows, i));

      pages->last_id = MAX (pages->last_id, id);
    }
  /* The next page starts after the largest id of this one: a full page
   * that does not raise it would be asked for again, for ever. A server
   * that ignores "id > last" (or sends no ids) is broken; say so. */
  if (n >= pages->page_size && pages->last_id <= previous)
    {
      g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT, previous);
      g_autofree char *message =
        g_strdup_printf (_("Odoo answered with a full page of %s records and no id after %s, "
                           "as if it ignored the condition “id > %s”; reading stopped there "
                           "rather than asking for the same page for ever."),
                         pages->model, after, after);

      ct_source_fetch_fail (fetch, ct_odoo_error_new_full (CT_ODOO_ERROR_PROTOCOL, message, 200,
                                                           -1, NULL, NULL, NULL));
      return;
    }
  /* The page size was decided on what the server sent; then drop what
   * cannot be read (a chunked read's ids: the records' own read counts
   * them, once; a row without an id is counted by the ids' reader). */
  if (!pages->uncounted)
    ct_source_keep_readable (pages->fetch->source, pages->model, rows);
  if (n < pages->page_size)
    {
      CtSourceFetchFunc then = pages->then;

      pages->page (fetch, rows);
      then (fetch, NULL);
      return;
    }
  /* Ask for the next page first, then digest this one while the server
   * prepares it: the two sides work at the same time. The fetch is held
   * for the page's digestion: the next page may fail it meanwhile. */
  {
    CtSourceFetchFunc page = pages->page;

    ct_source_fetch_hold (fetch);
    pages_next (g_steal_pointer (&pages));
    if (!ct_source_fetch_is_over (fetch))
      page (fetch, rows);
    ct_source_fetch_release (fetch);
  }
}

/* Takes @pages. */
static void
pages_next (Pages *pages)
{
  g_autoptr(JsonArray) domain = json_array_sized_new (json_array_get_length (pages->domain) + 1);

  /* A new array each page: the terms are shared, never edited. */
  for (guint i = 0; i < json_array_get_length (pages->domain); i++)
    json_array_add_element (domain, json_node_copy (json_array_get_element (pages->domain, i)));

  ct_source_domain_add (domain, "id", ">", json_node_init_int (json_node_alloc (),
                                                               pages->last_id));
  ct_odoo_client_search_read_async (ct_source_get_client (pages->fetch->source), pages->model,
                                    domain, (const char * const *)pages->fields, "id",
                                    pages->page_size, pages->page_size,
                                    ct_source_fetch_get_cancellable (pages->fetch), pages_done,
                                    pages);
}

static void
read_pages (CtSourceFetch      *fetch,
            const char         *model,
            JsonArray          *domain,
            const char * const *fields,
            guint               page_size,
            gboolean            uncounted,
            CtSourceFetchFunc   page,
            CtSourceFetchFunc   then)
{
  Pages *pages = g_new0 (Pages, 1);

  pages->uncounted = uncounted;

  ct_source_fetch_hold (fetch);
  pages->fetch = fetch;
  pages->queue = fetch->queue;
  pages->page = page;
  pages->then = then;
  pages->model = g_strdup (model);
  pages->domain = json_array_ref (domain);
  pages->fields = g_strdupv ((char **)fields);
  pages->page_size = page_size > 0 ? page_size : 2000;
  pages_next (pages);
}

void
ct_source_fetch_read_pages (CtSourceFetch      *fetch,
                            const char         *model,
                            JsonArray          *domain,
                            const char * const *fields,
                            guint               page_size,
                            CtSourceFetchFunc   page,
                            CtSourceFetchFunc   then)
{
  read_pages (fetch, model, domain, fields, page_size, FALSE, page, then);
}

/* ---- a full read in id ranges, several at once ---- */

/* Chunks asked for and not yet given to @page: the server builds the next
 * ones while the client digests one. */
#define CT_SOURCE_CHUNKS_AHEAD 4

typedef struct _Chunks
{
  guint              ref;
  CtSourceFetch     *fetch;     /* (unowned): each request in flight holds it */
  CtSourceFetchFunc  ids_page;  /* (nullable) */
  CtSourceBuildFunc  build;
  gpointer           build_data;
  CtSourceFetchFunc  then;
  char              *model;
  JsonArray         *domain;
  GStrv              fields;
  guint              page_size;
  guint              queue;
  GArray            *ids;       /* (element-type gint64) ascending, from the ids read */
  gboolean           ids_done;  /* all of them */
  GPtrArray         *answers;   /* (element-type GPtrArray) (nullable) each sent chunk's cases */
  guint              sent;
  guint              given;
  gboolean           ended;     /* @then ran */
} Chunks;

static Chunks *
chunks_ref (Chunks *chunks)
{
  chunks->ref++;
  return chunks;
}

static void
chunks_unref (Chunks *chunks)
{
  if (--chunks->ref > 0)
    return;
  g_free (chunks->model);
  json_array_unref (chunks->domain);
  g_strfreev (chunks->fields);
  g_array_unref (chunks->ids);
  /* answers not given: the fetch ended first */
  for (guint i = 0; i < chunks->answers->len; i++)
    g_clear_pointer (&chunks->answers->pdata[i], g_ptr_array_unref);
  g_ptr_array_unref (chunks->answers);
  g_free (chunks);
}

/* A row a chunk could not read, found in the worker. */
typedef struct
{
  CtRowProblem  problem;
  char         *field;
} ChunkProblem;

static void
chunk_problem_clear (ChunkProblem *problem)
{
  g_free (problem->field);
}

/* A chunk asked for. The worker that decodes its answer reads the first
 * part and writes the second; the main thread reads that only once the
 * answer is delivered. */
typedef struct
{
  Chunks        *chunks;       /* (owned) */
  guint          index;
  /* for the worker, read-only there */
  CtProfile     *profile;      /* (owned) */
  const CtQueue *queue;
  JsonObject    *fields;       /* (owned) (nullable) the model's field types; ref'd here only */
  CtSourceBuildFunc build;
  gpointer       build_data;
  gint64         low, high;    /* the ids asked for */
  guint          limit;
  /* from the worker */
  gboolean       decoded;
  gboolean       not_records;  /* an element that is not a record */
  gboolean       out_of_range; /* a record outside low..high */
  guint          checked;
  GPtrArray     *cases;        /* (element-type CtCase) (owned) (nullable) */
  GArray        *problems;     /* (element-type ChunkProblem) (owned) (nullable) */
} ChunkStep;

static void
chunk_step_free (ChunkStep *step)
{
  g_clear_object (&step->profile);
  g_clear_pointer (&step->fields, json_object_unref);
  g_clear_pointer (&step->cases, g_ptr_array_unref);
  g_clear_pointer (&step->problems, g_array_unref);
  g_free (step);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChunkStep, chunk_step_free)

static guint
chunk_first (Chunks *chunks,
             guint   index)
{
  return index * chunks->page_size;
}

static guint
chunk_last (Chunks *chunks,
            guint   index)
{
  return MIN (chunk_first (chunks, index) + chunks->page_size, chunks->ids->len) - 1;
}

/* Runs where the chunk's answer is decoded (a worker thread for all but
 * the smallest): checks the rows, builds their cases and frees the rows,
 * so that neither the check, nor the cases, nor freeing 5 000 parsed
 * records holds up the main loop. Touches only @result and the step. */
static void
chunk_decoded (JsonNode *result,
               gpointer  user_data)
{
  ChunkStep *step = user_data;
  JsonArray *rows;
  guint n;

  if (!JSON_NODE_HOLDS_ARRAY (result))
    return;
  step->decoded = TRUE;
  rows = json_node_get_array (result);
  /* never more than asked for, even from a server that ignores the limit */
  n = MIN (json_array_get_length (rows), step->limit);
  for (guint i = 0; i < n; i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (rows, i)))
      {
        step->not_records = TRUE;
        return;
      }
  /* Every row has an id in the range asked for, or none (that is counted
   * as unreadable below). */
  for (guint i = 0; i < n; i++)
    {
      gint64 id = row_id (json_array_get_element (rows, i));

      if (id > 0 && (id < step->low || id > step->high))
        {
          step->out_of_range = TRUE;
          return;
        }
    }
  step->cases = g_ptr_array_new_full (n, g_object_unref);
  step->problems = g_array_new (FALSE, FALSE, sizeof (ChunkProblem));
  g_array_set_clear_func (step->problems, (GDestroyNotify) chunk_problem_clear);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *field = "id";
      CtRowProblem problem = ct_case_check_record (row, step->fields, &field);
      CtCase *c;

      step->checked++;
      if (problem != CT_ROW_READABLE)
        {
          ChunkProblem p = { problem, g_strdup (field) };

          g_array_append_val (step->problems, p);
          continue;
        }
      c = step->build (step->profile, step->queue, row, step->build_data);
      if (c != NULL)
        g_ptr_array_add (step->cases, c);
    }
  for (guint i = json_array_get_length (rows); i-- > 0;)
    json_array_remove_element (rows, i);
}

static void chunk_done (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data);

static void
chunk_send (Chunks *chunks)
{
  CtSource *source = chunks->fetch->source;
  CtSourcePrivate *priv = ct_source_get_instance_private (source);
  guint index = chunks->sent++;
  guint count = chunk_last (chunks, index) - chunk_first (chunks, index) + 1;
  g_autoptr(JsonArray) domain = json_array_sized_new (json_array_get_length (chunks->domain) + 2);
  g_autoptr(JsonObject) kwargs = json_object_new ();
  JsonArray *fields = json_array_new ();
  ChunkStep *step = g_new0 (ChunkStep, 1);
  JsonObject *types = g_hash_table_lookup (priv->fields, chunks->model);
  GPtrArray *queues = ct_source_get_queues (source);

  step->chunks = chunks_ref (chunks);
  step->index = index;
  step->profile = g_object_ref (ct_source_get_profile (source));
  step->queue = queues->pdata[chunks->queue];
  step->fields = types != NULL ? json_object_ref (types) : NULL;
  step->build = chunks->build;
  step->build_data = chunks->build_data;
  step->low = g_array_index (chunks->ids, gint64, chunk_first (chunks, index));
  step->high = g_array_index (chunks->ids, gint64, chunk_last (chunks, index));
  /* The room is for records that came into the range since the ids were
   * read; any beyond it were written after the cursor and come with the
   * next refresh. */
  step->limit = 2 * count + 16;

  for (guint i = 0; i < json_array_get_length (chunks->domain); i++)
    json_array_add_element (domain, json_node_copy (json_array_get_element (chunks->domain, i)));
  ct_source_domain_add (domain, "id", ">=", json_node_init_int (json_node_alloc (), step->low));
  ct_source_domain_add (domain, "id", "<=", json_node_init_int (json_node_alloc (), step->high));
  for (guint i = 0; chunks->fields[i] != NULL; i++)
    json_array_add_string_element (fields, chunks->fields[i]);
  json_object_set_array_member (kwargs, "domain", json_array_ref (domain));
  json_object_set_array_member (kwargs, "fields", fields);
  json_object_set_string_member (kwargs, "order", "id");
  json_object_set_int_member (kwargs, "limit", step->limit);
  g_ptr_array_add (chunks->answers, NULL);
  ct_source_fetch_hold (chunks->fetch);
  /* One request per chunk, never paged by offset (a server that ignores
   * the range would answer the same page for ever). */
  ct_odoo_client_call_full_async (ct_source_get_client (source), chunks->model, "search_read",
                                  NULL, kwargs, NULL, chunk_decoded, step,
                                  ct_source_fetch_get_cancellable (chunks->fetch), chunk_done,
                                  step);
}

/* Asks for the chunks whose ids are known, up to CT_SOURCE_CHUNKS_AHEAD
 * beyond the last one given: the first go out while the ids are still
 * being read. */
static void
chunks_top_up (Chunks *chunks)
{
  guint known = chunks->ids_done
                ? (chunks->ids->len + chunks->page_size - 1) / chunks->page_size
                : chunks->ids->len / chunks->page_size;

  while (chunks->sent < known && chunks->sent < chunks->given + CT_SOURCE_CHUNKS_AHEAD)
    chunk_send (chunks);
}

static void
chunks_give (Chunks *chunks)
{
  CtSourceFetch *fetch = chunks->fetch;

  /* Strictly in chunk order, whichever answer came first: the merge does
   * not depend on the network. */
  while (chunks->given < chunks->answers->len && chunks->answers->pdata[chunks->given] != NULL)
    {
      g_autoptr(GPtrArray) cases = g_steal_pointer (&chunks->answers->pdata[chunks->given]);

      chunks->given++;
      chunks_top_up (chunks);
      for (guint i = 0; i < cases->len; i++)
        {
          CtCase *c = cases->pdata[i];

          ct_source_fetch_take_case (fetch, g_object_ref (c));
        }
    }
  chunks_top_up (chunks);
  if (chunks->ids_done && !chunks->ended && chunks->given == chunks->sent &&
      chunks->given == chunks->answers->len &&
      chunk_first (chunks, chunks->given) >= chunks->ids->len)
    {
      chunks->ended = TRUE;
      fetch->queue = chunks->queue;
      chunks->then (fetch, NULL);
    }
}

static void
chunk_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ChunkStep) step = user_data;
  Chunks *chunks = step->chunks;
  CtSourceFetch *fetch = chunks->fetch;
  GError *error = NULL;
  g_autoptr(JsonNode) node = ct_odoo_client_call_finish (CT_ODOO_CLIENT (object), result, &error);

  if (ct_source_fetch_is_over (fetch))
    /* another chunk failed first, or the fetch was cancelled */
    g_clear_error (&error);
  else if (error != NULL)
    ct_source_fetch_fail (fetch, error);
  else if (!step->decoded || step->not_records)
    {
      const char *message = _("Odoo sent an answer of an unexpected type.");

      ct_source_fetch_fail (fetch, ct_odoo_error_new_full (CT_ODOO_ERROR_PROTOCOL, message, 200,
                                                           -1, NULL, "search_read", NULL));
    }
  else if (step->out_of_range)
    {
      g_autofree char *message =
        g_strdup_printf (_("Odoo answered with %s records outside the range of ids they were "
                           "asked for, as if it ignored the condition; reading stopped there."),
                         chunks->model);

      ct_source_fetch_fail (fetch, ct_odoo_error_new_full (CT_ODOO_ERROR_PROTOCOL, message, 200,
                                                           -1, NULL, NULL, NULL));
    }
  else
    {
      for (guint i = 0; i < step->checked - step->problems->len; i++)
        ct_source_count_unreadable (fetch->source, CT_ROW_READABLE, NULL);
      for (guint i = 0; i < step->problems->len; i++)
        {
          ChunkProblem *p = &g_array_index (step->problems, ChunkProblem, i);

          ct_source_count_unreadable (fetch->source, p->problem, p->field);
        }
      chunks->answers->pdata[step->index] = g_steal_pointer (&step->cases);
      chunks_give (chunks);
    }
  chunks_unref (chunks);
  ct_source_fetch_release (fetch);
}

static void
chunks_ids_page (CtSourceFetch *fetch,
                 JsonArray     *rows)
{
  Chunks *chunks = ((FetchState *)fetch)->chunks;

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      gint64 id = row_id (json_array_get_element (rows, i));

      if (id > 0)
        g_array_append_val (chunks->ids, id);
      else
        ct_source_count_unreadable (fetch->source, CT_ROW_WRONG_TYPE, "id");
    }
  if (chunks->ids_page != NULL)
    chunks->ids_page (fetch, rows);
  if (!ct_source_fetch_is_over (fetch))
    chunks_top_up (chunks);
}

static void
chunks_ids_done (CtSourceFetch *fetch,
                 JsonArray     *rows)
{
  Chunks *chunks = g_steal_pointer (&((FetchState *)fetch)->chunks);

  chunks->ids_done = TRUE;
  chunks_give (chunks);
  chunks_unref (chunks);
}

void
ct_source_fetch_read_chunks (CtSourceFetch      *fetch,
                             const char         *model,
                             JsonArray          *domain,
                             const char * const *fields,
                             guint               page_size,
                             CtSourceFetchFunc   ids_page,
                             CtSourceBuildFunc   build,
                             gpointer            build_data,
                             CtSourceFetchFunc   then)
{
  FetchState *state = (FetchState *)fetch;
  Chunks *chunks = g_new0 (Chunks, 1);
  static const char *const id_fields[] = { "id", "write_date", NULL };

  g_return_if_fail (state->chunks == NULL);
  chunks->ref = 1;
  chunks->fetch = fetch;
  chunks->ids_page = ids_page;
  chunks->build = build;
  chunks->build_data = build_data;
  chunks->then = then;
  chunks->model = g_strdup (model);
  chunks->domain = json_array_ref (domain);
  chunks->fields = g_strdupv ((char **)fields);
  chunks->page_size = page_size > 0 ? page_size : 2000;
  {
    CtSourcePrivate *priv = ct_source_get_instance_private (fetch->source);

    if (priv->chunk_size > 0)
      chunks->page_size = priv->chunk_size;
  }
  chunks->queue = fetch->queue;
  chunks->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  chunks->answers = g_ptr_array_new ();
  /* Owned by the fetch while its ids are read (a failure there frees it). */
  state->chunks = chunks;
  /* The ids first, as cheap as the reconciliation's check; the first
   * chunks go out as soon as their ids are known. */
  read_pages (fetch, model, domain, id_fields, 20000, TRUE, chunks_ids_page, chunks_ids_done);
}

/* ---- a reconciliation's check, ids only ---- */

typedef struct _Check
{
  CtSourceFetchFunc  then;
  char              *id_field;
  char              *case_model;
  GHashTable        *open_ids;   /* gint64 → TRUE: open on the server now */
} Check;

static void
check_free (Check *check)
{
  g_free (check->id_field);
  g_free (check->case_model);
  g_hash_table_unref (check->open_ids);
  g_free (check);
}

static void
check_page (CtSourceFetch *fetch,
            JsonArray     *rows)
{
  Check *check = ((FetchState *)fetch)->check;

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *row = json_array_get_element (rows, i);
      gint64 id = 0;

      if (!JSON_NODE_HOLDS_OBJECT (row))
        continue;
      /* "res_id" is a plain integer; "id" too. */
      id = ct_source_get_int (json_node_get_object (row), check->id_field);
      if (id > 0)
        g_hash_table_add (check->open_ids, g_memdup2 (&id, sizeof id));
    }
}

static void
check_done (CtSourceFetch *fetch,
            JsonArray     *rows)
{
  FetchState *state = (FetchState *)fetch;
  Check *check = g_steal_pointer (&state->check);
  g_autoptr(JsonArray) missed = json_array_new ();
  GHashTableIter iter;
  gpointer key;
  g_autofree char *prefix = g_strconcat (check->case_model, ":", NULL);

  /* Held but not open any more (nor read open in this fetch): gone. */
  g_hash_table_iter_init (&iter, fetch->known);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gint64 id;

      if (!g_str_has_prefix (key, prefix) || !ct_source_parse_key (key, NULL, &id) ||
          g_hash_table_contains (check->open_ids, &id) || g_hash_table_contains (fetch->open, key))
        continue;
      g_hash_table_add (fetch->read, g_strdup (key));
    }
  /* Open but held by nobody: a change the cursor missed. */
  g_hash_table_iter_init (&iter, check->open_ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gint64 id = *(gint64 *)key;
      g_autofree char *case_key = ct_case_make_key (check->case_model, id);

      if (!g_hash_table_contains (fetch->known, case_key) &&
          !g_hash_table_contains (fetch->open, case_key))
        {
          JsonObject *row = json_object_new ();

          json_object_set_int_member (row, "id", id);
          json_array_add_object_element (missed, row);
        }
    }
  {
    CtSourceFetchFunc then = check->then;

    check_free (check);
    then (fetch, missed);
  }
}

void
ct_source_fetch_check_known (CtSourceFetch      *fetch,
                             const char         *model,
                             JsonArray          *domain,
                             const char         *id_field,
                             const char         *case_model,
                             CtSourceFetchFunc   then)
{
  FetchState *state = (FetchState *)fetch;
  Check *check = g_new0 (Check, 1);
  const char *fields[] = { "id", NULL, NULL };

  g_return_if_fail (fetch->known != NULL && state->check == NULL);
  check->then = then;
  check->id_field = g_strdup (id_field);
  check->case_model = g_strdup (case_model);
  check->open_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  state->check = check;
  if (g_strcmp0 (id_field, "id") != 0)
    fields[1] = id_field;
  /* Pages as large as a read by ids: {"id": n} is about 15 bytes. */
  ct_source_fetch_read_pages (fetch, model, domain, fields, 20000, check_page, check_done);
}

CtActor
ct_source_actor_for_user (CtSource *self,
                          gint64    user_id)
{
  CtOdooClient *client = ct_source_get_client (self);
  gint64 uid = client ? ct_odoo_client_get_uid (client) : 0;

  if (uid <= 0 || user_id <= 0)
    return CT_ACTOR_UNKNOWN;
  return uid == user_id ? CT_ACTOR_YOU : CT_ACTOR_SOMEONE_ELSE;
}

gboolean
ct_source_is_not_visible (CtSource *self)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);

  return priv->unavailable != NULL && priv->not_visible;
}

GHashTable *
ct_source_get_hidden_models (CtSource *self)
{
  CtSourcePrivate *priv = ct_source_get_instance_private (self);

  return priv->hidden;
}
