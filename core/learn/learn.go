// Package learn trains a network on MNIST digits in small deterministic
// steps, so that a frame loop (or a worker) can drive it without freezing:
// one Step trains one mini-batch or evaluates one slice of the test digits.
// The untrained network is evaluated first (epoch 0), then the network
// after every epoch: each evaluation is a Stage holding the quantised
// network (what a checkpoint stores), its accuracy on every test digit, and
// one hidden layer's activations on the first test digits, which the train
// view projects. A short run is evaluated at fractions of an epoch too
// (Config.StagesPerEpoch). The same Config, training and test digits give the same
// run, bit for bit on one platform.
package learn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"annvis/core/mnist"
	"annvis/core/model"
)

// Config describes a training run. Arch, LR, Batch and Epochs have no
// defaults: the view's parameters always set them.
type Config struct {
	Arch   string  // network: an architecture name of model.New, e.g. model.MLPArch(...) or "cnn"
	LR     float64 // Adam step size of the first epoch, > 0
	Decay  float64 // step size multiplier per epoch, (0, 1]; 0 → DefaultDecay
	Batch  int     // mini-batch size, ≥ 1
	Epochs int     // epochs to train, ≥ 1
	Seed   int64   // initial weights and the order of the training digits
	Layer  int     // 1-based hidden layer whose activations each Stage keeps
	N      int     // test digits (the first N) whose activations each Stage keeps

	// StagesPerEpoch is the number of stages evaluated per epoch, 1 to
	// MaxStagesPerEpoch; 0 → 1. With k, a stage follows every 1/k of an
	// epoch, at the first mini-batch that reaches it (a mini-batch that
	// spans several fractions gives one stage).
	StagesPerEpoch int
}

// MaxStagesPerEpoch bounds Config.StagesPerEpoch.
const MaxStagesPerEpoch = 8

// StagesPerEpoch returns the stages per epoch of a run of epochs: a run of
// a single epoch is evaluated every quarter of it, so that it still shows
// the layer reorganising over several stages (0, ¼, ½, ¾, 1); longer runs
// once per epoch (the train view's two-epoch acceptance run shows epochs
// 0, 1 and 2).
func StagesPerEpoch(epochs int) int {
	if epochs == 1 {
		return 4
	}
	return 1
}

// DefaultDecay is the step size multiplier per epoch when Config.Decay is
// 0: the step size halves every epoch. With LR 0.005 the train view's
// default run (arch=128,128, 10,000 digits, batch 64) reached 95.6 % test
// accuracy after 5 epochs; a constant 0.001, 0.002 or 0.003 reached 94.3,
// 94.1 and 94.8 %, and 0.003 halving 95.0 %.
const DefaultDecay = 0.5

// Stage is the network after Epoch epochs, evaluated on the test digits.
type Stage struct {
	Epoch    int        // epochs completed
	Trained  float64    // epochs trained: Epoch, plus a fraction within an epoch (Config.StagesPerEpoch)
	Accuracy float64    // of Net on every test digit, 0…1
	Net      *model.Net // the quantised network, as its checkpoint stores it
	Dim      int        // units of the kept layer
	Acts     []float32  // N×Dim activations of the kept layer on the first N test digits
	Pred     []uint8    // Net's prediction for each of the first N test digits
	Loss     float64    // mean training loss of the epoch (so far); NaN for epoch 0
}

// Name returns the stage's name in the views: "epoch 2", "epoch 0.25".
func (s *Stage) Name() string {
	return fmt.Sprintf("epoch %.4g", s.Trained)
}

// Point is one point of the training-loss curve.
type Point struct {
	Epoch float64 // epochs trained so far, fractional
	Loss  float64 // mean cross-entropy of the batches since the previous point
}

// MaxLoss is the training loss above which a run counts as diverged (an
// untrained network starts near ln 10 ≈ 2.3).
const MaxLoss = 100

// PointsPerEpoch is the number of loss-curve points of an epoch.
const PointsPerEpoch = 20

// EvalBatch is the number of test digits one evaluation Step runs.
const EvalBatch = 250

// Run is a training run in progress. Create it with New and call Step until
// it reports done.
type Run struct {
	cfg         Config
	train, test *mnist.Set
	net         *model.Net
	tr          *model.Trainer
	rng         *rand.Rand

	order   []int // this epoch's order of the training digits
	pos     int   // next index into order
	epoch   int   // epochs completed
	part    int   // fractions of this epoch reached (Config.StagesPerEpoch)
	due     bool  // a stage is to be evaluated
	batches int   // mini-batches trained

	eval    *Stage // the evaluation in progress, or nil
	evalPos int    // test digits evaluated
	correct int

	stages    []Stage
	losses    []Point
	lossSum   float64 // since the last Point
	lossN     int
	epochLoss float64 // sum over the epoch
	epochN    int
	err       error
	done      bool
	imgs      []uint8
	labels    []uint8
}

// New validates cfg and returns a run training on train and evaluating on
// test. It does no work: Step does.
func New(cfg Config, train, test *mnist.Set) (*Run, error) {
	switch {
	case cfg.LR <= 0 || math.IsNaN(cfg.LR) || math.IsInf(cfg.LR, 0):
		return nil, fmt.Errorf("learn: learning rate %g must be finite and > 0", cfg.LR)
	case cfg.Decay < 0 || cfg.Decay > 1 || math.IsNaN(cfg.Decay):
		return nil, fmt.Errorf("learn: decay %g must be in (0, 1]", cfg.Decay)
	case cfg.Batch < 1:
		return nil, fmt.Errorf("learn: batch size %d must be ≥ 1", cfg.Batch)
	case cfg.Epochs < 1:
		return nil, fmt.Errorf("learn: %d epochs, want ≥ 1", cfg.Epochs)
	case cfg.StagesPerEpoch < 0 || cfg.StagesPerEpoch > MaxStagesPerEpoch:
		return nil, fmt.Errorf("learn: %d stages per epoch, want 1…%d", cfg.StagesPerEpoch, MaxStagesPerEpoch)
	case train == nil || train.Len() == 0:
		return nil, errors.New("learn: no training digits")
	case test == nil || cfg.N < 1 || cfg.N > test.Len():
		return nil, fmt.Errorf("learn: %d test digits to keep, the test set has %d", cfg.N, setLen(test))
	}
	if cfg.Decay == 0 {
		cfg.Decay = DefaultDecay
	}
	cfg.StagesPerEpoch = max(cfg.StagesPerEpoch, 1)
	net, err := model.New(cfg.Arch, cfg.Seed)
	if err != nil {
		return nil, fmt.Errorf("learn: %w", err)
	}
	if cfg.Layer < 1 || cfg.Layer > len(net.Hidden()) {
		return nil, fmt.Errorf("learn: layer %d: %s has hidden layers 1…%d", cfg.Layer, cfg.Arch, len(net.Hidden()))
	}
	tr, err := model.NewTrainer(net, model.TrainConfig{BatchSize: cfg.Batch, LearningRate: cfg.LR, Decay: 1, Seed: cfg.Seed})
	if err != nil {
		return nil, fmt.Errorf("learn: %w", err)
	}
	return &Run{
		cfg: cfg, train: train, test: test, net: net, tr: tr,
		rng:    rand.New(rand.NewPCG(uint64(cfg.Seed), 0x6c6561726e)),
		imgs:   make([]uint8, cfg.Batch*mnist.Pixels),
		labels: make([]uint8, cfg.Batch),
		due:    true, // epoch 0
	}, nil
}

func setLen(s *mnist.Set) int {
	if s == nil {
		return 0
	}
	return s.Len()
}

// Step does one unit of work, one mini-batch or one slice of an
// evaluation, and reports whether the run is over: every epoch trained and
// evaluated, or stopped by an error (see Err).
func (r *Run) Step() (done bool) {
	switch {
	case r.done:
	case r.eval != nil || r.due:
		r.evaluate()
	default:
		r.trainBatch()
	}
	return r.done
}

// trainBatch trains the next mini-batch of the current epoch.
func (r *Run) trainBatch() {
	if r.pos == 0 {
		r.tr.SetLearningRate(r.cfg.LR * math.Pow(r.cfg.Decay, float64(r.epoch)))
		r.order = r.rng.Perm(r.train.Len())
		r.epochLoss, r.epochN = 0, 0
	}
	idx := r.order[r.pos:min(r.pos+r.cfg.Batch, len(r.order))]
	for i, j := range idx {
		copy(r.imgs[i*mnist.Pixels:(i+1)*mnist.Pixels], r.train.Image(j))
		r.labels[i] = r.train.Labels[j]
	}
	loss, _, err := r.tr.Step(r.imgs[:len(idx)*mnist.Pixels], r.labels[:len(idx)])
	if err != nil {
		r.stop(fmt.Errorf("learn: %w", err))
		return
	}
	r.pos += len(idx)
	r.batches++
	if !(loss <= MaxLoss) { // NaN too
		r.stop(&DivergedError{Epoch: r.epoch + 1, Loss: loss})
		return
	}
	r.lossSum += loss * float64(len(idx))
	r.lossN += len(idx)
	r.epochLoss += loss * float64(len(idx))
	r.epochN += len(idx)
	every := max(1, len(r.order)/PointsPerEpoch)
	if r.lossN >= every || r.pos == len(r.order) {
		r.losses = append(r.losses, Point{Epoch: float64(r.epoch) + float64(r.pos)/float64(len(r.order)), Loss: r.lossSum / float64(r.lossN)})
		r.lossSum, r.lossN = 0, 0
	}
	switch reached := r.pos * r.cfg.StagesPerEpoch / len(r.order); {
	case r.pos == len(r.order):
		r.pos, r.part, r.due = 0, 0, true
		r.epoch++
	case reached > r.part:
		r.part, r.due = reached, true
	}
}

// DivergedError reports a run whose loss exploded or became NaN.
type DivergedError struct {
	Epoch int     // the epoch being trained, 1-based
	Loss  float64 // the batch loss that stopped it
}

// Error returns the message the view shows.
func (e *DivergedError) Error() string {
	return fmt.Sprintf("training diverged at epoch %d — lower the learning rate", e.Epoch)
}

func (r *Run) stop(err error) {
	r.err, r.done = err, true
}

// evaluate runs the next EvalBatch test digits through the quantised
// network, and completes the stage after the last.
func (r *Run) evaluate() {
	if r.eval == nil {
		dim := r.net.Hidden()[r.cfg.Layer-1].Size
		r.due = false
		r.eval = &Stage{Epoch: r.epoch, Trained: float64(r.epoch) + float64(r.part)/float64(r.cfg.StagesPerEpoch),
			Net: model.Quantize(r.net), Dim: dim,
			Acts: make([]float32, 0, r.cfg.N*dim), Pred: make([]uint8, r.cfg.N), Loss: math.NaN()}
		if r.epochN > 0 {
			r.eval.Loss = r.epochLoss / float64(r.epochN)
		}
		r.evalPos, r.correct = 0, 0
	}
	from, to := r.evalPos, min(r.evalPos+EvalBatch, r.test.Len())
	out, err := r.eval.Net.Forward(r.test.Images[from*mnist.Pixels:to*mnist.Pixels], to-from)
	if err != nil {
		r.stop(fmt.Errorf("learn: %w", err))
		return
	}
	for i := from; i < to; i++ {
		p := model.Predict(out.Logits, i-from)
		if p == int(r.test.Labels[i]) {
			r.correct++
		}
		if i < r.cfg.N {
			r.eval.Pred[i] = uint8(p)
		}
	}
	if from < r.cfg.N {
		keep := min(to, r.cfg.N) - from
		r.eval.Acts = append(r.eval.Acts, out.Hidden[r.cfg.Layer-1][:keep*r.eval.Dim]...)
	}
	r.evalPos = to
	if to < r.test.Len() {
		return
	}
	r.eval.Accuracy = float64(r.correct) / float64(r.test.Len())
	r.stages = append(r.stages, *r.eval)
	r.eval = nil
	r.done = r.epoch == r.cfg.Epochs
}

// Untrained returns the first stage (epoch 0) of the run cfg, evaluated on
// the first cfg.N test digits only: its network, kept layer's activations
// and predictions are the run's, bit for bit (the same steps compute them),
// its Accuracy is NaN. It needs no training digits: a view can project
// epoch 0 while the run that evaluates it on every test digit starts
// elsewhere.
func Untrained(cfg Config, test *mnist.Set) (*Stage, error) {
	r, err := New(cfg, test, test) // the training digits are not used
	if err != nil {
		return nil, err
	}
	for r.evalPos < r.cfg.N && r.err == nil && len(r.stages) == 0 {
		r.evaluate()
	}
	switch {
	case r.err != nil:
		return nil, r.err
	case len(r.stages) > 0: // every test digit is kept
		s := r.stages[0]
		s.Accuracy = math.NaN()
		return &s, nil
	}
	r.eval.Accuracy = math.NaN()
	return r.eval, nil
}

// Done reports whether the run is over: every epoch trained and evaluated,
// or stopped by an error.
func (r *Run) Done() bool { return r.done }

// Stages returns the stages evaluated so far, epoch 0 first.
func (r *Run) Stages() []Stage { return r.stages }

// Losses returns the training-loss curve so far.
func (r *Run) Losses() []Point { return r.losses }

// Err returns the error that stopped the run (a *DivergedError when the
// loss exploded), or nil.
func (r *Run) Err() error { return r.err }

// Epoch returns the number of epochs trained.
func (r *Run) Epoch() int { return r.epoch }

// Batches returns the number of mini-batches trained.
func (r *Run) Batches() int { return r.batches }

// Config returns the run's configuration.
func (r *Run) Config() Config { return r.cfg }

// Progress returns the fraction of the run done, 0…1, counting an
// evaluation as much as training EvalCost of the training digits.
func (r *Run) Progress() float64 {
	if r.done && r.err == nil {
		return 1
	}
	n, t := float64(r.train.Len()), float64(r.test.Len())
	evalWork := t / EvalCost
	total := float64(r.cfg.Epochs)*n + float64(r.Planned())*evalWork
	done := float64(r.epoch)*n + float64(r.pos) + float64(len(r.stages))*evalWork
	if r.eval != nil {
		done += float64(r.evalPos) / EvalCost
	}
	return min(done/total, 1)
}

// Planned returns the number of stages the run evaluates if it is not
// stopped: fewer when a mini-batch spans several fractions of an epoch.
func (r *Run) Planned() int { return r.cfg.Epochs*r.cfg.StagesPerEpoch + 1 }

// EvalCost is how many test digits evaluate in the time one training digit
// trains (a forward pass against forward, backward and update).
const EvalCost = 3

// Checkpoint returns the last stage's network as a checkpoint file (see
// models/README.md), or an error before the first stage.
func (r *Run) Checkpoint() ([]byte, error) {
	if len(r.stages) == 0 {
		return nil, errors.New("learn: no trained stage yet")
	}
	s := r.stages[len(r.stages)-1]
	return model.EncodeCheckpoint(&model.Checkpoint{Arch: r.cfg.Arch, Epoch: s.Epoch, Accuracy: s.Accuracy, Net: s.Net})
}
