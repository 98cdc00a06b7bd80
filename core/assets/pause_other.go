//go:build !js

package assets

// pause does nothing natively, where goroutines run in parallel.
func pause() {}
