package viewstate

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"annvis/core/mnist"
)

// TestImagePixels checks that the updates' images are MNIST's.
func TestImagePixels(t *testing.T) {
	if imagePixels != mnist.Pixels {
		t.Errorf("viewstate's images have %d pixels, MNIST's %d", imagePixels, mnist.Pixels)
	}
}

// small returns the snapshot of a small view of two digits and stages,
// with a panel and a run's state.
func small() *Snapshot {
	return &Snapshot{Status: Status{Phase: "t-SNE", Progress: 0.5}, N: 2, Names: []string{"a", "b"},
		Labels: []uint8{1, 2}, Predicted: [][]uint8{{1, 2}, nil}, Positions: [][]float64{{0, 1, 2, 3}, nil},
		Quality: []Quality{{1, math.NaN()}, {0, 0}}, Panels: []*Panel{{Pos: []float64{1, 2}, Importance: make([]float64, 10),
			Class: []int{3}, Opacity: []float64{1}}, nil}, Images: make([]uint8, 2*784),
		Training: &Training{Epoch: 1, Epochs: 2, Batches: 3, PerEpoch: 3, Stopped: errors.New("diverged"),
			Losses: []Loss{{Epoch: 0.5, Loss: 2}}, Accuracies: []float64{0.1, 0.5}, Trained: []float64{0, 0.5}, Seconds: []float64{0, 1.5}}}
}

// TestApplyUpdateErrors checks that malformed updates give errors that say
// what is wrong, that an asset's error stays one, and that an update of
// another view does not fit.
func TestApplyUpdateErrors(t *testing.T) {
	src := *small()
	var enc Encoder
	good := enc.Encode(nil, &src)
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "does not start with"},
		{"truncated", good[:len(good)/2], "bytes announced"},
		{"no status", append([]byte(updateMagic), tagLabels), "before the status"},
		{"unknown section", append(slices.Clone(good), 99), "unknown section 99"},
	} {
		var dst Snapshot
		if err := ApplyUpdate(&dst, tc.b); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "viewstate: bad update: ") {
			t.Errorf("%s: error %v, want one with %q", tc.name, err, tc.want)
		}
	}
	// An asset's error stays one.
	failed := src
	failed.Status = Status{Phase: "error", Err: &AssetError{File: "mlp-e20.zst", Layer: "integrity", Err: errors.New("SHA-256 mismatch")}}
	var got Snapshot
	if err := ApplyUpdate(&got, new(Encoder).Encode(nil, &failed)); err != nil {
		t.Fatal(err)
	}
	var ae *AssetError
	if !errors.As(got.Status.Err, &ae) || got.Status.Err.Error() != failed.Status.Err.Error() {
		t.Errorf("error %#v, want the AssetError %q", got.Status.Err, failed.Status.Err)
	}
	// Another view's update does not fit this one.
	var dst Snapshot
	if err := ApplyUpdate(&dst, good); err != nil {
		t.Fatal(err)
	}
	other := src
	other.N = 3
	var enc2 Encoder
	if err := ApplyUpdate(&dst, enc2.Encode(nil, &other)); err == nil || !strings.Contains(err.Error(), "3 digits (before: 2)") {
		t.Errorf("an update of 3 digits into a view of 2: %v", err)
	}
}

// FuzzApplyUpdate applies arbitrary bytes as an update: an error, or a
// snapshot whose sizes agree; never a panic.
func FuzzApplyUpdate(f *testing.F) {
	var enc Encoder
	f.Add(enc.Encode(nil, small()))
	f.Add([]byte(updateMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		var dst Snapshot
		if err := ApplyUpdate(&dst, b); err != nil {
			return
		}
		if dst.N < 1 && dst.Names != nil || len(dst.Positions) != len(dst.Names) {
			t.Fatalf("accepted %d digits, %d positions for %d stages", dst.N, len(dst.Positions), len(dst.Names))
		}
		for _, p := range dst.Positions {
			if p != nil && len(p) != 2*dst.N {
				t.Fatalf("%d coordinates for %d digits", len(p), dst.N)
			}
		}
		if tr := dst.Training; tr != nil && (tr.Epoch > tr.Epochs || slices.ContainsFunc(tr.Accuracies, func(a float64) bool { return !(a >= 0 && a <= 1) })) {
			t.Fatalf("accepted the run state %+v", tr)
		}
	})
}

// TestEncoderHold checks that an Encoder holding back positions sends a
// stage's first ones, then none while the view computes, sends them again
// once it stops holding, never sends the same positions twice, and never
// holds back final ones.
func TestEncoderHold(t *testing.T) {
	pos := []float64{1, 2, 3, 4}
	s := Snapshot{Names: []string{"layer 1"}, N: 2, Predicted: [][]uint8{nil}, Positions: [][]float64{pos},
		Panels: []*Panel{nil}, Status: Status{Phase: "t-SNE", Progress: 0.5}}
	var enc Encoder
	var dst Snapshot
	sends := func(hold bool) bool {
		t.Helper()
		enc.Hold = hold
		if err := ApplyUpdate(&dst, enc.Encode(nil, &s)); err != nil {
			t.Fatal(err)
		}
		return dst.Positions != nil && slices.Equal(dst.Positions[0], s.Positions[0])
	}
	if !sends(true) {
		t.Fatal("a stage's first positions were held back")
	}
	s.Positions[0] = []float64{1.5, 2, 3, 4}
	if sends(true) {
		t.Fatal("held positions were sent")
	}
	if !sends(false) {
		t.Fatal("positions not sent once not held")
	}
	dst.Positions[0] = nil
	if sends(false) {
		t.Error("the same positions were sent twice")
	}
	s.Positions[0] = []float64{5, 6, 7, 8}
	s.Status = Status{Phase: "ready", Progress: 1, Done: true}
	if !sends(true) {
		t.Error("final positions were held back")
	}
}

// TestEncoderHoldsCounters checks that an Encoder holding back sends
// neither a view's progress within its phase nor a run's mini-batch
// counters and loss points until it stops holding, and never holds back a
// new phase, a new stage, a pause or the end.
func TestEncoderHoldsCounters(t *testing.T) {
	s := Snapshot{Status: Status{Phase: "training epoch 1/2", Progress: 0.1}, N: 2,
		Training: &Training{Epochs: 2, Batches: 1, PerEpoch: 10, Losses: []Loss{{0.1, 2}},
			Accuracies: []float64{0.1}, Trained: []float64{0}, Seconds: []float64{0}}}
	var enc Encoder
	var dst Snapshot
	send := func(hold bool) {
		t.Helper()
		enc.Hold = hold
		if err := ApplyUpdate(&dst, enc.Encode(nil, &s)); err != nil {
			t.Fatal(err)
		}
	}
	send(false)
	s.Status.Progress, s.Training.Batches = 0.2, 2
	s.Training.Losses = append(s.Training.Losses, Loss{0.2, 1.5})
	send(true)
	if dst.Status.Progress != 0.1 || dst.Training.Batches != 1 || len(dst.Training.Losses) != 1 {
		t.Errorf("held: progress %v, %d batches, %d loss points; want the first update's 0.1, 1, 1",
			dst.Status.Progress, dst.Training.Batches, len(dst.Training.Losses))
	}
	send(false)
	if dst.Status.Progress != 0.2 || dst.Training.Batches != 2 || len(dst.Training.Losses) != 2 {
		t.Errorf("not held: progress %v, %d batches, %d loss points; want 0.2, 2, 2",
			dst.Status.Progress, dst.Training.Batches, len(dst.Training.Losses))
	}
	for _, step := range []struct {
		name   string
		change func()
		check  func() bool
	}{
		{"a pause", func() { s.Training.Paused = true }, func() bool { return dst.Training.Paused }},
		{"a new stage", func() {
			s.Training.Epoch, s.Training.Batches = 1, 10
			s.Training.Accuracies, s.Training.Trained, s.Training.Seconds = []float64{0.1, 0.8}, []float64{0, 1}, []float64{0, 2}
		}, func() bool { return len(dst.Training.Accuracies) == 2 && dst.Training.Batches == 10 }},
		{"a new phase", func() { s.Status.Phase, s.Status.Progress = "training epoch 2/2", 0.6 }, func() bool { return dst.Status.Progress == 0.6 }},
		{"the end", func() { s.Status = Status{Phase: "ready", Progress: 1, Done: true} }, func() bool { return dst.Status.Done && dst.Status.Progress == 1 }},
	} {
		step.change()
		send(true)
		if !step.check() {
			t.Errorf("%s was held back: %+v, %+v", step.name, dst.Status, *dst.Training)
		}
	}
}

// TestApplyTrainingErrors checks the train view's sections' rules.
func TestApplyTrainingErrors(t *testing.T) {
	base := Snapshot{Status: Status{Phase: "training", Progress: 0.5}, N: 2}
	for _, tc := range []struct {
		name string
		tr   *Training
		want string
	}{
		{"epoch beyond the run", &Training{Epoch: 3, Epochs: 2}, "epoch 3 of 2"},
		{"accuracy above 1", &Training{Epochs: 2, Accuracies: []float64{1.5}, Trained: []float64{0}, Seconds: []float64{0}}, "test accuracy 1.5"},
		{"accuracy NaN", &Training{Epochs: 2, Accuracies: []float64{math.NaN()}, Trained: []float64{0}, Seconds: []float64{0}}, "test accuracy NaN"},
		{"stage beyond the run", &Training{Epochs: 2, Accuracies: []float64{0.5}, Trained: []float64{2.5}, Seconds: []float64{0}}, "stage 0 after 2.5 epochs of 2"},
		{"negative training time", &Training{Epochs: 2, Accuracies: []float64{0.5}, Trained: []float64{1}, Seconds: []float64{-1}}, "stage 0 after -1 seconds of training"},
	} {
		s := base
		s.Training = tc.tr
		var dst Snapshot
		if err := ApplyUpdate(&dst, new(Encoder).Encode(nil, &s)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one with %q", tc.name, err, tc.want)
		}
	}
	s := base
	s.Training = &Training{Epochs: 2}
	b := new(Encoder).Encode(nil, &s)
	b = append(b, tagTrained, 0, 0, 0, 0)
	var dst Snapshot
	if err := ApplyUpdate(&dst, b); err == nil || !strings.Contains(err.Error(), "trained network: ") {
		t.Errorf("an empty trained network: %v", err)
	}
}

// TestApplyFewerStages checks that a view's stages may shrink only before
// any has a layout: a network opened from a checkpoint file has its own
// layers, known once decoded.
func TestApplyFewerStages(t *testing.T) {
	snap := func(stages int, laid bool) []byte {
		s := &Snapshot{Status: Status{Phase: "t-SNE"}, N: 2, Labels: []uint8{1, 2}}
		for k := range stages {
			s.Names = append(s.Names, fmt.Sprintf("layer %d", k+1))
			s.Predicted, s.Panels = append(s.Predicted, nil), append(s.Panels, nil)
			s.Positions = append(s.Positions, nil)
			if laid {
				s.Positions[k] = []float64{0, 1, 2, 3}
			}
		}
		return new(Encoder).Encode(nil, s)
	}
	var dst Snapshot
	for _, b := range [][]byte{snap(4, false), snap(1, false)} {
		if err := ApplyUpdate(&dst, b); err != nil {
			t.Fatal(err)
		}
	}
	if len(dst.Names) != 1 {
		t.Fatalf("%d stages after an update of 1 before any layout", len(dst.Names))
	}
	dst = Snapshot{}
	if err := ApplyUpdate(&dst, snap(4, true)); err != nil {
		t.Fatal(err)
	}
	if err := ApplyUpdate(&dst, snap(1, false)); err == nil || !strings.Contains(err.Error(), "1 stages (before: 4)") {
		t.Errorf("fewer stages once laid out: %v", err)
	}
}

// TestEncoderNews checks that an update that brings the reader nothing new
// is told apart: the status-only update after one that sent positions, or
// the same snapshot again; and that a changed status or new positions are
// news.
func TestEncoderNews(t *testing.T) {
	s := Snapshot{Names: []string{"layer 1"}, N: 2, Predicted: [][]uint8{nil}, Positions: [][]float64{{1, 2, 3, 4}},
		Panels: []*Panel{nil}, Status: Status{Phase: "t-SNE", Progress: 0.5}}
	var enc Encoder
	for i, step := range []struct {
		change func()
		hold   bool
		news   bool
	}{
		{func() {}, false, true}, // everything, the first time
		{func() {}, false, false},
		{func() { s.Positions[0] = []float64{1.5, 2, 3, 4} }, false, true},
		{func() {}, false, false},                         // the same status again, the positions already sent
		{func() { s.Status.Progress = 0.6 }, true, false}, // held: the progress within the phase waits
		{func() {}, false, true},                          // no longer held: the progress goes
		{func() { s.Status.Phase = "quality" }, true, true},
		{func() {}, true, false},
	} {
		step.change()
		enc.Hold = step.hold
		enc.Encode(nil, &s)
		if enc.News() != step.news {
			t.Errorf("update %d: News() = %v, want %v", i, enc.News(), step.news)
		}
	}
}
