//go:build js && wasm

package main

import (
	"syscall/js"
	"time"
	_ "unsafe" // for go:linkname

	"github.com/hajimehoshi/ebiten/v2"
)

// ebitenMonitor is Ebiten's monitor in the browser (internal/ui.theMonitor
// of Ebiten v2.8.8, whose only field is this one). Ebiten reads
// window.devicePixelRatio once, into that field, and sizes the canvas's
// backing store and the game's screen with it for good: after a browser
// zoom or a move to another screen the page would stay blurry (or draw
// more pixels than the screen shows). Ebiten has no API to read it again
// (its source says so: "If DeviceScaleFactor changes, call
// updateScreenSize. Now there is not a good way to detect the change").
//
//go:linkname ebitenMonitor github.com/hajimehoshi/ebiten/v2/internal/ui.theMonitor
var ebitenMonitor *struct{ deviceScaleFactor float64 }

// zoom follows window.devicePixelRatio while the page is open.
type zoom struct {
	ratio float64 // the ratio Ebiten was last made to use
}

// follow makes Ebiten use the page's current devicePixelRatio if it
// changed: it forgets the ratio it read and resizes the canvas, as a
// resize of the window does. It does nothing if Ebiten's monitor is not
// laid out as expected (its cached ratio differs from what Ebiten reports).
func (z *zoom) follow() {
	r := js.Global().Get("devicePixelRatio").Float()
	if z.ratio == 0 {
		z.ratio = ebiten.Monitor().DeviceScaleFactor()
	}
	m := ebitenMonitor
	if r <= 0 || r == z.ratio || m == nil || m.deviceScaleFactor != z.ratio {
		return
	}
	m.deviceScaleFactor = 0 // read again
	z.ratio = ebiten.Monitor().DeviceScaleFactor()
	js.Global().Call("dispatchEvent", js.Global().Get("Event").New("resize"))
}

// watch asks for a frame whenever window.devicePixelRatio changes, so that
// follow runs even while the picture stands still: then the page draws no
// frame, and a move of the window to a screen of another density sends no
// resize event. It looks every zoomEvery (a media query of the ratio would
// tell at once, but headless Chromium sends no change event for it).
func (z *zoom) watch() {
	r := js.Global().Get("devicePixelRatio").Float()
	for range time.Tick(zoomEvery) {
		if now := js.Global().Get("devicePixelRatio").Float(); now != r {
			r = now
			redraw()
		}
	}
}

// zoomEvery is how often watch looks at window.devicePixelRatio.
const zoomEvery = 250 * time.Millisecond
