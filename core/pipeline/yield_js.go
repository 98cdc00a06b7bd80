//go:build js

package pipeline

import "time"

// yield lets the JS event loop run between slices of work: a js/wasm Go
// program returns to it only when every goroutine is blocked, and a sleep
// blocks (it becomes a setTimeout).
func yield() { time.Sleep(time.Millisecond) }
