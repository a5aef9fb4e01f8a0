#!/usr/bin/env bash
# Serves gaizao for local use: the background worker (census imports) and the web server, stopped together.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

.venv/bin/gaizao db_worker --interval 0.5 --no-startup-delay &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
.venv/bin/gaizao runserver --noreload "$HOST:$PORT"
