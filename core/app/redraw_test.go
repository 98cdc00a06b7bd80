//go:build !js

package app

import (
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
)

// TestSkipUnchangedFrames checks that a game skipping unchanged frames
// draws a still, complete view once and then nothing until what it shows
// changes (a class switched off), while an animating view draws every
// frame, and that a game not asked to skip draws every frame.
func TestSkipUnchangedFrames(t *testing.T) {
	a := newAssets(t)
	screen := ebiten.NewImage(640, 480)
	draws := func(g *Game) int {
		n := 0
		flushed = func(*ebiten.Image, []ebiten.Vertex, []uint16) { n++ }
		defer func() { flushed = nil }()
		g.Draw(screen)
		return n
	}
	for _, tc := range []struct {
		view       string
		skip       bool
		wantRedraw bool // an Update later, with nothing changed
	}{
		{"trace", true, false},
		{"trace", false, true},
		{"layers", true, true}, // animating: once the play head moves on from its rest on a stage
	} {
		g := New(small(tc.view), background(a.Fetch))
		if tc.skip {
			g.SkipUnchangedFrames()
		}
		g.Layout(640, 480)
		updateUntil(t, g, func(s State) bool { return s.Progress >= 1 && s.Frame > 0 })
		if draws(g) == 0 {
			t.Fatalf("%s view, skip %v: the first frame drew nothing", tc.view, tc.skip)
		}
		pos := g.tl.Pos
		g.Update()
		for n := 0; tc.view == "layers" && g.tl.Pos == pos && n < 1000; n++ {
			g.Update() // past the rest on the first stage
		}
		if got := draws(g) > 0; got != tc.wantRedraw {
			t.Errorf("%s view, skip %v: the next frame drew: %v, want %v", tc.view, tc.skip, got, tc.wantRedraw)
		}
		g.toggleClass(3)
		g.Update()
		if draws(g) == 0 {
			t.Errorf("%s view, skip %v: no frame drawn after class 3 was switched off", tc.view, tc.skip)
		}
		g.Close()
	}
}
