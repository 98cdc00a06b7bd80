package app

import (
	"annvis/core/bundle"
	"annvis/core/params"
	"annvis/core/viewstate"
)

// Source is where a view's layouts come from: a pipeline computing them
// on its own goroutine (desktop) or in Web Workers (page). The game only
// reads what the source has computed so far and tells it what it wants; its
// methods never block for long. The meanings are viewstate.Shared's.
type Source interface {
	Status() viewstate.Status
	Stages() []string // stage names; nil until known
	N() int           // digits of the view
	Ready(k int) bool // stage k has a layout to draw
	Positions(k int, dst []float64) []float64
	Labels() []uint8
	Predicted(k int) []uint8
	Image(i int) []uint8 // digit i's 28×28 pixels, or nil
	Quality(k int) viewstate.Quality
	Panel(k int) *viewstate.Panel // neuron views: stage k, nil until done
	Bundles() *bundle.Result      // bundled view, in layout units; nil until done
	SetBundleAll(all bool)        // bundle all classes together rather than each
	Pause(paused bool)            // stop computing while the view is hidden
	Close()                       // the view was left: stop for good
}

// Opener starts computing the view p and returns its source.
type Opener func(p params.Params) Source

// TrainedOpener starts computing the view p of the network in the
// checkpoint file b, which a train view trained, and returns its source.
type TrainedOpener func(p params.Params, b []byte) Source

// DataFor returns the data set of sets that the view p shows: the second
// for the model cnn, if there is a second, else the first.
func DataFor[T any](p params.Params, sets []T) T {
	if p.Model == "cnn" && len(sets) > 1 {
		return sets[1]
	}
	return sets[0]
}
