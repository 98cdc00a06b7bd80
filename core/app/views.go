package app

import (
	"math"
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
				col := g.shade(c, g.th.Brightness(j+1, stages), alpha)
				m.line(float32(a[2*i]), float32(a[2*i+1]), float32(b[2*i]), float32(b[2*i+1]), float32(g.th.Scale), col)
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
	col := func(c uint8) rgba { return g.shade(c, g.th.Brightness(k, len(g.pl.Stages())), 0.9) }
	pt := float32(0.8 * g.th.PointSize(g.screen.Main.W*g.screen.Main.H, len(labels)))
	n := 0
	for i, c := range labels {
		if !g.p.Classes[c] {
			continue
		}
		x, y := float32(pos[2*i]), float32(pos[2*i+1])
		if pred != nil && pred[i] != c {
			m.cross(x, y, pt*0.5, max(pt*0.25, float32(g.th.Scale)), col(c))
		} else {
			m.point(x, y, pt, col(c))
		}
		n++
	}
	return n
}

// toggleBundling switches between bundling each class and all classes.
func (g *Game) toggleBundling() {
	g.bundleAll = !g.bundleAll
	g.pl.SetBundleAll(g.bundleAll)
	g.bar = nil
}

// drawBundled draws the pipeline's bundled trails, fitted like the layouts,
// hue = class, brightness = stage.
func (g *Game) drawBundled(m *mesh) {
	res := g.pl.Bundles()
	labels := g.pl.Labels()
	stages := len(g.pl.Stages())
	f := g.sc.fit
	alpha := min(2*trailAlpha(len(labels)), 1)
	for i, line := range res.Lines {
		c := labels[i]
		if !g.p.Classes[c] {
			continue
		}
		for k := 0; k+3 < len(line); k += 2 {
			s := float64(res.Stage[i][k/2+1])
			col := g.shade(c, g.brightnessAt(s, stages), alpha)
			m.line(float32(line[k]*f.Scale+f.OffX), float32(line[k+1]*f.Scale+f.OffY),
				float32(line[k+2]*f.Scale+f.OffX), float32(line[k+3]*f.Scale+f.OffY), float32(g.th.Scale), col)
		}
	}
}

// brightnessAt interpolates the theme's Brightness at a fractional stage.
func (g *Game) brightnessAt(s float64, stages int) float64 {
	k := int(s)
	f := s - float64(k)
	return g.th.Brightness(k, stages)*(1-f) + g.th.Brightness(k+1, stages)*f
}
