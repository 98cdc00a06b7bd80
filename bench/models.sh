#!/usr/bin/env bash
# bench/models.sh — inference throughput of the shipped MLP and CNN (logits
# and every hidden layer) on the 10,000 MNIST test digits, natively and
# compiled to js/wasm under Node, compared with the lab's TensorFlow
# reference (≈ 1 s MLP, ≈ 7 s CNN for the 10,000 digits) and with each other.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.bash
need node nodejs
total=$(du -cb models/* | tail -1 | cut -f1)
first=$(du -cb models/mnist-t10k.zst models/mlp-e20.zst models/cnn-e20.zst | tail -1 | cut -f1)
awk -v t="$total" -v f="$first" 'BEGIN {
  printf "sizes: models/ %.2f MB (budget 16 MB, %.0f %% of it); test set + final MLP + final CNN %.2f MB (budget 4 MB, %.0f %%)\n",
    t / 1e6, 100 * t / 16e6, f / 1e6, 100 * f / 4e6 }'
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "native ($(go env GOARCH), GOMAXPROCS=$(nproc)):"
go test -run '^$' -bench 'Forward|SpagoConv2D' -benchtime 3x ./bench/models | tee -a "$out" | grep Benchmark
echo "js/wasm under Node $(node --version):"
PATH="$(go env GOROOT)/lib/wasm:$PATH" GOOS=js GOARCH=wasm \
  go test -run '^$' -bench Forward -benchtime 2x ./bench/models | sed 's/^Benchmark/wasm:Benchmark/' | tee -a "$out" | grep Benchmark
awk '
  /^BenchmarkSpagoConv2D/ { for (i = 2; i < NF; i++) if ($(i+1) == "s/10k") spago = $i; next }
  /^(wasm:)?Benchmark/ {
    env = ($1 ~ /^wasm:/) ? "wasm" : "native"
    name = $1; sub(/-[0-9]+$/, "", name); sub(/^(wasm:)?BenchmarkForward\//, "", name)
    for (i = 2; i < NF; i++) if ($(i+1) == "s/10k") s[env, name] = $i
    if (env == "native") names[++n] = name
  }
  END {
    tf["mlp"] = 1; tf["cnn"] = 7
    printf "\n%-16s %12s %12s %12s %12s %12s %12s\n", "net/batch", "native s/10k", "digits/s", "vs TF", "wasm s/10k", "digits/s", "wasm/native"
    for (k = 1; k <= n; k++) {
      name = names[k]; a = s["native", name]; w = s["wasm", name]
      printf "%-16s %12.3f %12.0f %11.1f× %12.3f %12.0f %11.1f×\n", name, a, 10000 / a, tf[substr(name, 1, 3)] / a, w, 10000 / w, w / a
    }
    if (spago > 0) printf "peer: spago nn/convolution/convolution2d, convolutions only: %.1f digits/s; our whole CNN (batch=100) is %.0f× faster\n", 10000 / spago, spago / s["native", "cnn/batch=100"]
    print "vs TF: times faster than the lab TensorFlow (≈ 1 s MLP, ≈ 7 s CNN for 10,000 digits); > 1 is better."
    print "wasm/native: slowdown of the same code under Node in this run. All hidden layers (and CNN feature maps) are computed."
  }' "$out"
