package e2e

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// frameCost is what the drawing cost over a window: the game's frames
// (window.annvis.draws: its Draw calls; the page runs frames on demand,
// see wasm's redraw) and those that drew on screen (painted; it skips
// unchanged ones), the
// window's length, and the CPU time of each part of Chromium (ms), and of
// each thread of the GPU process and of the page's renderer by name.
type frameCost struct {
	draws, painted int
	secs           float64
	cpu            cpuFigures
	threads        map[string]float64
}

// measureFrames returns the frame cost of the page in ctx over d.
func measureFrames(b *testing.B, ctx context.Context, d time.Duration) frameCost {
	draws := func() [2]int {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[[2]int](`[window.annvis.draws || 0, window.annvis.painted || 0]`))
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	d0, c0, t0 := draws(), chromiumCPU(b, ctx), time.Now()
	time.Sleep(d)
	d1, c1, t1 := draws(), chromiumCPU(b, ctx), time.Now()
	fc := frameCost{draws: d1[0] - d0[0], painted: d1[1] - d0[1], secs: t1.Sub(t0).Seconds(),
		cpu: c1.since(c0), threads: map[string]float64{}}
	for t, cpu := range c1 {
		if t.ptype == "gpu-process" || t.ptype == "renderer" {
			fc.threads[t.ptype+"/"+t.name] += cpu - c0[t]
		}
	}
	return fc
}

// byThread lists the threads of the GPU process and the page's renderer
// that used over 1 ms per frame, with their CPU time per frame.
func (fc frameCost) byThread() string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(fc.threads)) {
		if v := fc.threads[k] / float64(max(fc.draws, 1)); v > 1 {
			parts = append(parts, fmt.Sprintf("%s %.1f", k, v))
		}
	}
	return strings.Join(parts, ", ")
}

// String gives the frame rate and each part's CPU time per frame drawn.
func (fc frameCost) String() string {
	n := float64(max(fc.draws, 1))
	p := float64(max(fc.painted, 1))
	_, workers := fc.cpu.busiest()
	return fmt.Sprintf("drawing CPU (page main thread and GPU process) %.0f ms/s; %.1f frames/s, %.1f painted; CPU per painted frame: page main thread and GPU process %.1f ms; CPU per frame: page main thread %.1f ms, GPU process %.1f ms, page workers %.1f ms, other processes %.1f ms",
		fc.drawing()/fc.secs, float64(fc.draws)/fc.secs, float64(fc.painted)/fc.secs, fc.drawing()/p, fc.cpu.main/n, fc.cpu.gpu/n, workers/n, fc.cpu.other/n)
}

// drawing is the CPU time the drawing used: the page's main thread and the
// GPU process (ms).
func (fc frameCost) drawing() float64 { return fc.cpu.main + fc.cpu.gpu }

// drawCPU is the CPU time a frame costs the drawing (ms per frame drawn).
func (fc frameCost) drawCPU() float64 { return fc.drawing() / float64(max(fc.draws, 1)) }

// BenchmarkFrameCost measures what one frame costs the page's main thread
// and the GPU process (CPU time per frame drawn, from /proc: SwiftShader's
// threads included), and the frame rate, in the train view's default run
// while it trains and once trained (the animation alone), and in the MLP
// layers view computed live (seed 1, n 2000) while it computes and once
// computed. While a view computes, the page draws a frame when a worker's
// update arrives, a few a second; once it animates, every browser frame it
// can: the drawing shares two cores with the computing workers.
func BenchmarkFrameCost(b *testing.B) {
	const window = 8 * time.Second
	url := serve(b, site(b))
	b.Run("layers", func(b *testing.B) {
		ctx, _ := freshTab(b)
		open(b, ctx, url, `window.annvis && window.annvis.progress >= 1 && window.annvis.frame > 0`)
		idle := measureFrames(b, ctx, window)
		b.Logf("shipped layers view, animating: %v", idle)
		b.Logf("threads (ms per frame): %s", idle.byThread())
		b.ReportMetric(idle.drawCPU(), "idle-draw-cpu-ms/frame")
		b.ReportMetric(float64(idle.draws)/idle.secs, "idle-fps")
	})
	b.Run("train", func(b *testing.B) {
		ctx, _ := freshTab(b)
		open(b, ctx, url+"?view=train", `window.annvis && window.annvis.drawn >= 2`)
		busy := measureFrames(b, ctx, window)
		if s := annvis(b, ctx); s.Progress >= 1 {
			b.Logf("the run ended within the window: the busy figures include idle frames")
		}
		wait(b, ctx, `window.annvis.progress >= 1`)
		idle := measureFrames(b, ctx, window)
		reportFrames(b, busy, idle)
	})
	b.Run("live-layers", func(b *testing.B) {
		ctx, _ := freshTab(b)
		open(b, ctx, url+"?seed=1&n=2000", `window.annvis && window.annvis.drawn >= 1`)
		busy := measureFrames(b, ctx, window)
		wait(b, ctx, `window.annvis.progress >= 1`)
		idle := measureFrames(b, ctx, window)
		reportFrames(b, busy, idle)
	})
}

// reportFrames logs and reports the frame costs while computing and idle.
func reportFrames(b *testing.B, busy, idle frameCost) {
	b.Logf("computing: %v", busy)
	b.Logf("idle:      %v", idle)
	b.Logf("computing, threads (ms per frame): %s", busy.byThread())
	b.Logf("idle, threads (ms per frame): %s", idle.byThread())
	b.ReportMetric(busy.drawing()/busy.secs, "busy-draw-cpu-ms/s")
	b.ReportMetric(idle.drawing()/idle.secs, "idle-draw-cpu-ms/s")
	b.ReportMetric(busy.drawCPU(), "busy-draw-cpu-ms/frame")
	b.ReportMetric(idle.drawCPU(), "idle-draw-cpu-ms/frame")
	b.ReportMetric(float64(busy.draws)/busy.secs, "busy-fps")
	b.ReportMetric(float64(busy.painted)/busy.secs, "busy-painted-fps")
	b.ReportMetric(float64(idle.draws)/idle.secs, "idle-fps")
}
