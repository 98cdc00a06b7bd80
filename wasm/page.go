//go:build js && wasm

package main

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app"
	"annvis/core/app/anim"
	"annvis/core/params"
)

// page wraps the app's game: after each update it publishes the game's state
// to window.annvis, lets the page redraw its progress bar and error panel
// when the state changed, and keeps the URL on the current view.
type page struct {
	*app.Game
	annvis, render js.Value
	last           app.State
	started        bool             // the state was published once
	animated       bool             // the first animated frame was seen
	arranged       *app.Arrangement // the published screen layout, nil before
	rejected       bool             // the address was rejected or failed: leave it, the title and the form as they are
	digested       string           // the query whose layout digest was published
	draws          int              // frames drawn, published as window.annvis.draws
	ticks          int              // game updates, published as window.annvis.ticks
	zoom           zoom             // follows devicePixelRatio
	pace           anim.Pacer       // keeps the animation to the clock (see Update)
	corner         [2]float64       // the corner the page's buttons take, as last measured

	rec recorder // the page's PNG and GIF exports

	mu            sync.Mutex
	pending       *params.Params // asked for by the page's form, applied at the next update
	reopen        [][]string     // the user's data changed: each set's class names; restart the view at the next update
	classes       int            // the most classes of the user's data sets, 0 for MNIST's digits
	pendingExport string         // "png" or "gif" asked for by the page's buttons
	hidden        bool           // the page is out of view (setVisible)
	paused        bool           // the game is paused for it
}

// setVisible records whether the page is seen; the game pauses or resumes
// at once, so that a hidden tab, which gets no more frames, stops computing
// too.
func (p *page) setVisible(visible bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hidden = !visible
	p.pauseIfHidden()
	redraw()
}

// pauseIfHidden pauses or resumes the game's computation to match hidden;
// p.mu must be held.
func (p *page) pauseIfHidden() {
	if p.paused != p.hidden {
		p.paused = p.hidden
		p.Game.Pause(p.paused)
		p.annvis.Set("paused", p.paused)
	}
}

func newPage(g *app.Game) *page {
	w := js.Global()
	annvis := w.Get("annvis")
	if annvis.IsUndefined() {
		annvis = w.Get("Object").New()
		w.Set("annvis", annvis)
	}
	var render js.Value
	if pg := w.Get("annvisPage"); !pg.IsUndefined() {
		render = pg.Get("render").Call("bind", pg)
	}
	return &page{Game: g, annvis: annvis, render: render}
}

// request asks the game to switch to prm at its next update.
func (p *page) request(prm params.Params) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pending = &prm
	redraw()
}

// requestReopen asks the game to restart its view at its next update on the
// user's data sets of these class names (the sources now compute them).
func (p *page) requestReopen(classes [][]string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reopen = classes
	p.classes = 1
	for _, c := range classes {
		p.classes = max(p.classes, len(c))
	}
	redraw()
}

// parse reads a view's query as the page's form and address give it:
// its classes are MNIST's digits, or those of the user's data.
func (p *page) parse(q string) (params.Params, error) {
	p.mu.Lock()
	classes := p.classes
	p.mu.Unlock()
	if classes == 0 {
		return params.Parse(q)
	}
	return params.ParseClasses(q, classes)
}

// requestExport asks for a PNG or GIF export of the view, or (zst) the
// checkpoint of the network the train view trained.
func (p *page) requestExport(kind string) error {
	if kind != "png" && kind != "gif" && kind != "zst" {
		return fmt.Errorf("export: unknown kind %q (want png, gif or zst)", kind)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pendingExport = kind
	redraw()
	return nil
}

// redraw asks Ebiten for a frame: the page runs frames only on demand
// (FPSModeVsyncOffMinimum, set by main), when the reader's input, a
// worker's message or the page's controls change something, and while the
// picture moves. Ebiten presents every frame it runs until four in a row
// drew nothing new, and with a GPU emulated on the CPU each present costs
// the browser tens of milliseconds of CPU that the computing workers need.
// Ebiten runs no Update in a frame that comes before its clock's next tick
// is due: then Draw asks again (updateDue), until an Update ran.
func redraw() {
	updateDue.Store(true)
	ebiten.ScheduleFrame()
}

// updateDue reports whether redraw asked for a frame whose Update has not
// run yet.
var updateDue atomic.Bool

// Update applies the page's requests if any, runs the game's update,
// publishes its state and moves an export along.
func (p *page) Update() error {
	updateDue.Store(false)
	if p.rec.grab {
		return nil // Ebiten catches up on ticks: wait until Draw took the frame
	}
	p.mu.Lock()
	if p.pending != nil {
		p.Game.SetParams(*p.pending)
		p.pending = nil
		p.paused = false // a new view computes from the start
		p.pauseIfHidden()
	}
	if p.reopen != nil {
		p.Game.SetData(p.reopen...)
		p.Game.Reopen()
		p.reopen, p.paused = nil, false
		p.pauseIfHidden()
	}
	switch p.pendingExport {
	case "":
	case "zst":
		b, err := p.Game.Checkpoint()
		deliver("annvis-trained.zst", b, err)
	default:
		p.rec = recorder{kind: p.pendingExport, pix: p.rec.pix}
		p.rec.start(p.Game)
	}
	p.pendingExport = ""
	hidden := p.hidden && p.rec.kind == ""
	p.mu.Unlock()
	if hidden {
		return nil // out of view: no computing, no animation (an export finishes first)
	}
	p.zoom.follow()
	p.reserveCorner()
	if p.rec.kind == "" && !p.pace.Tick(now().Float()/1000, ebiten.TPS()) {
		p.Game.HoldTime() // an update an input event forced between two of the clock's
	}
	err := p.Game.Update()
	p.ticks++
	p.annvis.Set("ticks", p.ticks)
	s := p.Game.State()
	rendered := p.publish(s)
	p.publishDigest(s)
	if name, b, xerr := p.rec.update(p.Game, s, func() { p.Game.Update() }); name != "" {
		deliver(name, b, xerr)
	}
	if rendered && p.reserveCorner() {
		redraw() // the page's buttons moved: publish redrew them
	}
	return err
}

// Draw draws the game and grabs the frame an export asked for, and asks
// for the next frame while the picture moves or an export records it; out
// of view it draws nothing, and the screen keeps its last frame. Ebiten
// calls Draw in every frame it runs, but Update only as often as its
// clock's ticks fall due: none in a frame that comes early.
func (p *page) Draw(screen *ebiten.Image) {
	p.mu.Lock()
	hidden := p.hidden && p.rec.kind == ""
	p.mu.Unlock()
	if hidden {
		return
	}
	p.Game.Draw(screen)
	p.rec.draw(screen)
	p.draws++
	p.annvis.Set("draws", p.draws)
	if p.Game.Moving() || p.rec.kind != "" || updateDue.Load() {
		redraw()
	}
}

// publish writes s into window.annvis: the per-frame counters every frame,
// the rest (and a redraw of the page's overlays) only when it changed.
// readyAt, firstFrameAt and doneAt record performance.now() of the game's
// first update, its first animated frame and of reaching progress 1, and
// tps/fps Ebiten's measured rates, for the benchmarks. It reports whether
// it redrew the page's overlays.
func (p *page) publish(s app.State) (rendered bool) {
	a := p.annvis
	a.Set("frame", s.Frame)
	a.Set("stage", s.Stage)
	a.Set("pointsDrawn", s.PointsDrawn)
	a.Set("painted", s.Painted)
	a.Set("tps", ebiten.ActualTPS())
	a.Set("fps", ebiten.ActualFPS())
	p.publishLayout()
	if s.Drawn != p.last.Drawn {
		mark(fmt.Sprintf("%d stages drawn", s.Drawn))
	}
	if s.Frame > 0 && !p.animated {
		p.animated = true
		a.Set("firstFrameAt", now())
	}
	if p.started && s == withFrame(p.last, s) {
		p.last = s
		return false
	}
	if !p.started {
		a.Set("readyAt", now())
	}
	if s.Progress >= 1 && (p.last.Progress < 1 || !p.started) {
		a.Set("doneAt", now())
	}
	a.Set("ready", true)
	a.Set("view", s.View)
	a.Set("model", s.Model)
	a.Set("stages", s.Stages)
	a.Set("drawn", s.Drawn)
	a.Set("trainSeconds", s.TrainSeconds)
	a.Set("progress", s.Progress)
	a.Set("phase", s.Phase)
	a.Set("error", s.Error)
	a.Set("errorKind", s.ErrorKind)
	a.Set("precomputed", s.Precomputed)
	a.Set("epoch", s.Epoch)
	a.Set("batches", s.Batches)
	a.Set("accuracy", s.Accuracy)
	a.Set("trainingPaused", s.Paused)
	if (s.Query != p.last.Query || !p.started) && !p.rejected {
		p.setQuery(s.Query)
	}
	p.started, p.last = true, s
	if p.render.Type() != js.TypeFunction {
		return false
	}
	p.render.Invoke()
	return true
}

// publishDigest sets window.annvis.layoutDigest (app.Game.LayoutDigest)
// once the view is computed: "" until then.
func (p *page) publishDigest(s app.State) {
	if s.Query == p.digested && p.digested != "" {
		return
	}
	d := p.Game.LayoutDigest()
	p.annvis.Set("layoutDigest", d)
	if d != "" {
		p.digested = s.Query
	}
}

func now() js.Value { return js.Global().Get("performance").Call("now") }

// withFrame returns old with the per-frame fields of cur, so that comparing
// it with cur tells whether anything the page shows has changed.
func withFrame(old, cur app.State) app.State {
	old.Frame, old.Stage, old.PointsDrawn, old.Painted = cur.Frame, cur.Stage, cur.PointsDrawn, cur.Painted
	return old
}

// setQuery publishes the view's canonical query and its parameters, gives
// the page's own controls the view's theme, and puts the query in the
// address bar without adding a history entry.
func (p *page) setQuery(q string) {
	p.annvis.Set("query", q)
	if prm, err := p.parse(q); err == nil {
		p.annvis.Set("params", paramsObject(prm))
		js.Global().Get("document").Get("documentElement").Get("dataset").Set("theme", prm.Theme)
	}
	loc := js.Global().Get("location")
	path := loc.Get("pathname").String()
	url := path
	if q != "" {
		url += "?" + q
	}
	if url != path+loc.Get("search").String() {
		js.Global().Get("history").Call("replaceState", nil, "", url+loc.Get("hash").String())
	}
}

// keepAddress leaves the address, the tab's title and the form as the user
// gave them: the game failed before it had a view of its own to publish.
func (p *page) keepAddress() { p.rejected = true }

// rejectAddress keeps the rejected address search as the user typed it and
// publishes, as fixQuery, the same view without the keys params rejects.
func (p *page) rejectAddress(search string) {
	p.keepAddress()
	fixed, dropped := params.Repair(search)
	for i, k := range dropped {
		dropped[i] = params.Elide(k, 20)
	}
	p.annvis.Set("fixQuery", fixed)
	p.annvis.Set("fixDropped", strings.Join(dropped, ", "))
}

// publishError shows a fatal error of the page program in the error panel.
func publishError(msg string) {
	a := js.Global().Get("annvis")
	a.Set("error", msg)
	a.Set("phase", "failed")
	if pg := js.Global().Get("annvisPage"); !pg.IsUndefined() {
		pg.Call("render")
	}
}

// publishLayout writes the game's screen layout, as JSON, into
// window.annvis.layout when it changed (see app.Arrangement).
func (p *page) publishLayout() {
	a := p.Arrangement()
	if p.arranged != nil && reflect.DeepEqual(a, *p.arranged) {
		return
	}
	p.arranged = &a
	p.annvis.Set("layout", js.Global().Get("JSON").Call("stringify", jsValue(reflect.ValueOf(a))))
}

// jsValue returns v as the JS value of what encoding/json would encode it
// as, without linking it: a struct as an object of its exported fields, an
// array or slice as an array (a nil slice as null), a string, number or
// boolean as itself; other kinds (none in app.Arrangement) as null.
func jsValue(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Struct:
		o := js.Global().Get("Object").New()
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				o.Set(f.Name, jsValue(v.Field(i)))
			}
		}
		return o
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil
		}
		a := make([]any, v.Len())
		for i := range a {
			a[i] = jsValue(v.Index(i))
		}
		return a
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Float32, reflect.Float64:
		return v.Float()
	}
	return nil
}

// reserveCorner measures the page's buttons (#bar, at the bottom right) and
// has the game keep that corner free, with 4 CSS pixels to spare; hidden
// buttons (embed mode) need none. It reports whether the corner changed
// since it last measured it.
func (p *page) reserveCorner() bool {
	w := js.Global()
	var c [2]float64
	if bar := w.Get("document").Call("getElementById", "bar"); !bar.IsNull() && !bar.Get("hidden").Bool() {
		r := bar.Call("getBoundingClientRect")
		c[0] = math.Ceil(w.Get("innerWidth").Float() - r.Get("left").Float() + 4)
		c[1] = math.Ceil(w.Get("innerHeight").Float() - r.Get("top").Float() + 4)
	}
	p.Game.ReserveCorner(c[0], c[1])
	changed := c != p.corner
	p.corner = c
	return changed
}
