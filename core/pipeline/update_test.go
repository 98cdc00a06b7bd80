//go:build !js

package pipeline

import (
	"bytes"
	"math"
	"os"
	"slices"
	"testing"
	"time"

	"annvis/core/params"
	"annvis/core/viewstate"
)

// TestUpdatesCarryTheView checks that a reader applying an viewstate.Encoder's
// updates, taken while a bundled view and a neurons view compute, ends with
// what the pipeline computed (coordinates rounded to float32), and that
// later updates carry only the status once nothing changes.
func TestUpdatesCarryTheView(t *testing.T) {
	for _, view := range []string{"bundled", "neurons"} {
		t.Run(view, func(t *testing.T) {
			pl := New(smallView(view), newFixture(t).Fetch, false)
			var enc viewstate.Encoder
			var src, dst viewstate.Snapshot
			updates := 0
			for !pl.Idle() {
				pl.Step(10 * time.Millisecond)
				pl.Snapshot(&src)
				if err := viewstate.ApplyUpdate(&dst, enc.Encode(nil, &src)); err != nil {
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

func checkSame(t *testing.T, src, dst *viewstate.Snapshot) {
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
	if !slices.EqualFunc(dst.Quality, src.Quality, func(a, b viewstate.Quality) bool {
		return math.Float64bits(a.NH) == math.Float64bits(b.NH) && math.Float64bits(a.TW) == math.Float64bits(b.TW)
	}) {
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

// TestUpdatesCarryTheTrainView checks that a reader applying an viewstate.Encoder's
// updates, taken while the train view learns, sees the stages join one by
// one and ends with the pipeline's run state and the very checkpoint bytes
// the run writes.
func TestUpdatesCarryTheTrainView(t *testing.T) {
	p, err := params.Parse("view=train&arch=16&epochs=1&train=2000&n=100&batch=128")
	if err != nil {
		t.Fatal(err)
	}
	pl := New(p, FSFetcher(os.DirFS("../../models")), false)
	var enc viewstate.Encoder
	var src, dst viewstate.Snapshot
	var stagesSeen []int
	for !pl.Idle() {
		pl.Step(10 * time.Millisecond)
		pl.Snapshot(&src)
		if err := viewstate.ApplyUpdate(&dst, enc.Encode(nil, &src)); err != nil {
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
	var sh viewstate.Shared
	sh.Update(func(s *viewstate.Snapshot) { *s = dst })
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
