//go:build js && wasm

// Command wasm is annvis's web page program: it reads the view state from the
// URL, runs core/app's game in the page's canvas, fetches the assets with the
// browser's fetch, and publishes the game's state for the page (see
// static/page.js) and for the browser tests (wasm/e2e).
//
// What it shares with the page:
//
//	window.annvis            set every frame: ready, view, model, stage, stages, frame,
//	                         progress, phase, error, pointsDrawn, query (canonical),
//	                         params (the query's fields), precomputed, tps, fps, and
//	                         readyAt / firstFrameAt / doneAt (performance.now() of the
//	                         game's first update, first animated frame, progress 1);
//	                         page.js adds loadedAt, phases and exported; mainAt is
//	                         when main started (after Go's package initialisation)
//	window.annvisApply(q)    → {query, error}: validate q with params.Parse and switch
//	                         the game to it at its next update
//	window.annvisExport(k)   → error or "": export "png" (next frame) or "gif" (one pass
//	                         through every stage at the animation's pace), without the
//	                         game's controls, handed to annvisPage.exported
//	window.annvisSetVisible(v)  page.js: the page is seen (true) or scrolled out of
//	                         view or in a hidden tab (false): the game stops computing,
//	                         animating and drawing until it is seen again; window.annvis.paused
//	                         tells which
//	window.annvisPrefetched  assets page.js fetched while the wasm loaded, taken by name
//	annvisPage.render()      called when anything the page shows changed
//
// The address bar follows the game's canonical query (history.replaceState).
package main

import (
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app"
	"annvis/core/params"
)

func main() {
	js.Global().Get("annvis").Set("mainAt", now()) // Go's package initialisation ends here
	p, err := params.Parse(js.Global().Get("location").Get("search").String())
	var game *app.Game
	if err != nil {
		game = app.NewError(err)
	} else {
		game = app.New(p, fetchModel)
		js.Global().Get("document").Get("documentElement").Get("dataset").Set("theme", p.Theme)
	}
	game.ReservePageCorner()
	pg := newPage(game)
	exportControls(pg)
	exportExports(pg)
	exportVisibility(pg)
	if err := ebiten.RunGame(pg); err != nil {
		publishError("annvis stopped: " + err.Error())
	}
}
