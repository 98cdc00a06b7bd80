package tsne

import (
	"math"
	"slices"
)

// NeighborhoodHit returns the mean fraction of each point's k nearest
// neighbours in the layout y (x0, y0, x1, y1, ...) that share its label:
// 1 for perfectly separated classes. It returns NaN when the lengths
// disagree or k is not in 1..n-1.
func NeighborhoodHit(y []float64, labels []uint8, k int) float64 {
	n := len(y) / 2
	if len(y) != 2*len(labels) || k < 1 || k >= n {
		return math.NaN()
	}
	hits := make([]int, n)
	parallel(0, n, 64, func(lo, hi int) {
		nb := make([]int32, k)
		h := make(nbrHeap, 0, k)
		for i := lo; i < hi; i++ {
			for _, j := range nearest2D(y, i, k, h, nb) {
				if labels[j] == labels[i] {
					hits[i]++
				}
			}
		}
	})
	s := 0
	for _, h := range hits {
		s += h
	}
	return float64(s) / float64(n*k)
}

// KNNAccuracy returns the leave-one-out accuracy of k-nearest-neighbour
// classification in the layout y: each point is given the label most
// common among its k nearest neighbours (ties go to the label of the
// nearest of the tied). It returns NaN for bad lengths or k.
func KNNAccuracy(y []float64, labels []uint8, k int) float64 {
	n := len(y) / 2
	if len(y) != 2*len(labels) || k < 1 || k >= n {
		return math.NaN()
	}
	right := make([]bool, n)
	parallel(0, n, 64, func(lo, hi int) {
		nb := make([]int32, k)
		h := make(nbrHeap, 0, k)
		for i := lo; i < hi; i++ {
			var votes [256]int
			best, bestVotes := -1, 0
			near := nearest2D(y, i, k, h, nb)
			for _, j := range near {
				votes[labels[j]]++
			}
			for _, j := range near {
				if v := votes[labels[j]]; v > bestVotes {
					best, bestVotes = int(labels[j]), v
				}
			}
			right[i] = best == int(labels[i])
		}
	})
	c := 0
	for _, r := range right {
		if r {
			c++
		}
	}
	return float64(c) / float64(n)
}

// nearest2D writes the k nearest neighbours of point i of y into nb, nearest
// first, using h as scratch.
func nearest2D(y []float64, i, k int, h nbrHeap, nb []int32) []int32 {
	h = h[:0]
	xi, yi := y[2*i], y[2*i+1]
	for j := range len(y) / 2 {
		if j == i {
			continue
		}
		dx, dy := xi-y[2*j], yi-y[2*j+1]
		h.offer(cand{float32(float64(dx*dx) + float64(dy*dy)), int32(j)}, k)
	}
	slices.SortFunc(h, func(a, b cand) int { return a.compare(b) })
	for a, c := range h {
		nb[a] = c.j
	}
	return nb[:len(h)]
}

// Trustworthiness returns the trustworthiness of the layout y of the n×d
// data x (Venna and Kaski; the definition of scikit-learn): 1 minus a
// normalised penalty for points among the k nearest in the layout that are
// not among the k nearest in the data, by how far down the data's ranking
// they are. 1 is perfect. It returns NaN for bad lengths or k (k < n/2).
func Trustworthiness(x []float32, d int, y []float64, k int) float64 {
	n := len(y) / 2
	if d < 1 || len(x) != n*d || k < 1 || 2*k >= n {
		return math.NaN()
	}
	return rankQuality(n, k, dataDist(x, d), layoutDist(y))
}

// Continuity returns the continuity of the layout y of the n×d data x: like
// Trustworthiness with the roles swapped, it penalises points among the k
// nearest in the data that are missing among the k nearest in the layout.
func Continuity(x []float32, d int, y []float64, k int) float64 {
	n := len(y) / 2
	if d < 1 || len(x) != n*d || k < 1 || 2*k >= n {
		return math.NaN()
	}
	return rankQuality(n, k, layoutDist(y), dataDist(x, d))
}

// distFunc writes the squared distances from point i to all points into dst.
type distFunc func(i int, dst []float64)

// dataDist returns squared Euclidean distances between rows of x.
func dataDist(x []float32, d int) distFunc {
	return func(i int, dst []float64) {
		xi := x[i*d : (i+1)*d]
		for j := range dst {
			s := 0.0
			for f, v := range x[j*d : (j+1)*d] {
				e := float64(xi[f]) - float64(v)
				s += float64(e * e)
			}
			dst[j] = s
		}
	}
}

// layoutDist returns squared Euclidean distances between layout points.
func layoutDist(y []float64) distFunc {
	return func(i int, dst []float64) {
		xi, yi := y[2*i], y[2*i+1]
		for j := range dst {
			dx, dy := xi-y[2*j], yi-y[2*j+1]
			dst[j] = float64(dx*dx) + float64(dy*dy)
		}
	}
}

// rankQuality returns 1 - 2/(nk(2n-3k-1)) Σ_i Σ_{j ∈ B_k(i) \ A_k(i)}
// (r_A(i, j) - k), where B_k(i) are the k nearest of i by distB and
// r_A(i, j) is the rank of j among the neighbours of i by distA.
func rankQuality(n, k int, distA, distB distFunc) float64 {
	pen := make([]float64, n)
	parallel(0, n, 16, func(lo, hi int) {
		r := newRanker(n, k, distA, distB)
		for i := lo; i < hi; i++ {
			pen[i] = r.penalty(i)
		}
	})
	return rankScore(n, k, pen)
}

// rankScore turns the per-point penalties of rankQuality into its score,
// summing them in index order.
func rankScore(n, k int, pen []float64) float64 {
	s := 0.0
	for _, p := range pen {
		s += p
	}
	return 1 - 2/(float64(n)*float64(k)*(2*float64(n)-3*float64(k)-1))*s
}

// ranker computes rankQuality's penalty of one point at a time, with
// scratch memory of its own.
type ranker struct {
	n, k         int
	distA, distB distFunc
	da, db       []float64
	order        []int32
}

func newRanker(n, k int, distA, distB distFunc) *ranker {
	return &ranker{n: n, k: k, distA: distA, distB: distB,
		da: make([]float64, n), db: make([]float64, n), order: make([]int32, n)}
}

// penalty returns Σ_{j ∈ B_k(i) \ A_k(i)} (r_A(i, j) - k) for point i.
func (r *ranker) penalty(i int) float64 {
	da, db, order := r.da, r.db, r.order
	r.distA(i, da)
	r.distB(i, db)
	da[i], db[i] = math.Inf(1), math.Inf(1)
	for j := range order {
		order[j] = int32(j)
	}
	slices.SortFunc(order, func(a, b int32) int {
		switch {
		case da[a] < da[b]:
			return -1
		case da[a] > da[b]:
			return 1
		}
		return int(a - b)
	})
	rank := db // reuse: distances in B are read before ranks are written
	near := nearestOf(db, r.k)
	for o, j := range order {
		rank[j] = float64(o + 1)
	}
	pen := 0.0
	for _, j := range near {
		if o := rank[j]; o > float64(r.k) {
			pen += o - float64(r.k)
		}
	}
	return pen
}

// Trust computes Trustworthiness a few points at a time, so that a browser
// can spread its cost, quadratic in the number of points, over many frames.
// Stepping it to the end gives exactly Trustworthiness(x, d, y, k).
type Trust struct {
	r    *ranker
	pen  []float64
	next int
}

// NewTrust returns the stepped trustworthiness of layout y of the rows of x
// (n×d). Its Value is NaN when Trustworthiness would be.
func NewTrust(x []float32, d int, y []float64, k int) *Trust {
	n := len(y) / 2
	if d < 1 || len(x) != n*d || k < 1 || 2*k >= n {
		return &Trust{}
	}
	return &Trust{r: newRanker(n, k, dataDist(x, d), layoutDist(y)), pen: make([]float64, n)}
}

// Step handles up to points more points and reports whether all are done.
func (t *Trust) Step(points int) (done bool) {
	for ; points > 0 && t.next < len(t.pen); points-- {
		t.pen[t.next] = t.r.penalty(t.next)
		t.next++
	}
	return t.next == len(t.pen)
}

// Value returns the trustworthiness once every point is done, else NaN.
func (t *Trust) Value() float64 {
	if t.r == nil || t.next < len(t.pen) {
		return math.NaN()
	}
	return rankScore(t.r.n, t.r.k, t.pen)
}

// nearestOf returns the indices of the k smallest values of d (ties by index).
func nearestOf(d []float64, k int) []int32 {
	type c struct {
		d float64
		j int32
	}
	best := make([]c, 0, k+1)
	for j, v := range d {
		if len(best) == k && (v > best[k-1].d || v == best[k-1].d) {
			continue
		}
		at, _ := slices.BinarySearchFunc(best, c{v, int32(j)}, func(a, b c) int {
			switch {
			case a.d < b.d:
				return -1
			case a.d > b.d:
				return 1
			}
			return int(a.j - b.j)
		})
		best = slices.Insert(best, at, c{v, int32(j)})
		if len(best) > k {
			best = best[:k]
		}
	}
	out := make([]int32, len(best))
	for a, b := range best {
		out[a] = b.j
	}
	return out
}

// Coherence returns the mean displacement of points between the layouts a
// and b divided by the larger of their diameters (largest distance between
// two points): 0 when they are equal, small when a sequence moves little.
// It returns NaN when the lengths differ or are odd or zero.
func Coherence(a, b []float64) float64 {
	n := len(a) / 2
	if len(a) != len(b) || n == 0 || len(a)%2 != 0 {
		return math.NaN()
	}
	s := 0.0
	for i := range n {
		s += math.Sqrt(float64(sq(a[2*i]-b[2*i])) + float64(sq(a[2*i+1]-b[2*i+1])))
	}
	diam := max(diameter(a), diameter(b))
	if diam == 0 {
		return 0
	}
	return s / float64(n) / diam
}

// diameter returns the largest distance between two points of y.
func diameter(y []float64) float64 {
	n := len(y) / 2
	best := make([]float64, n)
	parallel(0, n, 256, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			for j := i + 1; j < n; j++ {
				best[i] = max(best[i], float64(sq(y[2*i]-y[2*j]))+float64(sq(y[2*i+1]-y[2*j+1])))
			}
		}
	})
	return math.Sqrt(slices.Max(best))
}

// sq returns v².
func sq(v float64) float64 { return v * v }
