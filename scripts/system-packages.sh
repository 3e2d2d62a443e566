#!/usr/bin/env bash
# Installs the Debian packages govhall needs beyond Python. `make` runs it when one is missing;
# `scripts/system-packages.sh --check` only reports.
#   gettext                 — compiles the zh_Hans translation catalog
#   python3-venv            — the project's virtual environment
#   fonts-noto-cjk          — Chinese faces for the bulletin's PDF and charts (宋/小标宋/仿宋 → Noto
#                             Serif CJK SC, 黑体 → Noto Sans CJK SC; govhall/bulletins/fonts/fonts.conf)
#   fonts-arphic-gkai00mp   — a simplified 楷体 (AR PL KaitiM GB) for the （一） headings
#   libpango-1.0-0, libpangoft2-1.0-0
#                           — WeasyPrint's text layout (the bulletin as PDF)
#   libharfbuzz-subset0     — WeasyPrint's font subsetting: without it a Chinese page takes
#                             seconds instead of a fraction of one
#   poppler-utils           — pdftoppm/pdffonts: the tests look at the PDF as a reader sees it
#   chromium, chromium-driver
#                           — the headless browser of `make e2e` and `make screenshots`
#                             (Playwright drives /usr/bin/chromium; `playwright install` is not used)
#   nodejs, npm             — `npm ci` installs the pinned axe-core the accessibility tests inject
#   espeak-ng               — the queue screens' spoken call (请 A012 号到 5 号窗口办理), made
#                             offline with its Mandarin voice (`espeak-ng -v cmn`) as a WAV
# With --bench, also what the scale-out benchmark (bench/scaleout.py) needs and the app does not:
#   nginx                   — one port in front of two gunicorn servers
#   redis-server            — the shared cache and sessions of several app servers (REDIS_URL)
# (PostgreSQL itself, and the replica built by scripts/pg-replica.sh, come from postgresql-15.)
set -euo pipefail

# Each package with a command it provides, or "" for packages without one (fonts, libraries):
# those are checked with dpkg where there is dpkg, and otherwise assumed present.
PACKAGES=(gettext poppler-utils fonts-noto-cjk fonts-arphic-gkai00mp libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 chromium chromium-driver nodejs npm espeak-ng)
COMMANDS=(msgfmt pdftoppm "" "" "" "" "" chromium chromedriver node npm espeak-ng)
if [[ " $* " == *" --bench "* ]]; then
  PACKAGES+=(nginx redis-server)
  COMMANDS+=(nginx redis-server)
fi

installed() {
  local package=$1 command=$2
  if [[ -n "$command" ]] && command -v "$command" >/dev/null 2>&1; then return 0; fi
  if command -v dpkg-query >/dev/null 2>&1; then
    [[ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" == "install ok installed" ]]
    return
  fi
  [[ -z "$command" ]]
}

missing=()
for i in "${!PACKAGES[@]}"; do
  installed "${PACKAGES[$i]}" "${COMMANDS[$i]}" || missing+=("${PACKAGES[$i]}")
done

if [[ " $* " == *" --check "* ]]; then
  if ((${#missing[@]})); then echo "missing system packages: ${missing[*]}"; exit 1; fi
  exit 0
fi
if ((${#missing[@]} == 0)); then exit 0; fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "Installing system packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
