/* ct-journal-page.h - The decisions taken here: search, filters, CSV export, the chain's state
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ct-case-store.h"
#include "ct-journal.h"

G_BEGIN_DECLS

#define CT_TYPE_JOURNAL_PAGE (ct_journal_page_get_type ())

G_DECLARE_FINAL_TYPE (CtJournalPage, ct_journal_page, CT, JOURNAL_PAGE, GtkWidget)

/* @journal (nullable): none yet. @store (nullable) names cases by reference. */
void        ct_journal_page_set_journal      (CtJournalPage *self,
                                              CtJournal     *journal,
                                              CtCaseStore   *store);
/* Reads the journal again (after a decision) and checks the chain. */
void        ct_journal_page_reload           (CtJournalPage *self);
guint       ct_journal_page_get_n_entries    (CtJournalPage *self);
/* The chain's state in words, as the page shows it. */
const char *ct_journal_page_get_chain_text   (CtJournalPage *self);
void        ct_journal_page_set_search       (CtJournalPage *self,
                                              const char    *text);
/* Writes what the filters show to @file as CSV. */
gboolean    ct_journal_page_export           (CtJournalPage *self,
                                              GFile         *file,
                                              GError       **error);

G_END_DECLS
