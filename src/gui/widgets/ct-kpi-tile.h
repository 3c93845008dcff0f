/* ct-kpi-tile.h - A big number with a label, a qualifier, and a queue behind it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CT_TYPE_KPI_TILE (ct_kpi_tile_get_type ())

G_DECLARE_FINAL_TYPE (CtKpiTile, ct_kpi_tile, CT, KPI_TILE, GtkButton)

/* Activating the tile runs win.show-queue with @queue ("breaches", …). */
GtkWidget  *ct_kpi_tile_new       (const char *label,
                                   const char *queue);
/* @style: NULL, "error" or "warning" — an accent on the number only. */
void        ct_kpi_tile_set_value (CtKpiTile  *self,
                                   const char *value,
                                   const char *qualifier,
                                   const char *style);
const char *ct_kpi_tile_get_value (CtKpiTile  *self);

G_END_DECLS
