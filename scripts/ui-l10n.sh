#!/usr/bin/env bash
# Refresh the review UI's gettext domain "ui": extract locales/ui.pot from web/ and merge
# it into locales/<lang>/LC_MESSAGES/ui.po (new messages arrive untranslated; translate
# them, mark machine-made ones fuzzy), then run the gate over the domain.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pybabel -q extract -F web/translations/babel.cfg --no-wrap \
  --project letterflow-ui --copyright-holder letterflow -o locales/ui.pot web
for po in locales/*/LC_MESSAGES/ui.po; do
  lang=$(basename "$(dirname "$(dirname "$po")")")
  .venv/bin/pybabel -q update -D ui -i locales/ui.pot -d locales -l "$lang" --no-wrap \
    --ignore-obsolete --no-fuzzy-matching
done
.venv/bin/letterflow --project web/translations check --no-warnings
