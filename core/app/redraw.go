package app

import (
	"image"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/params"
)

// frameKey is everything the pixels of a frame depend on: a game that skips
// unchanged frames (SkipUnchangedFrames) draws only when it changes.
type frameKey struct {
	backdrop      cacheKey
	bounds        image.Rectangle
	p             params.Params
	theme         string
	pos           float64 // the timeline's position
	playing       bool
	hover, follow int
	neuronHover   [2]int
	pointer       [2]float64
	held          bool
	help, menu    bool
	figure        bool
	corner        [2]float64
	progress      float64 // in the percent steps the progress text shows
	phase, err    string
	quality       uint64 // the thumbnails' NH and TW
	stages        int    // stages planned or joined (the train view adds them)
	training      uint64 // the train view's counters and curves (trainingBits)
}

// SkipUnchangedFrames makes Draw leave the screen as it is when nothing it
// shows changed since the last frame it drew: while a view computes, or
// when it is still, the page then sends the GPU no work and the compositor
// reads nothing back, so its thread stays free (the page calls it; the
// screen must not be cleared every frame). The compare view draws every
// frame.
func (g *Game) SkipUnchangedFrames() { g.skip = true }

// unchanged reports whether the frame Draw is about to draw on screen is
// the one it drew last, and records it as drawn.
func (g *Game) unchanged(screen *ebiten.Image, backdrop cacheKey) bool {
	if !g.skip || g.pair != nil {
		return false
	}
	st := g.State()
	k := frameKey{backdrop: backdrop, bounds: screen.Bounds(), p: g.p, theme: g.th.Name,
		pos: g.tl.Pos, playing: g.tl.Playing, hover: g.hover, follow: g.follow, neuronHover: g.neurons.hover,
		pointer: [2]float64{g.in.x, g.in.y}, held: g.in.down, help: g.help, menu: g.menu, figure: g.figure,
		corner: g.pageCorner, progress: math.Round(100 * st.Progress), phase: st.Phase, err: st.Error,
		quality: g.qualityBits(), stages: len(g.pl.Stages()), training: g.trainingBits()}
	if g.drawn != nil && *g.drawn == k {
		return true
	}
	g.drawn = &k
	return false
}

// qualityBits mixes the bits of every stage's quality figures.
func (g *Game) qualityBits() uint64 {
	var h digest
	for k := range g.pl.Stages() {
		q := g.pl.Quality(k)
		h.add(math.Float64bits(q.NH), math.Float64bits(q.TW))
	}
	return uint64(h)
}

// digest mixes values into a 64-bit FNV-1a-style hash, for the parts of a
// frameKey that stand for many values.
type digest uint64

// add mixes vs into h, in order.
func (h *digest) add(vs ...uint64) {
	for _, v := range vs {
		*h = (*h ^ digest(v)) * 1099511628211
	}
}

// trainingBits mixes the bits of everything the train view's panel shows
// (drawTrainPanel): its counters, state and curves; 0 in other views.
func (g *Game) trainingBits() uint64 {
	tr, ok := g.training()
	if !ok {
		return 0
	}
	h := digest(14695981039346656037)
	for _, v := range []int{tr.Epoch, tr.Epochs, tr.Batches, tr.PerEpoch, len(tr.Losses), len(tr.Accuracies)} {
		h.add(uint64(v))
	}
	if tr.Paused {
		h.add(1)
	}
	if tr.Stopped != nil {
		h.add(2)
	}
	for _, l := range tr.Losses {
		h.add(math.Float64bits(l.Epoch), math.Float64bits(l.Loss))
	}
	for _, vs := range [][]float64{tr.Accuracies, tr.Trained} {
		for _, v := range vs {
			h.add(math.Float64bits(v))
		}
	}
	return uint64(h)
}
