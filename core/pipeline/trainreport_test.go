//go:build !js

package pipeline

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"annvis/core/params"
	"annvis/core/viewstate"
)

// TestTrainElsewhere trains the acceptance run on one goroutine while
// another projects it (Start of a train view: StartTrainer reporting to
// StartProjecting) and checks that the stages, their layouts, the training
// state and the checkpoint bytes are those of one pipeline doing both.
func TestTrainElsewhere(t *testing.T) {
	const query = "view=train&arch=32&epochs=2&train=2000&n=300"
	local := trainRun(t, query)
	p, _ := params.Parse(query)
	b := Start(p, FSFetcher(os.DirFS("../../models")))
	defer b.Close()
	if b.trainer == nil {
		t.Fatal("the train view trains on the projecting goroutine")
	}
	waitFor(t, b, func(st viewstate.Status) bool { return st.Done || st.Err != nil })
	if st := b.Status(); st.Err != nil || st.Progress != 1 || !slices.Equal(b.Stages(), local.Stages()) {
		t.Fatalf("status %+v, stages %q", st, b.Stages())
	}
	for k := range local.Stages() {
		if !slices.Equal(b.Positions(k, nil), local.Positions(k, nil)) || !slices.Equal(b.Predicted(k), local.Predicted(k)) {
			t.Errorf("stage %d: another layout or prediction than trained and projected in one place", k)
		}
	}
	tr, _ := b.Training()
	want, _ := local.Training()
	if tr.Batches != want.Batches || !slices.Equal(tr.Accuracies, want.Accuracies) || !slices.Equal(tr.Losses, want.Losses) || len(tr.Seconds) != 3 {
		t.Errorf("training state %+v, want %+v", tr, want)
	}
	got, err := b.Checkpoint()
	wantB, _ := local.Checkpoint()
	if err != nil || !bytes.Equal(got, wantB) {
		t.Errorf("checkpoint of %d bytes (%v), want the %d bytes trained in one place", len(got), err, len(wantB))
	}
}

// TestTrainElsewhereDiverges checks that a divergence and a run that
// cannot start reach the projecting pipeline with their messages.
func TestTrainElsewhereDiverges(t *testing.T) {
	shipped := FSFetcher(os.DirFS("../../models"))
	noTrainSet := func(name string, limit int64) ([]byte, error) {
		if name == TrainSetFile {
			return nil, errors.New("no such file")
		}
		return shipped(name, limit)
	}
	for _, tc := range []struct {
		query string
		fetch Fetcher
		want  string
	}{
		{"view=train&arch=32&epochs=2&train=2000&n=300&lr=10", shipped, "training diverged at epoch 1 — lower the learning rate"},
		{"view=train&arch=32&epochs=2&train=2000&n=300", noTrainSet, "mnist-train.zst: download check failed: no such file"},
	} {
		p, err := params.Parse(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		b := Start(p, tc.fetch)
		waitFor(t, b, func(st viewstate.Status) bool { return st.Err != nil })
		if msg := b.Status().Err.Error(); !strings.Contains(msg, tc.want) {
			t.Errorf("%s: error %q, want %q", tc.query, msg, tc.want)
		}
		if strings.Contains(tc.want, "diverged") && (len(b.Stages()) != 1 || !b.Ready(0)) {
			t.Errorf("stages %q: want the untrained stage kept", b.Stages())
		}
		b.Close()
	}
}

// reports returns the reports of the short run query, trained alone.
func reports(t testing.TB, query string) [][]byte {
	p, err := params.Parse(query)
	if err != nil {
		t.Fatal(err)
	}
	pl := New(p, FSFetcher(os.DirFS("../../models")), false)
	pl.role = trainOnly
	var rs [][]byte
	for pl.Status().Err == nil && !pl.Status().Done {
		pl.Step(0)
		if r := pl.report(nil); len(r) > 0 {
			rs = append(rs, r)
		}
	}
	return rs
}

// TestApplyReportErrors checks that reports out of order, cut short or
// with values out of range are refused with what was wrong.
func TestApplyReportErrors(t *testing.T) {
	rs := reports(t, "view=train&arch=16&epochs=1&train=2000&n=100&perplexity=10")
	var r remoteRun
	for _, b := range rs {
		if err := applyReport(&r, b, 100, 1); err != nil {
			t.Fatal(err)
		}
	}
	if len(r.stages) != 5 || !r.done || r.progress != 1 {
		t.Fatalf("%d stages, done %v, progress %v after %d reports", len(r.stages), r.done, r.progress, len(rs))
	}
	first := slices.IndexFunc(rs, func(b []byte) bool { return len(b) > 1000 }) // the untrained stage
	for _, tc := range []struct {
		name   string
		b      []byte
		n      int
		epochs int
		want   string
	}{
		{"no magic", []byte("hello"), 100, 1, "without its magic"},
		{"a stage again", rs[first], 100, 1, "stages from 0, 5 known"},
		{"another n", rs[first], 99, 1, "want 99 digits"},
		{"cut short", rs[first][:len(rs[first])-3], 100, 1, "bytes announced"},
		{"trailing bytes", append(slices.Clone(rs[first]), 0), 100, 1, "1 bytes after its end"},
	} {
		var dst remoteRun
		if tc.name == "a stage again" {
			dst = r
		}
		if err := applyReport(&dst, tc.b, tc.n, tc.epochs); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", tc.name, err, tc.want)
		}
	}
}

func FuzzApplyReport(f *testing.F) {
	for _, b := range reports(f, "view=train&arch=16&epochs=1&train=2000&n=100&perplexity=10") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var r remoteRun
		if err := applyReport(&r, b, 100, 1); err != nil {
			return
		}
		if len(r.stages) != len(r.seconds) || r.epoch > 1 || !(r.progress >= 0 && r.progress <= 1) {
			t.Fatalf("accepted %d stages, %d times, epoch %d, progress %v", len(r.stages), len(r.seconds), r.epoch, r.progress)
		}
		for _, s := range r.stages {
			if s.Net == nil || len(s.Acts) != 100*s.Dim || len(s.Pred) != 100 {
				t.Fatalf("accepted a stage of %d activations of width %d, %d predictions", len(s.Acts), s.Dim, len(s.Pred))
			}
		}
	})
}
