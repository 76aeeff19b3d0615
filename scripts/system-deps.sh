#!/usr/bin/env bash
# Install the Debian packages letterflow uses. Runs apt-get only as root on Debian/Ubuntu;
# elsewhere it prints what to install and carries on (the Python parts still work, and
# tests that need a missing tool skip with the reason) -- except under CI=true, where a
# missing package is an error: there every test that needs a tool fails without it
# (tests/tool_support.py). This list is every system tool the tests and benchmarks run.
#   usage: scripts/system-deps.sh [runtime|test]
set -euo pipefail
what="${1:-runtime}"

runtime=(
  python3 python3-venv python3-pip
  gettext                                   # msgfmt/msgmerge/msgcat: cross-checks, benchmarks
  git                                       # the review server commits, pushes, pulls
  apertium apertium-eng-spa apertium-eng-cat apertium-en-gl apertium-fr-es
  apertium-es-pt apertium-spa-ita apertium-eo-en apertium-hbs-eng   # offline MT
  libenchant-2-2 hunspell-fr hunspell-es hunspell-de-de hunspell-it hunspell-pt-pt
  hunspell-pt-br hunspell-ca hunspell-gl hunspell-nl hunspell-pl hunspell-ru hunspell-ar
  hunspell-ko                               # spelling QA check (pyenchant + Hunspell)
  libicu-dev pkg-config g++                 # PyICU (sentence segmentation) builds against ICU
)
testing=(
  chromium                                  # browser tests (driven by Playwright)
  libreoffice-writer-nogui fonts-noto-core fonts-noto-cjk   # .docx rendered to PDF
  poppler-utils                             # pdftotext/pdffonts read the PDFs back
  wrk                                       # web benchmark
)
pkgs=("${runtime[@]}")
[ "$what" = "test" ] && pkgs+=("${testing[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "letterflow: please install these Debian/Ubuntu packages (as root):" >&2
  echo "  apt-get install --no-install-recommends ${missing[*]}" >&2
  echo "(on other systems: GNU gettext, Apertium 3.8 with the pairs above, Chromium, LibreOffice)" >&2
  case "${CI:-}" in
    1|true|TRUE|True|yes) echo "CI=true: refusing to go on without them" >&2; exit 1 ;;
  esac
fi
