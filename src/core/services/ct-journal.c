/* ct-journal.c - Decision journal and offline snapshot, in SQLite
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-journal"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "ct-case.h"
#include "ct-journal.h"

#define SNAPSHOT_FORMAT 1

struct _CtJournal
{
  GObject    parent_instance;

  char      *dir;           /* (owned) */
  sqlite3   *journal;       /* (owned) */
  sqlite3   *snapshot;      /* (owned) */
  GPtrArray *recovered;     /* (owned) NULL-terminated paths */
};

G_DEFINE_FINAL_TYPE (CtJournal, ct_journal, G_TYPE_OBJECT)

G_DEFINE_QUARK (ct-journal-error-quark, ct_journal_error)

static const char journal_schema[] =
  "CREATE TABLE IF NOT EXISTS decisions ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  at INTEGER NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  outcome TEXT NOT NULL,"
  "  case_key TEXT NOT NULL,"
  "  comment TEXT,"
  "  conditions TEXT,"
  "  correlation_id TEXT NOT NULL,"
  "  server_answer TEXT,"
  "  succeeded INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS decisions_case ON decisions (case_key, id);"
  /* Append-only: history is never rewritten, even by a bug of ours. */
  "CREATE TRIGGER IF NOT EXISTS decisions_no_update BEFORE UPDATE ON decisions"
  "  BEGIN SELECT RAISE (ABORT, 'the decision journal is append-only'); END;"
  "CREATE TRIGGER IF NOT EXISTS decisions_no_delete BEFORE DELETE ON decisions"
  "  BEGIN SELECT RAISE (ABORT, 'the decision journal is append-only'); END;"
  /* What the user typed and what waits for the requester: mutable, so not
   * in the append-only table. */
  "CREATE TABLE IF NOT EXISTS drafts ("
  "  case_key TEXT PRIMARY KEY, outcome TEXT NOT NULL, comment TEXT, conditions TEXT,"
  "  failure TEXT, updated_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS revisions (case_key TEXT PRIMARY KEY, since INTEGER NOT NULL,"
  "  baseline INTEGER NOT NULL DEFAULT 0);"
  /* How a decided case was named ("P00013 · Delta Dairy"): it leaves the
   * tower, its journal entries stay. Not part of the chained entries. */
  "CREATE TABLE IF NOT EXISTS case_names (case_key TEXT PRIMARY KEY, name TEXT NOT NULL);";

/* Columns added after the first release of the table: each entry is chained
 * to the previous one by its SHA-256 and carries the state read back. */
static const char *const journal_columns[] = {
  "verified_state TEXT", "prev_hash TEXT", "hash TEXT",
};

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define ENTRY_COLUMNS "id, at, actor, outcome, case_key, comment, conditions," \
  " correlation_id, server_answer, succeeded, verified_state, prev_hash, hash"


static const char snapshot_schema[] =
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS cases (key TEXT PRIMARY KEY, data BLOB NOT NULL);"
  "CREATE TABLE IF NOT EXISTS schemas (key TEXT PRIMARY KEY, data TEXT NOT NULL);";

void
ct_journal_entry_free (CtJournalEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->actor);
  g_free (entry->outcome);
  g_free (entry->case_key);
  g_free (entry->comment);
  g_free (entry->conditions);
  g_free (entry->correlation_id);
  g_free (entry->server_answer);
  g_free (entry->verified_state);
  g_free (entry->prev_hash);
  g_free (entry->hash);
  g_free (entry);
}

void
ct_journal_draft_free (CtJournalDraft *draft)
{
  if (draft == NULL)
    return;
  g_free (draft->case_key);
  g_free (draft->outcome);
  g_free (draft->comment);
  g_free (draft->conditions);
  g_free (draft->failure);
  g_free (draft);
}

static gboolean
is_corruption (int rc)
{
  rc &= 0xFF;
  return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

static void
set_sql_error (GError    **error,
               sqlite3    *db,
               int         rc,
               const char *what)
{
  g_set_error (error, CT_JOURNAL_ERROR,
               is_corruption (rc) ? CT_JOURNAL_ERROR_CORRUPT : CT_JOURNAL_ERROR_SQL,
               "%s: %s", what, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
}

/* Opens @path and proves it is a sound database of ours: a damaged file
 * fails here (SQLITE_NOTADB on the first read, or quick_check), not halfway
 * through a sync. */
static int
try_open (const char  *path,
          const char  *schema,
          gboolean     durable,
          sqlite3    **out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  *out = NULL;
  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    goto fail;
  sqlite3_busy_timeout (db, 2000);
  sqlite3_extended_result_codes (db, 1);
  /* The audit trail must survive a power cut (FULL syncs every commit); the
   * snapshot is a cache that the next sync rewrites (NORMAL is enough). */
  rc = sqlite3_exec (db, durable ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                 : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                     NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    goto fail;
  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto fail;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    goto fail;
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    {
      rc = SQLITE_CORRUPT;
      goto fail;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  rc = sqlite3_exec (db, schema, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    goto fail;
  *out = db;
  return SQLITE_OK;

fail:
  g_debug ("Opening %s failed: %s", path, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  if (stmt)
    sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rc;
}

static gboolean
move_aside (CtJournal   *self,
            const char  *path,
            GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *target = g_strdup_printf ("%s.corrupt-%s", path, stamp);
  static const char *suffixes[] = { "-wal", "-shm" };

  /* Two recoveries within one second must not overwrite the first. */
  for (guint n = 2; g_file_test (target, G_FILE_TEST_EXISTS); n++)
    {
      g_free (target);
      target = g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, n);
    }
  if (g_rename (path, target) != 0)
    {
      int errsv = errno;
      g_set_error (error, CT_JOURNAL_ERROR, CT_JOURNAL_ERROR_IO,
                   _("Could not move the damaged file %s aside: %s"), path, g_strerror (errsv));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *side = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *side_target = g_strconcat (target, suffixes[i], NULL);

      if (g_file_test (side, G_FILE_TEST_EXISTS))
        g_rename (side, side_target);
    }
  g_message ("Moved damaged %s to %s and started a new one", path, target);
  g_ptr_array_insert (self->recovered, self->recovered->len - 1, g_steal_pointer (&target));
  return TRUE;
}

static sqlite3 *
open_or_rebuild (CtJournal   *self,
                 const char  *name,
                 const char  *schema,
                 gboolean     durable,
                 GError     **error)
{
  g_autofree char *path = g_build_filename (self->dir, name, NULL);
  sqlite3 *db = NULL;
  int rc = try_open (path, schema, durable, &db);

  if (rc == SQLITE_OK)
    return db;
  if (!is_corruption (rc))
    {
      g_set_error (error, CT_JOURNAL_ERROR, CT_JOURNAL_ERROR_SQL,
                   _("Could not open %s: %s"), path, sqlite3_errstr (rc));
      return NULL;
    }
  if (!move_aside (self, path, error))
    return NULL;
  rc = try_open (path, schema, durable, &db);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CT_JOURNAL_ERROR, CT_JOURNAL_ERROR_SQL,
                   _("Could not rebuild %s: %s"), path, sqlite3_errstr (rc));
      return NULL;
    }
  return db;
}

static void
ct_journal_finalize (GObject *object)
{
  CtJournal *self = (CtJournal *) object;

  sqlite3_close (self->journal);
  sqlite3_close (self->snapshot);
  g_ptr_array_unref (self->recovered);
  g_free (self->dir);

  G_OBJECT_CLASS (ct_journal_parent_class)->finalize (object);
}

static void
ct_journal_class_init (CtJournalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ct_journal_finalize;
}

static void
ct_journal_init (CtJournal *self)
{
  self->recovered = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->recovered, NULL);
}

CtJournal *
ct_journal_open (const char  *dir,
                 GError     **error)
{
  g_autoptr(CtJournal) self = NULL;

  g_return_val_if_fail (dir != NULL, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, CT_JOURNAL_ERROR, CT_JOURNAL_ERROR_IO,
                   _("Could not create %s: %s"), dir, g_strerror (errsv));
      return NULL;
    }
  self = g_object_new (CT_TYPE_JOURNAL, NULL);
  self->dir = g_strdup (dir);
  self->journal = open_or_rebuild (self, "journal.sqlite", journal_schema, TRUE, error);
  if (self->journal == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (journal_columns); i++)
    {
      g_autofree char *sql = g_strdup_printf ("ALTER TABLE decisions ADD COLUMN %s",
                                              journal_columns[i]);

      /* Fails with "duplicate column" once added: nothing to do then. */
      sqlite3_exec (self->journal, sql, NULL, NULL, NULL);
    }
  self->snapshot = open_or_rebuild (self, "snapshot.sqlite", snapshot_schema, FALSE, error);
  if (self->snapshot == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

const char * const *
ct_journal_get_recovered_files (CtJournal *self)
{
  g_return_val_if_fail (CT_IS_JOURNAL (self), NULL);
  return (const char * const *) self->recovered->pdata;
}

gboolean
ct_journal_was_recovered (CtJournal *self)
{
  g_return_val_if_fail (CT_IS_JOURNAL (self), FALSE);
  return self->recovered->len > 1;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
hash_field (GChecksum  *sum,
            const char *value)
{
  g_autofree char *prefix = NULL;

  if (value == NULL)
    {
      g_checksum_update (sum, (const guchar *) "-;", 2);
      return;
    }
  prefix = g_strdup_printf ("%zu:", strlen (value));
  g_checksum_update (sum, (const guchar *) prefix, -1);
  g_checksum_update (sum, (const guchar *) value, -1);
  g_checksum_update (sum, (const guchar *) ";", 1);
}

/* The SHA-256 of an entry and the hash before it: every field is length-
 * prefixed, so no two different entries hash the same text. */
static char *
entry_hash (const CtJournalEntry *e,
            const char           *prev_hash)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *at = g_strdup_printf ("%" G_GINT64_FORMAT, e->at);

  hash_field (sum, prev_hash);
  hash_field (sum, at);
  hash_field (sum, e->actor);
  hash_field (sum, e->outcome);
  hash_field (sum, e->case_key);
  hash_field (sum, e->comment);
  hash_field (sum, e->conditions);
  hash_field (sum, e->correlation_id);
  hash_field (sum, e->server_answer);
  hash_field (sum, e->succeeded ? "1" : "0");
  hash_field (sum, e->verified_state);
  return g_strdup (g_checksum_get_string (sum));
}

static char *
last_hash (CtJournal *self)
{
  sqlite3_stmt *stmt = NULL;
  char *hash = NULL;

  if (sqlite3_prepare_v2 (self->journal, "SELECT hash FROM decisions ORDER BY id DESC LIMIT 1",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return hash ? hash : g_strdup (ZERO_HASH);
}

gboolean
ct_journal_append (CtJournal             *self,
                   const CtJournalEntry  *entry,
                   GError               **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *prev = NULL;
  g_autofree char *hash = NULL;
  int rc;

  g_return_val_if_fail (CT_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  if (entry->actor == NULL || entry->outcome == NULL || entry->case_key == NULL ||
      entry->correlation_id == NULL)
    {
      g_set_error (error, CT_JOURNAL_ERROR, CT_JOURNAL_ERROR_SQL,
                   _("A decision needs who, what, which case and a correlation id"));
      return FALSE;
    }
  /* The last hash and the new row in one write transaction: two writers
   * (the window and a command-line run) never chain to the same entry. */
  rc = sqlite3_exec (self->journal, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_sql_error (error, self->journal, rc, _("Could not write to the decision journal"));
      return FALSE;
    }
  prev = last_hash (self);
  hash = entry_hash (entry, prev);
  rc = sqlite3_prepare_v2 (self->journal,
                           "INSERT INTO decisions (at, actor, outcome, case_key, comment,"
                           " conditions, correlation_id, server_answer, succeeded,"
                           " verified_state, prev_hash, hash)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, entry->at);
      bind_text (stmt, 2, entry->actor);
      bind_text (stmt, 3, entry->outcome);
      bind_text (stmt, 4, entry->case_key);
      bind_text (stmt, 5, entry->comment);
      bind_text (stmt, 6, entry->conditions);
      bind_text (stmt, 7, entry->correlation_id);
      bind_text (stmt, 8, entry->server_answer);
      sqlite3_bind_int (stmt, 9, entry->succeeded ? 1 : 0);
      bind_text (stmt, 10, entry->verified_state);
      bind_text (stmt, 11, prev);
      bind_text (stmt, 12, hash);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sql_error (error, self->journal, rc, _("Could not write to the decision journal"));
      sqlite3_exec (self->journal, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  rc = sqlite3_exec (self->journal, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_sql_error (error, self->journal, rc, _("Could not write to the decision journal"));
      sqlite3_exec (self->journal, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

static char *
column_text (sqlite3_stmt *stmt,
             int           i)
{
  const unsigned char *t = sqlite3_column_text (stmt, i);

  return t ? g_strdup ((const char *) t) : NULL;
}

static CtJournalEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  CtJournalEntry *e = g_new0 (CtJournalEntry, 1);

  e->id = sqlite3_column_int64 (stmt, 0);
  e->at = sqlite3_column_int64 (stmt, 1);
  e->actor = column_text (stmt, 2);
  e->outcome = column_text (stmt, 3);
  e->case_key = column_text (stmt, 4);
  e->comment = column_text (stmt, 5);
  e->conditions = column_text (stmt, 6);
  e->correlation_id = column_text (stmt, 7);
  e->server_answer = column_text (stmt, 8);
  e->succeeded = sqlite3_column_int (stmt, 9) != 0;
  e->verified_state = column_text (stmt, 10);
  e->prev_hash = column_text (stmt, 11);
  e->hash = column_text (stmt, 12);
  return e;
}

static GPtrArray *
run_query (CtJournal             *self,
           const CtJournalQuery  *q,
           gboolean               oldest_first,
           GError               **error)
{
  static const CtJournalQuery all = { .succeeded = -1 };
  g_autoptr(GPtrArray) out =
    g_ptr_array_new_with_free_func ((GDestroyNotify) ct_journal_entry_free);
  g_autofree char *sql = NULL;
  g_autofree char *like = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (q == NULL)
    q = &all;
  if (q->text != NULL && *q->text != '\0')
    {
      GString *escaped = g_string_new ("%");

      for (const char *p = q->text; *p; p++)
        {
          if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c (escaped, '\\');
          g_string_append_c (escaped, *p);
        }
      g_string_append_c (escaped, '%');
      like = g_string_free (escaped, FALSE);
    }
  sql = g_strdup_printf ("SELECT " ENTRY_COLUMNS " FROM decisions WHERE"
                         " (?1 IS NULL OR actor LIKE ?1 ESCAPE '\\' OR outcome LIKE ?1 ESCAPE '\\'"
                         "  OR case_key LIKE ?1 ESCAPE '\\' OR comment LIKE ?1 ESCAPE '\\'"
                         "  OR conditions LIKE ?1 ESCAPE '\\' OR correlation_id LIKE ?1 ESCAPE '\\')"
                         " AND (?2 IS NULL OR outcome = ?2) AND (?3 IS NULL OR actor = ?3)"
                         " AND (?4 IS NULL OR case_key = ?4) AND (?5 = 0 OR at >= ?5)"
                         " AND (?6 = 0 OR at < ?6) AND (?7 < 0 OR succeeded = ?7)"
                         " ORDER BY id %s LIMIT ?8 OFFSET ?9", oldest_first ? "ASC" : "DESC");
  rc = sqlite3_prepare_v2 (self->journal, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      bind_text (stmt, 1, like);
      bind_text (stmt, 2, q->outcome);
      bind_text (stmt, 3, q->actor);
      bind_text (stmt, 4, q->case_key);
      sqlite3_bind_int64 (stmt, 5, q->since);
      sqlite3_bind_int64 (stmt, 6, q->until);
      sqlite3_bind_int (stmt, 7, q->succeeded < 0 ? -1 : q->succeeded ? 1 : 0);
      sqlite3_bind_int64 (stmt, 8, q->limit ? (gint64) q->limit : -1);
      sqlite3_bind_int64 (stmt, 9, q->offset);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (out, entry_from_row (stmt));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sql_error (error, self->journal, rc, _("Could not read the decision journal"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

GPtrArray *
ct_journal_list (CtJournal   *self,
                 const char  *case_key,
                 guint        limit,
                 GError     **error)
{
  CtJournalQuery q = { .case_key = case_key, .succeeded = -1, .limit = limit };

  g_return_val_if_fail (CT_IS_JOURNAL (self), NULL);
  return run_query (self, &q, FALSE, error);
}

GPtrArray *
ct_journal_query (CtJournal             *self,
                  const CtJournalQuery  *query,
                  GError               **error)
{
  g_return_val_if_fail (CT_IS_JOURNAL (self), NULL);
  return run_query (self, query, FALSE, error);
}

static void
csv_field (GString    *line,
           const char *value,
           gboolean    last)
{
  if (value != NULL)
    {
      /* A leading = + - @ would be a formula in a spreadsheet. */
      gboolean formula = strchr ("=+-@", value[0]) != NULL && value[0] != '\0';

      g_string_append_c (line, '"');
      if (formula)
        g_string_append_c (line, '\'');
      for (const char *p = value; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (line, '"');
          g_string_append_c (line, *p);
        }
      g_string_append_c (line, '"');
    }
  g_string_append (line, last ? "\r\n" : ",");
}

gboolean
ct_journal_export_csv (CtJournal             *self,
                       const CtJournalQuery  *query,
                       GOutputStream         *out,
                       GCancellable          *cancellable,
                       GError               **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GString) text = g_string_new ("id,at,actor,outcome,case,comment,conditions,"
                                          "correlation_id,server_answer,verified,"
                                          "verified_state,prev_hash,hash\r\n");

  g_return_val_if_fail (CT_IS_JOURNAL (self), FALSE);
  entries = run_query (self, query, TRUE, error);
  if (entries == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      CtJournalEntry *e = entries->pdata[i];
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (e->at);
      g_autofree char *iso = at ? g_date_time_format_iso8601 (at) : g_strdup ("");
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, e->id);

      csv_field (text, id, FALSE);
      csv_field (text, iso, FALSE);
      csv_field (text, e->actor, FALSE);
      csv_field (text, e->outcome, FALSE);
      csv_field (text, e->case_key, FALSE);
      csv_field (text, e->comment, FALSE);
      csv_field (text, e->conditions, FALSE);
      csv_field (text, e->correlation_id, FALSE);
      csv_field (text, e->server_answer, FALSE);
      csv_field (text, e->succeeded ? "yes" : "no", FALSE);
      csv_field (text, e->verified_state, FALSE);
      csv_field (text, e->prev_hash, FALSE);
      csv_field (text, e->hash, TRUE);
    }
  return g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error);
}

gboolean
ct_journal_verify (CtJournal  *self,
                   gint64     *broken_id,
                   guint      *n_checked,
                   GError    **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *prev = g_strdup (ZERO_HASH);

  g_return_val_if_fail (CT_IS_JOURNAL (self), FALSE);
  if (broken_id != NULL)
    *broken_id = 0;
  if (n_checked != NULL)
    *n_checked = 0;
  entries = run_query (self, NULL, TRUE, error);
  if (entries == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      CtJournalEntry *e = entries->pdata[i];
      g_autofree char *hash = entry_hash (e, prev);

      if (g_strcmp0 (e->prev_hash, prev) != 0 || g_strcmp0 (e->hash, hash) != 0)
        {
          if (broken_id != NULL)
            *broken_id = e->id;
          return FALSE;
        }
      g_free (prev);
      prev = g_strdup (e->hash);
      if (n_checked != NULL)
        (*n_checked)++;
    }
  return TRUE;
}

guint
ct_journal_count_outcome (CtJournal   *self,
                          const char  *case_key,
                          const char  *outcome,
                          GError     **error)
{
  CtJournalQuery q = { .case_key = case_key, .outcome = outcome, .succeeded = 1 };
  g_autoptr(GPtrArray) entries = run_query (self, &q, FALSE, error);

  return entries ? entries->len : 0;
}

/* Runs a prepared write (@rc: what preparing it returned) and finalizes it. */
static gboolean
run_write (CtJournal     *self,
           sqlite3_stmt  *stmt,
           int            rc,
           GError       **error)
{
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sql_error (error, self->journal, rc, _("Could not write to the decision journal"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
delete_key (CtJournal   *self,
            const char  *sql,
            const char  *case_key,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->journal, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    bind_text (stmt, 1, case_key);
  return run_write (self, stmt, rc, error);
}

gboolean
ct_journal_save_draft (CtJournal             *self,
                       const CtJournalDraft  *draft,
                       GError               **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CT_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (draft != NULL && draft->case_key != NULL && draft->outcome != NULL, FALSE);

  rc = sqlite3_prepare_v2 (self->journal, "INSERT OR REPLACE INTO drafts (case_key, outcome, comment,"
                           " conditions, failure, updated_at) VALUES (?, ?, ?, ?, ?, ?)", -1, &stmt,
                           NULL);
  if (rc == SQLITE_OK)
    {
      bind_text (stmt, 1, draft->case_key);
      bind_text (stmt, 2, draft->outcome);
      bind_text (stmt, 3, draft->comment);
      bind_text (stmt, 4, draft->conditions);
      bind_text (stmt, 5, draft->failure);
      sqlite3_bind_int64 (stmt, 6, draft->updated_at ? draft->updated_at
                                                     : g_get_real_time () / G_USEC_PER_SEC);
    }
  return run_write (self, stmt, rc, error);
}

CtJournalDraft *
ct_journal_load_draft (CtJournal   *self,
                       const char  *case_key,
                       GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  CtJournalDraft *draft = NULL;
  int rc;

  g_return_val_if_fail (CT_IS_JOURNAL (self), NULL);
  rc = sqlite3_prepare_v2 (self->journal, "SELECT case_key, outcome, comment, conditions, failure,"
                           " updated_at FROM drafts WHERE case_key = ?", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      bind_text (stmt, 1, case_key);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          draft = g_new0 (CtJournalDraft, 1);
          draft->case_key = column_text (stmt, 0);
          draft->outcome = column_text (stmt, 1);
          draft->comment = column_text (stmt, 2);
          draft->conditions = column_text (stmt, 3);
          draft->failure = column_text (stmt, 4);
          draft->updated_at = sqlite3_column_int64 (stmt, 5);
          rc = SQLITE_DONE;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    set_sql_error (error, self->journal, rc, _("Could not read the decision journal"));
  return draft;
}

gboolean
ct_journal_discard_draft (CtJournal   *self,
                          const char  *case_key,
                          GError     **error)
{
  g_return_val_if_fail (CT_IS_JOURNAL (self), FALSE);
  return delete_key (self, "DELETE FROM drafts WHERE case_key = ?", case_key, error);
}

gboolean
ct_journal_set_revision (CtJournal   *self,
                         const char  *case_key,
                         gint64       since,
                         gint64       baseline,
                         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CT_IS_JOURNAL (self), FALSE);
  rc = sqlite3_prepare_v2 (self->journal, "INSERT OR REPLACE INTO revisions (case_key, since, baseline)"
                           " VALUES (?, ?, ?)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      bind_text (stmt, 1, case_key);
      sqlite3_bind_int64 (stmt, 2, since);
      sqlite3_bind_int64 (stmt, 3, baseline);
    }
  return run_write (self, stmt, rc, error);
}

gboolean
ct_journal_set_case_name (CtJournal   *self,
                          const char  *case_key,
                          const char  *name,
                          GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CT_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (case_key != NULL && name != NULL, FALSE);

  rc = sqlite3_prepare_v2 (self->journal, "INSERT OR REPLACE INTO case_names (case_key, name)"
                           " VALUES (?, ?)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      bind_text (stmt, 1, case_key);
      bind_text (stmt, 2, name);
    }
  return run_write (self, stmt, rc, error);
}

char *
ct_journal_dup_case_name (CtJournal  *self,
                          const char *case_key)
{
  sqlite3_stmt *stmt = NULL;
  char *name = NULL;

  g_return_val_if_fail (CT_IS_JOURNAL (self), NULL);
  if (case_key != NULL &&
      sqlite3_prepare_v2 (self->journal, "SELECT name FROM case_names WHERE case_key = ?", -1,
                          &stmt, NULL) == SQLITE_OK)
    {
      bind_text (stmt, 1, case_key);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_finalize (stmt);
  return name;
}

gint64
ct_journal_get_revision (CtJournal  *self,
                         const char *case_key,
                         gint64     *baseline)
{
  sqlite3_stmt *stmt = NULL;
  gint64 since = 0;

  g_return_val_if_fail (CT_IS_JOURNAL (self), 0);
  if (baseline != NULL)
    *baseline = 0;
  if (sqlite3_prepare_v2 (self->journal, "SELECT since, baseline FROM revisions WHERE case_key = ?",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      bind_text (stmt, 1, case_key);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          since = sqlite3_column_int64 (stmt, 0);
          if (baseline != NULL)
            *baseline = sqlite3_column_int64 (stmt, 1);
        }
    }
  sqlite3_finalize (stmt);
  return since;
}

GHashTable *
ct_journal_list_revisions (CtJournal *self)
{
  GHashTable *revisions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (CT_IS_JOURNAL (self), revisions);
  if (sqlite3_prepare_v2 (self->journal, "SELECT case_key, since FROM revisions", -1, &stmt,
                          NULL) == SQLITE_OK)
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        gint64 since = sqlite3_column_int64 (stmt, 1);

        g_hash_table_insert (revisions, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                             g_memdup2 (&since, sizeof since));
      }
  sqlite3_finalize (stmt);
  return revisions;
}

gboolean
ct_journal_clear_revision (CtJournal   *self,
                           const char  *case_key,
                           GError     **error)
{
  g_return_val_if_fail (CT_IS_JOURNAL (self), FALSE);
  return delete_key (self, "DELETE FROM revisions WHERE case_key = ?", case_key, error);
}

/* After the snapshot proved damaged mid-use: start it over. */
static void
rebuild_snapshot (CtJournal *self)
{
  g_autofree char *path = g_build_filename (self->dir, "snapshot.sqlite", NULL);
  g_autoptr(GError) error = NULL;

  sqlite3_close (self->snapshot);
  self->snapshot = NULL;
  if (!move_aside (self, path, &error))
    g_debug ("%s", error->message);
  if (try_open (path, snapshot_schema, FALSE, &self->snapshot) != SQLITE_OK)
    g_debug ("Could not rebuild %s", path);
}

gboolean
ct_journal_write_snapshot (CtJournal  *self,
                           GPtrArray  *cases,
                           gint64      synced_at,
                           GError    **error)
{
  g_autoptr(GByteArray) buf = g_byte_array_sized_new (1024);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CT_IS_JOURNAL (self), FALSE);

  if (self->snapshot == NULL)
    rebuild_snapshot (self);
  if (self->snapshot == NULL)
    {
      g_set_error (error, CT_JOURNAL_ERROR, CT_JOURNAL_ERROR_IO, _("The snapshot is unavailable"));
      return FALSE;
    }

  rc = sqlite3_exec (self->snapshot, "BEGIN IMMEDIATE; DELETE FROM cases;", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (self->snapshot,
                             "INSERT OR REPLACE INTO cases (key, data) VALUES (?, ?)",
                             -1, &stmt, NULL);
  for (guint i = 0; rc == SQLITE_OK && i < cases->len; i++)
    {
      CtCase *c = cases->pdata[i];

      g_byte_array_set_size (buf, 0);
      ct_case_serialize_to (c, buf);
      sqlite3_bind_text (stmt, 1, c->key, -1, SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 2, buf->data, (int) buf->len, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (self->snapshot,
                             "INSERT OR REPLACE INTO meta (key, value) VALUES"
                             " ('synced_at', ?), ('format', ?)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, synced_at);
      sqlite3_bind_int (stmt, 2, SNAPSHOT_FORMAT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (self->snapshot, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_sql_error (error, self->snapshot, rc, _("Could not save the offline snapshot"));
      sqlite3_exec (self->snapshot, "ROLLBACK", NULL, NULL, NULL);
      if (is_corruption (rc))
        rebuild_snapshot (self);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
ct_journal_read_snapshot (CtJournal  *self,
                          gint64     *synced_at,
                          GError    **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;
  gint64 at = 0, format = 0;
  int rc;

  g_return_val_if_fail (CT_IS_JOURNAL (self), NULL);

  if (synced_at)
    *synced_at = 0;
  if (self->snapshot == NULL)
    return g_steal_pointer (&out);

  rc = sqlite3_prepare_v2 (self->snapshot, "SELECT key, value FROM meta", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        const char *key = (const char *) sqlite3_column_text (stmt, 0);

        if (g_strcmp0 (key, "synced_at") == 0)
          at = sqlite3_column_int64 (stmt, 1);
        else if (g_strcmp0 (key, "format") == 0)
          format = sqlite3_column_int64 (stmt, 1);
      }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc == SQLITE_DONE && format == SNAPSHOT_FORMAT)
    {
      rc = sqlite3_prepare_v2 (self->snapshot, "SELECT data FROM cases", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          {
            const guint8 *blob = sqlite3_column_blob (stmt, 0);
            int len = sqlite3_column_bytes (stmt, 0);
            CtCase *c = ct_case_deserialize (blob, len > 0 ? (gsize) len : 0);

            /* Rows are untrusted bytes: one that makes no case is skipped. */
            if (c != NULL)
              g_ptr_array_add (out, c);
            else
              g_debug ("Skipped a snapshot row that does not decode");
          }
      sqlite3_finalize (stmt);
    }
  else if (rc == SQLITE_DONE)
    {
      /* No snapshot yet, or one from another format: start without it. */
      return g_steal_pointer (&out);
    }

  if (rc != SQLITE_DONE)
    {
      set_sql_error (error, self->snapshot, rc, _("Could not read the offline snapshot"));
      if (is_corruption (rc))
        rebuild_snapshot (self);
      return NULL;
    }
  if (synced_at)
    *synced_at = at;
  return g_steal_pointer (&out);
}

gboolean
ct_journal_write_schemas (CtJournal   *self,
                          const char  *json,
                          GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CT_IS_JOURNAL (self), FALSE);
  if (self->snapshot == NULL)
    {
      g_set_error (error, CT_JOURNAL_ERROR, CT_JOURNAL_ERROR_IO, _("The snapshot is unavailable"));
      return FALSE;
    }
  rc = sqlite3_prepare_v2 (self->snapshot,
                           "INSERT OR REPLACE INTO schemas (key, data) VALUES ('fields', ?)", -1,
                           &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      set_sql_error (error, self->snapshot, rc, _("Could not save the offline snapshot"));
      return FALSE;
    }
  return TRUE;
}

char *
ct_journal_read_schemas (CtJournal *self)
{
  sqlite3_stmt *stmt = NULL;
  char *json = NULL;

  g_return_val_if_fail (CT_IS_JOURNAL (self), NULL);
  if (self->snapshot == NULL ||
      sqlite3_prepare_v2 (self->snapshot, "SELECT data FROM schemas WHERE key = 'fields'", -1,
                          &stmt, NULL) != SQLITE_OK)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return json;
}

typedef struct
{
  GPtrArray *cases;
  gint64     synced_at;
} SnapshotData;

static void
snapshot_data_free (SnapshotData *data)
{
  g_clear_pointer (&data->cases, g_ptr_array_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SnapshotData, snapshot_data_free)

static void
write_snapshot_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  SnapshotData *data = task_data;
  GError *error = NULL;

  if (ct_journal_write_snapshot (source_object, data->cases, data->synced_at, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ct_journal_write_snapshot_async (CtJournal           *self,
                                 GPtrArray           *cases,
                                 gint64               synced_at,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SnapshotData) data = g_new0 (SnapshotData, 1);

  g_return_if_fail (CT_IS_JOURNAL (self));
  g_return_if_fail (cases != NULL);

  /* A copy holding a reference on each case: the caller's array may change
   * (the next sync) while the thread writes. */
  data->cases = g_ptr_array_new_full (cases->len, g_object_unref);
  for (guint i = 0; i < cases->len; i++)
    g_ptr_array_add (data->cases, g_object_ref (cases->pdata[i]));
  data->synced_at = synced_at;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_journal_write_snapshot_async);
  g_task_set_task_data (task, g_steal_pointer (&data), (GDestroyNotify) snapshot_data_free);
  g_task_run_in_thread (task, write_snapshot_thread);
}

gboolean
ct_journal_write_snapshot_finish (CtJournal     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        ct_journal_write_snapshot_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
read_snapshot_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  SnapshotData *data = task_data;
  GError *error = NULL;
  GPtrArray *cases = ct_journal_read_snapshot (source_object, &data->synced_at, &error);

  if (cases != NULL)
    g_task_return_pointer (task, cases, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
ct_journal_read_snapshot_async (CtJournal           *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CT_IS_JOURNAL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_journal_read_snapshot_async);
  g_task_set_task_data (task, g_new0 (SnapshotData, 1), (GDestroyNotify) snapshot_data_free);
  g_task_run_in_thread (task, read_snapshot_thread);
}

GPtrArray *
ct_journal_read_snapshot_finish (CtJournal     *self,
                                 GAsyncResult  *result,
                                 gint64        *synced_at,
                                 GError       **error)
{
  SnapshotData *data;
  GPtrArray *cases;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        ct_journal_read_snapshot_async, NULL);

  data = g_task_get_task_data (G_TASK (result));
  cases = g_task_propagate_pointer (G_TASK (result), error);
  if (synced_at)
    *synced_at = cases ? data->synced_at : 0;
  return cases;
}
