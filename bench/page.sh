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
#   - the MLP layers view with seed 1 and n = 2000 fully computed live, in the
#     page's computing workers (budget ≤ 5 s), against its peer in the same
#     run: the same computation on one thread as js/wasm under Node
#     (bench/live; budget: page ÷ Node ≤ 0.6 with two cores), and the same
#     in CPU time (user + system time of the page's worker threads as the
#     kernel counts it, and of Node): the view's worker ÷ Node, what it would
#     be if nothing else ran; and the CPU time of every thread of the browser
#     while the view computes (workers, main thread, the GPU process drawing
#     WebGL with SwiftShader), whose sum ÷ the cores bounds its wall time;
#   - the main thread while that view computes: no long task over 50 ms (and,
#     from a Chrome trace, how many used over 50 ms of the thread's CPU time:
#     the page's own work, whatever the load), and its frame rate ≥ 0.8 × the
#     frame rate of the same view once computed;
#   - first-view download, compressed as sent (budget ≤ 8 MB), against the
#     same bytes decoded, and all of models/ as committed (budget ≤ 16 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.bash
bash scripts/install-deps >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
browser_bench page 'BenchmarkFirstView|BenchmarkLiveLayers' "$out"
need node nodejs
GOOS=js GOARCH=wasm go build -o "$out.live.wasm" ./bench/live
node_s=$(/usr/bin/time -o "$out.cpu" -f '%U %S' node "$(go env GOROOT)/lib/wasm/wasm_exec_node.js" "$out.live.wasm" -query 'seed=1&n=2000' | sed -n 's/.*seconds=//p')
node_cpu=$(awk '{ print $1 + $2 }' "$out.cpu")
rm -f "$out.cpu"
rm -f "$out.live.wasm"
grep -E 'bytes sent|not fetched by|first animated frame after|phases of|live view' "$out" | sed 's/^ *bench_test.go:[0-9]*: /  /' | sort -u
echo
echo "first animated frame of every shipped view of both networks (median of cold visits, each in a fresh Chromium closed before the next):"
sed -nE 's/.*view (\S+): first animated frame ([0-9]+) ms \(median of \[([^]]*)\]\), precomputed (true|false), ([0-9.]+) MB sent.*/\1 \2 \4 \5 \3/p' "$out" |
  awk 'BEGIN { printf "  %-44s %10s %8s %8s  %-11s %-7s  %s\n", "view (URL query)", "measured", "budget", "MB sent", "layouts", "verdict", "visits (ms)" }
  { v = ""; for (i = 5; i <= NF; i++) v = v " " $i; ok += ($2 <= 2000); n++
    printf "  %-44s %8.2f s %6.2f s %8.2f  %-11s %s %s\n", $1, $2 / 1000, 2, $4, $3 == "true" ? "precomputed" : "LIVE", $2 <= 2000 ? "met    " : "NOT met", v }
  END { printf "  %d of %d views within the 2 s budget\n", ok, n }'
echo

metric() { # metric NAME: the value reported before the unit NAME
  awk -v m="$1" '/^Benchmark/ { for (i = 2; i <= NF; i++) if ($i == m) print $(i - 1) }' "$out"
}
awk -v first="$(metric first-frame-ms)" -v pre="$(metric precomputed)" \
  -v live="$(metric live-done-ms)" -v livefirst="$(metric live-first-frame-ms)" -v node="$node_s" \
  -v compute="$(metric live-compute-ms)" -v over50="$(metric longtasks-over-50ms)" -v longest="$(metric longest-task-ms)" \
  -v over50cpu="$(metric longtasks-over-50ms-cpu)" -v longestcpu="$(metric longest-task-cpu-ms)" \
  -v busiest="$(metric busiest-worker-cpu-ms)" -v workers="$(metric workers-cpu-ms)" -v nodecpu="$node_cpu" \
  -v gpu="$(metric gpu-process-cpu-ms)" -v mainth="$(metric main-thread-cpu-ms)" -v rother="$(metric renderer-other-cpu-ms)" \
  -v others="$(metric other-processes-cpu-ms)" -v cores="$(nproc)" \
  -v fps="$(metric fps-busy-over-idle)" -v startup="$(metric startup-longest-task-ms)" \
  -v mb="$(metric first-view-MB)" -v raw="$(metric first-view-raw-MB)" -v mbc="$(metric first-view-with-checkpoints-MB)" \
  -v models="$(du -cb models/* | tail -1 | cut -f1)" -v loaded="$(metric wasm-loaded-ms)" -v gomain="$(metric go-main-ms)" -v ready="$(metric game-ready-ms)" '
function verdict(ok) { return ok ? "met" : "NOT met" }
BEGIN {
  printf "%-58s %10s %10s %8s  %s\n", "page figure", "measured", "budget", "ratio", "verdict"
  printf "%-58s %8.2f s %8.2f s %7.2f×  %s%s\n", "first animated frame, default view", first / 1000, 2, first / 2000,
    verdict(first <= 2000), pre == 1 ? " (precomputed layouts)" : " (layouts NOT precomputed: computed live)"
  printf "%-58s %8.2f s %8.2f s %7.2f×  %s\n", "MLP layers view, seed 1, n 2000, fully computed live", live / 1000, 5, live / 5000, verdict(live <= 5000)
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
  printf "%-58s %8.2f MB %7.2f MB %7.2f×  %s\n", "first-view download, compressed as sent", mb, 8, mb / 8, verdict(mb <= 8)
  printf "%-58s %8.2f MB %7.2f MB %7.2f×  %s\n", "  + final checkpoints of both networks (budget definition)", mbc, 8, mbc / 8, verdict(mbc <= 8)
  printf "%-58s %8.2f MB %7.2f MB %7.2f×  %s\n", "all of models/, as committed", models / 1e6, 16, models / 16e6, verdict(models <= 16e6)
  printf "default view timeline (medians): main.wasm compiled %.2f s, Go main %.2f s, game running %.2f s, first animated frame %.2f s\n", loaded / 1000, gomain / 1000, ready / 1000, first / 1000
  printf "peers in this run: live view first frame / default view first frame = %.1f×; download decoded / sent = %.2f× (%.2f MB decoded); Node, 1 thread: %.2f s\n",
    livefirst / first, raw / mb, raw, node
}'
