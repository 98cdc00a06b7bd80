//go:build !js

package app

import (
	"slices"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app/ui"
	"annvis/core/viewstate"
)

// fixedStages is a finished Source of given stage layouts; the scene reads
// nothing else of it.
type fixedStages struct {
	Source
	pos [][]float64
}

func (f fixedStages) Status() viewstate.Status { return viewstate.Status{Done: true, Progress: 1} }
func (f fixedStages) Stages() []string         { return make([]string, len(f.pos)) }
func (f fixedStages) Ready(k int) bool         { return k < len(f.pos) }
func (f fixedStages) Positions(k int, dst []float64) []float64 {
	return append(dst[:0], f.pos[k]...)
}

// span returns the width and height of the bounding box of pts.
func span(pts []float64) (w, h float64) {
	xs, ys := make([]float64, 0, len(pts)/2), make([]float64, 0, len(pts)/2)
	for i := 0; i+1 < len(pts); i += 2 {
		xs, ys = append(xs, pts[i]), append(ys, pts[i+1])
	}
	return slices.Max(xs) - slices.Min(xs), slices.Max(ys) - slices.Min(ys)
}

// TestSceneFitsEachStage checks that an animated view draws every stage
// across the main canvas, however a joint t-SNE crowded it (epoch 0 of
// the epochs view, a tenth of the later stages' spread), while a still view
// (trace, bundled) keeps one scale for all stages.
func TestSceneFitsEachStage(t *testing.T) {
	crowded := []float64{0, 0, 1, 0, 0, 1, 1, 1}
	spread := []float64{-10, -10, 10, -10, -10, 10, 10, 10}
	src := fixedStages{pos: [][]float64{crowded, spread}}
	s := ui.Screen{Main: ui.Rect{X: 10, Y: 20, W: 400, H: 300}, Thumbs: make([]ui.Rect, 2)}
	full := s.Main.Inset(8).H // the square stages fill the canvas's height
	for _, tc := range []struct {
		joint bool
		want  [2]float64 // the stages' heights on screen
	}{{false, [2]float64{full, full}}, {true, [2]float64{full / 20, full}}} {
		var sc scene
		sc.refresh(src, s, tc.joint)
		for k, want := range tc.want {
			if w, h := span(sc.main[k]); h < want-1e-9 || h > want+1e-9 || w != h {
				t.Errorf("joint %v: stage %d spans %v×%v px, want %v square", tc.joint, k, w, h, want)
			}
		}
	}
}

// TestThumbnailMargin keeps a large thumbnail's points off its frame (at
// 1920×1080 they touched it: a 3 px margin at any size).
func TestThumbnailMargin(t *testing.T) {
	src := fixedStages{pos: [][]float64{{-10, -10, 10, -10, -10, 10, 10, 10}}}
	s := ui.Screen{Main: ui.Rect{W: 400, H: 300}, Thumbs: []ui.Rect{{X: 500, Y: 20, W: 360, H: 360}}}
	var sc scene
	sc.refresh(src, s, false)
	r, pts := s.Thumbs[0], sc.thumb[0]
	for i := 0; i+1 < len(pts); i += 2 {
		if x, y := pts[i], pts[i+1]; x < r.X+10 || x > r.X+r.W-10 || y < r.Y+10 || y > r.Y+r.H-10 {
			t.Errorf("point (%v, %v) within 10 px of the thumbnail's frame %v", x, y, r)
		}
	}
}

// TestThemeRedrawsBackdrop switches a finished neurons view (whose scene
// never refits) to the light theme: the cached backdrop (background,
// panels, legend) is drawn again in the new theme's colours, not kept dark
// under light text.
func TestThemeRedrawsBackdrop(t *testing.T) {
	a := newAssets(t)
	g := New(small("neurons"), background(a.Fetch))
	g.Layout(640, 480)
	screen := ebiten.NewImage(640, 480)
	updateUntil(t, g, func(s State) bool { g.Draw(screen); return s.Frame > 0 || s.Error != "" })
	if s := g.State(); s.Error != "" || g.backdrop.key.theme != "dark" {
		t.Fatalf("state %+v, backdrop drawn in %q", s, g.backdrop.key.theme)
	}
	p := g.p
	p.Theme = "light"
	g.SetParams(p)
	for range 3 {
		if err := g.Update(); err != nil {
			t.Fatal(err)
		}
		g.Draw(screen)
	}
	if g.backdrop.key.theme != "light" {
		t.Errorf("after switching to the light theme the backdrop is still drawn in %q", g.backdrop.key.theme)
	}
}
