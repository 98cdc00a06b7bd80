package neurons

import (
	"fmt"
	"math"
)

// ViewConfig sets up a View; the zero value works.
type ViewConfig struct {
	MDS MDSConfig
	// TSNE, when not nil, places the neurons by ProjectTSNE with this
	// configuration instead of by MDS.
	TSNE   *TSNEConfig
	Forest ForestConfig // forest c is seeded with Forest.Seed + c
}

// placer places the neurons in steps: Project's smacof or ProjectTSNE's
// tsneRun.
type placer interface {
	begin(dis []float64)
	step() bool
	ops() float64   // work of the next step
	bound() float64 // work of all steps, at most
	projection() *Projection
}

// View computes what the neuron views show for one layer, in small steps
// that a single-threaded browser can interleave with drawing: the
// dissimilarities, the neuron projection (Project, or ProjectTSNE), then the
// ten one-vs-rest forests of the discriminative map (DiscriminativeMap).
// Stepping to the end gives exactly the results of those functions.
type View struct {
	act    []float32
	labels []uint8
	n, d   int
	cfg    ViewConfig

	stage   int // index into the stages below
	pearson *pearson
	dis     []float64
	row     int // next dissimilarity row
	place   placer
	began   bool
	proj    *Projection
	mapper  *mapper

	work, total float64 // progress in estimated operations
}

// View stages.
const (
	stageStandardise = iota
	stageRows
	stagePlace
	stageForests
	stageDone
)

// stepOps is the work of one step, in estimated operations (a few ms
// natively, about 10–20 ms under js/wasm).
const stepOps = 1 << 21

// NewView validates its input and returns a View of the layer whose
// row-major n×d activations are act, for digits labelled labels (0–9).
// It keeps act and labels, which must not change until the view is done.
func NewView(act []float32, n, d int, labels []uint8, cfg ViewConfig) (*View, error) {
	if d < 2 {
		return nil, fmt.Errorf("neurons: %d neurons; need at least 2", d)
	}
	var place placer
	var err error
	if cfg.TSNE != nil {
		place, err = newTSNERun(d, *cfg.TSNE)
	} else {
		place, err = newSmacof(d, cfg.MDS)
	}
	if err != nil {
		return nil, err
	}
	mp, err := newMapper(act, n, d, labels, cfg.Forest)
	if err != nil {
		return nil, err
	}
	v := &View{act: act, labels: labels, n: n, d: d, cfg: cfg, place: place, mapper: mp}
	v.total = v.rowOps()*float64(d) + place.bound() + float64(mp.trees())*v.treeOps()
	return v, nil
}

// Step does one small unit of work and reports whether the view is done.
func (v *View) Step() bool {
	switch v.stage {
	case stageStandardise:
		v.pearson = newPearson(v.act, v.n, v.d)
		v.dis = make([]float64, v.d*v.d)
		v.stage++
	case stageRows:
		k := max(1, int(stepOps/v.rowOps()))
		end := min(v.row+k, v.d)
		v.pearson.rows(v.row, end, v.dis)
		v.work += float64(end-v.row) * v.rowOps()
		if v.row = end; end == v.d {
			v.pearson = nil
			v.stage++
		}
	case stagePlace:
		if !v.began {
			v.place.begin(v.dis)
			v.began = true
		}
		for budget := float64(stepOps); budget > 0; {
			ops := v.place.ops()
			v.work += ops
			budget -= ops
			if v.place.step() {
				v.proj = v.place.projection()
				// The bound assumed the most iterations; drop what was
				// not needed (progress jumps forward, never back).
				v.total -= v.rowOps()*float64(v.d) + v.place.bound() - v.work
				v.stage++
				break
			}
		}
	case stageForests:
		grown := v.mapper.grown
		done := v.mapper.step(v.mapper.cfg.Workers)
		v.work += float64(v.mapper.grown-grown) * v.treeOps()
		if done {
			v.work = v.total
			v.stage++
		}
	}
	return v.stage == stageDone
}

// Run steps the view to the end and returns it.
func (v *View) Run() *View {
	for !v.Step() {
	}
	return v
}

// Progress returns the fraction of the work done, 0 to 1.
func (v *View) Progress() float64 {
	if v.stage == stageDone {
		return 1
	}
	return min(v.work/v.total, 1)
}

// Dissimilarities returns the d×d dissimilarities (Dissimilarity), or nil
// before they are complete.
func (v *View) Dissimilarities() []float64 {
	if v.stage <= stageRows {
		return nil
	}
	return v.dis
}

// Projection returns the neuron projection (Project), or nil before it is
// complete.
func (v *View) Projection() *Projection { return v.proj }

// Map returns the discriminative map (DiscriminativeMap), or nil before it
// is complete.
func (v *View) Map() *Map {
	if v.stage != stageDone {
		return nil
	}
	return v.mapper.m
}

// rowOps estimates the work of one row of dissimilarities.
func (v *View) rowOps() float64 { return float64(v.n) * float64(v.d) / 2 }

// treeOps estimates the work of one tree: about √d candidates over every
// sample at each of log₂ n levels, a random access each (weighted 5, as
// they take about five times the other stages' operations).
func (v *View) treeOps() float64 {
	return 5 * math.Sqrt(float64(v.d)) * float64(v.n) * math.Log2(float64(v.n)+1)
}
