//go:build js && wasm

// Command wasm is annvis's web page program: it reads the view state from the
// URL, runs core/app's game in the page's canvas, has every view computed in
// Web Workers (static/worker.js running worker.wasm, see wasm/worker and
// workers.go), and publishes the game's state for the page (see
// static/page.js) and for the browser tests (wasm/e2e). It only draws and
// handles input: it fetches, decodes and computes nothing itself.
//
// What it shares with the page:
//
//	window.annvis            set every frame: ready, view, model, stage, stages, frame,
//	                         progress, phase, error, errorKind ("address", "asset",
//	                         "view"; page.js: "crash"), fixQuery and fixDropped (a rejected
//	                         address: the same view without its bad keys, and those keys),
//	                         pointsDrawn, query (canonical),
//	                         params (the query's fields), precomputed, tps, fps, and
//	                         readyAt / firstFrameAt / doneAt (performance.now() of the
//	                         game's first update, first animated frame, progress 1);
//	                         page.js adds loadedAt, phases, marks (the start-up's
//	                         timeline, its workers' marks included) and exported; mainAt is
//	                         when main started (after Go's package initialisation);
//	                         workers is the number of computing workers started,
//	                         stagesPrepared how many stages of live views other
//	                         workers prepared (viewstate.SplitStages);
//	                         layoutDigest digests the computed layouts (app.Game.LayoutDigest);
//	                         draws counts the frames drawn (Draw calls), painted those
//	                         that drew on screen (unchanged ones are skipped), ticks the game's updates
//	                         (its input is read at each); the page runs frames on demand
//	                         (see redraw): on input, a worker's update, a call below, and
//	                         while the picture moves, so that fps counts those; the train view adds
//	                         epoch, batches (mini-batches trained), accuracy and
//	                         trainingPaused (the reader paused the training)
//	window.annvisApply(q)    → {query, error}: validate q with params.Parse and switch
//	                         the game to it at its next update
//	window.annvisOpenData(name, bytes[, name2, bytes2]) → error or "": show the user's .npz
//	                         (Uint8Arrays; the "your data" control) in every view, a second
//	                         one in the CNN's place (compare view); window.annvis.data
//	                         names them
//	window.annvisExport(k)   → error or "": export "png" (next frame) or "gif" (one pass
//	                         through every stage at the animation's pace), without the
//	                         game's controls, handed to annvisPage.exported
//	window.annvisSetVisible(v)  page.js: the page is seen (true) or scrolled out of
//	                         view or in a hidden tab (false): the game stops computing,
//	                         animating and drawing until it is seen again; window.annvis.paused
//	                         tells which
//	window.annvisPrefetched  assets page.js fetched while the wasm loaded, handed to the workers
//	window.annvisWorkerModule worker.wasm, compiled by page.js while main.wasm loaded
//	window.annvisWorkers     (set by the page's user or a test) how many workers at most
//	annvisPage.render()      called when anything the page shows changed
//
//	window.annvisCrash(k)    crash the program on purpose: "panic" panics in a new
//	                         goroutine, "fatal" is a runtime fatal error; for the
//	                         browser tests of the page's crash panel
//
// With data=NAME (params.Params.Data) a computing worker fetches
// data/NAME.npz, a data set cmd/layouts -data published with its layouts,
// and reads its class names; the page shows it as the "your data" control
// would.
//
// The address bar follows the game's canonical query (history.replaceState),
// except when the address was rejected: then it stays as the user typed it.
package main

import (
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app"
	"annvis/core/params"
)

func main() {
	js.Global().Get("annvis").Set("mainAt", now()) // Go's package initialisation ends here
	search := js.Global().Get("location").Get("search").String()
	p, err := params.Parse(search)
	var game *app.Game
	pool := newPool(workerCount())
	rejected := err != nil
	if err == nil {
		var classes []string
		if classes, err = openPublished(p.Data, pool); err == nil {
			game = app.New(p, pool.open)
			game.OpenTrained(pool.openTrained)
			if classes != nil {
				game.SetData(classes)
			}
			js.Global().Get("document").Get("documentElement").Get("dataset").Set("theme", p.Theme)
		}
	}
	failed := err != nil
	if failed {
		game = app.NewError(err)
	}
	game.ShowErrorsElsewhere()                       // the page's error panel shows them, once
	game.SkipUnchangedFrames()                       // the page's thread stays free while a view computes
	ebiten.SetFPSMode(ebiten.FPSModeVsyncOffMinimum) // frames on demand (see redraw)
	pg := newPage(game)
	switch {
	case rejected:
		pg.rejectAddress(search)
	case failed:
		pg.keepAddress() // e.g. ?data=NAME with no such file: the error game has no query of its own
	}
	exportControls(pg)
	exportData(pg, pool)
	exportExports(pg)
	exportVisibility(pg)
	exportCrash()
	go pg.zoom.watch()
	yieldToPage()
	if err := ebiten.RunGame(pg); err != nil {
		publishError("annvis stopped: " + err.Error())
	}
}

// yieldToPage lets the page's thread run the tasks waiting for it before the
// game opens WebGL and draws its first frames: the messages its computing
// worker, started with the page, posted while Go started (layouts of a
// shipped view, decoded by then), so that the first frame can draw them.
// Handed over later, they wait behind the first frames, which the browser
// runs first.
func yieldToPage() {
	done := make(chan struct{})
	f := js.FuncOf(func(js.Value, []js.Value) any {
		close(done)
		return nil
	})
	defer f.Release()
	js.Global().Call("setTimeout", f, 0)
	<-done
}
