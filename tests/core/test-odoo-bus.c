/* test-odoo-bus.c - Live changes over ct-sim's /websocket, and the fallback to polling
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ct-odoo-bus.h"
#include "ct-sim-faults.h"
#include "ct-sim-server.h"
#include "test-detail-fixture.h"

typedef struct
{
  CtSimServer  *sim;
  CtOdooClient *admin;
  GPtrArray    *changes;   /* "model:id" as the bus said them */
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  CtSimOptions options = { .seed = 1, .n_cases = 100 };
  g_autoptr(GError) error = NULL;

  fx->sim = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (fx->sim, &error));
  fx->admin = detail_connect (fx->sim, "admin", FALSE);
  fx->changes = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_ptr_array_unref (fx->changes);
  g_clear_object (&fx->admin);
  ct_sim_server_stop (fx->sim);
  g_clear_object (&fx->sim);
}

static void
on_changed (CtOdooBus  *bus,
            const char *model,
            gint64      id,
            Fixture    *fx)
{
  g_ptr_array_add (fx->changes, g_strdup_printf ("%s:%" G_GINT64_FORMAT, model, id));
}

static gboolean
on_deadline (gpointer user_data)
{
  g_error ("the bus did not get there within %d s", DETAIL_DEADLINE_SECONDS);
  return G_SOURCE_REMOVE;
}

static void
wait_state (CtOdooBus  *bus,
            CtBusState  state)
{
  guint id = g_timeout_add_seconds (DETAIL_DEADLINE_SECONDS, on_deadline, NULL);

  while (ct_odoo_bus_get_state (bus) != state)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static gboolean
has_change (Fixture    *fx,
            const char *key)
{
  for (guint i = 0; i < fx->changes->len; i++)
    if (g_str_equal (fx->changes->pdata[i], key))
      return TRUE;
  return FALSE;
}

static void
wait_change (Fixture    *fx,
             const char *key)
{
  guint id = g_timeout_add_seconds (DETAIL_DEADLINE_SECONDS, on_deadline, NULL);

  while (!has_change (fx, key))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static void
post_note (Fixture *fx,
           gint64   id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 message = 0;

  ct_odoo_client_message_post_async (fx->admin, "purchase.order", id, "Checked the terms", TRUE,
                                     NULL, detail_store_result, &result);
  detail_wait_for (&result);
  g_assert_true (ct_odoo_client_message_post_finish (fx->admin, result, &message, &error));
  g_assert_no_error (error);
}

/* A change made by someone else arrives as a notification naming the
 * record. */
static void
test_live (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(CtOdooClient) manager = detail_connect (fx->sim, "manager", TRUE);
  g_autoptr(CtOdooBus) bus = ct_odoo_bus_new (manager);

  g_signal_connect (bus, "changed", G_CALLBACK (on_changed), fx);
  ct_odoo_bus_start (bus);
  wait_state (bus, CT_BUS_STATE_LIVE);
  g_assert_cmpstr (ct_odoo_bus_get_status_text (bus), ==, "Live updates from the Odoo bus");

  post_note (fx, 3);
  wait_change (fx, "purchase.order:3");
  g_assert_cmpint (ct_odoo_bus_get_last_id (bus), >, 0);

  ct_odoo_bus_stop (bus);
  g_assert_cmpint (ct_odoo_bus_get_state (bus), ==, CT_BUS_STATE_STOPPED);
  g_assert_finalize_object (g_steal_pointer (&bus));
}

/* An API key opens no web session: polling, saying why. */
static void
test_no_session (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(CtOdooBus) bus = ct_odoo_bus_new (fx->admin);

  ct_odoo_bus_start (bus);
  g_assert_cmpint (ct_odoo_bus_get_state (bus), ==, CT_BUS_STATE_POLLING);
  g_assert_nonnull (strstr (ct_odoo_bus_get_status_text (bus), "password sign-in"));
  g_assert_cmpuint (ct_sim_server_count_requests (fx->sim, "/websocket"), ==, 0);
}

/* The handshake fails, then the socket drops: polling each time, live
 * again once the server is back, and changes made in between arrive. */
static void
test_fallback (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(CtOdooClient) manager = detail_connect (fx->sim, "manager", TRUE);
  g_autoptr(CtOdooBus) bus = ct_odoo_bus_new (manager);
  g_autoptr(GError) error = NULL;

  g_signal_connect (bus, "changed", G_CALLBACK (on_changed), fx);
  ct_odoo_bus_set_retry_interval (bus, 100);
  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (fx->sim), "http503@/websocket*1",
                                      &error));
  g_assert_no_error (error);
  ct_odoo_bus_start (bus);
  wait_state (bus, CT_BUS_STATE_POLLING);
  g_assert_true (g_str_has_prefix (ct_odoo_bus_get_status_text (bus), "Polling: "));
  wait_state (bus, CT_BUS_STATE_LIVE);
  g_assert_cmpuint (ct_sim_server_count_requests (fx->sim, "/websocket"), ==, 2);

  post_note (fx, 5);
  wait_change (fx, "purchase.order:5");

  ct_sim_server_close_websockets (fx->sim);
  wait_state (bus, CT_BUS_STATE_POLLING);
  g_assert_nonnull (strstr (ct_odoo_bus_get_status_text (bus), "closed"));
  /* Missed while the socket was down, delivered once back. */
  post_note (fx, 6);
  wait_state (bus, CT_BUS_STATE_LIVE);
  wait_change (fx, "purchase.order:6");
  g_assert_false (has_change (fx, "purchase.order:7"));
}

static void
collect_cb (const char *model,
            gint64      id,
            gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%s:%" G_GINT64_FORMAT, model, id));
}

/* The recorded frames: the threads they name, the largest id; junk names
 * nothing. */
static void
test_parse_frames (void)
{
  static const char frame[] =
    "[{\"id\": 30, \"message\": {\"type\": \"mail.record/insert\", \"payload\": {"
    "\"mail.message\": [{\"id\": 709, \"thread\": {\"id\": 101, \"model\": \"purchase.order\"}}],"
    "\"mail.thread\": [{\"display_name\": \"P00101\", \"id\": 101, \"model\": \"purchase.order\"}],"
    "\"res.partner\": [{\"id\": 45, \"name\": \"Paula Purchaser\"}]}}},"
    " {\"id\": 33, \"message\": {\"type\": \"discuss.channel/new_message\", \"payload\": {"
    "\"data\": {\"mail.message\": [{\"id\": 711, \"model\": \"discuss.channel\", \"res_id\": 1}]},"
    " \"id\": 1}}}]";
  static const char *const junk[] = { "", "{}", "[1, \"x\", null]", "[{\"id\": \"9\"}]",
                                      "[{\"id\": 4, \"message\": {\"payload\": []}}]", "[[[[" };
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpint (ct_odoo_bus_parse_frame (frame, strlen (frame), 0, collect_cb, records), ==,
                   33);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpstr (records->pdata[0], ==, "purchase.order:101");
  g_assert_cmpstr (records->pdata[1], ==, "discuss.channel:1");
  g_ptr_array_set_size (records, 0);
  for (guint i = 0; i < G_N_ELEMENTS (junk); i++)
    g_assert_cmpint (ct_odoo_bus_parse_frame (junk[i], strlen (junk[i]), 7, collect_cb, records),
                     >=, 7);
  g_assert_cmpuint (records->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/core/odoo-bus/parse-frames", test_parse_frames);
  g_test_add ("/ct/core/odoo-bus/live", Fixture, NULL, fixture_set_up, test_live,
              fixture_tear_down);
  g_test_add ("/ct/core/odoo-bus/no-session", Fixture, NULL, fixture_set_up, test_no_session,
              fixture_tear_down);
  g_test_add ("/ct/core/odoo-bus/fallback", Fixture, NULL, fixture_set_up, test_fallback,
              fixture_tear_down);
  return g_test_run ();
}
