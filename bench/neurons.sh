#!/usr/bin/env bash
# Neuron views (core/neurons): the 256-neuron × 2000-digit view natively and
# under js/wasm (Node) against its 2 s native budget, and annvis's
# ExtraTrees against scikit-learn's on the same data (Spearman ≥ 0.9 over the
# 784 MNIST pixels, class 0 vs rest) with fit times side by side.
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/lib.bash
need_python sklearn,scipy python3-sklearn python3-scipy
need node nodejs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export_mnist_dir

echo "--- neuron view, 256 neurons × 2000 MNIST digits (ReLU layer): dissimilarity + MDS + 10 one-vs-rest forests"
go test -run '^$' -bench 'NeuronView' -benchtime 3x ./core/neurons > "$tmp/native.txt"
PATH="$(go env GOROOT)/lib/wasm:$PATH" GOOS=js GOARCH=wasm \
  go test -run '^$' -bench 'NeuronView' -benchtime 1x ./core/neurons > "$tmp/wasm.txt"
for part in dissimilarity mds forests total; do
  n=$(seconds "NeuronView/$part" "$tmp/native.txt")
  w=$(seconds "NeuronView/$part" "$tmp/wasm.txt")
  awk -v p="$part" -v n="$n" -v w="$w" 'BEGIN { printf "  %-14s native %7.3f s   js/wasm (Node, 1 thread) %7.3f s   wasm/native %5.1f×\n", p, n, w, w / n }'
done
ms=$(awk '$1 ~ /^BenchmarkNeuronView\/view-steps/ { for (i = 1; i < NF; i++) if ($(i+1) == "max-step-ms") print $i }' "$tmp/wasm.txt")
echo "  js/wasm View (stepped): longest step ${ms} ms (a browser frame is ~16 ms; wall clock, so other load stretches it)"
total=$(seconds "NeuronView/total" "$tmp/native.txt")
awk -v t="$total" 'BEGIN { printf "  native total wall %.3f s against the 2 s budget: %s (%.0f %% of it; wall clock suffers when others share the cores)\n", t, (t <= 2 ? "within" : "OVER"), 100 * t / 2 }'
go build -o "$tmp/neurons" ./bench/neurons
"$tmp/neurons" -dir "$tmp"

echo "--- ExtraTrees against scikit-learn $(/usr/bin/python3 -c 'import sklearn; print(sklearn.__version__)') (same data, same run)"
/usr/bin/python3 bench/neurons/compare.py "$tmp"
