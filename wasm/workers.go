//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"syscall/js"

	"annvis/core/app"
	"annvis/core/params"
	"annvis/core/viewstate"
)

// maxWorkers bounds the computing workers of a page.
const maxWorkers = 4

// pool runs the page's views in Web Workers (static/worker.js running
// worker.wasm, see wasm/worker): each view a job on the least busy worker,
// started lazily, up to size workers; the stages of a live view that
// prepare alone (viewstate.SplitStages) are prepared by the other workers
// and handed to the view's; the train view's run steps in another worker
// than its projections (pipeline.StartTrainer), whose reports the pool
// hands to the view's. Its methods and its JS callbacks run on the page's
// thread, one at a time.
type pool struct {
	size     int
	workers  []js.Value
	load     []int // open jobs per worker
	jobs     map[int]*workerSource
	helpers  map[int]helper        // stage preparations, by job id
	requests map[int]dataRequest   // the user's files a worker reads the class names of, by job id
	trainers map[int]*workerSource // train views' runs stepped elsewhere, by job id: the view
	prepared int                   // stage preparations handed to views
	reports  int                   // training reports handed to views
	early    js.Value              // page.js's first worker and its job 0 (startWorker), until the first view opens
	next     int                   // next job id
	data     []js.Value            // the user's .npz files (Uint8Arrays) the views show (app.DataFor), or none
	dataID   int                   // numbers data for the workers, which read each once
}

// newPool returns a pool of at most size workers.
func newPool(size int) *pool {
	return &pool{size: max(size, 1), jobs: map[int]*workerSource{}, helpers: map[int]helper{}, requests: map[int]dataRequest{}, trainers: map[int]*workerSource{},
		next: 1, early: js.Global().Get("annvisEarly")}
}

// helper is a stage of a view's job prepared by another worker.
type helper struct {
	view   *workerSource
	stage  int
	worker int
}

// workerCount is the number of workers the page may start:
// window.annvisWorkers when it is set to a number ≥ 1 (tests and benchmarks
// force it), else navigator.hardwareConcurrency, at most maxWorkers.
func workerCount() int {
	if n := js.Global().Get("annvisWorkers"); n.Type() == js.TypeNumber && n.Int() >= 1 {
		return n.Int()
	}
	if n := js.Global().Get("navigator").Get("hardwareConcurrency"); n.Type() == js.TypeNumber {
		return min(max(n.Int(), 1), maxWorkers)
	}
	return 1
}

// open is the game's app.Opener: it starts computing p in a worker (the
// train view trains there too: its updates carry the run's state and
// network, and its pause goes there as a message).
func (pl *pool) open(p params.Params) app.Source { return pl.openWith(p, nil) }

// openTrained is the game's app.TrainedOpener: it starts computing the view
// p of the network in the checkpoint file b in a worker, which the view
// prepares alone (no other worker knows the network). On the user's data
// it opens p as open does.
func (pl *pool) openTrained(p params.Params, b []byte) app.Source {
	if pl.dataID > 0 {
		return pl.open(p)
	}
	return pl.openWith(p, b)
}

// openWith opens p, on the network of the checkpoint file b if not nil.
func (pl *pool) openWith(p params.Params, b []byte) app.Source {
	early, kept := pl.takeEarly(p, b != nil)
	if kept == earlyTrains {
		pl.load[0]++ // the view is projected elsewhere
	}
	w := pl.pick()
	src := &workerSource{pool: pl, id: pl.next, worker: w, trainerWorker: -1, helperWorker: -1}
	if kept == earlyViews {
		src.id = 0
	} else {
		pl.next++
	}
	pl.jobs[src.id] = src
	pl.load[w]++
	src.Update(func(s *viewstate.Snapshot) { s.Status.Phase = "starting the computing worker" })
	if kept != earlyViews {
		msg := map[string]any{"type": "open", "query": p.Encode()}
		if pl.dataID > 0 {
			i := app.DataFor(p, []int{0, 1}[:len(pl.data)])
			msg["data"], msg["dataId"] = pl.data[i], 2*pl.dataID+i
		}
		switch {
		case kept == earlyTrains:
			msg["trainElsewhere"] = true
			src.trainer, src.trainerWorker = 0, 0
			pl.trainers[0] = src
		case pl.trainsElsewhere(p):
			msg["trainElsewhere"] = true
			pl.train(src, p)
		}
		if b != nil {
			u8 := js.Global().Get("Uint8Array").New(len(b))
			js.CopyBytesToJS(u8, b)
			msg["checkpoint"] = u8
		}
		src.post(msg)
	}
	if pl.dataID == 0 && b == nil {
		src.shares = pl.size >= 2 && viewstate.SharesGradient(p)
		pl.split(src, p)
		pl.shareOnceSplit(src)
	}
	if early.Truthy() {
		pl.replay(early)
	}
	return src
}

// What page.js's first worker's job 0 does for the first view (takeEarly).
const (
	earlyDropped = iota // nothing the view needs: it was closed
	earlyViews          // it computes the view
	earlyTrains         // it steps the run of the train view, which another worker projects
)

// takeEarly takes page.js's first worker into the pool (as worker 0), the
// first time a view opens, and reports what its job 0 does for the view p
// (it is closed if nothing); it returns what page.js kept of the worker
// (its messages and errors so far, for replay), or undefined.
func (pl *pool) takeEarly(p params.Params, trained bool) (early js.Value, kept int) {
	early = pl.early
	pl.early = js.Undefined()
	if !early.Truthy() {
		return js.Undefined(), earlyDropped
	}
	w := pl.attach(early.Get("worker"))
	q, err := params.Parse(early.Get("query").String())
	trains := pl.trainsElsewhere(p)
	if err == nil && q == p && pl.dataID == 0 && !trained && early.Get("trains").Truthy() == trains {
		if trains {
			return early, earlyTrains
		}
		return early, earlyViews
	}
	pl.workers[w].Call("postMessage", map[string]any{"type": "close", "id": 0})
	return early, earlyDropped
}

// replay handles what a worker page.js started (early, see takeEarly, or a
// spare, see start) posted before the pool took it over.
func (pl *pool) replay(early js.Value) {
	w := early.Get("worker")
	i := slices.IndexFunc(pl.workers, func(v js.Value) bool { return v.Equal(w) })
	msgs, errs := early.Get("messages"), early.Get("errors")
	for k := range msgs.Length() {
		pl.receive(i, msgs.Index(k))
	}
	for k := range errs.Length() {
		pl.failed(i, errs.Index(k))
	}
}

// trainsElsewhere reports whether the view p trains in another worker than
// the one projecting it: a train view, in a pool of two workers or more.
func (pl *pool) trainsElsewhere(p params.Params) bool {
	return p.View == "train" && pl.size >= 2
}

// train has another worker step the run of the train view src computes.
func (pl *pool) train(src *workerSource, p params.Params) {
	w := pl.pickOther(src.worker)
	src.trainer, src.trainerWorker = pl.next, w
	pl.next++
	pl.trainers[src.trainer] = src
	pl.load[w]++
	pl.workers[w].Call("postMessage", map[string]any{"type": "train", "id": src.trainer, "query": p.Encode()})
}

// trained hands a report of the run the trainer job id steps to its view's
// worker, or shows the error it could not start with.
func (pl *pool) trained(id int, m js.Value) {
	src := pl.trainers[id]
	switch r := m.Get("report"); {
	case src.closed:
	case m.Get("error").Type() == js.TypeString:
		src.fail(errors.New(m.Get("error").String()))
	case r.Type() == js.TypeObject:
		src.post(map[string]any{"type": "trainReport", "data": r}, r.Get("buffer"))
		pl.reports++
		js.Global().Get("annvis").Set("trainReports", pl.reports)
	}
}

// split has the other workers prepare the stages of the view src computes
// that prepare alone, if the pool has more than one worker, and tells the
// view's worker which (a neurons view then runs those stages' networks
// only if they do not come).
func (pl *pool) split(src *workerSource, p params.Params) {
	for _, k := range viewstate.SplitStages(p) {
		if pl.size < 2 {
			return
		}
		w := pl.pickOther(src.worker)
		id := pl.next
		pl.next++
		pl.helpers[id] = helper{view: src, stage: k, worker: w}
		pl.load[w]++
		pl.workers[w].Call("postMessage", map[string]any{"type": "prepare", "id": id, "query": p.Encode(), "stage": k})
		src.post(map[string]any{"type": "expect", "stage": k})
	}
}

// helped hands the affinities a helper's worker prepared to the view's
// worker (the view prepares the stage itself if they do not come).
func (pl *pool) helped(id int, m js.Value) {
	h := pl.helpers[id]
	delete(pl.helpers, id)
	pl.load[h.worker]--
	a := m.Get("affinities")
	if h.view.closed || a.Type() != js.TypeObject {
		return
	}
	h.view.post(map[string]any{"type": "adopt", "stage": h.stage, "data": a}, a.Get("buffer"))
	pl.prepared++
	js.Global().Get("annvis").Set("stagesPrepared", pl.prepared)
	pl.shareOnceSplit(h.view)
}

// shareOnceSplit has another worker compute part of every gradient of the
// view src computes (tsne.Sequence.Share), through a MessageChannel between
// the two workers, once no other worker prepares a stage of it (SplitStages:
// their workers would answer only once done), if the view shares its
// gradients (viewstate.SharesGradient) and has not yet, and if another
// worker has no view of its own (the compare view's two live views do not
// share).
func (pl *pool) shareOnceSplit(src *workerSource) {
	if !src.shares || src.closed {
		return
	}
	for _, h := range pl.helpers {
		if h.view == src {
			return
		}
	}
	src.shares = false
	w := pl.pickOther(src.worker)
	if pl.load[w] > 0 {
		return // it computes another view: it would answer between that view's slices
	}
	src.helperWorker = w
	pl.load[w]++
	ch := js.Global().Get("MessageChannel").New()
	mine, theirs := ch.Get("port1"), ch.Get("port2")
	src.post(map[string]any{"type": "share", "port": mine}, mine)
	pl.workers[w].Call("postMessage", map[string]any{"type": "help", "id": -1, "port": theirs}, []any{theirs})
}

// classNames has a worker read the class names of the user's .npz files
// (Uint8Arrays), and calls answer with what it read.
func (pl *pool) classNames(files []js.Value, answer func(dataAnswer)) {
	list := make([]any, len(files))
	for i, f := range files {
		list[i] = f
	}
	pl.ask(map[string]any{"type": "classes", "files": list}, len(files), answer)
}

// fetchData has a worker fetch the data set published at url and read its
// class names, and calls answer with it.
func (pl *pool) fetchData(url string, answer func(dataAnswer)) {
	pl.ask(map[string]any{"type": "classes", "url": url}, 1, answer)
}

// ask posts the request msg about the user's files to the least busy
// worker, starting one if there is none, and has answer called with its
// answer (or its failure).
func (pl *pool) ask(msg map[string]any, files int, answer func(dataAnswer)) {
	early := pl.early
	if early.Truthy() {
		pl.takeEarly(params.Params{}, true) // its job 0 computes a view the files replace: closed
	}
	w := pl.leastLoaded(-1)
	if w < 0 {
		w = pl.start()
	}
	msg["id"] = pl.next
	pl.requests[pl.next] = dataRequest{worker: w, files: files, answer: answer}
	pl.next++
	pl.workers[w].Call("postMessage", msg)
	if early.Truthy() {
		pl.replay(early)
	}
}

// dataAnswer is a worker's answer about the user's files: per file its
// class names and the error that kept them from being read (then nil and
// no names), and the file it fetched, if any.
type dataAnswer struct {
	classes [][]string
	errs    []error
	files   []js.Value
}

// dataRequest is a request to a worker about the user's files.
type dataRequest struct {
	worker int
	files  int
	answer func(dataAnswer)
}

// reply answers with the worker's message m: {classes, errors, files}.
func (r dataRequest) reply(m js.Value) {
	d := dataAnswer{classes: make([][]string, r.files), errs: make([]error, r.files)}
	for i := range r.files {
		d.classes[i] = []string{}
		if e := m.Get("errors").Index(i).String(); e != "" {
			d.errs[i] = errors.New(e)
			continue
		}
		names := m.Get("classes").Index(i)
		for k := range names.Length() {
			d.classes[i] = append(d.classes[i], names.Index(k).String())
		}
	}
	if f := m.Get("files"); f.Type() == js.TypeObject {
		for i := range f.Length() {
			d.files = append(d.files, f.Index(i))
		}
	}
	r.answer(d)
}

// fail answers that no file could be read: the worker failed with msg.
func (r dataRequest) fail(msg string) {
	d := dataAnswer{classes: make([][]string, r.files), errs: make([]error, r.files)}
	for i := range d.classes {
		d.classes[i], d.errs[i] = []string{}, errors.New(msg)
	}
	r.answer(d)
}

// pickOther returns the least busy worker but w, starting a new one while
// all are busy and the pool is not full.
func (pl *pool) pickOther(w int) int { return pl.orStart(pl.leastLoaded(w)) }

// pick returns the least busy worker, starting a new one while all are
// busy and the pool is not full.
func (pl *pool) pick() int { return pl.orStart(pl.leastLoaded(-1)) }

// leastLoaded returns the least busy worker but not (-1: any), or -1 if
// there is none.
func (pl *pool) leastLoaded(not int) int {
	best := -1
	for i, n := range pl.load {
		if i != not && (best < 0 || n < pl.load[best]) {
			best = i
		}
	}
	return best
}

// orStart returns worker w if it is idle or the pool is full, else a new
// worker.
func (pl *pool) orStart(w int) int {
	if w >= 0 && (pl.load[w] == 0 || len(pl.workers) == pl.size) {
		return w
	}
	return pl.start()
}

// start starts a worker, handing it the compiled worker.wasm and the assets
// page.js prefetched, and returns its index; a worker page.js started
// already for the view (window.annvisSpare, see startTrainView) is taken
// first, with the marks it posted so far, unless it failed (then a new
// worker fails again, and its failure reaches the view that needs it).
func (pl *pool) start() int {
	if spare := js.Global().Get("annvisSpare"); spare.Truthy() && spare.Length() > 0 {
		rec := spare.Call("shift")
		if rec.Get("errors").Length() == 0 && !posted(rec, "fatal") {
			i := pl.attach(rec.Get("worker"))
			pl.replay(rec)
			return i
		}
		rec.Get("worker").Call("terminate")
	}
	w := js.Global().Get("Worker").New("worker.js")
	w.Call("postMessage", map[string]any{"type": "init",
		"module": js.Global().Get("annvisWorkerModule"), "prefetched": js.Global().Get("annvisPrefetched")})
	return pl.attach(w)
}

// posted reports whether a worker page.js started (rec) posted a message
// with the field key.
func posted(rec js.Value, key string) bool {
	msgs := rec.Get("messages")
	for k := range msgs.Length() {
		if msgs.Index(k).Get(key).Type() != js.TypeUndefined {
			return true
		}
	}
	return false
}

// attach adds the started worker w to the pool and returns its index.
func (pl *pool) attach(w js.Value) int {
	i := len(pl.workers)
	onMsg := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if pl.receive(i, args[0].Get("data")) {
			redraw()
		}
		return nil
	})
	onErr := js.FuncOf(func(_ js.Value, args []js.Value) any {
		pl.failed(i, args[0].Get("message"))
		redraw()
		return nil
	})
	w.Set("onmessage", onMsg)
	w.Set("onerror", onErr)
	pl.workers = append(pl.workers, w)
	pl.load = append(pl.load, 0)
	mark(fmt.Sprintf("worker %d joined the pool", i))
	js.Global().Get("annvis").Set("workers", len(pl.workers))
	return i
}

// bigUpdate is the size (bytes) of a worker's update that the page's
// start-up timeline marks when applied before the first animated frame:
// layouts, bundles, digits.
const bigUpdate = 32 << 10

// mark lists a moment of the page's work (now) in window.annvis.marks, the
// timeline the benchmarks print (page.js's mark).
func mark(what string) {
	js.Global().Get("annvis").Get("marks").Call("push", []any{math.Round(now().Float()), what})
}

// failed shows that worker i failed to start, with its error message m.
func (pl *pool) failed(i int, m js.Value) {
	msg := "the computing worker failed to start (worker.js)"
	if m.Type() == js.TypeString && m.String() != "" {
		msg += ": " + m.String()
	}
	pl.fail(i, msg)
}

// receive handles a message of worker w: an update or error of one of its
// jobs, its fatal error, or a mark of its work for the page's timeline. It
// reports whether the message changed what the game shows: an update or
// error of a view, not a message between workers that the page passes on.
func (pl *pool) receive(w int, m js.Value) (shown bool) {
	if m.Get("mark").Type() == js.TypeString {
		js.Global().Get("annvisPage").Call("workerMark", w, m)
		return false
	}
	if f := m.Get("fatal"); f.Type() == js.TypeString {
		pl.fail(w, f.String())
		return true
	}
	id := m.Get("id").Int()
	if r, ok := pl.requests[id]; ok {
		delete(pl.requests, id)
		r.reply(m)
		return false
	}
	if _, ok := pl.helpers[id]; ok {
		pl.helped(id, m)
		return false
	}
	if _, ok := pl.trainers[id]; ok {
		pl.trained(id, m)
		return m.Get("error").Type() == js.TypeString
	}
	src := pl.jobs[id]
	if src == nil {
		return false // closed
	}
	if e := m.Get("error"); e.Type() == js.TypeString {
		src.fail(errors.New(e.String()))
		return true
	}
	data := m.Get("data")
	b := make([]byte, data.Get("length").Int())
	js.CopyBytesToGo(b, data)
	var err error
	src.Update(func(s *viewstate.Snapshot) { err = viewstate.ApplyUpdate(s, b) })
	if len(b) >= bigUpdate && js.Global().Get("annvis").Get("firstFrameAt").Float() == 0 {
		mark(fmt.Sprintf("job %d: update of %d kB applied", id, len(b)/1000))
	}
	if err != nil {
		src.fail(fmt.Errorf("page: from the computing worker: %w", err))
	}
	return true
}

// fail shows msg as the error of every job of worker w, and answers its
// class name requests with it.
func (pl *pool) fail(w int, msg string) {
	for id, r := range pl.requests {
		if r.worker == w {
			delete(pl.requests, id)
			r.fail(msg)
		}
	}
	for _, src := range pl.jobs {
		if src.worker == w || src.trainerWorker == w {
			src.fail(errors.New(msg))
		}
	}
}

// workerSource is a view computed in a worker: the app reads the snapshot
// the worker's updates build, and its wishes are posted to the worker.
type workerSource struct {
	viewstate.Shared
	pool   *pool
	id     int
	worker int
	closed bool

	trainer, trainerWorker int  // train view: the job stepping its run elsewhere, and its worker (-1: none)
	shares                 bool // its gradients are to be shared once its stages are prepared (shareOnceSplit)
	helperWorker           int  // the worker computing part of its gradients (-1: none)
}

func (s *workerSource) post(msg map[string]any, transfer ...any) {
	msg["id"] = s.id
	if len(transfer) > 0 {
		s.pool.workers[s.worker].Call("postMessage", msg, transfer)
		return
	}
	s.pool.workers[s.worker].Call("postMessage", msg)
}

// fail stops the view on err.
func (s *workerSource) fail(err error) {
	s.Update(func(sn *viewstate.Snapshot) { sn.Status = viewstate.Status{Phase: "error", Err: err} })
}

// SetBundleAll asks the worker for the bundling wanted.
func (s *workerSource) SetBundleAll(all bool) {
	s.Shared.SetBundleAll(all)
	if !s.closed {
		s.post(map[string]any{"type": "bundleAll", "all": all})
	}
}

// Pause asks the worker (and the train view's trainer) to stop or resume
// computing.
func (s *workerSource) Pause(paused bool) {
	if s.closed {
		return
	}
	s.post(map[string]any{"type": "pause", "paused": paused})
	s.toTrainer("pause", paused)
}

// toTrainer posts a pause message of type typ to the job stepping the
// train view's run elsewhere, if there is one.
func (s *workerSource) toTrainer(typ string, paused bool) {
	if s.trainerWorker >= 0 {
		s.pool.workers[s.trainerWorker].Call("postMessage", map[string]any{"type": typ, "id": s.trainer, "paused": paused})
	}
}

// PauseTraining asks the worker to pause (true) or resume the train view's
// training; the projections of the stages so far go on.
func (s *workerSource) PauseTraining(paused bool) {
	s.Shared.PauseTraining(paused)
	if s.closed {
		return
	}
	s.post(map[string]any{"type": "pauseTraining", "paused": paused})
	s.toTrainer("pauseTraining", paused)
}

// Close tells the worker the view was left.
func (s *workerSource) Close() {
	if s.closed {
		return
	}
	s.closed = true
	s.post(map[string]any{"type": "close"})
	delete(s.pool.jobs, s.id)
	s.pool.load[s.worker]--
	if s.helperWorker >= 0 {
		s.pool.load[s.helperWorker]--
	}
	if s.trainerWorker >= 0 {
		s.pool.workers[s.trainerWorker].Call("postMessage", map[string]any{"type": "close", "id": s.trainer})
		delete(s.pool.trainers, s.trainer)
		s.pool.load[s.trainerWorker]--
	}
}
