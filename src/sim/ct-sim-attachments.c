/* ct-sim-attachments.c - ir.attachment: contents, checksums and access tokens
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What tests/data/protocol/odoo-19/09-08 … 09-16 show: an attachment created
 * with base64 `datas` reports its size and SHA-1 checksum, `datas` reads back
 * over JSON-2 for anyone who may read the record, generate_access_token gives
 * a token for /web/content/<id>?access_token=…, which serves the bytes
 * (ct-sim-odoo.c, route_web_content).
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include "ct-sim-datasets.h"
#include "ct-sim-orm.h"

static JsonNode *
compute_attachment (CtSimModel *m,
                    guint       row,
                    CtSimField *field)
{
  g_autoptr(GBytes) content = NULL;
  g_autofree char *checksum = NULL;

  /* An attachment is a stored file unless created as a URL. */
  if (g_strcmp0 (field->name, "type") == 0)
    {
      const char *type = ct_sim_model_get_str (m, row, "type");

      return json_node_init_string (json_node_alloc (), type != NULL ? type : "binary");
    }
  if (g_strcmp0 (field->name, "file_size") != 0 && g_strcmp0 (field->name, "checksum") != 0)
    return NULL;
  content = ct_sim_attachment_content (m, row);
  if (g_strcmp0 (field->name, "file_size") == 0)
    return json_node_init_int (json_node_alloc (),
                               content != NULL ? (gint64) g_bytes_get_size (content) : 0);
  if (content == NULL)
    return json_node_init_boolean (json_node_alloc (), FALSE);
  checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, content);
  return json_node_init_string (json_node_alloc (), checksum);
}

GBytes *
ct_sim_attachment_content (CtSimModel *attachments,
                           guint       row)
{
  const char *datas = ct_sim_model_get_str (attachments, row, "datas");
  guchar *raw;
  gsize len;

  if (datas == NULL)
    return NULL;
  raw = g_base64_decode (datas, &len);
  return g_bytes_new_take (raw, len);
}

void
ct_sim_attachments_install (CtSimDb *db)
{
  CtSimModel *attachments = ct_sim_db_get_model (db, "ir.attachment");

  if (attachments != NULL)
    attachments->compute = compute_attachment;
}

/* ir.attachment.generate_access_token: one token a record, kept once made. */
static JsonNode *
m_generate_access_token (CtSimCall  *call,
                         GError    **error)
{
  g_autoptr(GArray) rows = ct_sim_orm_rows (call, error);
  JsonArray *tokens;

  if (rows == NULL)
    return NULL;
  tokens = json_array_new ();
  for (guint i = 0; i < rows->len; i++)
    {
      guint row = g_array_index (rows, guint, i);
      const char *token;

      token = ct_sim_model_get_str (call->model, row, "access_token");
      if (token == NULL)
        {
          g_autofree char *uuid = g_uuid_string_random ();

          ct_sim_model_set_str (call->model, row, "access_token", uuid);
          token = ct_sim_model_get_str (call->model, row, "access_token");
        }
      json_array_add_string_element (tokens, token);
    }
  return ct_sim_json_array (tokens);
}

const CtSimMethod ct_sim_attachment_methods[] = {
  { "ir.attachment", "generate_access_token", FALSE, "", CT_SIM_ACCESS_WRITE,
    m_generate_access_token },
  { NULL }
};
