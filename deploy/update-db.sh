#!/usr/bin/env bash
# Roll out a rebuilt database to this machine without stopping anything.
#
#   deploy/update-db.sh build   [DATA_DIR]  # build here from the data files (the CI way: `make db`)
#   deploy/update-db.sh fetch   URL         # download one built elsewhere (object store, release)
#
# Either way the new file is written next to the live one under a temporary name,
# checked (it opens read-only, has the expected schema version and tables), and then
# renamed over the live file. A rename is atomic: every process sees either the old
# file or the new one. The app identifies the database by (path, mtime, inode) on each
# request, so the next request of every session, old ones included, reads the new file;
# queries already running finish on the old one, which disappears when they close it.
# The previous file is kept as kawasaki.duckdb.previous (rollback: rename it back).
set -euo pipefail
LIVE="${KAWASAKI_DB:-/srv/kawasaki/db/kawasaki.duckdb}"
APP="${KAWASAKI_APP:-/srv/kawasaki/app}"
PY="$APP/.venv/bin/python"
DIR="$(dirname "$LIVE")"
TMP="$(mktemp "$DIR/.kawasaki.duckdb.XXXXXX")"
trap 'rm -f "$TMP" "$TMP.wal"' EXIT
rm -f "$TMP"  # DuckDB wants to create the file itself

case "${1:-}" in
  build) (cd "$APP" && "$PY" -m kawasaki build --data "${2:-$APP/data}" --db "$TMP") ;;
  fetch) curl --fail --silent --show-error --location --output "$TMP" "${2:?URL of the database file}" ;;
  *) echo "usage: $0 build [DATA_DIR] | fetch URL" >&2; exit 2 ;;
esac

# A short form of the check the app makes before it uses a file (kawasaki.web.db.problem):
(cd "$APP" && KAWASAKI_DB="$TMP" "$PY" - <<'PY'
import duckdb, os
from kawasaki.schema import SCHEMA_VERSION
con = duckdb.connect(os.environ["KAWASAKI_DB"], read_only=True)
version = con.execute("SELECT max(schema_version) FROM build_info").fetchone()[0]
kpis = con.execute("SELECT count(*) FROM kpis").fetchone()[0]
assert version == SCHEMA_VERSION, f"schema version {version}, the app expects {SCHEMA_VERSION}"
assert kpis > 0, "no KPIs"
print(f"checked: schema {version}, {kpis} KPIs")
PY
)
chmod 644 "$TMP"
[ -f "$LIVE" ] && ln -f "$LIVE" "$LIVE.previous"
mv -f "$TMP" "$LIVE"
trap - EXIT
echo "now serving $(ls -l "$LIVE")"
