package app

import (
	"image"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app/ui"
	"annvis/core/params"
)

// pair is the compare view: the MLP's and the CNN's layers views side by
// side, each a Game drawn into its own half of the screen. The outer game
// keeps the controls and passes parameter changes to both.
type pair struct {
	sides [2]*Game
	imgs  [2]*ebiten.Image
}

// compareNets are the networks of the compare view, left to right.
var compareNets = [2]string{"mlp", "cnn"}

// setPair creates or updates the two sides for p.
func (g *Game) setPair(p params.Params) {
	if g.pair == nil {
		g.pair = &pair{}
	}
	for i, net := range compareNets {
		q := p
		q.Model, q.View, q.Embed = net, "layers", true
		if s := g.pair.sides[i]; s != nil {
			s.SetParams(q)
			continue
		}
		s := newGame(q, g.open)
		s.side, s.noPointer, s.figure, s.quietErrors = true, g.noPointer, g.figure, g.quietErrors
		s.data = g.data
		g.pair.sides[i] = s
	}
}

// close stops both sides' computations.
func (pr *pair) close() {
	for _, s := range pr.sides {
		if s != nil {
			s.Close()
		}
	}
}

// sideRect returns where side i goes: half the screen between the bar
// and the caption.
func (g *Game) sideRect(i int) ui.Rect {
	top := g.screen.Bar.Y + g.screen.Bar.H
	w := float64(g.w) / 2
	return ui.Rect{X: float64(i) * w, Y: top, W: w, H: max(g.screen.Main.Y+g.screen.Main.H-top, 1)}
}

// updatePair runs both sides and the shared controls; held holds their
// time (HoldTime).
func (g *Game) updatePair(held bool) error {
	if g.w != g.outW || g.h != g.outH || g.bar == nil || g.canPlay != g.playable() {
		g.w, g.h = max(g.outW, 1), max(g.outH, 1)
		g.th = g.th.Sized(float64(g.w), float64(g.h), g.scale)
		g.layoutBar(0)
	}
	g.keys()
	g.in.read(g.noPointer)
	if i := ui.Hit(buttonRects(g.bar), g.in.x, g.in.y); g.in.pressed && i >= 0 {
		g.bar[i].do(g)
	} else if c := ui.Hit(g.screen.Legend[:], g.in.x, g.in.y); g.in.pressed && c >= 0 {
		g.toggleClass(c)
	}
	if g.pair == nil { // switched to another view
		g.arrange()
		return nil
	}
	for i, s := range g.pair.sides {
		r := g.sideRect(i)
		s.origin = [2]float64{r.X, r.Y}
		s.resize(int(r.W), int(r.H), g.scale)
		if l := g.shared(r); s.th != g.th || l != s.sideLayout {
			s.th, s.sideLayout, s.bar = g.th, l, nil // the window's type sizes and touch targets
		}
		s.timeHeld = held
		if err := s.Update(); err != nil {
			return err
		}
	}
	return nil
}

// shared returns what the side at r shares with the other side: one
// grid of thumbnails, as many as the side with most stages has, so that
// both plots and their thumbnails have one size and line up; and the part
// of the page's corner that reaches into it.
func (g *Game) shared(r ui.Rect) ui.Layout {
	var l ui.Layout
	for _, s := range g.pair.sides {
		if s.pl != nil {
			l.Slots = max(l.Slots, len(s.pl.Stages()))
		}
	}
	c := g.corner()
	c[0], c[1] = c[0]*g.th.Scale, c[1]*g.th.Scale
	if over := r.Y + r.H - (float64(g.h) - c[1]); c[0] > 0 && over > 0 && r.X+r.W > float64(g.w)-c[0] {
		l.Corner = [2]float64{c[0] - (float64(g.w) - r.X - r.W), over}
	}
	return l
}

// drawPair draws both sides and the controls.
func (g *Game) drawPair(screen *ebiten.Image) {
	screen.Fill(g.th.Background)
	for i, s := range g.pair.sides {
		r := g.sideRect(i)
		b := image.Rect(0, 0, int(r.W), int(r.H))
		if g.pair.imgs[i] == nil || g.pair.imgs[i].Bounds() != b {
			if g.pair.imgs[i] != nil {
				g.pair.imgs[i].Deallocate()
			}
			g.pair.imgs[i] = ebiten.NewImage(b.Dx(), b.Dy())
		}
		s.Draw(g.pair.imgs[i])
		op := &ebiten.DrawImageOptions{}
		op.GeoM.Translate(r.X, r.Y)
		screen.DrawImage(g.pair.imgs[i], op)
	}
	m := g.mesh(screen)
	g.drawBar(m)
	g.drawLegend(m) // once, for both sides
	r := g.sideRect(1)
	m.rect(float32(r.X)-1, float32(r.Y), 2, float32(r.H), g.col(g.th.Panel))
	m.done()
	g.drawBarLabels(screen)
	g.drawLegendLabels(screen)
	for i, l := range g.screen.CaptionLines {
		drawText(screen, l, g.screen.Caption.X, g.screen.Caption.Y+float64(i)*ui.LineH(g.th.Body), g.th.Body, g.th.Muted)
	}
}

// pairState combines the sides' states.
func (g *Game) pairState() State {
	l, r := g.pair.sides[0].State(), g.pair.sides[1].State()
	s := State{
		View: g.p.View, Model: g.p.Model,
		Stage: l.Stage, Stages: max(l.Stages, r.Stages),
		Frame: min(l.Frame, r.Frame), Progress: (l.Progress + r.Progress) / 2,
		Phase: "ready", Error: l.Error, ErrorKind: l.ErrorKind, PointsDrawn: l.PointsDrawn + r.PointsDrawn,
		Painted: g.painted, Query: g.p.Encode(), Precomputed: l.Precomputed && r.Precomputed,
	}
	if s.Error == "" {
		s.Error, s.ErrorKind = r.Error, r.ErrorKind
	}
	if l.Phase != "ready" || r.Phase != "ready" {
		s.Phase = "MLP: " + l.Phase + " | CNN: " + r.Phase
	}
	return s
}
