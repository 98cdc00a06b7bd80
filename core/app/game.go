// Package app is the annvis game, shared by the web page (wasm/) and the
// desktop app (cmd/annvis): it draws what a Source (a pipeline on its own
// goroutine, or the page's Web Workers) has computed so far, animates every digit's trail from stage to stage, and handles
// mouse, keyboard and touch. Update changes state, Draw only draws; the
// rules live in the Ebiten-free packages anim, palette and ui.
package app

import (
	"errors"
	"math"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app/anim"
	"annvis/core/app/theme"
	"annvis/core/app/ui"
	"annvis/core/params"
	"annvis/core/viewstate"
)

// Game is the annvis ebiten.Game.
type Game struct {
	p    params.Params
	open Opener

	// The network the last train view left trained, as a checkpoint file,
	// and its model ("mlp" or "cnn"): the other views of that model show it
	// (OpenTrained).
	trained       []byte
	trainedModel  string
	trainedHidden int // its hidden layers
	openTrained   TrainedOpener
	pl            Source
	err           error       // set by NewError: the game only shows it
	th            theme.Theme // colours, type sizes and spacing, sized for the screen

	w, h       int        // size the screen is arranged for
	stages     int        // stages the screen is arranged for
	pageCorner [2]float64 // CSS pixels kept free for the page's buttons (ReserveCorner)
	menu       bool       // the phone's collapsed controls are open
	outW, outH int        // screen size in device pixels, from Layout or LayoutF
	scale      float64    // device pixels per CSS pixel
	screen     ui.Screen
	layout     ui.Layout // what screen was arranged for
	bar        []button
	canPlay    bool // the bar has the play controls and the timeline shows (playable)
	canPause   bool // the bar has the train view's pause button (trainPausable)
	tl         anim.Timeline
	sc         scene
	in         pointer

	hover, follow int // digit under the pointer and followed digit, or -1
	frame         int // animated frames so far
	pointsDrawn   int
	painted       int // frames drawn onto the screen (Draw calls less those skipped unchanged)
	digits        digitCache
	backdrop      cached // what changes only with layouts, parameters or segment
	bundleAll     bool   // bundled view: all classes bundled together
	neurons       neuronScene
	meshes        meshBuffers               // the buffers of the meshes it draws with, reused (mesh)
	thumbMeshes   meshBuffers               // those of the thumbnails' meshes, drawn while the backdrop's is
	thumbs        []thumbImage              // per stage, its thumbnail (drawThumbs)
	help          bool                      // the keys are shown
	onTrained     func(b []byte, err error) // called with the trained checkpoint (OnTrained)
	saved         bool                      // onTrained was called
	pair          *pair                     // the compare view's two sides, or nil
	side          bool                      // a side of the compare view: the outer game owns the parameters
	noPointer     bool                      // mouse and touch are ignored (IgnorePointer)
	figure        bool                      // draw the figure only, no controls (ShowFigureOnly)
	quietErrors   bool                      // the host shows errors (ShowErrorsElsewhere)
	origin        [2]float64                // where a side's screen starts in the window
	sideLayout    ui.Layout                 // a side's Slots and Corner (device pixels), set by the outer game
	data          dataNames                 // the user's data shown (SetData), or none
	skip          bool                      // Draw skips unchanged frames (SkipUnchangedFrames)
	timeHeld      bool                      // the next update moves no time (HoldTime)
	drawn         *frameKey                 // the last frame drawn, when skip
}

// State is what the game shows, for the page and the tests.
type State struct {
	View, Model   string
	Stage, Stages int     // current stage of the animation and their count
	Drawn         int     // stages drawn: 0…Drawn-1 have a layout on screen (Stages counts those planned or joined)
	Frame         int     // animation frames since the first animated frame (0 until then)
	Progress      float64 // 0..1 of everything the view computes or fetches
	Phase         string  // e.g. "fetching mlp-e20.zst", "t-SNE layer 2/4", "ready"
	Error         string  // "" or the message shown to the user
	ErrorKind     string  // "address" (a rejected parameter), "asset" (a file failed to load), "data" (the user's data) or "view"
	PointsDrawn   int     // points drawn in the last frame
	Painted       int     // frames drawn onto the screen: fewer than Draw calls when unchanged ones are skipped (SkipUnchangedFrames)
	Query         string  // params.Encode() of the current state, for the URL
	Precomputed   bool    // the layouts came from the shipped precomputed asset
	Epoch         int     // train view: epochs trained
	Batches       int     // train view: mini-batches trained
	Accuracy      float64 // train view: test accuracy of the latest stage, -1 before the first
	Paused        bool    // train view: the training is paused
	TrainSeconds  float64 // train view: time spent training when the latest stage was evaluated (Training.Seconds)
}

// New returns the game showing the view p describes, whose layouts come
// from the sources open starts: pipelines on their own goroutines (the
// desktop) or in Web Workers (the page). It never blocks.
func New(p params.Params, open Opener) *Game {
	ebiten.SetScreenClearedEveryFrame(false) // Draw fills the whole screen
	return newGame(p, open)
}

func newGame(p params.Params, open Opener) *Game {
	g := &Game{open: open, th: theme.Dark()}
	g.SetParams(p)
	return g
}

// NewError returns a game that only shows err.
func NewError(err error) *Game {
	return &Game{err: err, hover: -1, follow: -1, th: theme.Dark()}
}

// SetParams switches the game to the view p describes (for instance from
// the page's controls), restarting the pipeline only when the layouts
// change: classes, speed and embed mode apply at once.
func (g *Game) SetParams(p params.Params) {
	if p.Model == "both" && p.View != "compare" {
		p.Model = "mlp" // both networks only side by side
	}
	old := g.p
	g.p = p
	g.tl.Speed, g.tl.Hold, g.tl.Transition = p.Speed, p.Hold, p.Transition
	g.bar = nil
	if th, err := theme.Named(p.Theme); err == nil {
		g.th = th // sized for the screen by the next arrange
	}
	if g.err != nil {
		return
	}
	if p.View == "compare" {
		g.setPair(p)
		return
	}
	if g.pair != nil {
		g.pair.close()
		g.pair = nil
	}
	if g.pl != nil && sameLayouts(old, p) {
		return
	}
	g.keepTrained(old)
	g.Close()
	g.pl = g.openView(p)
	g.pl.SetBundleAll(g.bundleAll)
	g.neurons = neuronScene{hover: [2]int{-1, -1}}
	g.tl = anim.Timeline{Playing: true, Speed: p.Speed, Hold: p.Hold, Transition: p.Transition}
	g.sc, g.drawn = scene{}, nil
	g.hover, g.follow, g.frame = -1, -1, 0
}

// sameLayouts reports whether a and b share their projections.
func sameLayouts(a, b params.Params) bool {
	a.Classes, a.Speed, a.Embed, a.Class = b.Classes, b.Speed, b.Embed, b.Class
	a.Hold, a.Transition = b.Hold, b.Transition
	a.Theme, a.Scale = b.Theme, b.Scale
	return a == b
}

// Layout makes the game's screen the window's size, one pixel per window
// pixel (Ebiten calls LayoutF instead).
func (g *Game) Layout(w, h int) (int, int) {
	g.resize(w, h, 1)
	return g.outW, g.outH
}

// LayoutF makes the game's screen the window's size in device pixels, so
// that text, points and trails are sharp on high-density screens: the
// device scale factor, or the scale parameter when that is larger (sharp
// PNG and GIF exports from any screen).
func (g *Game) LayoutF(w, h float64) (float64, float64) {
	s := max(ebiten.Monitor().DeviceScaleFactor(), float64(g.p.Scale), 1)
	g.resize(int(math.Ceil(w*s)), int(math.Ceil(h*s)), s)
	return float64(g.outW), float64(g.outH)
}

// resize sets the screen to w×h device pixels at scale device pixels per
// CSS pixel.
func (g *Game) resize(w, h int, scale float64) {
	g.outW, g.outH = max(w, 1), max(h, 1)
	if scale != g.scale {
		g.scale, g.bar = scale, nil // arrange again
	}
}

// Update advances the game by one tick.
func (g *Game) Update() error {
	held := g.timeHeld
	g.timeHeld = false
	if g.err != nil {
		return nil
	}
	if g.pair != nil {
		return g.updatePair(held)
	}
	g.arrange()
	g.input() // may switch the view
	if g.pair != nil {
		return nil
	}
	g.checkTrained()
	g.arrange() // for a new view, and the stages are known once the manifest has arrived
	g.sc.refresh(g.pl, g.screen, g.still())
	if g.neuronView() {
		g.refreshNeurons()
	}
	g.animate(held)
	return nil
}

// HoldTime makes the game's next update move no time: it reads the input
// and the new layouts, but the animation stays where it is. A page that
// runs frames on demand holds time in the updates its input events force
// between two ticks of its clock (anim.Pacer).
func (g *Game) HoldTime() { g.timeHeld = true }

// Moving reports whether the picture changes with time alone: the next
// update moves the animation on even without new layouts or input. A page
// that runs frames on demand schedules the next one while it does.
func (g *Game) Moving() bool {
	if g.err != nil {
		return false
	}
	if g.pair != nil {
		return g.pair.sides[0].Moving() || g.pair.sides[1].Moving()
	}
	return g.pl != nil && g.animating() && g.tl.Playing && g.tl.Stages >= 2
}

// arrange recomputes the screen geometry when the window or view changed.
func (g *Game) arrange() {
	w, h := g.outW, g.outH
	if w == 0 {
		w, h = 640, 480
	}
	stages := len(g.pl.Stages())
	if w == g.w && h == g.h && g.stages == stages && g.bar != nil && g.canPlay == g.playable() && g.canPause == g.trainPausable() {
		return
	}
	g.w, g.h, g.stages = w, h, stages
	if !g.side { // a side of the compare view has the window's theme
		g.th = g.th.Sized(float64(w), float64(h), g.scale)
	}
	g.layoutBar(stages)
	g.sc.dirty = true
}

// layoutBar arranges the screen with room for the buttons, wrapped into as
// many rows as the width needs.
func (g *Game) layoutBar(stages int) {
	g.canPlay = g.playable()
	g.canPause = g.trainPausable()
	g.bar = g.buttons()
	labels := make([]string, len(g.bar))
	for i, b := range g.bar {
		labels[i] = b.label
	}
	l := ui.Layout{
		BarRows:   ui.Rows(g.th, labels, float64(g.w)-2*g.th.Pad),
		Figure:    g.figure,
		LegendRow: g.pair != nil,
		NoLegend:  g.side,
		Classes:   g.Classes(),
		Name:      g.names().longest(),
	}
	if c := g.corner(); c[0] > 0 {
		l.Corner = [2]float64{c[0] * g.th.Scale, c[1] * g.th.Scale}
	}
	if g.side {
		l.Slots, l.Corner = g.sideLayout.Slots, g.sideLayout.Corner
	}
	switch {
	case g.pair != nil:
		l.Caption = g.names().words(ui.Caption("compare", nil, 0, 0)) // once, under both sides
	case g.pl != nil:
		if !g.side {
			l.Caption = g.names().about(ui.Caption(g.p.View, g.pl.Stages(), g.p.EffectiveLayer(), g.p.Class), g.p.Class)
		}
		if g.neuronView() && g.p.Proj == "mds" {
			l.Caption += " " + ui.StressNote
		}
		if g.neuronView() {
			l.Panels, l.Key = stages, true
		} else {
			l.Stages = stages
		}
		l.Curves = g.trainView()
	}
	g.layout = l
	g.screen = ui.Arrange(g.th, float64(g.w), float64(g.h), l)
	for i, r := range ui.Row(g.th, labels, g.screen.Bar) {
		g.bar[i].rect = r
	}
}

// animate moves the play head once every stage has its final layout,
// unless time is held.
func (g *Game) animate(held bool) {
	g.tl.Stages = len(g.pl.Stages())
	if g.still() || g.neuronView() {
		if g.complete() {
			g.tl.Pos = float64(g.tl.Stages - 1)
			g.frame++
		}
		return
	}
	if !g.animating() || held {
		return
	}
	g.tl.Advance(1 / float64(ebiten.TPS()))
	g.frame++
	g.sc.interpolate(&g.tl)
}

// playable reports whether the play, step and speed controls and the
// timeline have something to act on: a view that moves from stage to
// stage, unless it failed (State's Error) before it could animate two
// stages or more. Still and neuron views, and a failed game, have none.
func (g *Game) playable() bool {
	switch {
	case g.err != nil, g.still(), g.neuronView():
		return false
	case g.pair != nil:
		return g.pair.sides[0].playable() || g.pair.sides[1].playable()
	case g.pl == nil || g.pl.Status().Err == nil:
		return true
	}
	return g.animating() && len(g.pl.Stages()) > 1
}

// laidOut reports whether every stage has its final layout.
func (g *Game) laidOut() bool {
	st := g.pl.Status()
	return g.sc.ready == len(g.pl.Stages()) && g.sc.ready > 0 && (st.Done || st.Precomputed)
}

// animating reports whether the trails animate from stage to stage.
func (g *Game) animating() bool { return !g.still() && g.laidOut() }

// complete reports whether the view shows its final picture.
func (g *Game) complete() bool {
	switch {
	case g.p.View == "bundled":
		return g.laidOut() && g.pl.Bundles() != nil
	case g.neuronView():
		return g.pl.Status().Done
	}
	return g.laidOut()
}

// State returns what the game shows now.
func (g *Game) State() State {
	if g.err != nil {
		return State{Error: g.err.Error(), ErrorKind: errorKind(g.err), Phase: "error"}
	}
	if g.pair != nil {
		return g.pairState()
	}
	st := g.pl.Status()
	s := State{
		View: g.p.View, Model: g.p.Model,
		Stage: g.tl.Stage(), Stages: len(g.pl.Stages()), Drawn: g.sc.ready,
		Frame: g.frame, Progress: st.Progress, Phase: st.Phase,
		PointsDrawn: g.pointsDrawn, Painted: g.painted, Query: g.p.Encode(), Precomputed: st.Precomputed,
	}
	if st.Err != nil {
		s.Error, s.ErrorKind = st.Err.Error(), errorKind(st.Err)
	}
	if g.trainView() {
		s.Epoch, s.Batches, s.Accuracy, s.Paused, s.TrainSeconds = g.trainState()
	}
	return s
}

// errorKind tells a host what err is about, so that it can say what to do.
func errorKind(err error) string {
	var pe *params.Error
	var ae *viewstate.AssetError
	switch {
	case errors.As(err, &pe):
		return "address"
	case errors.As(err, &ae):
		return "asset"
	case strings.HasPrefix(err.Error(), "userdata: "): // also from a worker, as text
		return "data"
	}
	return "view"
}

// ShowErrorsElsewhere makes the game draw no error banner of its own: the
// host (the web page) shows the State's Error in its own panel, once.
func (g *Game) ShowErrorsElsewhere() { g.quietErrors = true }

// Recording plans a GIF of one pass through the animation at its pace,
// the game updated tps times a second: frames frames (0: as many as
// anim.RecordFPS per second), stride updates apart, each shown delay
// hundredths of a second (see anim.Timeline.Recording). A view that does
// not animate (trace, bundled, neurons, map) records one frame.
func (g *Game) Recording(frames, tps int) (n, stride, delay int) {
	if g.pair == nil && (g.still() || g.neuronView()) {
		return 1, 1, 100 // a still picture: one frame
	}
	tl := g.tl
	if g.pair != nil {
		tl = g.pair.sides[0].tl
	}
	tl.Stages = max(tl.Stages, g.State().Stages)
	return tl.Recording(frames, tps)
}

// Close stops the computation of the view shown, if any: for a game that
// is no longer shown.
func (g *Game) Close() {
	if g.pair != nil {
		g.pair.close()
	}
	if g.pl != nil {
		g.pl.Close()
	}
}

// Reopen restarts the view shown from a new source, for an Opener whose
// data changed (the page's "your data" control).
func (g *Game) Reopen() {
	g.Close()
	g.pl, g.pair = nil, nil // a compare view's sides too: kept, they would keep their closed sources
	g.SetParams(g.p)
}

// Pause stops (true) or resumes (false) the computation of the view shown.
func (g *Game) Pause(paused bool) {
	if g.pair != nil {
		for _, s := range g.pair.sides {
			s.Pause(paused)
		}
	}
	if g.pl != nil {
		g.pl.Pause(paused)
	}
}

// IgnorePointer makes the game ignore the mouse and touch from now on, so
// that a recording does not depend on where the pointer happens to rest.
// The keyboard still works.
func (g *Game) IgnorePointer() {
	g.noPointer = true
	if g.pair != nil {
		for _, s := range g.pair.sides {
			s.noPointer = true
		}
	}
}

// Rewind moves the play head to the first stage and plays, for a recording
// of one whole pass.
func (g *Game) Rewind() {
	rewind := func(s *Game) {
		s.tl.Pos = 0
		s.tl.Step(0) // rests on the first stage from the start
		s.tl.Playing = true
	}
	rewind(g)
	if g.pair != nil {
		for _, s := range g.pair.sides {
			rewind(s)
		}
	}
}

// ShowFigureOnly makes the game draw the figure without its controls (on),
// as recordings and exports need it: no buttons and no timeline, but the
// title, caption, legend, key and thumbnails; or with them again (off).
func (g *Game) ShowFigureOnly(on bool) {
	g.figure, g.bar = on, nil
	if g.pair != nil {
		for _, s := range g.pair.sides {
			s.figure = on
		}
	}
}

// ReserveCorner keeps w×h CSS pixels at the bottom right of the screen free
// of the game's controls and text, for the web page's own buttons (the page
// measures them); embed mode and figures, which hide them, ignore it.
func (g *Game) ReserveCorner(w, h float64) {
	if c := [2]float64{w, h}; c != g.pageCorner {
		g.pageCorner, g.bar = c, nil
	}
}

// corner returns the corner to keep free, in CSS pixels (see ReserveCorner).
func (g *Game) corner() [2]float64 {
	if g.p.Embed || g.figure {
		return [2]float64{}
	}
	return g.pageCorner
}

// Arrangement is the screen layout the game drew its last frame with, for
// the page to publish and for tests to recompute with ui.Arrange.
type Arrangement struct {
	W, H    float64   // screen size in device pixels
	Scale   float64   // device pixels per CSS pixel
	Theme   string    // name of the theme (its sizes follow W, H and Scale)
	Buttons []string  // the bar's labels, laid out by ui.Row in Screen.Bar
	Layout  ui.Layout // what ui.Arrange was given
	Screen  ui.Screen // what it returned
}

// Arrangement returns the current screen layout.
func (g *Game) Arrangement() Arrangement {
	a := Arrangement{W: float64(g.w), H: float64(g.h), Scale: g.th.Scale, Theme: g.th.Name,
		Layout: g.layout, Screen: g.screen}
	for _, b := range g.bar {
		a.Buttons = append(a.Buttons, b.label)
	}
	return a
}
