package viewstate

import (
	"bytes"
	"errors"
	"math"

	"annvis/core/wire"
)

// The train view's sections of an update. tagTraining carries the run's
// state whole whenever it changed: epoch, epochs, batches, batches per
// epoch (u32 each), paused (a byte), the divergence message (empty: none),
// the loss curve (a count, then epoch and loss float64 per point) and the
// stages (a count, then test accuracy, epochs trained and training seconds
// float64 each).
// tagTrained carries
// the latest stage's network as a checkpoint file (models/README.md), once
// per stage.

// Limits of the train view's sections.
const (
	maxLossPoints = 1 << 14
	maxStopped    = 1 << 10
)

// encodeTraining writes the train view's sections that changed since the
// last update.
func (e *Encoder) encodeTraining(w *upWriter, s *Snapshot) {
	if tr := s.Training; tr != nil {
		sec := wire.Writer{}
		sec.Byte(tagTraining)
		for _, v := range []int{tr.Epoch, tr.Epochs, tr.Batches, tr.PerEpoch} {
			sec.U32(uint32(v))
		}
		sec.Bool(tr.Paused)
		msg := ""
		if tr.Stopped != nil {
			msg = tr.Stopped.Error()
		}
		sec.Str(msg)
		sec.U32(uint32(len(tr.Losses)))
		for _, p := range tr.Losses {
			sec.F64(p.Epoch)
			sec.F64(p.Loss)
		}
		sec.U32(uint32(len(tr.Accuracies)))
		for i, a := range tr.Accuracies {
			sec.F64(a)
			sec.F64(tr.Trained[i])
			sec.F64(tr.Seconds[i])
		}
		m := milestoneOf(tr)
		if !bytes.Equal(sec.B, e.training) && (!e.Hold || m != e.milestone) {
			e.training, e.milestone = sec.B, m
			w.B = append(w.B, sec.B...)
		}
	}
	if c := s.Trained; c != nil && c != e.trained {
		if b, err := c.File(); err == nil {
			e.trained = c
			w.Byte(tagTrained)
			w.Bytes(b)
		}
	}
}

// trainMilestone is what of a run's state an Encoder never holds back: the
// stages evaluated, the epochs trained, a pause, a divergence.
type trainMilestone struct {
	stages, epoch int
	paused        bool
	stopped       string
}

// milestoneOf returns tr's milestone.
func milestoneOf(tr *Training) trainMilestone {
	m := trainMilestone{stages: len(tr.Accuracies), epoch: tr.Epoch, paused: tr.Paused}
	if tr.Stopped != nil {
		m.stopped = tr.Stopped.Error()
	}
	return m
}

// training reads the run's state.
func (r *upReader) training(s *Snapshot) {
	tr := &Training{Epoch: r.U32(), Epochs: r.U32(), Batches: r.U32(), PerEpoch: r.U32(), Paused: r.Byte() == 1}
	msg := r.Bytes("divergence message", -1)
	n := r.U32()
	if r.Err == nil && n > maxLossPoints {
		r.Fail("%d points of the loss curve, at most %d", n, maxLossPoints)
	}
	raw := r.Take(16 * n)
	a := r.U32()
	if r.Err == nil && a > MaxStages {
		r.Fail("%d accuracies, at most %d", a, MaxStages)
	}
	acc := r.Take(24 * a)
	switch {
	case r.Err != nil:
		return
	case len(msg) > maxStopped:
		r.Fail("divergence message of more than %d bytes", maxStopped)
		return
	case tr.Epoch > tr.Epochs || tr.Epochs > MaxStages:
		r.Fail("epoch %d of %d", tr.Epoch, tr.Epochs)
		return
	}
	if len(msg) > 0 {
		tr.Stopped = errors.New(string(msg))
	}
	tr.Losses = make([]Loss, n)
	for i := range tr.Losses {
		tr.Losses[i] = Loss{Epoch: f64At(raw, 2*i), Loss: f64At(raw, 2*i+1)}
	}
	tr.Accuracies, tr.Trained, tr.Seconds = make([]float64, a), make([]float64, a), make([]float64, a)
	for i := range tr.Accuracies {
		tr.Accuracies[i], tr.Trained[i], tr.Seconds[i] = f64At(acc, 3*i), f64At(acc, 3*i+1), f64At(acc, 3*i+2)
		switch {
		case !(tr.Accuracies[i] >= 0 && tr.Accuracies[i] <= 1):
			r.Fail("test accuracy %v", tr.Accuracies[i])
		case !(tr.Trained[i] >= 0 && tr.Trained[i] <= float64(tr.Epochs)):
			r.Fail("stage %d after %v epochs of %d", i, tr.Trained[i], tr.Epochs)
		case !(tr.Seconds[i] >= 0 && tr.Seconds[i] <= math.MaxFloat32):
			r.Fail("stage %d after %v seconds of training", i, tr.Seconds[i])
		}
		if r.Err != nil {
			return
		}
	}
	s.Training = tr
}

// f64At returns the i-th little-endian float64 of b.
func f64At(b []byte, i int) float64 {
	r := wire.Reader{B: b[8*i : 8*i+8]}
	return r.F64()
}

// trained reads the latest stage's network: a checkpoint file, kept as
// the producer encoded it (encoding again would quantise twice). The
// reader only saves it; annvis -checkpoint checks it when it opens it.
func (r *upReader) trained(s *Snapshot) {
	b := r.Bytes("trained network", -1)
	switch {
	case r.Err != nil:
		return
	case len(b) == 0:
		r.Fail("trained network: an empty checkpoint file")
		return
	}
	s.Trained = &checkpointFile{b}
}
