#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 and that the test database exists.
# Used by .ci/run and by developers before `npm run test:int`. On this project's machines PostgreSQL 15
# is installed and started before the session; if it has stopped, start it the same way. Elsewhere, set
# COORD_TEST_PG_URL to a server of your own and this script only checks it.
set -euo pipefail
URL="${COORD_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"

ready() { pg_isready -d "$URL" -q 2>/dev/null || psql "$URL" -Atqc 'select 1' >/dev/null 2>&1; }

if ! ready; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    for v in $(ls /etc/postgresql); do
      pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
    done
  fi
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
if ! ready; then
  # the server may be up without the test database
  base="${URL%/*}/postgres"
  if psql "$base" -Atqc 'select 1' >/dev/null 2>&1; then
    db="${URL##*/}"; db="${db%%\?*}"
    psql "$base" -qc "create database \"$db\"" >/dev/null
  fi
fi
ready || { echo "PostgreSQL is not reachable at $URL" >&2; exit 1; }
echo "PostgreSQL ready at $URL"
