#!/usr/bin/env bash
# Runs every test of SIPKATDES: the Rust suite on SQLite, the same suite on PostgreSQL, and the
# browser tests (Playwright driving Debian's chromium). It first installs what is missing
# (chromium, poppler-utils, the PostgreSQL client, Tesseract and its Indonesian model with
# apt-get; cargo-nextest; the npm packages of e2e/) and starts a local PostgreSQL that is
# installed but stopped.
#
#   SIPKATDES_TEST_DATABASE_URL  PostgreSQL server for the second run
#                                (default postgres://postgres@127.0.0.1:5432/postgres);
#                                each test creates its own database there.
#   SIPKATDES_SKIP_PG=1          skip the PostgreSQL run (not allowed when CI=true)
#   SIPKATDES_SKIP_E2E=1         skip the browser tests (not allowed when CI=true)
#   SIPKATDES_SKIP_FUZZ=1        skip the fuzzers and Schemathesis (not allowed when CI=true)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/sipkatdes/target}"
PG_URL="${SIPKATDES_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
CI="${CI:-}"

# Everything the tests need, installed when missing (a fresh Debian machine: apt-get, cargo,
# npm), so that this one command runs on a new machine as it runs in CI.
echo "== Installing what is missing"
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
# The SK check reads scans with Tesseract 5 and its Indonesian model (tests cover both paths).
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
[ -f /usr/share/tesseract-ocr/5/tessdata/ind.traineddata ] || missing+=(tesseract-ocr-ind)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo_=""
    [ "$(id -u)" -eq 0 ] || sudo_="sudo"
    $sudo_ apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -q "${missing[@]}"
  else
    echo "Tidak dapat memasang ${missing[*]}: apt-get tidak ada. Pasang sendiri lalu ulangi." >&2
    exit 1
  fi
fi
command -v cargo-nextest >/dev/null 2>&1 || cargo install cargo-nextest --locked
(cd e2e && { [ -d node_modules/playwright-core ] && [ -d node_modules/axe-core ] || npm ci --silent; })

# A PostgreSQL server on this machine that is installed but not running is started.
if [ -z "${SIPKATDES_SKIP_PG:-}" ] || [ -n "$CI" ]; then
  if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null &&
    [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
fi

# Issue 15, point 11: the parsers of outside input fuzzed for a bounded time, and Schemathesis
# against the OpenAPI document with every role's token (both fail on any crash or 5xx). The
# fuzz build lives outside the clone so that a second run does not build it cold again.
if [ -n "${SIPKATDES_SKIP_FUZZ:-}" ] && [ -z "$CI" ]; then
  echo "== Fuzzing and Schemathesis skipped (SIPKATDES_SKIP_FUZZ)"
else
  echo "== Fuzzing the parsers of outside input (bounded)"
  SIPKATDES_FUZZ_TARGET_DIR="${SIPKATDES_FUZZ_TARGET_DIR:-$HOME/.cache/sipkatdes/fuzz-target}" bash scripts/fuzz.sh
  echo "== Schemathesis against the OpenAPI document, every role"
  cargo build --locked --bin sipkatdes
  bash scripts/schemathesis.sh
fi

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
  (cd e2e && SIPKATDES_BIN="$CARGO_TARGET_DIR/debug/sipkatdes" npm test)
fi
