package viewstate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"annvis/core/params"
)

// panelMagic starts an encoded Panel.
const panelMagic = "ANNVPNL2"

// MarshalBinary encodes p exactly, little-endian: the magic, the number of
// neurons d and of classes c, Stress, then Pos (2d), Importance (cd) and
// Opacity (d) as float64 and Class (d bytes); a worker hands a neuron
// view's stage to another this way (Preparer.Prepare).
func (p *Panel) MarshalBinary() ([]byte, error) {
	d, c := len(p.Class), p.Classes()
	b := make([]byte, 0, len(panelMagic)+16+8*(3+c)*d+d)
	b = append(b, panelMagic...)
	b = binary.LittleEndian.AppendUint32(b, uint32(d))
	b = binary.LittleEndian.AppendUint32(b, uint32(c))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p.Stress))
	for _, v := range [][]float64{p.Pos, p.Importance, p.Opacity} {
		for _, x := range v {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
		}
	}
	for _, c := range p.Class {
		b = append(b, byte(c))
	}
	return b, nil
}

// UnmarshalBinary decodes what MarshalBinary encoded, checking its sizes
// and classes; it allocates no more than the length of b implies.
func (p *Panel) UnmarshalBinary(b []byte) error {
	const head = len(panelMagic) + 16
	if len(b) < head || string(b[:len(panelMagic)]) != panelMagic {
		return errors.New("viewstate: not an encoded neuron panel")
	}
	d := int(binary.LittleEndian.Uint32(b[len(panelMagic):]))
	c := int(binary.LittleEndian.Uint32(b[len(panelMagic)+4:]))
	if d < 1 || d > maxPanelNeurons || c < params.Digits || c > params.MaxClasses || len(b) != head+8*(3+c)*d+d {
		return fmt.Errorf("viewstate: neuron panel of %d bytes for %d neurons and %d classes", len(b), d, c)
	}
	q := Panel{Stress: math.Float64frombits(binary.LittleEndian.Uint64(b[len(panelMagic)+8:]))}
	r := b[head:]
	next := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = math.Float64frombits(binary.LittleEndian.Uint64(r[8*i:]))
		}
		r = r[8*n:]
		return v
	}
	q.Pos, q.Importance, q.Opacity = next(2*d), next(c*d), next(d)
	q.Class = make([]int, d)
	for i, k := range r {
		if int(k) >= c {
			return fmt.Errorf("viewstate: neuron panel: neuron %d discriminates class %d of %d", i, k, c)
		}
		q.Class[i] = int(k)
	}
	*p = q
	return nil
}
