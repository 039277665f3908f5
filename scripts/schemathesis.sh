#!/usr/bin/env bash
# Runs Schemathesis (property-based API tests generated from the OpenAPI document) against a
# fresh SIPKATDES server, once per role with that role's API token and once without a token
# (issue 15, point 11). The server is set up on a temporary data directory and a free port
# (Kecamatan Halong, one account per role, a few fictitious officials per desa), and stopped
# at the end whatever happens.
#
# Checks: no response is a server error (5xx); every status code, content type and response
# body is one the document declares for that operation.
#
#   SIPKATDES_BIN                   the binary (default: the debug build in CARGO_TARGET_DIR,
#                                   built when missing)
#   SIPKATDES_SCHEMATHESIS_EXAMPLES test cases per operation and phase (default 25)
#   SIPKATDES_SCHEMATHESIS_SECONDS  time limit of one role's run (default 420)
#   SIPKATDES_SCHEMATHESIS_SEED     Schemathesis's random seed (default 1: CI runs repeat)
#   SIPKATDES_SCHEMATHESIS_ROLES    the runs, separated by spaces (default: every role and anonim)
#   SIPKATDES_SCHEMATHESIS_VENV     where Schemathesis is installed (a Python virtualenv)
#
#   SIPKATDES_SCHEMATHESIS_LOGS     where each run's output is kept, <role>.log, with a curl
#                                   command reproducing each failure
#                                   (default ~/.cache/sipkatdes/schemathesis-log)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/sipkatdes/target}"
BIN="${SIPKATDES_BIN:-$CARGO_TARGET_DIR/debug/sipkatdes}"
ST_VERSION="4.32.5"
VENV="${SIPKATDES_SCHEMATHESIS_VENV:-$HOME/.cache/sipkatdes/schemathesis-$ST_VERSION}"
CONTOH="${SIPKATDES_SCHEMATHESIS_EXAMPLES:-25}"
BATAS_DETIK="${SIPKATDES_SCHEMATHESIS_SECONDS:-420}"
BENIH="${SIPKATDES_SCHEMATHESIS_SEED:-1}"
PERAN="${SIPKATDES_SCHEMATHESIS_ROLES:-admin kabupaten kecamatan operator kepala_desa anonim}"
SANDI="kuda-lari-cepat-9"
LOG_DIR="${SIPKATDES_SCHEMATHESIS_LOGS:-$HOME/.cache/sipkatdes/schemathesis-log}"
mulai=$SECONDS

echo "== Schemathesis: installing what is missing"
if ! "$VENV/bin/st" --version 2>/dev/null | grep -qF "$ST_VERSION"; then
  python3 -m venv "$VENV" 2>/dev/null || {
    sudo_=""
    [ "$(id -u)" -eq 0 ] || sudo_="sudo"
    $sudo_ apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -q python3-venv
    python3 -m venv "$VENV"
  }
  timeout 900 "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$ST_VERSION"
fi
command -v curl >/dev/null 2>&1 || { echo "curl is needed" >&2; exit 1; }
if [ ! -x "$BIN" ]; then
  timeout 2400 cargo build --locked --bin sipkatdes
fi

kerja="$(mktemp -d)"
data="$kerja/data"
server_pid=""
berhenti() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$kerja"
}
trap berhenti EXIT
trap 'exit 130' INT TERM

sk() { RUST_LOG="${RUST_LOG:-warn}" timeout 600 "$BIN" --data-dir "$data" "$@"; }

echo "== Schemathesis: a fresh instance (Kecamatan Halong) in $data"
sk init --kecamatan 63.11.02 >/dev/null
tambah() { # username role scope
  printf '%s\n' "$SANDI" | sk user add --username "$1" --role "$2" --scope "$3" --password-stdin >/dev/null
}
tambah admin admin ""
tambah kabupaten.balangan kabupaten 63.11
tambah kecamatan.halong kecamatan 63.11.02
tambah operator.hauwai operator 63.11.02.2001
tambah kades.hauwai kepala_desa 63.11.02.2001
sk generate --per-desa 2 >/dev/null

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$port"
# No background OCR (not what is tested here); no rate limit on the public register (the
# runs would see 429s instead of answers).
RUST_LOG="${RUST_LOG:-warn}" "$BIN" --data-dir "$data" serve --listen "127.0.0.1:$port" \
  --public-rate 0 --sk-pekerja 0 >"$kerja/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -fsS -m 2 -o /dev/null "$BASE/api/v1/openapi.json" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$kerja/server.log" >&2; echo "the server stopped" >&2; exit 1; }
  sleep 0.5
done
curl -fsS -m 5 -o "$kerja/openapi.json" "$BASE/api/v1/openapi.json"

token() { # username
  curl -fsS -m 30 -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$SANDI\"}" "$BASE/api/v1/auth/token" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}
declare -A akun=([admin]=admin [kabupaten]=kabupaten.balangan [kecamatan]=kecamatan.halong
  [operator]=operator.hauwai [kepala_desa]=kades.hauwai)

# Real ids for the path parameters, so that most requests reach a record rather than a 404:
# the desa of the scope, the officials of Desa Hauwai and of another desa, their documents.
tok_admin="$(token admin)"
api() { curl -fsS -m 30 -H "Authorization: Bearer $tok_admin" "$BASE/api/v1/$1"; }
api "desa/63.11.02.2001/perangkat" >"$kerja/hauwai.json"
api "desa/63.11.02.2002/perangkat" >"$kerja/lain.json"
python3 - "$kerja" <<'PY'
import json, sys, pathlib
kerja = pathlib.Path(sys.argv[1])
def baris(f):
    d = json.loads((kerja / f).read_text())
    return d if isinstance(d, list) else d.get("data") or d.get("items") or d.get("perangkat") or []
ids = [r["id"] for f in ("hauwai.json", "lain.json") for r in baris(f) if "id" in r]
kode = ["63.11.02.2001", "63.11.02.2002", "63.11.02", "63.11", "63", "63.11.01", "11.01.01.2001"]
def daftar(nilai):
    return "[" + ", ".join(json.dumps(v) for v in nilai) + "]"
(kerja / "schemathesis.toml").write_text(f"""
[dictionaries.kode]
values = {daftar(kode)}
[dictionaries.id]
values = {daftar(ids + [999999])}
[parameters]
"path.kode" = {{ dictionary = "kode", probability = 0.8 }}
"path.id" = {{ dictionary = "id", probability = 0.8 }}
"query.desa" = {{ dictionary = "kode", probability = 0.5 }}
""")
print(f"ids for the path parameters: {len(ids)} officials")
PY

mkdir -p "$LOG_DIR"
gagal=()
for peran in $PERAN; do
  header=()
  if [ "$peran" != anonim ]; then
    header=(-H "Authorization: Bearer $(token "${akun[$peran]}")")
  fi
  log="$LOG_DIR/$peran.log"
  echo "== Schemathesis as $peran (at most $CONTOH cases per operation and phase, ${BATAS_DETIK}s)"
  set +e
  # DELETE /auth/token would revoke the run's own token: every later request a 401.
  (cd "$kerja" && timeout -k 15 "$BATAS_DETIK" "$VENV/bin/st" --config-file "$kerja/schemathesis.toml" \
    run "$BASE/api/v1/openapi.json" "${header[@]}" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --exclude-operation-id token_cabut \
    --max-examples "$CONTOH" --seed "$BENIH" --workers "${SIPKATDES_SCHEMATHESIS_WORKERS:-1}" \
    --request-timeout 60 --no-color --output-truncate false) >"$log" 2>&1
  rc=$?
  set -e
  kill -0 "$server_pid" 2>/dev/null || { echo "the server stopped during the run as $peran" >&2; rc=99; }
  # The run's summary (and, on failure, each failure with its curl command).
  if [ "$rc" -eq 0 ]; then
    { grep -A1 -E '^Test cases:' "$log" | tail -n 1; tail -n 1 "$log"; } || true
  else
    gagal+=("$peran")
    echo "Schemathesis as $peran FAILED (exit $rc):" >&2
    sed -n '/FAILURES/,$p' "$log" | head -n 400 >&2
    [ "$rc" -eq 124 ] && echo "(stopped after ${BATAS_DETIK}s)" >&2
  fi
done

if grep -qE 'panicked|ERROR' "$kerja/server.log"; then
  echo "== The server's log has errors:" >&2
  grep -E 'panicked|ERROR' "$kerja/server.log" | head -n 40 >&2
fi
echo "== Schemathesis: $(($(wc -w <<<"$PERAN") - ${#gagal[@]})) run(s) clean, ${#gagal[@]} with failures; $((SECONDS - mulai))s (logs in $LOG_DIR)"
if [ ${#gagal[@]} -gt 0 ]; then
  echo "Schemathesis found failures as: ${gagal[*]}" >&2
  exit 1
fi
