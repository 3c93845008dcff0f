#!/usr/bin/env python3
# make-fuzz-corpus.py - Seed corpus for fuzz-decode from the recorded transcripts
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: make-fuzz-corpus.py PROTOCOL_DIR OUTPUT_DIR
# Each input is: decoder byte, status byte, content-type byte, then the
# recorded body (see fuzz-decode.c for the layout).
import os
import sys

STATUSES = [200, 400, 401, 403, 404, 409, 415, 422, 500, 502, 503, 204]


def odoo(path):
    text = open(path, encoding='utf-8', errors='replace').read()
    if '### RESPONSE' not in text:
        return None
    request, _, response = text.partition('### RESPONSE\n')
    head, _, body = response.partition('\n\n')
    lines = head.splitlines()
    if not lines or not lines[0].startswith('HTTP/'):
        return None
    status = int(lines[0].split()[1])
    html = any(l.lower().startswith('content-type: text/html') for l in lines)
    json2 = '/json/2/' in request or '/json/version' in request
    return (1 if json2 else 0), status, html, body.rstrip()


def n8n(path):
    lines = open(path, encoding='utf-8', errors='replace').read().split('\n')
    status, html, body, in_body = None, False, [], False
    for line in lines:
        if in_body:
            body.append(line)
        elif line.startswith('< HTTP/'):
            status = int(line.split()[2])
        elif line.lower().startswith('< content-type: text/html'):
            html = True
        elif line == '<' and status is not None:
            in_body = True
    if status is None:
        return None
    return 2, status, html, '\n'.join(body).rstrip()


def main():
    protocol, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    n = 0
    for sub, parse in (('odoo-19', odoo), ('n8n-1.123', n8n)):
        for name in sorted(os.listdir(os.path.join(protocol, sub))):
            parsed = parse(os.path.join(protocol, sub, name))
            if parsed is None:
                continue
            decoder, status, html, body = parsed
            code = STATUSES.index(status) if status in STATUSES else 0
            data = bytes([decoder, code, 1 if html else 0]) + body.encode('utf-8')
            with open(os.path.join(out, name.replace('.txt', '.bin')), 'wb') as f:
                f.write(data)
            n += 1
    print(f'{n} seeds in {out}')


if __name__ == '__main__':
    main()
