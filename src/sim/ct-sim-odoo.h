/* ct-sim-odoo.h - The Odoo 19 side of the simulator: routes, sessions, ORM calls
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "ct-sim-db.h"

G_BEGIN_DECLS

typedef struct _CtSimOdoo CtSimOdoo;
typedef struct _CtSimUser CtSimUser;

struct _CtSimUser
{
  gint64   uid;
  gint64   partner_id;
  char    *login;
  char    *name;
  char    *password;
  GPtrArray *api_keys;  /* char*, owned */
  char   **groups;      /* xml ids: "base.group_user", "purchase.group_purchase_user", ... */
};

/* Takes ownership of @db. */
CtSimOdoo  *ct_sim_odoo_new            (CtSimDb      *db);
void        ct_sim_odoo_free           (CtSimOdoo    *self);
CtSimDb    *ct_sim_odoo_get_db         (CtSimOdoo    *self);

CtSimUser  *ct_sim_odoo_add_user       (CtSimOdoo    *self,
                                        gint64        uid,
                                        const char   *login,
                                        const char   *name,
                                        const char   *password,
                                        const char   *api_key,
                                        const char   *groups);
/* (element-type CtSimUser): every user, in creation order */
GPtrArray  *ct_sim_odoo_get_users      (CtSimOdoo    *self);
CtSimUser  *ct_sim_odoo_find_user      (CtSimOdoo    *self,
                                        const char   *login);
CtSimUser  *ct_sim_odoo_get_user       (CtSimOdoo    *self,
                                        gint64        uid);
gboolean    ct_sim_user_has_group      (CtSimUser    *user,
                                        const char   *group);

/* The user whose session_id cookie @msg carries, NULL for none or the
 * public user. */
CtSimUser  *ct_sim_odoo_session_user   (CtSimOdoo         *self,
                                        SoupServerMessage *msg);

/* Whether @path is one of the Odoo routes. */
gboolean    ct_sim_odoo_owns_path      (const char   *path);
/* Answers one request on the server's thread. @expire_session: the fault
 * layer says this call's session has expired. */
void        ct_sim_odoo_handle         (CtSimOdoo         *self,
                                        SoupServerMessage *msg,
                                        const char        *path,
                                        gboolean           expire_session);

/* Calls model.method with Odoo's dispatch rules (model, private method,
 * signature, access rights). Returns NULL without error for None.
 * @args: (nullable) positional; @kwargs: (nullable) named. @json2 selects
 * JSON-2 binding (ids in kwargs). */
JsonNode   *ct_sim_odoo_call           (CtSimOdoo    *self,
                                        CtSimUser    *user,
                                        const char   *model,
                                        const char   *method,
                                        JsonArray    *args,
                                        JsonObject   *kwargs,
                                        gboolean      json2,
                                        GError      **error);
/* The same, except that a method that can (a read of records) appends its
 * answer to @text (nullable) as JSON text, the bytes json-glib would write
 * for its node, and returns NULL: the answer is in @text when it grew. */
JsonNode   *ct_sim_odoo_call_text      (CtSimOdoo    *self,
                                        CtSimUser    *user,
                                        const char   *model,
                                        const char   *method,
                                        JsonArray    *args,
                                        JsonObject   *kwargs,
                                        gboolean      json2,
                                        GString      *text,
                                        GError      **error);

G_END_DECLS
