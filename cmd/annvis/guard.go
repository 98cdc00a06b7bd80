package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/hajimehoshi/ebiten/v2"
)

// game is what guarded runs: an Ebiten game drawn at device pixels.
type game interface {
	ebiten.Game
	LayoutF(w, h float64) (float64, float64)
}

// guarded runs a game and turns a panic in its Update, Draw or Layout into
// the error that ends ebiten.RunGame: the command then exits with one line
// and status 1 instead of a Go trace, which it prints only with -debug.
type guarded struct {
	game  game
	debug bool
	err   error // the first panic, reported by the next Update
}

// Update runs the game's Update, or returns the panic Draw or Layout caught.
func (g *guarded) Update() (err error) {
	if g.err != nil {
		return g.err
	}
	defer g.catch(&err)
	return g.game.Update()
}

// Draw runs the game's Draw.
func (g *guarded) Draw(screen *ebiten.Image) {
	defer g.catch(&g.err)
	g.game.Draw(screen)
}

// Layout runs the game's Layout.
func (g *guarded) Layout(w, h int) (int, int) {
	defer g.catch(&g.err)
	return g.game.Layout(w, h)
}

// LayoutF runs the game's LayoutF.
func (g *guarded) LayoutF(w, h float64) (float64, float64) {
	defer g.catch(&g.err)
	return g.game.LayoutF(w, h)
}

// catch recovers a panic into *dst (keeping an earlier one), with the trace
// on stderr if -debug asked for it.
func (g *guarded) catch(dst *error) {
	r := recover()
	if r == nil {
		return
	}
	if g.debug {
		fmt.Fprintf(os.Stderr, "panic: %v\n%s", r, debug.Stack())
	}
	if *dst == nil {
		*dst = fmt.Errorf("crashed: %v (a bug: please report it; -debug prints the trace)", r)
	}
}
