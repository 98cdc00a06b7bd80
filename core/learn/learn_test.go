package learn

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"annvis/core/mnist"
	"annvis/core/model"
)

// digits returns the first 2,000 MNIST training digits and the 10,000 test
// digits.
func digits(t testing.TB) (train, test *mnist.Set) {
	t.Helper()
	train, err := mnist.LoadModule("train")
	if err != nil {
		t.Fatal(err)
	}
	test, err = mnist.LoadModule("t10k")
	if err != nil {
		t.Fatal(err)
	}
	return train.Slice(0, 2000), test
}

// small is the acceptance run of the train view: arch=32, epochs=2,
// train=2000, n=300.
var small = Config{Arch: "mlp:32", LR: 0.005, Batch: 64, Epochs: 2, Layer: 1, N: 300}

// finish steps r to its end and returns the number of steps.
func finish(t testing.TB, r *Run) int {
	steps := 0
	for !r.Step() {
		steps++
		if steps > 1e6 {
			t.Fatal("the run does not end")
		}
	}
	return steps
}

func TestRunTrains(t *testing.T) {
	train, test := digits(t)
	r, err := New(small, train, test)
	if err != nil {
		t.Fatal(err)
	}
	steps := finish(t, r)
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	st := r.Stages()
	if len(st) != 3 || r.Epoch() != 2 || r.Batches() != 2*32 || r.Progress() != 1 {
		t.Fatalf("%d stages, epoch %d, %d batches, progress %g; want 3, 2, 64, 1", len(st), r.Epoch(), r.Batches(), r.Progress())
	}
	// 64 batches and 3 evaluations of 10,000 digits in 250-digit steps.
	if want := 64 + 3*40 - 1; steps != want {
		t.Errorf("%d steps, want %d", steps, want)
	}
	for k, s := range st {
		t.Logf("epoch %d: test accuracy %.2f %%, training loss %.3f", s.Epoch, 100*s.Accuracy, s.Loss)
		if s.Epoch != k || s.Dim != 32 || len(s.Acts) != 300*32 || len(s.Pred) != 300 {
			t.Errorf("stage %d: epoch %d, %d dims, %d activations, %d predictions", k, s.Epoch, s.Dim, len(s.Acts), len(s.Pred))
		}
		if k > 0 && !(s.Loss < 2.3 && s.Accuracy > st[k-1].Accuracy) {
			t.Errorf("stage %d: loss %g, accuracy %g after %g", k, s.Loss, s.Accuracy, st[k-1].Accuracy)
		}
	}
	if !math.IsNaN(st[0].Loss) || st[0].Accuracy > 0.3 {
		t.Errorf("untrained stage: loss %g accuracy %g", st[0].Loss, st[0].Accuracy)
	}
	if st[2].Accuracy < 0.8 {
		t.Errorf("accuracy after 2 epochs %.4f, want ≥ 0.80", st[2].Accuracy)
	}
	if n := len(r.Losses()); n < PointsPerEpoch || n > 2*(PointsPerEpoch+1) || r.Losses()[n-1].Epoch != 2 {
		t.Errorf("%d loss points for 2 epochs", n)
	}
	// The checkpoint holds the last stage's network and accuracy.
	b, err := r.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	c, err := model.DecodeCheckpoint(b)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := model.Accuracy(c.Net, test, 500)
	if err != nil {
		t.Fatal(err)
	}
	if c.Arch != "mlp:32" || c.Epoch != 2 || c.Accuracy != st[2].Accuracy || acc != c.Accuracy {
		t.Errorf("checkpoint %s epoch %d accuracy %g (measured %g), want mlp:32 2 %g", c.Arch, c.Epoch, c.Accuracy, acc, st[2].Accuracy)
	}
}

// TestRunDeterministic trains the same run twice: same checkpoint bytes,
// same activations; another seed gives another network.
func TestRunDeterministic(t *testing.T) {
	train, test := digits(t)
	cfg := small
	cfg.Epochs = 1
	run := func(cfg Config) ([]byte, []float32) {
		r, err := New(cfg, train, test)
		if err != nil {
			t.Fatal(err)
		}
		finish(t, r)
		b, err := r.Checkpoint()
		if err != nil {
			t.Fatal(err)
		}
		return b, r.Stages()[1].Acts
	}
	b1, a1 := run(cfg)
	b2, a2 := run(cfg)
	if !bytes.Equal(b1, b2) || !equal(a1, a2) {
		t.Error("the same run gave different checkpoints or activations")
	}
	cfg.Seed = 1
	if b3, _ := run(cfg); bytes.Equal(b1, b3) {
		t.Error("another seed gave the same checkpoint")
	}
}

func equal(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}

func TestRunDiverges(t *testing.T) {
	train, test := digits(t)
	cfg := small
	cfg.LR = 10
	r, err := New(cfg, train, test)
	if err != nil {
		t.Fatal(err)
	}
	finish(t, r)
	var d *DivergedError
	if !errors.As(r.Err(), &d) || r.Err().Error() != "training diverged at epoch 1 — lower the learning rate" {
		t.Fatalf("error %v, want divergence at epoch 1", r.Err())
	}
	if len(r.Stages()) != 1 || r.Progress() >= 1 {
		t.Errorf("%d stages kept, progress %g; want the untrained one, < 1", len(r.Stages()), r.Progress())
	}
	if _, err := r.Checkpoint(); err != nil {
		t.Errorf("checkpoint of the stages so far: %v", err)
	}
}

func TestNewErrors(t *testing.T) {
	train, test := digits(t)
	for _, tc := range []struct {
		edit func(c *Config)
		want string
	}{
		{func(c *Config) { c.LR = 0 }, "learn: learning rate 0 must be finite and > 0"},
		{func(c *Config) { c.LR = math.NaN() }, "learn: learning rate NaN must be finite and > 0"},
		{func(c *Config) { c.Batch = 0 }, "learn: batch size 0 must be ≥ 1"},
		{func(c *Config) { c.Decay = 1.5 }, "learn: decay 1.5 must be in (0, 1]"},
		{func(c *Config) { c.Epochs = 0 }, "learn: 0 epochs, want ≥ 1"},
		{func(c *Config) { c.N = 10001 }, "learn: 10001 test digits to keep, the test set has 10000"},
		{func(c *Config) { c.Arch = "rnn" }, `learn: model: architecture "rnn"`},
		{func(c *Config) { c.Layer = 2 }, "learn: layer 2: mlp:32 has hidden layers 1…1"},
	} {
		cfg := small
		tc.edit(&cfg)
		if _, err := New(cfg, train, test); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("New(%+v): error %v, want %q", cfg, err, tc.want)
		}
	}
	if _, err := New(small, train.Slice(0, 0), test); err == nil || err.Error() != "learn: no training digits" {
		t.Errorf("no training digits: %v", err)
	}
}

// TestStagesWithinAnEpoch checks that a run evaluated four times an epoch
// gives its stages at the first mini-batch reaching each quarter, one stage
// for a mini-batch spanning several quarters, and names them by the epochs
// trained.
func TestStagesWithinAnEpoch(t *testing.T) {
	train, test := digits(t)
	for _, tc := range []struct {
		batch  int
		names  []string
		epochs []int
	}{
		// 2,000 digits: quarters reached after 512, 1024, 1536 and 2000.
		{64, []string{"epoch 0", "epoch 0.25", "epoch 0.5", "epoch 0.75", "epoch 1"}, []int{0, 0, 0, 0, 1}},
		// One batch of 1024 reaches the first two quarters at once.
		{1024, []string{"epoch 0", "epoch 0.5", "epoch 1"}, []int{0, 0, 1}},
	} {
		cfg := Config{Arch: "mlp:16", LR: 0.005, Batch: tc.batch, Epochs: 1, Layer: 1, N: 100, StagesPerEpoch: 4}
		r, err := New(cfg, train, test)
		if err != nil {
			t.Fatal(err)
		}
		finish(t, r)
		if r.Err() != nil {
			t.Fatal(r.Err())
		}
		var names []string
		var epochs []int
		for _, s := range r.Stages() {
			names, epochs = append(names, s.Name()), append(epochs, s.Epoch)
		}
		if !slices.Equal(names, tc.names) || !slices.Equal(epochs, tc.epochs) {
			t.Errorf("batch %d: stages %q of epochs %v, want %q of %v", tc.batch, names, epochs, tc.names, tc.epochs)
		}
		if r.Planned() != 5 || r.Progress() != 1 {
			t.Errorf("batch %d: %d stages planned, progress %g; want 5, 1", tc.batch, r.Planned(), r.Progress())
		}
		st := r.Stages()
		if last := st[len(st)-1]; !(last.Accuracy > st[0].Accuracy) || math.IsNaN(st[1].Loss) {
			t.Errorf("batch %d: accuracy %g after the epoch, %g untrained; loss of the first trained stage %g", tc.batch, last.Accuracy, st[0].Accuracy, st[1].Loss)
		}
	}
}

func TestStagesPerEpoch(t *testing.T) {
	for epochs, want := range map[int]int{1: 4, 2: 1, 3: 1, 30: 1} {
		if got := StagesPerEpoch(epochs); got != want {
			t.Errorf("StagesPerEpoch(%d) = %d, want %d", epochs, got, want)
		}
	}
	train, test := digits(t)
	cfg := small
	cfg.StagesPerEpoch = MaxStagesPerEpoch + 1
	if _, err := New(cfg, train, test); err == nil || !strings.Contains(err.Error(), "learn: 9 stages per epoch, want 1…8") {
		t.Errorf("9 stages per epoch: %v", err)
	}
}

// TestUntrained checks that the first stage evaluated alone is the run's,
// bit for bit, whether its digits end within an evaluation step (300), on
// a step's edge (500) or take every test digit (then its accuracy is still
// not given).
func TestUntrained(t *testing.T) {
	train, test := digits(t)
	for _, n := range []int{300, 500, test.Len()} {
		cfg := small
		cfg.N, cfg.Seed = n, 3
		r, err := New(cfg, train, test)
		if err != nil {
			t.Fatal(err)
		}
		for len(r.Stages()) == 0 {
			r.Step()
		}
		want := r.Stages()[0]
		got, err := Untrained(cfg, test)
		if err != nil {
			t.Fatal(err)
		}
		wb, err := model.EncodeCheckpoint(&model.Checkpoint{Arch: cfg.Arch, Net: want.Net})
		if err != nil {
			t.Fatal(err)
		}
		gb, err := model.EncodeCheckpoint(&model.Checkpoint{Arch: cfg.Arch, Net: got.Net})
		if err != nil {
			t.Fatal(err)
		}
		if !equal(got.Acts, want.Acts) || !bytes.Equal(got.Pred, want.Pred) || !bytes.Equal(gb, wb) ||
			got.Dim != want.Dim || got.Epoch != 0 || got.Trained != 0 || !math.IsNaN(got.Accuracy) {
			t.Errorf("n=%d: epoch 0 alone (epoch %d, %d dims, accuracy %g) differs from the run's", n, got.Epoch, got.Dim, got.Accuracy)
		}
	}
	if _, err := Untrained(Config{Arch: "mlp:32"}, test); err == nil {
		t.Error("a run without a learning rate: no error")
	}
}
