#!/usr/bin/env bash
# Build the database and serve the app. A data error keeps the last good database:
# the app is then served from it and the errors are printed above the server log.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
if ! "$BIN/python" -m kawasaki build; then
  if [ -f "${KAWASAKI_DB:-data/kawasaki.duckdb}" ]; then
    echo "!! The data files have errors (listed above); serving the last good database." >&2
  else
    echo "!! The data files have errors (listed above) and there is no database yet." >&2
    exit 1
  fi
fi
exec "$BIN/python" -m kawasaki serve --server.port "${PORT:-8501}"
