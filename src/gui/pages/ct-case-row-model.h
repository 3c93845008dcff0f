/* ct-case-row-model.h - Stable row slots over a list of cases, so GTK 4.8 keeps its row widgets
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ct-case.h"

G_BEGIN_DECLS

#define CT_TYPE_CASE_ROW (ct_case_row_get_type ())

G_DECLARE_FINAL_TYPE (CtCaseRow, ct_case_row, CT, CASE_ROW, GObject)

/* The case the row shows now; "notify::case" says when it changed. */
CtCase         *ct_case_row_get_case        (CtCaseRow      *self);

#define CT_TYPE_CASE_ROW_MODEL (ct_case_row_model_get_type ())

G_DECLARE_FINAL_TYPE (CtCaseRowModel, ct_case_row_model, CT, CASE_ROW_MODEL, GObject)

/* A CtCaseRow at each position of @cases (a GListModel of CtCase). When
 * @cases changes, the rows that exist keep their position and only change
 * their case; items-changed covers only the positions added or removed at
 * the end. When @cases becomes empty, the rows stay as they were until
 * cases come back: the view that shows them hides behind an empty state,
 * and GTK keeps its row widgets for the next cases. */
CtCaseRowModel *ct_case_row_model_new       (GListModel     *cases);
GListModel     *ct_case_row_model_get_cases (CtCaseRowModel *self);

G_END_DECLS
