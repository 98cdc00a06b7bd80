package pipeline

import (
	"math"
	"slices"

	"annvis/core/mnist"
	"annvis/core/model"
	"annvis/core/neurons"
	"annvis/core/viewstate"
)

// Snapshot brings s up to date with what pl has computed, reusing its
// position buffers.
func (pl *Pipeline) Snapshot(s *viewstate.Snapshot) {
	s.Status, s.Bundled, s.N = pl.status, pl.p.View == "bundled", pl.p.N
	s.Names, s.Labels = pl.names, pl.labels
	stages := len(pl.names)
	s.Predicted = resize(s.Predicted, stages)
	s.Positions = resize(s.Positions, stages)
	s.Panels = resize(s.Panels, stages)
	s.Quality = s.Quality[:0]
	for k := range stages {
		s.Predicted[k] = pl.Predicted(k)
		if pl.Ready(k) {
			s.Positions[k] = pl.Positions(k, s.Positions[k])
		} else {
			s.Positions[k] = nil
		}
		s.Quality = append(s.Quality, pl.Quality(k))
		s.Panels[k] = pl.Panel(k)
	}
	s.Bundles = pl.bundle.done
	s.Training, s.Trained = pl.trainSnapshot()
	if s.Images == nil && pl.test != nil && pl.test.Len() >= pl.p.N {
		s.Images = pl.test.Images[:pl.p.N*mnist.Pixels]
	}
}

func resize[T any](s []T, n int) []T {
	if len(s) > n {
		clear(s[n:])
		return s[:n]
	}
	return append(s, make([]T, n-len(s))...)
}

// NewPanel returns what the neuron views draw of the finished view v.
func NewPanel(v *neurons.View) *viewstate.Panel {
	m := v.Map()
	return &viewstate.Panel{Pos: slices.Clone(v.Projection().Pos), Stress: stress1(v),
		Importance: m.Importance, Class: m.Class, Opacity: m.Opacity}
}

// stress1 returns Kruskal's stress-1 of a neuron projection: the square
// root of its raw stress over the sum of squared dissimilarities; 0 is a
// perfect fit, NaN when the projection has no stress (t-SNE).
func stress1(v *neurons.View) float64 {
	raw := v.Projection().Stress
	dis := v.Dissimilarities()
	if len(raw) == 0 || dis == nil {
		return math.NaN()
	}
	d := int(math.Sqrt(float64(len(dis))))
	sum := 0.0
	for i := range d {
		for _, x := range dis[i*d+i+1 : (i+1)*d] {
			sum += x * x
		}
	}
	return math.Sqrt(raw[len(raw)-1] / sum)
}

// trainedNet is a stage's network of the train view's run, as a Snapshot
// holds it: the same network is the same value.
type trainedNet struct{ c model.Checkpoint }

// File returns the network as a checkpoint file.
func (t trainedNet) File() ([]byte, error) { return model.EncodeCheckpoint(&t.c) }
