#!/usr/bin/env bash
# Runs every test of SIPKATDES: the Rust suite on SQLite, the same suite on PostgreSQL, and the
# browser tests (Playwright driving Debian's chromium).
#
#   SIPKATDES_TEST_DATABASE_URL  PostgreSQL server for the second run
#                                (default postgres://postgres@127.0.0.1:5432/postgres);
#                                each test creates its own database there.
#   SIPKATDES_SKIP_PG=1          skip the PostgreSQL run (not allowed when CI=true)
#   SIPKATDES_SKIP_E2E=1         skip the browser tests (not allowed when CI=true)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/sipkatdes/target}"
PG_URL="${SIPKATDES_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
CI="${CI:-}"

echo "== Rust tests on SQLite"
SIPKATDES_TEST_DATABASE_URL= cargo nextest run --locked --no-fail-fast

if [ -n "${SIPKATDES_SKIP_PG:-}" ] && [ -z "$CI" ]; then
  echo "== PostgreSQL run skipped (SIPKATDES_SKIP_PG)"
else
  echo "== Rust tests on PostgreSQL ($PG_URL)"
  if command -v psql >/dev/null 2>&1; then
    # Databases left by earlier runs.
    psql "$PG_URL" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'sipkatdes_t_%'" 2>/dev/null |
      while read -r db; do psql "$PG_URL" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true; done
  fi
  SIPKATDES_TEST_DATABASE_URL="$PG_URL" cargo nextest run --locked --no-fail-fast
fi

if [ -n "${SIPKATDES_SKIP_E2E:-}" ] && [ -z "$CI" ]; then
  echo "== Browser tests skipped (SIPKATDES_SKIP_E2E)"
else
  echo "== Browser tests (Playwright, Debian chromium)"
  cargo build --locked --bin sipkatdes
  (cd e2e && { [ -d node_modules/playwright-core ] || npm ci --silent; } &&
    SIPKATDES_BIN="$CARGO_TARGET_DIR/debug/sipkatdes" npm test)
fi
