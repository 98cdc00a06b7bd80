package pipeline

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"annvis/core/learn"
	"annvis/core/mnist"
	"annvis/core/model"
	"annvis/core/wire"
)

// A train view can train in one place and project in another (two Web
// Workers, two goroutines): a pipeline started with StartTrainer steps the
// run alone and writes reports, which the pipeline of StartProjecting
// applies (Background.Report) and projects. The results are those of a
// pipeline doing both: the stages cross as they are, bit for bit.
//
// A report carries what changed since the previous one, little-endian:
// the magic "ANNVTRN1"; the stages evaluated since (the index of the first,
// a count, then each: epoch u32, epochs trained, test accuracy, epoch loss
// and training seconds float64, the network as a checkpoint file, the
// layer's width u32, its N×width float32 activations, N predictions); the
// loss-curve points since (the index of the first, a count, epoch and loss
// float64 each); then epoch and batches u32, progress float64, done (a
// byte), and the error that stopped the run (empty: none), with a byte
// saying whether the run failed to start rather than diverged.
const reportMagic = "ANNVTRN1"

// Limits of a report: a layer's width, the loss-curve points and the
// length of an error message.
const (
	maxReportWidth  = 1 << 16
	maxReportPoints = 1 << 14
	maxReportError  = 1 << 10
)

// remoteRun is the state of a run stepped elsewhere, as its reports
// brought it; it has the methods of a learn.Run that the pipeline reads.
type remoteRun struct {
	stages   []learn.Stage
	seconds  []float64
	losses   []learn.Point
	epoch    int
	batches  int
	progress float64
	done     bool
	err      error
	planned  int
}

// runner is what the train view reads of its run: a *learn.Run stepped
// here, or a *remoteRun stepped elsewhere.
type runner interface {
	Step() bool
	Done() bool
	Err() error
	Stages() []learn.Stage
	Losses() []learn.Point
	Epoch() int
	Batches() int
	Progress() float64
	Planned() int
}

// Step does nothing: the run steps elsewhere.
func (r *remoteRun) Step() bool              { return r.done }
func (r *remoteRun) Done() bool              { return r.done }
func (r *remoteRun) Err() error              { return r.err }
func (r *remoteRun) Stages() []learn.Stage   { return r.stages }
func (r *remoteRun) Losses() []learn.Point   { return r.losses }
func (r *remoteRun) Epoch() int              { return r.epoch }
func (r *remoteRun) Batches() int            { return r.batches }
func (r *remoteRun) Progress() float64       { return r.progress }
func (r *remoteRun) Planned() int            { return r.planned }
func (r *remoteRun) stageSeconds() []float64 { return r.seconds }

// reporter remembers what a trainer's reports have carried.
type reporter struct {
	stages, losses int
	last           []byte // the state part of the last report
}

// report appends to dst what changed in the run since the last report, or
// returns dst unchanged when nothing did.
func (pl *Pipeline) report(dst []byte) []byte {
	t := pl.train
	rp := &pl.reported
	var st repWriter
	failed := pl.status.Err != nil && t == nil
	if t != nil {
		st.U32(uint32(t.run.Epoch()))
		st.U32(uint32(t.run.Batches()))
		st.F64(t.run.Progress())
		st.Bool(t.run.Done())
	} else {
		st.U32(0)
		st.U32(0)
		st.F64(0)
		st.Bool(failed)
	}
	msg := ""
	if failed {
		msg = pl.status.Err.Error()
	} else if t != nil && t.stopped != nil {
		msg = t.stopped.Error()
	}
	st.Str(msg)
	st.Bool(failed)
	var stages []learn.Stage
	var losses []learn.Point
	if t != nil {
		stages, losses = t.run.Stages()[rp.stages:], t.run.Losses()[rp.losses:]
	}
	if len(stages) == 0 && len(losses) == 0 && string(st.B) == string(rp.last) {
		return dst
	}
	w := repWriter{wire.Writer{B: append(dst, reportMagic...)}}
	w.U32(uint32(rp.stages))
	w.U32(uint32(len(stages)))
	for i, s := range stages {
		w.reportStage(&s, t.seconds[rp.stages+i])
	}
	w.U32(uint32(rp.losses))
	w.U32(uint32(len(losses)))
	for _, p := range losses {
		w.F64(p.Epoch)
		w.F64(p.Loss)
	}
	w.B = append(w.B, st.B...)
	rp.stages += len(stages)
	rp.losses += len(losses)
	rp.last = append(rp.last[:0], st.B...)
	return w.B
}

// reportStage writes a stage of a report.
func (w *repWriter) reportStage(s *learn.Stage, seconds float64) {
	w.U32(uint32(s.Epoch))
	for _, v := range []float64{s.Trained, s.Accuracy, s.Loss, seconds} {
		w.F64(v)
	}
	b, err := model.EncodeCheckpoint(&model.Checkpoint{Arch: s.Net.Arch(), Epoch: s.Epoch, Accuracy: s.Accuracy, Net: s.Net})
	if err != nil {
		b = nil // a quantised network always encodes; the reader refuses an empty one
	}
	w.Bytes(b)
	w.U32(uint32(s.Dim))
	w.U32(uint32(len(s.Acts)))
	for _, v := range s.Acts {
		w.U32(math.Float32bits(v))
	}
	w.Bytes(s.Pred)
}

// applyReport applies the report b to the remote run r of a view of n
// digits and epochs epochs.
func applyReport(r *remoteRun, b []byte, n, epochs int) error {
	if len(b) < len(reportMagic) || string(b[:len(reportMagic)]) != reportMagic {
		return errors.New("pipeline: a training report without its magic " + reportMagic)
	}
	rd := repReader{wire.Reader{B: b[len(reportMagic):], Kind: errReport}}
	if from := rd.U32(); from != len(r.stages) && rd.Err == nil {
		rd.Fail("training report of stages from %d, %d known", from, len(r.stages))
	}
	count := rd.U32()
	if rd.Err == nil && len(r.stages)+count > MaxStages {
		rd.Fail("%d stages, at most %d", len(r.stages)+count, MaxStages)
	}
	for range count {
		if rd.Err != nil {
			break
		}
		s, sec := rd.reportStage(n, epochs)
		r.stages, r.seconds = append(r.stages, s), append(r.seconds, sec)
	}
	if from := rd.U32(); from != len(r.losses) && rd.Err == nil {
		rd.Fail("training report of loss points from %d, %d known", from, len(r.losses))
	}
	points := rd.U32()
	if rd.Err == nil && len(r.losses)+points > maxReportPoints {
		rd.Fail("%d points of the loss curve, at most %d", len(r.losses)+points, maxReportPoints)
	}
	for range points {
		if rd.Err != nil {
			break
		}
		r.losses = append(r.losses, learn.Point{Epoch: rd.F64(), Loss: rd.F64()})
	}
	r.epoch, r.batches, r.progress, r.done = rd.U32(), rd.U32(), rd.F64(), rd.Byte() == 1
	msg := rd.Bytes("training error", -1)
	failed := rd.Byte() == 1
	if rd.Err != nil {
		return rd.Err
	}
	if r.epoch > epochs {
		return fmt.Errorf("pipeline: training report of epoch %d of %d", r.epoch, epochs)
	}
	if !(r.progress >= 0 && r.progress <= 1) {
		return fmt.Errorf("pipeline: training report of progress %v", r.progress)
	}
	if len(msg) > maxReportError {
		return fmt.Errorf("pipeline: training report of an error of more than %d bytes", maxReportError)
	}
	if len(rd.B) > 0 {
		return fmt.Errorf("pipeline: training report with %d bytes after its end", len(rd.B))
	}
	if failed {
		return errors.New(string(msg))
	}
	if len(msg) > 0 {
		r.err = errors.New(string(msg))
	}
	return nil
}

// reportStage reads a stage of a report of n digits and epochs epochs.
func (r *repReader) reportStage(n, epochs int) (learn.Stage, float64) {
	s := learn.Stage{Epoch: r.U32(), Trained: r.F64(), Accuracy: r.F64(), Loss: r.F64()}
	sec := r.F64()
	ckpt := r.Bytes("stage network", -1)
	s.Dim = r.U32()
	count := r.U32()
	if r.Err != nil {
		return s, 0
	}
	if s.Epoch > epochs || !(s.Trained >= 0 && s.Trained <= float64(epochs)) {
		r.Fail("stage after %v epochs (epoch %d) of %d", s.Trained, s.Epoch, epochs)
	} else if !(s.Accuracy >= 0 && s.Accuracy <= 1) || !(sec >= 0 && sec <= math.MaxFloat32) {
		r.Fail("stage of test accuracy %v after %v seconds", s.Accuracy, sec)
	} else if s.Dim < 1 || s.Dim > maxReportWidth || count != n*s.Dim {
		r.Fail("stage of %d activations of width %d, want %d digits", count, s.Dim, n)
	}
	raw := r.Take(4 * count)
	s.Pred = r.Bytes("predictions", n)
	if r.Err != nil {
		return s, 0
	}
	c, err := model.DecodeCheckpoint(ckpt)
	if err != nil {
		r.Fail("stage network: %v", err)
		return s, 0
	}
	s.Net = c.Net
	s.Acts = make([]float32, count)
	for i := range s.Acts {
		s.Acts[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		if !(math.Abs(float64(s.Acts[i])) <= math.MaxFloat32) {
			r.Fail("stage activation %d is %v", i, s.Acts[i])
			return s, 0
		}
	}
	for i, p := range s.Pred {
		if p >= mnist.Classes {
			r.Fail("stage prediction %d is class %d", i, p)
			return s, 0
		}
	}
	return s, sec
}

// repWriter writes a report.
type repWriter struct{ wire.Writer }

// repReader reads a report; its first error sticks, and wraps errReport.
type repReader struct{ wire.Reader }

// errReport is what the errors of a malformed training report wrap.
var errReport = errors.New("pipeline: training report")
