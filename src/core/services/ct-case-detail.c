/* ct-case-detail.c - What the case view shows, re-read from Odoo when a case opens
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One open costs a fixed number of requests whatever the size of the record,
 * one round trip deep once the field lists are known (the first case asks
 * for them): in parallel the record, its lines, messages, their tracking
 * values, attachments, reviews, approvers, the partner and the companies
 * (for a double-validation threshold). Only where a search is not possible
 * does a read by id follow the batch.
 *
 * The recorded servers (tests/data/protocol/README.md) decide the shape:
 * a field fields_get does not list for this user fails a whole read with
 * 403, so only listed fields are asked for; tracking values are readable by
 * administrators only, and the chatter route that gives them to everyone
 * needs a web session; the `preview` of a message holds raw markup and is
 * never read; /web/content ignores a bearer key, so attachments are read
 * through `datas`.
 */

#define G_LOG_DOMAIN "ct-case-detail"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ct-case-detail.h"
#include "ct-case-store.h"
#include "ct-incident.h"
#include "ct-source.h"

#define MAX_MESSAGES 50
#define MAX_LINES    500
#define MAX_TRACKING 500
#define MAX_COMPANIES 50

/* What says when a purchase order needs its second approval. */
static const char *const company_fields[] = {
  "name", "po_double_validation", "po_double_validation_amount", "currency_id", NULL
};

/* What a tracking value says; the message it belongs to first, which only
 * the search beside the messages needs. */
static const char *const tracking_fields[] = {
  "mail_message_id", "field_id", "old_value_char", "new_value_char", "old_value_integer",
  "new_value_integer", "old_value_float", "new_value_float", "old_value_text", "new_value_text",
  "old_value_datetime", "new_value_datetime", NULL
};

struct _CtCaseDetailReader
{
  GObject       parent_instance;

  CtOdooClient *client;   /* (owned) */
  CtProfile    *profile;  /* (owned) */
  GListModel   *cases;    /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (CtCaseDetailReader, ct_case_detail_reader, G_TYPE_OBJECT)

/* ---- the detail ------------------------------------------------------- */

void
ct_text_link_free (CtTextLink *link)
{
  g_free (link->text);
  g_free (link->url);
  g_free (link);
}

static void
case_line_free (CtCaseLine *line)
{
  g_free (line->product);
  g_free (line->description);
  g_free (line->unit);
  g_free (line);
}

static void
tracking_change_free (CtTrackingChange *change)
{
  g_free (change->field);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
}

static void
case_message_free (CtCaseMessage *message)
{
  g_free (message->author);
  g_free (message->text);
  g_ptr_array_unref (message->links);
  g_ptr_array_unref (message->changes);
  g_free (message);
}

static void
case_attachment_free (CtCaseAttachment *attachment)
{
  g_free (attachment->name);
  g_free (attachment->mimetype);
  g_free (attachment);
}

static void
case_approver_free (CtCaseApprover *approver)
{
  g_free (approver->name);
  g_free (approver->via);
  g_free (approver);
}

static void
case_detail_clear (CtCaseDetail *self)
{
  g_free (self->key);
  g_free (self->model);
  g_free (self->reference);
  g_free (self->partner);
  g_free (self->odoo_url);
  g_ptr_array_unref (self->reasons);
  g_ptr_array_unref (self->approvers);
  g_ptr_array_unref (self->lines);
  g_free (self->currency);
  g_free (self->credit.partner);
  g_ptr_array_unref (self->credit.omitted);
  g_free (self->credit.note);
  g_ptr_array_unref (self->messages);
  g_free (self->tracking_note);
  g_ptr_array_unref (self->attachments);
  g_ptr_array_unref (self->incident_keys);
  g_free (self->left_explanation);
  g_ptr_array_unref (self->notes);
}

static CtCaseDetail *
case_detail_new (CtCase *c)
{
  CtCaseDetail *self = g_atomic_rc_box_new0 (CtCaseDetail);

  self->key = g_strdup (c->key);
  self->model = g_strdup (c->model);
  self->record_id = c->record_id;
  self->reasons = g_ptr_array_new_with_free_func (g_free);
  self->approvers = g_ptr_array_new_with_free_func ((GDestroyNotify) case_approver_free);
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) case_line_free);
  self->lines_total = NAN;
  self->credit.limit = NAN;
  self->credit.receivable = NAN;
  self->credit.open_orders = NAN;
  self->credit.overdue = NAN;
  self->credit.case_adds = NAN;
  self->credit.exposure_after = NAN;
  self->credit.omitted = g_ptr_array_new_with_free_func (g_free);
  self->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) case_message_free);
  self->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) case_attachment_free);
  self->incident_keys = g_ptr_array_new_with_free_func (g_free);
  self->notes = g_ptr_array_new_with_free_func (g_free);
  return self;
}

CtCaseDetail *
ct_case_detail_ref (CtCaseDetail *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
ct_case_detail_unref (CtCaseDetail *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) case_detail_clear);
}

G_DEFINE_BOXED_TYPE (CtCaseDetail, ct_case_detail, ct_case_detail_ref, ct_case_detail_unref)

/* ---- HTML to text ------------------------------------------------------ */

static void
append_entity (GString    *out,
               const char *p,
               const char *end)
{
  static const struct { const char *name; const char *text; } named[] = {
    { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
    { "nbsp", " " }, { "#39", "'" },
  };
  gsize len = end - p;

  if (len > 1 && p[0] == '#')
    {
      gboolean hex = p[1] == 'x' || p[1] == 'X';
      g_autofree char *digits = g_strndup (p + (hex ? 2 : 1), len - (hex ? 2 : 1));
      char *stop = NULL;
      guint64 cp = g_ascii_strtoull (digits, &stop, hex ? 16 : 10);

      /* Control characters and surrogates would hide text or be invalid. */
      if (stop != NULL && *stop == '\0' && digits[0] != '\0' && cp >= 0x20 && cp <= 0x10FFFF &&
          (cp < 0xD800 || cp > 0xDFFF) && cp != 0x7F)
        {
          g_string_append_unichar (out, (gunichar) cp);
          return;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    if (strlen (named[i].name) == len && strncmp (p, named[i].name, len) == 0)
      {
        g_string_append (out, named[i].text);
        return;
      }
  /* Unknown: keep it as written. */
  g_string_append_c (out, '&');
  g_string_append_len (out, p, len);
  g_string_append_c (out, ';');
}

/* Decodes entities in @start..@end into @out. */
static void
append_text (GString    *out,
             const char *start,
             const char *end)
{
  const char *p = start;

  while (p < end)
    {
      if (*p == '&')
        {
          const char *semi = memchr (p, ';', MIN (end - p, 12));

          if (semi != NULL)
            {
              append_entity (out, p + 1, semi);
              p = semi + 1;
              continue;
            }
        }
      /* Whitespace in HTML text is one space. */
      if (g_ascii_isspace (*p))
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ' && out->str[out->len - 1] != '\n')
            g_string_append_c (out, ' ');
        }
      else
        g_string_append_c (out, *p);
      p++;
    }
}

static void
new_line (GString *out)
{
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');
}

/* The value of attribute @name in the tag text @tag..@end, decoded. */
static char *
tag_attribute (const char *tag,
               const char *end,
               const char *name)
{
  gsize name_len = strlen (name);
  const char *p = tag;

  while (p < end)
    {
      if (g_ascii_strncasecmp (p, name, name_len) == 0 && p > tag && g_ascii_isspace (p[-1]))
        {
          const char *q = p + name_len;

          while (q < end && g_ascii_isspace (*q))
            q++;
          if (q < end && *q == '=')
            {
              const char *v;
              char quote = 0;
              GString *value = g_string_new (NULL);

              q++;
              while (q < end && g_ascii_isspace (*q))
                q++;
              if (q < end && (*q == '"' || *q == '\''))
                quote = *q++;
              v = q;
              while (q < end && (quote ? *q != quote : !g_ascii_isspace (*q)))
                q++;
              append_text (value, v, q);
              return g_string_free (value, FALSE);
            }
        }
      p++;
    }
  return NULL;
}

static gboolean
tag_is (const char *name,
        gsize       len,
        const char *what)
{
  return strlen (what) == len && g_ascii_strncasecmp (name, what, len) == 0;
}

static gboolean
safe_link (const char *url)
{
  return url != NULL && (g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://") ||
                         g_str_has_prefix (url, "mailto:"));
}

char *
ct_html_to_text (const char *html,
                 GPtrArray  *links)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *valid = NULL;
  g_autofree char *href = NULL;
  gsize link_start = 0;
  const char *p;

  if (html == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (html, -1);
  p = valid;
  while (*p != '\0')
    {
      const char *lt = strchr (p, '<');
      const char *gt, *name;
      gboolean closing;
      gsize name_len;

      if (lt == NULL)
        {
          append_text (out, p, p + strlen (p));
          break;
        }
      append_text (out, p, lt);
      if (strncmp (lt, "<!--", 4) == 0)
        {
          const char *end = strstr (lt + 4, "-->");
          p = end != NULL ? end + 3 : lt + strlen (lt);
          continue;
        }
      gt = strchr (lt, '>');
      if (gt == NULL)
        break;
      name = lt + 1;
      closing = *name == '/';
      if (closing)
        name++;
      name_len = 0;
      while (g_ascii_isalnum (name[name_len]))
        name_len++;
      p = gt + 1;

      if (!closing && (tag_is (name, name_len, "script") || tag_is (name, name_len, "style")))
        {
          /* Dropped with their content. */
          g_autofree char *close = g_strdup_printf ("</%.*s", (int) name_len, name);
          const char *q = p;

          while (*q != '\0' && g_ascii_strncasecmp (q, close, strlen (close)) != 0)
            q++;
          if (*q == '\0')
            break;
          gt = strchr (q, '>');
          p = gt != NULL ? gt + 1 : q + strlen (q);
          continue;
        }
      if (tag_is (name, name_len, "br"))
        new_line (out);
      else if (tag_is (name, name_len, "p") || tag_is (name, name_len, "div") ||
               tag_is (name, name_len, "ul") || tag_is (name, name_len, "ol") ||
               tag_is (name, name_len, "tr") || tag_is (name, name_len, "table") ||
               (name_len == 2 && g_ascii_tolower (name[0]) == 'h' && g_ascii_isdigit (name[1])))
        new_line (out);
      else if (tag_is (name, name_len, "li") && !closing)
        {
          new_line (out);
          g_string_append (out, "• ");
        }
      else if (tag_is (name, name_len, "td") && closing)
        g_string_append_c (out, ' ');
      else if (tag_is (name, name_len, "a"))
        {
          if (!closing)
            {
              g_clear_pointer (&href, g_free);
              href = tag_attribute (name, gt, "href");
              link_start = out->len;
            }
          else if (href != NULL)
            {
              if (links != NULL && safe_link (href))
                {
                  CtTextLink *link = g_new0 (CtTextLink, 1);
                  g_autofree char *text = g_strndup (out->str + link_start, out->len - link_start);

                  link->text = g_strdup (g_strstrip (text));
                  link->url = g_steal_pointer (&href);
                  g_ptr_array_add (links, link);
                }
              g_clear_pointer (&href, g_free);
            }
        }
    }
  /* Trim blank lines at both ends. */
  while (out->len > 0 && (out->str[out->len - 1] == '\n' || out->str[out->len - 1] == ' '))
    g_string_truncate (out, out->len - 1);
  {
    gsize lead = 0;

    while (lead < out->len && (out->str[lead] == '\n' || out->str[lead] == ' '))
      lead++;
    g_string_erase (out, 0, lead);
  }
  return g_utf8_make_valid (out->str, out->len);
}

char *
ct_odoo_form_url (const char *base_url,
                  int         major_version,
                  const char *model,
                  gint64      id)
{
  g_autofree char *base = g_strdup (base_url != NULL ? base_url : "");
  gsize len = strlen (base);

  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';
  if (major_version >= 18)
    return g_strdup_printf ("%s/odoo/%s/%" G_GINT64_FORMAT, base, model, id);
  return g_strdup_printf ("%s/web#id=%" G_GINT64_FORMAT "&model=%s&view_type=form", base, id,
                          model);
}

/* ---- JSON helpers ------------------------------------------------------ */

static double
get_double (JsonObject *record,
            const char *field)
{
  JsonNode *node;

  if (record == NULL || field == NULL || !json_object_has_member (record, field))
    return NAN;
  node = json_object_get_member (record, field);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NAN;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return (double) json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return json_node_get_double (node);
    default:
      return NAN;
    }
}

/* A many2one's name or a plain string, as plain text. */
static char *
dup_text (JsonObject *record,
          const char *field)
{
  const char *s;

  if (record == NULL || field == NULL)
    return NULL;
  s = ct_source_m2o_name (record, field);
  if (s == NULL)
    s = ct_source_get_string (record, field);
  return s != NULL ? g_utf8_make_valid (s, -1) : NULL;
}

static gboolean
listed (JsonObject *fields,
        const char *name)
{
  return fields != NULL && name != NULL && name[0] != '\0' && json_object_has_member (fields, name);
}

/* The names of @wanted that @fields lists, as a NULL-terminated vector. */
static GStrv
listed_fields (JsonObject         *fields,
               const char * const *wanted)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; wanted[i] != NULL; i++)
    if (listed (fields, wanted[i]) && g_hash_table_add (seen, (gpointer) wanted[i]))
      g_strv_builder_add (builder, wanted[i]);
  return g_strv_builder_end (builder);
}

static JsonArray *
domain_for (const char *model_field,
            const char *model,
            const char *id_field,
            gint64      id)
{
  JsonArray *domain = json_array_new ();
  JsonArray *term;

  if (model_field != NULL)
    {
      term = json_array_new ();
      json_array_add_string_element (term, model_field);
      json_array_add_string_element (term, "=");
      json_array_add_string_element (term, model);
      json_array_add_array_element (domain, term);
    }
  term = json_array_new ();
  json_array_add_string_element (term, id_field);
  json_array_add_string_element (term, "=");
  json_array_add_int_element (term, id);
  json_array_add_array_element (domain, term);
  return domain;
}

static char *
format_when (gint64 when)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (when);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (local == NULL)
    return g_strdup ("?");
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* ---- the read ---------------------------------------------------------- */

typedef enum
{
  PHASE_FIELDS,
  PHASE_READ,
  PHASE_FOLLOW,
} Phase;

enum
{
  FG_RECORD,
  FG_LINES,
  FG_PARTNER,
  FG_MESSAGE,
  FG_TRACKING,
  N_FG
};

typedef struct
{
  CtCase              *c;            /* (owned) */
  CtCaseDetail        *detail;       /* (owned) */
  const CtLineMapping *lines;        /* (nullable) (unowned) from the profile */
  Phase                phase;
  guint                pending;
  JsonObject          *fields[N_FG]; /* (owned) (nullable) fields_get answers */
  JsonObject          *record;       /* (owned) (nullable) */
  gboolean             record_gone;
  GError              *record_error;
  JsonArray           *reviews;      /* (owned) (nullable) tier.review rows */
  JsonArray           *approvers;    /* (owned) (nullable) approval.approver rows */
  JsonObject          *partner;      /* (owned) (nullable) */
  JsonObject          *company;      /* (owned) (nullable) */
  JsonArray           *companies;    /* (owned) (nullable) searched beside the record */
  GHashTable          *by_message;   /* message id → CtCaseMessage (unowned) */
  GHashTable          *tracking_of;  /* tracking value id → CtCaseMessage (unowned) */
  JsonArray           *tracking;     /* (owned) (nullable) searched beside the messages */
  JsonArray           *thread;       /* (owned) (nullable) the chatter route's messages */
  gboolean             tracking_searched;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_clear_object (&data->c);
  g_clear_pointer (&data->detail, ct_case_detail_unref);
  for (guint i = 0; i < N_FG; i++)
    g_clear_pointer (&data->fields[i], json_object_unref);
  g_clear_pointer (&data->record, json_object_unref);
  g_clear_error (&data->record_error);
  g_clear_pointer (&data->reviews, json_array_unref);
  g_clear_pointer (&data->approvers, json_array_unref);
  g_clear_pointer (&data->partner, json_object_unref);
  g_clear_pointer (&data->company, json_object_unref);
  g_clear_pointer (&data->companies, json_array_unref);
  g_clear_pointer (&data->by_message, g_hash_table_unref);
  g_clear_pointer (&data->tracking_of, g_hash_table_unref);
  g_clear_pointer (&data->tracking, json_array_unref);
  g_clear_pointer (&data->thread, json_array_unref);
  g_free (data);
}

/* One sub-request: which part it fills, and the task that waits for all. */
typedef struct
{
  GTask *task;   /* (owned) */
  int    part;
} Part;

static void phase_done (GTask *task);

static Part *
part_new (GTask *task,
          int    part)
{
  Part *p = g_new0 (Part, 1);
  ReadData *data = g_task_get_task_data (task);

  p->task = g_object_ref (task);
  p->part = part;
  data->pending++;
  return p;
}

/* Called once per finished sub-request. */
static void
part_finish (Part *p)
{
  g_autoptr(GTask) task = p->task;
  ReadData *data = g_task_get_task_data (task);

  g_free (p);
  g_assert (data->pending > 0);
  if (--data->pending == 0)
    phase_done (task);
}

static void
add_note (ReadData   *data,
          const char *what,
          GError     *error)
{
  /* Someone else's rights or a module that is not installed: the detail
   * says so and carries on. */
  if (g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_FOUND))
    return;
  g_ptr_array_add (data->detail->notes, g_strdup_printf ("%s: %s", what, error->message));
}

static void
on_fields_get (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Part *p = user_data;
  ReadData *data = g_task_get_task_data (p->task);
  g_autoptr(GError) error = NULL;
  JsonObject *fields = ct_odoo_client_fields_get_finish (CT_ODOO_CLIENT (source), result, &error);

  if (fields != NULL)
    data->fields[p->part] = fields;
  part_finish (p);
}

/* ---- phase 2: parse what came back ---- */

static CtApproverState
review_state (const char *status)
{
  if (g_strcmp0 (status, "approved") == 0)
    return CT_APPROVER_STATE_APPROVED;
  if (g_strcmp0 (status, "rejected") == 0 || g_strcmp0 (status, "refused") == 0)
    return CT_APPROVER_STATE_REJECTED;
  if (g_strcmp0 (status, "pending") == 0)
    return CT_APPROVER_STATE_PENDING;
  return CT_APPROVER_STATE_WAITING;
}

static void
on_record (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Part *p = user_data;
  ReadData *data = g_task_get_task_data (p->task);
  g_autoptr(JsonArray) rows = ct_odoo_client_read_finish (CT_ODOO_CLIENT (source), result,
                                                          &data->record_error);

  if (rows != NULL)
    {
      if (json_array_get_length (rows) > 0 &&
          JSON_NODE_HOLDS_OBJECT (json_array_get_element (rows, 0)))
        data->record = json_object_ref (json_array_get_object_element (rows, 0));
      else
        data->record_gone = TRUE;
    }
  else if (g_error_matches (data->record_error, CT_ODOO_ERROR, CT_ODOO_ERROR_MISSING))
    {
      g_clear_error (&data->record_error);
      data->record_gone = TRUE;
    }
  part_finish (p);
}

/* A search_read's rows, or NULL when it failed: then the detail notes
 * @what could not be read and @p is finished. */
static JsonArray *
rows_or_note (Part         *p,
              GObject      *source,
              GAsyncResult *result,
              const char   *what)
{
  ReadData *data = g_task_get_task_data (p->task);
  g_autoptr(GError) error = NULL;
  JsonArray *rows = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (source), result, &error);

  if (rows == NULL)
    {
      add_note (data, what, error);
      part_finish (p);
    }
  return rows;
}

static void
on_lines (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Part *p = user_data;
  ReadData *data = g_task_get_task_data (p->task);
  const CtLineMapping *m = data->lines;
  g_autoptr(JsonArray) rows = rows_or_note (p, source, result, _("Lines"));
  double total = 0;
  gboolean has_total = FALSE;

  if (rows == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      CtCaseLine *line;

      if (row == NULL)
        continue;
      line = g_new0 (CtCaseLine, 1);
      line->product = dup_text (row, m->product);
      line->description = dup_text (row, m->description);
      line->unit = dup_text (row, m->unit);
      line->quantity = get_double (row, m->quantity);
      line->price_unit = get_double (row, m->price_unit);
      line->discount = get_double (row, m->discount);
      line->subtotal = get_double (row, m->subtotal);
      line->total = get_double (row, m->total);
      if (!isnan (line->subtotal))
        {
          total += line->subtotal;
          has_total = TRUE;
        }
      g_ptr_array_add (data->detail->lines, line);
    }
  data->detail->lines_total = has_total ? total : NAN;
  part_finish (p);
}

static CtMessageKind
message_kind (JsonObject *row)
{
  const char *type = ct_source_get_string (row, "message_type");
  gint64 subtype = ct_source_m2o_id (row, "subtype_id");

  if (g_strcmp0 (type, "comment") != 0 && g_strcmp0 (type, "email") != 0)
    return CT_MESSAGE_NOTIFICATION;
  /* mail.mt_note; its name is translated, its id is not. */
  if (subtype == 2 || g_strcmp0 (ct_source_m2o_name (row, "subtype_id"), "Note") == 0)
    return CT_MESSAGE_NOTE;
  return CT_MESSAGE_COMMENT;
}

static void
on_messages (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Part *p = user_data;
  ReadData *data = g_task_get_task_data (p->task);
  g_autoptr(JsonArray) rows = rows_or_note (p, source, result, _("Messages"));

  if (rows == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      CtCaseMessage *message;
      JsonNode *tracking;

      if (row == NULL)
        continue;
      message = g_new0 (CtCaseMessage, 1);
      message->id = ct_source_get_int (row, "id");
      message->date = ct_parse_odoo_datetime (json_object_get_member (row, "date"));
      message->author = dup_text (row, "author_id");
      message->kind = message_kind (row);
      message->links = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_text_link_free);
      message->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) tracking_change_free);
      /* Never `preview`: it holds the raw markup, <script> included. */
      message->text = ct_html_to_text (ct_source_get_string (row, "body"), message->links);
      g_ptr_array_add (data->detail->messages, message);
      g_hash_table_insert (data->by_message, GINT_TO_POINTER (message->id), message);
      tracking = json_object_get_member (row, "tracking_value_ids");
      if (tracking != NULL && JSON_NODE_HOLDS_ARRAY (tracking))
        {
          JsonArray *ids = json_node_get_array (tracking);

          for (guint j = 0; j < json_array_get_length (ids); j++)
            g_hash_table_insert (data->tracking_of,
                                 GINT_TO_POINTER (json_array_get_int_element (ids, j)), message);
        }
    }
  part_finish (p);
}

/* A value of the chatter route's trackingValues, as text. */
static char *
tracking_value_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_utf8_make_valid (json_node_get_string (node), -1);
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      return ct_format_number (json_node_get_double (node));
    default:
      return NULL;
    }
}

static void
on_thread_messages (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Part *p = user_data;
  ReadData *data = g_task_get_task_data (p->task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ct_odoo_client_web_call_finish (CT_ODOO_CLIENT (source), result,
                                                             &error);
  JsonObject *store = NULL;
  JsonArray *list = NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *root = json_node_get_object (node);
      JsonNode *d = json_object_get_member (root, "data");

      store = d != NULL && JSON_NODE_HOLDS_OBJECT (d) ? json_node_get_object (d) : NULL;
    }
  if (store != NULL && json_object_has_member (store, "mail.message") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (store, "mail.message")))
    list = json_object_get_array_member (store, "mail.message");
  if (list == NULL)
    {
      data->detail->tracking_shown = FALSE;
      g_free (data->detail->tracking_note);
      data->detail->tracking_note =
        g_strdup (error != NULL ? error->message : _("Odoo did not send the field changes."));
      part_finish (p);
      return;
    }
  /* Attached once the messages are in too: either may answer first. */
  data->detail->tracking_shown = TRUE;
  g_clear_pointer (&data->detail->tracking_note, g_free);
  data->thread = json_array_ref (list);
  part_finish (p);
}

static void
on_attachments (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Part *p = user_data;
  ReadData *data = g_task_get_task_data (p->task);
  g_autoptr(JsonArray) rows = rows_or_note (p, source, result, _("Attachments"));

  if (rows == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      CtCaseAttachment *attachment;
      double size;

      if (row == NULL)
        continue;
      attachment = g_new0 (CtCaseAttachment, 1);
      attachment->id = ct_source_get_int (row, "id");
      attachment->name = dup_text (row, "name");
      if (attachment->name == NULL)
        attachment->name = g_strdup ("");
      size = get_double (row, "file_size");
      attachment->size = isnan (size) ? -1 : (gint64) size;
      attachment->mimetype = dup_text (row, "mimetype");
      g_ptr_array_add (data->detail->attachments, attachment);
    }
  part_finish (p);
}

static void
on_rows (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Part *p = user_data;
  ReadData *data = g_task_get_task_data (p->task);
  g_autoptr(GError) error = NULL;
  JsonArray *rows = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (source), result, &error);

  if (p->part == 0)
    data->reviews = rows;
  else
    data->approvers = rows;
  if (rows == NULL)
    add_note (data, _("Approvers"), error);
  part_finish (p);
}

static void
on_one_row (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Part *p = user_data;
  ReadData *data = g_task_get_task_data (p->task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_read_finish (CT_ODOO_CLIENT (source), result, &error);
  JsonObject *row = rows != NULL && json_array_get_length (rows) > 0 ?
                    json_array_get_object_element (rows, 0) : NULL;

  if (row != NULL)
    {
      if (p->part == 0)
        data->partner = json_object_ref (row);
      else
        data->company = json_object_ref (row);
    }
  else if (error != NULL)
    add_note (data, p->part == 0 ? _("Credit") : _("Why it needs approval"), error);
  part_finish (p);
}

/* The companies this user sees, beside the record whose company says
 * which one's double-validation threshold applies. A failure is left to
 * the read by id after the record. */
static void
on_companies (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Part *p = user_data;
  ReadData *data = g_task_get_task_data (p->task);

  data->companies = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (source), result, NULL);
  part_finish (p);
}

static char *
tracking_row_value (JsonObject *row,
                    const char *prefix)
{
  static const char *const kinds[] = { "char", "text", "datetime" };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s_value_%s", prefix, kinds[i]);
      const char *s = ct_source_get_string (row, name);

      if (s != NULL)
        return g_utf8_make_valid (s, -1);
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s_value_%s", prefix, i == 0 ? "float" : "integer");
      g_autofree char *other = g_strdup_printf ("%s_value_%s",
                                                g_str_equal (prefix, "old") ? "new" : "old",
                                                i == 0 ? "float" : "integer");
      double v = get_double (row, name);
      double w = get_double (row, other);

      /* Both zero means this is not the kind of value that changed. */
      if (!isnan (v) && (v != 0 || (!isnan (w) && w != 0)))
        return ct_format_number (v);
    }
  return NULL;
}

static void
add_tracking_change (CtCaseMessage *message,
                     JsonObject    *row)
{
  CtTrackingChange *change = g_new0 (CtTrackingChange, 1);
  char *paren;

  change->field = dup_text (row, "field_id");
  if (change->field == NULL)
    change->field = g_strdup ("");
  /* "Status (Purchase Order)": the chatter route says "Status". */
  paren = strrchr (change->field, '(');
  if (paren != NULL && paren > change->field && paren[-1] == ' ' &&
      g_str_has_suffix (change->field, ")"))
    paren[-1] = '\0';
  change->old_value = tracking_row_value (row, "old");
  change->new_value = tracking_row_value (row, "new");
  g_ptr_array_add (message->changes, change);
}

static void
note_tracking_failed (ReadData *data,
                      GError   *error)
{
  data->detail->tracking_shown = FALSE;
  g_free (data->detail->tracking_note);
  data->detail->tracking_note = g_strdup (error->message);
}

/* The tracking values read by id, after the messages named them. */
static void
on_tracking (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Part *p = user_data;
  ReadData *data = g_task_get_task_data (p->task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_read_finish (CT_ODOO_CLIENT (source), result, &error);

  if (rows == NULL)
    note_tracking_failed (data, error);
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      CtCaseMessage *message = row != NULL ?
        g_hash_table_lookup (data->tracking_of, GINT_TO_POINTER (ct_source_get_int (row, "id"))) :
        NULL;

      if (message != NULL)
        add_tracking_change (message, row);
    }
  part_finish (p);
}

/* The tracking values searched beside the messages (by their message's
 * record): kept until the messages are in too. */
static void
on_tracking_rows (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Part *p = user_data;
  ReadData *data = g_task_get_task_data (p->task);
  g_autoptr(GError) error = NULL;

  data->tracking = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (source), result, &error);
  if (data->tracking == NULL)
    note_tracking_failed (data, error);
  part_finish (p);
}

/* The chatter route's field changes, on the messages read beside them. */
static void
attach_thread_tracking (ReadData  *data,
                        JsonArray *list)
{
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *row = json_array_get_object_element (list, i);
      CtCaseMessage *message;
      JsonNode *values;

      if (row == NULL)
        continue;
      message = g_hash_table_lookup (data->by_message,
                                     GINT_TO_POINTER (ct_source_get_int (row, "id")));
      values = json_object_get_member (row, "trackingValues");
      if (message == NULL || values == NULL || !JSON_NODE_HOLDS_ARRAY (values))
        continue;
      for (guint j = 0; j < json_array_get_length (json_node_get_array (values)); j++)
        {
          JsonObject *value = json_array_get_object_element (json_node_get_array (values), j);
          JsonObject *info;
          CtTrackingChange *change;

          if (value == NULL)
            continue;
          info = json_object_has_member (value, "fieldInfo") &&
                 JSON_NODE_HOLDS_OBJECT (json_object_get_member (value, "fieldInfo")) ?
                 json_object_get_object_member (value, "fieldInfo") : NULL;
          change = g_new0 (CtTrackingChange, 1);
          change->field = dup_text (info, "changedField");
          if (change->field == NULL)
            change->field = g_strdup ("");
          change->old_value = tracking_value_text (json_object_get_member (value, "oldValue"));
          change->new_value = tracking_value_text (json_object_get_member (value, "newValue"));
          g_ptr_array_add (message->changes, change);
        }
    }
}

static void
attach_tracking (ReadData *data)
{
  for (guint i = 0; data->tracking != NULL && i < json_array_get_length (data->tracking); i++)
    {
      JsonObject *row = json_array_get_object_element (data->tracking, i);
      CtCaseMessage *message = row != NULL ?
        g_hash_table_lookup (data->by_message,
                             GINT_TO_POINTER (ct_source_m2o_id (row, "mail_message_id"))) :
        NULL;

      if (message != NULL)
        add_tracking_change (message, row);
    }
}

/* ---- phase 3: what follows from the record ---- */

static void
start_partner_read (GTask  *task,
                    gint64  partner_id)
{
  CtCaseDetailReader *self = g_task_get_source_object (task);
  ReadData *data = g_task_get_task_data (task);
  static const char *const wanted[] = { "name", "credit_limit", "credit", "credit_to_invoice",
                                        "total_overdue", NULL };
  g_auto(GStrv) fields = listed_fields (data->fields[FG_PARTNER], wanted);

  if (fields[0] == NULL)
    {
      /* fields_get failed: ask for the name only, which everyone may read. */
      g_strfreev (fields);
      fields = g_strdupv ((char **) (const char *const[]) { "name", NULL });
    }
  data->detail->credit.partner_id = partner_id;
  data->detail->n_requests++;
  ct_odoo_client_read_async (self->client, "res.partner", &partner_id, 1,
                             (const char * const *) fields, g_task_get_cancellable (task),
                             on_one_row, part_new (task, 0));
}

static gboolean
has_source (CtCase       *c,
            CtSourceKind  kind)
{
  return ct_case_has_source (c, kind);
}

static void
start_follow_ups (GTask *task)
{
  CtCaseDetailReader *self = g_task_get_source_object (task);
  ReadData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  data->phase = PHASE_FOLLOW;
  data->pending++;   /* held while starting */
  attach_tracking (data);
  if (data->thread != NULL)
    attach_thread_tracking (data, data->thread);

  if (data->record != NULL && data->partner == NULL && data->detail->credit.partner_id == 0)
    {
      gint64 partner = ct_source_m2o_id (data->record, "partner_id");

      if (partner > 0)
        start_partner_read (task, partner);
    }
  if (!data->tracking_searched && g_hash_table_size (data->tracking_of) > 0)
    {
      g_auto(GStrv) fields = listed_fields (data->fields[FG_TRACKING], tracking_fields + 1);
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, data->tracking_of);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          gint64 id = GPOINTER_TO_INT (key);
          g_array_append_val (ids, id);
        }
      data->detail->n_requests++;
      ct_odoo_client_read_async (self->client, "mail.tracking.value", (gint64 *) ids->data,
                                 ids->len, fields[0] != NULL ? (const char * const *) fields : NULL,
                                 cancellable, on_tracking, part_new (task, 0));
    }
  if (data->record != NULL && has_source (data->c, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION))
    {
      gint64 company = ct_source_m2o_id (data->record, "company_id");

      for (guint i = 0; data->companies != NULL && i < json_array_get_length (data->companies); i++)
        {
          JsonObject *row = json_array_get_object_element (data->companies, i);

          if (row != NULL && company > 0 && ct_source_get_int (row, "id") == company)
            data->company = json_object_ref (row);
        }
      if (company > 0 && data->company == NULL)
        {
          data->detail->n_requests++;
          ct_odoo_client_read_async (self->client, "res.company", &company, 1, company_fields,
                                     cancellable, on_one_row, part_new (task, 1));
        }
    }
  data->pending--;
  if (data->pending == 0)
    phase_done (task);
}

/* ---- the result ---- */

static const char *
source_label (CtSourceKind kind)
{
  switch (kind)
    {
    case CT_SOURCE_KIND_TIER_VALIDATION:
      return _("Tier validation");
    case CT_SOURCE_KIND_APPROVALS:
      return _("Approvals");
    case CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION:
      return _("Double validation");
    case CT_SOURCE_KIND_ACTIVITY:
      return _("Approval activity");
    case CT_SOURCE_KIND_N8N:
    case CT_SOURCE_KIND_CRON:
    case CT_SOURCE_KIND_QUEUE_JOB:
    default:
      return "";
    }
}

static void
add_approver (CtCaseDetail    *detail,
              const char      *name,
              CtSourceKind     via,
              CtApproverState  state,
              guint            sequence,
              gint64           decided_at)
{
  CtCaseApprover *a = g_new0 (CtCaseApprover, 1);

  a->name = g_utf8_make_valid (name != NULL ? name : "", -1);
  a->via = g_strdup (source_label (via));
  a->state = state;
  a->sequence = sequence;
  a->decided_at = decided_at;
  a->source = via;
  g_ptr_array_add (detail->approvers, a);
}

/* A tier-validated order reaches its manager's approval (double
 * validation) only once every tier review is done: a later stage. */
static guint
approver_stage (const CtCaseApprover *a)
{
  return a->source == CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION ? 1 : 0;
}

static int
compare_approvers (gconstpointer a,
                   gconstpointer b)
{
  const CtCaseApprover *x = *(CtCaseApprover * const *) a;
  const CtCaseApprover *y = *(CtCaseApprover * const *) b;

  if (approver_stage (x) != approver_stage (y))
    return (approver_stage (x) > approver_stage (y)) - (approver_stage (x) < approver_stage (y));
  return (x->sequence > y->sequence) - (x->sequence < y->sequence);
}

static void
build_approvers (ReadData *data)
{
  CtCaseDetail *detail = data->detail;
  gboolean double_open = data->record != NULL &&
    g_strcmp0 (ct_source_get_string (data->record, "state"), "to approve") == 0;
  GHashTable *sequences = g_hash_table_new (NULL, NULL);
  gboolean tier_open = FALSE;

  for (guint i = 0; data->reviews != NULL && i < json_array_get_length (data->reviews); i++)
    {
      JsonObject *r = json_array_get_object_element (data->reviews, i);
      const char *who;

      if (r == NULL)
        continue;
      who = ct_source_m2o_name (r, "reviewer_id");
      if (who == NULL)
        who = ct_source_get_string (r, "todo_by");
      if (who == NULL)
        who = ct_source_m2o_name (r, "reviewer_group_id");
      add_approver (detail, who, CT_SOURCE_KIND_TIER_VALIDATION,
                    review_state (ct_source_get_string (r, "status")),
                    (guint) ct_source_get_int (r, "sequence"),
                    ct_parse_odoo_datetime (json_object_get_member (r, "reviewed_date")));
    }
  for (guint i = 0; data->approvers != NULL && i < json_array_get_length (data->approvers); i++)
    {
      JsonObject *r = json_array_get_object_element (data->approvers, i);

      if (r == NULL)
        continue;
      add_approver (detail, ct_source_m2o_name (r, "user_id"), CT_SOURCE_KIND_APPROVALS,
                    review_state (ct_source_get_string (r, "status")),
                    (guint) ct_source_get_int (r, "sequence"), 0);
    }
  /* The mechanisms re-read above replace what the case had; the others
   * come from the case, with what the record now says. */
  for (guint i = 0; data->c->requirements != NULL && i < data->c->requirements->len; i++)
    {
      CtRequirement *req = g_ptr_array_index (data->c->requirements, i);
      CtApproverState state = req->state;

      if ((req->source == CT_SOURCE_KIND_TIER_VALIDATION && data->reviews != NULL) ||
          (req->source == CT_SOURCE_KIND_APPROVALS && data->approvers != NULL))
        continue;
      if (req->source == CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION && data->record != NULL)
        {
          const char *s = ct_source_get_string (data->record, "state");

          state = double_open ? CT_APPROVER_STATE_PENDING :
                  g_strcmp0 (s, "purchase") == 0 || g_strcmp0 (s, "done") == 0 ?
                  CT_APPROVER_STATE_APPROVED : CT_APPROVER_STATE_REJECTED;
        }
      add_approver (detail, req->approver, req->source, state, req->sequence, 0);
    }
  g_ptr_array_sort (detail->approvers, compare_approvers);
  for (guint i = 0; i < detail->approvers->len; i++)
    {
      CtCaseApprover *a = detail->approvers->pdata[i];

      /* Waiting for a tier review: not the managers' turn yet. */
      if (approver_stage (a) > 0 && a->state == CT_APPROVER_STATE_PENDING && tier_open)
        a->state = CT_APPROVER_STATE_WAITING;
      if (a->source == CT_SOURCE_KIND_TIER_VALIDATION && a->state == CT_APPROVER_STATE_PENDING)
        tier_open = TRUE;
      g_hash_table_add (sequences, GUINT_TO_POINTER (approver_stage (a) << 24 | a->sequence));
    }
  detail->sequential = g_hash_table_size (sequences) > 1;
  g_hash_table_unref (sequences);
}

static void
add_reason (CtCaseDetail *detail,
            char         *reason)
{
  for (guint i = 0; i < detail->reasons->len; i++)
    if (g_strcmp0 (detail->reasons->pdata[i], reason) == 0)
      {
        g_free (reason);
        return;
      }
  g_ptr_array_add (detail->reasons, reason);
}

/* The profile's rules on what the detail read about the partner's credit,
 * for a case whose own record named no reason (a credit release asked
 * by an activity on the order: the activity says nothing about credit). */
static void
explain_credit (CtProfile *profile,
                ReadData  *data)
{
  const CtCreditExposure *credit = &data->detail->credit;
  g_autoptr(JsonObject) facts = NULL;
  g_autoptr(GPtrArray) reasons = NULL;

  if (data->c->area_id == NULL || credit->partner_id == 0)
    return;
  facts = json_object_new ();
  if (data->c->amount > 0)
    json_object_set_double_member (facts, "amount", data->c->amount);
  /* Exposure as the case's own figures count it: receivables and open orders. */
  json_object_set_object_member (facts, "partner",
                                 ct_profile_partner_facts (credit->limit,
                                                           credit->receivable +
                                                           (isnan (credit->open_orders) ? 0 :
                                                            credit->open_orders),
                                                           credit->overdue));
  reasons = ct_profile_explain (profile, data->c->area_id, facts, data->detail->currency);
  for (guint i = 0; i < reasons->len; i++)
    add_reason (data->detail, g_strdup (reasons->pdata[i]));
}

static void
build_reasons (CtProfile *profile,
               ReadData  *data)
{
  CtCaseDetail *detail = data->detail;

  for (guint i = 0; data->c->reasons != NULL && i < data->c->reasons->len; i++)
    add_reason (detail, g_strdup (data->c->reasons->pdata[i]));
  if (data->c->reasons == NULL || data->c->reasons->len == 0)
    explain_credit (profile, data);
  /* An approval asked by an activity: what it asks, and of whom. */
  for (guint i = 0; data->c->requirements != NULL && i < data->c->requirements->len; i++)
    {
      CtRequirement *req = data->c->requirements->pdata[i];
      const char *what = ct_case_get_title (data->c);

      if (req->source != CT_SOURCE_KIND_ACTIVITY || what == NULL)
        continue;
      if (req->approver != NULL)
        /* Translators: "Approval activity “Release credit hold”, assigned to Claire Dubois" */
        add_reason (detail, g_strdup_printf (_("Approval activity “%s”, assigned to %s"), what,
                                             req->approver));
      else
        add_reason (detail, g_strdup_printf (_("Approval activity “%s”"), what));
    }
  for (guint i = 0; data->reviews != NULL && i < json_array_get_length (data->reviews); i++)
    {
      JsonObject *r = json_array_get_object_element (data->reviews, i);
      const char *name = r != NULL ? ct_source_m2o_name (r, "definition_id") : NULL;

      if (name == NULL && r != NULL)
        name = ct_source_get_string (r, "name");
      if (name != NULL)
        /* Translators: %s is the tier definition's name, e.g. "PO over 5000" */
        add_reason (detail, g_strdup_printf (_("Tier validation: %s"), name));
    }
  if (data->company != NULL)
    {
      double threshold = get_double (data->company, "po_double_validation_amount");
      const char *currency = ct_source_m2o_name (data->company, "currency_id");

      if (!isnan (threshold))
        {
          g_autofree char *amount = ct_format_number (threshold);

          /* Translators: "5 000 EUR" */
          add_reason (detail, g_strdup_printf (_("Purchase double validation: orders from %s %s "
                                                 "need a manager’s approval"),
                                               amount, currency != NULL ? currency : ""));
        }
    }
  if (data->record != NULL && g_str_equal (data->c->model, "approval.request"))
    {
      const char *category = ct_source_m2o_name (data->record, "category_id");

      if (category != NULL)
        add_reason (detail, g_strdup_printf (_("Approval category: %s"), category));
    }
}

static void
build_credit (ReadData *data)
{
  static const struct { const char *field; const char *label; } figures[] = {
    { "credit_limit", N_("Credit limit") },
    { "credit", N_("Receivables") },
    { "credit_to_invoice", N_("Open orders") },
    { "total_overdue", N_("Overdue") },
  };
  CtCreditExposure *credit = &data->detail->credit;
  double *values[] = { &credit->limit, &credit->receivable, &credit->open_orders,
                       &credit->overdue };

  if (credit->partner_id == 0)
    return;
  if (data->partner != NULL)
    credit->partner = dup_text (data->partner, "name");
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    *values[i] = get_double (data->partner, figures[i].field);
  /* fields_get leaves out what this user may not read, but a field may also
   * not exist in this database (total_overdue is Enterprise, older
   * versions lack credit_to_invoice). `credit` comes with accounting
   * everywhere: when it is missing, the user lacks the right, and the
   * other missing figures go with it. */
  if (data->fields[FG_PARTNER] != NULL && !listed (data->fields[FG_PARTNER], "credit"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
        if (!listed (data->fields[FG_PARTNER], figures[i].field))
          g_ptr_array_add (credit->omitted, g_strdup (_(figures[i].label)));
      credit->note = g_strdup (_("Your Odoo user may not read these credit figures: they need the "
                                 "“Accounting / Invoicing” or “Show Accounting Features – "
                                 "Readonly” right."));
    }
  if (g_str_equal (data->c->model, "sale.order") || g_strcmp0 (data->c->area_id, "credit") == 0)
    credit->case_adds = data->c->amount;
  if (!isnan (credit->receivable))
    credit->exposure_after = credit->receivable +
                             (isnan (credit->open_orders) ? 0 : credit->open_orders) +
                             (isnan (credit->case_adds) ? 0 : credit->case_adds);
}

/* Whether the re-read record still waits for the approvals the case had,
 * and if not, who settled it when. */
static void
build_left_queue (ReadData *data)
{
  CtCaseDetail *detail = data->detail;
  CtCase *c = data->c;
  gboolean any = FALSE, open = FALSE;
  const char *who = NULL;
  const char *verb = NULL;
  gint64 when = 0;
  g_autofree char *at = NULL;

  if (data->record_gone)
    {
      detail->left_queue = TRUE;
      detail->left_explanation = g_strdup (_("The record was deleted in Odoo."));
      return;
    }
  if (data->record == NULL)
    return;

  if (has_source (c, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION))
    {
      const char *state = ct_source_get_string (data->record, "state");

      any = TRUE;
      if (g_strcmp0 (state, "to approve") == 0)
        open = TRUE;
      else
        verb = g_strcmp0 (state, "purchase") == 0 || g_strcmp0 (state, "done") == 0 ? "approved" :
               g_strcmp0 (state, "cancel") == 0 ? "cancelled" : "draft";
    }
  if (has_source (c, CT_SOURCE_KIND_TIER_VALIDATION) && data->reviews != NULL)
    {
      any = TRUE;
      for (guint i = 0; i < json_array_get_length (data->reviews); i++)
        {
          JsonObject *r = json_array_get_object_element (data->reviews, i);
          const char *status = r != NULL ? ct_source_get_string (r, "status") : NULL;
          gint64 t = r != NULL ? ct_parse_odoo_datetime (json_object_get_member (r, "reviewed_date")) : 0;

          if (g_strcmp0 (status, "pending") == 0 || g_strcmp0 (status, "waiting") == 0)
            open = TRUE;
          else if (t >= when && r != NULL && ct_source_m2o_name (r, "done_by") != NULL)
            {
              when = t;
              who = ct_source_m2o_name (r, "done_by");
              verb = g_strcmp0 (status, "rejected") == 0 ? "rejected" : "approved";
            }
        }
    }
  if (has_source (c, CT_SOURCE_KIND_APPROVALS))
    {
      const char *status = ct_source_get_string (data->record, "request_status");

      any = TRUE;
      if (g_strcmp0 (status, "pending") == 0 || status == NULL)
        open = TRUE;
      else
        verb = g_strcmp0 (status, "approved") == 0 ? "approved" :
               g_strcmp0 (status, "refused") == 0 ? "rejected" : "cancelled";
    }
  if (has_source (c, CT_SOURCE_KIND_ACTIVITY))
    {
      JsonNode *active = json_object_get_member (data->record, "active");

      any = TRUE;
      if (active == NULL || !JSON_NODE_HOLDS_VALUE (active) || json_node_get_boolean (active))
        open = TRUE;
      else
        verb = "done";
    }
  if (!any || open)
    return;

  detail->left_queue = TRUE;
  if (who == NULL)
    {
      who = ct_source_m2o_name (data->record, "write_uid");
      when = ct_parse_odoo_datetime (json_object_get_member (data->record, "write_date"));
    }
  if (who == NULL || when == 0 || verb == NULL)
    {
      detail->left_explanation = g_strdup (_("No longer waiting for approval in Odoo."));
      return;
    }
  at = format_when (when);
  /* Translators: "Approved by Morgan Manager at 14:02 in Odoo" */
  if (g_str_equal (verb, "approved"))
    detail->left_explanation = g_strdup_printf (_("Approved by %s at %s in Odoo"), who, at);
  else if (g_str_equal (verb, "rejected"))
    detail->left_explanation = g_strdup_printf (_("Rejected by %s at %s in Odoo"), who, at);
  else if (g_str_equal (verb, "cancelled"))
    detail->left_explanation = g_strdup_printf (_("Cancelled by %s at %s in Odoo"), who, at);
  else if (g_str_equal (verb, "done"))
    detail->left_explanation = g_strdup_printf (_("Marked done by %s at %s in Odoo"), who, at);
  else
    detail->left_explanation = g_strdup_printf (_("Sent back to draft by %s at %s in Odoo"), who,
                                                at);
}

static void
add_if_linked (CtCaseDetail *detail,
               CtCase       *c)
{
  if (c->kind != CT_CASE_KIND_INCIDENT || c->linked_keys == NULL)
    return;
  for (guint j = 0; j < c->linked_keys->len; j++)
    if (g_strcmp0 (c->linked_keys->pdata[j], detail->key) == 0)
      {
        g_ptr_array_add (detail->incident_keys, g_strdup (c->key));
        return;
      }
}

/* The store holds 100 000 cases: read its array (no reference taken per
 * case, 1-2 ms) rather than the list model (8-25 ms), and do it while the
 * requests are on the wire. */
static void
build_incidents (CtCaseDetailReader *self,
                 CtCaseDetail       *detail)
{
  guint n;

  if (self->cases == NULL)
    return;
  if (CT_IS_CASE_STORE (self->cases))
    {
      GPtrArray *cases = ct_case_store_get_cases (CT_CASE_STORE (self->cases));

      for (guint i = 0; i < cases->len; i++)
        add_if_linked (detail, cases->pdata[i]);
      return;
    }
  n = g_list_model_get_n_items (self->cases);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CtCase) c = g_list_model_get_item (self->cases, i);

      add_if_linked (detail, c);
    }
}

static void
finish_read (GTask *task)
{
  CtCaseDetailReader *self = g_task_get_source_object (task);
  ReadData *data = g_task_get_task_data (task);
  CtCaseDetail *detail = data->detail;

  if (data->record_error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&data->record_error));
      return;
    }
  if (data->record != NULL)
    {
      const CtQueue *queue = ct_profile_find_queue (self->profile, data->c->queue_id);
      const char *ref_field = queue != NULL && queue->fields.reference != NULL &&
                              queue->fields.reference[0] != '\0' ? queue->fields.reference : "name";
      const char *partner_field = queue != NULL && queue->fields.partner != NULL &&
                                  queue->fields.partner[0] != '\0' ? queue->fields.partner :
                                  "partner_id";
      const char *currency_field = queue != NULL && queue->fields.currency != NULL &&
                                   queue->fields.currency[0] != '\0' ? queue->fields.currency :
                                   "currency_id";

      detail->reference = dup_text (data->record, ref_field);
      detail->partner = dup_text (data->record, partner_field);
      detail->currency = dup_text (data->record, currency_field);
    }
  if (detail->currency == NULL && data->c->currency != NULL)
    detail->currency = g_strdup (data->c->currency);
  build_approvers (data);
  build_credit (data);
  build_reasons (self->profile, data);
  build_left_queue (data);
  g_task_return_pointer (task, ct_case_detail_ref (detail), (GDestroyNotify) ct_case_detail_unref);
}

static void
start_reads (GTask *task)
{
  CtCaseDetailReader *self = g_task_get_source_object (task);
  ReadData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  CtCase *c = data->c;
  const CtQueue *queue = ct_profile_find_queue (self->profile, c->queue_id);
  CtCaseDetail *detail = data->detail;
  gint64 id = c->record_id;

  data->phase = PHASE_READ;
  data->pending++;   /* held while starting */

  /* The record: what the queue maps plus what says whether it is settled. */
  {
    const char *wanted[32] = { "name", "display_name", "state", "partner_id", "company_id",
                               "currency_id", "amount_total", "write_uid", "write_date",
                               "validation_status", "request_status", "category_id", "active",
                               NULL };
    guint n = 13;
    g_auto(GStrv) fields = NULL;

    if (queue != NULL)
      {
        const char *mapped[] = { queue->fields.amount, queue->fields.currency,
                                 queue->fields.requester, queue->fields.partner,
                                 queue->fields.reference, queue->fields.title };

        for (guint i = 0; i < G_N_ELEMENTS (mapped); i++)
          if (mapped[i] != NULL && mapped[i][0] != '\0')
            wanted[n++] = mapped[i];
        wanted[n] = NULL;
      }
    fields = listed_fields (data->fields[FG_RECORD], wanted);
    detail->n_requests++;
    ct_odoo_client_read_async (self->client, c->model, &id, 1,
                               fields[0] != NULL ? (const char * const *) fields : NULL,
                               cancellable, on_record, part_new (task, 0));
  }

  if (data->lines != NULL && data->fields[FG_LINES] != NULL)
    {
      const CtLineMapping *m = data->lines;
      const char *wanted[] = { m->product, m->description, m->quantity, m->unit, m->price_unit,
                               m->discount, m->subtotal, m->total, NULL };
      const char *present[G_N_ELEMENTS (wanted)] = { NULL, };
      guint n = 0;
      g_auto(GStrv) fields = NULL;
      g_autoptr(JsonArray) domain = domain_for (NULL, NULL, m->link, id);

      for (guint i = 0; i < G_N_ELEMENTS (wanted) - 1; i++)
        if (wanted[i] != NULL)
          present[n++] = wanted[i];
      fields = listed_fields (data->fields[FG_LINES], present);
      if (fields[0] != NULL)
        {
          detail->n_requests++;
          ct_odoo_client_search_read_async (self->client, m->line_model, domain,
                                            (const char * const *) fields, "id", MAX_LINES, 0,
                                            cancellable, on_lines, part_new (task, 0));
        }
    }

  /* Messages: tracking values only where this user may read them. */
  {
    static const char *const wanted[] = { "body", "author_id", "date", "message_type",
                                          "subtype_id", "tracking_value_ids", NULL };
    g_autoptr(JsonArray) domain = domain_for ("model", c->model, "res_id", id);
    g_auto(GStrv) fields = listed_fields (data->fields[FG_MESSAGE], wanted);
    gboolean tracking_readable = listed (data->fields[FG_MESSAGE], "tracking_value_ids");

    if (fields[0] == NULL)
      {
        g_strfreev (fields);
        fields = g_strdupv ((char **) (const char *const[]) { "body", "author_id", "date",
                                                              "message_type", "subtype_id", NULL });
      }
    detail->n_requests++;
    ct_odoo_client_search_read_async (self->client, "mail.message", domain,
                                      (const char * const *) fields, "id desc", MAX_MESSAGES,
                                      0, cancellable, on_messages, part_new (task, 0));
    detail->tracking_shown = tracking_readable;
    if (tracking_readable && listed (data->fields[FG_TRACKING], "mail_message_id"))
      {
        /* The tracking values by their message's record, beside the
         * messages rather than after them: one round trip less. */
        g_autoptr(JsonArray) by_record = domain_for ("mail_message_id.model", c->model,
                                                     "mail_message_id.res_id", id);
        g_auto(GStrv) tracked = listed_fields (data->fields[FG_TRACKING], tracking_fields);

        data->tracking_searched = TRUE;
        detail->n_requests++;
        ct_odoo_client_search_read_async (self->client, "mail.tracking.value", by_record,
                                          (const char * const *) tracked, "id", MAX_TRACKING, 0,
                                          cancellable, on_tracking_rows, part_new (task, 0));
      }
    else if (!tracking_readable && ct_odoo_client_has_web_session (self->client))
      {
        g_autoptr(JsonObject) params = json_object_new ();
        JsonObject *fetch = json_object_new ();

        json_object_set_string_member (params, "thread_model", c->model);
        json_object_set_int_member (params, "thread_id", id);
        json_object_set_int_member (fetch, "limit", MAX_MESSAGES);
        json_object_set_object_member (params, "fetch_params", fetch);
        detail->n_requests++;
        ct_odoo_client_web_call_async (self->client, "/mail/thread/messages", params, cancellable,
                                       on_thread_messages, part_new (task, 0));
      }
    else if (!tracking_readable)
      detail->tracking_note = g_strdup (_("Field changes need a password sign-in: Odoo shows "
                                          "them to administrators only over an API key."));
  }

  {
    static const char *const fields[] = { "name", "file_size", "mimetype", NULL };
    g_autoptr(JsonArray) domain = domain_for ("res_model", c->model, "res_id", id);

    detail->n_requests++;
    ct_odoo_client_search_read_async (self->client, "ir.attachment", domain, fields, "id", 200, 0,
                                      cancellable, on_attachments, part_new (task, 0));
  }

  if (has_source (c, CT_SOURCE_KIND_TIER_VALIDATION) || listed (data->fields[FG_RECORD], "review_ids"))
    {
      static const char *const fields[] = { "name", "definition_id", "status", "sequence",
                                            "reviewer_id", "reviewer_group_id", "todo_by",
                                            "done_by", "reviewed_date", NULL };
      g_autoptr(JsonArray) domain = domain_for ("model", c->model, "res_id", id);

      detail->n_requests++;
      ct_odoo_client_search_read_async (self->client, "tier.review", domain, fields,
                                        "sequence, id", 100, 0, cancellable, on_rows,
                                        part_new (task, 0));
    }
  if (g_str_equal (c->model, "approval.request"))
    {
      static const char *const fields[] = { "user_id", "status", "sequence", NULL };
      g_autoptr(JsonArray) domain = domain_for (NULL, NULL, "request_id", id);

      detail->n_requests++;
      ct_odoo_client_search_read_async (self->client, "approval.approver", domain, fields,
                                        "sequence, id", 100, 0, cancellable, on_rows,
                                        part_new (task, 1));
    }
  if (c->partner.id > 0)
    start_partner_read (task, c->partner.id);
  if (has_source (c, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION))
    {
      /* Which company the order belongs to comes with the record: read
       * them all (a handful) now rather than the one after it. */
      g_autoptr(JsonArray) all = json_array_new ();

      detail->n_requests++;
      ct_odoo_client_search_read_async (self->client, "res.company", all, company_fields, "id",
                                        MAX_COMPANIES, 0, cancellable, on_companies,
                                        part_new (task, 0));
    }
  build_incidents (self, detail);

  data->pending--;
  if (data->pending == 0)
    phase_done (task);
}

static void
phase_done (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    return;
  switch (data->phase)
    {
    case PHASE_FIELDS:
      start_reads (task);
      break;
    case PHASE_READ:
      if (data->record_error != NULL)
        finish_read (task);
      else
        start_follow_ups (task);
      break;
    case PHASE_FOLLOW:
    default:
      finish_read (task);
      break;
    }
}

/* ---- GObject ------------------------------------------------------------ */

static void
ct_case_detail_reader_dispose (GObject *object)
{
  CtCaseDetailReader *self = (CtCaseDetailReader *) object;

  g_clear_object (&self->client);
  g_clear_object (&self->profile);
  g_clear_object (&self->cases);

  G_OBJECT_CLASS (ct_case_detail_reader_parent_class)->dispose (object);
}

static void
ct_case_detail_reader_class_init (CtCaseDetailReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ct_case_detail_reader_dispose;
}

static void
ct_case_detail_reader_init (CtCaseDetailReader *self)
{
}

/* ---- public API ---------------------------------------------------------- */

CtCaseDetailReader *
ct_case_detail_reader_new (CtOdooClient *client,
                           CtProfile    *profile)
{
  CtCaseDetailReader *self;

  g_return_val_if_fail (CT_IS_ODOO_CLIENT (client), NULL);
  g_return_val_if_fail (CT_IS_PROFILE (profile), NULL);

  self = g_object_new (CT_TYPE_CASE_DETAIL_READER, NULL);
  self->client = g_object_ref (client);
  self->profile = g_object_ref (profile);
  return self;
}

void
ct_case_detail_reader_set_cases (CtCaseDetailReader *self,
                                 GListModel         *cases)
{
  g_return_if_fail (CT_IS_CASE_DETAIL_READER (self));
  g_set_object (&self->cases, cases);
}

void
ct_case_detail_reader_read_async (CtCaseDetailReader  *self,
                                  CtCase              *c,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadData *data;
  const char *models[N_FG] = { NULL, };
  gboolean known;

  g_return_if_fail (CT_IS_CASE_DETAIL_READER (self));
  g_return_if_fail (CT_IS_CASE (c));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_case_detail_reader_read_async);
  data = g_new0 (ReadData, 1);
  data->c = g_object_ref (c);
  data->detail = case_detail_new (c);
  data->detail->odoo_url = ct_odoo_form_url (ct_odoo_client_get_url (self->client),
                                             ct_odoo_client_get_major_version (self->client),
                                             c->model, c->record_id);
  data->lines = ct_profile_find_lines (self->profile, c->model);
  data->by_message = g_hash_table_new (NULL, NULL);
  data->tracking_of = g_hash_table_new (NULL, NULL);
  data->phase = PHASE_FIELDS;
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);

  if (c->kind != CT_CASE_KIND_APPROVAL || c->model == NULL || c->record_id <= 0)
    {
      g_task_return_new_error (task, CT_SOURCE_ERROR, CT_SOURCE_ERROR_INVALID,
                               _("Only approval cases have a record to read."));
      return;
    }

  /* Field lists first. From the second case on they are known: the reads
   * go out now rather than after a turn of the main loop for answers the
   * client already had. */
  data = g_task_get_task_data (task);
  models[FG_RECORD] = c->model;
  models[FG_LINES] = data->lines != NULL ? data->lines->line_model : NULL;
  models[FG_PARTNER] = "res.partner";
  models[FG_MESSAGE] = "mail.message";
  models[FG_TRACKING] = "mail.tracking.value";
  known = TRUE;
  for (guint i = 0; i < N_FG && known; i++)
    known = models[i] == NULL ||
            ct_odoo_client_lookup_fields (self->client, models[i]) != NULL;
  if (known)
    {
      for (guint i = 0; i < N_FG; i++)
        if (models[i] != NULL)
          data->fields[i] = json_object_ref (ct_odoo_client_lookup_fields (self->client,
                                                                           models[i]));
      start_reads (task);
      return;
    }
  for (guint i = 0; i < N_FG; i++)
    if (models[i] != NULL)
      ct_odoo_client_fields_get_async (self->client, models[i], cancellable, on_fields_get,
                                       part_new (task, i));
}

CtCaseDetail *
ct_case_detail_reader_read_finish (CtCaseDetailReader  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- attachments -------------------------------------------------------- */

static char *
safe_file_name (gint64      id,
                const char *name)
{
  g_autofree char *base = g_path_get_basename (name != NULL && name[0] != '\0' ? name : "file");
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%" G_GINT64_FORMAT "-", id);
  for (const char *p = base; *p != '\0'; p++)
    g_string_append_c (out, (*p == '/' || *p == '\\' || (guchar) *p < 0x20) ? '_' : *p);
  if (g_str_equal (base, ".") || g_str_equal (base, ".."))
    g_string_append (out, "file");
  return g_string_free (out, FALSE);
}

static void
on_attachment_written (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_object_ref (source), g_object_unref);
}

static void
on_attachment_read (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_read_finish (CT_ODOO_CLIENT (source), result, &error);
  g_autofree char *dir = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonObject *row;
  const char *datas;
  guchar *content;
  gsize length = 0;

  if (rows == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  row = json_array_get_length (rows) > 0 ? json_array_get_object_element (rows, 0) : NULL;
  if (row == NULL)
    {
      g_task_return_new_error (task, CT_ODOO_ERROR, CT_ODOO_ERROR_MISSING,
                               _("The attachment no longer exists in Odoo."));
      return;
    }
  datas = ct_source_get_string (row, "datas");
  if (datas == NULL)
    {
      g_task_return_new_error (task, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_SUPPORTED,
                               _("Odoo sent no content for this attachment (it may be a link)."));
      return;
    }
  content = g_base64_decode (datas, &length);
  bytes = g_bytes_new_take (content, length);
  dir = g_build_filename (g_get_user_cache_dir (), "control-tower", "attachments", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Cannot create the folder %s: %s"), dir, g_strerror (saved));
      return;
    }
  file_name = safe_file_name (ct_source_get_int (row, "id"), ct_source_get_string (row, "name"));
  path = g_build_filename (dir, file_name, NULL);
  file = g_file_new_for_path (path);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                       g_task_get_cancellable (task), on_attachment_written,
                                       g_object_ref (task));
}

void
ct_case_detail_reader_fetch_attachment_async (CtCaseDetailReader  *self,
                                              gint64               attachment_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  static const char *const fields[] = { "name", "mimetype", "datas", NULL };
  GTask *task;

  g_return_if_fail (CT_IS_CASE_DETAIL_READER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_case_detail_reader_fetch_attachment_async);
  ct_odoo_client_read_async (self->client, "ir.attachment", &attachment_id, 1, fields,
                             cancellable, on_attachment_read, task);
}

GFile *
ct_case_detail_reader_fetch_attachment_finish (CtCaseDetailReader  *self,
                                               GAsyncResult        *result,
                                               GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
