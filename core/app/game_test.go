//go:build !js

package app

import (
	"errors"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app/palette"
	"annvis/core/params"
	"annvis/core/pipeline"
	"annvis/core/pipeline/pipelinetest"
	"annvis/core/viewstate"
)

var testAssets = sync.OnceValues(func() (*pipelinetest.Assets, error) {
	return pipelinetest.Build(300, 3000, "mlp")
})

func newAssets(t *testing.T) *pipelinetest.Assets {
	t.Helper()
	a, err := testAssets()
	if err != nil {
		t.Fatal(err)
	}
	return a.Clone()
}

// background returns the Opener of pipelines on their own goroutines
// fetching through fetch, each asset once, as the desktop opens views.
func background(fetch pipeline.Fetcher) Opener {
	fetch = pipeline.Remember(fetch)
	return func(p params.Params) Source { return pipeline.Start(p, fetch) }
}

func small(view string) params.Params {
	p := params.Default()
	p.View, p.N, p.Perplexity = view, 150, 12
	return p
}

// updateUntil runs Update, as a frame loop would, until done reports true.
// It has no time limit of its own (how many Updates a view takes depends on
// the machine's speed and load): it gives up shortly before the test
// binary's deadline (go test -timeout), reporting the state it waited in.
func updateUntil(t *testing.T, g *Game, done func(State) bool) {
	t.Helper()
	deadline, limited := t.Deadline()
	for updates := 0; !done(g.State()); updates++ {
		if limited && time.Until(deadline) < reportMargin {
			t.Fatalf("not there after %d updates, at the test binary's deadline: %+v", updates, g.State())
		}
		if err := g.Update(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond) // as a frame loop waits for its next tick, while the pipeline computes
	}
}

// reportMargin is how long before the test binary's deadline updateUntil
// gives up, so that the test reports where it waited.
const reportMargin = 30 * time.Second

func TestGameAnimatesLayersView(t *testing.T) {
	a := newAssets(t)
	p := small("layers")
	g := New(p, background(a.Fetch))
	g.Layout(640, 480)
	if s := g.State(); s.Frame != 0 || s.Progress != 0 || s.Error != "" {
		t.Fatalf("initial state %+v", s)
	}
	updateUntil(t, g, func(s State) bool { return s.Frame > 0 })
	s := g.State()
	if s.Progress != 1 || s.Phase != "ready" || s.Stages != 4 || s.View != "layers" || s.Model != "mlp" ||
		s.Query != p.Encode() || s.Precomputed || s.Error != "" {
		t.Fatalf("state at the first animated frame: %+v", s)
	}
	// At the default pace and 60 ticks per second the play head rests 1 s
	// on each stage and takes 1.5 s to the next: it reaches the last stage
	// after 8.5 s and rests there, frame by frame.
	stages := map[int]int{}
	for range 509 {
		g.Update()
		stages[g.State().Stage]++
	}
	if s := g.State(); s.Frame != 510 || len(stages) != 4 || stages[0] < 60 || s.Stage != 3 {
		t.Errorf("after 509 more updates: frame %d, stage %d, updates per stage %v", s.Frame, s.Stage, stages)
	}
	if len(g.sc.cur) != 2*p.N {
		t.Errorf("%d interpolated coordinates, want %d", len(g.sc.cur), 2*p.N)
	}
}

func TestGameInteraction(t *testing.T) {
	a := newAssets(t)
	g := New(small("layers"), background(a.Fetch))
	updateUntil(t, g, func(s State) bool { return s.Frame > 0 })
	for _, tc := range []struct {
		name  string
		do    func(g *Game)
		check func(s State) string
	}{
		{"hide class 3", func(g *Game) { g.toggleClass(3) }, func(s State) string {
			if !strings.Contains(s.Query, "classes=0,1,2,4,5,6,7,8,9") || s.Progress != 1 {
				return "classes not in the query or the view restarted"
			}
			return ""
		}},
		{"faster", func(g *Game) { g.speed(2) }, func(s State) string {
			if !strings.Contains(s.Query, "speed=2") || g.tl.Speed != 2 {
				return "speed not doubled"
			}
			return ""
		}},
		{"pause and step", func(g *Game) { g.tl.Pos = 0; g.tl.Step(1) }, func(s State) string {
			if s.Stage != 1 || g.tl.Playing {
				return "not paused at stage 1"
			}
			return ""
		}},
		{"epochs view restarts", func(g *Game) { g.cycle(func(p *params.Params) { p.View = "epochs" }) }, func(s State) string {
			if s.View != "epochs" || s.Frame != 0 || s.Progress == 1 || !strings.Contains(s.Query, "view=epochs") {
				return "the epochs view did not start afresh"
			}
			return ""
		}},
		{"layer 4 of the MLP's epochs", func(g *Game) { g.cycle(func(p *params.Params) { p.Layer = 4 }) }, func(s State) string {
			if !strings.Contains(s.Query, "layer=4") {
				return "layer 4 not in the query"
			}
			return ""
		}},
		{"cnn is missing", func(g *Game) { g.cycle(func(p *params.Params) { p.Model = "cnn" }) }, func(s State) string {
			if s.Model != "cnn" || s.Error == "" {
				return "no error for the missing CNN checkpoints"
			}
			if !strings.Contains(s.Query, "layer=2") {
				return "not at the CNN's deepest layer, 2: " + s.Query
			}
			return ""
		}},
	} {
		tc.do(g)
		g.Update()
		if msg := tc.check(g.State()); msg != "" {
			updateUntil(t, g, func(s State) bool { return tc.check(s) == "" })
		}
	}
}

func TestGameEpochsViewComputesEveryCheckpoint(t *testing.T) {
	a := newAssets(t)
	p := small("epochs")
	g := New(p, background(a.Fetch))
	updateUntil(t, g, func(s State) bool { return s.Frame > 0 })
	if s := g.State(); s.Stages != 2 || s.Error != "" {
		t.Fatalf("state %+v", s)
	}
	want := []string{"manifest.json", "mnist-t10k.zst", "mlp-e00.zst", "mlp-e01.zst"}
	if got := a.Fetched(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("fetched %q, want %q", got, want)
	}
	// Back to the layers view: nothing is fetched again.
	g.cycle(func(p *params.Params) { p.View = "layers" })
	updateUntil(t, g, func(s State) bool { return s.Frame > 0 })
	if got := a.Fetched(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("after switching views fetched %q, want still %q", got, want)
	}
}

func TestNewError(t *testing.T) {
	g := NewError(errors.New("params: n=-5: must be between 100 and 10000"))
	g.Layout(320, 240)
	if err := g.Update(); err != nil {
		t.Fatal(err)
	}
	if s := g.State(); s.Error != "params: n=-5: must be between 100 and 10000" || s.Phase != "error" {
		t.Errorf("state %+v", s)
	}
}

func TestPipelineErrorInState(t *testing.T) {
	a := newAssets(t)
	a.Files["mlp-e01.zst"] = append([]byte(nil), a.Files["mlp-e01.zst"][:1000]...)
	g := New(small("layers"), background(a.Fetch))
	updateUntil(t, g, func(s State) bool { return s.Error != "" })
	if s := g.State(); !strings.HasPrefix(s.Error, "pipeline: mlp-e01.zst: size check failed: 1000 bytes, manifest.json says ") || s.Phase != "error" {
		t.Errorf("state %+v", s)
	}
}

// TestControlsThatCannotAct checks that the play, step and speed buttons
// and the timeline show only where they have something to act on: not in
// a still view, nor once a view failed before it could animate; the other
// controls, the title, caption and thumbnails stay.
func TestControlsThatCannotAct(t *testing.T) {
	a := newAssets(t)
	broken := a.Clone()
	broken.Files["mlp-e01.zst"] = append([]byte(nil), a.Files["mlp-e01.zst"][:1000]...)
	playing := []string{"play/pause", "<", ">", "slower", "faster"}
	for _, tc := range []struct {
		name  string
		g     *Game
		ready func(State) bool
		plays bool
	}{
		{"layers", New(small("layers"), background(a.Fetch)), func(s State) bool { return s.Frame > 0 }, true},
		{"trace", New(small("trace"), background(a.Fetch)), func(s State) bool { return s.Progress == 1 }, false},
		{"failed layers", New(small("layers"), background(broken.Fetch)), func(s State) bool { return s.Error != "" }, false},
	} {
		screen := ebiten.NewImage(800, 600)
		tc.g.Layout(800, 600)
		updateUntil(t, tc.g, tc.ready)
		tc.g.Update() // arranged for the state reached
		got := tc.g.Arrangement()
		for _, b := range playing {
			if slices.Contains(got.Buttons, b) != tc.plays {
				t.Errorf("%s: button %q shown: %v, want %v (buttons %q)", tc.name, b, !tc.plays, tc.plays, got.Buttons)
			}
		}
		if !slices.Contains(got.Buttons, "layers") || !slices.Contains(got.Buttons, "?") || len(got.Screen.CaptionLines) == 0 || len(got.Screen.Thumbs) == 0 {
			t.Errorf("%s: buttons %q, caption %q, %d thumbnails: want the view buttons, help, caption and thumbnails",
				tc.name, got.Buttons, got.Screen.CaptionLines, len(got.Screen.Thumbs))
		}
		onTimeline := 0
		for _, tri := range drawCommands(tc.g, screen) {
			if got.Screen.Timeline.Contains(tri.x, tri.y) {
				onTimeline++
			}
		}
		if (onTimeline > 0) != tc.plays {
			t.Errorf("%s: %d triangles drawn on the timeline, want some: %v", tc.name, onTimeline, tc.plays)
		}
	}
}

// TestMovingAndHeldTime checks the rules a page that runs frames on demand
// follows: the picture moves with time while the layers view animates, not
// while it computes, paused, or in a still view once complete; an update
// whose time is held moves nothing.
func TestMovingAndHeldTime(t *testing.T) {
	a := newAssets(t)
	g := New(small("layers"), background(a.Fetch))
	g.Layout(640, 480)
	g.Update()
	if g.Moving() {
		t.Fatalf("moving while the view computes: %+v", g.State())
	}
	updateUntil(t, g, func(s State) bool { return s.Frame > 0 })
	if !g.Moving() {
		t.Fatal("not moving once the view animates")
	}
	g.tl.Pos = 0.5 // between two stages
	pos := g.tl.Pos
	g.HoldTime()
	g.Update()
	if g.tl.Pos != pos {
		t.Errorf("an update with its time held moved the play head from %v to %v", pos, g.tl.Pos)
	}
	g.Update()
	if g.tl.Pos == pos {
		t.Error("the update after it did not move the play head")
	}
	g.tl.Playing = false
	if g.Moving() {
		t.Error("moving while paused")
	}
	still := New(small("trace"), background(a.Fetch))
	still.Layout(640, 480)
	updateUntil(t, still, func(s State) bool { return s.Frame > 0 || s.Error != "" })
	if still.Moving() {
		t.Errorf("the trace view, complete, moves: %+v", still.State())
	}
}

func TestStillViews(t *testing.T) {
	a := newAssets(t)
	for _, view := range []string{"trace", "bundled"} {
		t.Run(view, func(t *testing.T) {
			g := New(small(view), background(a.Fetch))
			g.Layout(640, 480)
			updateUntil(t, g, func(s State) bool { return s.Frame > 0 || s.Error != "" })
			s := g.State()
			// The trace view follows the layers, the bundled view the last
			// layer's epochs (two in the test assets).
			if s.Progress != 1 || s.Error != "" || s.View != view || s.Stage != s.Stages-1 || s.Phase != "ready" ||
				s.Stages != map[string]int{"trace": 4, "bundled": 2}[view] {
				t.Fatalf("state %+v", s)
			}
			if view != "bundled" {
				return
			}
			res := g.pl.Bundles()
			if len(res.Lines) != 150 || g.bundleAll {
				t.Fatalf("%d bundled lines (all classes %v), want 150 per class", len(res.Lines), g.bundleAll)
			}
			// End points stay where the first and last layer put them.
			first, last := g.sc.main[0], g.sc.main[s.Stages-1]
			for i, l := range res.Lines {
				l = g.sc.fit.Apply(nil, l)
				if l[0] != first[2*i] || l[1] != first[2*i+1] || l[len(l)-2] != last[2*i] || l[len(l)-1] != last[2*i+1] {
					t.Fatalf("trail %d: ends %v %v moved from %v %v", i, l[:2], l[len(l)-2:], first[2*i:2*i+2], last[2*i:2*i+2])
				}
			}
			g.toggleBundling()
			if s := g.State(); s.Progress == 1 || g.pl.Bundles() != nil {
				t.Fatalf("after switching to all classes: %+v", s)
			}
			updateUntil(t, g, func(s State) bool { return s.Progress == 1 })
			if !g.bundleAll || len(g.pl.Bundles().Lines) != 150 {
				t.Errorf("all-classes bundling: all %v, %d lines", g.bundleAll, len(g.pl.Bundles().Lines))
			}
		})
	}
}

func TestStillViewOfEpochs(t *testing.T) {
	a := newAssets(t)
	p := small("bundled")
	g := New(p, background(a.Fetch))
	g.Layout(640, 480)
	g.layer(1) // layer 1 across epochs
	if g.p.Layer != 1 || g.layerLabel() != "layer 1 epochs >" {
		t.Fatalf("layer %d, button %q", g.p.Layer, g.layerLabel())
	}
	updateUntil(t, g, func(s State) bool { return s.Frame > 0 || s.Error != "" })
	if s := g.State(); s.Error != "" || s.Stages != 2 || !strings.Contains(s.Query, "layer=1") || len(g.pl.Bundles().Lines) != 150 {
		t.Fatalf("state %+v", s)
	}
	if names := g.pl.Stages(); names[0] != "epoch 0" || names[1] != "epoch 1" {
		t.Errorf("stages %q", names)
	}
	g.layer(-1)
	if g.p.Layer != 4 || g.layerLabel() != "layer 4 epochs >" {
		t.Errorf("back: layer %d, button %q", g.p.Layer, g.layerLabel())
	}
	g.SetParams(small("trace"))
	if g.p.Layer != 0 || g.layerLabel() != "all layers >" {
		t.Errorf("trace view: layer %d, button %q", g.p.Layer, g.layerLabel())
	}
}

func TestTraceAlpha(t *testing.T) {
	for _, tc := range []struct {
		p, s int
		want float64
	}{
		{3, 4, 1}, {2, 4, 0.5}, {1, 4, 0.25}, {1, 2, 1}, {7, 8, 1}, {1, 8, 1.0 / 64},
	} {
		if got := traceAlpha(tc.p, tc.s); got != tc.want {
			t.Errorf("traceAlpha(%d, %d) = %v, want %v", tc.p, tc.s, got, tc.want)
		}
	}
}

func TestNeuronViews(t *testing.T) {
	a := newAssets(t)
	for _, tc := range []struct {
		view   string
		panels int
	}{{"neurons", 2}, {"map", 2}} {
		t.Run(tc.view, func(t *testing.T) {
			p := small(tc.view)
			p.Class = 7
			g := New(p, background(a.Fetch))
			g.Layout(640, 480)
			updateUntil(t, g, func(s State) bool { return s.Frame > 0 || s.Error != "" })
			if s := g.State(); s.Progress != 1 || s.Error != "" || s.Stages != tc.panels {
				t.Fatalf("state %+v", s)
			}
			ns := &g.neurons
			if len(ns.panels) != tc.panels || len(g.screen.Thumbs) != 0 {
				t.Fatalf("%d panels, %d thumbnails", len(ns.panels), len(g.screen.Thumbs))
			}
			for k, pos := range ns.pos[:tc.panels] {
				r := ns.panels[k]
				for i := 0; i < len(pos); i += 2 {
					if !r.Contains(pos[i], pos[i+1]) {
						t.Fatalf("panel %d: neuron %d at %v, %v outside %v", k, i/2, pos[i], pos[i+1], r)
					}
				}
			}
			for k, v := range ns.views {
				if s := v.Stress; !(s > 0 && s < 0.5) {
					t.Errorf("panel %d: stress-1 %v, want a fair MDS fit in (0, 0.5)", k, s)
				}
			}
			if want := maxImportance(ns.views, 7); ns.hi != want || want <= 0 || ns.lo < 0 || ns.lo >= ns.hi {
				t.Errorf("colour scale %v to %v, want up to the largest class-7 importance %v", ns.lo, ns.hi, want)
			}
			if g.screen.Key.W <= 0 {
				t.Error("no key for the neurons' scale")
			}
			// The scale is by rank: the most important neuron over the
			// panels gets the top, the marks are drawn from the least
			// important up, and the ranks spread over the whole scale.
			var ranks []float64
			for k, v := range ns.views {
				order := ns.order[k]
				weight := ns.rank[k]
				if tc.view == "map" {
					weight = v.Opacity
				}
				for j := 1; j < len(order); j++ {
					if weight[order[j]] < weight[order[j-1]] {
						t.Fatalf("panel %d: neuron %d drawn after the more important %d", k, order[j], order[j-1])
					}
				}
				ranks = append(ranks, ns.rank[k]...)
			}
			if lo, hi, mid := slices.Min(ranks), slices.Max(ranks), palette.Quantile(ranks, 0.5); lo > 0.25 || hi != 1 || math.Abs(mid-0.5) > 0.05 {
				// Neurons of equal importance (say 0) share their mean rank.
				t.Errorf("ranks from %v to %v, median %v: want from under 0.25 to 1, median 0.5", lo, hi, mid)
			}
			g.hoverNeuron(ns.pos[0][10], ns.pos[0][11])
			if ns.hover != [2]int{0, 5} {
				t.Errorf("hover at neuron 5 of panel 0 found %v", ns.hover)
			}
			g.toggleClass(2)
			if g.p.View == "neurons" && (g.p.Class != 2 || !strings.Contains(g.State().Query, "class=2")) {
				t.Errorf("class key in the neurons view: class %d, query %q", g.p.Class, g.State().Query)
			}
		})
	}
}

func maxImportance(vs []*viewstate.Panel, c int) float64 {
	m := 0.0
	for _, v := range vs {
		for _, x := range importances(v, c) {
			m = max(m, x)
		}
	}
	return m
}

func TestCompareView(t *testing.T) {
	a, err := pipelinetest.Build(300, 1000, "mlp", "cnn")
	if err != nil {
		t.Fatal(err)
	}
	p := small("compare")
	p.Model = "both"
	g := New(p, background(a.Fetch))
	g.Layout(800, 400)
	updateUntil(t, g, func(s State) bool { return s.Frame > 0 || s.Error != "" })
	s := g.State()
	if s.Error != "" || s.Progress != 1 || s.Phase != "ready" || s.Stages != 4 || s.View != "compare" || s.Model != "both" {
		t.Fatalf("state %+v", s)
	}
	l, r := g.pair.sides[0].State(), g.pair.sides[1].State()
	if l.Model != "mlp" || r.Model != "cnn" || l.Stages != 4 || r.Stages != 2 {
		t.Errorf("sides %+v and %+v", l, r)
	}
	if rect := g.sideRect(1); rect.X != 400 || rect.W != 400 {
		t.Errorf("right side at %v", rect)
	}
	g.toggleClass(4)
	if g.pair.sides[1].p.Classes[4] || g.pair.sides[0].p.Classes[4] || !strings.Contains(g.State().Query, "classes=") {
		t.Error("hiding class 4 did not reach both sides")
	}
	g.cycle(func(p *params.Params) { p.View = "layers" })
	if g.pair != nil || g.State().Model != "mlp" || g.State().View != "layers" {
		t.Errorf("leaving the compare view: %+v", g.State())
	}
}

func TestClickFollowsDigit(t *testing.T) {
	a := newAssets(t)
	g := New(small("layers"), background(a.Fetch))
	g.Layout(640, 480)
	updateUntil(t, g, func(s State) bool { return s.Frame > 0 })
	heads := g.sc.heads(true)
	i := 17
	g.click(heads[2*i], heads[2*i+1])
	if g.follow != i && !samePlace(heads, g.follow, i) {
		t.Fatalf("clicking digit %d's point follows %d", i, g.follow)
	}
	g.click(g.screen.Legend[3].X+1, g.screen.Legend[3].Y+1)
	if g.p.Classes[3] {
		t.Error("clicking the legend's class 3 did not hide it")
	}
	g.click(g.screen.Thumbs[2].X+5, g.screen.Thumbs[2].Y+5)
	if g.tl.Pos != 2 || g.tl.Playing {
		t.Errorf("clicking thumbnail 2: play head %v, playing %v", g.tl.Pos, g.tl.Playing)
	}
}

// samePlace reports whether digits i and j are drawn at the same point.
func samePlace(pts []float64, i, j int) bool {
	return i >= 0 && pts[2*i] == pts[2*j] && pts[2*i+1] == pts[2*j+1]
}

func TestHelpListsEveryKey(t *testing.T) {
	for _, key := range []string{"space", "left/right", "0-9", "m ", "v ", "[ ]", "- +", "b ", "Esc", "h or ?", "pointer"} {
		if !strings.Contains(Help, "\n"+key) && !strings.HasPrefix(Help, key) {
			t.Errorf("Help does not start a line with %q", key)
		}
	}
}

// TestTwentyClasses lays out a legend entry for each of twenty classes,
// hides class 15 on a click on its entry (the URL lists the data's other
// classes), and shows every class again when data with fewer classes
// replaces them.
func TestTwentyClasses(t *testing.T) {
	a := newAssets(t)
	g := New(small("layers"), background(a.Fetch))
	names := make([]string, params.MaxClasses)
	for c := range names {
		names[c] = "class " + string(rune('A'+c))
	}
	g.SetData(names)
	g.Layout(640, 480)
	updateUntil(t, g, func(s State) bool { return s.Frame > 0 || s.Error != "" })
	if g.Classes() != 20 {
		t.Fatalf("%d classes, want 20", g.Classes())
	}
	for c, r := range g.screen.Legend {
		if r.W == 0 {
			t.Fatalf("no legend entry for class %d", c)
		}
	}
	r := g.screen.Legend[15]
	g.click(r.X+1, r.Y+1)
	if g.p.Classes[15] || !g.p.Classes[14] || !g.p.Classes[19] {
		t.Fatalf("a click on class 15's entry: classes %v", g.p.Classes)
	}
	if q := g.State().Query; !strings.Contains(q, "classes=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,16,17,18,19") {
		t.Errorf("query %q, want the twenty classes but 15", q)
	}
	g.SetData(names[:6])
	if g.p.Classes != params.Default().Classes || g.Classes() != 6 {
		t.Errorf("six classes after twenty with 15 hidden: %d classes, shown %v", g.Classes(), g.p.Classes)
	}
}

// TestReopenCompare checks that new user data (the page's "your data"
// control, Game.Reopen) restarts both sides of a compare view. Kept, the
// sides held their closed sources and waited forever at "starting the
// computing worker" (seen in TestYourData when the data and the switch to
// compare arrived in one tick).
func TestReopenCompare(t *testing.T) {
	a := newAssets(t)
	var opened []string
	open := func(p params.Params) Source {
		opened = append(opened, p.Model)
		return pipeline.Start(p, a.Fetch)
	}
	p := small("compare")
	p.Model = "both"
	g := New(p, open)
	defer g.Close()
	if want := []string{"mlp", "cnn"}; !slices.Equal(opened, want) {
		t.Fatalf("compare opened %v, want %v", opened, want)
	}
	g.Reopen()
	if want := []string{"mlp", "cnn", "mlp", "cnn"}; !slices.Equal(opened, want) {
		t.Fatalf("after Reopen, opened %v, want %v", opened, want)
	}
}
