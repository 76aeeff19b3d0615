#!/usr/bin/env bash
# The README's test command: system packages, a venv with the test extras, lint, the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh test
bash scripts/venv.sh test
.venv/bin/ruff check workflow web tests bench
# the repo's own CI gate over the shipped catalogues, with the required set that is really complete
.venv/bin/letterflow check --format github
# the review UI's own gettext domain (locales/*/LC_MESSAGES/ui.po), through the same gate
.venv/bin/letterflow --project web/translations check --format github
set +e
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then echo "no tests were collected" >&2; exit 1; fi
exit "$rc"
