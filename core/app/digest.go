package app

import (
	"fmt"
	"hash/fnv"
	"math"
)

// LayoutDigest returns a digest of every layout the view shows, FNV-1a of
// their coordinates rounded to float32 (the compare view: both sides; the
// neuron views: their panels), or "" until the view is computed. Two pages
// showing the same digest show the same layouts, whoever computed them.
func (g *Game) LayoutDigest() string {
	h := fnv.New64a()
	if !g.digest(h.Write) {
		return ""
	}
	return fmt.Sprintf("%016x", h.Sum64())
}

// digest writes the view's layouts to w and reports whether they are final.
func (g *Game) digest(w func([]byte) (int, error)) bool {
	if g.err != nil {
		return false
	}
	if g.pair != nil {
		for _, s := range g.pair.sides {
			if !s.digest(w) {
				return false
			}
		}
		return true
	}
	if st := g.pl.Status(); st.Progress < 1 || st.Err != nil {
		return false
	}
	var pos []float64
	for k := range g.pl.Stages() {
		pos = g.pl.Positions(k, pos)
		if p := g.pl.Panel(k); p != nil {
			pos = append(pos, p.Pos...)
		}
		b := make([]byte, 0, 4*len(pos))
		for _, x := range pos {
			v := math.Float32bits(float32(x))
			b = append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
		}
		w(b)
	}
	return true
}
