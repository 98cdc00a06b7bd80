//go:build !js

package pipeline

import "runtime"

// yield lets other goroutines run between slices of work.
func yield() { runtime.Gosched() }
