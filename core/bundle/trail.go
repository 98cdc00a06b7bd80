package bundle

import (
	"math"
	"slices"
)

// samples are the resampled points of all trails in grid pixels.
type samples struct {
	pts   []float64 // x, y interleaved
	start []int     // trail i owns points start[i] to start[i+1]−1
	vert  []int32   // the input vertex a point copies, −1 for points in between
	stage []float32 // the input vertex index a point lies at, fractional in between
	fixed []bool    // points that never move
	tmp   []float64

	spare *samples  // respace's output buffers, reused
	cum   []float64 // spread's scratch
}

// resample places points along every trail about spacing pixels apart,
// keeping every input vertex; end points are fixed, and the other vertices
// too when keep is set.
func resample(trails [][]float64, fr frame, spacing float64, keep bool) *samples {
	s := &samples{start: make([]int, 0, len(trails)+1)}
	for _, t := range trails {
		s.start = append(s.start, len(s.fixed))
		last := len(t)/2 - 1
		px, py := fr.toGrid(t[0], t[1])
		s.add(px, py, 0, 0, true)
		for v := 1; v <= last; v++ {
			x, y := fr.toGrid(t[2*v], t[2*v+1])
			steps := max(1, int(math.Ceil(math.Hypot(x-px, y-py)/spacing)))
			for k := 1; k < steps; k++ {
				f := float64(k) / float64(steps)
				s.add(px+f*(x-px), py+f*(y-py), -1, float32(float64(v-1)+f), false)
			}
			s.add(x, y, int32(v), float32(v), keep || v == last)
			px, py = x, y
		}
	}
	s.start = append(s.start, len(s.fixed))
	s.tmp = make([]float64, len(s.pts))
	return s
}

func (s *samples) add(x, y float64, vert int32, stage float32, fixed bool) {
	s.pts = append(s.pts, x, y)
	s.vert = append(s.vert, vert)
	s.stage = append(s.stage, stage)
	s.fixed = append(s.fixed, fixed)
}

// advect moves every free point dist pixels along the normalised gradient
// of the density g; points on a flat density stay.
func (s *samples) advect(g *grid, dist float64) {
	for i, f := range s.fixed {
		if f {
			continue
		}
		gx, gy := g.gradient(s.pts[2*i], s.pts[2*i+1])
		if n := math.Sqrt(gx*gx + gy*gy); n > 0 {
			s.pts[2*i] += dist * gx / n
			s.pts[2*i+1] += dist * gy / n
		}
	}
}

// smooth moves every free point a fraction w of the way to the midpoint of
// its neighbours along the trail (one Laplacian smoothing pass).
func (s *samples) smooth(w float64) {
	copy(s.tmp, s.pts)
	for i, f := range s.fixed {
		// Fixed points include every trail's first and last, so i−1 and
		// i+1 belong to the same trail.
		if f {
			continue
		}
		for a := range 2 {
			mid := (s.tmp[2*(i-1)+a] + s.tmp[2*(i+1)+a]) / 2
			s.pts[2*i+a] = (1-w)*s.tmp[2*i+a] + w*mid
		}
	}
}

// respace moves the points of every trail to about spacing pixels apart
// along its current path: its fixed points stay, the free points between
// two fixed ones are spread evenly over the path's length, their stages
// interpolated along it. Run between iterations (as KDEEB does), it keeps
// the trails sampled evenly where advection bunched or stretched them.
func (s *samples) respace(spacing float64) {
	out := s.spare
	if out == nil {
		out = &samples{}
	}
	out.pts, out.vert, out.stage, out.fixed = out.pts[:0], out.vert[:0], out.stage[:0], out.fixed[:0]
	out.start = out.start[:0]
	for t := 0; t+1 < len(s.start); t++ {
		a, b := s.start[t], s.start[t+1]
		out.start = append(out.start, len(out.fixed))
		out.add(s.pts[2*a], s.pts[2*a+1], s.vert[a], s.stage[a], true)
		for i := a; i < b-1; {
			j := i + 1
			for !s.fixed[j] { // every trail's last point is fixed
				j++
			}
			s.spread(out, i, j, spacing)
			out.add(s.pts[2*j], s.pts[2*j+1], s.vert[j], s.stage[j], true)
			i = j
		}
	}
	out.start = append(out.start, len(out.fixed))
	out.tmp = slices.Grow(out.tmp[:0], len(out.pts))[:len(out.pts)]
	prev, cum := *s, s.cum
	prev.spare, prev.cum = nil, nil
	*s = *out
	*out = prev // the old points' buffers, for the next call
	s.spare, s.cum = out, cum
}

// spread adds to out the free points of the path from point i to point j,
// evenly spaced along it, about spacing pixels apart.
func (s *samples) spread(out *samples, i, j int, spacing float64) {
	cum := append(s.cum[:0], 0) // path length from i to each point
	for k := i; k < j; k++ {
		dx, dy := s.pts[2*k+2]-s.pts[2*k], s.pts[2*k+3]-s.pts[2*k+1]
		cum = append(cum, cum[len(cum)-1]+math.Sqrt(dx*dx+dy*dy))
	}
	s.cum = cum
	length := cum[j-i]
	steps := max(1, int(math.Ceil(length/spacing)))
	k := i // the segment k→k+1 holds the target
	for m := 1; m < steps; m++ {
		target := length * float64(m) / float64(steps)
		for k < j-1 && cum[k+1-i] < target {
			k++
		}
		f := 0.0
		if d := cum[k+1-i] - cum[k-i]; d > 0 {
			f = max(0, min((target-cum[k-i])/d, 1))
		}
		lerp := func(u, v float64) float64 { return u + f*(v-u) }
		out.add(lerp(s.pts[2*k], s.pts[2*k+2]), lerp(s.pts[2*k+1], s.pts[2*k+3]), -1,
			float32(lerp(float64(s.stage[k]), float64(s.stage[k+1]))), false)
	}
}

// lengths returns the path length of every trail, in grid pixels.
func (s *samples) lengths() []float64 {
	ls := make([]float64, len(s.start)-1)
	for t := range ls {
		for i := s.start[t]; i+1 < s.start[t+1]; i++ {
			ls[t] += math.Hypot(s.pts[2*i+2]-s.pts[2*i], s.pts[2*i+3]-s.pts[2*i+1])
		}
	}
	return ls
}

// polylines converts the points back to the units of trails, copying the
// fixed ones exactly, into res at the trail indices idx.
func (s *samples) polylines(trails [][]float64, fr frame, res *Result, idx []int) {
	all := make([]float64, len(s.pts))
	for t := range trails {
		a, b := s.start[t], s.start[t+1]
		res.Stage[idx[t]] = s.stage[a:b:b]
		p := all[2*a : 2*b : 2*b]
		for i := a; i < b; i++ {
			x, y := fr.fromGrid(s.pts[2*i], s.pts[2*i+1])
			if s.fixed[i] {
				x, y = trails[t][2*s.vert[i]], trails[t][2*s.vert[i]+1]
			}
			p[2*(i-a)], p[2*(i-a)+1] = x, y
		}
		res.Lines[idx[t]] = p
	}
}

func (fr frame) toGrid(x, y float64) (float64, float64) {
	return (x-fr.x0)*fr.scale + fr.margin, (y-fr.y0)*fr.scale + fr.margin
}

func (fr frame) fromGrid(x, y float64) (float64, float64) {
	return (x-fr.margin)/fr.scale + fr.x0, (y-fr.margin)/fr.scale + fr.y0
}
