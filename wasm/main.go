//go:build js && wasm

// Command wasm is annvis's web page program: it reads the view state from the
// URL, runs core/app's game in the page's canvas, fetches the assets with the
// browser's fetch, and publishes the game's state to window.annvis for the
// page's progress bar, error panel and controls (see static/page.js) and for
// the browser tests.
package main

import (
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app"
	"annvis/core/params"
)

func main() {
	p, err := params.Parse(js.Global().Get("location").Get("search").String())
	var game *app.Game
	if err != nil {
		game = app.NewError(err)
	} else {
		game = app.New(p, fetchModel)
	}
	pg := newPage(game)
	exportControls(pg)
	exportExports(pg)
	if err := ebiten.RunGame(pg); err != nil {
		publishError("annvis stopped: " + err.Error())
	}
}
