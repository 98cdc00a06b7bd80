//go:build js && wasm

// Command worker is annvis's computing program, run by the page in Web
// Workers (static/worker.js): it fetches, verifies, decompresses and decodes
// the assets, runs the networks, t-SNE, MDS, ExtraTrees and the bundling
// (core/pipeline on goroutines of its own), and posts what it computed as
// compact binary updates (viewstate.Encoder) while the layouts improve. It
// links no Ebiten, so it is small and starts fast.
//
// Messages from the page (objects with a type):
//
//	{type: "open", id, query}      start computing the view query as job id
//	{type: "open", id, query, data, dataId}  the same on the user's data: the bytes of a
//	                               .npz (a Uint8Array), read once per dataId (core/userdata;
//	                               the page numbers a file pair 2k and 2k+1)
//	{type: "bundleAll", id, all}   bundled view: bundle all classes together or each
//	{type: "pause", id, paused}    stop computing (hidden page) or resume
//	{type: "pauseTraining", id, paused}  train view: pause or resume the training
//	{type: "open", id, query, trainElsewhere: true}  a train view whose run another
//	                               worker steps: it projects the stages its reports bring
//	{type: "open", id, query, checkpoint}  the view query of the network in checkpoint
//	                               (a Uint8Array: a checkpoint file a train view trained)
//	{type: "train", id, query}     step the run of the train view query alone
//	                               (pipeline.StartTrainer), reporting its progress
//	{type: "trainReport", id, data}  job id (opened with trainElsewhere) takes a report
//	                               of its run (a Uint8Array)
//	{type: "close", id}            the view was left: stop job id for good
//	{type: "prepare", id, query, stage}  compute stage of the live view query
//	                               alone (pipeline.Preparer: t-SNE affinities, a neuron panel)
//	{type: "expect", id, stage}    another worker prepares job id's stage (pipeline.Expect)
//	{type: "adopt", id, stage, data}     job id's stage takes what another worker
//	                               prepared (a Uint8Array) instead of computing it
//	{type: "share", id, port}      job id's t-SNE has the worker at the other end of
//	                               port (a MessagePort) compute part of every gradient
//	{type: "help", id, port}       compute the forces a view of another worker asks for
//	                               on port (tsne.Forces), until it sends an empty message
//	{type: "classes", id, files}   read the class names of the user's .npz files (an
//	                               array of Uint8Arrays), for the page's legend and
//	                               class filter, before a view opens on them
//	{type: "classes", id, url}     the same of the data set cmd/layouts -data published
//	                               at url (data/NAME.npz), fetched here
//
// Messages to the page: {id, data} with data a Uint8Array update
// (transferred), or {id, error} when the job cannot start; for a prepare
// job {id, affinities} (a Uint8Array, transferred) or {id, error}; for a
// train job {id, report} (a Uint8Array, transferred), which the page hands
// to the view's job; for a classes request {id, classes, errors}: per file
// its class names and "", or none and why they could not be read, and for
// a url the fetched file in files (a Uint8Array, transferred); and
// {mark, at} at each moment of its work the page's timeline lists (see
// mark). The train view is a job like the others: its updates
// carry the run's state and its latest network (viewstate.Snapshot.Training
// and Trained), whether it trains itself or another worker does.
package main

import (
	"fmt"
	"syscall/js"
	"time"

	"annvis/core/params"
	"annvis/core/pipeline"
	"annvis/core/userdata"
	"annvis/core/viewstate"
	"annvis/wasm/jsfetch"
)

// publishEvery is how often a job posts what changed (progress, stages
// done); layoutsEvery how often it also posts the layouts still
// converging: the page redraws them at this pace, and its thread stays free
// in between.
const publishEvery, layoutsEvery = 40 * time.Millisecond, 250 * time.Millisecond

// trainLayoutsEvery is layoutsEvery while the train view's run trains,
// which shares the machine's cores with the projection and the drawing:
// every update the page shows costs it a frame drawn, 40-50 ms of the GPU
// process's CPU with software WebGL (bench/train.sh, issue 12). (Before the
// page ran frames on demand, each cost four frames, and at 250 ms the
// drawing took as much CPU as the trainer.)
const trainLayoutsEvery = 500 * time.Millisecond

// job is one view computed for the page.
type job struct {
	id     int
	src    *pipeline.Background
	stop   chan struct{}
	helper *portHelper // the worker computing part of its gradients, or nil
}

// worker holds the jobs of this worker; used from JS callbacks only, which
// run one at a time.
type worker struct {
	jobs  map[int]*job
	fetch pipeline.Fetcher
	prep  *pipeline.Preparer    // the stages prepared for other workers' views
	data  map[int]*userdata.Set // the user's data sets read, by dataId (the latest file or two)
}

func main() {
	mark("Go running")
	fetch := pipeline.Remember(marked(jsfetch.Model))
	w := &worker{jobs: map[int]*job{}, fetch: fetch, prep: pipeline.NewPreparer(fetch), data: map[int]*userdata.Set{}}
	g := js.Global()
	g.Set("annvisReceive", js.FuncOf(func(_ js.Value, args []js.Value) any {
		w.handle(args[0])
		return nil
	}))
	inbox := g.Get("annvisInbox")
	for i := range inbox.Length() {
		w.handle(inbox.Index(i))
	}
	inbox.Set("length", 0)
	select {}
}

// handle acts on one message from the page.
func (w *worker) handle(m js.Value) {
	id := m.Get("id").Int()
	j := w.jobs[id]
	typ := m.Get("type").String()
	if typ == "open" || typ == "train" || typ == "prepare" {
		mark(fmt.Sprintf("%s job %d", typ, id))
	}
	switch typ {
	case "open":
		w.open(id, m.Get("query").String(), m)
	case "train":
		w.train(id, m.Get("query").String())
	case "trainReport":
		if j != nil {
			j.src.Report(bytesOf(m.Get("data")))
		}
	case "bundleAll":
		if j != nil {
			j.src.SetBundleAll(m.Get("all").Bool())
		}
	case "pause":
		if j != nil {
			j.src.Pause(m.Get("paused").Bool())
		}
	case "pauseTraining":
		if j != nil {
			j.src.PauseTraining(m.Get("paused").Bool())
		}
	case "close":
		if j != nil {
			if j.helper != nil {
				j.helper.close()
			}
			j.src.Close()
			close(j.stop)
			delete(w.jobs, id)
		}
	case "share":
		w.share(id, m.Get("port"))
	case "help":
		help(m.Get("port"))
	case "classes":
		go classNames(id, m)
	case "prepare":
		go w.prepare(id, m.Get("query").String(), m.Get("stage").Int())
	case "expect":
		if j != nil {
			j.src.Expect(m.Get("stage").Int())
		}
	case "adopt":
		if j != nil {
			mark(fmt.Sprintf("job %d: stage %d adopted", id, m.Get("stage").Int()))
			j.adopt(m.Get("stage").Int(), m.Get("data"))
		}
	}
}

// prepare computes a stage of the live view query alone and posts it to
// the page, or why it could not; the stages of one view prepared here share
// its forward pass (pipeline.Preparer).
func (w *worker) prepare(id int, query string, stage int) {
	p, err := parse(query)
	var b []byte
	if err == nil {
		b, err = w.prep.Prepare(p, stage)
	}
	if err != nil {
		post(map[string]any{"id": id, "error": err.Error()}, js.Undefined())
		return
	}
	mark(fmt.Sprintf("prepare job %d: stage %d prepared", id, stage))
	postBytes(id, "affinities", b)
}

// parse reads the query of a view the page's game validated: its classes
// may be those of the user's data, up to params.MaxClasses (the pipeline
// checks them against the data's own, or MNIST's digits).
func parse(query string) (params.Params, error) {
	return params.ParseClasses(query, params.MaxClasses)
}

// adopt hands the job's stage what another worker prepared; what does not
// decode is dropped, and the stage is computed here.
func (j *job) adopt(stage int, data js.Value) {
	if err := j.src.AdoptStage(stage, bytesOf(data)); err != nil {
		js.Global().Get("console").Call("warn", "worker: stage", stage, "prepared elsewhere dropped:", err.Error())
	}
}

// open starts job id computing the view query.
func (w *worker) open(id int, query string, m js.Value) {
	p, err := parse(query)
	var set *userdata.Set
	if err == nil {
		set, err = w.userData(m)
	}
	if err != nil {
		post(map[string]any{"id": id, "error": err.Error()}, js.Undefined())
		return
	}
	j := &job{id: id, stop: make(chan struct{})}
	switch {
	case set != nil:
		j.src = pipeline.StartDataInWorker(p, set)
	case m.Get("checkpoint").Truthy():
		j.src = pipeline.StartWithCheckpoint(p, w.fetch, pipeline.TrainedFile, bytesOf(m.Get("checkpoint")), pipeline.WorkerLoop)
	case m.Get("trainElsewhere").Truthy():
		j.src = pipeline.StartProjecting(p, w.fetch, pipeline.WorkerLoop)
	default:
		j.src = pipeline.StartInWorker(p, w.fetch)
	}
	w.jobs[id] = j
	go j.publish()
}

// train starts job id stepping the run of the train view query, posting
// its reports to the page.
func (w *worker) train(id int, query string) {
	p, err := parse(query)
	if err != nil {
		post(map[string]any{"id": id, "error": err.Error()}, js.Undefined())
		return
	}
	report := func(b []byte) { postBytes(id, "report", b) }
	j := &job{id: id, stop: make(chan struct{}), src: pipeline.StartTrainer(p, w.fetch, report, pipeline.WorkerLoop)}
	w.jobs[id] = j
	go j.watch()
}

// bytesOf copies the Uint8Array u8 into Go.
func bytesOf(u8 js.Value) []byte {
	b := make([]byte, u8.Get("length").Int())
	js.CopyBytesToGo(b, u8)
	return b
}

// userData returns the user's data set of the open message m, read from its
// bytes the first time its dataId is seen, or nil when m has none.
func (w *worker) userData(m js.Value) (*userdata.Set, error) {
	data := m.Get("data")
	if data.Type() != js.TypeObject {
		return nil, nil
	}
	id := m.Get("dataId").Int()
	if set := w.data[id]; set != nil {
		return set, nil
	}
	set, err := userdata.ReadNPZ(bytesOf(data), userdata.Page)
	if err != nil {
		return nil, err
	}
	for k := range w.data {
		if k < id-1 { // an older file the page no longer shows
			delete(w.data, k)
		}
	}
	w.data[id] = set
	return set, nil
}

// publish posts the job's updates every publishEvery until it is closed,
// skipping those that bring nothing new.
func (j *job) publish() {
	var enc viewstate.Encoder
	var buf []byte
	var marks progress
	var layouts time.Time // when the layouts were last posted
	for {
		j.src.Update(func(s *viewstate.Snapshot) {
			enc.Hold = time.Since(layouts) < layoutsPace(s)
			if !enc.Hold {
				layouts = time.Now()
			}
			buf = enc.Encode(buf[:0], s)
			marks.note(j.id, s)
		})
		if enc.News() {
			postBytes(j.id, "data", buf)
		}
		select {
		case <-j.stop:
			return
		case <-time.After(publishEvery):
		}
	}
}

// layoutsPace is how often a job whose snapshot is s posts its layouts
// still converging: trainLayoutsEvery while its train view's run trains,
// else layoutsEvery.
func layoutsPace(s *viewstate.Snapshot) time.Duration {
	if tr := s.Training; tr != nil && tr.Unfinished() && !tr.Paused {
		return trainLayoutsEvery
	}
	return layoutsEvery
}

// postBytes posts {id, key: b} to the page, b as a Uint8Array whose buffer
// is transferred.
func postBytes(id int, key string, b []byte) {
	u8 := uint8Array(b)
	post(map[string]any{"id": id, key: u8}, js.ValueOf([]any{u8.Get("buffer")}))
}

// uint8Array returns a new Uint8Array holding a copy of b.
func uint8Array(b []byte) js.Value {
	u8 := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u8, b)
	return u8
}

// post sends msg to the page, transferring the buffers in transfer
// (undefined: none).
func post(msg map[string]any, transfer js.Value) {
	if transfer.IsUndefined() {
		js.Global().Call("postMessage", msg)
		return
	}
	js.Global().Call("postMessage", msg, transfer)
}
