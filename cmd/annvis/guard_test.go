package main

import (
	"strings"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
)

// crasher panics in the method named by at.
type crasher struct{ at string }

func (c crasher) Update() error {
	if c.at == "update" {
		panic("boom in update")
	}
	return nil
}

func (c crasher) Draw(*ebiten.Image) {
	if c.at == "draw" {
		var m map[string]int
		m["x"] = 1 // a runtime error, not a plain panic
	}
}

func (c crasher) Layout(w, h int) (int, int) { return w, h }

func (c crasher) LayoutF(w, h float64) (float64, float64) { return w, h }

func TestGuardedTurnsPanicsIntoOneLine(t *testing.T) {
	for _, tc := range []struct{ at, want string }{
		{"update", "crashed: boom in update (a bug: please report it; -debug prints the trace)"},
		{"draw", "crashed: assignment to entry in nil map (a bug: please report it; -debug prints the trace)"},
	} {
		g := &guarded{game: crasher{tc.at}}
		g.Draw(nil)
		err := g.Update()
		if err == nil || err.Error() != tc.want || strings.Contains(err.Error(), "\n") {
			t.Errorf("panic in %s: Update returned %v, want %q", tc.at, err, tc.want)
		}
		if again := g.Update(); again == nil {
			t.Errorf("panic in %s: the next Update returned nil, want the error again", tc.at)
		}
	}
	if err := (&guarded{game: crasher{}}).Update(); err != nil {
		t.Errorf("no panic: Update returned %v", err)
	}
}
