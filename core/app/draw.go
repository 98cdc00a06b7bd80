package app

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app/theme"
	"annvis/core/app/ui"
)

// Draw draws the current frame; it changes nothing but statistics and
// the offscreen backdrop.
func (g *Game) Draw(screen *ebiten.Image) {
	if g.err != nil || g.pair != nil {
		g.painted++
	}
	if g.err != nil {
		screen.Fill(g.th.Background)
		g.drawError(screen, g.err.Error())
		return
	}
	if g.pair != nil {
		g.drawPair(screen)
		return
	}
	key := g.backdropKey()
	if g.unchanged(screen, key) {
		return
	}
	g.painted++
	g.backdrop.draw(screen, key, g.drawBackdrop)
	m := g.mesh(screen)
	switch {
	case g.neuronView():
		g.drawNeuronHover(m)
	case g.still() && g.laidOut():
		g.pointsDrawn = g.shownCount()
	default:
		g.drawMain(m)
	}
	if k := g.tl.Stage(); k < len(g.screen.Thumbs) && g.animating() {
		outline(m, g.screen.Thumbs[k], g.col(g.th.Accent))
	}
	if g.canPlay && !g.figure {
		g.drawTimeline(m)
	}
	m.done()
	g.drawTitle(screen)
	if g.neuronView() {
		g.drawNeuronLabels(screen)
	} else {
		g.drawCard(screen)
	}
	if g.trainView() {
		g.drawTrainPanel(screen)
	}
	if s := g.State(); s.Error != "" {
		g.drawError(screen, s.Error)
	} else if s.Progress < 1 {
		g.drawProgress(screen, s)
	}
	if g.help {
		g.drawHelp(screen)
	}
}

// backdropKey returns everything the backdrop (drawBackdrop) depends on
// besides the screen's size.
func (g *Game) backdropKey() cacheKey {
	key := cacheKey{gen: g.sc.gen, classes: g.p.Classes, view: g.p.View, class: g.p.Class,
		all: g.bundleAll, done: g.complete(), theme: g.th.Name}
	if g.animating() {
		key.seg = g.sc.seg
	}
	return key
}

// Help lists the keys and pointer actions of the game.
const Help = `space      play / pause
left/right step to the previous / next stage
0-9        show or hide a class (neurons view: colour by it)
m          switch MLP / CNN
v          next view: layers epochs trace bundled neurons map compare
[ ]        previous / next hidden layer (epochs, neurons, map);
           trace: all layers, or one layer's epochs
- +        slower / faster
b          bundled view: each class / all classes together
t, r       train view: pause / resume the training, restart it
Esc        stop following a digit, close this help
h or ?     show / hide this help
pointer    hover a point: its digit; click: follow its trail;
           drag the timeline to scrub; click a thumbnail or
           a legend entry; touch works like the mouse
NH         neighbourhood hit: the share of each digit's 10
           nearest neighbours in the picture that show the
           same digit (1: classes perfectly apart)
TW         trustworthiness: how far the picture's neighbours
           were also neighbours in the layer (1: no false ones)`

// drawHelp draws Help in a box over the screen.
func (g *Game) drawHelp(screen *ebiten.Image) {
	b := screen.Bounds()
	lines := strings.Split(Help, "\n")
	size, pad := g.th.Body, g.th.Pad
	// Shrink the type until the help fits the screen, not below 11 CSS px.
	for size > theme.MinBody*g.th.Scale && float64(len(lines))*ui.LineH(size)+2*pad > float64(b.Dy()) {
		size--
	}
	keys, whats := make([]string, len(lines)), make([]string, len(lines))
	keyW, whatW := 0.0, 0.0
	for i, l := range lines {
		keys[i], whats[i] = strings.TrimSpace(l[:min(len(l), 11)]), strings.TrimSpace(l[min(len(l), 11):])
		keyW, whatW = max(keyW, ui.TextW(keys[i], size)), max(whatW, ui.TextW(whats[i], size))
	}
	w, h := keyW+whatW+4*pad, float64(len(lines))*ui.LineH(size)+2*pad
	r := ui.Rect{X: (float64(b.Dx()) - w) / 2, Y: (float64(b.Dy()) - h) / 2, W: w, H: h}
	m := g.mesh(screen)
	fill(m, r, g.col(g.th.Card))
	outline(m, r, g.col(g.th.Accent))
	m.done()
	key := g.th.Accent
	key.A = 0xff
	drawText(screen, strings.Join(keys, "\n"), r.X+pad, r.Y+pad, size, key)
	drawText(screen, strings.Join(whats, "\n"), r.X+keyW+3*pad, r.Y+pad, size, g.th.Text)
}

// drawBackdrop draws what changes only with the layouts, the parameters or
// the animation's segment: background, thumbnails, the trails already
// travelled or a still view, legend, buttons and their labels.
func (g *Game) drawBackdrop(dst *ebiten.Image) {
	dst.Fill(g.th.Background)
	m := g.mesh(dst)
	g.drawThumbs(dst, m)
	switch {
	case g.neuronView():
		g.drawNeurons(m)
	case g.still() && g.laidOut() && g.pl.Bundles() != nil:
		g.drawBundled(m)
	case g.still() && g.laidOut():
		g.drawTrace(m)
	case g.animating():
		g.drawTravelled(m)
	}
	g.drawLegend(m)
	g.drawKey(m)
	g.drawBar(m)
	m.done()
	g.drawLabels(dst)
}

// shade is the colour of class c at brightness b and opacity a.
func (g *Game) shade(c uint8, b, a float64) rgba {
	r, gr, bl, al := g.th.Shade(c, b, a)
	return rgba{r, gr, bl, al}
}

// col converts a theme colour for the mesh.
func (g *Game) col(c color.NRGBA) rgba {
	return rgba{float32(c.R) / 255, float32(c.G) / 255, float32(c.B) / 255, float32(c.A) / 255}
}

// trailAlpha keeps dense views readable: fewer digits, more opaque trails.
func trailAlpha(n int) float64 {
	return min(max(600/float64(max(n, 1)), 0.12), 0.5)
}

// drawMain draws the trails and the heads of the shown digits.
func (g *Game) drawMain(m *mesh) {
	animating := g.animating()
	heads := g.sc.heads(animating)
	labels := g.pl.Labels()
	if heads == nil || labels == nil {
		return
	}
	stages := len(g.pl.Stages())
	stage := g.tl.Stage()
	if !animating {
		stage = g.sc.ready - 1
	}
	pred := g.pl.Predicted(stage)
	alpha := float32(trailAlpha(len(labels)))
	pt := float32(g.th.PointSize(g.screen.Main.W*g.screen.Main.H, len(labels)))
	u := float32(g.th.Scale)
	n := 0
	m.reserve(len(labels))
	for i, c := range labels {
		if !g.p.Classes[c] {
			continue
		}
		if animating && g.sc.frac > 0 {
			a := g.sc.main[g.sc.seg]
			col := g.shade(c, g.th.Brightness(g.sc.seg+1, stages), float64(alpha))
			m.needle(float32(a[2*i]), float32(a[2*i+1]), float32(heads[2*i]), float32(heads[2*i+1]), 1.5*u, col)
		}
		x, y := float32(heads[2*i]), float32(heads[2*i+1])
		col := g.shade(c, g.th.Brightness(stage, stages), 0.9)
		if pred != nil && pred[i] != c {
			m.cross(x, y, pt*0.5, max(pt*0.25, u), col) // about a dot's footprint
		} else {
			m.dot(x, y, pt, col)
		}
		n++
	}
	g.pointsDrawn = n
	if g.follow >= 0 && animating {
		g.drawFollowed(m)
	}
}

// drawTravelled draws every shown digit's trail over the stages already
// passed: the part of the trails that stays still while the points travel.
func (g *Game) drawTravelled(m *mesh) {
	sc := &g.sc
	labels := g.pl.Labels()
	stages := len(g.pl.Stages())
	alpha := trailAlpha(len(labels))
	m.reserve(sc.seg * len(labels))
	for j := 0; j < sc.seg; j++ {
		a, b := sc.main[j], sc.main[j+1]
		for i, c := range labels {
			if g.p.Classes[c] {
				col := g.shade(c, g.th.Brightness(j+1, stages), alpha)
				m.line(float32(a[2*i]), float32(a[2*i+1]), float32(b[2*i]), float32(b[2*i+1]), float32(g.th.Scale), col)
			}
		}
	}
}

// drawFollowed highlights the followed digit's whole trail.
func (g *Game) drawFollowed(m *mesh) {
	sc, i, u := &g.sc, g.follow, float32(g.th.Scale)
	for j := 0; j+1 < sc.ready; j++ {
		a, b := sc.main[j], sc.main[j+1]
		m.line(float32(a[2*i]), float32(a[2*i+1]), float32(b[2*i]), float32(b[2*i+1]), 2.5*u, g.col(g.th.Mark))
		m.point(float32(a[2*i]), float32(a[2*i+1]), 5*u, g.col(g.th.Mark))
	}
	m.point(float32(sc.cur[2*i]), float32(sc.cur[2*i+1]), 8*u, g.col(g.th.Mark))
}

// drawTimeline draws the track, one tick per stage and the play head.
func (g *Game) drawTimeline(m *mesh) {
	r := g.screen.Timeline
	fill(m, r, g.col(g.th.Panel))
	mid, u := float32(r.Y+r.H/2), float32(g.th.Scale)
	fill(m, ui.Rect{X: r.X, Y: r.Y, W: r.W * g.tl.Fraction(), H: r.H}, g.col(g.th.Accent))
	for k := range g.tl.Stages {
		x := float32(r.X + r.W*float64(k)/float64(max(g.tl.Stages-1, 1)))
		m.rect(x-u, mid-float32(r.H/4), 2*u, float32(r.H/2), g.col(g.th.Mark))
	}
	x := float32(r.X + r.W*g.tl.Fraction())
	m.rect(x-3*u, float32(r.Y), 6*u, float32(r.H), g.col(g.th.Mark))
}

// drawLegend draws one swatch per class, dimmed when the class is hidden.
func (g *Game) drawLegend(m *mesh) {
	for c, r := range g.screen.Legend {
		if !g.names().has(c) || r.W == 0 {
			continue
		}
		a := 1.0
		if !g.p.Classes[c] {
			a = 0.2
		}
		sw := float32(g.th.Body * 0.7)
		m.rect(float32(r.X), float32(r.Y+r.H/2)-sw/2, sw, sw, g.shade(uint8(c), 1, a))
		if g.p.View == "neurons" && c == g.p.Class {
			// Around swatch and digit, clear of the neighbours' swatches.
			p := g.th.Pad
			outline(m, ui.Rect{X: r.X - p/4, Y: r.Y, W: r.W - p/2, H: r.H}, g.col(g.th.Mark))
		}
	}
}

// drawBar draws the buttons' backgrounds.
func (g *Game) drawBar(m *mesh) {
	for _, b := range g.bar {
		col := g.th.Panel
		if b.on {
			col = g.th.Accent
		}
		fill(m, b.rect, g.col(col))
	}
}

// bounds returns the pixels covering the rectangles.
func bounds(rs ...ui.Rect) image.Rectangle {
	var b image.Rectangle
	for _, r := range rs {
		b = b.Union(image.Rect(int(r.X), int(r.Y), int(math.Ceil(r.X+r.W)), int(math.Ceil(r.Y+r.H))))
	}
	return b
}

func fill(m *mesh, r ui.Rect, c rgba) {
	m.rect(float32(r.X), float32(r.Y), float32(r.W), float32(r.H), c)
}

func outline(m *mesh, r ui.Rect, c rgba) {
	x, y, w, h := float32(r.X), float32(r.Y), float32(r.W), float32(r.H)
	m.rect(x, y, w, 1, c)
	m.rect(x, y+h-1, w, 1, c)
	m.rect(x, y, 1, h, c)
	m.rect(x+w-1, y, 1, h, c)
}

// drawLegendLabels writes the legend's class names (or numbers, where a
// name does not fit), "off" after hidden ones.
func (g *Game) drawLegendLabels(screen *ebiten.Image) {
	size, lh := g.th.Body, ui.LineH(g.th.Body)
	for c, r := range g.screen.Legend {
		if !g.names().has(c) || r.W == 0 {
			continue
		}
		label, num, off := g.names().class(c), strconv.Itoa(c), ""
		if !g.p.Classes[c] {
			off = " off"
		}
		// A name too long for the entry gives way to its number.
		drawText(screen, ui.FitText(r.W-size, size, label+off, label, num+off, num), r.X+size, r.Y+(r.H-lh)/2, size, g.th.Text)
	}
}

// drawLabels writes the texts of the buttons, legend, thumbnails, trail
// key and caption, each in its own strip.
func (g *Game) drawLabels(screen *ebiten.Image) {
	g.drawBarLabels(screen)
	g.drawLegendLabels(screen)
	size, lh := g.th.Body, ui.LineH(g.th.Body)
	for i, l := range g.screen.CaptionLines {
		drawText(screen, l, g.screen.Caption.X, g.screen.Caption.Y+float64(i)*lh, size, g.th.Muted)
	}
	if g.pl == nil {
		return
	}
	names := g.pl.Stages()
	for k, r := range g.screen.ThumbLabels {
		if k >= len(names) {
			break // arranged for the previous view until the next Update
		}
		drawText(screen, ui.FitText(r.W, size, names[k], short(names[k])), r.X, r.Y, size, g.th.Text)
		q := g.pl.Quality(k)
		drawText(screen, ui.FitText(r.W, size, ui.QualityTexts(q.NH, q.TW)...), r.X, r.Y+lh, size, g.th.Muted)
	}
	if len(names) > 1 && g.screen.Key.W > 0 && !g.neuronView() {
		kl := g.screen.KeyLabels
		first, last := names[0], names[len(names)-1]
		drawText(screen, ui.FitText(kl[0].W, size, "faint: "+first, first, short(first)), kl[0].X, kl[0].Y, size, g.th.Muted)
		right := ui.FitText(kl[1].W, size, "vivid: "+last, last, short(last))
		drawText(screen, right, kl[1].X+kl[1].W-ui.TextW(right, size), kl[1].Y, size, g.th.Muted)
	}
}

// drawBarLabels writes the buttons' labels.
func (g *Game) drawBarLabels(screen *ebiten.Image) {
	size, lh := g.th.Body, ui.LineH(g.th.Body)
	for _, b := range g.bar {
		drawText(screen, b.label, b.rect.X+g.th.Pad, b.rect.Y+(b.rect.H-lh)/2, size, g.th.Text)
	}
}

// drawKey draws the trail brightness ramp: how bright a trail is at each
// stage, from the first (dim) to the last.
func (g *Game) drawKey(m *mesh) {
	r, n := g.screen.Key, len(g.pl.Stages())
	if r.W <= 0 || n < 2 || g.neuronView() {
		return
	}
	const steps = 32
	for s := range steps {
		f := float64(s) / (steps - 1)
		c := g.mixText(g.brightnessAt(f*float64(n-1), n))
		m.rect(float32(r.X+r.W*float64(s)/steps), float32(r.Y), float32(r.W/steps+0.5), float32(r.H), c)
	}
}

// mixText returns the text colour at brightness b: b of the way from the
// background to the text colour.
func (g *Game) mixText(b float64) rgba {
	bg, t := g.th.Background, g.th.Text
	mix := func(x, y uint8) float32 { return float32((float64(y) + (float64(x)-float64(y))*b) / 255) }
	return rgba{mix(t.R, bg.R), mix(t.G, bg.G), mix(t.B, bg.B), 1}
}

// drawTitle draws the view's title (titles) above the main plot.
func (g *Game) drawTitle(screen *ebiten.Image) {
	r := g.screen.Title
	drawText(screen, ui.FitText(r.W, g.th.Title, g.titles()...), r.X, r.Y, g.th.Title, g.th.Text)
}

// titles returns the title naming the model, view and current stage, from
// the longest form to the shortest (ui.Titles), once the view is laid out;
// a train view names its run while it trains. None before.
func (g *Game) titles() []string {
	names := g.pl.Stages()
	k := g.tl.Stage()
	if k >= len(names) {
		return nil
	}
	stage, detail := names[k], ""
	switch {
	case g.neuronView():
		stage = g.names().words(fmt.Sprintf("hidden layer %d", g.p.EffectiveLayer()))
	case g.still():
		stage = names[0] + " to " + names[len(names)-1]
		if g.p.View == "bundled" && g.pl.Bundles() != nil {
			detail = map[bool]string{false: "each class bundled", true: "all classes bundled together"}[g.bundleAll]
		}
	case g.trainView() && !g.laidOut():
		stage = "training" // the network the run trains, named while its stages come
	case !g.laidOut():
		return nil
	}
	if g.trainView() {
		detail = g.trainDetail()
	}
	return ui.Titles(g.names().model(g.p.Model), g.p.View, stage, detail)
}

// short abbreviates a stage name for a narrow strip: "layer 2" → "L2".
func short(name string) string {
	f := strings.Fields(name)
	if len(f) != 2 {
		return name
	}
	return strings.ToUpper(f[0][:1]) + f[1]
}

// drawCard draws the hovered (or else followed) digit, its label and prediction.
func (g *Game) drawCard(screen *ebiten.Image) {
	i := g.hover
	if i < 0 {
		i = g.follow
	}
	px := g.pl.Image(i)
	heads := g.sc.heads(g.animating())
	if i < 0 || heads == nil {
		return
	}
	size, pad := g.th.Body, g.th.Pad
	scale := max(3, math.Round(size/5))
	w := max(28*scale, ui.TextW("predicted "+g.names().longest(), size)) + 2*pad
	h := 28*scale + 2*pad + 2*ui.LineH(size) + pad
	x := min(heads[2*i]+12, g.screen.Main.X+g.screen.Main.W-w)
	y := min(heads[2*i+1]+12, g.screen.Main.Y+g.screen.Main.H-h)
	m := g.mesh(screen)
	fill(m, ui.Rect{X: x, Y: y, W: w, H: h}, g.col(g.th.Card))
	outline(m, ui.Rect{X: x, Y: y, W: w, H: h}, g.shade(g.pl.Labels()[i], 1, 1))
	m.done()
	if px != nil {
		op := &ebiten.DrawImageOptions{}
		op.GeoM.Scale(scale, scale)
		op.GeoM.Translate(x+pad, y+pad)
		screen.DrawImage(g.digits.get(i, px), op)
	}
	text := fmt.Sprintf("#%d true %s", i, g.names().class(int(g.pl.Labels()[i])))
	if pred := g.pl.Predicted(g.tl.Stage()); pred != nil {
		text += "\npredicted " + g.names().class(int(pred[i]))
	}
	drawText(screen, text, x+pad, y+28*scale+2*pad, size, g.th.Text)
}

// digitCache holds the image of the last digit shown on a card.
type digitCache struct {
	i   int
	img *ebiten.Image
}

func (d *digitCache) get(i int, px []uint8) *ebiten.Image {
	if d.img == nil {
		d.img = ebiten.NewImage(28, 28)
		d.i = -1
	}
	if d.i != i {
		rgba := make([]byte, 4*len(px))
		for j, v := range px {
			rgba[4*j], rgba[4*j+1], rgba[4*j+2], rgba[4*j+3] = v, v, v, 0xff
		}
		d.img.WritePixels(rgba)
		d.i = i
	}
	return d.img
}

// drawProgress draws the progress bar and the phase over the main canvas.
func (g *Game) drawProgress(screen *ebiten.Image, st State) {
	r := g.screen.Main
	size := g.th.Body
	bar := ui.Rect{X: r.X + r.W*0.1, Y: r.Y + r.H - 2*ui.LineH(size) - g.th.Pad, W: r.W * 0.8, H: size / 2}
	m := g.mesh(screen)
	fill(m, bar, g.col(g.th.Panel))
	fill(m, ui.Rect{X: bar.X, Y: bar.Y, W: bar.W * st.Progress, H: bar.H}, g.col(g.th.Accent))
	m.done()
	drawText(screen, fmt.Sprintf("%s  %.0f%%", st.Phase, 100*st.Progress), bar.X, bar.Y+bar.H+g.th.Pad/2, size, g.th.Text)
}

// drawError draws msg in a box across the middle of the screen.
func (g *Game) drawError(screen *ebiten.Image, msg string) {
	if g.quietErrors {
		return
	}
	b := screen.Bounds()
	th := g.th.Sized(float64(b.Dx()), float64(b.Dy()), g.th.Scale)
	size, pad := th.Body, th.Pad
	cols := max(int((float64(b.Dx())-4*pad)/ui.TextW("n", size)), 10)
	lines := ui.Wrap("annvis: "+msg, cols)
	h := float64(len(lines))*ui.LineH(size) + 2*pad
	r := ui.Rect{X: pad, Y: float64(b.Dy())/2 - h/2, W: float64(b.Dx()) - 2*pad, H: h}
	m := g.mesh(screen)
	fill(m, r, g.col(th.Error))
	m.done()
	drawText(screen, strings.Join(lines, "\n"), r.X+pad, r.Y+pad, size, th.Text)
}

// shownCount returns how many digits belong to shown classes.
func (g *Game) shownCount() int {
	n := 0
	for _, c := range g.pl.Labels() {
		if g.p.Classes[c] {
			n++
		}
	}
	return n
}
