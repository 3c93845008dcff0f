/* ct-journal.h - Decision journal and offline snapshot, in SQLite
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CT_JOURNAL_ERROR (ct_journal_error_quark ())

typedef enum
{
  CT_JOURNAL_ERROR_IO,        /* the directory or a file cannot be created */
  CT_JOURNAL_ERROR_CORRUPT,   /* a file was damaged; it has been moved aside and rebuilt */
  CT_JOURNAL_ERROR_SQL,       /* SQLite refused (disk full, locked, …) */
} CtJournalError;

/* One decision taken in the tower. Every string is copied. */
typedef struct
{
  gint64    id;              /* set by the journal */
  gint64    at;              /* Unix seconds */
  char     *actor;           /* login of who decided */
  char     *outcome;         /* "approve", "reject", … */
  char     *case_key;        /* "model:id" */
  char     *comment;         /* (nullable) */
  char     *conditions;      /* (nullable) */
  char     *correlation_id;  /* also in the Odoo chatter message */
  char     *server_answer;   /* (nullable) what the server said, for the record */
  gboolean  succeeded;       /* the server's state shows the decision (verified) */
  char     *verified_state;  /* (nullable) the state read back after acting */
  char     *prev_hash;       /* set by the journal: SHA-256 (hex) of the previous entry */
  char     *hash;            /* set by the journal: SHA-256 (hex) of this entry */
} CtJournalEntry;

void ct_journal_entry_free (CtJournalEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtJournalEntry, ct_journal_entry_free)

#define CT_TYPE_JOURNAL (ct_journal_get_type ())

G_DECLARE_FINAL_TYPE (CtJournal, ct_journal, CT, JOURNAL, GObject)

GQuark      ct_journal_error_quark          (void);

/* Opens (creating if needed) journal.sqlite and snapshot.sqlite in @dir, in
 * WAL mode. The two are separate files so a damaged snapshot — a cache —
 * never costs the audit trail. A damaged file is renamed
 * "<name>.corrupt-YYYYMMDD-HHMMSS" and rebuilt empty; see
 * ct_journal_get_recovered_files() to tell the user. */
CtJournal  *ct_journal_open                 (const char      *dir,
                                             GError         **error);
/* The paths damaged files were moved to, since opening (NULL-terminated,
 * empty when nothing happened). */
const char * const *ct_journal_get_recovered_files (CtJournal *self);
gboolean    ct_journal_was_recovered        (CtJournal       *self);

/* Appends a decision, chained to the previous entry by its SHA-256. The
 * table refuses UPDATE and DELETE (triggers). */
gboolean    ct_journal_append               (CtJournal       *self,
                                             const CtJournalEntry *entry,
                                             GError         **error);
/* Most recent first; @case_key NULL for all. (element-type CtJournalEntry) */
GPtrArray  *ct_journal_list                 (CtJournal       *self,
                                             const char      *case_key,
                                             guint            limit,
                                             GError         **error);

/* Filters for ct_journal_query(); zero/NULL members do not filter. */
typedef struct
{
  const char *text;          /* substring of actor, outcome, case, comment, conditions or id */
  const char *outcome;
  const char *actor;
  const char *case_key;
  gint64      since;         /* Unix seconds, inclusive */
  gint64      until;         /* Unix seconds, exclusive */
  int         succeeded;     /* -1 either, 0 failed only, 1 verified only */
  guint       limit;         /* 0: all */
  guint       offset;
} CtJournalQuery;

/* Matching entries, most recent first (element-type CtJournalEntry). */
GPtrArray  *ct_journal_query                (CtJournal       *self,
                                             const CtJournalQuery *query,
                                             GError         **error);
/* Writes the matching entries (@query nullable: all), oldest first, as
 * RFC 4180 CSV with a header line. */
gboolean    ct_journal_export_csv           (CtJournal       *self,
                                             const CtJournalQuery *query,
                                             GOutputStream   *out,
                                             GCancellable    *cancellable,
                                             GError         **error);
/* Walks the chain from the first entry. Returns TRUE when every link holds;
 * otherwise FALSE with *broken_id the first entry whose hash or link to its
 * predecessor does not match (0 and @error set when the file cannot be
 * read). *n_checked counts the entries that held. */
gboolean    ct_journal_verify               (CtJournal       *self,
                                             gint64          *broken_id,
                                             guint           *n_checked,
                                             GError         **error);
/* Verified revise entries with @case_key (for the escalation level and the
 * revision state). */
guint       ct_journal_count_outcome        (CtJournal       *self,
                                             const char      *case_key,
                                             const char      *outcome,
                                             GError         **error);

/* Drafts: what the user typed for a decision that has not been sent or
 * was not applied, kept across restarts until sent or discarded. One per
 * case. @conditions is newline-separated. */
typedef struct
{
  char   *case_key;
  char   *outcome;
  char   *comment;             /* (nullable) */
  char   *conditions;          /* (nullable) */
  char   *failure;             /* (nullable) what went wrong last time */
  gint64  updated_at;
} CtJournalDraft;

void        ct_journal_draft_free           (CtJournalDraft  *draft);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtJournalDraft, ct_journal_draft_free)

gboolean    ct_journal_save_draft           (CtJournal       *self,
                                             const CtJournalDraft *draft,
                                             GError         **error);
/* NULL with no error when the case has no draft. */
CtJournalDraft *ct_journal_load_draft       (CtJournal       *self,
                                             const char      *case_key,
                                             GError         **error);
gboolean    ct_journal_discard_draft        (CtJournal       *self,
                                             const char      *case_key,
                                             GError         **error);

/* The name a decided case had ("P00013 · Delta Dairy"), kept beside the
 * entries for when the case has left the tower. NULL when none was kept. */
gboolean    ct_journal_set_case_name        (CtJournal       *self,
                                             const char      *case_key,
                                             const char      *name,
                                             GError         **error);
char       *ct_journal_dup_case_name        (CtJournal       *self,
                                             const char      *case_key);

/* Revisions asked of a requester: the case waits for them (its SLA clock
 * paused) from @since until the record's write_date, on the server's
 * clock, moves past @baseline. */
gboolean    ct_journal_set_revision         (CtJournal       *self,
                                             const char      *case_key,
                                             gint64           since,
                                             gint64           baseline,
                                             GError         **error);
/* 0 when the case does not wait for a revision. @baseline (nullable). */
gint64      ct_journal_get_revision         (CtJournal       *self,
                                             const char      *case_key,
                                             gint64          *baseline);
/* Every case that waits for a revision: case key → since (gint64 *). One
 * query, for marking a refresh's cases. */
GHashTable *ct_journal_list_revisions       (CtJournal       *self);
gboolean    ct_journal_clear_revision       (CtJournal       *self,
                                             const char      *case_key,
                                             GError         **error);

/* Replaces the snapshot with @cases (element-type CtCase) as of @synced_at,
 * in one transaction: a crash leaves the previous snapshot whole. */
gboolean    ct_journal_write_snapshot       (CtJournal       *self,
                                             GPtrArray       *cases,
                                             gint64           synced_at,
                                             GError         **error);
/* The Odoo field schemas kept beside the snapshot (JSON, as
 * ct_model_probe_dup_saved() makes it): not while a snapshot is being
 * written. NULL when there are none. */
gboolean    ct_journal_write_schemas        (CtJournal       *self,
                                             const char      *json,
                                             GError         **error);
char       *ct_journal_read_schemas         (CtJournal       *self);

/* The last snapshot's cases (element-type CtCase), empty with *synced_at 0
 * when there is none. Rows that do not decode are skipped. A damaged file
 * is moved aside and rebuilt, and CT_JOURNAL_ERROR_CORRUPT returned. */
GPtrArray  *ct_journal_read_snapshot        (CtJournal       *self,
                                             gint64          *synced_at,
                                             GError         **error);

/* The same, off the main thread: a 100 000 case snapshot takes a few hundred
 * milliseconds either way. @cases is referenced until the write is done;
 * cases in it must not be edited meanwhile (the store replaces cases, it
 * does not edit them). Do not run two snapshot operations at once. */
void        ct_journal_write_snapshot_async  (CtJournal          *self,
                                              GPtrArray          *cases,
                                              gint64              synced_at,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
gboolean    ct_journal_write_snapshot_finish (CtJournal          *self,
                                              GAsyncResult       *result,
                                              GError            **error);
void        ct_journal_read_snapshot_async   (CtJournal          *self,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
GPtrArray  *ct_journal_read_snapshot_finish  (CtJournal          *self,
                                              GAsyncResult       *result,
                                              gint64             *synced_at,
                                              GError            **error);

G_END_DECLS
