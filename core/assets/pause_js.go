//go:build js

package assets

import "time"

// pause lets the browser's event loop run (and Ebiten draw a frame): a
// goroutine on js/wasm keeps the page's only thread until it blocks.
func pause() { time.Sleep(time.Millisecond) }
