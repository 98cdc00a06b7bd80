// Package viewstate holds what a view has computed, as the program that
// draws it reads it: snapshots of a pipeline's progress, layouts, neuron
// panels, bundled trails and training run, the codec of the updates that
// carry them from a Web Worker to the page, and the plan of a view (its
// sequence, its shipped layouts, the stages other workers can prepare).
// It links neither the networks nor the projections, so that the page's
// drawing program stays small; core/pipeline computes what it holds.
package viewstate

import "fmt"

// Bounds of a view.
const (
	MaxDigits = 10000 // digits per layout
	MaxStages = 64    // stages per view
)

// imagePixels is the size of a digit's image in the updates: 28×28
// (mnist.Pixels, which a test checks), named here so that the page's
// drawing program does not link the MNIST decoder and its asset codec.
const imagePixels = 28 * 28

// Status is the progress of a pipeline.
type Status struct {
	Phase       string  // what runs now, e.g. "fetching mlp-e20.zst", "t-SNE 41%", "ready"
	Progress    float64 // 0..1 of the whole job
	Err         error   // the error that stopped the pipeline, or nil
	Done        bool    // every stage has its final layout
	Precomputed bool    // the layouts came from the shipped precomputed asset
}

// Quality measures a projection: its neighbourhood hit and trustworthiness
// (tsne.NeighborhoodHit, tsne.Trustworthiness, with pipeline.QualityK
// neighbours), NaN when not computed.
type Quality struct{ NH, TW float64 }

// Training is the state of the train view's run, for its panel.
type Training struct {
	Epoch, Epochs int       // epochs trained, and to train
	Batches       int       // mini-batches trained
	PerEpoch      int       // mini-batches per epoch
	Losses        []Loss    // the training-loss curve
	Accuracies    []float64 // test accuracy of each stage, epoch 0 first
	Trained       []float64 // epochs trained at each stage (fractional within an epoch)
	Seconds       []float64 // training time at each stage: wall-clock seconds spent in the run's steps (training and evaluating), for the benchmarks
	Paused        bool
	Stopped       error // divergence, or nil
}

// Over reports whether the run is over: its last stage, of every epoch
// trained, is evaluated. The run's Epoch reaches Epochs with the last
// mini-batch, before that evaluation; a run that diverged stops before (see
// Stopped).
func (t Training) Over() bool {
	n := len(t.Trained)
	return t.Epochs > 0 && n > 0 && t.Trained[n-1] >= float64(t.Epochs)
}

// Unfinished reports whether the run may still train: it is not over and
// did not diverge (it may be paused, or evaluating its last epoch's stage).
func (t Training) Unfinished() bool { return t.Stopped == nil && !t.Over() }

// Loss is a point of the training-loss curve (learn.Point).
type Loss struct {
	Epoch float64 // epochs trained so far, fractional
	Loss  float64 // mean cross-entropy of the batches since the previous point
}

// AssetError is a failure to load one asset: the file, the layer that
// failed and why. Its message, the pipeline's that loads assets, ends with
// what the user can do.
type AssetError struct {
	File  string // e.g. "mlp-e20.zst" or "manifest.json"
	Layer string // "manifest", "download", "size", "integrity", "decompression", "format" or "consistency"
	Err   error
}

// Error returns e.g. "pipeline: mlp-e20.zst: integrity check failed: … reload the page …".
func (e *AssetError) Error() string {
	return fmt.Sprintf("pipeline: %s: %s check failed: %v. %s", e.File, e.Layer, e.Err, advice[e.Layer])
}

// Unwrap returns the underlying error.
func (e *AssetError) Unwrap() error { return e.Err }

// advice says, per layer, what the user (or the site's maintainer) can do.
var advice = map[string]string{
	"manifest":      "The site's manifest.json does not list it: the site is incomplete; rebuild it with make web.",
	"download":      "Check the connection and reload the page; if it persists, the site is missing the file.",
	"size":          "The file is not the one manifest.json describes: reload the page (a cache may hold an old copy); if it persists, rebuild the site with make web.",
	"integrity":     "The file is not the one manifest.json describes: reload the page (a cache may hold an old copy); if it persists, rebuild the site with make web.",
	"decompression": "The file is damaged: rebuild the site with make web.",
	"format":        "The file is damaged or from another version of annvis: rebuild the site with make web.",
	"consistency":   "The site's assets do not belong together: regenerate them with make models, then rebuild the site with make web.",
}
