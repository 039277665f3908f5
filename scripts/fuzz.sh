#!/usr/bin/env bash
# Fuzzes the parsers that take outside input (issue 15, point 11): NIK and NIP, typed dates,
# region codes, the CSV/XLSX import (read and previewed), the SK upload check (PDF, JPEG, PNG,
# active content and automatic actions of a PDF) and the multipart reader. The targets are in
# fuzz/ (a cargo-fuzz crate outside the application's workspace); each runs for a bounded time
# from its seeds in fuzz/corpus/<target>/, and the script fails when any target crashes,
# panics, fails an assertion, leaks past the memory limit or hangs on one input.
#
# Stable Rust is enough: the targets are built without a sanitizer (`--sanitizer none`, the
# only nightly-only flag cargo-fuzz would pass), with libFuzzer's coverage instrumentation.
#
#   SIPKATDES_FUZZ_SECONDS     seconds per target (default 30)
#   SIPKATDES_FUZZ_TARGETS     the targets to run, separated by spaces (default: all)
#   SIPKATDES_FUZZ_TARGET_DIR  cargo's target directory for the fuzz build (default fuzz/target)
#
# A crash leaves its input in fuzz/artifacts/<target>/; replay it with
#   fuzz/target/x86_64-unknown-linux-gnu/release/<target> fuzz/artifacts/<target>/<file>
set -euo pipefail
cd "$(dirname "$0")/.."

DETIK="${SIPKATDES_FUZZ_SECONDS:-30}"
TARGET_DIR="${SIPKATDES_FUZZ_TARGET_DIR:-$PWD/fuzz/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$PWD/$TARGET_DIR" ;; esac
TRIPLE="x86_64-unknown-linux-gnu"
CARGO_FUZZ_VERSION="0.13.2"
mulai=$SECONDS

echo "== Fuzzing: installing what is missing"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  timeout 1200 cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
fi
# libFuzzer itself is C++, compiled by libfuzzer-sys's build script.
if ! command -v c++ >/dev/null 2>&1; then
  sudo_=""
  [ "$(id -u)" -eq 0 ] || sudo_="sudo"
  $sudo_ apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -q g++
fi

flags=(--fuzz-dir fuzz --sanitizer none -O --codegen-units 16 --target-dir "$TARGET_DIR")

echo "== Fuzzing: building the targets (stable Rust, no sanitizer)"
# The lock file in fuzz/ is the application's own plus libFuzzer: refuse to change it here
# (cargo fuzz build has no --locked of its own).
cargo metadata --locked --format-version 1 --manifest-path fuzz/Cargo.toml >/dev/null
if ! timeout 2400 cargo fuzz build "${flags[@]}" 2>&1 |
  { grep -vE '^\s+(Compiling|Downloaded|Downloading|Fresh)\b' || true; }; then
  echo "Fuzzing: build failed" >&2
  exit 1
fi
dibangun=$((SECONDS - mulai))

targets="${SIPKATDES_FUZZ_TARGETS:-$(cargo fuzz list --fuzz-dir fuzz)}"
gagal=()
bersih=0
for t in $targets; do
  bin="$TARGET_DIR/$TRIPLE/release/$t"
  [ -x "$bin" ] || { echo "Fuzzing: no binary for target $t at $bin" >&2; exit 1; }
  korpus="$TARGET_DIR/korpus/$t" # what the fuzzer finds, kept between runs on one machine
  artefak="fuzz/artifacts/$t"
  log="$TARGET_DIR/log/$t.log"
  mkdir -p "$korpus" "$artefak" "$(dirname "$log")"
  echo "== Fuzzing $t for ${DETIK}s"
  set +e
  # libFuzzer stops itself after -max_total_time; `timeout` is the backstop should it not.
  # -timeout: one input taking longer than that is a failure (a hang).
  timeout -k 10 $((DETIK + 120)) "$bin" "$korpus" "fuzz/corpus/$t" \
    -max_total_time="$DETIK" -timeout=25 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$artefak/" >"$log" 2>&1
  rc=$?
  set -e
  # The last progress line (coverage, corpus, speed) and the final counters.
  grep -E '^#[0-9]+' "$log" | tail -n 1 || true
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" | tr '\n' ' ' || true
  echo
  if [ "$rc" -eq 0 ]; then
    bersih=$((bersih + 1))
  else
    gagal+=("$t")
    echo "Fuzzing $t FAILED (exit $rc); its log:" >&2
    grep -vE '^#[0-9]+' "$log" | tail -n 60 >&2
    ls -1 "$artefak" >&2 || true
  fi
done

echo "== Fuzzing: ${bersih} target(s) without a finding, ${#gagal[@]} with one; build ${dibangun}s, total $((SECONDS - mulai))s"
if [ ${#gagal[@]} -gt 0 ]; then
  echo "Fuzzing found failures in: ${gagal[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
