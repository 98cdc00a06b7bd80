package pipeline

import (
	"math"
	"runtime"
	"sync"
	"time"

	"annvis/core/params"
	"annvis/core/tsne"
	"annvis/core/viewstate"
)

// SliceBudget is the work a Background pipeline does between publishing
// snapshots: the layout converges on screen in steps this long.
const SliceBudget = 20 * time.Millisecond

// fetchWait is how long a Background pipeline sleeps while it waits for an
// asset (in a js/wasm worker, sleeping also lets the event loop deliver it).
const fetchWait = 2 * time.Millisecond

// Background runs a Pipeline on its own goroutine and publishes what it has
// computed after every slice of work; its Shared methods read the latest
// snapshot, so a frame loop never waits for the computation.
type Background struct {
	viewstate.Shared
	pl     *Pipeline
	wake   chan struct{} // the reader's wishes changed
	stop   chan struct{} // closed by Close
	once   sync.Once
	mu     sync.Mutex // guards paused, adopt, slices and parks
	paused bool

	loopEvery time.Duration // under js/wasm: how often to let the event loop run
	looped    time.Time     // when it last ran
	adopt     []adoption    // affinities to hand to the pipeline
	helper    tsne.Helper   // to hand to the pipeline (Share), or nil
	expect    []int         // stages computed elsewhere, to tell the pipeline (Expect)

	// Counted so that a reader can tell when a pause
	// has taken effect without timing it: the slices of work done, and the
	// times the goroutine parked because it was paused.
	slices, parks int

	// The train view trained elsewhere (StartProjecting) or here for a view
	// projected elsewhere (StartTrainer).
	reports    [][]byte     // guarded by Shared.mu: reports to apply
	onReport   func([]byte) // StartTrainer: called with each report
	reportedAt time.Time    // when the last report was made
	trainer    *Background  // natively, the train view's trainer, paused and closed with this view
}

// reportEvery is how often a trainer reports its run's progress between
// stages (a stage is reported at once).
const reportEvery = 100 * time.Millisecond

// adoption is a stage's affinities, or its neuron panel, computed elsewhere.
type adoption struct {
	stage int
	a     *tsne.Affinities
	panel *viewstate.Panel
}

// Adopt hands stage k the affinities a computed elsewhere (see
// Pipeline.Adopt) before the pipeline's next slice.
func (b *Background) Adopt(k int, a *tsne.Affinities) {
	b.mu.Lock()
	b.adopt = append(b.adopt, adoption{stage: k, a: a})
	b.mu.Unlock()
	b.poke()
}

// Share has the pipeline's t-SNE compute part of every gradient through h
// (see Pipeline.Share), from its next slice on.
func (b *Background) Share(h tsne.Helper) {
	b.mu.Lock()
	b.helper = h
	b.mu.Unlock()
	b.poke()
}

// Start returns a Background pipeline for the view p, fetching through
// fetch, and starts it. Natively, units of work that split over goroutines
// run whole, on every core (off the drawing thread they need no slicing);
// under js/wasm, on one thread, they run in slices, and the event loop runs
// after each (the page's thread must draw).
// A train view trains on one goroutine while another projects its stages
// (see StartTrainer).
func Start(p params.Params, fetch Fetcher) *Background {
	if p.View != "train" {
		return startBackground(New(p, fetch, false))
	}
	b := StartProjecting(p, fetch, 0)
	b.trainer = StartTrainer(p, fetch, b.Report, 0)
	return b
}

// StartTrainer returns a Background pipeline that only steps the train
// view p's run, and calls report with each report of its progress (see
// trainreport.go), for a pipeline of StartProjecting to apply; loopEvery
// is as for StartInWorker (0 natively). Pause and close it with
// PauseTraining and Close.
func StartTrainer(p params.Params, fetch Fetcher, report func([]byte), loopEvery time.Duration) *Background {
	pl := New(p, fetch, false)
	pl.role = trainOnly
	return startWith(pl, loopEvery, report)
}

// StartProjecting returns a Background pipeline of the train view p whose
// run steps elsewhere (StartTrainer): it projects the stages that the
// reports handed to Report bring; loopEvery is as for StartInWorker (0
// natively).
func StartProjecting(p params.Params, fetch Fetcher, loopEvery time.Duration) *Background {
	pl := New(p, fetch, false)
	pl.role = projectOnly
	return startLooping(pl, loopEvery)
}

// Report hands the pipeline a report of its run stepped elsewhere (see
// StartProjecting).
func (b *Background) Report(r []byte) {
	b.mu.Lock()
	b.reports = append(b.reports, r)
	b.mu.Unlock()
	b.poke()
}

// WorkerLoop is how often a Background pipeline started by StartInWorker
// lets the event loop of its Web Worker run: often enough that the page's
// messages (pause, close) act at once to the eye, rarely enough that the
// browser's 4 ms minimum on nested timers costs little.
const WorkerLoop = 200 * time.Millisecond

// StartInWorker is Start for a program whose thread only computes (a Web
// Worker): between slices the pipeline yields to its other goroutines
// (those posting its updates), and to the event loop only every WorkerLoop.
func StartInWorker(p params.Params, fetch Fetcher) *Background {
	return startLooping(New(p, fetch, false), WorkerLoop)
}

// startBackground runs pl on its own goroutine.
func startBackground(pl *Pipeline) *Background { return startLooping(pl, 0) }

// startLooping runs pl on its own goroutine, letting the event loop run
// (under js/wasm) at least every loopEvery.
func startLooping(pl *Pipeline, loopEvery time.Duration) *Background {
	return startWith(pl, loopEvery, nil)
}

// startWith is startLooping for a trainer, which calls onReport with each
// report of its run (nil: the pipeline makes none).
func startWith(pl *Pipeline, loopEvery time.Duration, onReport func([]byte)) *Background {
	b := &Background{pl: pl, wake: make(chan struct{}, 1), stop: make(chan struct{}),
		loopEvery: loopEvery, looped: time.Now(), onReport: onReport}
	b.pl.whole = runtime.GOOS != "js"
	b.publish()
	go b.run()
	return b
}

// SetBundleAll chooses the bundling of the bundled view; the pipeline
// computes it if it has not yet.
func (b *Background) SetBundleAll(all bool) {
	b.Shared.SetBundleAll(all)
	b.poke()
}

// Pause stops (true) or resumes (false) the computation, for a page that is
// not visible.
func (b *Background) Pause(paused bool) {
	b.mu.Lock()
	b.paused = paused
	b.mu.Unlock()
	b.poke()
}

// PauseTraining pauses (true) or resumes (false) the train view's training;
// the projections of the stages so far go on.
func (b *Background) PauseTraining(paused bool) {
	b.Shared.PauseTraining(paused)
	b.poke()
	if b.trainer != nil {
		b.trainer.PauseTraining(paused)
	}
}

// Close stops the computation for good: the view was left.
func (b *Background) Close() {
	b.once.Do(func() { close(b.stop) })
	if b.trainer != nil {
		b.trainer.Close()
	}
}

func (b *Background) poke() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// run steps the pipeline in slices until it is closed, idling while it is
// paused or has nothing to do.
func (b *Background) run() {
	for !b.stopped() {
		all, trainPaused := b.BundleAll(), b.TrainingPaused()
		b.mu.Lock()
		paused, adopt, reports, helper, expect := b.paused, b.adopt, b.reports, b.helper, b.expect
		b.adopt, b.reports, b.helper, b.expect = nil, nil, nil, nil
		b.mu.Unlock()
		for _, k := range expect {
			b.pl.Expect(k)
		}
		if helper != nil {
			b.pl.Share(helper)
		}
		for _, r := range reports {
			b.pl.Report(r)
		}
		for _, ad := range adopt {
			if ad.panel != nil {
				b.pl.AdoptPanel(ad.stage, ad.panel)
			} else {
				b.pl.Adopt(ad.stage, ad.a)
			}
		}
		b.pl.PauseTraining(trainPaused)
		if paused {
			b.park()
			continue
		}
		b.pl.SetBundleAll(all)
		b.pl.Step(SliceBudget)
		b.publish()
		b.report()
		switch {
		case b.pl.Idle(), b.pl.awaitingReport():
			b.wait(nil)
		case b.pl.fetching():
			b.wait(time.After(fetchWait))
		case time.Since(b.looped) >= b.loopEvery:
			b.looped = time.Now()
			yield()
		default:
			runtime.Gosched()
		}
	}
}

// stopped reports whether Close was called.
func (b *Background) stopped() bool {
	select {
	case <-b.stop:
		return true
	default:
		return false
	}
}

// wait blocks until the reader's wishes change, Close is called or tick
// fires (nil: never).
func (b *Background) wait(tick <-chan time.Time) {
	select {
	case <-b.stop:
	case <-b.wake:
	case <-tick:
	}
}

// report makes a trainer's report, at once for a new stage or the end of
// the run, else every reportEvery.
func (b *Background) report() {
	pl := b.pl
	if b.onReport == nil || pl.train != nil && len(pl.names) == pl.reported.stages && !pl.Idle() && time.Since(b.reportedAt) < reportEvery {
		return
	}
	if r := pl.report(nil); len(r) > 0 {
		b.reportedAt = time.Now()
		b.onReport(r)
	}
}

// awaitingReport reports whether a pipeline projecting a run stepped
// elsewhere has nothing to do until the next report.
func (pl *Pipeline) awaitingReport() bool {
	return pl.role == projectOnly && pl.status.Err == nil && pl.train != nil && !pl.status.Done && !pl.projecting()
}

// park counts a pause taking effect, then waits until it may change.
func (b *Background) park() {
	b.mu.Lock()
	b.parks++
	b.mu.Unlock()
	b.wait(nil)
}

// publish counts a slice done and shares its snapshot.
func (b *Background) publish() {
	b.Update(b.pl.Snapshot)
	b.mu.Lock()
	b.slices++
	b.mu.Unlock()
}

// Idle reports whether the pipeline has nothing left to compute: it stopped
// on an error, or its layouts, bundling and trustworthiness are final.
func (pl *Pipeline) Idle() bool {
	if pl.status.Err != nil {
		return true
	}
	return pl.status.Done && !pl.bundlePending() && !pl.trustPending() || pl.trainIdle() && !pl.status.Done
}

// trustPending reports whether a finished live view's trustworthiness is
// still being computed (see stepTrust).
func (pl *Pipeline) trustPending() bool {
	if pl.role == trainOnly || pl.layouts != nil || pl.neuronView() || pl.p.N > MaxTrustN {
		return false
	}
	if pl.trust == nil {
		return true
	}
	for _, t := range pl.trust {
		if math.IsNaN(t.Value()) {
			return true
		}
	}
	return false
}

// fetching reports whether the pipeline waits for an asset.
func (pl *Pipeline) fetching() bool {
	return pl.status.Err == nil && (pl.names == nil || pl.want > 0)
}
