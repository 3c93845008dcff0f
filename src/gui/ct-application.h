/* ct-application.h - The Control Tower application
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ct-connection.h"

G_BEGIN_DECLS

#define CT_TYPE_APPLICATION (ct_application_get_type ())

G_DECLARE_FINAL_TYPE (CtApplication, ct_application, CT, APPLICATION, AdwApplication)

CtApplication *ct_application_new                (void);
GSettings     *ct_application_get_settings       (CtApplication *self);
gboolean       ct_application_get_demo           (CtApplication *self);
gboolean       ct_application_get_demo_available (CtApplication *self);
char          *ct_application_dup_demo_url       (CtApplication *self);
struct _CtSimServer *ct_application_get_demo_sim (CtApplication *self);
CtConnection  *ct_application_dup_demo_connection (CtApplication *self);
char          *ct_application_dup_demo_secret    (CtApplication *self);
char          *ct_application_dup_demo_n8n_key   (CtApplication *self);

G_END_DECLS
