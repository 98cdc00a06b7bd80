package app

import (
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"annvis/core/app/ui"
	"annvis/core/params"
)

// pointer is the mouse or the first touch, whichever is active.
type pointer struct {
	x, y     float64
	down     bool // held
	pressed  bool // pressed this tick
	touch    ebiten.TouchID
	touching bool
	scrub    bool // the press began on the timeline
}

// read updates the pointer from this tick's mouse and touch input; a still
// pointer stays outside the screen, unpressed.
func (p *pointer) read(still bool) {
	if still {
		*p = pointer{x: -1, y: -1}
		return
	}
	if ids := inpututil.AppendJustPressedTouchIDs(nil); len(ids) > 0 {
		p.touch, p.touching = ids[0], true
	}
	if p.touching {
		if inpututil.IsTouchJustReleased(p.touch) {
			p.touching, p.down, p.pressed = false, false, false
			return
		}
		x, y := ebiten.TouchPosition(p.touch)
		p.x, p.y = float64(x), float64(y)
		p.pressed = inpututil.TouchPressDuration(p.touch) == 1
		p.down = true
		return
	}
	x, y := ebiten.CursorPosition()
	p.x, p.y = float64(x), float64(y)
	p.pressed = inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft)
	p.down = ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft)
}

// input applies this tick's keyboard, mouse and touch input.
func (g *Game) input() {
	g.keys()
	g.in.read(g.noPointer)
	in := &g.in
	in.x, in.y = in.x-g.origin[0], in.y-g.origin[1]
	if in.pressed {
		in.scrub = g.canPlay && g.screen.Timeline.Contains(in.x, in.y)
		if !in.scrub {
			g.click(in.x, in.y)
		}
	}
	if in.scrub && in.down {
		r := g.screen.Timeline
		g.tl.Scrub((in.x - r.X) / r.W)
		g.tl.Playing = false
	}
	if !in.down {
		in.scrub = false
	}
	g.hover = -1
	if g.neuronView() {
		g.hoverNeuron(in.x, in.y)
	} else if g.screen.Main.Contains(in.x, in.y) {
		g.hover = ui.Nearest(g.sc.heads(g.animating()), in.x, in.y, 6, g.shown)
	}
}

// shown reports whether digit i's class is switched on.
func (g *Game) shown(i int) bool {
	l := g.pl.Labels()
	return i < len(l) && g.p.Classes[l[i]]
}

// keys applies the keyboard shortcuts.
func (g *Game) keys() {
	for _, k := range inpututil.AppendJustPressedKeys(nil) {
		if g.side && sharedKey(k) {
			continue // the compare view's outer game handles it
		}
		switch {
		case k == ebiten.KeySpace:
			g.tl.Playing = !g.tl.Playing
		case k == ebiten.KeyArrowRight:
			g.tl.Step(1)
		case k == ebiten.KeyArrowLeft:
			g.tl.Step(-1)
		case k >= ebiten.KeyDigit0 && k <= ebiten.KeyDigit9:
			g.toggleClass(int(k - ebiten.KeyDigit0))
		case k >= ebiten.KeyNumpad0 && k <= ebiten.KeyNumpad9:
			g.toggleClass(int(k - ebiten.KeyNumpad0))
		case k == ebiten.KeyM:
			g.cycle(func(p *params.Params) { p.Model = next(p.Model, []string{"mlp", "cnn"}) })
		case k == ebiten.KeyV:
			g.cycle(func(p *params.Params) {
				p.View = next(p.View, []string{"layers", "epochs", "trace", "bundled", "neurons", "map", "compare"})
			})
		case k == ebiten.KeyB && g.p.View == "bundled":
			g.toggleBundling()
		case k == ebiten.KeyBracketRight:
			g.layer(1)
		case k == ebiten.KeyBracketLeft:
			g.layer(-1)
		case k == ebiten.KeyEqual || k == ebiten.KeyNumpadAdd:
			g.speed(2)
		case k == ebiten.KeyMinus || k == ebiten.KeyNumpadSubtract:
			g.speed(0.5)
		case k == ebiten.KeyEscape:
			g.follow, g.help = -1, false
		case k == ebiten.KeyH || k == ebiten.KeySlash:
			g.help = !g.help
		case k == ebiten.KeyT && g.trainView():
			g.pauseTraining()
		case k == ebiten.KeyR && g.trainView():
			g.restart()
		}
	}
}

// sharedKey reports whether key k changes parameters rather than one side.
func sharedKey(k ebiten.Key) bool {
	switch {
	case k >= ebiten.KeyDigit0 && k <= ebiten.KeyDigit9, k >= ebiten.KeyNumpad0 && k <= ebiten.KeyNumpad9:
		return true
	}
	switch k {
	case ebiten.KeyM, ebiten.KeyV, ebiten.KeyBracketLeft, ebiten.KeyBracketRight,
		ebiten.KeyEqual, ebiten.KeyNumpadAdd, ebiten.KeyMinus, ebiten.KeyNumpadSubtract:
		return true
	}
	return false
}

// next returns the element after v in vs, cyclically.
func next(v string, vs []string) string {
	for i, w := range vs {
		if w == v {
			return vs[(i+1)%len(vs)]
		}
	}
	return vs[0]
}

// cycle applies edit to the parameters if the result is valid. A switch to
// a network or view with fewer hidden layers than the layer shown goes to
// its deepest one (the MLP's layer 3 → the CNN's layer 2), rather than
// being refused.
func (g *Game) cycle(edit func(p *params.Params)) {
	p := g.p
	edit(&p)
	if h := p.Hidden(); h > 0 && p.Layer > h {
		p.Layer = h
	}
	if g.validate(p) == nil {
		g.SetParams(p)
	}
}

// toggleClass shows or hides class c, keeping at least one class shown;
// the neurons view colours by class c instead.
func (g *Game) toggleClass(c int) {
	if g.p.View == "neurons" {
		g.cycle(func(p *params.Params) { p.Class = c })
		return
	}
	g.cycle(func(p *params.Params) { p.ToggleClass(c, g.Classes()) })
}

// layer moves the epochs and neuron views to the next or previous hidden
// layer; the trace and bundled views cycle through all layers (layer 0: the
// sequence of layers) and each layer's sequence of epochs.
func (g *Game) layer(delta int) {
	switch {
	case g.p.View == "trace":
		g.cycle(func(p *params.Params) {
			n := g.hidden(p.Model) + 1
			p.Layer = (p.Layer + delta + n) % n
		})
	case g.p.View == "epochs" || g.p.View == "bundled" || g.neuronView():
		g.cycle(func(p *params.Params) {
			n := g.hidden(p.Model)
			p.Layer = (p.EffectiveLayer()-1+delta+n)%n + 1
		})
	}
}

// layerLabel names the layer button: the layer shown, or for the trace and
// bundled views which sequence they show.
func (g *Game) layerLabel() string {
	switch {
	case g.p.View == "trace" && g.p.Layer == 0:
		return "all layers >"
	case g.still():
		return "layer " + strconv.Itoa(g.p.EffectiveLayer()) + " epochs >"
	}
	return "layer " + strconv.Itoa(g.p.EffectiveLayer()) + " >"
}

// speed multiplies the animation speed by f within the allowed range.
func (g *Game) speed(f float64) {
	g.cycle(func(p *params.Params) {
		p.Speed = min(max(p.Speed*f, params.MinSpeed), params.MaxSpeed)
	})
}

// click handles a press at (x, y) outside the timeline.
func (g *Game) click(x, y float64) {
	if i := ui.Hit(buttonRects(g.bar), x, y); i >= 0 {
		g.bar[i].do(g)
		return
	}
	if c := ui.Hit(g.screen.Legend[:], x, y); c >= 0 && !g.side {
		g.toggleClass(c)
		return
	}
	if k := ui.Hit(g.screen.Thumbs, x, y); k >= 0 {
		g.tl.Pos, g.tl.Playing = float64(k), false
		return
	}
	if g.screen.Main.Contains(x, y) {
		g.follow = ui.Nearest(g.sc.heads(g.animating()), x, y, 8, g.shown)
	}
}

// button is an on-canvas control.
type button struct {
	label string
	rect  ui.Rect
	on    bool // highlighted: the current choice
	do    func(g *Game)
}

func buttonRects(bs []button) []ui.Rect {
	rs := make([]ui.Rect, len(bs))
	for i, b := range bs {
		rs[i] = b.rect
	}
	return rs
}

// buttons returns the bar's controls for the current parameters, without
// their places (see layoutBar).
func (g *Game) buttons() []button {
	play := []button{
		{label: "play/pause", do: func(g *Game) { g.tl.Playing = !g.tl.Playing }},
		{label: "<", do: func(g *Game) { g.tl.Step(-1) }},
		{label: ">", do: func(g *Game) { g.tl.Step(1) }},
	}
	if !g.playable() {
		play = nil // nothing to play, step or speed up
	}
	switch {
	case g.figure || g.side:
		return []button{}
	case g.p.Embed:
		// An embed keeps only what plays the animation: small, at the top.
		return append([]button{}, play...)
	}
	help := button{label: "?", do: func(g *Game) { g.help = !g.help }}
	if g.compact() && !g.menu {
		menu := button{label: "menu", do: func(g *Game) { g.menu, g.bar = true, nil }}
		return append(append([]button{menu}, play...), help)
	}
	set := func(edit func(p *params.Params)) func(g *Game) {
		return func(g *Game) { g.cycle(edit) }
	}
	bs := []button{
		{label: "MLP", on: g.p.Model == "mlp", do: set(func(p *params.Params) { p.Model = "mlp" })},
		{label: "CNN", on: g.p.Model == "cnn", do: set(func(p *params.Params) { p.Model = "cnn" })},
		{label: "layers", on: g.p.View == "layers", do: set(func(p *params.Params) { p.View = "layers" })},
		{label: "epochs", on: g.p.View == "epochs", do: set(func(p *params.Params) { p.View = "epochs" })},
		{label: "trace", on: g.p.View == "trace", do: set(func(p *params.Params) { p.View = "trace" })},
		{label: "bundled", on: g.p.View == "bundled", do: set(func(p *params.Params) { p.View = "bundled" })},
	}
	if g.p.View == "bundled" {
		label := map[bool]string{false: "each class", true: "all classes"}[g.bundleAll]
		bs = append(bs, button{label: label, do: func(g *Game) { g.toggleBundling() }})
	}
	bs = append(bs,
		button{label: "neurons", on: g.p.View == "neurons", do: set(func(p *params.Params) { p.View = "neurons" })},
		button{label: "map", on: g.p.View == "map", do: set(func(p *params.Params) { p.View = "map" })},
		button{label: "compare", on: g.p.View == "compare", do: set(func(p *params.Params) { p.View = "compare" })},
		button{label: "train", on: g.trainView(), do: set(func(p *params.Params) { p.View = "train" })},
	)
	if g.trainView() && g.pl != nil {
		bs = append(bs, g.trainButtons()...)
	}
	if g.p.View == "epochs" || g.neuronView() || g.still() {
		bs = append(bs, button{label: g.layerLabel(), do: func(g *Game) { g.layer(1) }})
	}
	bs = append(bs, play...)
	if play != nil {
		bs = append(bs,
			button{label: "slower", do: func(g *Game) { g.speed(0.5) }},
			button{label: "faster", do: func(g *Game) { g.speed(2) }})
	}
	bs = append(bs, help)
	if g.compact() {
		bs = append(bs, button{label: "close menu", do: func(g *Game) { g.menu, g.bar = false, nil }})
	}
	return bs
}

// compact reports whether the screen is phone-sized (under 600 CSS pixels
// wide): the bar then shows a menu button and the playing controls, and
// the other buttons only while the menu is open.
func (g *Game) compact() bool { return float64(g.w) < 600*g.th.Scale }
