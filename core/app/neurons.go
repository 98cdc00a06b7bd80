package app

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app/palette"
	"annvis/core/app/ui"
	"annvis/core/viewstate"
)

// neuronView reports whether the view shows neurons rather than digits.
func (g *Game) neuronView() bool { return g.p.View == "neurons" || g.p.View == "map" }

// neuronScene holds the neuron views' panels and their neurons on screen.
type neuronScene struct {
	panels []ui.Rect   // one per stage: before and after training, or one
	pos    [][]float64 // per panel, 2d screen coordinates of its neurons
	views  []*viewstate.Panel
	rank   [][]float64 // per panel and neuron, the rank of its importance for the chosen class over all panels, 0..1
	order  [][]int     // per panel, its neurons from the least to the most important (drawn in this order)
	lo, hi float64     // smallest and largest importance for the chosen class over the panels
	hover  [2]int      // panel and neuron under the pointer, or -1
}

// refreshNeurons fits the finished neuron projections into their panels.
func (g *Game) refreshNeurons() {
	ns := &g.neurons
	ns.hover = [2]int{-1, -1}
	stages := len(g.pl.Stages())
	if !g.pl.Status().Done || stages == 0 {
		*ns = neuronScene{hover: ns.hover}
		return
	}
	if len(g.screen.Panels) != stages {
		return // arranged for another view; refit once arranged
	}
	ns.panels, ns.views, ns.pos = ns.panels[:0], ns.views[:0], grow(ns.pos, stages)
	var all []float64 // importances for the chosen class, panel after panel
	for k := range stages {
		r := g.screen.Panels[k]
		v := g.pl.Panel(k)
		ns.panels, ns.views = append(ns.panels, r), append(ns.views, v)
		pos := v.Pos
		ns.pos[k] = ui.FitPoints(pos, r.Inset(g.neuronSize(1))).Apply(ns.pos[k], pos)
		all = append(all, importances(v, g.p.Class)...)
	}
	ns.lo, ns.hi = palette.Quantile(all, 0), palette.Quantile(all, 1)
	ranks := palette.Ranks(nil, all)
	ns.rank, ns.order = ns.rank[:0], ns.order[:0]
	for _, v := range ns.views {
		n := len(v.Class)
		r := ranks[:n:n]
		ranks = ranks[n:]
		weight := r
		if g.p.View == "map" {
			weight = v.Opacity
		}
		ns.rank, ns.order = append(ns.rank, r), append(ns.order, ascending(weight))
	}
}

// ascending returns the indices of v from its smallest value to its largest.
func ascending(v []float64) []int {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(v[a], v[b]) })
	return idx
}

// neuronSize is the side of a neuron's mark at weight w in 0..1 (its rank,
// or its importance within its class): from 0.3 to 0.9 of the body
// text size, so that the important neurons stand out at any canvas size.
func (g *Game) neuronSize(w float64) float64 {
	return g.th.Body * (0.3 + 0.6*math.Sqrt(max(0, min(w, 1))))
}

// importances returns each neuron's importance for class c.
func importances(m *viewstate.Panel, c int) []float64 {
	imp := make([]float64, len(m.Class))
	for i := range imp {
		imp[i] = m.Importance[i*m.Classes()+c]
	}
	return imp
}

// hoverNeuron finds the neuron under the pointer.
func (g *Game) hoverNeuron(x, y float64) {
	ns := &g.neurons
	for k, r := range ns.panels {
		if r.Contains(x, y) {
			if i := ui.Nearest(ns.pos[k], x, y, g.neuronSize(1), nil); i >= 0 {
				ns.hover = [2]int{k, i}
			}
		}
	}
}

// drawNeurons draws the neuron panels, the least important neurons first.
// Neurons view: colour (viridis) and size by the rank of the importance for
// the chosen class, which spreads the skewed importances (most near zero)
// over the whole scale. Map view: the pure hue of the class each neuron
// discriminates best, size by its importance within that class, so that
// the hues stay clean and the specialised groups stand out.
func (g *Game) drawNeurons(m *mesh) {
	ns := &g.neurons
	for k, v := range ns.views {
		fill(m, ns.panels[k].Inset(2), g.col(g.th.Panel))
		pos := ns.pos[k]
		for _, i := range ns.order[k] {
			x, y := float32(pos[2*i]), float32(pos[2*i+1])
			if g.p.View == "map" {
				m.disc(x, y, float32(g.neuronSize(v.Opacity[i])/2), g.shade(uint8(v.Class[i]), 1, 1))
				continue
			}
			r := ns.rank[k][i]
			m.disc(x, y, float32(g.neuronSize(r)/2), sequential(r))
		}
	}
	g.drawNeuronKey(m)
}

// sequential is the viridis colour at v in 0..1.
func sequential(v float64) rgba {
	c := palette.Sequential(v)
	return rgba{float32(c.R) / 255, float32(c.G) / 255, float32(c.B) / 255, 1}
}

// drawNeuronHover outlines the neuron under the pointer.
func (g *Game) drawNeuronHover(m *mesh) {
	if k, i, ok := g.neurons.hovered(); ok {
		x, y := g.neurons.pos[k][2*i], g.neurons.pos[k][2*i+1]
		s := 6 * g.th.Scale
		outline(m, ui.Rect{X: x - s, Y: y - s, W: 2 * s, H: 2 * s}, g.col(g.th.Mark))
	}
}

// hovered returns the panel and neuron under the pointer, if any.
func (ns *neuronScene) hovered() (k, i int, ok bool) {
	k, i = ns.hover[0], ns.hover[1]
	ok = k >= 0 && k < len(ns.views) && k < len(ns.pos) && i >= 0 && 2*i+1 < len(ns.pos[k])
	return k, i, ok
}

// drawNeuronKey draws the neuron views' key: the neurons view's colour
// ramp with its marks growing along it, or the map view's sizes.
func (g *Game) drawNeuronKey(m *mesh) {
	r := g.screen.Key
	if r.W <= 0 || len(g.neurons.views) == 0 {
		return
	}
	cy := float32(r.Y + r.H/2)
	if g.p.View == "neurons" {
		const steps = 48
		for s := range steps {
			m.rect(float32(r.X+r.W*float64(s)/steps), float32(r.Y), float32(r.W/steps+0.5), float32(r.H), sequential(float64(s)/(steps-1)))
		}
		return
	}
	const marks = 5
	for s := range marks {
		w := float64(s) / (marks - 1)
		size := g.neuronSize(w)
		x := r.X + size/2 + (r.W-g.neuronSize(1))*w
		m.disc(float32(x), cy, float32(size/2), g.mixText(1))
	}
}

// drawNeuronLabels writes the panel titles, colour bar ends and the hovered
// neuron's importance for every class.
func (g *Game) drawNeuronLabels(screen *ebiten.Image) {
	ns := &g.neurons
	names := g.pl.Stages()
	for k := range ns.panels {
		r := g.screen.PanelTitles[k]
		title := names[k]
		if k == 0 && len(ns.panels) == 2 {
			title += " (untrained)"
		}
		long, mid := title+" · placed by t-SNE", title
		if s := ns.views[k].Stress; !math.IsNaN(s) {
			long = fmt.Sprintf("%s · MDS stress %.2f (%s)", title, s, stressWord(s))
			mid = fmt.Sprintf("%s · stress %.2f", title, s)
		}
		drawText(screen, ui.FitText(r.W, g.th.Body, long, mid, names[k]), r.X, r.Y, g.th.Body, g.th.Text)
	}
	g.drawNeuronKeyLabels(screen)
	k, i, ok := ns.hovered()
	if !ok {
		return
	}
	h := [2]int{k, i}
	mp := ns.views[k]
	var b strings.Builder
	dn := g.names()
	fmt.Fprintf(&b, "neuron %d: best class %s\nimportance per class:", h[1], dn.class(mp.Class[h[1]]))
	classes := min(mp.Classes(), g.Classes())
	for c := range classes {
		if c%2 == 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, " %s %.3f ", dn.class(c), mp.Importance[h[1]*mp.Classes()+c])
	}
	size, pad := g.th.Body, g.th.Pad
	bw := ui.HeadW(b.String(), size) + 2*pad
	bh := float64(2+(classes+1)/2)*ui.LineH(size) + 2*pad
	x := min(ns.pos[h[0]][2*h[1]]+12, g.screen.Main.X+g.screen.Main.W-bw)
	y := min(ns.pos[h[0]][2*h[1]+1]+12, g.screen.Main.Y+g.screen.Main.H-bh)
	m := g.mesh(screen)
	fill(m, ui.Rect{X: x, Y: y, W: bw, H: bh}, g.col(g.th.Card))
	m.done()
	drawText(screen, b.String(), x+pad, y+pad, size, g.th.Text)
}

// stressWord says how well a projection with Kruskal's stress-1 s keeps the
// neurons' dissimilarities, in Kruskal's own terms.
func stressWord(s float64) string {
	switch {
	case s <= 0.05:
		return "good fit"
	case s <= 0.1:
		return "fair fit"
	case s <= 0.2:
		return "poor fit"
	}
	return "distorted"
}

// drawNeuronKeyLabels writes what the neuron views' key measures and what
// its ends mean.
func (g *Game) drawNeuronKeyLabels(screen *ebiten.Image) {
	ns := &g.neurons
	kl, size := g.screen.KeyLabels, g.th.Body
	if g.screen.Key.W <= 0 || len(ns.views) == 0 {
		return
	}
	var left, right []string
	if g.p.View == "neurons" {
		left = []string{fmt.Sprintf("least %.3f", ns.lo), fmt.Sprintf("%.3f", ns.lo)}
		right = []string{fmt.Sprintf("most %.3f", ns.hi), fmt.Sprintf("%.3f", ns.hi)}
	} else {
		left = []string{g.names().words("weak for its digit"), "weak"}
		right = []string{"strongest", "strong"}
	}
	titles := ui.KeyTitles(g.p.View, g.p.Class)
	for i, t := range titles {
		titles[i] = g.names().about(t, g.p.Class)
	}
	kt := g.screen.KeyTitle
	drawText(screen, ui.FitText(kt.W, size, titles...), kt.X, kt.Y, size, g.th.Text)
	drawText(screen, ui.FitText(kl[0].W, size, left...), kl[0].X, kl[0].Y, size, g.th.Muted)
	rt := ui.FitText(kl[1].W, size, right...)
	drawText(screen, rt, kl[1].X+kl[1].W-ui.TextW(rt, size), kl[1].Y, size, g.th.Muted)
}
