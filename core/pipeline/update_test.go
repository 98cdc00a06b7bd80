//go:build !js

package pipeline

import (
	"bytes"
	"errors"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"annvis/core/learn"
	"annvis/core/params"
)

// TestUpdatesCarryTheView checks that a reader applying an Encoder's
// updates, taken while a bundled view and a neurons view compute, ends with
// what the pipeline computed (coordinates rounded to float32), and that
// later updates carry only the status once nothing changes.
func TestUpdatesCarryTheView(t *testing.T) {
	for _, view := range []string{"bundled", "neurons"} {
		t.Run(view, func(t *testing.T) {
			pl := New(smallView(view), newFixture(t).Fetch, false)
			var enc Encoder
			var src, dst Snapshot
			updates := 0
			for !pl.Idle() {
				pl.Step(10 * time.Millisecond)
				pl.Snapshot(&src)
				if err := ApplyUpdate(&dst, enc.Encode(nil, &src)); err != nil {
					t.Fatalf("update %d: %v", updates, err)
				}
				updates++
			}
			checkSame(t, &src, &dst)
			if b := enc.Encode(nil, &src); len(b) > 100 {
				t.Errorf("an update with nothing new has %d bytes", len(b))
			}
		})
	}
}

func checkSame(t *testing.T, src, dst *Snapshot) {
	t.Helper()
	if dst.Status != src.Status || dst.N != src.N || dst.Bundled != src.Bundled || !slices.Equal(dst.Names, src.Names) ||
		!slices.Equal(dst.Labels, src.Labels) || !slices.Equal(dst.Images, src.Images) {
		t.Fatalf("status %+v, want %+v", dst.Status, src.Status)
	}
	for k := range src.Names {
		if !slices.Equal(dst.Predicted[k], src.Predicted[k]) || !sameF32(src.Positions[k], dst.Positions[k]) {
			t.Errorf("stage %d differs: predictions %v, %d positions of %d", k, slices.Equal(dst.Predicted[k], src.Predicted[k]), len(dst.Positions[k]), len(src.Positions[k]))
		}
		if (src.Panels[k] == nil) != (dst.Panels[k] == nil) {
			t.Fatalf("panel %d: %v, want %v", k, dst.Panels[k], src.Panels[k])
		}
		if p, q := src.Panels[k], dst.Panels[k]; p != nil && (!sameF32(p.Pos, q.Pos) || !sameF32(p.Importance, q.Importance) ||
			!slices.Equal(p.Class, q.Class) || !sameF32(p.Opacity, q.Opacity) || p.Stress != q.Stress) {
			t.Errorf("panel %d differs", k)
		}
	}
	if !sameQuality(dst.Quality, src.Quality) {
		t.Errorf("quality %v, want %v", dst.Quality, src.Quality)
	}
	for i, r := range src.Bundles {
		if (r == nil) != (dst.Bundles[i] == nil) {
			t.Fatalf("bundles %d: %v", i, dst.Bundles[i])
		}
		if r == nil {
			continue
		}
		for j := range r.Lines {
			if !sameF32(r.Lines[j], dst.Bundles[i].Lines[j]) || !slices.Equal(r.Stage[j], dst.Bundles[i].Stage[j]) {
				t.Fatalf("bundled line %d differs", j)
			}
		}
	}
}

func sameF32(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return float64(float32(x)) == y })
}

func TestApplyUpdateErrors(t *testing.T) {
	pl := New(smallView("layers"), newFixture(t).Fetch, false)
	run(t, pl)
	var src Snapshot
	pl.Snapshot(&src)
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
		if err := ApplyUpdate(&dst, tc.b); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "pipeline: bad update: ") {
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
	other.N = 150
	var enc2 Encoder
	if err := ApplyUpdate(&dst, enc2.Encode(nil, &other)); err == nil || !strings.Contains(err.Error(), "150 digits (before: 200)") {
		t.Errorf("an update of 150 digits into a view of 200: %v", err)
	}
}

func FuzzApplyUpdate(f *testing.F) {
	s := &Snapshot{Status: Status{Phase: "t-SNE", Progress: 0.5}, N: 2, Names: []string{"a", "b"},
		Labels: []uint8{1, 2}, Predicted: [][]uint8{{1, 2}, nil}, Positions: [][]float64{{0, 1, 2, 3}, nil},
		Quality: []Quality{{1, math.NaN()}, {0, 0}}, Panels: []*Panel{{Pos: []float64{1, 2}, Importance: make([]float64, 10),
			Class: []int{3}, Opacity: []float64{1}}, nil}, Images: make([]uint8, 2*784),
		Training: &Training{Epoch: 1, Epochs: 2, Batches: 3, PerEpoch: 3, Stopped: errors.New("diverged"),
			Losses: []learn.Point{{Epoch: 0.5, Loss: 2}}, Accuracies: []float64{0.1, 0.5}, Trained: []float64{0, 0.5}, Seconds: []float64{0, 1.5}}}
	var enc Encoder
	f.Add(enc.Encode(nil, s))
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

// TestEncoderHold checks that an Encoder holding back positions sends none
// while the view computes, sends them again once it stops holding, never
// sends the same positions twice, and never holds back final ones.
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

// TestUpdatesCarryTheTrainView checks that a reader applying an Encoder's
// updates, taken while the train view learns, sees the stages join one by
// one and ends with the pipeline's run state and the very checkpoint bytes
// the run writes.
func TestUpdatesCarryTheTrainView(t *testing.T) {
	p, err := params.Parse("view=train&arch=16&epochs=1&train=2000&n=100&batch=128")
	if err != nil {
		t.Fatal(err)
	}
	pl := New(p, FSFetcher(os.DirFS("../../models")), false)
	var enc Encoder
	var src, dst Snapshot
	var stagesSeen []int
	for !pl.Idle() {
		pl.Step(10 * time.Millisecond)
		pl.Snapshot(&src)
		if err := ApplyUpdate(&dst, enc.Encode(nil, &src)); err != nil {
			t.Fatal(err)
		}
		if n := len(dst.Names); len(stagesSeen) == 0 || stagesSeen[len(stagesSeen)-1] != n {
			stagesSeen = append(stagesSeen, n)
		}
	}
	checkSame(t, &src, &dst)
	if len(stagesSeen) < 2 || stagesSeen[len(stagesSeen)-1] != len(src.Names) {
		t.Errorf("stage counts seen %v, want them growing to %d", stagesSeen, len(src.Names))
	}
	want, got := src.Training, dst.Training
	if got == nil || got.Epoch != want.Epoch || got.Batches != want.Batches || got.PerEpoch != want.PerEpoch ||
		!slices.Equal(got.Losses, want.Losses) || !slices.Equal(got.Accuracies, want.Accuracies) ||
		!slices.Equal(got.Trained, want.Trained) || got.Stopped != nil {
		t.Fatalf("training state %+v, want %+v", got, want)
	}
	var sh Shared
	sh.Update(func(s *Snapshot) { *s = dst })
	b, err := sh.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	if w, _ := pl.Checkpoint(); !bytes.Equal(b, w) {
		t.Error("the reader's checkpoint is not the run's")
	}
	if n := len(enc.Encode(nil, &src)); n > 100 {
		t.Errorf("an update with nothing new has %d bytes", n)
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
	b = append(b, tagTrained, 4, 0, 0, 0, 'n', 'o', 'p', 'e')
	var dst Snapshot
	if err := ApplyUpdate(&dst, b); err == nil || !strings.Contains(err.Error(), "trained network: ") {
		t.Errorf("a trained network that is no checkpoint: %v", err)
	}
}
