package pipeline

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"annvis/core/learn"
	"annvis/core/mnist"
	"annvis/core/model"
	"annvis/core/params"
	"annvis/core/tsne"
	"annvis/core/viewstate"
)

// TrainSetFile is the asset holding the training digits of the train view.
const TrainSetFile = "mnist-train.zst"

// trainSet is the decoded training-set asset (the test set is a bare
// *mnist.Set).
type trainSet struct{ *mnist.Set }

// training is the train view's state: a learn.Run whose stages join the
// view as they are evaluated, each projected by a t-SNE initialised from,
// and anchored to, the previous stage's final layout.
type training struct {
	arch    string       // the network's architecture name
	run     runner       // a *learn.Run stepped here, or a *remoteRun stepped elsewhere
	proj    []*tsne.TSNE // per stage, started once the previous one is final
	first   *learn.Stage // run stepped elsewhere: epoch 0 on the view's digits, until its report joins
	paused  bool
	stopped error // the run's error, reported once the stages so far are projected

	// Time spent training and projecting: when both have work, the one
	// behind runs, so each gets half the budget whatever its unit's size.
	// (The results do not depend on the interleaving.)
	trainTime, projTime time.Duration
	seconds             []float64 // trainTime when each stage joined, in seconds
}

// TrainLambdaScale scales the lambda parameter into the weight of the
// train view's anchor term. A previous stage held fixed pulls harder than
// a neighbour stage optimised jointly (the dynamic method): on the run
// arch=32, train=2000, n=500, 3 epochs, an anchor weight of 0.1 kept the
// untrained layout (neighbourhood hit 0.56 at epoch 3, against 0.73 for a
// t-SNE started from the previous layout without anchor), while 0.01
// reached 0.73 with the points moving 38 % less in the first epoch. So the
// default lambda, 0.1, gives 0.01; lambda=1 holds the layout as 0.1 did.
const TrainLambdaScale = 0.1

// TrainFirstIterations is the number of iterations of the t-SNE of the
// train view's untrained stage, which starts from scratch (the stages
// after it start from the previous one's layout, with
// tsne.ChainIterations). Every trained stage waits for it, so it is half
// the default 1000: on the default run's untrained layer (seed 0, 2000
// digits) 500 iterations reached KL 1.865, neighbourhood hit 0.578 and
// trustworthiness 0.898, against 1.766, 0.582 and 0.900 after 1000, in
// 58 % of the time.
const TrainFirstIterations = 500

// trainView reports whether the pipeline trains its network.
func (pl *Pipeline) trainView() bool { return pl.p.View == "train" }

// A train view's role: it trains and projects, or only one of them (the
// other is done elsewhere, see trainreport.go).
const (
	trainAndProject = iota
	trainOnly
	projectOnly
)

// planTraining asks for the digit sets of the train view.
func (pl *Pipeline) planTraining() {
	pl.live = true
	pl.request(TestSetFile)
	if pl.role != projectOnly {
		pl.request(TrainSetFile)
	}
}

// Arch returns the model architecture name of the train view p.
func Arch(p params.Params) (string, error) {
	w, err := p.Widths()
	if err != nil {
		return "", fmt.Errorf("pipeline: %w", err)
	}
	if w == nil {
		return "cnn", nil
	}
	act := model.ReLU
	if p.Act == "tanh" {
		act = model.Tanh
	}
	return model.MLPArch(w, act), nil
}

// startTraining creates the run once both digit sets have arrived (the
// test set holds the view's digits: useTestSet checked it).
func (pl *Pipeline) startTraining(set *mnist.Set) {
	if set.Len() < pl.p.Train {
		pl.fail(fmt.Errorf("pipeline: %s has %d training digits, train=%d wants more", TrainSetFile, set.Len(), pl.p.Train))
		return
	}
	arch, err := Arch(pl.p)
	if err != nil {
		pl.fail(err)
		return
	}
	run, err := learn.New(pl.learnConfig(arch), set.Slice(0, pl.p.Train), pl.test)
	if err != nil {
		pl.fail(fmt.Errorf("pipeline: %w", err))
		return
	}
	pl.begin(&training{arch: arch, run: run})
}

// learnConfig returns the run of the train view, of architecture arch.
func (pl *Pipeline) learnConfig(arch string) learn.Config {
	return learn.Config{Arch: arch, LR: pl.p.LR, Batch: pl.p.Batch, Epochs: pl.p.Epochs, Seed: pl.p.Seed,
		Layer: pl.p.EffectiveLayer(), N: pl.p.N, StagesPerEpoch: learn.StagesPerEpoch(pl.p.Epochs)}
}

// begin starts the train view's run t.
func (pl *Pipeline) begin(t *training) {
	pl.train = t
	pl.names = []string{} // planned: stages join as they are evaluated
	pl.labels = pl.test.Labels[:pl.p.N]
	pl.done = pl.p.N // no forward pass of shipped checkpoints
}

// startProjecting starts a view whose run steps elsewhere, once the test
// digits have arrived (useTestSet checked them), and applies the reports
// received so far. Its first stage, the untrained network, it evaluates on
// the view's digits itself, so that its projection starts before the run
// has its training digits and has evaluated it on every test digit (the
// stage's report must bring the same activations).
func (pl *Pipeline) startProjecting() {
	arch, err := Arch(pl.p)
	if err != nil {
		pl.fail(err)
		return
	}
	first, err := learn.Untrained(pl.learnConfig(arch), pl.test)
	if err != nil {
		pl.fail(fmt.Errorf("pipeline: %w", err))
		return
	}
	pl.begin(&training{arch: arch, first: first, run: &remoteRun{planned: pl.p.Epochs*learn.StagesPerEpoch(pl.p.Epochs) + 1}})
	for _, b := range pl.reports {
		pl.Report(b)
	}
	pl.reports = nil
}

// Report applies a report of the train view's run stepped elsewhere (see
// trainreport.go); a report that does not apply stops the view.
func (pl *Pipeline) Report(b []byte) {
	if pl.status.Err != nil {
		return
	}
	if pl.train == nil {
		pl.reports = append(pl.reports, b)
		return
	}
	r, ok := pl.train.run.(*remoteRun)
	if !ok {
		pl.fail(errors.New("pipeline: a training report for a view that trains"))
		return
	}
	if err := applyReport(r, b, pl.p.N, pl.p.Epochs); err != nil {
		pl.fail(err)
		return
	}
	if r.err != nil && r.done {
		pl.train.stopped = r.err
	}
	pl.join()
}

// trainUnit does one unit of the train view's work, a step of training or
// of projecting, and reports whether it did any.
func (pl *Pipeline) trainUnit() bool {
	t := pl.train
	if t == nil {
		if pl.role == projectOnly && pl.test != nil {
			pl.startProjecting()
			return pl.status.Err == nil
		}
		return pl.receive()
	}
	pl.join()
	start := time.Now()
	training, projecting := pl.training(), pl.role != trainOnly && pl.projecting()
	switch {
	case training && (!projecting || t.trainTime <= t.projTime):
		pl.trainStep(start)
	case projecting:
		pl.projectStep()
		t.projTime += time.Since(start)
	}
	pl.trainStatus()
	return training || projecting
}

// training reports whether the run wants more steps now, here.
func (pl *Pipeline) training() bool {
	t := pl.train
	return pl.role != projectOnly && !t.paused && t.stopped == nil && !t.run.Done()
}

// trainStep trains (or evaluates) one step, begun at start.
func (pl *Pipeline) trainStep(start time.Time) {
	t := pl.train
	if t.run.Step() && t.run.Err() != nil {
		t.stopped = t.run.Err()
	}
	t.trainTime += time.Since(start)
	pl.join()
}

// join adds the stages the run has evaluated to the view, with the
// training time each took (measured where the run steps).
func (pl *Pipeline) join() {
	t := pl.train
	for _, s := range t.run.Stages()[len(pl.names):] {
		if len(pl.names) == 0 && t.first != nil {
			if !sameActs(s.Acts, t.first.Acts) {
				pl.fail(errors.New("pipeline: the run's report of epoch 0 differs from the untrained network evaluated here (a bug)"))
			}
			t.first = nil
		}
		pl.names = append(pl.names, s.Name())
		pl.acts = append(pl.acts, s.Acts)
		pl.dims = append(pl.dims, s.Dim)
		pl.preds = append(pl.preds, s.Pred)
		if r, ok := t.run.(*remoteRun); ok {
			t.seconds = append(t.seconds, r.seconds[len(t.seconds)])
		} else {
			t.seconds = append(t.seconds, t.trainTime.Seconds())
		}
	}
}

// sameActs reports whether a and b are the same activations, bit for bit.
func sameActs(a, b []float32) bool {
	return slices.EqualFunc(a, b, func(x, y float32) bool { return math.Float32bits(x) == math.Float32bits(y) })
}

// projecting reports whether a stage's projection has work left, starting
// the next stage's once the previous one is final.
func (pl *Pipeline) projecting() bool {
	t := pl.train
	k := len(t.proj)
	if k > 0 && !t.proj[k-1].Done() {
		return true
	}
	acts, dim, ok := pl.stageActs(k)
	if !ok || pl.status.Err != nil {
		return false
	}
	cfg := tsne.Config{Perplexity: pl.p.Perplexity, Seed: pl.p.Seed, Standardize: true, Iterations: TrainFirstIterations}
	if k > 0 {
		prev := t.proj[k-1].Positions(nil)
		cfg.Init, cfg.Anchor, cfg.AnchorWeight = prev, prev, pl.p.Lambda*TrainLambdaScale
		cfg.ExaggerationIters, cfg.Iterations = -1, tsne.ChainIterations
	}
	r, err := tsne.New(acts, pl.p.N, dim, cfg)
	if err != nil {
		pl.fail(fmt.Errorf("pipeline: stage %d of the run: %w", k, err))
		return false
	}
	t.proj = append(t.proj, r)
	return true
}

// stageActs returns the activations of stage k and their width: a joined
// stage's, or epoch 0's evaluated here before its report (training.first);
// false when stage k has not joined.
func (pl *Pipeline) stageActs(k int) ([]float32, int, bool) {
	if k < len(pl.names) {
		return pl.acts[k], pl.dims[k], true
	}
	if t := pl.train; k == 0 && t.first != nil {
		return t.first.Acts, t.first.Dim, true
	}
	return nil, 0, false
}

// projectStep advances the newest stage's projection.
func (pl *Pipeline) projectStep() { pl.train.proj[len(pl.train.proj)-1].Step() }

// trainStatus sets the phase, progress and completion of the train view.
func (pl *Pipeline) trainStatus() {
	t := pl.train
	projected := 0.0
	for _, r := range t.proj {
		projected += r.Progress()
	}
	stages := float64(t.run.Planned())
	pl.status.Progress = fetchShare + forwardShare + (1-fetchShare-forwardShare)*(0.75*t.run.Progress()+0.25*projected/stages)
	final := pl.role == trainOnly || len(t.proj) == len(pl.names) && (len(t.proj) == 0 || t.proj[len(t.proj)-1].Done())
	if t.stopped != nil && final {
		pl.fail(t.stopped)
	} else if t.stopped != nil {
		pl.status.Phase = t.stopped.Error() + "; projecting the stages so far"
	} else if t.run.Done() && final {
		pl.status = viewstate.Status{Phase: "ready", Progress: 1, Done: true}
	} else if t.paused {
		pl.status.Phase = fmt.Sprintf("paused at epoch %d/%d", t.run.Epoch(), pl.p.Epochs)
	} else {
		pl.status.Phase = fmt.Sprintf("training epoch %d/%d", min(t.run.Epoch()+1, pl.p.Epochs), pl.p.Epochs)
	}
}

// Training returns the state of the train view's run; false in other views
// and before the run starts.
func (pl *Pipeline) Training() (viewstate.Training, bool) {
	t := pl.train
	if t == nil {
		return viewstate.Training{}, false
	}
	tr := viewstate.Training{Epoch: t.run.Epoch(), Epochs: pl.p.Epochs, Batches: t.run.Batches(),
		PerEpoch: (pl.p.Train + pl.p.Batch - 1) / pl.p.Batch, Paused: t.paused, Stopped: t.stopped}
	for _, l := range t.run.Losses() {
		tr.Losses = append(tr.Losses, viewstate.Loss(l))
	}
	for k, s := range t.run.Stages() {
		tr.Accuracies = append(tr.Accuracies, s.Accuracy)
		tr.Trained = append(tr.Trained, s.Trained)
		tr.Seconds = append(tr.Seconds, t.seconds[k])
	}
	return tr, true
}

// trainSnapshot returns copies of the run's state and its latest stage's
// network for a Snapshot; nil, nil in other views.
func (pl *Pipeline) trainSnapshot() (*viewstate.Training, viewstate.Network) {
	tr, ok := pl.Training()
	if !ok {
		return nil, nil
	}
	st := pl.train.run.Stages()
	if len(st) == 0 {
		return &tr, nil
	}
	last := st[len(st)-1]
	return &tr, trainedNet{model.Checkpoint{Arch: pl.train.arch, Epoch: last.Epoch, Accuracy: last.Accuracy, Net: last.Net}}
}

// trainIdle reports whether a paused or finished run has nothing left to
// project.
func (pl *Pipeline) trainIdle() bool {
	t := pl.train
	if t == nil || !t.paused && t.stopped == nil && !t.run.Done() {
		return false
	}
	k := len(t.proj)
	return pl.role == trainOnly || k == len(pl.names) && (k == 0 || t.proj[k-1].Done())
}

// PauseTraining pauses (true) or resumes (false) the train view's run;
// the projections of the stages so far go on.
func (pl *Pipeline) PauseTraining(paused bool) {
	if pl.train != nil {
		pl.train.paused = paused
	}
}

// Checkpoint returns the train view's latest trained network as a
// checkpoint file (models/README.md), which annvis -checkpoint opens.
func (pl *Pipeline) Checkpoint() ([]byte, error) {
	if pl.train == nil {
		return nil, errors.New("pipeline: no network trained in this view")
	}
	_, c := pl.trainSnapshot()
	if c == nil {
		return nil, errors.New("pipeline: no trained stage yet")
	}
	return c.File()
}
