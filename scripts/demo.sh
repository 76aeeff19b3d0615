#!/usr/bin/env bash
# The README's main command: install, extract the letter, create/update the catalogues,
# machine-draft them offline with Apertium, create a demo translator (password printed)
# and serve the review UI on http://127.0.0.1:${PORT:-5000} with waitress.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh runtime
bash scripts/venv.sh
LF=.venv/bin/letterflow
$LF extract
$LF update
$LF draft --lang es,ca,gl,fr,pt,it
$LF status
exec $LF serve --demo --host 127.0.0.1 --port "${PORT:-5000}"
