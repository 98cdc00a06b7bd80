#!/usr/bin/env bash
# bench/hostile.sh — the hostile-input budget in headless Chromium
# (software WebGL): every case of TestHostile (bad addresses, tampered,
# oversized, bomb and missing assets, crashes) must never block the page
# for more than 200 ms (DESIGN.md §4). Prints per case the longest task of
# the whole visit (the budget's figure) and of its part once the game ran,
# against the peer in the same run: the benign shipped default view opened to its first
# animated frame (or, for the cases computed live, the live view until its
# assets are decoded). Run by bench/run (make bench); wasm/e2e's
# BenchmarkHostile does the work.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.bash
bash scripts/install-deps >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
start_cpu=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
browser_bench hostile '^BenchmarkHostile$' "$out"
sed -n 's/^ *hostile_bench_test.go:[0-9]*: hostile: /  /p' "$out"
cpu=$(awk -v t0="$start_cpu" -v tck="$(getconf CLK_TCK)" '{ printf "%.0f", ($14 + $15 + $16 + $17 - t0) / tck }' /proc/$$/stat)
echo "(CPU time of the benchmark and its browser: ${cpu} s; wall-clock figures are noisy on a loaded machine, compare with the peer)"
