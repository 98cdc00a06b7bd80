// Package ui holds the screen geometry of annvis, free of any graphics
// library: where the canvas, thumbnails, legend, buttons and timeline go for
// a window size, how a projection is fitted into a rectangle, and which
// point or control lies under the pointer.
package ui

import (
	"math"
	"strings"

	"annvis/core/app/theme"
	"annvis/core/app/typeface"
)

// Rect is an axis-aligned rectangle in screen pixels.
type Rect struct{ X, Y, W, H float64 }

// Contains reports whether (x, y) lies inside r.
func (r Rect) Contains(x, y float64) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}

// Inset returns r shrunk by d on every side (never below zero size).
func (r Rect) Inset(d float64) Rect {
	w, h := max(r.W-2*d, 0), max(r.H-2*d, 0)
	return Rect{r.X + (r.W-w)/2, r.Y + (r.H-h)/2, w, h}
}

// LineH returns the height of one line of text set at size pixels per em,
// leading included.
func LineH(size float64) float64 {
	return math.Ceil(typeface.LineHeight(size) + 0.15*size)
}

// TextW returns the width of s set at size pixels per em.
func TextW(s string, size float64) float64 { return typeface.Width(s, size) }

// Row lays out one button per label, each sized to its text in t's body
// size, left to right from the top left of r, continuing on a new row below
// when a button would cross r's right edge, and returns their rectangles.
func Row(t theme.Theme, labels []string, r Rect) []Rect {
	rs := make([]Rect, len(labels))
	x, y := r.X, r.Y
	for i, l := range labels {
		w := math.Ceil(TextW(l, t.Body) + 2*t.Pad)
		if x > r.X && x+w > r.X+r.W {
			x, y = r.X, y+t.Button+t.Pad
		}
		rs[i] = Rect{x, y, w, t.Button}
		x += w + t.Pad
	}
	return rs
}

// Rows returns how many rows Row needs for labels within width w.
func Rows(t theme.Theme, labels []string, w float64) int {
	rs := Row(t, labels, Rect{W: w})
	if len(rs) == 0 {
		return 0
	}
	return int(math.Round(rs[len(rs)-1].Y/(t.Button+t.Pad))) + 1
}

// Hit returns the index of the first rectangle containing (x, y), or -1.
func Hit(rs []Rect, x, y float64) int {
	for i, r := range rs {
		if r.Contains(x, y) {
			return i
		}
	}
	return -1
}

// Fit maps projection coordinates into a rectangle: screen = p·Scale + Off.
type Fit struct{ Scale, OffX, OffY float64 }

// FitPoints returns the aspect-preserving Fit that centres the bounding box
// of pos (interleaved x,y) in r; empty or degenerate input maps to r's centre.
func FitPoints(pos []float64, r Rect) Fit {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for i := 0; i+1 < len(pos); i += 2 {
		minX, maxX = math.Min(minX, pos[i]), math.Max(maxX, pos[i])
		minY, maxY = math.Min(minY, pos[i+1]), math.Max(maxY, pos[i+1])
	}
	cx, cy := r.X+r.W/2, r.Y+r.H/2
	w, h := maxX-minX, maxY-minY
	if !(w > 0 || h > 0) {
		return Fit{0, cx, cy}
	}
	s := math.Min(r.W/math.Max(w, 1e-300), r.H/math.Max(h, 1e-300))
	return Fit{s, cx - s*(minX+maxX)/2, cy - s*(minY+maxY)/2}
}

// Apply writes the screen coordinates of pos into dst (grown as needed) and
// returns it.
func (f Fit) Apply(dst, pos []float64) []float64 {
	dst = append(dst[:0], pos...)
	for i := 0; i+1 < len(dst); i += 2 {
		dst[i] = dst[i]*f.Scale + f.OffX
		dst[i+1] = dst[i+1]*f.Scale + f.OffY
	}
	return dst
}

// Nearest returns the index of the point of pts (interleaved x,y) closest to
// (x, y) within radius among those keep accepts (nil keeps all), or -1.
func Nearest(pts []float64, x, y, radius float64, keep func(i int) bool) int {
	best, bestD := -1, radius*radius
	for i := 0; 2*i+1 < len(pts); i++ {
		dx, dy := pts[2*i]-x, pts[2*i+1]-y
		if d := dx*dx + dy*dy; d <= bestD && (keep == nil || keep(i)) {
			best, bestD = i, d
		}
	}
	return best
}

// Wrap breaks s into lines of at most cols characters, at spaces when it
// can and inside words longer than a line; newlines in s are kept.
func Wrap(s string, cols int) []string {
	cols = max(cols, 1)
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			switch {
			case line == "":
			case len(line)+1+len(w) <= cols:
				line += " " + w
				continue
			default:
				lines = append(lines, line)
			}
			for len(w) > cols {
				lines, w = append(lines, w[:cols]), w[cols:]
			}
			line = w
		}
		lines = append(lines, line)
	}
	return lines
}
