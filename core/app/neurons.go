package app

import (
	"fmt"
	"math"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app/palette"
	"annvis/core/app/ui"
	"annvis/core/neurons"
	"annvis/core/pipeline"
)

// neuronView reports whether the view shows neurons rather than digits.
func (g *Game) neuronView() bool { return g.p.View == "neurons" || g.p.View == "map" }

// neuronScene holds the neuron views' panels and their neurons on screen.
type neuronScene struct {
	panels []ui.Rect   // one per stage: before and after training, or one
	pos    [][]float64 // per panel, 2d screen coordinates of its neurons
	views  []*pipeline.Panel
	max    float64 // largest importance for the chosen class over the panels
	hover  [2]int  // panel and neuron under the pointer, or -1
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
	ns.panels, ns.views, ns.pos, ns.max = ns.panels[:0], ns.views[:0], grow(ns.pos, stages), 0
	for k := range stages {
		r := g.screen.Panels[k]
		v := g.pl.Panel(k)
		ns.panels, ns.views = append(ns.panels, r), append(ns.views, v)
		pos := v.Pos
		ns.pos[k] = ui.FitPoints(pos, r.Inset(10)).Apply(ns.pos[k], pos)
		for _, imp := range importances(v, g.p.Class) {
			ns.max = max(ns.max, imp)
		}
	}
}

// importances returns each neuron's importance for class c.
func importances(m *pipeline.Panel, c int) []float64 {
	imp := make([]float64, len(m.Class))
	for i := range imp {
		imp[i] = m.Importance[i*neurons.Classes+c]
	}
	return imp
}

// hoverNeuron finds the neuron under the pointer.
func (g *Game) hoverNeuron(x, y float64) {
	ns := &g.neurons
	for k, r := range ns.panels {
		if r.Contains(x, y) {
			if i := ui.Nearest(ns.pos[k], x, y, 6, nil); i >= 0 {
				ns.hover = [2]int{k, i}
			}
		}
	}
}

// drawNeurons draws the neuron panels: coloured by importance for the chosen
// class (neurons view) or by the class each neuron discriminates best,
// opacity = normalised importance (map view).
func (g *Game) drawNeurons(m *mesh) {
	ns := &g.neurons
	for k, v := range ns.views {
		fill(m, ns.panels[k].Inset(2), g.col(g.th.Panel))
		pos := ns.pos[k]
		if g.p.View == "map" {
			for i, c := range v.Class {
				m.point(float32(pos[2*i]), float32(pos[2*i+1]), float32(7*g.th.Scale), g.shade(uint8(c), 1, 0.15+0.85*v.Opacity[i]))
			}
			continue
		}
		for i, imp := range importances(v, g.p.Class) {
			c := palette.Sequential(imp / max(ns.max, 1e-12))
			m.point(float32(pos[2*i]), float32(pos[2*i+1]), float32(7*g.th.Scale), rgba{float32(c.R) / 255, float32(c.G) / 255, float32(c.B) / 255, 1})
		}
	}
	if g.p.View == "neurons" {
		g.drawColourBar(m)
	}
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

// drawColourBar draws the sequential colour map along the timeline's place.
func (g *Game) drawColourBar(m *mesh) {
	r := g.screen.Timeline
	const steps = 64
	for s := range steps {
		c := palette.Sequential(float64(s) / (steps - 1))
		x := r.X + 60 + (r.W-120)*float64(s)/steps
		m.rect(float32(x), float32(r.Y), float32((r.W-120)/steps+1), float32(r.H), rgba{float32(c.R) / 255, float32(c.G) / 255, float32(c.B) / 255, 1})
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
		long := title
		if !math.IsNaN(ns.views[k].Stress) {
			long += fmt.Sprintf(" · stress %.2f (0: distances kept exactly)", ns.views[k].Stress)
			title += fmt.Sprintf(" · stress %.2f", ns.views[k].Stress)
		}
		drawText(screen, ui.FitText(r.W, g.th.Body, long, title, names[k]), r.X, r.Y, g.th.Body, g.th.Text)
	}
	r := g.screen.Timeline
	if g.p.View == "neurons" && len(ns.views) > 0 {
		drawText(screen, fmt.Sprintf("class %d  0", g.p.Class), r.X, r.Y, g.th.Body, g.th.Text)
		hi := fmt.Sprintf("%.3f", ns.max)
		drawText(screen, hi, r.X+r.W-ui.TextW(hi, g.th.Body), r.Y, g.th.Body, g.th.Text)
	}
	k, i, ok := ns.hovered()
	if !ok {
		return
	}
	h := [2]int{k, i}
	mp := ns.views[k]
	var b strings.Builder
	fmt.Fprintf(&b, "neuron %d: best class %d\nimportance per class:", h[1], mp.Class[h[1]])
	for c := range neurons.Classes {
		if c%2 == 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, " %d %.3f ", c, mp.Importance[h[1]*neurons.Classes+c])
	}
	size, pad := g.th.Body, g.th.Pad
	bw, bh := ui.TextW(" 0 0.000  1 0.000 ", size)+2*pad, 7*ui.LineH(size)+2*pad
	x := min(ns.pos[h[0]][2*h[1]]+12, g.screen.Main.X+g.screen.Main.W-bw)
	y := min(ns.pos[h[0]][2*h[1]+1]+12, g.screen.Main.Y+g.screen.Main.H-bh)
	m := &mesh{dst: screen}
	fill(m, ui.Rect{X: x, Y: y, W: bw, H: bh}, g.col(g.th.Card))
	m.flush()
	drawText(screen, b.String(), x+pad, y+pad, size, g.th.Text)
}
