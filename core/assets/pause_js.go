//go:build js

package assets

import "time"

// pauseEvery is the most work done between two pauses.
const pauseEvery = 20 * time.Millisecond

// paused is when pause last let the event loop run.
var paused time.Time

// pause lets the browser's event loop run (a worker's messages, a page's
// frames) once pauseEvery has passed since it last did: a goroutine on
// js/wasm keeps its thread until it blocks. A browser delays the timer of
// a sleep by at least 4 ms (nested timers), so pausing after every chunk
// made hashing and inflating a 16 MB asset wait about 90 such timers.
func pause() {
	if time.Since(paused) < pauseEvery {
		return
	}
	time.Sleep(time.Millisecond)
	paused = time.Now()
}
