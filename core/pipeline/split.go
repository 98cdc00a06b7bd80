package pipeline

import (
	"fmt"
	"sync"
	"time"

	"annvis/core/neurons"
	"annvis/core/params"
	"annvis/core/tsne"
	"annvis/core/viewstate"
)

// Preparer prepares stages of live views alone, as the view's pipeline
// would, for it to adopt (AdoptStage), as a page's helper worker does: it
// runs the view's networks on its digits once for all of a view's stages,
// keeping the forward pass of the latest view it prepared. Its methods may
// be called from several goroutines.
type Preparer struct {
	fetch Fetcher
	mu    sync.Mutex
	last  *pass
}

// pass is the forward pass of a live view, computed once.
type pass struct {
	p    params.Params
	once sync.Once
	pl   *Pipeline
	err  error
}

// NewPreparer returns a Preparer fetching the assets through fetch.
func NewPreparer(fetch Fetcher) *Preparer { return &Preparer{fetch: fetch} }

// Prepare computes stage k of the live view p alone: for a digit view the
// stage's t-SNE affinities, for the neurons view its whole panel. It blocks
// until done and returns the result encoded.
func (pr *Preparer) Prepare(p params.Params, k int) ([]byte, error) {
	pl, err := pr.forward(p, k)
	if err != nil {
		return nil, err
	}
	if p.View != "neurons" {
		a, err := stageAffinities(pl, p, k)
		if err != nil {
			return nil, err
		}
		return a.MarshalBinary()
	}
	v, err := neurons.NewView(pl.acts[k], p.N, pl.dims[k], pl.labels, neuronConfig(p))
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	return NewPanel(v.Run()).MarshalBinary()
}

// forward returns the forward pass of the live view p, computing it unless
// it is the latest one's, for stage k (1 or later) to be computed alone.
func (pr *Preparer) forward(p params.Params, k int) (*Pipeline, error) {
	pr.mu.Lock()
	if pr.last == nil || pr.last.p != p {
		pr.last = &pass{p: p}
	}
	f := pr.last
	pr.mu.Unlock()
	f.once.Do(func() { f.pl, f.err = forwardPass(p, pr.fetch) })
	if f.err != nil {
		return nil, f.err
	}
	if k < 1 || k >= len(f.pl.acts) {
		return nil, fmt.Errorf("pipeline: stage %d of a view of %d stages is not computed alone", k, len(f.pl.acts))
	}
	return f.pl, nil
}

// AdoptStage hands stage k what Preparer.Prepare computed for the same view,
// before the pipeline's next slice; a stage that has begun keeps its own.
func (b *Background) AdoptStage(k int, data []byte) error {
	ad := adoption{stage: k}
	if b.pl.p.View == "neurons" {
		ad.panel = new(viewstate.Panel)
		if err := ad.panel.UnmarshalBinary(data); err != nil {
			return err
		}
	} else {
		ad.a = new(tsne.Affinities)
		if err := ad.a.UnmarshalBinary(data); err != nil {
			return err
		}
	}
	b.mu.Lock()
	b.adopt = append(b.adopt, ad)
	b.mu.Unlock()
	b.poke()
	return nil
}

// Expect tells a neurons view that another worker computes its stage k
// (Preparer.Prepare, then AdoptPanel): its network runs on the digits here
// only if the stage must be computed here after all (its panel has not
// come when the stages before it are done); until then its predictions
// are not known here. Other views, and a stage whose network has begun
// running here, ignore it.
func (pl *Pipeline) Expect(k int) {
	if !pl.neuronView() || k < 1 || k < len(pl.acts) && len(pl.acts[k]) > 0 {
		return
	}
	if pl.expected == nil {
		pl.expected = map[int]bool{}
	}
	pl.expected[k] = true
}

// forwardLate runs the next batch of digits through the network of stage
// k, which was expected from elsewhere and must be computed here.
func (pl *Pipeline) forwardLate(k int) {
	from := len(pl.acts[k]) / pl.dims[k]
	to := min(from+Batch, pl.p.N)
	if !pl.forwardBatch(k, from, to) {
		return
	}
	if to == pl.p.N {
		delete(pl.expected, k)
	}
	pl.status.Phase = fmt.Sprintf("forward pass of %s %d/%d", pl.names[k], to, pl.p.N)
}

// Expect tells the pipeline that another worker computes its stage k (see
// Pipeline.Expect), before its next slice.
func (b *Background) Expect(k int) {
	b.mu.Lock()
	b.expect = append(b.expect, k)
	b.mu.Unlock()
	b.poke()
}

// AdoptPanel gives stage k of the neurons view the panel computed
// elsewhere, unless the stage has begun.
func (pl *Pipeline) AdoptPanel(k int, p *viewstate.Panel) {
	if pl.elsewhere == nil {
		pl.elsewhere = map[int]*viewstate.Panel{}
	}
	pl.elsewhere[k] = p
}

// stageAffinities prepares stage k of the live view p from its forward
// pass pl.
func stageAffinities(pl *Pipeline, p params.Params, k int) (*tsne.Affinities, error) {
	cfg, method, _ := tsneConfig(p)
	a, err := tsne.StageAffinities(pl.acts[k], p.N, pl.dims[k], method, cfg, k)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	return a, nil
}

// forwardPass fetches the assets of the live view p through fetch and runs
// its networks on its digits.
func forwardPass(p params.Params, fetch Fetcher) (*Pipeline, error) {
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
	return pl, nil
}

// Adopt gives stage k of the view's t-SNE sequence the affinities a, which
// Preparer.Prepare computed for the same view: the stage skips its
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

// Share has the view's t-SNE sequence compute part of every gradient
// through h, another program holding a tsne.Forces (see
// tsne.Sequence.Share): the layouts are the same bit for bit.
func (pl *Pipeline) Share(h tsne.Helper) {
	pl.helper = h
	if pl.seq != nil {
		pl.seq.Share(h)
	}
}

// adopt hands a to the sequence's stage k, unless it has begun.
func (pl *Pipeline) adopt(k int, a *tsne.Affinities) {
	_ = pl.seq.Adopt(k, a) // refused once the stage began: it computes the same itself
}
