#!/usr/bin/env bash
# Installs the Debian packages govhall needs beyond Python. `make` runs it when one is missing;
# `scripts/system-packages.sh --check` only reports.
#   gettext                 — compiles the zh_Hans translation catalog
#   python3-venv            — the project's virtual environment
set -euo pipefail

PACKAGES=(gettext)
COMMANDS=(msgfmt)

missing=()
for i in "${!COMMANDS[@]}"; do
  command -v "${COMMANDS[$i]}" >/dev/null 2>&1 || missing+=("${PACKAGES[$i]}")
done

if [[ "${1:-}" == "--check" ]]; then
  if ((${#missing[@]})); then echo "missing system packages: ${missing[*]}"; exit 1; fi
  exit 0
fi
if ((${#missing[@]} == 0)); then exit 0; fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "Installing system packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
