package main

import (
	"annvis/core/app"
	"annvis/core/params"
	"annvis/core/pipeline"
	"annvis/core/userdata"
)

// background returns the game's Opener of pipelines on their own
// goroutines (pipeline.Start), fetching each asset once through fetch
// however often the view changes.
func background(fetch pipeline.Fetcher) app.Opener {
	fetch = pipeline.Remember(fetch)
	return func(p params.Params) app.Source { return pipeline.Start(p, fetch) }
}

// trained returns the game's TrainedOpener of pipelines on their own
// goroutines (pipeline.StartWithCheckpoint): the views of the network a
// train view trained.
func trained(fetch pipeline.Fetcher) app.TrainedOpener {
	fetch = pipeline.Remember(fetch)
	return func(p params.Params, b []byte) app.Source {
		return pipeline.StartWithCheckpoint(p, fetch, pipeline.TrainedFile, b, 0)
	}
}

// data returns the game's Opener of pipelines on the user's data sets, on
// their own goroutines (pipeline.StartData): the second set, if any, takes
// the CNN's place (key m, the compare view's right side), the first the
// MLP's.
func data(sets ...*userdata.Set) app.Opener {
	return func(p params.Params) app.Source { return pipeline.StartData(p, app.DataFor(p, sets)) }
}
