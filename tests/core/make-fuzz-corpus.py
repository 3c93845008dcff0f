#!/usr/bin/env python3
# make-fuzz-corpus.py - Seed corpora for the libFuzzer targets of tests/core
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: make-fuzz-corpus.py TARGET SOURCE_ROOT OUTPUT_DIR
#
# fuzz-decode: every recorded body of tests/data/protocol (Odoo 17, Odoo 19,
#   n8n), each as: decoder byte, status byte, content-type byte, then the
#   body (see fuzz-decode.c for the layout).
# fuzz-profile: the shipped profiles (data/profiles).
# Every target: the hand-made seeds in tests/core/fuzz-corpus/TARGET.
import os
import shutil
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


def decode_seeds(root, out):
    protocol = os.path.join(root, 'tests', 'data', 'protocol')
    n = 0
    for sub in sorted(os.listdir(protocol)):
        folder = os.path.join(protocol, sub)
        if not os.path.isdir(folder):
            continue
        parse = n8n if sub.startswith('n8n') else odoo
        for name in sorted(os.listdir(folder)):
            parsed = parse(os.path.join(folder, name))
            if parsed is None:
                continue
            decoder, status, html, body = parsed
            code = STATUSES.index(status) if status in STATUSES else 0
            data = bytes([decoder, code, 1 if html else 0]) + body.encode('utf-8')
            with open(os.path.join(out, sub + '-' + name.replace('.txt', '.bin')), 'wb') as f:
                f.write(data)
            n += 1
    return n


def profile_seeds(root, out):
    folder = os.path.join(root, 'data', 'profiles')
    n = 0
    for name in sorted(os.listdir(folder)):
        if name.endswith('.json'):
            shutil.copy(os.path.join(folder, name), os.path.join(out, name))
            n += 1
    return n


def main():
    target, root, out = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(out, exist_ok=True)
    n = 0
    if target == 'fuzz-decode':
        n += decode_seeds(root, out)
    elif target == 'fuzz-profile':
        n += profile_seeds(root, out)
    hand = os.path.join(root, 'tests', 'core', 'fuzz-corpus', target)
    if os.path.isdir(hand):
        for name in sorted(os.listdir(hand)):
            shutil.copy(os.path.join(hand, name), os.path.join(out, name))
            n += 1
    print(f'{n} seeds for {target} in {out}')


if __name__ == '__main__':
    main()
