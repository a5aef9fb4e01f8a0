#!/usr/bin/env bash
# Back up the PostgreSQL database in DATABASE_URL, restore it into a fresh database, and compare row counts of
# every table and the district summary. Exits non-zero on any difference.
#   DATABASE_URL=postgres://user@host:5432/gaizao scripts/backup_restore_check.sh [backup-file]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
backup=${1:-"gaizao-$(date +%Y%m%d-%H%M%S).dump"}
restored_db="gaizao_restore_check_$$"
restored_url="${DATABASE_URL%/*}/${restored_db}"
admin_url="${DATABASE_URL%/*}/postgres"

echo "== backup → $backup"
pg_dump --format=custom --no-owner --file="$backup" "$DATABASE_URL"
echo "== restore into $restored_db"
psql "$admin_url" -q -c "CREATE DATABASE $restored_db"
trap 'psql "$admin_url" -q -c "DROP DATABASE IF EXISTS $restored_db"' EXIT
pg_restore --no-owner --dbname="$restored_url" "$backup"

counts() {
  psql "$1" -At -c "SELECT string_agg(format('%s=%s', table_name,
      (xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I', table_name), false, true, '')))[1]::text),
      ' ' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
}
echo "== row counts"
before=$(counts "$DATABASE_URL")
after=$(counts "$restored_url")
if [ "$before" != "$after" ]; then
  echo "row counts differ:"; diff <(tr ' ' '\n' <<<"$before") <(tr ' ' '\n' <<<"$after") || true; exit 1
fi
echo "$(wc -w <<<"$before") tables, same row counts"
echo "== district summary"
a=$(.venv/bin/gaizao summary --json)
b=$(DATABASE_URL="$restored_url" .venv/bin/gaizao summary --json)
if [ "$a" != "$b" ]; then echo "summaries differ"; diff <(echo "$a") <(echo "$b") || true; exit 1; fi
echo "same summary: OK"
