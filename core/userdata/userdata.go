// Package userdata holds a user's own network activations read from NumPy
// files: a .npz archive, or a folder of .npy files beside a meta.json, in
// the format of docs/data-format.md. Every size is bounded by Limits before
// anything is allocated, and every value is checked (NaN, Inf, labels out of
// range, arrays of different N) with an error naming the array and what is
// wrong, so that a hostile or broken file never panics nor draws a silent
// wrong picture.
package userdata

import (
	"fmt"

	"annvis/core/userdata/limits"
)

// Limits bound what a reader accepts; every check happens before the
// memory it guards is allocated. They live in package limits, which the
// page's drawing program links without this package's readers.
type Limits = limits.Limits

// Page and Native are the limits of the page (in a browser tab) and of the
// desktop app and cmd/layouts.
var (
	Page   = limits.Page
	Native = limits.Native
)

// Kinds lists the accepted values of Set.Kind, the default first: stages are
// the layers of one network, or one layer across training epochs.
var Kinds = []string{"layers", "epochs"}

// Set is a user's data set: N points with labels and, per stage, their N×D
// activations.
type Set struct {
	Title      string   // the meta's title, or ""
	Kind       string   // one of Kinds
	Shared     bool     // the stages are the same neurons (so the neuron views apply)
	ClassNames []string // C names, "0", "1", … unless given
	Labels     []uint8  // N classes, 0…C−1
	Predicted  []uint8  // N predictions, 0…C−1, or nil
	Images     *Images  // for hovering, or nil
	Stages     []Stage  // in order
	Layouts    *Layouts // published with cmd/layouts -data, or nil
}

// Layouts are a set's stages projected by cmd/layouts -data, published
// with it (arrays layout_0, layout_1, …, and the meta's "layouts"): a page
// shows them at once, and a published set may leave out its activations.
type Layouts struct {
	Method     string       `json:"method"` // t-SNE sequence method
	Perplexity float64      `json:"perplexity"`
	Seed       int64        `json:"seed"`
	Quality    [][2]float64 `json:"quality"` // per stage: neighbourhood hit and trustworthiness
	Positions  [][]float64  `json:"-"`       // per stage, 2N, interleaved x, y
}

// Stage is one layer or epoch: N rows of D activations.
type Stage struct {
	Name   string
	Dim    int       // D, or 0 in a published set without activations
	Values []float32 // N×D, row-major; nil in a published set without activations
}

// Published reports whether the set is layouts without activations.
func (s *Set) Published() bool { return s.Layouts != nil && s.Stages[0].Values == nil }

// Images are the points' pictures, grey, row-major, 0 = black … 255 = white.
type Images struct {
	H, W   int
	Pixels []uint8 // N×H×W
}

// N returns the number of points.
func (s *Set) N() int { return len(s.Labels) }

// Classes returns the number of classes C.
func (s *Set) Classes() int { return len(s.ClassNames) }

// Image returns the pixels of point i, or nil.
func (im *Images) Image(i int) []uint8 {
	if im == nil || i < 0 || (i+1)*im.H*im.W > len(im.Pixels) {
		return nil
	}
	return im.Pixels[i*im.H*im.W : (i+1)*im.H*im.W]
}

func errorf(format string, a ...any) error {
	return fmt.Errorf("userdata: "+format, a...)
}
