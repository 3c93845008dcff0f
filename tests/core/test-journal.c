/* test-journal.c - Decision journal and snapshot on disk, damaged files
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-journal"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "ct-case.h"
#include "ct-journal.h"
#include "test-wait.h"

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("ct-journal-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}

static void
test_append_and_list (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(GError) error = NULL;
  CtJournalEntry e = {
    .at = 1795000000, .actor = (char *) "admin", .outcome = (char *) "approve",
    .case_key = (char *) "purchase.order:13", .comment = NULL, .conditions = NULL,
    .correlation_id = (char *) "ct-7f3a", .server_answer = (char *) "true", .succeeded = TRUE,
  };

  {
    g_autoptr(CtJournal) j = ct_journal_open (dir, &error);
    g_assert_no_error (error);
    g_assert_false (ct_journal_was_recovered (j));
    g_assert_null (ct_journal_get_recovered_files (j)[0]);
    g_assert_true (ct_journal_append (j, &e, &error));
    e.outcome = (char *) "reject";
    e.case_key = (char *) "sale.order:7";
    e.comment = (char *) "Price “too low” <b>really</b>; 'quotes'";
    e.at++;
    g_assert_true (ct_journal_append (j, &e, &error));
    g_assert_no_error (error);
    /* A decision without a correlation id is refused. */
    e.correlation_id = NULL;
    g_assert_false (ct_journal_append (j, &e, &error));
    g_assert_error (error, CT_JOURNAL_ERROR, CT_JOURNAL_ERROR_SQL);
    g_clear_error (&error);
  }

  /* Reopened: still there, newest first, filters by case. */
  {
    g_autoptr(CtJournal) j = ct_journal_open (dir, &error);
    g_autoptr(GPtrArray) all = ct_journal_list (j, NULL, 0, &error);
    g_autoptr(GPtrArray) one = ct_journal_list (j, "purchase.order:13", 10, &error);
    CtJournalEntry *r;

    g_assert_no_error (error);
    g_assert_cmpuint (all->len, ==, 2);
    r = all->pdata[0];
    g_assert_cmpstr (r->outcome, ==, "reject");
    g_assert_cmpstr (r->comment, ==, "Price “too low” <b>really</b>; 'quotes'");
    g_assert_cmpint (r->at, ==, 1795000001);
    g_assert_cmpuint (one->len, ==, 1);
    r = one->pdata[0];
    g_assert_cmpstr (r->actor, ==, "admin");
    g_assert_cmpstr (r->correlation_id, ==, "ct-7f3a");
    g_assert_cmpstr (r->server_answer, ==, "true");
    g_assert_null (r->comment);
    g_assert_true (r->succeeded);
  }

  /* Append-only, even for someone with the file: UPDATE and DELETE fail. */
  {
    g_autofree char *path = g_build_filename (dir, "journal.sqlite", NULL);
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "DELETE FROM decisions", NULL, NULL, NULL), !=, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE decisions SET outcome = 'approve'", NULL, NULL,
                                   NULL), !=, SQLITE_OK);
    sqlite3_close (db);
  }
  remove_tree (dir);
}

static GPtrArray *
some_cases (guint n)
{
  GPtrArray *cases = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      CtCase *c = ct_case_new ("purchase.order", i + 1);

      c->title = g_strdup_printf ("Order %u", i + 1);
      c->area_id = g_strdup ("procurement");
      c->amount = 1000 + i;
      c->requested_at = 1795000000 + i;
      ct_case_add_requirement (c, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION, "po", 0,
                               "Managers", CT_APPROVER_STATE_PENDING, 1);
      g_ptr_array_add (cases, c);
    }
  return cases;
}

static void
test_snapshot (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = some_cases (250);
  gint64 synced = -1;

  {
    g_autoptr(CtJournal) j = ct_journal_open (dir, &error);
    g_autoptr(GPtrArray) none = ct_journal_read_snapshot (j, &synced, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (none->len, ==, 0);
    g_assert_cmpint (synced, ==, 0);
    g_assert_true (ct_journal_write_snapshot (j, cases, 1795001234, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(CtJournal) j = ct_journal_open (dir, &error);
    g_autoptr(GPtrArray) back = ct_journal_read_snapshot (j, &synced, &error);
    g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);

    g_assert_no_error (error);
    g_assert_cmpint (synced, ==, 1795001234);
    g_assert_cmpuint (back->len, ==, 250);
    for (guint i = 0; i < back->len; i++)
      {
        CtCase *c = back->pdata[i];
        g_hash_table_add (keys, c->key);
        g_assert_cmpfloat (c->amount, ==, 1000 + c->record_id - 1);
        g_assert_cmpuint (c->requirements->len, ==, 1);
      }
    g_assert_cmpuint (g_hash_table_size (keys), ==, 250);

    /* A smaller sync replaces, never adds to, the snapshot. */
    g_ptr_array_set_size (cases, 3);
    g_assert_true (ct_journal_write_snapshot (j, cases, 1795009999, &error));
  }
  {
    g_autoptr(CtJournal) j = ct_journal_open (dir, &error);
    g_autoptr(GPtrArray) back = ct_journal_read_snapshot (j, &synced, &error);

    g_assert_cmpuint (back->len, ==, 3);
    g_assert_cmpint (synced, ==, 1795009999);
  }
  /* Rows that do not decode (a newer build's, or damaged ones in a sound
   * file) are skipped; the rest still load. */
  {
    g_autofree char *path = g_build_filename (dir, "snapshot.sqlite", NULL);
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "INSERT INTO cases VALUES ('x:1', x'0102030405'),"
                                   " ('x:2', x''), ('x:3', 'text, not a record')",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  {
    g_autoptr(CtJournal) j = ct_journal_open (dir, &error);
    g_autoptr(GPtrArray) back = ct_journal_read_snapshot (j, &synced, &error);

    g_assert_no_error (error);
    g_assert_false (ct_journal_was_recovered (j));
    g_assert_cmpuint (back->len, ==, 3);
  }
  remove_tree (dir);
}

static guint
count_files_with_prefix (const char *dir,
                         const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (d)) != NULL)
    n += g_str_has_prefix (name, prefix);
  return n;
}

static void
test_corrupt_snapshot (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *snap = g_build_filename (dir, "snapshot.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = some_cases (10);
  CtJournalEntry e = {
    .at = 1, .actor = (char *) "admin", .outcome = (char *) "approve",
    .case_key = (char *) "purchase.order:1", .correlation_id = (char *) "c1", .succeeded = TRUE,
  };

  {
    g_autoptr(CtJournal) j = ct_journal_open (dir, &error);
    g_assert_true (ct_journal_append (j, &e, &error));
    g_assert_true (ct_journal_write_snapshot (j, cases, 42, &error));
  }
  /* Overwrite the snapshot with garbage, as a disk fault or a killed
   * copy would leave it. */
  g_assert_true (g_file_set_contents (snap, "this is not an SQLite database, it is junk junk junk "
                                      "junk junk junk junk junk junk junk junk junk "
                                        "junk", -1, NULL));
  {
    g_autoptr(CtJournal) j = ct_journal_open (dir, &error);
    const char * const *moved;
    g_autoptr(GPtrArray) back = NULL;
    g_autoptr(GPtrArray) entries = NULL;
    gint64 synced = -1;

    g_assert_no_error (error);
    g_assert_nonnull (j);
    /* The caller is told, and where the damaged file went. */
    g_assert_true (ct_journal_was_recovered (j));
    moved = ct_journal_get_recovered_files (j);
    g_assert_nonnull (moved[0]);
    g_assert_null (moved[1]);
    g_assert_true (g_str_has_prefix (moved[0], snap));
    g_assert_nonnull (strstr (moved[0], ".corrupt-"));
    g_assert_true (g_file_test (moved[0], G_FILE_TEST_IS_REGULAR));
    /* A fresh, empty snapshot; the journal is untouched. */
    back = ct_journal_read_snapshot (j, &synced, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (back->len, ==, 0);
    g_assert_cmpint (synced, ==, 0);
    entries = ct_journal_list (j, NULL, 0, &error);
    g_assert_cmpuint (entries->len, ==, 1);
    /* And it works again. */
    g_assert_true (ct_journal_write_snapshot (j, cases, 43, &error));
  }
  g_assert_cmpuint (count_files_with_prefix (dir, "snapshot.sqlite.corrupt-"), >=, 1);
  remove_tree (dir);
}

static void
test_corrupt_journal_pages (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "journal.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  {
    g_autoptr(CtJournal) j = ct_journal_open (dir, &error);
    for (guint i = 0; i < 400; i++)
      {
        g_autofree char *key = g_strdup_printf ("sale.order:%u", i);
        CtJournalEntry e = {
          .at = i, .actor = (char *) "admin", .outcome = (char *) "approve", .case_key = key,
          .comment = (char *) "a comment long enough to fill a few pages of the database file",
          .correlation_id = (char *) "c", .succeeded = TRUE,
        };
        g_assert_true (ct_journal_append (j, &e, &error));
      }
  }
  /* Keep the header (so SQLite opens it) and scribble over the pages. */
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >, 8192);
  for (gsize i = 4096; i < len; i++)
    data[i] = (char) (i * 7);
  g_assert_true (g_file_set_contents (path, data, len, NULL));

  {
    g_autoptr(CtJournal) j = ct_journal_open (dir, &error);
    g_autoptr(GPtrArray) entries = NULL;

    g_assert_no_error (error);
    g_assert_true (ct_journal_was_recovered (j));
    g_assert_true (g_str_has_prefix (ct_journal_get_recovered_files (j)[0], path));
    entries = ct_journal_list (j, NULL, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (entries->len, ==, 0);
  }
  remove_tree (dir);
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_snapshot_async (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = some_cases (1000);
  g_autoptr(CtJournal) j = ct_journal_open (dir, &error);
  g_autoptr(GAsyncResult) written = NULL;
  g_autoptr(GAsyncResult) read = NULL;
  g_autoptr(GPtrArray) back = NULL;
  gint64 synced = 0;

  ct_journal_write_snapshot_async (j, cases, 1795000000, NULL, async_done_cb, &written);
  /* The caller may drop its array at once: the write holds its own refs. */
  g_ptr_array_set_size (cases, 0);
  WAIT_UNTIL (written != NULL);
  g_assert_true (ct_journal_write_snapshot_finish (j, written, &error));
  g_assert_no_error (error);

  ct_journal_read_snapshot_async (j, NULL, async_done_cb, &read);
  WAIT_UNTIL (read != NULL);
  back = ct_journal_read_snapshot_finish (j, read, &synced, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 1000);
  g_assert_cmpint (synced, ==, 1795000000);
  g_clear_object (&j);
  remove_tree (dir);
}

static void
test_unwritable_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtJournal) j = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *file = g_build_filename (dir, "a-file", NULL);
  g_autofree char *below = g_build_filename (file, "control-tower", NULL);

  /* A path under a regular file cannot be a directory. */
  g_assert_true (g_file_set_contents (file, "x", -1, NULL));
  j = ct_journal_open (below, &error);
  g_assert_null (j);
  g_assert_error (error, CT_JOURNAL_ERROR, CT_JOURNAL_ERROR_IO);
  remove_tree (dir);
}

static void
append_three (CtJournal *j)
{
  g_autoptr(GError) error = NULL;
  CtJournalEntry e = {
    .at = 1795000000, .actor = (char *) "admin", .outcome = (char *) "approve",
    .case_key = (char *) "purchase.order:13", .correlation_id = (char *) "ct-1",
    .server_answer = (char *) "{}", .succeeded = TRUE, .verified_state = (char *) "purchase",
  };

  g_assert_true (ct_journal_append (j, &e, &error));
  e.at += 60;
  e.actor = (char *) "purchaser";
  e.outcome = (char *) "reject";
  e.case_key = (char *) "purchase.order:101";
  e.comment = (char *) "Wrong vendor, \"really\"";
  e.correlation_id = (char *) "ct-2";
  e.verified_state = (char *) "cancel";
  g_assert_true (ct_journal_append (j, &e, &error));
  e.at += 60;
  e.actor = (char *) "admin";
  e.outcome = (char *) "approve";
  e.case_key = (char *) "purchase.order:102";
  e.comment = (char *) "=HYPERLINK(\"x\")";
  e.correlation_id = (char *) "ct-3";
  e.succeeded = FALSE;
  e.verified_state = (char *) "to approve";
  g_assert_true (ct_journal_append (j, &e, &error));
  g_assert_no_error (error);
}

static void
test_chain (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "journal.sqlite", NULL);
  gint64 broken = -1;
  guint checked = 0;
  sqlite3 *db = NULL;

  {
    g_autoptr(CtJournal) j = ct_journal_open (dir, &error);
    g_autoptr(GPtrArray) all = NULL;

    g_assert_no_error (error);
    /* An empty journal is a whole chain. */
    g_assert_true (ct_journal_verify (j, &broken, &checked, &error));
    g_assert_cmpuint (checked, ==, 0);
    append_three (j);
    g_assert_true (ct_journal_verify (j, &broken, &checked, &error));
    g_assert_no_error (error);
    g_assert_cmpint (broken, ==, 0);
    g_assert_cmpuint (checked, ==, 3);
    /* Each entry carries the hash of the one before it. */
    all = ct_journal_list (j, NULL, 0, &error);
    g_assert_cmpuint (all->len, ==, 3);
    g_assert_cmpstr (((CtJournalEntry *) all->pdata[0])->prev_hash, ==,
                     ((CtJournalEntry *) all->pdata[1])->hash);
    g_assert_cmpuint (strlen (((CtJournalEntry *) all->pdata[0])->hash), ==, 64);
  }

  /* Someone edits the second entry behind the app's back (the triggers
   * forbid it, so they are dropped first). */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER decisions_no_update;"
                                 "UPDATE decisions SET outcome = 'approve' WHERE id = 2;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  {
    g_autoptr(CtJournal) j = ct_journal_open (dir, &error);

    g_assert_no_error (error);
    g_assert_false (ct_journal_verify (j, &broken, &checked, &error));
    g_assert_no_error (error);
    g_assert_cmpint (broken, ==, 2);
    g_assert_cmpuint (checked, ==, 1);
  }
  remove_tree (dir);
}

static void
test_query_and_csv (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CtJournal) j = ct_journal_open (dir, &error);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  CtJournalQuery q = { .succeeded = -1 };
  const char *csv;

  g_assert_no_error (error);
  append_three (j);

  q.text = "vendor";
  found = ct_journal_query (j, &q, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((CtJournalEntry *) found->pdata[0])->correlation_id, ==, "ct-2");
  g_clear_pointer (&found, g_ptr_array_unref);

  /* LIKE wildcards in the search are text. */
  q.text = "%";
  found = ct_journal_query (j, &q, &error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  q.text = NULL;
  q.actor = "admin";
  q.outcome = "approve";
  found = ct_journal_query (j, &q, &error);
  g_assert_cmpuint (found->len, ==, 2);
  /* Most recent first. */
  g_assert_cmpstr (((CtJournalEntry *) found->pdata[0])->correlation_id, ==, "ct-3");
  g_clear_pointer (&found, g_ptr_array_unref);

  q.succeeded = 1;
  q.since = 1795000000;
  q.until = 1795000001;
  found = ct_journal_query (j, &q, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  g_assert_true (ct_journal_export_csv (j, NULL, out, NULL, &error));
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, &error));
  g_output_stream_close (out, NULL, NULL);
  csv = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_true (g_str_has_prefix (csv, "id,at,actor,outcome,case,"));
  /* Quotes doubled, a formula neutralised, oldest first. */
  g_assert_nonnull (strstr (csv, "\"Wrong vendor, \"\"really\"\"\""));
  g_assert_nonnull (strstr (csv, "\"'=HYPERLINK(\"\"x\"\")\""));
  g_assert_true (strstr (csv, "ct-1") < strstr (csv, "ct-3"));
  g_assert_nonnull (strstr (csv, "2026-11-18T"));
  remove_tree (dir);
}

static void
test_drafts_and_revisions (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(GError) error = NULL;
  CtJournalDraft draft = { .case_key = (char *) "purchase.order:13", .outcome = (char *) "reject",
                           .comment = (char *) "Too expensive", .failure = (char *) "timeout" };

  {
    g_autoptr(CtJournal) j = ct_journal_open (dir, &error);

    g_assert_true (ct_journal_save_draft (j, &draft, &error));
    g_assert_true (ct_journal_set_revision (j, "purchase.order:14", 1795000000, 1794990000, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(CtJournal) j = ct_journal_open (dir, &error);
    g_autoptr(CtJournalDraft) back = ct_journal_load_draft (j, "purchase.order:13", &error);

    g_assert_no_error (error);
    g_assert_nonnull (back);
    g_assert_cmpstr (back->outcome, ==, "reject");
    g_assert_cmpstr (back->comment, ==, "Too expensive");
    g_assert_cmpstr (back->failure, ==, "timeout");
    g_assert_cmpint (back->updated_at, >, 0);
    g_assert_null (ct_journal_load_draft (j, "purchase.order:99", &error));
    g_assert_no_error (error);
    g_assert_true (ct_journal_discard_draft (j, "purchase.order:13", &error));
    g_assert_null (ct_journal_load_draft (j, "purchase.order:13", &error));
    {
      gint64 baseline = 0;

      g_assert_cmpint (ct_journal_get_revision (j, "purchase.order:14", &baseline), ==, 1795000000);
      g_assert_cmpint (baseline, ==, 1794990000);
    }
    g_assert_true (ct_journal_clear_revision (j, "purchase.order:14", &error));
    g_assert_cmpint (ct_journal_get_revision (j, "purchase.order:14", NULL), ==, 0);
  }
  remove_tree (dir);
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/core/journal/append-list", test_append_and_list);
  g_test_add_func ("/ct/core/journal/chain", test_chain);
  g_test_add_func ("/ct/core/journal/query-csv", test_query_and_csv);
  g_test_add_func ("/ct/core/journal/drafts-revisions", test_drafts_and_revisions);
  g_test_add_func ("/ct/core/journal/snapshot", test_snapshot);
  g_test_add_func ("/ct/core/journal/snapshot-async", test_snapshot_async);
  g_test_add_func ("/ct/core/journal/corrupt-snapshot", test_corrupt_snapshot);
  g_test_add_func ("/ct/core/journal/corrupt-journal-pages", test_corrupt_journal_pages);
  g_test_add_func ("/ct/core/journal/unwritable-dir", test_unwritable_dir);

  return g_test_run ();
}
