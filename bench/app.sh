#!/usr/bin/env bash
# bench/app.sh — the desktop build (cmd/annvis) under Xvfb with Mesa's
# software GL: frames per second while animating 5000 trails × 4 stages
# (budget ≥ 55), against its peer in the same run (the same view with only
# class 1 shown, ~1/10 of the trails); and the time from start to the first
# animated frame of the default view (precomputed layouts) against the same
# view computed live (seed 1, n = 2000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps >/dev/null
if ! command -v glxinfo >/dev/null; then
  apt-get install -y -qq --no-install-recommends mesa-utils >/dev/null
fi
if [[ ! -e /dev/snd && -f /usr/share/alsa/alsa.conf ]]; then
  export ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$PWD/scripts/alsa-null.conf
fi
tmp=$(mktemp -d)
xvfb=
cleanup() { [[ -z $xvfb ]] || kill "$xvfb" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
go build -o "$tmp/annvis" ./cmd/annvis
for d in $(seq 90 140); do [[ -e /tmp/.X$d-lock ]] || break; done
export XAUTHORITY=$tmp/xauth DISPLAY=":$d"
touch "$XAUTHORITY"
xauth -q -f "$XAUTHORITY" add "$DISPLAY" . "$(mcookie)"
Xvfb "$DISPLAY" -auth "$XAUTHORITY" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
echo "renderer: $(glxinfo -B 2>/dev/null | sed -n 's/^OpenGL renderer string: //p') (Xvfb, load average $(cut -d' ' -f1-3 /proc/loadavg))"

seconds() { # seconds a command takes, wall clock
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
grep -q '"layouts-mlp.zst"' models/manifest.json ||
  echo "warning: models/ has no precomputed layouts (run make models): the default view is computed live too"
pre=$(seconds "$tmp/annvis" -png "$tmp/pre.png" -frames 1 -size 640x480)
live=$(seconds "$tmp/annvis" -png "$tmp/live.png" -frames 1 -size 640x480 -seed 1)
awk -v p="$pre" -v l="$live" 'BEGIN {
  printf "first animated frame, desktop, start to PNG written: precomputed default view %.2f s | live MLP layers n=2000 seed=1 %.2f s | live/precomputed %.1f×\n", p, l, l / p }'

line=$("$tmp/annvis" -n 5000 -fps 10 -size 1024x768)
echo "animation 1024x768, 5000 digits × 4 stages (MLP layers), 10 s each: $line"
fps=$(sed -n 's/^fps \([0-9.]*\) .*/\1/p' <<<"$line")
awk -v f="$fps" 'BEGIN { printf "budget ≥ 55 fps: %s (%.1f fps)\n", (f >= 55 ? "met" : "NOT met"), f }'

# The paper's findings, measured on the shipped networks (neighbourhood hit,
# k = 10): deeper layers separate the classes better, the CNN's last layer at
# least as well as the MLP's, and training separates them.
report=$(go run ./cmd/layouts -models models -report 2>/dev/null)
echo "$report"
awk '/ layers / { for (i = 1; i <= NF; i++) if ($i == "NH") last[$1] = $(i+1) }
  END { printf "CNN last layer NH %.3f vs MLP last layer NH %.3f: CNN/MLP %.3f (paper: ≥ 1)\n",
        last["cnn"], last["mlp"], last["cnn"] / last["mlp"] }' <<<"$report"
