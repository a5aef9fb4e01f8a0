#!/usr/bin/env bash
# Installs what gaizao needs into ./.venv and ./node_modules; safe to run again (it skips what is done).
# Usage: scripts/setup.sh [--dev]   (--dev adds the test tools and Debian's chromium for browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PYTHON" -m venv .venv
fi
DEV=""
[ "${1:-}" = "--dev" ] && DEV="-dev"
stamp=.venv/.installed-$(sha1sum < pyproject.toml | cut -c1-12)$DEV
if [ ! -f "$stamp" ]; then
  echo "== installing Python packages"
  .venv/bin/pip install --quiet --upgrade pip
  if [ "${1:-}" = "--dev" ]; then
    .venv/bin/pip install --quiet -e ".[dev]"
  else
    .venv/bin/pip install --quiet -e .
  fi
  touch "$stamp"
fi

if [ ! -d node_modules/bootstrap ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing front-end libraries (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "${1:-}" = "--dev" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium for the browser tests"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi

# The compiled translations (.mo) are kept in the repository, so no gettext tools are needed here.
