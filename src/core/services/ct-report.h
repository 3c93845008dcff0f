/* ct-report.h - The report CLI's output: pending, breaches, incidents, metrics in three formats
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ct-profile.h"
#include "ct-sync.h"

G_BEGIN_DECLS

typedef enum
{
  CT_REPORT_PENDING,     /* open cases (pending, upcoming, awaiting revision), area by area */
  CT_REPORT_BREACHES,    /* open cases past their SLA, area by area */
  CT_REPORT_INCIDENTS,   /* stalled integrations */
  CT_REPORT_METRICS,     /* ct-metrics per area, queue and approver */
} CtReportKind;

typedef enum
{
  CT_REPORT_FORMAT_TABLE,
  CT_REPORT_FORMAT_JSON,
  CT_REPORT_FORMAT_CSV,
} CtReportFormat;

gboolean  ct_report_kind_from_string   (const char      *str,
                                        CtReportKind    *kind);
gboolean  ct_report_format_from_string (const char      *str,
                                        CtReportFormat  *format);

/* What a partial result lacks: the sources that could not be read. The
 * areas and counts such a source feeds are unknown, never 0. */
typedef struct _CtReportGaps CtReportGaps;

CtReportGaps *ct_report_gaps_new        (void);
void          ct_report_gaps_free       (CtReportGaps    *gaps);
/* @name: the source's name as --stats prints it ("tier-validation"). */
void          ct_report_gaps_add        (CtReportGaps    *gaps,
                                         const char      *name,
                                         CtSourceKind     kind);
/* What the signed-in user may not see: the whole source @name (@model
 * NULL), or its queues on @model; @text says so and which Odoo right
 * would show it. The areas those queues feed read "not visible", never a
 * count. */
void          ct_report_gaps_add_hidden (CtReportGaps    *gaps,
                                         const char      *name,
                                         CtSourceKind     kind,
                                         const char      *model,
                                         const char      *text);
/* The sources of @sync whose last refresh failed (available or not known
 * to be missing), and what the user may not see (sources off with 403,
 * queue models answering 403). */
CtReportGaps *ct_report_gaps_from_sync  (CtSync          *sync);
guint         ct_report_gaps_get_n      (CtReportGaps    *gaps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtReportGaps, ct_report_gaps_free)

/* Renders @kind over @cases (element-type CtCase, SLA states up to date
 * for @now) in @format. Server text is printed as text: JSON escapes it,
 * tables and CSV replace control characters (no terminal escapes get
 * through) and CSV cells that a spreadsheet would run as a formula are
 * quoted with a leading apostrophe. Never fails. */
char     *ct_report_render             (CtReportKind     kind,
                                        CtReportFormat   format,
                                        CtProfile       *profile,
                                        GPtrArray       *cases,
                                        gint64           now);
/* The same for a partial result: with @gaps not empty the report says so
 * at its top (a line in a table, `"complete": false` and
 * `"failed_sources"` in JSON, a `#` comment line before a CSV header), and
 * each area, queue and count a failed source feeds reads "unknown" (null
 * in JSON) instead of a number. @gaps may be NULL. */
char     *ct_report_render_partial     (CtReportKind     kind,
                                        CtReportFormat   format,
                                        CtProfile       *profile,
                                        GPtrArray       *cases,
                                        CtReportGaps    *gaps,
                                        gint64           now);

/* The sentences saying which mechanisms the signed-in user cannot see
 * (installed, but Odoo refuses them this user) and which Odoo groups would
 * show them, one a line; "" when none. */
char     *ct_report_format_not_visible (CtSync          *sync);

/* Adds to @text (rendered in @format; taken) what the sources of @sync
 * could not read in their last fetch, so that skipped records are counted
 * where the user looks: a line per source at the top of a table, a `#`
 * line per source before a CSV header, an "unreadable" array of
 * {"source", "count", "text"} in JSON. Returns @text unchanged when every
 * record was read. */
char     *ct_report_add_unreadable     (char            *text,
                                        CtReportFormat   format,
                                        CtSync          *sync);

/* `--stats`: one line per source of @sync with its requests, bytes and
 * time since the sync was made, and whether it failed. */
char     *ct_report_format_stats       (CtSync          *sync);

G_END_DECLS
