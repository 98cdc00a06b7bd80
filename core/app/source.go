package app

import (
	"annvis/core/bundle"
	"annvis/core/params"
	"annvis/core/pipeline"
	"annvis/core/userdata"
)

// Source is where a view's layouts come from: a pipeline computing them
// on its own goroutine (desktop) or in Web Workers (page). The game only
// reads what the source has computed so far and tells it what it wants; its
// methods never block for long. The meanings are pipeline.Shared's.
type Source interface {
	Status() pipeline.Status
	Stages() []string // stage names; nil until known
	N() int           // digits of the view
	Ready(k int) bool // stage k has a layout to draw
	Positions(k int, dst []float64) []float64
	Labels() []uint8
	Predicted(k int) []uint8
	Image(i int) []uint8 // digit i's 28×28 pixels, or nil
	Quality(k int) pipeline.Quality
	Panel(k int) *pipeline.Panel // neuron views: stage k, nil until done
	Bundles() *bundle.Result     // bundled view, in layout units; nil until done
	SetBundleAll(all bool)       // bundle all classes together rather than each
	Pause(paused bool)           // stop computing while the view is hidden
	Close()                      // the view was left: stop for good
}

// Opener starts computing the view p and returns its source.
type Opener func(p params.Params) Source

// Background returns the Opener of pipelines on their own goroutines
// fetching through fetch (pipeline.Start).
func Background(fetch pipeline.Fetcher) Opener {
	return func(p params.Params) Source { return pipeline.Start(p, fetch) }
}

// Data returns the Opener of pipelines on the user's data sets, on their
// own goroutines (pipeline.StartData): the second set, if any, takes the
// CNN's place (key m, the compare view's right side), the first the MLP's.
func Data(sets ...*userdata.Set) Opener {
	return func(p params.Params) Source { return pipeline.StartData(p, DataFor(p, sets)) }
}

// DataFor returns the data set of sets that the view p shows: the second
// for the model cnn, if there is a second, else the first.
func DataFor[T any](p params.Params, sets []T) T {
	if p.Model == "cnn" && len(sets) > 1 {
		return sets[1]
	}
	return sets[0]
}
