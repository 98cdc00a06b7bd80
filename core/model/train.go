package model

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/nlpodyssey/spago/ag"
	"github.com/nlpodyssey/spago/mat"
	"github.com/nlpodyssey/spago/optimizers/adam"

	"annvis/core/mnist"
)

// TrainConfig configures a Trainer. Zero fields take the defaults shown.
type TrainConfig struct {
	BatchSize    int     // 0 → 64
	LearningRate float64 // Adam step size of epoch 1; 0 → 0.001
	Decay        float64 // step size multiplier per epoch; 0 → 0.8
	Shift        int     // augmentation: random translation by up to Shift pixels; 0 → none
	Seed         int64   // shuffling and augmentation
}

// Trainer trains a network with spago's Adam on mini-batches.
type Trainer struct {
	net     *Net
	cfg     TrainConfig
	adam    *adam.Adam
	moments [][2][]float32 // per parameter, Adam's first and second moments
	rng     *rand.Rand
	epoch   int
}

// NewTrainer returns a trainer of n.
func NewTrainer(n *Net, cfg TrainConfig) (*Trainer, error) {
	if cfg.BatchSize == 0 {
		cfg.BatchSize = 64
	}
	if cfg.LearningRate == 0 {
		cfg.LearningRate = 0.001
	}
	if cfg.Decay == 0 {
		cfg.Decay = 0.8
	}
	switch {
	case cfg.BatchSize < 1:
		return nil, fmt.Errorf("model: batch size %d must be ≥ 1", cfg.BatchSize)
	case cfg.LearningRate < 0:
		return nil, fmt.Errorf("model: learning rate %g must be > 0", cfg.LearningRate)
	case cfg.Decay < 0 || cfg.Decay > 1:
		return nil, fmt.Errorf("model: decay %g must be in (0, 1]", cfg.Decay)
	case cfg.Shift < 0 || cfg.Shift > 4:
		return nil, fmt.Errorf("model: shift %d must be in 0…4", cfg.Shift)
	}
	a := adam.New(adam.NewDefaultConfig())
	a.StepSize = cfg.LearningRate
	a.Alpha = cfg.LearningRate
	return &Trainer{
		net:  n,
		cfg:  cfg,
		adam: a,
		rng:  rand.New(rand.NewPCG(uint64(cfg.Seed), 0x747261696e)),
	}, nil
}

// SetLearningRate sets Adam's step size for the following Steps, for a
// caller that drives its own schedule (Epoch sets it from the config).
func (t *Trainer) SetLearningRate(lr float64) { t.adam.StepSize = lr }

// Progress reports the state of an epoch after each batch.
type Progress struct {
	Done, Total int     // digits seen so far in the epoch, and in all
	Loss        float64 // mean loss so far
	Accuracy    float64 // training accuracy so far (augmented digits)
}

// Epoch trains one pass over set in a seeded random order, calling report
// (if not nil) after every batch, and returns the final progress.
func (t *Trainer) Epoch(set *mnist.Set, report func(Progress)) (Progress, error) {
	t.adam.StepSize = t.cfg.LearningRate * math.Pow(t.cfg.Decay, float64(t.epoch))
	t.epoch++
	order := t.rng.Perm(set.Len())
	p := Progress{Total: set.Len()}
	var lossSum float64
	correct := 0
	imgs := make([]uint8, t.cfg.BatchSize*Pixels)
	labels := make([]uint8, t.cfg.BatchSize)
	for from := 0; from < len(order); from += t.cfg.BatchSize {
		idx := order[from:min(from+t.cfg.BatchSize, len(order))]
		for i, j := range idx {
			t.augment(imgs[i*Pixels:(i+1)*Pixels], set.Image(j))
			labels[i] = set.Labels[j]
		}
		loss, c, err := t.Step(imgs[:len(idx)*Pixels], labels[:len(idx)])
		if err != nil {
			return p, err
		}
		lossSum += loss * float64(len(idx))
		correct += c
		p.Done += len(idx)
		p.Loss, p.Accuracy = lossSum/float64(p.Done), float64(correct)/float64(p.Done)
		if report != nil {
			report(p)
		}
	}
	return p, nil
}

// augment copies the digit src into dst, translated by a random offset of
// up to Shift pixels in each direction.
func (t *Trainer) augment(dst, src []uint8) {
	s := t.cfg.Shift
	if s == 0 {
		copy(dst, src)
		return
	}
	dx, dy := t.rng.IntN(2*s+1)-s, t.rng.IntN(2*s+1)-s
	clear(dst)
	for y := max(0, dy); y < min(mnist.Side, mnist.Side+dy); y++ {
		for x := max(0, dx); x < min(mnist.Side, mnist.Side+dx); x++ {
			dst[y*mnist.Side+x] = src[(y-dy)*mnist.Side+x-dx]
		}
	}
}

// Step runs one Adam update on a batch and returns the batch's mean loss
// before the update and the number of digits it classified correctly.
func (t *Trainer) Step(images, labels []uint8) (loss float64, correct int, err error) {
	n := len(labels)
	if n == 0 || len(images) != n*Pixels {
		return 0, 0, fmt.Errorf("model: step: %d pixels for %d labels, want %d", len(images), n, n*Pixels)
	}
	logits := t.net.graph(input(images, n))
	ce := &crossEntropy{z: logits, labels: labels}
	l := run(ce)
	z := f32(logits)
	for i, c := range labels {
		if Predict(z, i) == int(c) {
			correct++
		}
	}
	if err := ag.Backward(l); err != nil {
		return 0, 0, fmt.Errorf("model: step: %v", err)
	}
	t.update()
	t.adam.IncExample()
	return l.Item().F64(), correct, nil
}

// update applies Adam to every parameter, with the arithmetic of spago's
// adam.OptimizeParams (each float32 operation rounded in the same order, so
// the results are the same bit for bit) fused in one loop: spago's makes
// five passes and two temporaries per parameter, most of a step's time
// under js/wasm. It zeroes each gradient as it goes, keeping its memory for
// the next step to add into (accGradAT).
func (t *Trainer) update() {
	if t.moments == nil {
		t.moments = make([][2][]float32, len(t.net.params))
	}
	a := t.adam
	b1, c1 := float32(a.Beta1), float32(1-a.Beta1)
	b2, c2 := float32(a.Beta2), float32(1-a.Beta2)
	eps, alpha := float32(a.Epsilon), float32(a.Alpha)
	for i, p := range t.net.params {
		w, g := f32(p), p.Grad().(mat.Matrix).Data().F32()
		mo := &t.moments[i]
		if mo[0] == nil {
			mo[0], mo[1] = make([]float32, len(w)), make([]float32, len(w))
		}
		g, v, m := g[:len(w)], mo[0][:len(w)], mo[1][:len(w)]
		for j, wj := range w {
			gj := g[j]
			vj := float32(v[j]*b1) + float32(gj*c1)
			mj := float32(m[j]*b2) + float32(float32(gj*gj)*c2)
			v[j], m[j], g[j] = vj, mj, 0
			w[j] = wj - float32(vj/(float32(math.Sqrt(float64(mj)))+eps)*alpha)
		}
	}
}
