package ui

import (
	"fmt"
	"math"
	"strconv"
	"testing"

	"annvis/core/app/theme"
)

// canvas is one of the sizes annvis must look right at: CSS pixels and the
// device pixel ratio.
type canvas struct {
	w, h, dpr float64
	embed     bool
}

// canvases are the acceptance sizes: a projector, a laptop at
// devicePixelRatio 2, an embed and a phone in portrait.
var canvases = []canvas{{1920, 1080, 1, false}, {1280, 800, 2, false}, {640, 420, 1, true}, {390, 844, 3, false}}

// viewCase is a view as Arrange sees it.
type viewCase struct {
	view   string
	stages []string
	panels bool // neuron views: panels instead of thumbnails
}

var viewCases = []viewCase{
	{"layers", []string{"layer 1", "layer 2", "layer 3", "layer 4"}, false},
	{"epochs", []string{"epoch 0", "epoch 1", "epoch 2", "epoch 3", "epoch 5", "epoch 8", "epoch 12", "epoch 20"}, false},
	{"trace", []string{"layer 1", "layer 2", "layer 3", "layer 4"}, false},
	{"bundled", []string{"epoch 0", "epoch 1", "epoch 2", "epoch 3", "epoch 5", "epoch 8", "epoch 12", "epoch 20"}, false},
	{"neurons", []string{"epoch 0", "epoch 20"}, true},
	{"map", []string{"epoch 0", "epoch 20"}, true},
	{"train", []string{"epoch 0", "epoch 1", "epoch 2", "epoch 3", "epoch 4", "epoch 5"}, false},
	{"train", []string{"epoch 0", "epoch 1", "epoch 2"}, false}, // the acceptance run: two epochs
	{"compare", []string{"layer 1", "layer 2"}, false},          // the right half: the CNN's layers view (the left: the MLP's)
}

// fullBar and phoneBar are the longest button rows the game shows.
var (
	fullBar = []string{"MLP", "CNN", "layers", "epochs", "trace", "bundled", "all classes", "neurons", "map",
		"compare", "layer 4 epochs >", "play/pause", "<", ">", "slower", "faster", "?"}
	phoneBar = []string{"menu", "play/pause", "<", ">", "?"}
)

// pageCorner returns the corner (CSS pixels) the web page's six buttons
// (t-SNE, PNG, GIF, ZST, link, data) take (the page measures them,
// static/style.css sizes them): a column of 4.7 by 1.8 ems, 4 px apart, or
// on a phone three rows of two 40 px high, with 4 px to spare.
func pageCorner(th theme.Theme, cssW float64) [2]float64 {
	if cssW < 600 {
		return [2]float64{112, 3*40 + 2*4 + 8}
	}
	em := th.Body / th.Scale
	return [2]float64{math.Ceil(4.7*em + 8), math.Ceil(6*1.8*em + 5*4 + 8)}
}

// labelled is a rectangle holding text (or a control) and its name.
type labelled struct {
	name string
	r    Rect
}

// TestLayoutAcceptance checks every view at the four acceptance sizes and
// both export scales: no two texts overlap, no text overlaps data (main
// plot, panels, thumbnails), every text fits its strip, nothing leaves the
// screen or enters the page's corner, text is at least 18/24 CSS px (body/
// title) at 1920×1080 and 11 px elsewhere, touch targets on a phone are
// 40 CSS px, thumbnails have room for their quality figures on the
// projector and the laptop, and the main plot takes a fair share of the
// screen and in landscape the width the column beside it leaves, is at
// least as wide as the thumbnail grid, and the column leaves under 40% of
// itself empty; all of
// this with the legend of the ten digits and with that of a user's data
// set of twenty classes.
func TestLayoutAcceptance(t *testing.T) {
	for _, cv := range canvases {
		for _, scale := range []float64{1, 2} {
			for _, vc := range viewCases {
				for _, th := range []theme.Theme{theme.Dark(), theme.Light()} {
					for _, classes := range []int{10, 20} {
						if classes > 10 && vc.view == "train" {
							continue // the train view shows MNIST's digits
						}
						ratio := max(cv.dpr, scale)
						name := fmt.Sprintf("%s %vx%v@%v scale %v %s %d classes", vc.view, cv.w, cv.h, cv.dpr, scale, th.Name, classes)
						checkLayout(t, name, th, cv, ratio, vc, classes)
					}
				}
			}
		}
	}
}

func checkLayout(t *testing.T, name string, th theme.Theme, cv canvas, ratio float64, vc viewCase, classes int) {
	W, H := cv.w*ratio, cv.h*ratio
	th = th.Sized(W, H, ratio)
	minBody, minTitle := 11.0, 11.0
	if cv.w >= 1920 && cv.h >= 1080 {
		minBody, minTitle = 18, 24
	}
	if th.Body < minBody*ratio || th.Title < minTitle*ratio {
		t.Errorf("%s: body %v, title %v device px: want ≥ %v, %v CSS px", name, th.Body, th.Title, minBody, minTitle)
	}
	bar := fullBar
	if cv.w < 600 {
		bar = phoneBar
	}
	l := Layout{Caption: Caption(vc.view, vc.stages, 4, 0), Classes: classes}
	if classes > 10 {
		l.Name = "class T" // a user's data set: entries as wide as its names
	}
	if vc.panels {
		l.Caption += " " + StressNote // the longest caption: neurons placed by MDS
	}
	if !cv.embed {
		l.BarRows = Rows(th, bar, W-2*th.Pad)
		c := pageCorner(th, cv.w)
		l.Corner = [2]float64{c[0] * ratio, c[1] * ratio}
	}
	if vc.panels {
		l.Panels, l.Key = len(vc.stages), true
	} else {
		l.Stages = len(vc.stages)
	}
	l.Curves = vc.view == "train"
	if vc.view == "compare" {
		// The outer screen holds the bar and the caption; each half, with
		// the window's theme, is an embedded layers view without caption.
		// The legend is shared: drawn once, under both halves.
		outer := Arrange(th, W, H, Layout{BarRows: l.BarRows, Corner: l.Corner, Caption: Caption("compare", nil, 0, 0), LegendRow: true, Classes: classes, Name: l.Name})
		top := outer.Bar.Y + outer.Bar.H
		half := outer.Main.Y + outer.Main.H - top
		if half < H/2 {
			t.Errorf("%s: the halves are %v of %v px high", name, half, H)
		}
		for c, r := range outer.Legend[:classes] {
			w := LegendText(classes)
			if classes > 10 {
				w = strconv.Itoa(c) // at least its number (two rows of entries without "off")
			}
			if r.Y < top+half || r.Y+r.H > outer.Caption.Y+0.5 || r.X+r.W > W || r.W < TextW(w, th.Body)+th.Body {
				t.Errorf("%s: shared legend entry %d %v not between the halves (bottom %v) and the caption %v", name, c, r, top+half, outer.Caption)
			}
		}
		// The halves reach down to the shared legend: at 1920×1080 they
		// stopped above the page's corner, 120 px over the legend.
		if gap := outer.Legend[0].Y - (outer.Main.Y + outer.Main.H); gap > 1.5*th.Pad {
			t.Errorf("%s: an empty band %.0f px high between the halves %v and the legend %v", name, gap, outer.Main, outer.Legend[0])
		}
		// Left the MLP's four layers, right the CNN's two, in one grid of
		// four: the right half keeps clear of the part of the page's corner
		// that reaches into it.
		sides := [2]viewCase{viewCases[0], vc}
		var halves [2]Screen
		for i, side := range sides {
			hl := Layout{Stages: len(side.stages), Slots: len(sides[0].stages), NoLegend: true, Classes: classes}
			if over := top + half - (H - l.Corner[1]); i == 1 && l.Corner[1] > 0 && over > 0 {
				hl.Corner = [2]float64{l.Corner[0], over}
			}
			s := checkScreen(t, fmt.Sprintf("%s half %d", name, i), th, W/2, half, hl, nil, side, cv.w < 600, ratio)
			if s.Legend != (Screen{}).Legend {
				t.Errorf("%s: a half draws its own legend %v", name, s.Legend)
			}
			// The plots get the room: at 640×420 they were under half of it
			// (a phone's narrow half: as high as wide will do).
			if s.Main.H < min(0.5*half, s.Main.W) {
				t.Errorf("%s: a half's plot %v takes under half of its %v px", name, s.Main, half)
			}
			halves[i] = s
		}
		// The halves line up: one plot size, one thumbnail size (at
		// 1920×1080 the MLP's were 100 px, the CNN's 200).
		a, b := halves[0], halves[1]
		if a.Main != b.Main || a.Thumbs[0] != b.Thumbs[0] || a.Thumbs[1] != b.Thumbs[1] {
			t.Errorf("%s: the halves do not line up: plots %v and %v, thumbnails %v and %v", name, a.Main, b.Main, a.Thumbs[:2], b.Thumbs)
		}
		return
	}
	checkScreen(t, name, th, W, H, l, bar, vc, cv.w < 600, ratio)
}

func checkScreen(t *testing.T, name string, th theme.Theme, W, H float64, l Layout, bar []string, vc viewCase, phone bool, ratio float64) Screen {
	t.Helper()
	s := Arrange(th, W, H, l)
	screen := Rect{0, 0, W, H}
	corner := Rect{W - l.Corner[0], H - l.Corner[1], l.Corner[0], l.Corner[1]}
	var texts, data []labelled
	text := func(n string, r Rect, s string, size float64) {
		texts = append(texts, labelled{n, r})
		if w := TextW(s, size); s != "" && w > r.W+0.5 {
			t.Errorf("%s: %s %q is %.0f px wide, its strip %v", name, n, s, w, r)
		}
		if r.H+0.5 < LineH(size) {
			t.Errorf("%s: %s strip %v lower than a line (%v)", name, n, r, LineH(size))
		}
	}
	if l.BarRows > 0 {
		for i, r := range Row(th, bar, s.Bar) {
			text("button "+bar[i], r, bar[i], th.Body)
			if cssH := r.H / ratio; phone && cssH < 40 {
				t.Errorf("%s: button %q %v CSS px high, want ≥ 40 on a phone", name, bar[i], cssH)
			}
			if r.Y+r.H > s.Bar.Y+s.Bar.H+0.5 {
				t.Errorf("%s: button %q %v below the bar %v", name, bar[i], r, s.Bar)
			}
		}
	}
	stage, detail := vc.stages[len(vc.stages)-1], ""
	switch vc.view {
	case "trace", "bundled":
		stage, detail = vc.stages[0]+" to "+stage, "all classes bundled together"
	case "neurons", "map":
		stage = "hidden layer 4"
	}
	title := FitText(s.Title.W, th.Title, Titles("mlp", vc.view, stage, detail)...)
	if title == "" {
		t.Errorf("%s: no form of the title fits %v", name, s.Title)
	}
	text("title", s.Title, title, th.Title)
	if l.Caption != "" && len(s.CaptionLines) == 0 {
		t.Errorf("%s: the caption is not shown", name)
	}
	for _, line := range s.CaptionLines {
		if TextW(line, th.Body) > s.Caption.W+0.5 {
			t.Errorf("%s: caption line %q wider than %v", name, line, s.Caption)
		}
	}
	if len(s.CaptionLines) > 0 {
		text("caption", s.Caption, "", th.Body)
	}
	for c, r := range s.Legend {
		if l.NoLegend || c >= l.classes() {
			if r != (Rect{}) {
				t.Errorf("%s: legend entry %d %v laid out, want none", name, c, r)
			}
			continue
		}
		text(fmt.Sprintf("legend %d", c), r, "", th.Body)
		w := LegendText(l.classes())
		switch {
		case l.Name != "" && W/ratio >= 1280:
			w = l.Name + " off" // room for the data's names
		case l.classes() > 10:
			w = strconv.Itoa(c) // at least its number (two rows of entries without "off")
		}
		if TextW(w, th.Body)+th.Body > r.W {
			t.Errorf("%s: legend entry %v too narrow for %q", name, r, w)
		}
		if phone && r.H/ratio < 40 {
			t.Errorf("%s: legend entry %v under 40 CSS px high on a phone", name, r)
		}
	}
	if len(vc.stages) > 1 || vc.panels {
		if s.Key.W <= 0 {
			t.Errorf("%s: no key (trail brightness, or the neurons' scale)", name)
		}
		texts = append(texts, labelled{"key", s.Key})
		if vc.panels {
			text("key title", s.KeyTitle, FitText(s.KeyTitle.W, th.Body, KeyTitles("neurons", 9)...), th.Body)
			if FitText(s.KeyTitle.W, th.Body, KeyTitles("neurons", 9)...) == "" {
				t.Errorf("%s: no form of the key's title fits %v", name, s.KeyTitle)
			}
		}
		for i, r := range s.KeyLabels {
			text(fmt.Sprintf("key label %d", i), r, FitText(r.W, th.Body, "vivid: epoch 20", "epoch 20", "E20"), th.Body)
		}
	}
	texts = append(texts, labelled{"timeline", s.Timeline})
	if phone && s.Timeline.H/ratio < 40 {
		t.Errorf("%s: timeline %v under 40 CSS px high on a phone", name, s.Timeline)
	}
	if vc.panels {
		if len(s.Panels) != l.Panels {
			t.Fatalf("%s: %d panels, want %d", name, len(s.Panels), l.Panels)
		}
		for k, r := range s.Panels {
			data = append(data, labelled{fmt.Sprintf("panel %d", k), r})
			text(fmt.Sprintf("panel title %d", k), s.PanelTitles[k], FitText(s.PanelTitles[k].W, th.Body, vc.stages[k]), th.Body)
		}
	} else {
		data = append(data, labelled{"main", s.Main})
	}
	if l.Curves {
		data = append(data, labelled{"training curves", s.Curves})
		heads := TrainHeads("stopped: diverged", 30, 30, 9999, 9999, 299970, 1)
		if w := HeadW(heads[len(heads)-1], th.Body); w > s.Curves.W-2*th.Pad {
			t.Errorf("%s: the training counters (%.0f px) do not fit their panel %v", name, w, s.Curves)
		}
		// The panel leaves the plot most of the width (at 640×420 it took half).
		if s.Main.W < 0.65*(s.Main.W+s.Curves.W+th.Pad) {
			t.Errorf("%s: the training curves %v squeeze the main plot to %v", name, s.Curves, s.Main)
		}
	}
	if len(s.Thumbs) != l.Stages {
		t.Fatalf("%s: %d thumbnails, want %d", name, len(s.Thumbs), l.Stages)
	}
	for k, r := range s.Thumbs {
		data = append(data, labelled{fmt.Sprintf("thumbnail %d", k), r})
		lr := s.ThumbLabels[k]
		text(fmt.Sprintf("thumbnail %d name", k), Rect{lr.X, lr.Y, lr.W, lr.H / 2}, FitText(lr.W, th.Body, vc.stages[k], "E20"), th.Body)
		q := FitText(lr.W, th.Body, QualityTexts(0.97, 0.99)...)
		if q == "" && W/ratio >= 1280 {
			t.Errorf("%s: thumbnail %d %v too narrow for any form of its quality", name, k, r)
		}
		text(fmt.Sprintf("thumbnail %d quality", k), Rect{lr.X, lr.Y + lr.H/2, lr.W, lr.H / 2}, q, th.Body)
		if r.W/ratio < 40 || r.W != r.H {
			t.Errorf("%s: thumbnail %d %v not a square of ≥ 40 CSS px", name, k, r)
		}
	}
	all := append(append([]labelled{}, texts...), data...)
	for i, a := range all {
		if a.r.W < 0 || a.r.H < 0 || a.r.X < -0.5 || a.r.Y < -0.5 || a.r.X+a.r.W > screen.W+0.5 || a.r.Y+a.r.H > screen.H+0.5 {
			t.Errorf("%s: %s %v leaves the %vx%v screen", name, a.name, a.r, W, H)
		}
		if overlapBy(a.r, corner) {
			t.Errorf("%s: %s %v enters the page's corner %v", name, a.name, a.r, corner)
		}
		for _, b := range all[:i] {
			if overlapBy(a.r, b.r) {
				t.Errorf("%s: %s %v overlaps %s %v", name, a.name, a.r, b.name, b.r)
			}
		}
	}
	if s.Legend[0].X >= s.Main.X+s.Main.W {
		// The main plot takes the width the column beside it does not use.
		right := s.Key.X + s.Key.W
		for _, r := range append(s.Legend[:l.classes()], s.Thumbs...) {
			right = max(right, r.X+r.W)
		}
		if gap := W - th.Pad - right; gap > 1 {
			t.Errorf("%s: an empty strip %.0f px wide right of the legend and thumbnails", name, gap)
		}
		// ... and reaches down to the caption: the page's corner takes
		// height from the column only.
		if gap := s.Caption.Y - (s.Main.Y + s.Main.H); gap > 1.5*th.Pad {
			t.Errorf("%s: an empty strip %.0f px high under the main plot %v", name, gap, s.Main)
		}
		// The main plot is the largest element: the train view's three
		// thumbnails in a row were 960 px wide at 1920×1080 beside a
		// plot of 700, half of the column empty under them.
		left, right := W, 0.0
		for _, r := range s.Thumbs {
			left, right = min(left, r.X), max(right, r.X+r.W)
		}
		if grid := right - left; s.Main.W < grid {
			t.Errorf("%s: the main plot %v is narrower than the thumbnail grid (%.0f px)", name, s.Main, grid)
		}
		if e := emptyBeside(s, th, W, H, l); len(s.Thumbs) > 0 && e > 0.4 {
			t.Errorf("%s: %.0f%% of the column beside the main plot is empty", name, 100*e)
		}
	}
	if phone && !vc.panels && !l.Curves && len(s.Thumbs) > 1 && (l.classes() <= 10 || len(s.Thumbs) <= 4 && !l.NoLegend) {
		// The grid spans the width, so that the quality figures fit (with
		// twenty classes, in the compare view's halves or with eight
		// stages, the legend's second row leaves no room for it under a
		// main plot 3/4 as high as wide: the figures take their short
		// form).
		right := 0.0
		for _, r := range s.Thumbs {
			right = max(right, r.X+r.W)
		}
		if gap := W - th.Pad - right; gap > th.Pad+float64(len(s.Thumbs)) {
			t.Errorf("%s: an empty strip %.0f px wide right of the thumbnails", name, gap)
		}
		if q := "NH.91 TW.97"; TextW(q, th.Body) > s.ThumbLabels[0].W {
			t.Errorf("%s: the thumbnails' labels %v are too narrow for %q", name, s.ThumbLabels[0], q)
		}
	}
	if !vc.panels {
		if share := s.Main.W * s.Main.H / (W * H); share < 0.2 {
			t.Errorf("%s: the main plot %v takes %.0f%% of the screen, want ≥ 20%%", name, s.Main, 100*share)
		}
	}
	return s
}

// overlapBy reports whether a and b share more than half a pixel each way.
func overlapBy(a, b Rect) bool {
	const e = 0.5
	return a.W > 0 && b.W > 0 && a.H > 0 && b.H > 0 &&
		a.X+e < b.X+b.W && b.X+e < a.X+a.W && a.Y+e < b.Y+b.H && b.Y+e < a.Y+a.H
}

// TestFigureLayout checks the export layout: no timeline, and the caption
// and plot take its place; a compact legend.
func TestFigureLayout(t *testing.T) {
	th := theme.Dark().Sized(560, 400, 1)
	l := Layout{Stages: 4, Caption: Caption("layers", []string{"layer 1", "layer 4"}, 4, 0)}
	screen := Arrange(th, 560, 400, l)
	l.Figure = true
	fig := Arrange(th, 560, 400, l)
	if fig.Timeline.H != 0 || fig.Timeline.Y+fig.Timeline.H > 400 {
		t.Errorf("figure timeline %v, want an empty strip at the bottom", fig.Timeline)
	}
	if gain := fig.Caption.Y - screen.Caption.Y; gain < screen.Timeline.H {
		t.Errorf("the caption moved down %v px, want the timeline's %v", gain, screen.Timeline.H)
	}
	// A figure has no touch targets: its legend rows are lines of text.
	if gap := fig.Legend[5].Y - fig.Legend[0].Y; gap > LineH(th.Body)+0.5 {
		t.Errorf("figure legend rows %v apart, want a line of text (%v)", gap, LineH(th.Body))
	}
	if fig.Main.H <= screen.Main.H && fig.Thumbs[0].W <= screen.Thumbs[0].W {
		t.Errorf("neither the plot (%v, was %v) nor the thumbnails (%v, were %v) grew", fig.Main, screen.Main, fig.Thumbs[0], screen.Thumbs[0])
	}
}

// TestLegendNames widens the legend's entries for a data set's class names
// up to MaxNameEms, and leaves a longer name to its number.
func TestLegendNames(t *testing.T) {
	th := theme.Dark().Sized(1920, 1080, 1)
	entry := func(name string) float64 {
		return Arrange(th, 1920, 1080, Layout{Stages: 2, Classes: 20, Name: name}).Legend[0].W
	}
	numbers, named, long := entry(""), entry("sweater"), entry("a class name far too long for any legend entry")
	if named < th.Body+TextW("sweater off", th.Body) || long != numbers || !(named > numbers) {
		t.Errorf("entries %v wide for numbers, %v for \"sweater\", %v for a long name", numbers, named, long)
	}
}

// emptyBeside returns the share of the column beside the main plot (from
// the top of the plot to the caption or the page's corner) that neither
// the legend, the key nor the thumbnails and their labels use.
func emptyBeside(s Screen, th theme.Theme, W, H float64, l Layout) float64 {
	bottom := s.Caption.Y - th.Pad
	if l.Corner[1] > 0 {
		bottom = min(bottom, H-l.Corner[1]-2*th.Pad)
	}
	used := append(append(append([]Rect{s.KeyTitle, s.Key}, s.KeyLabels[:]...), s.Thumbs...), s.ThumbLabels...)
	used = append(used, s.Legend[:]...)
	left, area := W, 0.0
	for _, r := range used {
		if r.W > 0 && r.H > 0 {
			left, area = min(left, r.X), area+r.W*r.H
		}
	}
	col := (W - th.Pad - left) * (bottom - s.Main.Y)
	return 1 - area/col
}
