/* ct-case-detail.h - What the case view shows, re-read from Odoo when a case opens
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ct-case.h"
#include "ct-odoo-client.h"
#include "ct-profile.h"

G_BEGIN_DECLS

/* Every string below is server text converted to plain text: show it with
 * markup off (or escaped), never as Pango markup. */

typedef struct
{
  char *text;                 /* what the link said */
  char *url;                  /* http(s) or mailto only; others are dropped */
} CtTextLink;

typedef struct
{
  char   *product;            /* (nullable) */
  char   *description;        /* (nullable) */
  double  quantity;           /* NAN when the mapping has no quantity */
  char   *unit;               /* (nullable) */
  double  price_unit;         /* NAN when unknown */
  double  discount;           /* percent; NAN when unknown */
  double  subtotal;           /* NAN when unknown */
  double  total;              /* NAN when unknown */
} CtCaseLine;

typedef struct
{
  char *field;                /* "Status (Purchase Order)" */
  char *old_value;            /* (nullable) */
  char *new_value;            /* (nullable) */
} CtTrackingChange;

typedef enum
{
  CT_MESSAGE_COMMENT,         /* a message to followers */
  CT_MESSAGE_NOTE,            /* an internal note */
  CT_MESSAGE_NOTIFICATION,    /* a system message: tracking, assignment, ... */
} CtMessageKind;

typedef struct
{
  gint64         id;
  gint64         date;        /* Unix seconds */
  char          *author;      /* (nullable) */
  CtMessageKind  kind;
  char          *text;        /* body as plain text ("" for tracking-only messages) */
  GPtrArray     *links;       /* (element-type CtTextLink) links in the body */
  GPtrArray     *changes;     /* (element-type CtTrackingChange) field changes */
} CtCaseMessage;

typedef struct
{
  gint64  id;
  char   *name;
  gint64  size;               /* bytes, -1 unknown */
  char   *mimetype;           /* (nullable) */
} CtCaseAttachment;

typedef struct
{
  char            *name;
  char            *via;       /* "Tier validation", "Double validation", ... */
  CtApproverState  state;
  guint            sequence;
  gint64           decided_at;/* 0 unless decided */
  CtSourceKind     source;    /* the mechanism that asks for this approval */
} CtCaseApprover;

/* The partner's credit exposure. Figures the user may not read are NAN and
 * named in @omitted, with @note saying which right would show them. */
typedef struct
{
  gint64     partner_id;      /* 0: the case has no partner */
  char      *partner;         /* (nullable) */
  double     limit;
  double     receivable;
  double     open_orders;     /* confirmed, not yet invoiced */
  double     overdue;
  double     case_adds;       /* what approving this case adds (its amount), NAN if none */
  double     exposure_after;  /* receivable + open orders + case, NAN if any is unknown */
  GPtrArray *omitted;         /* (element-type utf8) labels of the figures left out */
  char      *note;            /* (nullable) */
} CtCreditExposure;

typedef struct _CtCaseDetail CtCaseDetail;

struct _CtCaseDetail
{
  char             *key;
  char             *model;
  gint64            record_id;
  char             *reference;      /* (nullable) as re-read */
  char             *partner;        /* (nullable) as re-read */
  char             *odoo_url;       /* the form in the Odoo web client */
  GPtrArray        *reasons;        /* (element-type utf8) profile + mechanism reasons */
  GPtrArray        *approvers;      /* (element-type CtCaseApprover) in order */
  gboolean          sequential;     /* approvers act one after the other */
  GPtrArray        *lines;          /* (element-type CtCaseLine) */
  double            lines_total;    /* NAN when the lines carry no totals */
  char             *currency;       /* (nullable) */
  CtCreditExposure  credit;
  GPtrArray        *messages;       /* (element-type CtCaseMessage) newest first */
  gboolean          tracking_shown; /* field changes were readable */
  char             *tracking_note;  /* (nullable) why they are not shown */
  GPtrArray        *attachments;    /* (element-type CtCaseAttachment) */
  GPtrArray        *incident_keys;  /* (element-type utf8) incidents holding the case up */
  gboolean          left_queue;     /* nothing is open any more */
  char             *left_explanation; /* (nullable) "Approved by … at 14:02 in Odoo" */
  GPtrArray        *notes;          /* (element-type utf8) parts that could not be read */
  guint             n_requests;     /* how many requests the read took */
};

#define CT_TYPE_CASE_DETAIL (ct_case_detail_get_type ())

GType          ct_case_detail_get_type  (void) G_GNUC_CONST;
CtCaseDetail  *ct_case_detail_ref       (CtCaseDetail *self);
void           ct_case_detail_unref     (CtCaseDetail *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtCaseDetail, ct_case_detail_unref)

#define CT_TYPE_CASE_DETAIL_READER (ct_case_detail_reader_get_type ())

G_DECLARE_FINAL_TYPE (CtCaseDetailReader, ct_case_detail_reader, CT, CASE_DETAIL_READER, GObject)

CtCaseDetailReader *ct_case_detail_reader_new       (CtOdooClient        *client,
                                                     CtProfile           *profile);
/* The cases and incidents (a GListModel of CtCase, e.g. the CtCaseStore)
 * searched for incidents linked to an opened case; NULL for none. */
void                ct_case_detail_reader_set_cases (CtCaseDetailReader  *self,
                                                     GListModel          *cases);

/* Re-reads @c from the server in a fixed number of requests, whatever the
 * number of lines: the record, its lines, messages and attachments, the
 * partner's credit, the reviews. A part the user may not read is left out
 * with a note; only the record itself failing is an error. */
void                ct_case_detail_reader_read_async  (CtCaseDetailReader  *self,
                                                       CtCase              *c,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
CtCaseDetail       *ct_case_detail_reader_read_finish (CtCaseDetailReader  *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* Reads the attachment's content over the API (a bearer key does not work
 * on /web/content), writes it to the user cache directory and returns the
 * file, for g_app_info_launch_default_for_uri or a copy elsewhere. */
void                ct_case_detail_reader_fetch_attachment_async  (CtCaseDetailReader  *self,
                                                                   gint64               attachment_id,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
GFile              *ct_case_detail_reader_fetch_attachment_finish (CtCaseDetailReader  *self,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);

/* Server HTML as plain text: paragraphs and line breaks become newlines,
 * list items "• ", entities decoded, script and style dropped with their
 * content, every other tag removed. Links with an http(s) or mailto target
 * are appended to @links (nullable) as CtTextLink. Always valid UTF-8. */
char               *ct_html_to_text                 (const char          *html,
                                                     GPtrArray           *links);

/* The web client's address of a record, in the form @major_version
 * understands: /odoo/<model>/<id> from 17.2 on (major 18+), otherwise
 * /web#id=<id>&model=<model>&view_type=form. */
char               *ct_odoo_form_url                (const char          *base_url,
                                                     int                  major_version,
                                                     const char          *model,
                                                     gint64               id);

void                ct_text_link_free               (CtTextLink          *link);

G_END_DECLS
