//go:build !js

package app

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/model"
	"annvis/core/params"
	"annvis/core/pipeline"
	"annvis/core/viewstate"
)

// trainParams is a short train view on the shipped digit sets.
func trainParams(t *testing.T) params.Params {
	t.Helper()
	p, err := params.Parse("view=train&arch=16&epochs=1&train=2000&n=150&perplexity=12")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTrainView trains a small network in the game, drawing its panel
// along the way: five stages (one epoch, a stage every quarter), the OnTrained checkpoint once, pause and
// restart.
func TestTrainView(t *testing.T) {
	g := New(trainParams(t), background(pipeline.FSFetcher(os.DirFS("../../models"))))
	defer g.Close()
	g.Layout(640, 480)
	var saved [][]byte
	g.OnTrained(func(b []byte, err error) {
		if err != nil {
			t.Error(err)
		}
		saved = append(saved, b)
	})
	screen := ebiten.NewImage(640, 480)
	updateUntil(t, g, func(s State) bool { g.Draw(screen); return s.Frame > 0 || s.Error != "" })
	s := g.State()
	if s.Error != "" || s.Stages != 5 || s.Epoch != 1 || s.Accuracy < 0.5 || s.Paused {
		t.Fatalf("trained state %+v", s)
	}
	if g.screen.Curves.W <= 0 || g.screen.Main.X+g.screen.Main.W > g.screen.Curves.X {
		t.Errorf("panel %+v overlaps the main canvas %+v", g.screen.Curves, g.screen.Main)
	}
	b, err := g.Checkpoint()
	if err != nil || len(saved) != 1 || !bytes.Equal(saved[0], b) {
		t.Fatalf("checkpoint %d bytes (%v), OnTrained called %d times", len(b), err, len(saved))
	}
	if c, err := model.DecodeCheckpoint(b); err != nil || c.Arch != "mlp:16" || c.Accuracy != s.Accuracy {
		t.Fatalf("checkpoint %+v, %v", c, err)
	}

	g.restart()
	g.pauseTraining()
	updateUntil(t, g, func(s State) bool { return s.Paused })
	for range 50 {
		g.Update()
	}
	if tr, ok := g.training(); ok && tr.Batches != 0 {
		t.Errorf("paused training went on: %+v", tr)
	}
	g.pauseTraining()
	updateUntil(t, g, func(s State) bool { return s.Frame > 0 || s.Error != "" })
	if s := g.State(); s.Epoch != 1 || s.Accuracy < 0.5 || len(saved) != 2 {
		t.Errorf("after restart: %+v, %d checkpoints saved", s, len(saved))
	}
}

// runState is a Source of the train view whose run is in a fixed state:
// only its Trainer methods are called.
type runState struct {
	Source
	tr     viewstate.Training
	paused int // PauseTraining calls
}

func (r *runState) Training() (viewstate.Training, bool) { return r.tr, r.tr.Epochs > 0 }
func (r *runState) PauseTraining(bool)                   { r.paused++ }
func (r *runState) Checkpoint() ([]byte, error)          { return nil, nil }

// TestTrainedNetworkInOtherViews trains a network of one hidden layer of
// 16 units, then leaves the train view: the layers view shows its one
// layer (the shipped MLP has 4), the epochs view its epochs 0 and 1 (the
// shipped MLP's has 8), the neurons view its 16 neurons; the CNN's views
// still show the shipped CNN.
func TestTrainedNetworkInOtherViews(t *testing.T) {
	fetch := pipeline.Remember(pipeline.FSFetcher(os.DirFS("../../models")))
	g := New(trainParams(t), background(fetch))
	defer g.Close()
	g.OpenTrained(func(p params.Params, b []byte) Source {
		return pipeline.StartWithCheckpoint(p, fetch, pipeline.TrainedFile, b, 0)
	})
	g.Layout(640, 480)
	updateUntil(t, g, func(s State) bool { return s.Progress >= 1 || s.Error != "" })
	for _, tc := range []struct {
		view, model string
		stages      []string
	}{
		{"layers", "mlp", []string{"layer 1"}},
		{"epochs", "mlp", []string{"epoch 0", "epoch 1"}},
		{"neurons", "mlp", []string{"epoch 0", "epoch 1"}},
		{"epochs", "cnn", []string{"epoch 0", "epoch 1", "epoch 2", "epoch 3", "epoch 5", "epoch 8", "epoch 12", "epoch 20"}},
	} {
		p := g.p
		p.View, p.Model, p.N = tc.view, tc.model, 150
		g.SetParams(p)
		updateUntil(t, g, func(s State) bool { return s.Progress >= 1 || s.Error != "" })
		if tc.view != "layers" && tc.model == "mlp" && g.p.EffectiveLayer() != 1 {
			t.Errorf("%s view after training names layer %d, the trained network has 1", tc.view, g.p.EffectiveLayer())
		}
		if s := g.State(); s.Error != "" || !slices.Equal(g.pl.Stages(), tc.stages) {
			t.Errorf("%s view of the %s after training: stages %q (%s), want %q", tc.view, tc.model, g.pl.Stages(), s.Error, tc.stages)
		}
		if tc.view == "neurons" {
			if panel := g.pl.Panel(1); panel == nil || len(panel.Pos) != 2*16 {
				t.Errorf("neurons view after training: panel %v, want one of the 16 neurons trained", panel != nil)
			}
		}
	}
}

// TestTrainButtons shows "pause training" only while the run can go on: a
// finished or diverged run keeps "restart" alone, and the pause key does
// nothing to it. A run paused after its last mini-batch, while its last
// stage was being evaluated, must resume (it once could not: the view
// stayed paused for good, with "restart" alone).
func TestTrainButtons(t *testing.T) {
	p := trainParams(t)
	for _, c := range []struct {
		name string
		tr   viewstate.Training
		want string
	}{
		{"not started", viewstate.Training{}, "pause training restart"},
		{"training", viewstate.Training{Epoch: 1, Epochs: 2}, "pause training restart"},
		{"paused", viewstate.Training{Epoch: 1, Epochs: 2, Paused: true}, "resume training restart"},
		{"evaluating the last epoch", viewstate.Training{Epoch: 2, Epochs: 2, Trained: []float64{0, 1}}, "pause training restart"},
		{"paused while evaluating the last epoch", viewstate.Training{Epoch: 2, Epochs: 2, Trained: []float64{0, 1}, Paused: true}, "resume training restart"},
		{"trained", viewstate.Training{Epoch: 2, Epochs: 2, Trained: []float64{0, 1, 2}}, "restart"},
		{"paused, then trained", viewstate.Training{Epoch: 2, Epochs: 2, Trained: []float64{0, 0.5, 1, 1.5, 2}, Paused: true}, "restart"},
		{"diverged", viewstate.Training{Epoch: 1, Epochs: 2, Stopped: errors.New("diverged")}, "restart"},
	} {
		run := &runState{tr: c.tr}
		g := &Game{p: p, pl: run}
		var labels []string
		for _, b := range g.trainButtons() {
			labels = append(labels, b.label)
		}
		if got := strings.Join(labels, " "); got != c.want {
			t.Errorf("%s: buttons %q, want %q", c.name, got, c.want)
		}
		g.pauseTraining()
		if can := c.want != "restart"; (run.paused == 1) != can {
			t.Errorf("%s: the pause key paused the run %d times", c.name, run.paused)
		}
	}
}

// steppedRun is a Source of the train view whose pipeline the test steps
// itself: only its Trainer methods are called.
type steppedRun struct {
	Source
	pl *pipeline.Pipeline
}

func (r steppedRun) Training() (viewstate.Training, bool) { return r.pl.Training() }
func (r steppedRun) PauseTraining(paused bool)            { r.pl.PauseTraining(paused) }
func (r steppedRun) Checkpoint() ([]byte, error)          { return r.pl.Checkpoint() }

// TestPauseDuringLastEvaluation pauses a run after its last mini-batch,
// while the stage of its last epoch is evaluated: the game offers to
// resume it, and resuming finishes the run. (A page on a loaded machine
// paused there; the game once refused to resume, the run's epoch count
// being at its last.)
func TestPauseDuringLastEvaluation(t *testing.T) {
	pl := pipeline.New(trainParams(t), pipeline.FSFetcher(os.DirFS("../../models")), false)
	g := &Game{p: trainParams(t), pl: steppedRun{pl: pl}}
	buttons := func() string {
		var labels []string
		for _, b := range g.trainButtons() {
			labels = append(labels, b.label)
		}
		return strings.Join(labels, " ")
	}
	step := func(until func(viewstate.Training) bool) viewstate.Training {
		t.Helper()
		for {
			if tr, ok := pl.Training(); ok && until(tr) {
				return tr
			}
			if err := pl.Step(0); err != nil {
				t.Fatal(err)
			}
		}
	}
	tr := step(func(tr viewstate.Training) bool { return tr.Epoch == tr.Epochs })
	if tr.Over() {
		t.Fatalf("the run's last stage was evaluated with its last mini-batch: %+v", tr)
	}
	g.pauseTraining()
	for range 200 {
		if err := pl.Step(0); err != nil {
			t.Fatal(err)
		}
	}
	if tr, _ := pl.Training(); tr.Over() || !tr.Paused || buttons() != "resume training restart" {
		t.Fatalf("paused in the last evaluation: over %v, paused %v, buttons %q", tr.Over(), tr.Paused, buttons())
	}
	g.pauseTraining()
	step(viewstate.Training.Over)
	for !pl.Status().Done {
		if err := pl.Step(pipeline.SliceBudget); err != nil {
			t.Fatal(err)
		}
	}
	if buttons() != "restart" {
		t.Errorf("trained: buttons %q", buttons())
	}
}

// computingRun is a train view's Source while its run trains: stages so
// far, none laid out yet.
type computingRun struct {
	runState
	names []string
}

func (c *computingRun) Stages() []string { return c.names }
func (c *computingRun) Status() viewstate.Status {
	return viewstate.Status{Phase: "training epoch 2/2", Progress: 0.5}
}

// TestTitleWhileTraining names the run (architecture, learning rate,
// batch) above the main plot while it trains: a lecture projects that
// moment. Another view still computing has no title yet.
func TestTitleWhileTraining(t *testing.T) {
	p := trainParams(t)
	src := &computingRun{runState: runState{tr: viewstate.Training{Epoch: 1, Epochs: 1}}, names: []string{"epoch 0", "epoch 0.25"}}
	g := &Game{p: p, pl: src}
	if got, want := g.titles(), "MLP · train view · training, hidden 16 relu, lr 0.005, batch 64"; len(got) == 0 || got[0] != want {
		t.Errorf("train view while training: titles %q, want %q first", got, want)
	}
	g.p.View = "layers"
	if got := g.titles(); got != nil {
		t.Errorf("layers view while computing: titles %q, want none", got)
	}
}

// TestPanelEpoch counts the epoch being trained, as the progress caption
// does, with its mini-batches: one epoch of three trained and 79 batches of
// the second is "epoch 2/3, batch 79".
func TestPanelEpoch(t *testing.T) {
	for _, c := range []struct {
		tr           viewstate.Training
		epoch, batch int
	}{
		{viewstate.Training{}, 0, 0},
		{viewstate.Training{Epochs: 3, PerEpoch: 157}, 1, 0},
		{viewstate.Training{Epoch: 1, Epochs: 3, Batches: 157 + 79, PerEpoch: 157}, 2, 79},
		{viewstate.Training{Epoch: 3, Epochs: 3, Batches: 3 * 157, PerEpoch: 157}, 3, 157},
	} {
		if epoch, batch := panelEpoch(c.tr); epoch != c.epoch || batch != c.batch {
			t.Errorf("%+v: epoch %d, batch %d; want %d, %d", c.tr, epoch, batch, c.epoch, c.batch)
		}
	}
}
