package pipeline

import (
	"fmt"
	"time"

	"annvis/core/params"
	"annvis/core/tsne"
)

// SplitStages returns the stages of the live view p whose t-SNE
// preparation (input similarities) other workers can compute while the
// view's own pipeline optimises the stages before them (StageAffinities,
// Adopt): the stages after the first of a chained or dynamic layers
// sequence. Views with shipped layouts, neuron views, joint sequences
// (one run of all stages) and epochs sequences (whose stages the manifest
// names) have none.
func SplitStages(p params.Params) []int {
	if _, shipped := LayoutsFile(p); shipped || !knownView(p.View) || p.View == "neurons" || p.View == "map" ||
		Sequence(p) != "layers" || Methods[Method(p)] == tsne.Joint {
		return nil
	}
	var stages []int
	for k := 1; k < params.HiddenLayers[p.Model]; k++ {
		stages = append(stages, k)
	}
	return stages
}

// StageAffinities computes, for the live view p, the t-SNE preparation of
// stage k alone: it fetches the assets through fetch, runs the network on
// the view's digits and prepares that stage as the view's pipeline would,
// for it to Adopt. It blocks until done.
func StageAffinities(p params.Params, fetch Fetcher, k int) (*tsne.Affinities, error) {
	pl := New(p, fetch, true)
	pl.forwarded = true
	for pl.status.Err == nil && (pl.names == nil || pl.want > 0 || pl.done < pl.p.N) {
		if err := pl.Step(SliceBudget); err != nil {
			return nil, err
		}
		if pl.fetching() {
			time.Sleep(fetchWait)
		}
	}
	if pl.status.Err != nil {
		return nil, pl.status.Err
	}
	if k < 1 || k >= len(pl.acts) {
		return nil, fmt.Errorf("pipeline: stage %d of a view of %d stages is not prepared alone", k, len(pl.acts))
	}
	cfg, method, _ := tsneConfig(p)
	a, err := tsne.StageAffinities(pl.acts[k], p.N, pl.dims[k], method, cfg, k)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	return a, nil
}

// Adopt gives stage k of the view's t-SNE sequence the affinities a, which
// StageAffinities computed for the same view: the stage skips its
// preparation, with the same layout. A stage that has begun preparing
// keeps its own.
func (pl *Pipeline) Adopt(k int, a *tsne.Affinities) {
	if pl.seq == nil {
		if pl.adopted == nil {
			pl.adopted = map[int]*tsne.Affinities{}
		}
		pl.adopted[k] = a
		return
	}
	pl.adopt(k, a)
}

// adopt hands a to the sequence's stage k, unless it has begun.
func (pl *Pipeline) adopt(k int, a *tsne.Affinities) {
	_ = pl.seq.Adopt(k, a) // refused once the stage began: it computes the same itself
}
