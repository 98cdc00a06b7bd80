package pipeline

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"annvis/core/learn"
	"annvis/core/mnist"
	"annvis/core/model"
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
		st.u32(uint32(t.run.Epoch()))
		st.u32(uint32(t.run.Batches()))
		st.f64(t.run.Progress())
		st.byte(boolByte(t.run.Done()))
	} else {
		st.u32(0)
		st.u32(0)
		st.f64(0)
		st.byte(boolByte(failed))
	}
	msg := ""
	switch {
	case failed:
		msg = pl.status.Err.Error()
	case t != nil && t.stopped != nil:
		msg = t.stopped.Error()
	}
	st.str(msg)
	st.byte(boolByte(failed))
	var stages []learn.Stage
	var losses []learn.Point
	if t != nil {
		stages, losses = t.run.Stages()[rp.stages:], t.run.Losses()[rp.losses:]
	}
	if len(stages) == 0 && len(losses) == 0 && string(st.b) == string(rp.last) {
		return dst
	}
	w := repWriter{b: append(dst, reportMagic...)}
	w.u32(uint32(rp.stages))
	w.u32(uint32(len(stages)))
	for i, s := range stages {
		w.reportStage(&s, t.seconds[rp.stages+i])
	}
	w.u32(uint32(rp.losses))
	w.u32(uint32(len(losses)))
	for _, p := range losses {
		w.f64(p.Epoch)
		w.f64(p.Loss)
	}
	w.b = append(w.b, st.b...)
	rp.stages += len(stages)
	rp.losses += len(losses)
	rp.last = append(rp.last[:0], st.b...)
	return w.b
}

// reportStage writes a stage of a report.
func (w *repWriter) reportStage(s *learn.Stage, seconds float64) {
	w.u32(uint32(s.Epoch))
	for _, v := range []float64{s.Trained, s.Accuracy, s.Loss, seconds} {
		w.f64(v)
	}
	b, err := model.EncodeCheckpoint(&model.Checkpoint{Arch: s.Net.Arch(), Epoch: s.Epoch, Accuracy: s.Accuracy, Net: s.Net})
	if err != nil {
		b = nil // a quantised network always encodes; the reader refuses an empty one
	}
	w.bytes(b)
	w.u32(uint32(s.Dim))
	w.u32(uint32(len(s.Acts)))
	for _, v := range s.Acts {
		w.u32(math.Float32bits(v))
	}
	w.bytes(s.Pred)
}

// applyReport applies the report b to the remote run r of a view of n
// digits and epochs epochs.
func applyReport(r *remoteRun, b []byte, n, epochs int) error {
	if len(b) < len(reportMagic) || string(b[:len(reportMagic)]) != reportMagic {
		return errors.New("pipeline: a training report without its magic " + reportMagic)
	}
	rd := repReader{b: b[len(reportMagic):]}
	if from := rd.u32(); from != len(r.stages) && rd.err == nil {
		rd.fail("training report of stages from %d, %d known", from, len(r.stages))
	}
	count := rd.u32()
	if rd.err == nil && len(r.stages)+count > MaxStages {
		rd.fail("%d stages, at most %d", len(r.stages)+count, MaxStages)
	}
	for range count {
		if rd.err != nil {
			break
		}
		s, sec := rd.reportStage(n, epochs)
		r.stages, r.seconds = append(r.stages, s), append(r.seconds, sec)
	}
	if from := rd.u32(); from != len(r.losses) && rd.err == nil {
		rd.fail("training report of loss points from %d, %d known", from, len(r.losses))
	}
	points := rd.u32()
	if rd.err == nil && len(r.losses)+points > maxReportPoints {
		rd.fail("%d points of the loss curve, at most %d", len(r.losses)+points, maxReportPoints)
	}
	for range points {
		if rd.err != nil {
			break
		}
		r.losses = append(r.losses, learn.Point{Epoch: rd.f64(), Loss: rd.f64()})
	}
	r.epoch, r.batches, r.progress, r.done = rd.u32(), rd.u32(), rd.f64(), rd.byte() == 1
	msg := rd.bytes("training error", -1)
	failed := rd.byte() == 1
	switch {
	case rd.err != nil:
		return rd.err
	case r.epoch > epochs:
		return fmt.Errorf("pipeline: training report of epoch %d of %d", r.epoch, epochs)
	case !(r.progress >= 0 && r.progress <= 1):
		return fmt.Errorf("pipeline: training report of progress %v", r.progress)
	case len(msg) > maxReportError:
		return fmt.Errorf("pipeline: training report of an error of more than %d bytes", maxReportError)
	case len(rd.b) > 0:
		return fmt.Errorf("pipeline: training report with %d bytes after its end", len(rd.b))
	case failed:
		return errors.New(string(msg))
	case len(msg) > 0:
		r.err = errors.New(string(msg))
	}
	return nil
}

// reportStage reads a stage of a report of n digits and epochs epochs.
func (r *repReader) reportStage(n, epochs int) (learn.Stage, float64) {
	s := learn.Stage{Epoch: r.u32(), Trained: r.f64(), Accuracy: r.f64(), Loss: r.f64()}
	sec := r.f64()
	ckpt := r.bytes("stage network", -1)
	s.Dim = r.u32()
	count := r.u32()
	switch {
	case r.err != nil:
		return s, 0
	case s.Epoch > epochs || !(s.Trained >= 0 && s.Trained <= float64(epochs)):
		r.fail("stage after %v epochs (epoch %d) of %d", s.Trained, s.Epoch, epochs)
	case !(s.Accuracy >= 0 && s.Accuracy <= 1) || !(sec >= 0 && sec <= math.MaxFloat32):
		r.fail("stage of test accuracy %v after %v seconds", s.Accuracy, sec)
	case s.Dim < 1 || s.Dim > maxReportWidth || count != n*s.Dim:
		r.fail("stage of %d activations of width %d, want %d digits", count, s.Dim, n)
	}
	raw := r.take(4 * count)
	s.Pred = r.bytes("predictions", n)
	if r.err != nil {
		return s, 0
	}
	c, err := model.DecodeCheckpoint(ckpt)
	if err != nil {
		r.fail("stage network: %v", err)
		return s, 0
	}
	s.Net = c.Net
	s.Acts = make([]float32, count)
	for i := range s.Acts {
		s.Acts[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		if !(math.Abs(float64(s.Acts[i])) <= math.MaxFloat32) {
			r.fail("stage activation %d is %v", i, s.Acts[i])
			return s, 0
		}
	}
	for i, p := range s.Pred {
		if p >= mnist.Classes {
			r.fail("stage prediction %d is class %d", i, p)
			return s, 0
		}
	}
	return s, sec
}

// repWriter writes a report, little-endian.
type repWriter struct{ b []byte }

func (w *repWriter) byte(v byte)    { w.b = append(w.b, v) }
func (w *repWriter) u32(v uint32)   { w.b = binary.LittleEndian.AppendUint32(w.b, v) }
func (w *repWriter) f64(v float64)  { w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(v)) }
func (w *repWriter) bytes(v []byte) { w.u32(uint32(len(v))); w.b = append(w.b, v...) }
func (w *repWriter) str(s string)   { w.bytes([]byte(s)) }

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// repReader reads a report; its first error sticks.
type repReader struct {
	b   []byte
	err error
}

func (r *repReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("pipeline: training report: "+format, args...)
		r.b = nil
	}
}

func (r *repReader) take(n int) []byte {
	if n < 0 || n > len(r.b) {
		r.fail("%d bytes announced, %d left", n, len(r.b))
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}

func (r *repReader) byte() byte {
	if v := r.take(1); v != nil {
		return v[0]
	}
	return 0
}

func (r *repReader) u32() int {
	if v := r.take(4); v != nil {
		return int(binary.LittleEndian.Uint32(v))
	}
	return 0
}

func (r *repReader) f64() float64 {
	if v := r.take(8); v != nil {
		return math.Float64frombits(binary.LittleEndian.Uint64(v))
	}
	return 0
}

// bytes reads a length-prefixed byte string of want bytes (-1: any).
func (r *repReader) bytes(what string, want int) []byte {
	n := r.u32()
	if want >= 0 && n != want && r.err == nil {
		r.fail("%s has %d bytes, want %d", what, n, want)
	}
	return append([]byte(nil), r.take(n)...)
}
