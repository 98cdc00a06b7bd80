package viewstate

import (
	"bytes"
	"errors"
	"math"
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
		sec := upWriter{}
		sec.byte(tagTraining)
		for _, v := range []int{tr.Epoch, tr.Epochs, tr.Batches, tr.PerEpoch} {
			sec.u32(uint32(v))
		}
		sec.byte(boolByte(tr.Paused))
		msg := ""
		if tr.Stopped != nil {
			msg = tr.Stopped.Error()
		}
		sec.str(msg)
		sec.u32(uint32(len(tr.Losses)))
		for _, p := range tr.Losses {
			sec.f64(p.Epoch)
			sec.f64(p.Loss)
		}
		sec.u32(uint32(len(tr.Accuracies)))
		for i, a := range tr.Accuracies {
			sec.f64(a)
			sec.f64(tr.Trained[i])
			sec.f64(tr.Seconds[i])
		}
		if !bytes.Equal(sec.b, e.training) {
			e.training = sec.b
			w.b = append(w.b, sec.b...)
		}
	}
	if c := s.Trained; c != nil && c != e.trained {
		if b, err := c.File(); err == nil {
			e.trained = c
			w.byte(tagTrained)
			w.bytes(b)
		}
	}
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// training reads the run's state.
func (r *upReader) training(s *Snapshot) {
	tr := &Training{Epoch: r.u32(), Epochs: r.u32(), Batches: r.u32(), PerEpoch: r.u32(), Paused: r.byte() == 1}
	msg := r.bytes("divergence message", -1)
	n := r.u32()
	if r.err == nil && n > maxLossPoints {
		r.fail("%d points of the loss curve, at most %d", n, maxLossPoints)
	}
	raw := r.take(16 * n)
	a := r.u32()
	if r.err == nil && a > MaxStages {
		r.fail("%d accuracies, at most %d", a, MaxStages)
	}
	acc := r.take(24 * a)
	switch {
	case r.err != nil:
		return
	case len(msg) > maxStopped:
		r.fail("divergence message of more than %d bytes", maxStopped)
		return
	case tr.Epoch > tr.Epochs || tr.Epochs > MaxStages:
		r.fail("epoch %d of %d", tr.Epoch, tr.Epochs)
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
			r.fail("test accuracy %v", tr.Accuracies[i])
		case !(tr.Trained[i] >= 0 && tr.Trained[i] <= float64(tr.Epochs)):
			r.fail("stage %d after %v epochs of %d", i, tr.Trained[i], tr.Epochs)
		case !(tr.Seconds[i] >= 0 && tr.Seconds[i] <= math.MaxFloat32):
			r.fail("stage %d after %v seconds of training", i, tr.Seconds[i])
		}
		if r.err != nil {
			return
		}
	}
	s.Training = tr
}

// f64At returns the i-th little-endian float64 of b.
func f64At(b []byte, i int) float64 {
	r := upReader{b: b[8*i : 8*i+8]}
	return r.f64()
}

// trained reads the latest stage's network: a checkpoint file, kept as
// the producer encoded it (encoding again would quantise twice). The
// reader only saves it; annvis -checkpoint checks it when it opens it.
func (r *upReader) trained(s *Snapshot) {
	b := r.bytes("trained network", -1)
	switch {
	case r.err != nil:
		return
	case len(b) == 0:
		r.fail("trained network: an empty checkpoint file")
		return
	}
	s.Trained = &checkpointFile{b}
}
