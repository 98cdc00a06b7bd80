// Package pipeline turns annvis assets into the projections a view draws:
// it fetches and verifies the assets the view needs (in its own goroutine),
// runs the networks on the test digits in batches and projects their hidden
// layers with t-SNE sequences (digit views), or their neurons with MDS and
// ExtraTrees importances (neuron views), or takes the shipped precomputed
// layouts of a default view; the bundled view's trails it bundles too. The work is cut into small units that Step runs
// within a time budget, so a frame loop never freezes; progress and errors
// are values. It also holds the precomputed-layouts codec.
package pipeline

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"time"

	"annvis/core/assets"
	"annvis/core/mnist"
	"annvis/core/model"
	"annvis/core/neurons"
	"annvis/core/params"
	"annvis/core/tsne"
	"annvis/core/viewstate"
)

// Fetcher returns the bytes of the named asset, e.g. "mlp-e20.zst" or
// "manifest.json", or an error wrapping assets.ErrTooLarge as soon as more than
// limit bytes arrive (the manifest's size; assets.MaxManifestBytes for the
// manifest). It may block; the pipeline calls it from its own goroutine,
// never from Step.
type Fetcher func(name string, limit int64) ([]byte, error)

// Pipeline computes the layouts of one view. Create it with New and call
// Step until Status reports Done or an error.
type Pipeline struct {
	p      params.Params
	live   bool
	fetch  *fetcher
	status viewstate.Status
	names  []string // stage names, known once planned

	manifest  *assets.Manifest
	test      *mnist.Set
	ckpts     []*model.Checkpoint // in stage order (epochs) or the final one (layers)
	labels    []uint8
	preds     [][]uint8   // per stage
	acts      [][]float32 // per stage, n×dims[k]
	dims      []int
	done      int // digits through the forward pass
	seq       *tsne.Sequence
	neurons   []*neurons.View          // neuron views being computed: one per stage, in order
	panels    []*viewstate.Panel       // neuron views: the finished stages, computed or precomputed
	layouts   *Layouts                 // precomputed or exported
	shipped   string                   // SHA-256 of the shipped layouts file asked for
	quality   []viewstate.Quality      // per stage, computed once done
	trust     []*tsne.Trust            // per stage: live views' trustworthiness, stepped once done
	want      int                      // assets still awaited
	final     string                   // the final checkpoint's file
	ckptFiles []string                 // the checkpoints of the stages (epochs, neuron views)
	bundle    bundling                 // bundled view: the trails' bundling
	train     *training                // train view: the run and its stages' projections
	role      int                      // train view: trainAndProject, trainOnly or projectOnly
	reported  reporter                 // train view, trainOnly: what the reports carried
	reports   [][]byte                 // train view, projectOnly: reports received before the run started
	whole     bool                     // run long units whole, on every core (Background, natively)
	adopted   map[int]*tsne.Affinities // stages prepared elsewhere, until the sequence starts (Adopt)
	elsewhere map[int]*viewstate.Panel // neuron views: stages computed elsewhere (AdoptStage)
	forwarded bool                     // stop after the forward pass (Preparer)
	helper    tsne.Helper              // computes part of every gradient elsewhere (Share), or nil
	expected  map[int]bool             // neuron views: stages computed elsewhere (Expect) whose network has not run here
}

// New returns a pipeline for the view p describes and starts fetching its
// assets through fetch; it never blocks. With live true, precomputed layouts
// are never used (cmd/layouts computes them this way).
func New(p params.Params, fetch Fetcher, live bool) *Pipeline {
	pl := &Pipeline{p: p, live: live}
	if err := p.Validate(); err != nil {
		pl.fail(err)
		return pl
	}
	if !viewstate.KnownView(p.View) && p.View != "train" || (p.Model != "mlp" && p.Model != "cnn") {
		pl.fail(fmt.Errorf("pipeline: view %s of model %s is not available yet", p.View, p.Model))
		return pl
	}
	pl.fetch = startFetcher(fetch)
	pl.status.Phase = "fetching manifest.json"
	return pl
}

// epochView reports whether stages are checkpoints rather than layers.
func (pl *Pipeline) epochView() bool { return viewstate.Sequence(pl.p) == "epochs" || pl.neuronView() }

// neuronView reports whether the view projects neurons rather than digits.
func (pl *Pipeline) neuronView() bool { return pl.p.View == "neurons" || pl.p.View == "map" }

func (pl *Pipeline) fail(err error) {
	if pl.status.Err == nil {
		pl.status.Err = err
		pl.status.Phase = "error"
	}
}

// Status returns the current progress; in the bundled view, Progress reaches
// 1 and Phase "ready" once the trails are bundled too (Done says the layouts
// are final).
func (pl *Pipeline) Status() viewstate.Status { return pl.withBundling(pl.status) }

// Step runs units of work until budget has elapsed or nothing is left to do
// right now (for instance while waiting for an asset). It returns the error
// that stopped the pipeline, if any.
func (pl *Pipeline) Step(budget time.Duration) error {
	start := time.Now()
	for pl.status.Err == nil && (!pl.status.Done || pl.bundlePending()) {
		if !pl.unit() {
			break
		}
		if time.Since(start) >= budget {
			break
		}
	}
	pl.stepTrust(start, budget)
	return pl.status.Err
}

// MaxTrustN is the largest number of digits whose live projections get a
// trustworthiness: its cost grows with the square of N (about 10 s of a
// browser's CPU per stage at N = 2000, 256 dimensions), and it must not
// slow the animation of large views.
const MaxTrustN = 3000

// trustPoints is the number of points per unit of trustworthiness work.
const trustPoints = 4

// stepTrust spends what is left of the budget on the trustworthiness of a
// finished live view's stages, a few points at a time, while it animates.
func (pl *Pipeline) stepTrust(start time.Time, budget time.Duration) {
	if pl.status.Err != nil || !pl.status.Done || !pl.trustPending() {
		return
	}
	if pl.trust == nil {
		for k := range pl.names {
			pl.trust = append(pl.trust, tsne.NewTrust(pl.acts[k], pl.dims[k], pl.Positions(k, nil), QualityK))
		}
	}
	for _, t := range pl.trust {
		for !t.Step(trustPoints) {
			if time.Since(start) >= budget {
				return
			}
		}
	}
}

// unit does one unit of work and reports whether more can be done at once.
func (pl *Pipeline) unit() bool {
	if pl.trainView() && pl.want == 0 && pl.fetch.asked > 0 {
		return pl.trainUnit()
	}
	if pl.want > 0 || pl.names == nil {
		return pl.receive()
	}
	switch {
	case pl.status.Done:
		pl.stepBundle()
	case pl.status.Precomputed:
		pl.finish()
	case pl.done < pl.p.N:
		pl.forward()
	case pl.forwarded:
		return false
	case pl.neuronView():
		pl.stepNeurons()
	case pl.seq == nil:
		pl.startTSNE()
	default:
		pl.stepTSNE()
	}
	return true
}

// receive handles one fetched asset, if one has arrived.
func (pl *Pipeline) receive() bool {
	var r fetched
	select {
	case r = <-pl.fetch.res:
	default:
		return false
	}
	if r.err != nil {
		pl.fail(r.err)
		return false
	}
	if _, ok := r.value.(*assets.Manifest); !ok {
		pl.want--
		pl.fetch.waiting = pl.fetch.waiting[1:]
	}
	switch v := r.value.(type) {
	case *assets.Manifest:
		pl.plan(v)
	case *Layouts:
		pl.useLayouts(v)
	case *NeuronLayouts:
		pl.useNeuronLayouts(v)
	case *Bundles:
		pl.useBundles(v)
	case *mnist.Set:
		pl.useTestSet(v)
	case trainSet:
		pl.startTraining(v.Set)
	case *model.Checkpoint:
		pl.ckpts = append(pl.ckpts, v)
	}
	if pl.status.Err != nil {
		return false
	}
	pl.setFetchPhase()
	return true
}

func (pl *Pipeline) setFetchPhase() {
	if pl.want > 0 {
		pl.status.Phase = "fetching " + pl.fetch.pending()
	}
	pl.status.Progress = pl.progress()
}

// plan decides from the manifest which assets the view needs and asks for them.
func (pl *Pipeline) plan(m *assets.Manifest) {
	pl.manifest = m
	if pl.trainView() {
		pl.planTraining()
		return
	}
	net := pl.p.Model
	ckpts := m.Checkpoints(net)
	if len(ckpts) == 0 {
		pl.fail(fmt.Errorf("pipeline: manifest.json lists no %s checkpoints", net))
		return
	}
	if pl.neuronView() && len(ckpts) > 1 {
		ckpts = []assets.Asset{ckpts[0], ckpts[len(ckpts)-1]} // before and after training
	}
	if pl.epochView() {
		for _, c := range ckpts {
			pl.names = append(pl.names, fmt.Sprintf("epoch %d", c.Epoch))
		}
	} else {
		for k := range params.HiddenLayers[net] {
			pl.names = append(pl.names, fmt.Sprintf("layer %d", k+1))
		}
	}
	pl.final = ckpts[len(ckpts)-1].File
	pl.ckptFiles = nil
	for _, c := range ckpts {
		pl.ckptFiles = append(pl.ckptFiles, c.File)
	}
	layoutsFile, ok := viewstate.LayoutsFile(pl.p)
	if a, shipped := m.Find(layoutsFile); ok && shipped && !pl.live {
		pl.request(layoutsFile)
		pl.shipped = a.SHA256
		if _, shipped := m.Find(BundlesFile(layoutsFile)); shipped && pl.p.View == "bundled" {
			pl.request(BundlesFile(layoutsFile))
		}
		if !pl.neuronView() {
			pl.request(TestSetFile) // for hovering: the digits' images
		}
		return
	}
	pl.live = true
	pl.request(TestSetFile)
	pl.requestCheckpoints()
}

// requestCheckpoints asks for the checkpoints a live view needs.
func (pl *Pipeline) requestCheckpoints() {
	if !pl.epochView() {
		pl.request(pl.final)
		return
	}
	for _, f := range pl.ckptFiles {
		pl.request(f)
	}
}

// Shipped returns the views of network net whose layouts cmd/layouts
// precomputes, one per asset: the layers view, then the epochs view and the
// neurons view of each hidden layer. The other views take their layouts
// from the same assets (Sharing).
func Shipped(net string) []params.Params {
	p := params.Default()
	p.Model = net
	views := []params.Params{p}
	for _, v := range []string{"epochs", "neurons"} {
		for l := range params.HiddenLayers[net] {
			q := p
			q.View, q.Layer = v, l+1
			views = append(views, q)
		}
	}
	return views
}

// Sharing returns the views that show the layouts of the shipped view p:
// the trace view shares the digit sequences, the bundled view the epochs
// sequences, the map view the neurons view's.
func Sharing(p params.Params) []params.Params {
	views := map[string][]string{"layers": {"layers", "trace"}, "epochs": {"epochs", "trace", "bundled"},
		"neurons": {"neurons", "map"}}[p.View]
	var ps []params.Params
	for _, v := range views {
		q := p
		q.View = v
		ps = append(ps, q)
	}
	return ps
}

// TestSetFile is the asset holding the MNIST test digits.
const TestSetFile = "mnist-t10k.zst"

func (pl *Pipeline) request(name string) {
	pl.want++
	pl.fetch.get(name)
}

// useLayouts adopts precomputed layouts, which must have been computed for
// this view from the checkpoints and test set the manifest lists: stale
// layouts are an error that says what disagrees, never a silent fallback.
func (pl *Pipeline) useLayouts(l *Layouts) {
	file, _ := viewstate.LayoutsFile(pl.p)
	if err := pl.checkLayouts(l); err != nil {
		pl.fail(&viewstate.AssetError{File: file, Layer: "consistency", Err: err})
		return
	}
	pl.layouts = l
	pl.labels = l.Labels
	for _, s := range l.Stages {
		pl.preds = append(pl.preds, s.Predicted)
	}
	pl.status.Precomputed = true
}

// checkLayouts reports how l differs from what the view needs, or nil.
func (pl *Pipeline) checkLayouts(l *Layouts) error {
	p := pl.p
	if l.Network != p.Model || l.View != viewstate.Sequence(p) || l.Method != viewstate.Method(p) {
		return fmt.Errorf("they show the %s %s sequence (%s), the view needs %s %s (%s)", l.Network, l.View, l.Method, p.Model, viewstate.Sequence(p), viewstate.Method(p))
	}
	if l.N() != p.N || l.Seed != p.Seed || l.Perplexity != p.Perplexity {
		return fmt.Errorf("they were computed with n=%d seed=%d perplexity=%g, the view needs n=%d seed=%d perplexity=%g", l.N(), l.Seed, l.Perplexity, p.N, p.Seed, p.Perplexity)
	}
	if !sameNames(l.Stages, pl.names) {
		return fmt.Errorf("their %d stages are not the view's %d (%s … %s)", len(l.Stages), len(pl.names), pl.names[0], pl.names[len(pl.names)-1])
	}
	if ts := pl.source(TestSetFile); l.TestSet != ts {
		return fmt.Errorf("they were computed from a test set with SHA-256 %.12s…, manifest.json lists %s with %.12s…", l.TestSet, TestSetFile, ts)
	}
	for k, s := range l.Stages {
		f := pl.stageCheckpoint(k)
		if h := pl.source(f); s.Checkpoint != h {
			return fmt.Errorf("their %s was computed from a checkpoint with SHA-256 %.12s…, manifest.json lists %s with %.12s…", s.Name, s.Checkpoint, f, h)
		}
	}
	return nil
}

// source returns the SHA-256 the manifest lists for file, or "".
func (pl *Pipeline) source(file string) string {
	if pl.manifest == nil { // the user's data
		return ""
	}
	a, _ := pl.manifest.Find(file)
	return a.SHA256
}

// stageCheckpoint returns the checkpoint file stage k is computed from.
func (pl *Pipeline) stageCheckpoint(k int) string {
	if pl.epochView() {
		return pl.ckptFiles[k]
	}
	return pl.final
}

// sameNames reports whether the stages are named names, in order.
func sameNames(stages []Stage, names []string) bool {
	if len(stages) != len(names) {
		return false
	}
	for k, s := range stages {
		if s.Name != names[k] {
			return false
		}
	}
	return true
}

// useTestSet adopts the test set, which must hold every digit the view
// shows and, with precomputed layouts, their labels.
func (pl *Pipeline) useTestSet(t *mnist.Set) {
	if t.Len() < pl.p.N {
		pl.fail(assetErr(TestSetFile, "consistency", "it has %d digits, the view shows %d", t.Len(), pl.p.N))
	} else if pl.layouts != nil && !bytes.Equal(t.Labels[:pl.p.N], pl.layouts.Labels) {
		file, _ := viewstate.LayoutsFile(pl.p)
		pl.fail(assetErr(TestSetFile, "consistency", "its labels are not those of %s", file))
	} else {
		pl.test = t
	}
}

// finish completes a precomputed view once every asset has arrived.
func (pl *Pipeline) finish() {
	pl.status = viewstate.Status{Phase: "ready", Progress: 1, Done: true, Precomputed: pl.status.Precomputed}
}

// Batch is the number of digits per forward-pass unit.
const Batch = 100

// forward runs one batch of digits through the network(s).
func (pl *Pipeline) forward() {
	if pl.acts == nil {
		if pl.allocate(); pl.status.Err != nil {
			return
		}
	}
	from, to := pl.done, min(pl.done+Batch, pl.p.N)
	for c := range pl.ckpts {
		if pl.expected[c] {
			continue // run late, if the stage is not computed elsewhere after all (forwardLate)
		}
		if !pl.forwardBatch(c, from, to) {
			return
		}
	}
	pl.done = to
	pl.status.Phase = fmt.Sprintf("forward pass %d/%d", to, pl.p.N)
	pl.status.Progress = pl.progress()
}

// forwardBatch runs digits [from, to) through network c and collects its
// outputs; it reports false if the network failed (the pipeline has failed).
func (pl *Pipeline) forwardBatch(c, from, to int) bool {
	ck := pl.ckpts[c]
	out, err := ck.Net.Forward(pl.test.Images[from*mnist.Pixels:to*mnist.Pixels], to-from)
	if err != nil {
		pl.fail(fmt.Errorf("pipeline: forward pass of %s epoch %d: %w", ck.Arch, ck.Epoch, err))
		return false
	}
	pl.collect(c, out, from, to)
	return true
}

// allocate sizes the activation and prediction buffers once the networks are known.
func (pl *Pipeline) allocate() {
	n := pl.p.N
	pl.labels = pl.test.Labels[:n]
	hidden := pl.ckpts[0].Net.Hidden()
	if !pl.epochView() && len(hidden) != len(pl.names) { // a network opened with annvis -checkpoint
		names := make([]string, len(hidden)) // a new slice: snapshots share the old one
		for k := range hidden {
			names[k] = fmt.Sprintf("layer %d", k+1)
		}
		pl.names = names
	}
	if pl.epochView() {
		l := pl.layer()
		if l < 1 || l > len(hidden) {
			pl.fail(fmt.Errorf("pipeline: layer %d: %s has hidden layers 1..%d", l, pl.p.Model, len(hidden)))
			return
		}
		hidden = hidden[l-1 : l]
	}
	for range pl.names {
		size := hidden[0].Size
		if !pl.epochView() {
			size = hidden[len(pl.dims)].Size
		}
		pl.dims = append(pl.dims, size)
		pl.acts = append(pl.acts, make([]float32, 0, n*size))
		pl.preds = append(pl.preds, make([]uint8, n))
	}
}

// layer returns the 1-based hidden layer of an epochs or neuron view: the
// Layer parameter, or the networks' last hidden layer.
func (pl *Pipeline) layer() int {
	if pl.p.Layer == 0 && len(pl.ckpts) > 0 {
		return len(pl.ckpts[0].Net.Hidden())
	}
	return pl.p.EffectiveLayer()
}

// collect appends the activations of digits from..to of network c.
func (pl *Pipeline) collect(c int, out *model.Output, from, to int) {
	stages := []int{c}
	if !pl.epochView() {
		stages = stages[:0]
		for k := range pl.names {
			stages = append(stages, k)
		}
	}
	for _, k := range stages {
		layer := k
		if pl.epochView() {
			layer = pl.layer() - 1
		}
		pl.acts[k] = append(pl.acts[k], out.Hidden[layer]...)
		for i := from; i < to; i++ {
			pl.preds[k][i] = uint8(model.Predict(out.Logits, i-from))
		}
	}
}

// stepNeurons advances the neuron projection and discriminative map of the
// first stage not yet done.
func (pl *Pipeline) stepNeurons() {
	k := len(pl.panels)
	switch {
	case k == len(pl.names):
		pl.status = viewstate.Status{Phase: "ready", Progress: 1, Done: true}
		return
	case len(pl.neurons) == k && pl.elsewhere[k] != nil:
		pl.panels = append(pl.panels, pl.elsewhere[k])
		pl.neurons = append(pl.neurons, nil) // computed by another worker
	case len(pl.neurons) == k && pl.expected[k]:
		pl.forwardLate(k)
	case len(pl.neurons) == k:
		v, err := neurons.NewView(pl.acts[k], pl.p.N, pl.dims[k], pl.labels, neuronConfig(pl.p))
		if err != nil {
			pl.fail(fmt.Errorf("pipeline: %w", err))
			return
		}
		pl.neurons = append(pl.neurons, v)
		fallthrough
	default:
		if pl.neurons[k].Step() {
			pl.panels = append(pl.panels, NewPanel(pl.neurons[k]))
		}
	}
	pl.status.Phase = fmt.Sprintf("neurons of %s/%d", pl.names[k], len(pl.names))
	pl.status.Progress = pl.progress()
}

// neuronConfig returns the configuration of the neuron views of p.
func neuronConfig(p params.Params) neurons.ViewConfig {
	cfg := neurons.ViewConfig{MDS: neurons.MDSConfig{Seed: p.Seed}, Forest: neurons.ForestConfig{Seed: p.Seed}}
	if p.Proj == "tsne" {
		cfg.TSNE = &neurons.TSNEConfig{Seed: p.Seed}
	}
	return cfg
}

// Panel returns what the neuron views draw of stage k of a neurons or map
// view, nil until that stage is done.
func (pl *Pipeline) Panel(k int) *viewstate.Panel {
	if k < 0 || k >= len(pl.panels) {
		return nil
	}
	return pl.panels[k]
}

// useNeuronLayouts adopts precomputed neuron layouts, which must have been
// computed for this view from the checkpoints and test set the manifest
// lists, taking the stages the view shows; anything else is an error that
// says what disagrees.
func (pl *Pipeline) useNeuronLayouts(l *NeuronLayouts) {
	file, _ := viewstate.LayoutsFile(pl.p)
	panels, err := pl.checkNeuronLayouts(l)
	if err != nil {
		pl.fail(&viewstate.AssetError{File: file, Layer: "consistency", Err: err})
		return
	}
	pl.panels = panels
	pl.status.Precomputed = true
}

// checkNeuronLayouts returns the panels of l the view shows, or how l
// differs from what the view needs.
func (pl *Pipeline) checkNeuronLayouts(l *NeuronLayouts) ([]*viewstate.Panel, error) {
	p := pl.p
	if l.Network != p.Model || l.Layer != p.EffectiveLayer() || l.Method != p.Proj {
		return nil, fmt.Errorf("they show %s layer %d (%s), the view needs %s layer %d (%s)", l.Network, l.Layer, l.Method, p.Model, p.EffectiveLayer(), p.Proj)
	}
	if l.N != p.N || l.Seed != p.Seed {
		return nil, fmt.Errorf("they were computed with n=%d seed=%d, the view needs n=%d seed=%d", l.N, l.Seed, p.N, p.Seed)
	}
	if l.TestSet != pl.source(TestSetFile) {
		return nil, fmt.Errorf("they were computed from a test set with SHA-256 %.12s…, manifest.json lists %s with %.12s…", l.TestSet, TestSetFile, pl.source(TestSetFile))
	}
	var panels []*viewstate.Panel
	for k, name := range pl.names {
		f := pl.stageCheckpoint(k)
		i := slices.IndexFunc(l.Stages, func(s NeuronStage) bool { return s.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("they have no stage %s", name)
		}
		if l.Stages[i].Checkpoint != pl.source(f) {
			return nil, fmt.Errorf("their %s was computed from a checkpoint with SHA-256 %.12s…, manifest.json lists %s with %.12s…", name, l.Stages[i].Checkpoint, f, pl.source(f))
		}
		panels = append(panels, &l.Stages[i].Panel)
	}
	return panels, nil
}

// NeuronLayouts returns the finished neuron view as NeuronLayouts, for
// shipping precomputed.
func (pl *Pipeline) NeuronLayouts() (*NeuronLayouts, error) {
	if !pl.status.Done || !pl.neuronView() {
		return nil, fmt.Errorf("pipeline: neuron layouts requested of a %s view that is not done (%s)", pl.p.View, pl.status.Phase)
	}
	l := &NeuronLayouts{Network: pl.p.Model, Method: pl.p.Proj, Seed: pl.p.Seed, TestSet: pl.source(TestSetFile),
		N: pl.p.N, Layer: pl.p.EffectiveLayer()}
	for k, name := range pl.names {
		l.Stages = append(l.Stages, NeuronStage{Name: name, Checkpoint: pl.source(pl.stageCheckpoint(k)), Panel: *pl.panels[k]})
	}
	return l, l.Validate()
}

// Methods maps the method names of params to t-SNE sequence methods.
var Methods = map[string]tsne.SeqMethod{"chained": tsne.Chained, "joint": tsne.Joint, "dynamic": tsne.Dynamic}

// startTSNE sets up the t-SNE sequence over the stages' activations.
func (pl *Pipeline) startTSNE() {
	if pl.status.Err != nil {
		return
	}
	cfg, method, lambda := tsneConfig(pl.p)
	seq, err := tsne.NewSequence(pl.acts, pl.p.N, pl.dims, method, lambda, cfg)
	if err != nil {
		pl.fail(fmt.Errorf("pipeline: %w", err))
		return
	}
	pl.seq = seq
	if pl.helper != nil {
		seq.Share(pl.helper)
	}
	for k, a := range pl.adopted {
		pl.adopt(k, a)
	}
	pl.adopted = nil
}

// tsneConfig returns the t-SNE configuration, sequence method and λ of the
// digit view p.
func tsneConfig(p params.Params) (tsne.Config, tsne.SeqMethod, float64) {
	cfg := tsne.Config{Perplexity: p.Perplexity, Seed: p.Seed, Standardize: true}
	method := Methods[viewstate.Method(p)]
	lambda := 0.0
	if method == tsne.Dynamic {
		lambda = p.Lambda
	}
	return cfg, method, lambda
}

func (pl *Pipeline) stepTSNE() {
	if pl.seq.Step() {
		pl.status = viewstate.Status{Phase: "ready", Progress: 1, Done: true}
		return
	}
	pl.status.Phase = fmt.Sprintf("t-SNE %s", pl.stageName())
	pl.status.Progress = pl.progress()
}

// stageName names the first stage still converging, for the phase text.
func (pl *Pipeline) stageName() string {
	for k := len(pl.names) - 1; k >= 0; k-- {
		if pl.seq.Ready(k) {
			return fmt.Sprintf("%s/%d", pl.names[k], len(pl.names))
		}
	}
	return "preparation"
}

// Weights of the parts of a live job in its progress.
const fetchShare, forwardShare = 0.1, 0.05

func (pl *Pipeline) progress() float64 {
	asked := max(pl.fetch.asked, 1)
	f := float64(asked-pl.want) / float64(asked)
	if pl.names == nil {
		f = 0
	}
	if !pl.live {
		return f
	}
	p := fetchShare * f
	p += forwardShare * float64(pl.done) / float64(pl.p.N)
	if pl.seq != nil {
		p += (1 - fetchShare - forwardShare) * pl.seq.Progress()
	}
	for _, v := range pl.neurons {
		done := 1.0 // a stage computed by another worker
		if v != nil {
			done = v.Progress()
		}
		p += (1 - fetchShare - forwardShare) * done / float64(len(pl.names))
	}
	return p
}

// Stages returns the names of the view's stages ("layer 1", "epoch 5", ...);
// nil until the manifest has been read.
func (pl *Pipeline) Stages() []string { return pl.names }

// N returns the number of digits of the view.
func (pl *Pipeline) N() int { return pl.p.N }

// Ready reports whether stage k has a layout to draw.
func (pl *Pipeline) Ready(k int) bool {
	if k < 0 || k >= len(pl.names) {
		return false
	}
	if pl.layouts != nil {
		return true
	}
	if pl.train != nil {
		return k < len(pl.train.proj) && pl.train.proj[k].Prepared()
	}
	return pl.seq != nil && pl.seq.Ready(k)
}

// Positions appends the current layout of stage k (2N, interleaved x,y)
// into dst[:0] and returns it; it is empty when the stage is not Ready.
func (pl *Pipeline) Positions(k int, dst []float64) []float64 {
	dst = dst[:0]
	if !pl.Ready(k) {
		return dst
	}
	if pl.layouts != nil {
		return append(dst, pl.layouts.Stages[k].Positions...)
	}
	if pl.train != nil {
		return pl.train.proj[k].Positions(dst)
	}
	return pl.seq.Positions(k, dst)
}

// Labels returns the true class of each digit; nil until known.
func (pl *Pipeline) Labels() []uint8 { return pl.labels }

// Predicted returns the network's prediction for each digit at stage k;
// nil until known.
func (pl *Pipeline) Predicted(k int) []uint8 {
	if k < 0 || k >= len(pl.preds) || pl.done < pl.p.N && pl.layouts == nil || pl.expected[k] {
		return nil
	}
	return pl.preds[k]
}

// Image returns the 28×28 pixels of digit i, or nil until the test set has arrived.
func (pl *Pipeline) Image(i int) []uint8 {
	if pl.test == nil || i < 0 || i >= pl.test.Len() {
		return nil
	}
	return pl.test.Image(i)
}

// Layouts returns the finished view as Layouts, for shipping precomputed.
func (pl *Pipeline) Layouts() (*Layouts, error) {
	if !pl.status.Done {
		return nil, fmt.Errorf("pipeline: layouts requested before the pipeline is done (%s)", pl.status.Phase)
	}
	if pl.status.Precomputed {
		return pl.layouts, nil
	}
	l := &Layouts{Network: pl.p.Model, View: viewstate.Sequence(pl.p), Method: viewstate.Method(pl.p),
		Seed: pl.p.Seed, Perplexity: pl.p.Perplexity, TestSet: pl.source(TestSetFile), Labels: pl.labels}
	for k, name := range pl.names {
		pos := pl.Positions(k, nil)
		q := pl.Quality(k)
		if math.IsNaN(q.TW) { // not yet computed in steps
			q.TW = tsne.Trustworthiness(pl.acts[k], pl.dims[k], pos, QualityK)
		}
		l.Stages = append(l.Stages, Stage{Name: name, Checkpoint: pl.source(pl.stageCheckpoint(k)),
			Predicted: pl.preds[k], Positions: pos, Quality: q})
	}
	return l, l.Validate()
}

// Quality returns the quality of stage k's projection: from the
// precomputed layouts as soon as they are adopted, or else, once the view
// is done, its neighbourhood hit computed here and its trustworthiness, NaN until Step has computed it while the
// view animates (quadratic in N, it takes many frames; never above MaxTrustN).
func (pl *Pipeline) Quality(k int) viewstate.Quality {
	if k < 0 || k >= len(pl.names) || pl.neuronView() {
		return viewstate.Quality{NH: math.NaN(), TW: math.NaN()}
	}
	if pl.layouts != nil {
		// Checked when adopted: known before the test set (for hovering)
		// arrives, when the view already animates.
		return pl.layouts.Stages[k].Quality
	}
	if !pl.status.Done {
		return viewstate.Quality{NH: math.NaN(), TW: math.NaN()}
	}
	if pl.quality == nil {
		for j := range pl.names {
			nh := tsne.NeighborhoodHit(pl.Positions(j, nil), pl.labels, QualityK)
			pl.quality = append(pl.quality, viewstate.Quality{NH: nh, TW: math.NaN()})
		}
	}
	if k < len(pl.trust) {
		pl.quality[k].TW = pl.trust[k].Value()
	}
	return pl.quality[k]
}
