#!/usr/bin/env bash
# bench/page.sh — the web page's budgets in headless Chromium (software
# WebGL: ANGLE on SwiftShader, compositing on it as a browser with a
# graphics card composites on its GPU), driven by the benchmarks of wasm/e2e
# against the built site served by cmd/serve on 127.0.0.1, each visit with an
# empty cache, in a Chromium of its own:
#   - time from navigation to the first animated frame of every shipped view
#     of both networks, from layouts precomputed by cmd/layouts (budget ≤ 2 s
#     each; a table), the default view's against its peer in the same run: the
#     same view with a non-default seed, computed live;
#   - four MLP views fully computed live, in the page's computing workers:
#     the layers view with seed 1 and n = 2000 (budget ≤ 5 s), the neurons
#     view with seed 1 (≤ 5 s), the epochs view of layer 4 with seed 1 (one
#     joint t-SNE of 8 checkpoints × 2000 digits, ≤ 15 s) and the layers view
#     with n = 10000 (≤ 60 s), each against its peer in the same run: the
#     same computation on one thread as js/wasm under Node (bench/live;
#     budget: page ÷ Node ≤ 0.6 with two cores), and the same in CPU time
#     (user + system time of the page's worker threads as the kernel counts
#     it, and of Node): the view's worker ÷ Node, what it would be if nothing
#     else ran; and the CPU time of every thread of the browser while the
#     view computes (workers, main thread, the GPU process drawing WebGL with
#     SwiftShader), whose sum ÷ the cores bounds its wall time;
#   - the main thread while each of them computes: no long task over 50 ms
#     (and, from a Chrome trace, how many used over 50 ms of the thread's CPU
#     time: the page's own work, whatever the load), and its frame rate ≥
#     0.8 × the frame rate of the same view once computed;
#   - first-view download, compressed as sent (budget ≤ 8 MB), against the
#     same bytes decoded, and all of models/ as committed (budget ≤ 16 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.bash
bash scripts/install-deps >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
browser_bench page 'BenchmarkFirstView|BenchmarkLive' "$out"
need node nodejs
GOOS=js GOARCH=wasm go build -o "$out.live.wasm" ./bench/live
# live_views: benchmark|URL query|what it is|budget (s), one per live view
live_views=(
  'LiveLayers|seed=1&n=2000|MLP layers view, seed 1, n 2000|5'
  'LiveNeurons|view=neurons&seed=1|MLP neurons view, seed 1|5'
  'LiveEpochs|view=epochs&layer=4&seed=1&n=2000|MLP epochs view, layer 4, 8 × 2000, joint|15'
  'LiveTenThousand|n=10000|MLP layers view, n 10000|60'
)
declare -A node_s node_cpu
for v in "${live_views[@]}"; do
  IFS='|' read -r bench query _ _ <<<"$v"
  node_s[$bench]=$(/usr/bin/time -o "$out.cpu" -f '%U %S' node "$(go env GOROOT)/lib/wasm/wasm_exec_node.js" "$out.live.wasm" -query "$query" | sed -n 's/.*seconds=//p')
  node_cpu[$bench]=$(awk '{ print $1 + $2 }' "$out.cpu")
done
rm -f "$out.cpu" "$out.live.wasm"
awk '/^Benchmark/ { b = $1; sub(/-[0-9]+$/, "", b) }
  /bytes sent|not fetched by|first animated frame after|phases of|live view/ { sub(/^ *bench_test.go:[0-9]*: /, ""); print "  " b ": " $0 }' "$out" | sort -u
echo
echo "first animated frame of every shipped view of both networks (median of cold visits, each in a fresh Chromium closed before the next):"
sed -nE 's/.*view (\S+): first animated frame ([0-9]+) ms \(median of \[([^]]*)\]\), precomputed (true|false), ([0-9.]+) MB sent.*/\1 \2 \4 \5 \3/p' "$out" |
  awk 'BEGIN { printf "  %-44s %10s %8s %8s  %-11s %-7s  %s\n", "view (URL query)", "measured", "budget", "MB sent", "layouts", "verdict", "visits (ms)" }
  { v = ""; for (i = 5; i <= NF; i++) v = v " " $i; ok += ($2 <= 2000); n++
    printf "  %-44s %8.2f s %6.2f s %8.2f  %-11s %s %s\n", $1, $2 / 1000, 2, $4, $3 == "true" ? "precomputed" : "LIVE", $2 <= 2000 ? "met    " : "NOT met", v }
  END { printf "  %d of %d views within the 2 s budget\n", ok, n }'
echo

metric() { # metric BENCH NAME: the value benchmark BENCH reported before the unit NAME
  awk -v b="Benchmark$1" -v m="$2" '$1 ~ "^"b"(-[0-9]+)?$" { for (i = 2; i <= NF; i++) if ($i == m) print $(i - 1) }' "$out"
}
first() { metric FirstView "$1"; }
awk -v first="$(first first-frame-ms)" -v pre="$(first precomputed)" -v livefirst="$(metric LiveLayers live-first-frame-ms)" \
  -v mb="$(first first-view-MB)" -v raw="$(first first-view-raw-MB)" -v mbc="$(first first-view-with-checkpoints-MB)" \
  -v models="$(du -cb models/* | tail -1 | cut -f1)" -v loaded="$(first wasm-loaded-ms)" -v gomain="$(first go-main-ms)" -v ready="$(first game-ready-ms)" '
function verdict(ok) { return ok ? "met" : "NOT met" }
BEGIN {
  printf "%-58s %10s %10s %8s  %s\n", "page figure", "measured", "budget", "ratio", "verdict"
  printf "%-58s %8.2f s %8.2f s %7.2f×  %s%s\n", "first animated frame, default view", first / 1000, 2, first / 2000,
    verdict(first <= 2000), pre == 1 ? " (precomputed layouts)" : " (layouts NOT precomputed: computed live)"
  printf "%-58s %8.2f MB %7.2f MB %7.2f×  %s\n", "first-view download, compressed as sent", mb, 8, mb / 8, verdict(mb <= 8)
  printf "%-58s %8.2f MB %7.2f MB %7.2f×  %s\n", "  + final checkpoints of both networks (budget definition)", mbc, 8, mbc / 8, verdict(mbc <= 8)
  printf "%-58s %8.2f MB %7.2f MB %7.2f×  %s\n", "all of models/, as committed", models / 1e6, 16, models / 16e6, verdict(models <= 16e6)
  printf "default view timeline (medians): main.wasm compiled %.2f s, Go main %.2f s, game running %.2f s, first animated frame %.2f s\n", loaded / 1000, gomain / 1000, ready / 1000, first / 1000
  printf "peers in this run: live layers view first frame / default view first frame = %.1f×; download decoded / sent = %.2f× (%.2f MB decoded)\n",
    livefirst / first, raw / mb, raw
}'
for v in "${live_views[@]}"; do
  IFS='|' read -r bench query what budget <<<"$v"
  echo
  echo "live view ?$query (Benchmark$bench), computed in the page's workers, against the same computation under Node on one thread:"
  awk -v what="$what" -v budget="$budget" -v node="${node_s[$bench]}" -v nodecpu="${node_cpu[$bench]}" \
    -v live="$(metric "$bench" live-done-ms)" -v compute="$(metric "$bench" live-compute-ms)" \
    -v over50="$(metric "$bench" longtasks-over-50ms)" -v longest="$(metric "$bench" longest-task-ms)" \
    -v over50cpu="$(metric "$bench" longtasks-over-50ms-cpu)" -v longestcpu="$(metric "$bench" longest-task-cpu-ms)" \
    -v busiest="$(metric "$bench" busiest-worker-cpu-ms)" -v workers="$(metric "$bench" workers-cpu-ms)" \
    -v gpu="$(metric "$bench" gpu-process-cpu-ms)" -v mainth="$(metric "$bench" main-thread-cpu-ms)" -v rother="$(metric "$bench" renderer-other-cpu-ms)" \
    -v others="$(metric "$bench" other-processes-cpu-ms)" -v cores="$(nproc)" \
    -v fps="$(metric "$bench" fps-busy-over-idle)" -v startup="$(metric "$bench" startup-longest-task-ms)" '
function verdict(ok) { return ok ? "met" : "NOT met" }
BEGIN {
  printf "%-58s %8.2f s %8.2f s %7.2f×  %s\n", what ", fully computed live", live / 1000, budget, live / 1000 / budget, verdict(live <= budget * 1000)
  printf "%-58s %8.2f   %8.2f   %7.2f×  %s\n", "  page (navigation to done) ÷ same computation, Node, 1 thread", live / 1000 / node, 0.6, live / 1000 / node / 0.6, verdict(live / 1000 / node <= 0.6)
  printf "%-58s %8.2f   %8.2f   %7.2f×  %s\n", "  page (game running to done) ÷ the same", compute / 1000 / node, 0.6, compute / 1000 / node / 0.6, verdict(compute / 1000 / node <= 0.6)
  printf "%-58s %8.2f   %8.2f   %7.2f×  %s\n", "  the same in CPU time: the busiest worker ÷ Node", busiest / 1000 / nodecpu, 0.6, busiest / 1000 / nodecpu / 0.6, sprintf("(%.1f s ÷ %.1f s; all workers %.1f s)", busiest / 1000, nodecpu, workers / 1000)
  all = workers + mainth + rother + gpu + others
  printf "  the browser'"'"'s CPU time until done: workers %.1f s, main thread %.1f s, its other threads %.1f s, GPU process (SwiftShader) %.1f s, other processes %.1f s: %.1f s of CPU, %.1f s on %d cores\n",
    workers / 1000, mainth / 1000, rother / 1000, gpu / 1000, others / 1000, all / 1000, all / 1000 / cores, cores
  printf "%-58s %8d   %8d      %5s  %s (longest %.0f ms)\n", "  main-thread long tasks over 50 ms while computing", over50, 0, "", verdict(over50 == 0), longest
  printf "%-58s %8d   %8s      %5s  (longest %.0f ms of CPU; wall time beyond it is waiting for a core)\n", "    of them, tasks that used over 50 ms of thread CPU time", over50cpu, "", "", longestcpu
  printf "%-58s %8.0f ms %6s      %5s  %s\n", "  longest main-thread task at start-up (Go init, WebGL context)", startup, "", "", "(before the first update of the game; not computing)"
  printf "%-58s %8.2f   %8.2f   %7.2f×  %s\n", "  frame rate while computing ÷ once computed", fps, 0.8, fps / 0.8, verdict(fps >= 0.8)
  printf "  Node, 1 thread: %.2f s (%.2f s of CPU)\n", node, nodecpu
}'
done
