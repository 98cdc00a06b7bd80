//go:build !js

package app

import (
	"os"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/pipeline"
)

// TestSkipUnchangedFrames checks that a game skipping unchanged frames
// draws a still, complete view once and then nothing until what it shows
// changes (a class switched off), while an animating view draws every
// frame, and that a game not asked to skip draws every frame.
func TestSkipUnchangedFrames(t *testing.T) {
	a := newAssets(t)
	screen := ebiten.NewImage(640, 480)
	draws := func(g *Game) int { return meshDraws(g, screen) }
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

// meshDraws draws a frame of g onto screen and returns the meshes it drew.
func meshDraws(g *Game, screen *ebiten.Image) int {
	n := 0
	flushed = func(*ebiten.Image, []ebiten.Vertex, []uint16) { n++ }
	defer func() { flushed = nil }()
	g.Draw(screen)
	return n
}

// TestTrainViewSkipsUnchangedFrames checks that the train view, skipping
// unchanged frames as the page does, draws nothing while its paused run
// shows the same picture, and draws again once the resumed run moved its
// counters.
func TestTrainViewSkipsUnchangedFrames(t *testing.T) {
	g := New(trainParams(t), background(pipeline.FSFetcher(os.DirFS("../../models"))))
	defer g.Close()
	g.SkipUnchangedFrames()
	g.Layout(640, 480)
	screen := ebiten.NewImage(640, 480)
	updateUntil(t, g, func(s State) bool { return s.Drawn >= 1 || s.Error != "" })
	g.pauseTraining()
	updateUntil(t, g, func(s State) bool { return s.Paused || s.Error != "" })
	still := 0 // frames in a row that drew nothing
	for n := 0; still < 10; n++ {
		if n == 2000 {
			t.Fatalf("the paused train view still draws every few frames: %+v", g.State())
		}
		g.Update()
		if meshDraws(g, screen) == 0 {
			still++
		} else {
			still = 0
		}
		time.Sleep(time.Millisecond)
	}
	batches := g.State().Batches
	g.pauseTraining()
	updateUntil(t, g, func(s State) bool { return s.Batches != batches || s.Error != "" })
	if s := g.State(); s.Error != "" || meshDraws(g, screen) == 0 {
		t.Errorf("the resumed run trained %d → %d mini-batches and the frame drew nothing: %+v", batches, s.Batches, s)
	}
}
