// Package params holds the whole view state of annvis: which network, which
// view, how many digits and how they are projected. The page reads it from the
// URL query and the desktop app from its flags; Encode writes the canonical
// query back, so that a copied link reproduces the picture.
package params

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Models lists the accepted values of Params.Model, the default first.
var Models = []string{"mlp", "cnn", "both"}

// Views lists the accepted values of Params.View, the default first.
var Views = []string{"layers", "epochs", "trace", "bundled", "neurons", "map", "compare", "train"}

// Acts lists the accepted values of Params.Act (hidden-layer activation of
// the train view's MLP), the default first.
var Acts = []string{"relu", "tanh"}

// Methods lists the accepted non-empty values of Params.Method.
var Methods = []string{"chained", "joint", "dynamic"}

// Projs lists the accepted values of Params.Proj, the default first: how the
// neurons and map views place the neurons.
var Projs = []string{"mds", "tsne"}

// Themes lists the accepted values of Params.Theme, the default first.
var Themes = []string{"dark", "light"}

// HiddenLayers is the number of hidden layers the views show for each network.
var HiddenLayers = map[string]int{"mlp": 4, "cnn": 2, "both": 2}

// Limits of the numeric parameters.
const (
	MinN, MaxN                   = 100, 10000
	MinPerplexity, MaxPerplexity = 2, 100
	MinLambda, MaxLambda         = 0, 10
	MinSpeed, MaxSpeed           = 0.1, 10.0
	MinHold, MaxHold             = 0.0, 30.0
	MinTransition, MaxTransition = 0.1, 30.0
	MinScale, MaxScale           = 1, 4

	// Digits is the number of classes of MNIST, the built-in networks'
	// data; a user's data set (docs/data-format.md) has up to MaxClasses.
	Digits, MaxClasses = 10, 20

	// The train view's network and training run.
	MinWidth, MaxWidth   = 16, 512     // units of each hidden layer of arch
	MaxArchLayers        = 4           // hidden layers of arch
	MinLR, MaxLR         = 1e-5, 10    // Adam step size
	MinBatch, MaxBatch   = 1, 1024     // mini-batch size
	MinEpochs, MaxEpochs = 1, 30       // epochs trained
	MinTrain, MaxTrain   = 2000, 20000 // training digits used
)

// Params is the whole view state. The zero value is not valid: start from
// Default.
type Params struct {
	Model      string           // "mlp" (default) | "cnn" | "both" (compare view)
	View       string           // one of Views; "layers" by default
	Layer      int              // 1-based hidden layer for the epochs/neurons views; 0 → last hidden layer
	N          int              // digits projected, MinN..MaxN, default 2000
	Perplexity float64          // t-SNE perplexity, MinPerplexity..MaxPerplexity and < N/3, default 30
	Seed       int64            // seed of every random choice, default 0
	Method     string           // "" → the view's default (see EffectiveMethod) | one of Methods
	Lambda     float64          // dynamic t-SNE coherence weight, MinLambda..MaxLambda, default 0.1
	Classes    [MaxClasses]bool // classes shown, default all; URL form classes=0,1,7 (digits 0..9, or a user's data set's classes)
	Class      int              // class for the neuron view's colouring, 0..9 (or the data's), default 0
	Embed      bool             // hide the page's controls (embed=1)
	Speed      float64          // animation speed factor, MinSpeed..MaxSpeed, default 1
	Proj       string           // neuron projection of the neurons and map views: one of Projs, default "mds"
	Hold       float64          // seconds the animation rests on each stage, MinHold..MaxHold, default 1
	Transition float64          // seconds from one stage to the next at speed 1, MinTransition..MaxTransition, default 1.5
	Theme      string           // colours: one of Themes, default "dark"
	Scale      int              // at least this many pixels per CSS pixel in the drawing and its PNG/GIF exports, MinScale..MaxScale, default 1
	Data       string           // the page's published data set data/NAME.npz (cmd/layouts -data), or ""

	// The train view's run (ignored by the other views).
	Arch   string  // MLP hidden widths "128,128" (1..MaxArchLayers of MinWidth..MaxWidth) or "cnn"; default "128,128"
	Act    string  // hidden activation of the MLP: "relu" (default) | "tanh"
	LR     float64 // Adam step size of the first epoch (halved every epoch), MinLR..MaxLR, default 0.005
	Batch  int     // mini-batch size, MinBatch..MaxBatch, default 64
	Epochs int     // epochs trained, MinEpochs..MaxEpochs, default 5
	Train  int     // training digits used, MinTrain..MaxTrain, default 10000
}

// Default returns the default view state: the MLP's layers view of 2000 digits.
func Default() Params {
	p := Params{
		Model:      "mlp",
		View:       "layers",
		N:          2000,
		Perplexity: 30,
		Lambda:     0.1,
		Speed:      1,
		Proj:       "mds",
		Hold:       1,
		Transition: 1.5,
		Theme:      "dark",
		Scale:      1,
		Arch:       "128,128",
		Act:        "relu",
		LR:         0.005,
		Batch:      64,
		Epochs:     5,
		Train:      10000,
	}
	for i := range p.Classes {
		p.Classes[i] = true
	}
	return p
}

// ToggleClass shows class c if it is hidden and hides it otherwise, among
// the n classes of the data shown (Digits for MNIST): with all n shown,
// Classes is all true (Default's, which Encode omits); otherwise the
// classes from n on are hidden, so that Encode lists only the data's.
func (p *Params) ToggleClass(c, n int) {
	if c < 0 || c >= n || n > MaxClasses {
		return
	}
	p.Classes[c] = !p.Classes[c]
	if !slices.Contains(p.Classes[:n], false) {
		p.Classes = Default().Classes
		return
	}
	for i := n; i < MaxClasses; i++ {
		p.Classes[i] = false
	}
}

// EffectiveMethod returns Method, or the view's default method when Method is
// empty: "joint" for the epochs view, "chained" otherwise.
func (p Params) EffectiveMethod() string {
	if p.Method != "" {
		return p.Method
	}
	if p.View == "epochs" {
		return "joint"
	}
	return "chained"
}

// EffectiveLayer returns the 1-based hidden layer the view shows: Layer, or the
// last hidden layer of the model (train view: of Arch) when Layer is 0.
func (p Params) EffectiveLayer() int {
	if p.Layer == 0 {
		return p.Hidden()
	}
	return p.Layer
}

// Hidden returns the number of hidden layers the view can show: those of
// Arch in the train view (2 for the CNN), of Model otherwise.
func (p Params) Hidden() int {
	if p.View != "train" {
		return HiddenLayers[p.Model]
	}
	w, err := p.Widths()
	if err != nil {
		return 0
	}
	if w == nil {
		return HiddenLayers["cnn"]
	}
	return len(w)
}

// Widths returns the hidden widths of Arch, nil for "cnn", or an error
// saying what is wrong with it.
func (p Params) Widths() ([]int, error) {
	if p.Arch == "cnn" {
		return nil, nil
	}
	parts := strings.Split(p.Arch, ",")
	if len(parts) > MaxArchLayers {
		return nil, fmt.Errorf("arch=%s: at most %d hidden layers", p.Arch, MaxArchLayers)
	}
	w := make([]int, len(parts))
	for i, s := range parts {
		v, err := strconv.Atoi(s)
		if err != nil || v < MinWidth || v > MaxWidth || strconv.Itoa(v) != s {
			return nil, fmt.Errorf("arch=%s: must be cnn or 1 to %d comma-separated widths, each %d..%d", p.Arch, MaxArchLayers, MinWidth, MaxWidth)
		}
		w[i] = v
	}
	return w, nil
}

// IsDefaultView reports whether p shows a model's default view, whose layouts
// ship precomputed: only parameters that do not change the layouts (model mlp
// or cnn, classes, class, embed, speed, hold, transition) may differ from
// Default.
func (p Params) IsDefaultView() bool {
	d := Default()
	return (p.Model == "mlp" || p.Model == "cnn") &&
		p.View == d.View &&
		p.N == d.N &&
		p.Perplexity == d.Perplexity &&
		p.Seed == d.Seed &&
		p.Proj == d.Proj &&
		p.EffectiveMethod() == d.EffectiveMethod()
}
