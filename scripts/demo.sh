#!/usr/bin/env bash
# The README's main command: install, extract the letter, create the catalogues,
# machine-draft them offline with Apertium, create a demo translator, and serve the review UI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh runtime
bash scripts/venv.sh
LF=.venv/bin/letterflow
$LF extract
$LF update
$LF draft --lang es,ca,gl,fr,pt,it
$LF status
if ! $LF user list 2>/dev/null | grep -q '^demo\b'; then
  password="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(12))')"
  printf '%s\n' "$password" | $LF user add demo --role translator --lang es,ca,gl,fr,pt,it --password-stdin
  echo
  echo "Demo translator account:  user: demo   password: $password"
  echo
fi
exec $LF serve --host 127.0.0.1 --port "${PORT:-5000}"
