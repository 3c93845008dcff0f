/* ct-sim-domain.h - Odoo domains: parse once, evaluate per row
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ct-sim-db.h"

G_BEGIN_DECLS

typedef struct _CtSimDomain CtSimDomain;

/* Parses @domain (a JSON array in Odoo's prefix notation, or NULL/false for
 * everything) against @model. Errors are Odoo's ValueError with Odoo's text,
 * e.g. "Invalid field purchase.order.no_field in condition ('no_field', '=', 1)". */
CtSimDomain *ct_sim_domain_parse     (CtSimModel   *model,
                                      JsonNode     *domain,
                                      GError      **error);
gboolean     ct_sim_domain_match     (CtSimDomain  *domain,
                                      guint         row);
/* Whether the domain mentions the field @name at its top level (used for
 * Odoo's implicit active filter). */
gboolean     ct_sim_domain_mentions  (CtSimDomain  *domain,
                                      const char   *name);
void         ct_sim_domain_free      (CtSimDomain  *domain);

/* SQL LIKE with % and _ (and \ escapes); @fold compares case-insensitively. */
gboolean     ct_sim_like             (const char   *text,
                                      const char   *pattern,
                                      gboolean      fold);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtSimDomain, ct_sim_domain_free)

G_END_DECLS
