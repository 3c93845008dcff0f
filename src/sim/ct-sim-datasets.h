/* ct-sim-datasets.h - The two datasets: the recorded server and the generated distributor
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include "ct-sim-odoo.h"

G_BEGIN_DECLS

/* database "ct", as tests/data/protocol/README.md describes it */
void   ct_sim_dataset_recorded    (CtSimOdoo   *odoo);

typedef struct
{
  char       *model;
  gint64      id;
  char       *name;
  const char *topic;   /* (nullable) static: only the workflows about it point here */
} CtSimLink;

/* database "distribution": deterministic per @seed. Fills @links (CtSimLink)
 * with records the n8n side may point at. */
void   ct_sim_dataset_distributor (CtSimOdoo   *odoo,
                                   guint64      seed,
                                   guint        n_cases,
                                   GArray      *links);
const char *ct_sim_dataset_distributor_api_key (guint64     seed,
                                                const char *login);

/* Building blocks shared by both */
void   ct_sim_dataset_add_base    (CtSimDb     *db,
                                   const char  *company_name,
                                   const char  *company_partner_name);
void   ct_sim_dataset_add_groups  (CtSimDb     *db);
gint64 ct_sim_dataset_add_partner (CtSimDb     *db,
                                   gint64       id,
                                   const char  *name,
                                   gint64       parent_id,
                                   gboolean     is_company);
void   ct_sim_dataset_add_user    (CtSimOdoo   *odoo,
                                   gint64       uid,
                                   gint64       partner_id,
                                   const char  *login,
                                   const char  *name,
                                   const char  *password,
                                   const char  *api_key,
                                   const char  *xmlids);
void   ct_sim_dataset_add_crons   (CtSimDb     *db,
                                   gboolean     with_failures);

/* ct-sim-models.c */
gint64 ct_sim_models_create_activity (CtSimDb    *db,
                                      CtSimModel *target,
                                      guint       row,
                                      gint64      type_id,
                                      const char *deadline,
                                      const char *summary,
                                      const char *note,
                                      gint64      user_id,
                                      gint64      create_uid);
void   ct_sim_models_install_computes (CtSimDb   *db);

/* ct-sim-attachments.c */
void    ct_sim_attachments_install (CtSimDb    *db);
/* (nullable): the decoded `datas` of an ir.attachment row */
GBytes *ct_sim_attachment_content  (CtSimModel *attachments,
                                    guint       row);

G_END_DECLS
