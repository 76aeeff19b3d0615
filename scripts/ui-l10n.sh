#!/usr/bin/env bash
# Refresh the review UI's gettext domain "ui": extract locales/ui.pot from web/ (and the
# core's review error texts) and merge
# it into locales/<lang>/LC_MESSAGES/ui.po with `letterflow update` (new messages arrive
# untranslated; translate them, mark machine-made ones fuzzy), then run the gate over the
# domain. A new UI language: add it to `languages` in web/translations/letterflow.toml first.
set -euo pipefail
cd "$(dirname "$0")/.."
# the inputs: web/ and the core's review error texts (web.i18n.EXTRACT_FROM)
read -r -a inputs <<< "$(.venv/bin/python -c 'from web.i18n import EXTRACT_FROM; print(*EXTRACT_FROM)')"
.venv/bin/pybabel -q extract -F web/translations/babel.cfg --no-wrap \
  --project letterflow-ui --copyright-holder letterflow -o locales/ui.pot "${inputs[@]}"
# the project's own update (msgmerge semantics: keeps #| and the header's own fields)
.venv/bin/letterflow --project web/translations update
.venv/bin/letterflow --project web/translations check --no-warnings
