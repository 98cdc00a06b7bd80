//go:build !js

package app

import (
	"math"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app/theme"
	"annvis/core/params"
)

// triangle is one triangle a frame drew: its centre and colour.
type triangle struct {
	x, y float64
	col  rgba
}

// drawCommands draws one frame of g (its cached backdrop and thumbnails included) and
// returns the triangles its meshes drew, from the draw commands: nothing is
// rendered without a running game loop.
func drawCommands(g *Game, screen *ebiten.Image) []triangle {
	var tris []triangle
	flushed = func(dst *ebiten.Image, vs []ebiten.Vertex, is []uint16) {
		ox, oy := 0.0, 0.0 // a thumbnail's image is drawn there on the screen
		for _, t := range g.thumbs {
			if t.img == dst {
				ox, oy = t.ox, t.oy
			}
		}
		for k := 0; k+2 < len(is); k += 3 {
			a, b, c := vs[is[k]], vs[is[k+1]], vs[is[k+2]]
			tris = append(tris, triangle{
				x:   float64(a.DstX+b.DstX+c.DstX)/3 + ox,
				y:   float64(a.DstY+b.DstY+c.DstY)/3 + oy,
				col: rgba{a.ColorR, a.ColorG, a.ColorB, a.ColorA},
			})
		}
	}
	defer func() { flushed = nil }()
	g.backdrop.key.gen = -1 // redraw the backdrop and the thumbnails
	for k := range g.thumbs {
		g.thumbs[k].key = thumbKey{}
	}
	g.Draw(screen)
	return tris
}

// classOf returns the class c whose shade th.Shade(c, b, ·) at some
// brightness b in (0, 1] is the colour col, and b; -1 if none is.
func classOf(th theme.Theme, col rgba) (int, float64) {
	bg := th.Background
	d := [3]float64{float64(col.r)*255 - float64(bg.R), float64(col.g)*255 - float64(bg.G), float64(col.b)*255 - float64(bg.B)}
	for c, cc := range th.Classes[:params.Digits] {
		e := [3]float64{float64(cc.R) - float64(bg.R), float64(cc.G) - float64(bg.G), float64(cc.B) - float64(bg.B)}
		b := (d[0]*e[0] + d[1]*e[1] + d[2]*e[2]) / (e[0]*e[0] + e[1]*e[1] + e[2]*e[2])
		off := math.Hypot(math.Hypot(d[0]-b*e[0], d[1]-b*e[1]), d[2]-b*e[2])
		if b > 0.05 && b <= 1+1e-4 && off < 0.5 {
			return c, b
		}
	}
	return -1, 0
}

// inLegend reports whether (x, y) lies in the legend's entry of class c.
func (g *Game) inLegend(c int, x, y float64) bool {
	r := g.screen.Legend[c]
	return x >= r.X && x <= r.X+r.W && y >= r.Y && y <= r.Y+r.H
}

// TestHiddenClassesNeverDrawn draws every digit view with classes 2 and 5
// hidden: no triangle outside the legend has the colour of a hidden class
// (at any brightness), every shown class is drawn, and the legend dims the
// hidden classes' entries.
func TestHiddenClassesNeverDrawn(t *testing.T) {
	a := newAssets(t)
	screen := ebiten.NewImage(640, 480)
	for _, view := range []string{"layers", "epochs", "trace", "bundled"} {
		t.Run(view, func(t *testing.T) {
			p := small(view)
			p.ToggleClass(2, params.Digits)
			p.ToggleClass(5, params.Digits)
			g := New(p, background(a.Fetch))
			g.Layout(640, 480)
			updateUntil(t, g, func(s State) bool { return s.Progress == 1 && s.Frame > 0 || s.Error != "" })
			if s := g.State(); s.Error != "" {
				t.Fatal(s.Error)
			}
			if g.animating() { // in the middle of a move, trails and heads apart
				g.tl.Pos = 1.5
				g.sc.interpolate(&g.tl)
			}
			var drawn [10]int
			for _, tr := range drawCommands(g, screen) {
				c, _ := classOf(g.th, tr.col)
				switch {
				case c < 0:
				case g.inLegend(c, tr.x, tr.y):
					if hidden := !g.p.Classes[c]; hidden != (tr.col.a < 0.5) {
						t.Errorf("legend entry of class %d (hidden %v) has opacity %v", c, hidden, tr.col.a)
					}
				default:
					drawn[c]++
				}
			}
			for c, n := range drawn {
				if g.p.Classes[c] != (n > 0) {
					t.Errorf("class %d (shown %v): %d triangles drawn", c, g.p.Classes[c], n)
				}
			}
			if got, want := g.State().PointsDrawn, g.shownCount(); got != want || want == g.pl.N() {
				t.Errorf("%d points drawn, want the %d shown of %d", got, want, g.pl.N())
			}
		})
	}
}

// TestTraceAlphaDoublesPerStage checks the trace view's trails: the segment
// ending at stage p of S has opacity base·2^(1+p−S) (the last opaque at
// base) and the brightness of stage p, for every shown class.
func TestTraceAlphaDoublesPerStage(t *testing.T) {
	a := newAssets(t)
	screen := ebiten.NewImage(640, 480)
	g := New(small("trace"), background(a.Fetch))
	g.Layout(640, 480)
	updateUntil(t, g, func(s State) bool { return s.Progress == 1 && s.Frame > 0 || s.Error != "" })
	stages := len(g.pl.Stages())
	if stages < 3 {
		t.Fatalf("%d stages", stages)
	}
	base := min(2*trailAlpha(g.pl.N()), 1)
	want := map[float32]float64{} // opacity → brightness of the segment's end stage
	for p := 1; p < stages; p++ {
		want[float32(base*math.Pow(2, float64(1+p-stages)))] = g.th.Brightness(p, stages)
	}
	seen := map[float32]int{}
	for _, tr := range drawCommands(g, screen) {
		c, b := classOf(g.th, tr.col)
		if c < 0 || tr.col.a == 0.9 || g.inLegend(c, tr.x, tr.y) || g.inThumb(tr.x, tr.y) {
			continue // not a trail: points, legend, thumbnails
		}
		wb, ok := want[tr.col.a]
		if !ok {
			t.Fatalf("trail triangle of class %d with opacity %v; want one of %v", c, tr.col.a, want)
		}
		if math.Abs(b-wb) > 0.01 {
			t.Errorf("trail of opacity %v has brightness %.3f, want %.3f", tr.col.a, b, wb)
		}
		seen[tr.col.a]++
	}
	if len(seen) != stages-1 {
		t.Errorf("trail opacities drawn %v, want all of %v", seen, want)
	}
}

// inThumb reports whether (x, y) lies in a thumbnail.
func (g *Game) inThumb(x, y float64) bool {
	for _, r := range g.screen.Thumbs {
		if x >= r.X && x <= r.X+r.W && y >= r.Y && y <= r.Y+r.H {
			return true
		}
	}
	return false
}

// TestFollowHighlight follows one digit: its whole trail so far is drawn
// in the theme's Mark colour, a point at each laid-out stage and a larger
// one at its animated head; following nothing draws no such marks there.
func TestFollowHighlight(t *testing.T) {
	a := newAssets(t)
	screen := ebiten.NewImage(640, 480)
	g := New(small("layers"), background(a.Fetch))
	g.Layout(640, 480)
	updateUntil(t, g, func(s State) bool { return s.Progress == 1 && s.Frame > 0 || s.Error != "" })
	g.tl.Pos, g.tl.Playing = 2.5, false
	g.sc.interpolate(&g.tl)
	const i = 17
	mark := g.col(g.th.Mark)
	near := func(tris []triangle, x, y, r float64) int {
		n := 0
		for _, tr := range tris {
			if tr.col == mark && math.Hypot(tr.x-x, tr.y-y) < r {
				n++
			}
		}
		return n
	}
	g.follow = -1
	before := drawCommands(g, screen)
	g.follow = i
	after := drawCommands(g, screen)
	for k := range g.sc.ready - 1 {
		x, y := g.sc.main[k][2*i], g.sc.main[k][2*i+1]
		if near(after, x, y, 3) == 0 || near(before, x, y, 3) != 0 {
			t.Errorf("stage %d of digit %d: %d Mark triangles when followed, %d when not; want some and none",
				k, i, near(after, x, y, 3), near(before, x, y, 3))
		}
	}
	x, y := g.sc.cur[2*i], g.sc.cur[2*i+1]
	if near(after, x, y, 3) == 0 {
		t.Errorf("no Mark at the followed digit's head (%.1f, %.1f)", x, y)
	}
}

// TestNeuronColourScales checks the colour scales of the neuron views on
// the draw commands. Neurons view: every neuron's disc has the viridis
// colour of the rank of its importance for the chosen class among all
// panels' neurons (0 for the least important, 1 for the most, ties sharing
// their mean rank). Map view: every neuron's disc has the pure hue of the
// class its importances are largest for.
func TestNeuronColourScales(t *testing.T) {
	a := newAssets(t)
	screen := ebiten.NewImage(640, 480)
	for _, view := range []string{"neurons", "map"} {
		t.Run(view, func(t *testing.T) {
			p := small(view)
			p.Class = 4
			g := New(p, background(a.Fetch))
			g.Layout(640, 480)
			updateUntil(t, g, func(s State) bool { return s.Progress == 1 && s.Frame > 0 || s.Error != "" })
			if s := g.State(); s.Error != "" {
				t.Fatal(s.Error)
			}
			var all []float64
			for _, v := range g.neurons.views {
				for i := range v.Class {
					all = append(all, v.Importance[i*10+p.Class])
				}
			}
			if len(all) == 0 {
				t.Fatal("no neurons")
			}
			tris := drawCommands(g, screen)
			disc := func(x, y, r float64, col rgba) bool {
				for _, tr := range tris {
					if tr.col == col && math.Hypot(tr.x-x, tr.y-y) <= r {
						return true
					}
				}
				return false
			}
			j := 0
			for k, v := range g.neurons.views {
				for i := range v.Class {
					x, y := g.neurons.pos[k][2*i], g.neurons.pos[k][2*i+1]
					var want rgba
					if view == "map" {
						row := v.Importance[i*10 : i*10+10]
						best := 0
						for c, w := range row {
							if w > row[best] {
								best = c
							}
						}
						want = g.shade(uint8(best), 1, 1)
					} else {
						want = sequential(rankOf(all[j], all))
					}
					if !disc(x, y, g.th.Body, want) {
						t.Fatalf("panel %d neuron %d at (%.0f, %.0f): no disc of colour %+v", k, i, x, y, want)
					}
					j++
				}
			}
		})
	}
}

// rankOf returns the rank of x among v scaled to 0..1, ties sharing their
// mean rank.
func rankOf(x float64, v []float64) float64 {
	below, equal := 0, 0
	for _, w := range v {
		switch {
		case w < x:
			below++
		case w == x:
			equal++
		}
	}
	return (float64(below) + float64(equal-1)/2) / float64(len(v)-1)
}
