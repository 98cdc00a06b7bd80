package app

import (
	"slices"

	"annvis/core/app/anim"
	"annvis/core/app/ui"
)

// scene holds the screen positions of every digit at every stage, fitted
// into the main canvas and the thumbnails, and the current interpolated
// positions of the animation.
type scene struct {
	ready int         // stages 0..ready-1 have layouts
	raw   []float64   // scratch: one stage's projection
	all   []float64   // scratch: every ready stage's projection, in order
	prev  []float64   // all as last fitted
	main  [][]float64 // per stage, 2N screen coordinates in the main canvas
	thumb [][]float64 // per stage, 2N screen coordinates in its thumbnail
	cur   []float64   // the animated heads, 2N
	seg   int         // the segment being travelled: from stage seg to seg+1
	frac  float64     // eased progress along the segment
	dirty bool        // geometry changed: refit even if the layouts are final
	final bool        // layouts final and fitted
	gen   int         // incremented whenever the fitted positions change
	fit   ui.Fit      // from layout units to the main canvas
}

// refresh fits the pipeline's current layouts into the screen; once the
// pipeline is done it does so only when the screen changes. A joint scene
// (trace, bundled: every stage drawn at once) fits all stages with one
// scale; otherwise each stage fills the main canvas, as its thumbnail
// does, so that a stage whose points a joint t-SNE crowded together
// (epoch 0, untrained) is not drawn in a corner of the plot.
func (sc *scene) refresh(pl Source, s ui.Screen, joint bool) {
	done := pl.Status().Done
	if sc.final && !sc.dirty {
		return
	}
	stages := pl.Stages()
	if len(s.Thumbs) != len(stages) {
		return // arranged for another view; refit once arranged
	}
	sc.main = grow(sc.main, len(stages))
	sc.thumb = grow(sc.thumb, len(stages))
	ready := sc.ready
	sc.ready = 0
	sc.all = sc.all[:0]
	for k := range stages {
		if !pl.Ready(k) {
			break
		}
		sc.raw = pl.Positions(k, sc.raw)
		sc.all = append(sc.all, sc.raw...)
		sc.ready = k + 1
	}
	if !sc.dirty && sc.ready == ready && slices.Equal(sc.all, sc.prev) {
		sc.final = done
		return // the same layouts as last fitted (a source republished them, or none is ready)
	}
	// The joint fit keeps the sequence's coordinates comparable (a joint
	// t-SNE shares them; a chained one starts each from the last): the
	// bundles, computed in layout units, are drawn with it.
	sc.fit = ui.FitPoints(sc.all, s.Main.Inset(8))
	n := len(sc.all) / max(sc.ready, 1)
	for k := range sc.ready {
		stage, f := sc.all[k*n:(k+1)*n], sc.fit
		sc.thumb[k] = ui.FitPoints(stage, s.Thumbs[k].Inset(max(3, s.Thumbs[k].W/36))).Apply(sc.thumb[k], stage) // a margin for the points
		if !joint {
			f = ui.FitPoints(stage, s.Main.Inset(8))
		}
		sc.main[k] = f.Apply(sc.main[k], stage)
	}
	sc.gen++
	sc.prev = append(sc.prev[:0], sc.all...)
	sc.final, sc.dirty = done, false
}

func grow(s [][]float64, n int) [][]float64 {
	for len(s) < n {
		s = append(s, nil)
	}
	return s[:n]
}

// interpolate places the heads at the timeline's position.
func (sc *scene) interpolate(tl *anim.Timeline) {
	sc.seg, sc.frac = tl.Segment()
	a := sc.main[sc.seg]
	b := a
	if sc.seg+1 < sc.ready {
		b = sc.main[sc.seg+1]
	}
	if len(sc.cur) != len(a) {
		sc.cur = make([]float64, len(a))
	}
	anim.Lerp(sc.cur, a, b, sc.frac)
}

// heads returns the positions the points are drawn at: the animation's, or
// while computing the newest layout converging.
func (sc *scene) heads(animating bool) []float64 {
	switch {
	case animating && sc.cur != nil:
		return sc.cur
	case sc.ready > 0:
		return sc.main[sc.ready-1]
	}
	return nil
}
