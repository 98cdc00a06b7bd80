// Package limits holds the bounds of the readers of a user's NumPy data
// (core/userdata) apart from the readers, so that a program may check a
// file against them without linking the NumPy reader: the page's drawing
// program refuses a file too large to read before reading it, and its
// computing workers read the file.
package limits

// MaxHeader is the largest .npy header accepted, in bytes (NumPy writes
// fewer than 200 for the arrays of this format).
const MaxHeader = 4096

// Arrays is the number of arrays of a data set that are not stages:
// labels, class_names, images, predictions and meta (docs/data-format.md).
const Arrays = 5

// Limits bound what a reader accepts; every check happens before the
// memory it guards is allocated.
type Limits struct {
	MaxN       int   // points with activations
	MaxShownN  int   // points of a published set (layouts, no activations)
	MaxDim     int   // columns D of a stage
	MaxStages  int   // stages (layers or epochs)
	MaxClasses int   // classes C
	MaxValues  int64 // elements of all arrays together
}

// Page and Native are the limits of the page (in a browser tab) and of the
// desktop app and cmd/layouts.
var (
	Page   = Limits{MaxN: 10000, MaxShownN: 100000, MaxDim: 4096, MaxStages: 32, MaxClasses: 20, MaxValues: 1 << 26}
	Native = Limits{MaxN: 100000, MaxShownN: 100000, MaxDim: 4096, MaxStages: 32, MaxClasses: 20, MaxValues: 1 << 29}
)

// MaxFile returns the largest .npz file read under lim: every value as a
// float64, and the headers of the most arrays.
func (lim Limits) MaxFile() int64 {
	return lim.MaxValues*8 + int64(lim.MaxStages+Arrays)*(MaxHeader+1024)
}
