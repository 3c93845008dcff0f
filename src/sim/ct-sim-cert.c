/* ct-sim-cert.c - The simulator's self-signed certificate for 127.0.0.1 and localhost
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include "ct-sim-cert.h"

/* Generated once with
 *   openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj /CN=localhost \
 *     -addext subjectAltName=DNS:localhost,IP:127.0.0.1
 * A test certificate for a loopback server: the key is public on purpose, so
 * clients must pin the certificate, never trust it system-wide. */
const char ct_sim_cert_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIDJzCCAg+gAwIBAgIUK9K8vWFd174yY4xVKdC/PLO3XqQwDQYJKoZIhvcNAQEL\n"
  "BQAwFDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyNjE2MzY0MVoYDzIxMjYx\n"
  "MTAyMTYzNjQxWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwggEiMA0GCSqGSIb3DQEB\n"
  "AQUAA4IBDwAwggEKAoIBAQCYEzXSIJrAp0/N10gjgUbi6l3fUuSfPmx7xgH94FaY\n"
  "pZGvVYE0SrMz1GG661DOhVDOsbf8mNtG4LnlxcAV+D43KdlOF3XGpIStfKnDrdCI\n"
  "NRgPZR9mL0wxBaKFkvcFyYBWRtJeP2qyN+kf0LKIoEXjfl1x6JQ0qTJNd/nQYTM+\n"
  "GH+6MiQ9pizJygr73zR9cLijR+rHi8KBrZZKqv+5PKE1umJa+cEvjiCTt/Cr487s\n"
  "e3ywFiVsMs32RLTJlZyIbPTfKd5QSR1mkRqWl9+vhetmBIKvdyG763BXQcRsifrd\n"
  "P/F+pVZFy4Or7+vJQBmPnzVHC8vZBn9cnp0RkRFHUpu5AgMBAAGjbzBtMB0GA1Ud\n"
  "DgQWBBT0ktjlJFwampMMhe27wLoCYI0M9zAfBgNVHSMEGDAWgBT0ktjlJFwampMM\n"
  "he27wLoCYI0M9zAPBgNVHRMBAf8EBTADAQH/MBoGA1UdEQQTMBGCCWxvY2FsaG9z\n"
  "dIcEfwAAATANBgkqhkiG9w0BAQsFAAOCAQEAkJ8l3OjIfVgf3rPDI+6F5YEy4SKs\n"
  "OHrQ038Fa/oVom97QFR0Q6UViF9xbu3lCUQJnntR7HB0uYhtJNDObpeBwLmx7hCU\n"
  "oZywA+NPHWhtn4/JHuS1/Xmbwc33sCwogJgd+NuwCMC2I/szVnYSrhTpCGUNdec9\n"
  "2L1J80eEccB6zIoezWkY7Y2QLP8+7BdKTA856L+2F70hVl+vXsepsKhj5MpL2+ZP\n"
  "IDuwc1z4m282FXR5otMYsvfb4fZeLLCn6cHekZJ3zFaf7V6oDPgvQHiJYXbTtayh\n"
  "tc/mz/JDKSghXm1ZHRUllHwzmIVkReoG3f/i6YN5gOTPa/GiyZHr5bPZkg==\n"
  "-----END CERTIFICATE-----\n";

const char ct_sim_cert_key_pem[] =
  "-----BEGIN PRIVATE KEY-----\n"
  "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCYEzXSIJrAp0/N\n"
  "10gjgUbi6l3fUuSfPmx7xgH94FaYpZGvVYE0SrMz1GG661DOhVDOsbf8mNtG4Lnl\n"
  "xcAV+D43KdlOF3XGpIStfKnDrdCINRgPZR9mL0wxBaKFkvcFyYBWRtJeP2qyN+kf\n"
  "0LKIoEXjfl1x6JQ0qTJNd/nQYTM+GH+6MiQ9pizJygr73zR9cLijR+rHi8KBrZZK\n"
  "qv+5PKE1umJa+cEvjiCTt/Cr487se3ywFiVsMs32RLTJlZyIbPTfKd5QSR1mkRqW\n"
  "l9+vhetmBIKvdyG763BXQcRsifrdP/F+pVZFy4Or7+vJQBmPnzVHC8vZBn9cnp0R\n"
  "kRFHUpu5AgMBAAECggEAHK7a4uQlbBrikXd+crvqa9g6lmmjF2oFuh6xt3m9u5LW\n"
  "9JQTB5LjU+5F9KR3nExG3oVkp28JRMgUKANxZHNrAKqTAwinvSzAnZw6xN6ey2IA\n"
  "RL8U+ggHveNLMRh0IRJNc3huKzqY3D5xaP/K/LwGEo99/oMYmQoko7nyU1xR9u8L\n"
  "Y5xYnhLzHghOXiFqvhs+/DdkEPLfEdd0SggRulPAmF2MeeuRDRCE/uob4VdK4omw\n"
  "2qp/N1vZ+XwyaOb9an2F9+C73gvqJ/cSJyJYgFIgk//RRxnk+8MEOYS0nVnNQ2CT\n"
  "OEkURXOH5SP7v9M1gT+1UprHoOz+vCjlv8i/gBwvRQKBgQDTkWsrrp57nuXqBbdt\n"
  "i0AtP3VN/uQe6UjJyrMycZaPibXyv/6rpHVPZyhypfOxG+0S5g/Ouzn4ZJSvdF9S\n"
  "qMyrP2xYgCzg9eE9qOfOWyV+eBIrVv+UtuyKZUi+KaNLg8/4Gr3srvdWsOg5F7ok\n"
  "JH0l244M5brgBm+KM/beFTS2kwKBgQC4A0FyaM7MAip5LanXJsCqYjhggoKmavcX\n"
  "+pYTMIv5xRLlIGqWyIMJ+TJiDhLSfq0zip+OTSrs8a0fogSuSa9QU2iIbU5Ugg7m\n"
  "biS3NI149aSG4JzpFXspCRY+cnwY2Ar1KxGWemXNqGtRHEklekSSjQ96vJt3tvMz\n"
  "vU4AOwyoAwKBgQDNlg2SUQjoD6xTEGMCK8KdNYED3aBG+WIl1Lb1WbN4n9USoscS\n"
  "e6kTE6cWYXTAseZZ6v2JYh4e5X4mUOsgI69e6S6bgVIa+FN721oGCEQS9RKS0uNg\n"
  "27BXe7yILWXkx52b9kCAcjUfJKFEeW4EGQETfJo4pjRF5XsVzREjFXA3yQKBgG2m\n"
  "2wAfPmPJQqAVOukPma2ue+PewZYDlZy/YWCsBC1hZ2IMEBgsAhIWYhSWSFcQz4sw\n"
  "JuY4S8UIOt7nwBxPol2eZmMtp4iqO9DKf6yAb3FOB62r+TTX7R1F4fBybkqrqtPv\n"
  "xzpBU5raqqCZ12iy1Fv0HO5Jp+cNqR0CyJFQnrkbAoGBAJl2synRd9v3173BWQwT\n"
  "cNVABr4uJxs50hHznmeYIw/9iwiwPWY39BdlXznJ5C9CkJBzLdJhberX3rGFHODI\n"
  "1dy4r46hMbgHHKqUZ8sDQD7dW21spSlT6d+Hn4RjK0cnRATVRZzByWBd+6zVQCPy\n"
  "46CZcuzDsQvLpodfIBowDP5a\n"
  "-----END PRIVATE KEY-----\n";
