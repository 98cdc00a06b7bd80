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

// data returns the game's Opener of pipelines on the user's data sets, on
// their own goroutines (pipeline.StartData): the second set, if any, takes
// the CNN's place (key m, the compare view's right side), the first the
// MLP's.
func data(sets ...*userdata.Set) app.Opener {
	return func(p params.Params) app.Source { return pipeline.StartData(p, app.DataFor(p, sets)) }
}
