//go:build !js

package pipeline

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"annvis/core/learn"
	"annvis/core/params"
	"annvis/core/viewstate"
	"annvis/core/wire"
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

// shortRun is the training run of the report tests: one epoch, 100 digits.
const shortRun = "view=train&arch=16&epochs=1&train=2000&n=100&perplexity=10"

// appliedReports returns the reports of shortRun and the remote run they
// make, checked complete.
func appliedReports(t *testing.T) ([][]byte, remoteRun) {
	rs := reports(t, shortRun)
	var r remoteRun
	for _, b := range rs {
		if err := applyReport(&r, b, 100, 1); err != nil {
			t.Fatal(err)
		}
	}
	if len(r.stages) != 5 || !r.done || r.progress != 1 {
		t.Fatalf("%d stages, done %v, progress %v after %d reports", len(r.stages), r.done, r.progress, len(rs))
	}
	return rs, r
}

// TestApplyReportErrors checks that reports out of order, cut short or
// with values out of range are refused with what was wrong.
func TestApplyReportErrors(t *testing.T) {
	rs, r := appliedReports(t)
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
	for _, b := range reports(f, shortRun) {
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

// testReport is a training report built field by field (the format of
// reportMagic's comment), each stage written by the trainer's own
// reportStage.
type testReport struct {
	from     int // index of the first stage
	stages   []learn.Stage
	seconds  []float64
	lossFrom int // index of the first loss point
	losses   []learn.Point
	epoch    int
	batches  int
	progress float64
	done     bool
	msg      string
	failed   bool
}

// encode returns the report's bytes.
func (tr *testReport) encode() []byte {
	w := repWriter{wire.Writer{B: []byte(reportMagic)}}
	w.U32(uint32(tr.from))
	w.U32(uint32(len(tr.stages)))
	for i := range tr.stages {
		w.reportStage(&tr.stages[i], tr.seconds[i])
	}
	w.U32(uint32(tr.lossFrom))
	w.U32(uint32(len(tr.losses)))
	for _, p := range tr.losses {
		w.F64(p.Epoch)
		w.F64(p.Loss)
	}
	w.U32(uint32(tr.epoch))
	w.U32(uint32(tr.batches))
	w.F64(tr.progress)
	w.Bool(tr.done)
	w.Str(tr.msg)
	w.Bool(tr.failed)
	return w.B
}

// TestApplyReportLimits sets each field of a report at and just beyond its
// limit: at the limit the report is applied as sent, beyond it refused with
// what was wrong. The base report carries the last stage of a real run
// (epoch 1 of 1) and one loss point, and is applied to a run that knows
// known stages and loss points.
func TestApplyReportLimits(t *testing.T) {
	_, real := appliedReports(t)
	last := real.stages[len(real.stages)-1]
	one := func(s learn.Stage) []learn.Stage { return []learn.Stage{s} }
	// wide is a stage of one digit of width maxReportWidth + extra.
	wide := func(extra int) learn.Stage {
		s := last
		s.Dim, s.Acts, s.Pred = maxReportWidth+extra, make([]float32, maxReportWidth+extra), last.Pred[:1]
		return s
	}
	for _, tc := range []struct {
		name   string
		known  int // stages the run knows before
		points int // loss points the run knows before
		n      int // digits, 100 unless set
		set    func(r *testReport)
		want   string // "" → applied
		errMsg string // the run's error once applied
	}{
		{"as sent", 0, 0, 0, func(r *testReport) {}, "", ""},
		{"epoch 1 of 1", 0, 0, 0, func(r *testReport) { r.epoch = 1 }, "", ""},
		{"epoch 2 of 1", 0, 0, 0, func(r *testReport) { r.epoch = 2 }, "training report of epoch 2 of 1", ""},
		{"progress 0", 0, 0, 0, func(r *testReport) { r.progress = 0 }, "", ""},
		{"progress above 1", 0, 0, 0, func(r *testReport) { r.progress = 1 + 1e-12 }, "training report of progress 1.000000000001", ""},
		{"progress below 0", 0, 0, 0, func(r *testReport) { r.progress = -1e-12 }, "training report of progress -1e-12", ""},
		{"progress NaN", 0, 0, 0, func(r *testReport) { r.progress = math.NaN() }, "training report of progress NaN", ""},
		{"longest error", 0, 0, 0, func(r *testReport) { r.msg = strings.Repeat("e", maxReportError) }, "", strings.Repeat("e", maxReportError)},
		{"error too long", 0, 0, 0, func(r *testReport) { r.msg = strings.Repeat("e", maxReportError+1) }, "an error of more than 1024 bytes", ""},
		{"diverged", 0, 0, 0, func(r *testReport) { r.msg = "training diverged" }, "", "training diverged"},
		{"failed to start", 0, 0, 0, func(r *testReport) { r.msg, r.failed = "no training set", true }, "no training set", ""},
		{"stages up to the most", MaxStages - 1, 0, 0, func(r *testReport) { r.from = MaxStages - 1 }, "", ""},
		{"a stage too many", MaxStages, 0, 0, func(r *testReport) { r.from = MaxStages }, "65 stages, at most 64", ""},
		{"loss points up to the most", 0, maxReportPoints - 1, 0, func(r *testReport) { r.lossFrom = maxReportPoints - 1 }, "", ""},
		{"a loss point too many", 0, maxReportPoints, 0, func(r *testReport) { r.lossFrom = maxReportPoints }, "16385 points of the loss curve, at most 16384", ""},
		{"loss points again", 0, 0, 0, func(r *testReport) { r.lossFrom = 1 }, "loss points from 1, 0 known", ""},
		{"untrained, instant, every answer wrong", 0, 0, 0, func(r *testReport) {
			r.stages[0].Epoch, r.stages[0].Trained, r.stages[0].Accuracy, r.seconds[0] = 0, 0, 0, 0
		}, "", ""},
		{"every answer right after the longest time", 0, 0, 0, func(r *testReport) { r.stages[0].Accuracy, r.seconds[0] = 1, math.MaxFloat32 }, "", ""},
		{"stage of epoch 2", 0, 0, 0, func(r *testReport) { r.stages[0].Epoch = 2 }, "stage after 1 epochs (epoch 2) of 1", ""},
		{"trained beyond the run", 0, 0, 0, func(r *testReport) { r.stages[0].Trained = 1 + 1e-12 }, "stage after 1.000000000001 epochs", ""},
		{"trained less than nothing", 0, 0, 0, func(r *testReport) { r.stages[0].Trained = -1e-12 }, "stage after -1e-12 epochs", ""},
		{"accuracy above 1", 0, 0, 0, func(r *testReport) { r.stages[0].Accuracy = 1 + 1e-12 }, "stage of test accuracy 1.000000000001", ""},
		{"accuracy below 0", 0, 0, 0, func(r *testReport) { r.stages[0].Accuracy = -1e-12 }, "stage of test accuracy -1e-12", ""},
		{"negative seconds", 0, 0, 0, func(r *testReport) { r.seconds[0] = -1e-12 }, "after -1e-12 seconds", ""},
		{"seconds beyond float32", 0, 0, 0, func(r *testReport) { r.seconds[0] = math.MaxFloat32 * 1.000001 }, "after 3.4028268692", ""},
		{"width 1", 0, 0, 0, func(r *testReport) { r.stages[0].Dim, r.stages[0].Acts = 1, last.Acts[:100] }, "", ""},
		{"width 0", 0, 0, 0, func(r *testReport) { r.stages[0].Dim, r.stages[0].Acts = 0, nil }, "stage of 0 activations of width 0", ""},
		{"widest layer", 0, 0, 1, func(r *testReport) { r.stages = one(wide(0)) }, "", ""},
		{"wider than the widest", 0, 0, 1, func(r *testReport) { r.stages = one(wide(1)) }, "stage of 65537 activations of width 65537", ""},
		{"activations of 99 digits", 0, 0, 0, func(r *testReport) { r.stages[0].Acts = last.Acts[:99*last.Dim] }, "want 100 digits", ""},
		{"largest activations", 0, 0, 0, func(r *testReport) {
			r.stages[0].Acts = slices.Clone(last.Acts)
			r.stages[0].Acts[0], r.stages[0].Acts[1] = math.MaxFloat32, -math.MaxFloat32
		}, "", ""},
		{"activation +Inf", 0, 0, 0, func(r *testReport) {
			r.stages[0].Acts = slices.Clone(last.Acts)
			r.stages[0].Acts[7] = float32(math.Inf(1))
		}, "stage activation 7 is +Inf", ""},
		{"predictions 0 and 9", 0, 0, 0, func(r *testReport) {
			r.stages[0].Pred = slices.Clone(last.Pred)
			r.stages[0].Pred[0], r.stages[0].Pred[99] = 0, 9
		}, "", ""},
		{"prediction 10", 0, 0, 0, func(r *testReport) {
			r.stages[0].Pred = slices.Clone(last.Pred)
			r.stages[0].Pred[99] = 10
		}, "stage prediction 99 is class 10", ""},
	} {
		n := cmp.Or(tc.n, 100)
		rep := testReport{stages: one(last), seconds: []float64{2.5}, losses: []learn.Point{{Epoch: 1, Loss: 0.25}},
			epoch: 1, batches: 32, progress: 1, done: true}
		tc.set(&rep)
		r := remoteRun{stages: slices.Repeat(one(last), tc.known), seconds: make([]float64, tc.known), losses: make([]learn.Point, tc.points)}
		err := applyReport(&r, rep.encode(), n, 1)
		if tc.want != "" {
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v, want it applied", tc.name, err)
			continue
		}
		got, sent := r.stages[tc.known:], rep.stages
		if len(got) != len(sent) || r.epoch != rep.epoch || r.batches != rep.batches || r.progress != rep.progress || r.done != rep.done ||
			len(r.losses) != tc.points+1 || r.losses[tc.points] != rep.losses[0] || fmt.Sprint(r.err) != cmp.Or(tc.errMsg, "<nil>") {
			t.Errorf("%s: applied %d stages, epoch %d, %d batches, progress %v, done %v, %d loss points, error %v; sent %+v",
				tc.name, len(got), r.epoch, r.batches, r.progress, r.done, len(r.losses), r.err, rep)
			continue
		}
		for k, s := range got {
			if s.Epoch != sent[k].Epoch || s.Trained != sent[k].Trained || s.Accuracy != sent[k].Accuracy || s.Dim != sent[k].Dim ||
				!slices.Equal(s.Acts, sent[k].Acts) || !slices.Equal(s.Pred, sent[k].Pred) || r.seconds[tc.known+k] != rep.seconds[k] {
				t.Errorf("%s: stage %d applied as epoch %d (%v trained), accuracy %v, width %d, %v s; sent epoch %d (%v), %v, %d, %v s",
					tc.name, k, s.Epoch, s.Trained, s.Accuracy, s.Dim, r.seconds[tc.known+k], sent[k].Epoch, sent[k].Trained, sent[k].Accuracy, sent[k].Dim, rep.seconds[k])
			}
		}
	}
}

// TestTrainElsewherePauses pauses the train view of Start, whose run steps
// on a trainer goroutine: the trainer trains no batch while paused, though
// it idles and wakes, and the run completes once resumed.
func TestTrainElsewherePauses(t *testing.T) {
	p, err := params.Parse(shortRun)
	if err != nil {
		t.Fatal(err)
	}
	b := Start(p, FSFetcher(os.DirFS("../../models")))
	defer b.Close()
	b.PauseTraining(true)
	tr := b.trainer
	waitFor(t, tr, func(st viewstate.Status) bool {
		s, ok := tr.Training()
		return ok && s.Paused || st.Done || st.Err != nil
	})
	s, _ := tr.Training()
	if !s.Paused {
		t.Fatalf("the trainer was not paused: %d batches, status %+v", s.Batches, tr.Status())
	}
	for range 3 { // woken (as by a reader's wish), it works a slice and trains nothing
		slices := tr.counts()
		tr.poke()
		waitFor(t, tr, func(viewstate.Status) bool { return tr.counts() > slices })
	}
	if now, _ := tr.Training(); now.Batches != s.Batches || now.Epoch != s.Epoch {
		t.Fatalf("paused, the trainer went from %d to %d batches", s.Batches, now.Batches)
	}
	b.PauseTraining(false)
	waitFor(t, b, func(st viewstate.Status) bool { return st.Done || st.Err != nil })
	if now, _ := b.Training(); b.Status().Err != nil || now.Batches != 32 || now.Paused {
		t.Errorf("resumed: %+v, %v", now, b.Status().Err)
	}
}

// TestProjectsEpochZeroFirst checks that a view whose run steps elsewhere
// projects the untrained stage before its report comes (showing no stage
// yet), gives the layouts of a pipeline that trains too once the reports
// come, and stops when the report's epoch 0 is not what it evaluated.
func TestProjectsEpochZeroFirst(t *testing.T) {
	rs := reports(t, shortRun)
	local := trainRun(t, shortRun)
	for _, tamper := range []bool{false, true} {
		p, _ := params.Parse(shortRun)
		pl := New(p, FSFetcher(os.DirFS("../../models")), false)
		pl.role = projectOnly
		for pl.train == nil || len(pl.train.proj) == 0 || pl.train.proj[0].Progress() == 0 { // or the test's timeout
			if pl.Step(0); pl.Status().Err != nil {
				t.Fatal(pl.Status().Err)
			}
			runtime.Gosched()
		}
		if len(pl.Stages()) != 0 || pl.Ready(0) || len(pl.Positions(0, nil)) != 0 {
			t.Fatalf("stages %q before any report", pl.Stages())
		}
		if tamper {
			pl.train.first.Acts[7] = math.Nextafter32(pl.train.first.Acts[7], 1)
		}
		for _, r := range rs {
			pl.Report(r)
		}
		run(t, pl)
		if err := pl.Status().Err; tamper != (err != nil) || tamper && !strings.Contains(err.Error(), "epoch 0 differs") {
			t.Fatalf("tampered %v: error %v", tamper, err)
		}
		for k := range local.Stages() {
			if !tamper && !slices.Equal(pl.Positions(k, nil), local.Positions(k, nil)) {
				t.Errorf("stage %d: another layout than trained and projected in one place", k)
			}
		}
	}
}
