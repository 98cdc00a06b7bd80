package pipeline_test

import (
	"errors"
	"fmt"
	"time"

	"annvis/core/params"
	"annvis/core/pipeline"
)

func ExampleNew() {
	offline := func(name string, limit int64) ([]byte, error) { return nil, errors.New("offline") }
	pl := pipeline.New(params.Default(), offline, false)
	// A frame loop calls Step once per frame; here, until the pipeline stops.
	for pl.Step(10*time.Millisecond) == nil && !pl.Status().Done {
	}
	fmt.Println(pl.Status().Phase, "-", pl.Status().Err)
	// Output: error - pipeline: manifest.json: download check failed: offline. Check the connection and reload the page; if it persists, the site is missing the file.
}
