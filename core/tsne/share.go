package tsne

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Helper carries the messages of a run to another program (a Web Worker,
// where a run's goroutines cannot spread over the cores) that computes the
// forces of part of its points at every gradient: that program hands each
// message to a Forces and sends back what it returns.
type Helper interface {
	// Send posts a message to the other program.
	Send(msg []byte)
	// Receive waits for the other program's next answer, or fails (then
	// the run computes every force itself from then on).
	Receive() ([]byte, error)
}

// shareMin is the fewest points whose gradient a run shares: below it one
// gradient costs little more than the messages.
const shareMin = 4096

// Share has the run compute the forces of the second half of its points
// through h from its next gradient on (those whose repulsion it does not
// interpolate) (Chained and Joint sequences: their
// runs Step one gradient at a time; the Dynamic method does not share). The
// forces of a point depend on the layout alone, whoever computes them: the
// result is the same bit for bit.
func (t *TSNE) Share(h Helper) {
	t.opt.helper = &shared{h: h}
}

// Share has the sequence's runs share their gradients through h (see
// TSNE.Share), one after the other; a Dynamic sequence does not.
func (s *Sequence) Share(h Helper) {
	if s.method == Dynamic {
		return
	}
	sh := &shared{h: h}
	for _, r := range s.runs {
		r.opt.helper = sh
	}
}

// shared is a Helper and what it was last set up for.
type shared struct {
	h     Helper
	owner *optimizer // the run whose affinities the other program holds
	asked uint32     // requests sent
}

// Messages of the sharing protocol: a setup (the run's affinities and
// gradient settings), a request (a layout and the positions whose forces
// are wanted) and an answer (those forces).
const (
	setupMagic   = "TSNESET1"
	requestMagic = "TSNEREQ1"
	answerMagic  = "TSNEANS1"
)

// ask sends the setup if the other program holds another run's, then the
// request for the forces of positions [lo, hi) at the current layout:
// their repulsion too, unless this gradient's is interpolated.
func (o *optimizer) ask(lo, hi int) {
	sh := o.helper
	if sh.owner != o {
		sh.h.Send(o.setup())
		sh.owner = o
	}
	sh.asked++
	b := make([]byte, 0, len(requestMagic)+13+16*o.n)
	b = append(b, requestMagic...)
	b = append(b, boolByte(!o.onGrid))
	for _, v := range []uint32{sh.asked, uint32(lo), uint32(hi)} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	for _, v := range o.y {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	sh.h.Send(b)
}

// setup encodes what the other program needs to compute the run's forces:
// the gradient settings (exact or Barnes-Hut, θ²; it never interpolates:
// while the run does, it asks for attractions only), then the affinities.
func (o *optimizer) setup() []byte {
	a := &Affinities{N: o.n, Start: o.start, Col: o.col, Val: o.val, PLogP: o.plogp}
	aff, _ := a.MarshalBinary()
	b := append([]byte(setupMagic), boolByte(o.exact))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(o.theta2))
	return append(b, aff...)
}

// receive takes the answer to the latest request, for positions [lo, hi),
// into the forces; on failure it drops the helper and computes them here.
func (o *optimizer) receive(lo, hi int) {
	sh := o.helper
	for {
		b, err := sh.h.Receive()
		if err == nil {
			var seq uint32
			if seq, err = o.answer(b, lo, hi); err == nil && seq != sh.asked {
				continue // a late answer to an earlier request
			}
		}
		if err != nil {
			o.helper = nil
			pieces(lo, hi, forcePiece, o.forces)
		}
		return
	}
}

// answer decodes an answer for positions [lo, hi) into the forces and
// returns its request's number.
func (o *optimizer) answer(b []byte, lo, hi int) (uint32, error) {
	head, per := len(answerMagic)+4, 5
	if o.onGrid {
		per = 2
	}
	if len(b) < head || string(b[:len(answerMagic)]) != answerMagic {
		return 0, errors.New("tsne: not an answer of forces")
	}
	seq := binary.LittleEndian.Uint32(b[len(answerMagic):])
	if len(b) != head+8*per*(hi-lo) {
		return seq, fmt.Errorf("tsne: an answer of %d bytes, want %d for %d points", len(b), head+8*per*(hi-lo), hi-lo)
	}
	v := b[head:]
	next := func() float64 {
		f := math.Float64frombits(binary.LittleEndian.Uint64(v))
		v = v[8:]
		return f
	}
	for i := lo; i < hi; i++ {
		o.attr[2*i], o.attr[2*i+1] = next(), next()
	}
	if o.onGrid {
		return seq, nil
	}
	for k := lo; k < hi; k++ {
		i := o.order(k)
		o.rep[2*i], o.rep[2*i+1], o.zsum[i] = next(), next(), next()
	}
	return seq, nil
}

// order returns the point whose repulsion forces computes at position k:
// the quadtree's order with Barnes-Hut, else k.
func (o *optimizer) order(k int) int {
	if o.exact {
		return k
	}
	return int(o.tree.idx[k])
}

// Forces computes, for a run in another program that shares its gradient
// (TSNE.Share), the forces of the points it asks for. The zero value waits
// for a setup.
type Forces struct {
	o *optimizer
}

// Handle takes a message of the sharing run: a setup, which it keeps (and
// answers with nil), or a request, which it answers with the forces asked
// for.
func (f *Forces) Handle(msg []byte) ([]byte, error) {
	switch {
	case len(msg) >= len(setupMagic) && string(msg[:len(setupMagic)]) == setupMagic:
		return nil, f.setup(msg[len(setupMagic):])
	case len(msg) >= len(requestMagic)+13 && string(msg[:len(requestMagic)]) == requestMagic:
		return f.compute(msg[len(requestMagic):])
	}
	return nil, errors.New("tsne: not a message of a run sharing its gradient")
}

// setup takes the gradient settings and affinities of a run.
func (f *Forces) setup(b []byte) error {
	if len(b) < 9 || b[0] > 1 {
		return errors.New("tsne: a setup of forces without its settings")
	}
	var a Affinities
	if err := a.UnmarshalBinary(b[9:]); err != nil {
		return err
	}
	n := a.N
	f.o = &optimizer{n: n, start: a.Start, col: a.Col, val: a.Val, exact: b[0] == 1,
		theta2: math.Float64frombits(binary.LittleEndian.Uint64(b[1:])),
		y:      make([]float64, 2*n), attr: make([]float64, 2*n), rep: make([]float64, 2*n), zsum: make([]float64, n)}
	return nil
}

// compute answers a request: the forces of its positions at its layout,
// the attractions only if it asks so.
func (f *Forces) compute(b []byte) ([]byte, error) {
	o := f.o
	if o == nil {
		return nil, errors.New("tsne: forces asked for before their setup")
	}
	repel := b[0] == 1
	seq := binary.LittleEndian.Uint32(b[1:])
	lo, hi := int(binary.LittleEndian.Uint32(b[5:])), int(binary.LittleEndian.Uint32(b[9:]))
	if b[0] > 1 || lo > hi || hi > o.n || len(b) != 13+16*o.n {
		return nil, fmt.Errorf("tsne: forces of positions %d..%d of %d points asked for with %d bytes", lo, hi, o.n, len(b))
	}
	v := b[13:]
	for i := range o.y {
		o.y[i] = math.Float64frombits(binary.LittleEndian.Uint64(v[8*i:]))
		if math.IsNaN(o.y[i]) || math.IsInf(o.y[i], 0) {
			return nil, errors.New("tsne: forces asked for at a layout that is not finite")
		}
	}
	if repel {
		o.begin()
		pieces(lo, hi, forcePiece, o.forces)
	} else {
		o.points()
		for i := lo; i < hi; i++ {
			o.attract(i)
		}
	}
	out := make([]byte, 0, len(answerMagic)+4+40*(hi-lo))
	out = binary.LittleEndian.AppendUint32(append(out, answerMagic...), seq)
	for i := lo; i < hi; i++ {
		out = binary.LittleEndian.AppendUint64(out, math.Float64bits(o.attr[2*i]))
		out = binary.LittleEndian.AppendUint64(out, math.Float64bits(o.attr[2*i+1]))
	}
	if !repel {
		return out, nil
	}
	for k := lo; k < hi; k++ {
		i := o.order(k)
		for _, x := range []float64{o.rep[2*i], o.rep[2*i+1], o.zsum[i]} {
			out = binary.LittleEndian.AppendUint64(out, math.Float64bits(x))
		}
	}
	return out, nil
}
