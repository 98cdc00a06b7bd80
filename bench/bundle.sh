#!/usr/bin/env bash
# Trail bundling (core/bundle): KDEEB on the trails of 2000 MNIST test digits
# through 4 t-SNE layouts, 512² grid, 15 iterations, all classes together and
# per class, natively and under js/wasm (Node) against the 1 s native budget.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.bash
need node nodejs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export_mnist_dir

echo "--- bundling 2000 trails × 4 stages (trails: t-SNE of MNIST pixels, transposed pixels, ReLU layers)"
go test -run '^$' -bench 'Bundle' -benchtime 3x ./core/bundle > "$tmp/native.txt"
PATH="$(go env GOROOT)/lib/wasm:$PATH" GOOS=js GOARCH=wasm \
  go test -run '^$' -bench 'Bundle' -benchtime 2x ./core/bundle > "$tmp/wasm.txt"
for part in all by-class; do
  n=$(seconds "Bundle/$part" "$tmp/native.txt")
  w=$(seconds "Bundle/$part" "$tmp/wasm.txt")
  awk -v p="$part" -v n="$n" -v w="$w" 'BEGIN { printf "  %-9s native %6.3f s (budget 1 s: %s)   js/wasm (Node, 1 thread) %6.3f s   wasm/native %4.1f×\n", p, n, (n <= 1 ? "within" : "OVER"), w, w / n }'
done
ms=$(awk '$1 ~ /^BenchmarkBundle\/job-steps/ { for (i = 1; i < NF; i++) if ($(i+1) == "max-step-ms") print $i }' "$tmp/wasm.txt")
echo "  js/wasm Job (per class, a fifth of an iteration per Step): longest step ${ms} ms (a browser frame is ~16 ms)"
echo "--- coverage of the bundled trails against the raw ones (1000 digits, 1-px lines, 512² raster; acceptance ≥ 30 % fewer)"
go test -count=1 -run 'TestBundleMNISTTrails' -v ./core/bundle | grep -E 'fewer|FAIL' | sed 's/^ *bundle_test.go:[0-9]*: /  /'
