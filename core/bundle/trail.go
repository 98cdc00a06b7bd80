package bundle

import "math"

// samples are the resampled points of all trails in grid pixels.
type samples struct {
	pts   []float64 // x, y interleaved
	start []int     // trail i owns points start[i] to start[i+1]−1
	vert  []int32   // the input vertex a point copies, −1 for points in between
	stage []float32 // the input vertex index a point lies at, fractional in between
	fixed []bool    // points that never move
	tmp   []float64
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
