//go:build js && wasm

package main

import (
	"fmt"
	"syscall/js"
	"time"

	"annvis/core/pipeline"
	"annvis/core/viewstate"
)

// mark posts {mark: what, at} to the page: a moment of this worker's work
// (at: ms since the epoch, performance.timeOrigin + performance.now(), so
// that the page can place it on its own clock). The page lists the marks
// of its workers in window.annvis.marks, the timeline of its start-up.
func mark(what string) {
	perf := js.Global().Get("performance")
	at := perf.Get("timeOrigin").Float() + perf.Call("now").Float()
	post(map[string]any{"mark": what, "at": at}, js.Undefined())
}

// marked wraps fetch so that it marks each asset it returns.
func marked(fetch pipeline.Fetcher) pipeline.Fetcher {
	return func(name string, limit int64) ([]byte, error) {
		b, err := fetch(name, limit)
		mark(fmt.Sprintf("fetched %s, %d bytes", name, len(b)))
		return b, err
	}
}

// progress remembers what a job's marks said: its phase, its stages
// evaluated (train view) and its stages with a layout.
type progress struct {
	phase          string
	stages, layout int
}

// note marks what changed in job id's snapshot s since the last note.
func (p *progress) note(id int, s *viewstate.Snapshot) {
	stages, layout := 0, 0
	if s.Training != nil {
		stages = len(s.Training.Accuracies)
	}
	for _, pos := range s.Positions {
		if pos != nil {
			layout++
		}
	}
	if s.Status.Phase != p.phase {
		mark(fmt.Sprintf("job %d: %s", id, s.Status.Phase))
	}
	if stages != p.stages {
		mark(fmt.Sprintf("job %d: %d stages evaluated", id, stages))
	}
	if layout != p.layout {
		mark(fmt.Sprintf("job %d: %d stages with a layout", id, layout))
	}
	p.phase, p.stages, p.layout = s.Status.Phase, stages, layout
}

// watch marks the progress of a job that publishes nothing to the page
// (a trainer: its reports go to another worker), every publishEvery until
// it is closed.
func (j *job) watch() {
	var p progress
	for {
		j.src.Update(func(s *viewstate.Snapshot) { p.note(j.id, s) })
		select {
		case <-j.stop:
			return
		case <-time.After(publishEvery):
		}
	}
}
