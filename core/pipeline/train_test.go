//go:build !js

package pipeline

import (
	"bytes"
	"math"
	"os"
	"slices"
	"testing"

	"annvis/core/mnist"
	"annvis/core/model"
	"annvis/core/params"
)

// trainRun runs the train view of query on the shipped assets to its end.
func trainRun(t *testing.T, query string) *Pipeline {
	t.Helper()
	p, err := params.Parse(query)
	if err != nil {
		t.Fatal(err)
	}
	pl := New(p, FSFetcher(os.DirFS("../../models")), false)
	run(t, pl)
	return pl
}

// TestTrainView trains the acceptance run (arch=32, epochs=2, train=2000,
// n=300) twice: three stages joining one after the other, accuracy ≥ 80 %,
// a checkpoint that decodes to that accuracy, and the same layouts and
// checkpoint bytes both times.
func TestTrainView(t *testing.T) {
	const query = "view=train&arch=32&epochs=2&train=2000&n=300"
	pl := trainRun(t, query)
	st := pl.Status()
	if st.Err != nil || !st.Done || st.Progress != 1 {
		t.Fatalf("status %+v", st)
	}
	if names := pl.Stages(); !slices.Equal(names, []string{"epoch 0", "epoch 1", "epoch 2"}) {
		t.Fatalf("stages %q", names)
	}
	tr, ok := pl.Training()
	if !ok || tr.Epoch != 2 || tr.Batches != 64 || tr.PerEpoch != 32 || len(tr.Accuracies) != 3 || len(tr.Losses) == 0 {
		t.Fatalf("training state %+v", tr)
	}
	t.Logf("test accuracy by epoch: %v", tr.Accuracies)
	if tr.Accuracies[2] < 0.8 {
		t.Errorf("accuracy after 2 epochs %.4f, want ≥ 0.80", tr.Accuracies[2])
	}
	b, err := pl.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	c, err := model.DecodeCheckpoint(b)
	if err != nil || c.Arch != "mlp:32" || c.Epoch != 2 || c.Accuracy != tr.Accuracies[2] {
		t.Fatalf("checkpoint %+v, %v", c, err)
	}
	var layouts [][]float64
	for k := range pl.Stages() {
		pos := pl.Positions(k, nil)
		if !pl.Ready(k) || len(pos) != 600 || len(pl.Predicted(k)) != 300 {
			t.Fatalf("stage %d: ready %v, %d coordinates, %d predictions", k, pl.Ready(k), len(pos), len(pl.Predicted(k)))
		}
		for _, v := range pos {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("stage %d: coordinate %v", k, v)
			}
		}
		layouts = append(layouts, pos)
	}
	if q := pl.Quality(2); !(q.NH > pl.Quality(0).NH) {
		t.Errorf("neighbourhood hit after training %.3f, untrained %.3f: training must separate the classes", q.NH, pl.Quality(0).NH)
	}
	again := trainRun(t, query)
	b2, _ := again.Checkpoint()
	if !bytes.Equal(b, b2) {
		t.Error("the same URL trained another network")
	}
	for k := range again.Stages() {
		if !slices.Equal(again.Positions(k, nil), layouts[k]) {
			t.Errorf("stage %d: the same URL gave another layout", k)
		}
	}
}

func TestTrainViewDiverges(t *testing.T) {
	pl := trainRun(t, "view=train&arch=32&epochs=2&train=2000&n=300&lr=10")
	st := pl.Status()
	if st.Err == nil || st.Err.Error() != "training diverged at epoch 1 — lower the learning rate" {
		t.Fatalf("status %+v, want the divergence message", st)
	}
	if len(pl.Stages()) != 1 || !pl.Ready(0) {
		t.Errorf("stages %q, stage 0 ready %v: want the untrained stage kept", pl.Stages(), pl.Ready(0))
	}
}

func TestTrainViewPause(t *testing.T) {
	p, _ := params.Parse("view=train&arch=16&epochs=1&train=2000&n=100&perplexity=10")
	pl := New(p, FSFetcher(os.DirFS("../../models")), false)
	for pl.train == nil && pl.Status().Err == nil {
		pl.Step(0)
	}
	pl.PauseTraining(true)
	for range 2000 {
		pl.Step(0)
	}
	if tr, _ := pl.Training(); tr.Batches != 0 || !tr.Paused {
		t.Fatalf("paused run trained %d batches (state %+v)", tr.Batches, tr)
	}
	pl.PauseTraining(false)
	run(t, pl)
	if tr, _ := pl.Training(); tr.Batches != 32 || pl.Status().Err != nil {
		t.Errorf("resumed run: %+v, %v", tr, pl.Status().Err)
	}
}

// TestTrainViewShortRun trains a single epoch: a stage every quarter of it,
// each projected, accuracies at the epochs trained, and the checkpoint of
// the whole epoch.
func TestTrainViewShortRun(t *testing.T) {
	pl := trainRun(t, "view=train&arch=16&epochs=1&train=2000&n=100&perplexity=10")
	want := []string{"epoch 0", "epoch 0.25", "epoch 0.5", "epoch 0.75", "epoch 1"}
	if st := pl.Status(); st.Err != nil || !st.Done || !slices.Equal(pl.Stages(), want) {
		t.Fatalf("status %+v, stages %q; want %q", st, pl.Stages(), want)
	}
	for k := range want {
		if !pl.Ready(k) || len(pl.Positions(k, nil)) != 200 {
			t.Errorf("stage %d not projected", k)
		}
	}
	tr, _ := pl.Training()
	if !slices.Equal(tr.Trained, []float64{0, 0.25, 0.5, 0.75, 1}) || len(tr.Accuracies) != 5 {
		t.Errorf("stages after %v epochs, %d accuracies", tr.Trained, len(tr.Accuracies))
	}
	b, err := pl.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	if c, err := model.DecodeCheckpoint(b); err != nil || c.Epoch != 1 || c.Accuracy != tr.Accuracies[4] {
		t.Errorf("checkpoint %+v, %v", c, err)
	}
}

// TestTrainSetLimit starts the train view's run (train=2000) from training
// sets of 2000 digits, enough, and of 1999, refused with what is missing.
func TestTrainSetLimit(t *testing.T) {
	p, err := params.Parse("view=train&arch=16&epochs=1&train=2000&n=100")
	if err != nil {
		t.Fatal(err)
	}
	sets := map[string]*mnist.Set{}
	for _, f := range []string{TestSetFile, TrainSetFile} {
		b, err := os.ReadFile("../../models/" + f)
		if err != nil {
			t.Fatal(err)
		}
		if sets[f], err = mnist.DecodeAsset(b); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		digits int
		want   string // "" → the run starts
	}{
		{2000, ""},
		{1999, "pipeline: mnist-train.zst has 1999 training digits, train=2000 wants more"},
	} {
		pl := New(p, FSFetcher(os.DirFS("../../models")), false)
		pl.test = sets[TestSetFile]
		pl.startTraining(sets[TrainSetFile].Slice(0, tc.digits))
		err := pl.Status().Err
		if tc.want == "" && (err != nil || pl.train == nil || pl.train.run.Planned() != 5) {
			t.Errorf("%d training digits: %v, run %v", tc.digits, err, pl.train)
		}
		if tc.want != "" && (err == nil || err.Error() != tc.want || pl.train != nil) {
			t.Errorf("%d training digits: %v, want %q", tc.digits, err, tc.want)
		}
	}
}
