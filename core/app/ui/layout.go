package ui

import (
	"math"
	"strconv"
	"strings"

	"annvis/core/app/palette"
	"annvis/core/app/theme"
)

// Screen is the arrangement of one frame. Data (Main, Thumbs, Panels) and
// text live in separate rectangles: every text is drawn inside a strip
// (Title, Caption, ThumbLabels, PanelTitles, KeyLabels) or a control (Bar,
// Legend), never over data.
type Screen struct {
	Bar          Rect                       // controls along the top (empty in embed mode)
	Title        Rect                       // one line naming the model, view and stage
	Main         Rect                       // the animated projection
	Panels       []Rect                     // the neuron views' panels, inside Main
	PanelTitles  []Rect                     // one line above each panel, inside Main
	Thumbs       []Rect                     // one square per stage
	ThumbLabels  []Rect                     // two lines under each thumbnail: the stage and its quality
	Legend       [len(palette.Classes)]Rect // one clickable entry per class: swatch and name; zero beyond Layout's classes
	KeyTitle     Rect                       // what the neuron views' scale measures, above it (else empty)
	Key          Rect                       // the trail brightness ramp, or the neuron views' scale (else empty)
	KeyLabels    [2]Rect                    // what the two ends of the key mean, under it
	Curves       Rect                       // the train view's counters and curves, right of Main (else empty)
	Caption      Rect                       // what a mark is and how to read it: CaptionLines
	CaptionLines []string                   // the caption, wrapped to Caption's width
	Timeline     Rect                       // the scrubbable play head, at the bottom
}

// Layout is what Arrange lays out besides the canvas size.
type Layout struct {
	BarRows int // rows of buttons (0 in embed mode and exports)
	Stages  int // thumbnails, and a trail key when more than one
	// Slots is how many thumbnails the grid makes room for, when more
	// than Stages: the compare view's halves share one grid, so that
	// their plots and thumbnails have one size and line up.
	Slots   int
	Classes int // legend entries, up to len(Screen.Legend); 0 means the ten digits
	// Name is the longest class name when the legend shows names rather
	// than numbers (a user's data set): the entries widen for it up to
	// MaxNameEms.
	Name    string
	Key     bool   // a key even without trails: the neuron views' colour or size scale
	Panels  int    // neuron views: panels side by side in Main
	Caption string // wrapped into CaptionLines
	Curves  bool   // the train view: a panel of counters and curves beside the main plot
	Figure  bool   // the figure only, for exports: no timeline (an empty strip at the bottom)
	// LegendRow puts the legend in rows above the caption, across the
	// screen, and nothing beside Main: the compare view's shared legend.
	LegendRow bool
	NoLegend  bool // no legend: a half of the compare view (the outer screen has it)
	// Corner is the width and height of a corner to keep free at the
	// bottom right, for the web page's own buttons (0, 0 for none).
	Corner [2]float64
}

// Arrange lays out a w×h screen (device pixels) spaced and sized by t (see
// theme.Theme.Sized). In landscape the thumbnails and legend take a column
// beside the main plot, which stays about square; in portrait they go in
// rows under it.
func Arrange(t theme.Theme, w, h float64, l Layout) Screen {
	p, lb := t.Pad, LineH(t.Body)
	var s Screen
	top := p
	if l.BarRows > 0 {
		s.Bar = Rect{p, p, w - 2*p, float64(l.BarRows)*(t.Button+p) - p}
		top = s.Bar.Y + s.Bar.H + p
	}
	s.Title = Rect{p, top, w - 2*p, LineH(t.Title)}
	top += s.Title.H + p/2
	bandW := w - 2*p // of the caption and the timeline
	if l.Corner[0] > 0 {
		bandW -= l.Corner[0] + p
	}
	tlH := touch(t)
	if l.Figure {
		tlH = 0
	}
	s.Timeline = Rect{p, h - p - tlH, bandW, tlH}
	if l.Caption != "" {
		s.CaptionLines = WrapW(l.Caption, bandW, t.Body)
	}
	capH := float64(len(s.CaptionLines)) * lb
	s.Caption = Rect{p, s.Timeline.Y - p/2 - capH, bandW, capH}
	bottom, cornerTop := s.Caption.Y, h
	if l.Corner[1] > 0 {
		cornerTop = h - l.Corner[1] - p
	}
	if l.LegendRow {
		// On the caption, left of the page's corner, like the caption; the
		// halves reach down to it and keep clear of the corner themselves.
		s.Main = Rect{p, top, w - 2*p, max(s.legendRow(t, Rect{p, 0, bandW, s.Caption.Y - p/2}, l)-p-top, 0)}
	} else if body := (Rect{p, top, w - 2*p, max(min(bottom, cornerTop)-p-top, 0)}); body.W > 1.2*max(bottom-p-top, 0) {
		// Only the column at the right stops above the corner: the main
		// plot reaches down to the caption.
		s.side(t, body, l, max(bottom-p-top, 0))
	} else {
		// Down to the caption, unless that puts something in the corner.
		if s.below(t, Rect{p, top, w - 2*p, max(bottom-p-top, 0)}, l); s.enters(Rect{w - l.Corner[0], h - l.Corner[1], l.Corner[0], l.Corner[1]}) {
			s.below(t, body, l)
		}
	}
	s.panels(t, l.Panels)
	if l.Curves {
		s.curves(t)
	}
	return s
}

// enters reports whether the main plot, a thumbnail, the legend or the key
// overlaps the corner c.
func (s *Screen) enters(c Rect) bool {
	if c.W <= 0 || c.H <= 0 {
		return false
	}
	rs := append(append(append([]Rect{s.Main, s.Key, s.KeyTitle}, s.KeyLabels[:]...), s.Thumbs...), s.ThumbLabels...)
	for _, r := range append(rs, s.Legend[:]...) {
		if r.W > 0 && r.H > 0 && r.X+0.5 < c.X+c.W && c.X+0.5 < r.X+r.W && r.Y+0.5 < c.Y+c.H && c.Y+0.5 < r.Y+r.H {
			return true
		}
	}
	return false
}

// curves takes the train view's panel off the right of the main plot, so
// that it never covers a digit: a quarter of the plot's width, or as wide
// as the narrowest form of its counters (TrainHeads) if that is more.
func (s *Screen) curves(t theme.Theme) {
	w := curvesW(t, s.Main.W)
	s.Curves = Rect{s.Main.X + s.Main.W - w, s.Main.Y, w, s.Main.H}
	s.Main.W = max(s.Main.W-w-t.Pad, 0)
}

// curvesW returns the width of the train view's panel taken off a main
// plot w wide: a quarter of it, or as wide as the narrowest form of its
// counters (TrainHeads) if that is more, but at most half.
func curvesW(t theme.Theme, w float64) float64 {
	heads := TrainHeads("stopped: diverged", 30, 30, 9999, 9999, 299970, 1)
	return math.Ceil(min(max(0.25*w, HeadW(heads[len(heads)-1], t.Body)+2*t.Pad), w/2))
}

// HeadW returns the width of the widest line of s set at size.
func HeadW(s string, size float64) float64 {
	w := 0.0
	for _, line := range strings.Split(s, "\n") {
		w = max(w, TextW(line, size))
	}
	return w
}

// touch returns the height of a control other than a button (timeline,
// legend entry): a full touch target on a phone, less elsewhere.
func touch(t theme.Theme) float64 {
	if t.Button >= 40*t.Scale {
		return t.Button
	}
	return math.Round(max(LineH(t.Body), 0.6*t.Button))
}

// MaxNameEms is the widest class name, with " off", that a legend entry
// widens for, in ems of the body text; a longer name gives way to its
// number.
const MaxNameEms = 7

// legendEntry returns the size of one legend entry: swatch, class,
// "off" (LegendText, or the longest name up to MaxNameEms); a touch target
// on screen, a line of text in a figure (an export).
func legendEntry(t theme.Theme, l Layout) (w, h float64) {
	h = touch(t)
	if l.Figure {
		h = LineH(t.Body)
	}
	text := TextW(LegendText(l.classes()), t.Body)
	if w := TextW(l.Name+" off", t.Body); w <= MaxNameEms*t.Body {
		text = max(text, w)
	}
	return math.Ceil(t.Body + text + t.Pad), h
}

// LegendText returns the widest text of an entry of a legend of n classes
// numbered 0…n−1, which the entries have room for after their swatch.
func LegendText(n int) string {
	return strings.Repeat("0", len(strconv.Itoa(max(n-1, 0)))) + " off"
}

// classes returns the number of legend entries.
func (l Layout) classes() int {
	if l.Classes <= 0 {
		return 10
	}
	return min(l.Classes, len(Screen{}.Legend))
}

// side puts the legend, the trail key and the thumbnails in a column r.H
// high right of the main plot, which is mainH high.
func (s *Screen) side(t theme.Theme, r Rect, l Layout, mainH float64) {
	p := t.Pad
	ew, eh := legendEntry(t, l)
	// The main plot stays about square, or as wide as its panels side by
	// side, and the train view's curves beside it; it is never narrower
	// than the column.
	mainW := float64(max(l.Panels, 1)) * r.H
	if l.Curves {
		// Square to its full height (the column beside it stops above
		// the page's corner), with the curves right of it.
		mainW = mainH + curvesW(t, mainH) + p
	}
	colW := min(max(r.W-mainW, 0.22*r.W, 2*ew+p), (r.W-p)/2)
	s.Main = Rect{r.X, r.Y, r.W - colW - p, max(mainH, r.H)}
	col := Rect{s.Main.X + s.Main.W + p, r.Y, colW, r.H}
	cols := min(max(int(col.W/ew), 1), 5)
	y, legendW := col.Y-p, 0.0
	if !l.NoLegend {
		y, legendW = s.legend(col, l.classes(), cols, ew, eh), float64(cols)*ew
	}
	y = s.key(t, Rect{col.X, y + p, col.W, 0}, l)
	s.thumbs(t, Rect{col.X, y + p, col.W, col.Y + col.H - y - p}, l.Stages, l.Slots)
	s.trimColumn(col, legendW)
}

// legendRow lays the legend out in as few rows as fit r's width, ending at
// r's bottom, and returns the top of its first row.
func (s *Screen) legendRow(t theme.Theme, r Rect, l Layout) float64 {
	ew, eh, cols := legendRows(t, l, r.W)
	n := l.classes()
	y := r.H - float64((n+cols-1)/cols)*eh
	s.legend(Rect{r.X, y, r.W, 0}, n, cols, ew, eh)
	return y
}

// legendRows returns the size of a legend entry and how many go in a row
// w wide, for the legend in rows under the plots: as legendEntry and
// legendCols give them, but with more than two rows of a data set's
// classes (on a phone) the entries drop the room for "off" (a hidden
// class's swatch is dim) so that the plots keep their height.
func legendRows(t theme.Theme, l Layout, w float64) (ew, eh float64, cols int) {
	ew, eh = legendEntry(t, l)
	n := l.classes()
	if cols = legendCols(w, ew, n); cols < (n+1)/2 {
		ew = math.Ceil(t.Body + TextW(strings.TrimSuffix(LegendText(n), " off"), t.Body) + t.Pad)
		cols = legendCols(w, ew, n)
	}
	return ew, eh, cols
}

// legendCols returns how many of n legend entries ew wide go in a row w
// wide: as few rows as fit, as evenly filled as can be (ten entries: one
// row of ten, or two of five, …).
func legendCols(w, ew float64, n int) int {
	rows := (n + max(int(w/ew), 1) - 1) / max(int(w/ew), 1)
	return (n + rows - 1) / rows
}

// trimColumn gives the main plot the width of the column col that neither
// its legend (legendW wide), its key nor its thumbnails use, moving them
// to the right edge: no empty strip is left beside the thumbnail grid.
func (s *Screen) trimColumn(col Rect, legendW float64) {
	used := max(legendW, s.Key.W, s.KeyTitle.W)
	for _, r := range s.Thumbs {
		used = max(used, r.X+r.W-col.X)
	}
	spare := math.Floor(col.W - used)
	if spare <= 0 {
		return
	}
	s.Main.W += spare
	moved := [][]Rect{s.Thumbs, s.ThumbLabels, s.KeyLabels[:]}
	if legendW > 0 {
		n := 0
		for n < len(s.Legend) && s.Legend[n].W > 0 {
			n++
		}
		moved = append(moved, s.Legend[:n])
	}
	for _, rs := range moved {
		for i := range rs {
			rs[i].X += spare
		}
	}
	s.Key.X += spare
	s.KeyTitle.X += spare
}

// below puts the thumbnails, the trail key and the legend in rows under the
// main plot.
func (s *Screen) below(t theme.Theme, r Rect, l Layout) {
	p := t.Pad
	ew, eh, cols := legendRows(t, l, r.W)
	n := l.classes()
	legendH := float64((n+cols-1)/cols) * eh
	if l.NoLegend {
		legendH = 0
	}
	keyH := 0.0
	if l.keyed() {
		keyH = t.Body/2 + LineH(t.Body) + p
	}
	if l.Key {
		keyH += LineH(t.Body)
	}
	// Lay the thumbnails out in at most 30% of the height, then move them
	// up under the main plot, which takes what they leave.
	thumbH, grid := s.thumbs(t, Rect{r.X, 0, r.W, 0.3 * r.H}, l.Stages, l.Slots)
	rest := r.H - keyH - legendH - p // for the main plot and the thumbnails
	if full := fullWidth(t, r.W, max(l.Stages, l.Slots), grid); full > thumbH && rest-full >= 0.75*r.W {
		// A phone in portrait: the grid spans the width (room for the
		// quality figures) while the main plot stays nearly square.
		thumbH, _ = s.thumbs(t, Rect{r.X, 0, r.W, full + p}, l.Stages, l.Slots) // the grid has no gap under its last row
	}
	s.Main = Rect{r.X, r.Y, r.W, max(rest-thumbH, 0)}
	y := s.Main.Y + s.Main.H + p
	for k := range s.Thumbs {
		s.Thumbs[k].Y += y
		s.ThumbLabels[k].Y += y
	}
	y = s.key(t, Rect{r.X, y + thumbH, r.W, 0}, l)
	if !l.NoLegend {
		s.legend(Rect{r.X, y + p, r.W, legendH}, n, cols, ew, eh)
	}
}

// fullWidth returns the height a grid of n thumbnails in cols columns
// takes when it spans the width w.
func fullWidth(t theme.Theme, w float64, n, cols int) float64 {
	if cols == 0 {
		return 0
	}
	p := t.Pad
	side := math.Floor((w - p*float64(cols-1)) / float64(cols))
	rows := (n + cols - 1) / cols
	return float64(rows)*(side+2*LineH(t.Body)+p) - p
}

// legend lays the first n entries out in rows of cols from the top of r
// and returns the bottom of the last row.
func (s *Screen) legend(r Rect, n, cols int, ew, eh float64) float64 {
	for c := range n {
		s.Legend[c] = Rect{r.X + float64(c%cols)*ew, r.Y + float64(c/cols)*eh, ew, eh}
	}
	return s.Legend[n-1].Y + eh
}

// keyed reports whether the screen has a key: the trail brightness ramp
// of more than one stage, or the neuron views' scale.
func (l Layout) keyed() bool { return l.Stages > 1 || l.Key }

// key lays out the key and its two labels at the top of r, if there is
// one, under a title if it is the neuron views' scale, and returns the
// bottom.
func (s *Screen) key(t theme.Theme, r Rect, l Layout) float64 {
	if !l.keyed() {
		return r.Y
	}
	w := min(r.W, 16*t.Body)
	if l.Key {
		s.KeyTitle = Rect{r.X, r.Y, w, LineH(t.Body)}
		r.Y += s.KeyTitle.H
	}
	s.Key = Rect{r.X, r.Y, w, t.Body / 2}
	lbl := Rect{r.X, s.Key.Y + s.Key.H + t.Pad/2, s.Key.W / 2, LineH(t.Body)}
	s.KeyLabels = [2]Rect{lbl, {lbl.X + lbl.W, lbl.Y, lbl.W, lbl.H}}
	return lbl.Y + lbl.H
}

// thumbs lays out n thumbnails with their label strips in r, in the grid
// of columns that makes max(n, slots) of them largest, and returns the
// height the grid takes and its columns.
func (s *Screen) thumbs(t theme.Theme, r Rect, n, slots int) (float64, int) {
	s.Thumbs, s.ThumbLabels = make([]Rect, n), make([]Rect, n)
	if n == 0 || r.W <= 0 || r.H <= 0 {
		for k := range s.Thumbs {
			s.Thumbs[k], s.ThumbLabels[k] = Rect{r.X, r.Y, 0, 0}, Rect{r.X, r.Y, 0, 0}
		}
		return 0, 0
	}
	p, strip := t.Pad, 2*LineH(t.Body)
	n = max(n, slots)
	best, cols := -1.0, 1
	for c := 1; c <= n; c++ {
		rows := (n + c - 1) / c
		side := min((r.W-p*float64(c-1))/float64(c), (r.H-float64(rows)*(strip+p))/float64(rows))
		if side > best {
			best, cols = side, c
		}
	}
	side := max(math.Floor(best), 0)
	for k := range s.Thumbs {
		x := r.X + float64(k%cols)*(side+p)
		y := r.Y + float64(k/cols)*(side+strip+p)
		s.Thumbs[k] = Rect{x, y, side, side}
		s.ThumbLabels[k] = Rect{x, y + side, max(side-p/2, 0), strip} // a gap between neighbours' labels
	}
	rows := (n + cols - 1) / cols
	return float64(rows)*(side+strip+p) - p, cols
}

// panels splits Main into n panels side by side, each under a title strip.
func (s *Screen) panels(t theme.Theme, n int) {
	s.Panels, s.PanelTitles = nil, nil
	if n == 0 {
		return
	}
	m, lh := s.Main, LineH(t.Body)
	if n > 1 && s.Main.W < s.Main.H {
		// Portrait: the panels go one above the other.
		h := m.H / float64(n)
		for k := range n {
			y := m.Y + float64(k)*h
			s.PanelTitles = append(s.PanelTitles, Rect{m.X, y, m.W, lh})
			s.Panels = append(s.Panels, Rect{m.X, y + lh + t.Pad/2, m.W, max(h-lh-t.Pad, 0)})
		}
		return
	}
	w := m.W / float64(n)
	for k := range n {
		x := m.X + float64(k)*w
		s.PanelTitles = append(s.PanelTitles, Rect{x, m.Y, w - t.Pad, lh})
		s.Panels = append(s.Panels, Rect{x, m.Y + lh + t.Pad/2, w - t.Pad, max(m.H-lh-t.Pad/2, 0)})
	}
}

// WrapW breaks s into lines no wider than width when set at size, at
// spaces; a word wider than a line gets a line of its own.
func WrapW(s string, width, size float64) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case TextW(line+" "+w, size) <= width:
			line += " " + w
		default:
			lines, line = append(lines, line), w
		}
	}
	return append(lines, line)
}

// FitText returns the first of texts that fits width at size, or "" if none does.
func FitText(width, size float64, texts ...string) string {
	for _, s := range texts {
		if TextW(s, size) <= width {
			return s
		}
	}
	return ""
}
