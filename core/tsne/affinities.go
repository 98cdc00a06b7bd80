package tsne

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Affinities are what a run's preparation computes: the input similarities
// P (standardisation, PCA, nearest neighbours, perplexity calibration) and
// the start layout they came with. Another run of the same input and
// Config can Adopt them instead of preparing, in another goroutine or
// program (a Web Worker), with exactly the same result.
type Affinities struct {
	N     int
	Start []int32   // CSR row starts of P, N+1
	Col   []int32   // CSR columns
	Val   []float64 // CSR values, summing to 1
	PLogP float64   // Σ p log p
	Init  []float64 // the start layout from the input (PCA), 2N; nil when Config.Init gave it
}

// Affinities returns the run's prepared affinities, preparing it first if
// it has not been: all its preparation, no gradient iteration.
func (t *TSNE) Affinities() *Affinities {
	for t.task < len(t.tasks) {
		before := t.task
		t.stepTask(runScale)
		t.steps += min(runScale, t.tasks[before].steps())
	}
	o := &t.opt
	a := &Affinities{N: t.n, Start: o.start, Col: o.col, Val: o.val, PLogP: o.plogp}
	if t.cfg.Init == nil {
		a.Init = t.prepInit
	}
	return a
}

// Adopt makes the run take a, computed by a run of the same input and
// Config (Affinities), instead of preparing; the run then gives exactly
// the result it would have computed. It must be called before the run's
// first Step.
func (t *TSNE) Adopt(a *Affinities) error {
	switch {
	case t.steps > 0 || t.adopted != nil:
		return errors.New("tsne: affinities adopted by a run that has started")
	case a.N != t.n:
		return fmt.Errorf("tsne: affinities of %d points adopted by a run of %d", a.N, t.n)
	case (a.Init == nil) != (t.cfg.Init != nil):
		return errors.New("tsne: affinities adopted by a run that starts from another layout")
	}
	if err := a.validate(); err != nil {
		return err
	}
	t.adopted = a
	return nil
}

// adopt completes the preparation with the adopted affinities.
func (t *TSNE) adopt() {
	a, o := t.adopted, &t.opt
	o.start, o.col, o.val, o.plogp = a.Start, a.Col, a.Val, a.PLogP
	o.y = make([]float64, 2*t.n)
	if t.cfg.Init != nil {
		copy(o.y, t.cfg.Init)
	} else {
		copy(o.y, a.Init)
	}
	o.init(t.n, t.cfg)
	for _, tk := range t.tasks {
		t.steps += tk.steps()
	}
	t.steps-- // the Step that adopted them
	t.task, t.next, t.prep, t.prepInit = len(t.tasks), 0, preparation{}, a.Init
}

// validate checks that a is a sparse distribution over N points with a
// start layout of the right size.
func (a *Affinities) validate() error {
	if a.N < 1 || len(a.Start) != a.N+1 || a.Start[0] != 0 || int(a.Start[a.N]) != len(a.Col) || len(a.Col) != len(a.Val) {
		return fmt.Errorf("tsne: affinities of %d points have %d row starts, %d columns, %d values", a.N, len(a.Start), len(a.Col), len(a.Val))
	}
	for i := range a.N {
		if a.Start[i+1] < a.Start[i] {
			return fmt.Errorf("tsne: affinities: row %d ends before it starts", i)
		}
	}
	for k, j := range a.Col {
		if j < 0 || int(j) >= a.N || !(a.Val[k] >= 0 && a.Val[k] <= 1) {
			return fmt.Errorf("tsne: affinities: entry %d (column %d, value %v) out of range", k, j, a.Val[k])
		}
	}
	if math.IsNaN(a.PLogP) || math.IsInf(a.PLogP, 0) {
		return fmt.Errorf("tsne: affinities: Σ p log p = %v", a.PLogP)
	}
	if a.Init != nil && len(a.Init) != 2*a.N {
		return fmt.Errorf("tsne: affinities of %d points have a start layout of %d values", a.N, len(a.Init))
	}
	for _, v := range a.Init {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errors.New("tsne: affinities: start layout not finite")
		}
	}
	return nil
}

// affinitiesMagic starts an encoded Affinities.
const affinitiesMagic = "TSNEAFF1"

// MarshalBinary encodes a, little-endian: the magic, N, the number of
// entries, PLogP, whether a start layout follows, then Start, Col, Val and
// Init.
func (a *Affinities) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, len(affinitiesMagic)+17+4*len(a.Start)+12*len(a.Col)+8*len(a.Init))
	b = append(b, affinitiesMagic...)
	b = binary.LittleEndian.AppendUint32(b, uint32(a.N))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(a.Col)))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(a.PLogP))
	b = append(b, boolByte(a.Init != nil))
	for _, v := range a.Start {
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	for _, v := range a.Col {
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	for _, v := range a.Val {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	for _, v := range a.Init {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b, nil
}

// UnmarshalBinary decodes what MarshalBinary encoded, checking that it is
// a valid distribution over its points; it allocates no more than the
// length of b implies.
func (a *Affinities) UnmarshalBinary(b []byte) error {
	const head = len(affinitiesMagic) + 17
	if len(b) < head || string(b[:len(affinitiesMagic)]) != affinitiesMagic {
		return errors.New("tsne: affinities: not an encoding of affinities")
	}
	n := uint64(binary.LittleEndian.Uint32(b[8:]))
	nnz := uint64(binary.LittleEndian.Uint32(b[12:]))
	init := b[24]
	if init > 1 {
		return fmt.Errorf("tsne: affinities: start layout flag %d", init)
	}
	want := uint64(head) + 4*(n+1) + 12*nnz + 16*n*uint64(init)
	if n == 0 || uint64(len(b)) != want {
		return fmt.Errorf("tsne: affinities: %d bytes for %d points and %d entries, want %d", len(b), n, nnz, want)
	}
	*a = Affinities{N: int(n), PLogP: math.Float64frombits(binary.LittleEndian.Uint64(b[16:]))}
	r := b[head:]
	a.Start, r = int32s(r, int(n)+1)
	a.Col, r = int32s(r, int(nnz))
	a.Val, r = float64s(r, int(nnz))
	if init == 1 {
		a.Init, _ = float64s(r, 2*int(n))
	}
	return a.validate()
}

func int32s(b []byte, n int) ([]int32, []byte) {
	v := make([]int32, n)
	for i := range v {
		v[i] = int32(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, b[4*n:]
}

func float64s(b []byte, n int) ([]float64, []byte) {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return v, b[8*n:]
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}
