package app

import (
	"fmt"
	"math"
	"time"

	"annvis/core/app/palette"
	"annvis/core/app/ui"
	"annvis/core/bundle"
)

// still reports whether the view draws every stage at once (trace, bundled)
// rather than animating from stage to stage.
func (g *Game) still() bool { return g.p.View == "trace" || g.p.View == "bundled" }

// traceAlpha is the opacity of the trail segment ending at stage p of s,
// doubling with each stage as in the lab's show_trace: 2^(1+p−s) for p in
// 1..s−1, so the last segment is opaque.
func traceAlpha(p, s int) float64 { return math.Pow(2, float64(1+p-s)) }

// drawTrace draws every digit's whole trail, later stages more opaque, and
// its point at the last stage.
func (g *Game) drawTrace(m *mesh) {
	sc := &g.sc
	labels := g.pl.Labels()
	stages := sc.ready
	base := min(2*trailAlpha(len(labels)), 1)
	for j := 0; j+1 < stages; j++ {
		a, b := sc.main[j], sc.main[j+1]
		alpha := base * traceAlpha(j+1, stages)
		for i, c := range labels {
			if g.p.Classes[c] {
				col := shade(c, palette.Brightness(j+1, stages), alpha)
				m.line(float32(a[2*i]), float32(a[2*i+1]), float32(b[2*i]), float32(b[2*i+1]), 1, col)
			}
		}
	}
	g.drawPoints(m, sc.main[stages-1], stages-1)
}

// drawPoints draws the shown digits at pos as points (× if misclassified at
// stage k) and returns how many it drew.
func (g *Game) drawPoints(m *mesh, pos []float64, k int) int {
	labels := g.pl.Labels()
	pred := g.pl.Predicted(k)
	col := func(c uint8) rgba { return shade(c, palette.Brightness(k, len(g.pl.Stages())), 0.9) }
	n := 0
	for i, c := range labels {
		if !g.p.Classes[c] {
			continue
		}
		x, y := float32(pos[2*i]), float32(pos[2*i+1])
		if pred != nil && pred[i] != c {
			m.cross(x, y, 2.5, 1.2, col(c))
		} else {
			m.point(x, y, 2.5, col(c))
		}
		n++
	}
	return n
}

// bundling is the KDEEB bundling of the trails of the bundled view.
type bundling struct {
	all  bool // all classes together rather than each class separately
	job  *bundle.Job
	res  *bundle.Result
	err  error
	done bool
	box  ui.Rect // the main canvas the trails were bundled in
}

// stepBundling starts or continues the bundling within budget.
func (g *Game) stepBundling(budget time.Duration) {
	b := &g.bundle
	if g.p.View != "bundled" || !g.laidOut() || b.done || b.err != nil {
		return
	}
	if b.job == nil {
		b.box = g.screen.Main
		b.job, b.err = bundle.NewJob(g.trails(), g.bundleClasses(), bundle.Config{})
		if b.err != nil {
			b.err = fmt.Errorf("app: %w", b.err)
			return
		}
	}
	start := time.Now()
	for time.Since(start) < budget {
		if b.job.Step() {
			b.res, b.done = b.job.Result(), true
			return
		}
	}
}

// trails returns each digit's polyline through its stages on the screen.
func (g *Game) trails() [][]float64 {
	tr := make([][]float64, g.pl.N())
	for _, pos := range g.sc.main[:g.sc.ready] {
		for i := range tr {
			tr[i] = append(tr[i], pos[2*i], pos[2*i+1])
		}
	}
	return tr
}

func (g *Game) bundleClasses() []uint8 {
	if g.bundle.all {
		return nil
	}
	return g.pl.Labels()
}

// toggleBundling switches between bundling each class and all classes.
func (g *Game) toggleBundling() {
	g.bundle = bundling{all: !g.bundle.all}
	g.bar = nil
}

// drawBundled draws the bundled trails, hue = class, brightness = stage.
func (g *Game) drawBundled(m *mesh) {
	res := g.bundle.res
	labels := g.pl.Labels()
	stages := len(g.pl.Stages())
	b := g.bundle.box
	f := ui.FitPoints([]float64{b.X, b.Y, b.X + b.W, b.Y + b.H}, g.screen.Main)
	alpha := min(2*trailAlpha(len(labels)), 1)
	for i, line := range res.Lines {
		c := labels[i]
		if !g.p.Classes[c] {
			continue
		}
		for k := 0; k+3 < len(line); k += 2 {
			s := float64(res.Stage[i][k/2+1])
			col := shade(c, brightnessAt(s, stages), alpha)
			m.line(float32(line[k]*f.Scale+f.OffX), float32(line[k+1]*f.Scale+f.OffY),
				float32(line[k+2]*f.Scale+f.OffX), float32(line[k+3]*f.Scale+f.OffY), 1, col)
		}
	}
}

// brightnessAt interpolates palette.Brightness at a fractional stage.
func brightnessAt(s float64, stages int) float64 {
	k := int(s)
	f := s - float64(k)
	return palette.Brightness(k, stages)*(1-f) + palette.Brightness(k+1, stages)*f
}
