//go:build !js

package app

import (
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/params"
)

// TestDrawEveryView runs the draw code of every view and of view switches
// made between an Update and the next Draw (commands are queued, not
// rendered, without a running game loop).
func TestDrawEveryView(t *testing.T) {
	a := newAssets(t)
	screen := ebiten.NewImage(640, 480)
	g := New(small("layers"), background(a.Fetch))
	g.Layout(640, 480)
	for _, view := range []string{"layers", "epochs", "trace", "bundled", "neurons", "map", "compare", "layers"} {
		g.cycle(func(p *params.Params) { p.View = view }) // as a key press would, before Draw
		g.Draw(screen)
		updateUntil(t, g, func(s State) bool {
			g.Draw(screen)
			return s.Frame > 2 || s.Error != ""
		})
		if s := g.State(); s.Error != "" && view != "compare" || s.View != view {
			t.Fatalf("%s: state %+v", view, s)
		}
	}
	// These assets have no CNN: the error is drawn.
	g.cycle(func(p *params.Params) { p.Model = "cnn" })
	g.Draw(screen)
	updateUntil(t, g, func(s State) bool {
		g.Draw(screen)
		return s.Error != ""
	})
	g.Draw(screen)
}
