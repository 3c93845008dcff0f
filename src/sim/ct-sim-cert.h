/* ct-sim-cert.h - The simulator's self-signed certificate
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

extern const char ct_sim_cert_pem[];      /* the certificate, PEM */
extern const char ct_sim_cert_key_pem[];  /* its private key, PEM */

G_END_DECLS
