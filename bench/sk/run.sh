#!/bin/sh
# The SK reading bench (issue 13): builds the release example, then generates, reads and
# compares; see README.md. Any argument goes to the example, e.g.
#   bench/sk/run.sh --jumlah 40 --kondisi teks,pindai200
# Long: ~1000 readings, most of them OCR. Run it in the background:
#   nohup bench/sk/run.sh > bench/sk/hasil/run.log 2>&1 &
set -eu
cd "$(dirname "$0")/../.."
mkdir -p bench/sk/hasil
# One page on one core: the bench reads two documents at once on the two cores.
export OMP_THREAD_LIMIT=1
cargo build --release --example sk_bench
BIN="${CARGO_TARGET_DIR:-target}/release/examples/sk_bench"
# Bounded: a stuck reading never holds the machine for more than four hours.
exec timeout 4h nice -n 5 "$BIN" "$@"
