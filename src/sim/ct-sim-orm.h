/* ct-sim-orm.h - Odoo's model methods over the record store
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ct-sim-odoo.h"

G_BEGIN_DECLS

typedef struct
{
  CtSimOdoo   *odoo;
  CtSimDb     *db;
  CtSimModel  *model;
  const char  *method;
  CtSimUser   *user;
  GArray      *ids;      /* gint64; empty for @api.model methods */
  JsonObject  *kwargs;   /* bound parameters by name */
  JsonObject  *context;  /* (nullable) */
  gboolean     json2;
  /* (nullable) Where a method that can may write its answer as JSON text
   * instead of returning a node: reads of many records, whose trees
   * would cost more than the search. */
  GString     *text;
} CtSimCall;

typedef JsonNode *(*CtSimMethodFunc) (CtSimCall *call, GError **error);

/* The model access right a method needs before it runs. FALSE and TRUE in a
 * table row mean read and write. */
typedef enum
{
  CT_SIM_ACCESS_READ = FALSE,
  CT_SIM_ACCESS_WRITE = TRUE,
  CT_SIM_ACCESS_NONE,   /* none: fields_get, has_group, or the method checks itself */
} CtSimAccess;

typedef struct
{
  const char      *model;   /* NULL: every model */
  const char      *name;
  gboolean         api_model;
  /* Parameter names in positional order; a leading '?' marks an optional
   * one. "**" at the end accepts any other keyword. */
  const char      *params;
  CtSimAccess      access;
  CtSimMethodFunc  func;
} CtSimMethod;

const CtSimMethod *ct_sim_orm_find_method (CtSimModel *model,
                                           const char *name);

/* Helpers shared by the business methods. */
JsonNode *ct_sim_orm_kwarg             (CtSimCall   *call,
                                        const char  *name);
gboolean  ct_sim_orm_check_exists      (CtSimCall   *call,
                                        GError     **error);
/* The rows of @call's ids, in order, once they all exist (MissingError
 * otherwise): the loop of every multi-record method. */
GArray   *ct_sim_orm_rows              (CtSimCall   *call,
                                        GError     **error);
gboolean  ct_sim_orm_ensure_one        (CtSimCall   *call,
                                        guint       *row,
                                        GError     **error);
gboolean  ct_sim_orm_check_access      (CtSimOdoo   *odoo,
                                        CtSimUser   *user,
                                        CtSimModel  *model,
                                        gboolean     write,
                                        GError     **error);
/* Searches @model; rows come back sorted and paged. */
GArray   *ct_sim_orm_search_rows       (CtSimModel  *model,
                                        JsonNode    *domain,
                                        JsonObject  *context,
                                        const char  *order,
                                        gint64       offset,
                                        gint64       limit,
                                        GError     **error);
JsonNode *ct_sim_orm_read_rows         (CtSimModel  *model,
                                        GArray      *rows,
                                        JsonNode    *fields,
                                        GError     **error);
/* The same answer as ct_sim_orm_read_rows(), appended to @out as the
 * JSON text json-glib would generate from it. */
gboolean  ct_sim_orm_write_rows        (CtSimModel  *model,
                                        GArray      *rows,
                                        JsonNode    *fields,
                                        GString     *out,
                                        GError     **error);
/* create() of one record from a JSON object of values. Returns the row. */
gboolean  ct_sim_orm_create_one        (CtSimCall   *call,
                                        CtSimModel  *model,
                                        JsonObject  *vals,
                                        guint       *row,
                                        GError     **error);
gboolean  ct_sim_orm_write_row         (CtSimCall   *call,
                                        CtSimModel  *model,
                                        guint        row,
                                        JsonObject  *vals,
                                        GError     **error);
/* Posts a message on a record; returns the mail.message id. */
gint64    ct_sim_orm_post_message      (CtSimDb     *db,
                                        const char  *model,
                                        gint64       res_id,
                                        gint64       author_partner_id,
                                        const char  *body_html,
                                        const char  *message_type,
                                        gint64       subtype_id);
/* Writes a new state and records the change in the chatter like Odoo's
 * tracking does. */
void      ct_sim_orm_track_state       (CtSimDb     *db,
                                        CtSimModel  *model,
                                        guint        row,
                                        const char  *new_state,
                                        gint64       author_partner_id,
                                        gint64       subtype_id);

/* Business methods of the simulated modules (ct-sim-models.c). */
extern const CtSimMethod ct_sim_business_methods[];
/* ir.attachment (ct-sim-attachments.c) */
extern const CtSimMethod ct_sim_attachment_methods[];

G_END_DECLS
