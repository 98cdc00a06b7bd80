package viewstate

import (
	"errors"
	"math"
	"sync"

	"annvis/core/bundle"
	"annvis/core/params"
)

// Panel is what a neuron view draws of one stage: its neurons' projection
// and discriminative map.
type Panel struct {
	Pos        []float64 // 2 per neuron, interleaved x, y
	Stress     float64   // Kruskal's stress-1 of the projection; NaN if it has none
	Importance []float64 // neurons×Classes() one-vs-rest importances, row-major
	Class      []int     // per neuron, the class it discriminates best
	Opacity    []float64 // per neuron, its importance normalised within its class
}

// Classes returns the number of classes of the importances (see
// neurons.Map.Classes): their columns.
func (p *Panel) Classes() int {
	if len(p.Class) == 0 {
		return params.Digits
	}
	return len(p.Importance) / len(p.Class)
}

// Snapshot is a copy of what a pipeline has computed so far, for a reader
// on another goroutine or in another program (the page, fed by a Web
// Worker): what the view draws, and nothing it computes with. Slices other
// than Positions are never changed once set.
type Snapshot struct {
	Status    Status
	Bundled   bool              // the view is the bundled view
	Names     []string          // stage names, nil until planned
	N         int               // digits of the view
	Labels    []uint8           // true classes, nil until known
	Predicted [][]uint8         // per stage, nil until known
	Positions [][]float64       // per stage, 2N, nil until the stage is ready
	Quality   []Quality         // per stage
	Panels    []*Panel          // neuron views: per stage, nil until done
	Bundles   [2]*bundle.Result // bundled view: each class [0], all together [1]
	Images    []uint8           // the N digits' 28×28 pixels, nil until known
	Training  *Training         // train view: the run's state, nil before it starts
	Trained   Network           // train view: the latest stage's network, nil before the first
}

// Network is a trained network as a reader saves it. Values are
// comparable: the same network is the same value (an Encoder sends each
// once).
type Network interface {
	// File returns the network as a checkpoint file (models/README.md).
	File() ([]byte, error)
}

// checkpointFile is a network as the checkpoint file an update brought.
type checkpointFile struct{ b []byte }

// File returns the file.
func (c *checkpointFile) File() ([]byte, error) { return c.b, nil }

// resize returns s with n elements, its first ones kept, the rest zero.
func resize[T any](s []T, n int) []T {
	if len(s) > n {
		clear(s[n:])
		return s[:n]
	}
	return append(s, make([]T, n-len(s))...)
}

// Shared is a Snapshot guarded by a mutex: a producer (a goroutine running
// a pipeline, or a Web Worker's messages) updates it, the view reads it
// through its methods, which have the meaning of the pipeline's of the same
// names. The zero value is an empty view.
type Shared struct {
	mu          sync.Mutex
	s           Snapshot
	all         bool // the reader wants all classes bundled together
	trainPaused bool // the reader wants the training paused
}

// Update runs f on the snapshot under the lock.
func (sh *Shared) Update(f func(s *Snapshot)) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	f(&sh.s)
}

// Status returns the producer's status; in the bundled view, not ready
// until the bundling the reader wants has arrived.
func (sh *Shared) Status() Status {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	st := sh.s.Status
	if sh.s.Bundled && st.Done && st.Err == nil && sh.s.Bundles[bundleIndex(sh.all)] == nil {
		st.Progress = min(st.Progress, 1-BundleShare)
		st.Phase = "bundling trails"
	}
	return st
}

// Stages returns the names of the view's stages; nil until planned.
func (sh *Shared) Stages() []string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.s.Names
}

// N returns the number of digits of the view.
func (sh *Shared) N() int {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.s.N
}

// Ready reports whether stage k has a layout to draw.
func (sh *Shared) Ready(k int) bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return k >= 0 && k < len(sh.s.Positions) && sh.s.Positions[k] != nil
}

// Positions appends the current layout of stage k into dst[:0].
func (sh *Shared) Positions(k int, dst []float64) []float64 {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if k < 0 || k >= len(sh.s.Positions) {
		return dst[:0]
	}
	return append(dst[:0], sh.s.Positions[k]...)
}

// Labels returns the true class of each digit; nil until known.
func (sh *Shared) Labels() []uint8 {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.s.Labels
}

// Predicted returns the predictions at stage k; nil until known.
func (sh *Shared) Predicted(k int) []uint8 {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if k < 0 || k >= len(sh.s.Predicted) {
		return nil
	}
	return sh.s.Predicted[k]
}

// Image returns the 28×28 pixels of digit i of the view, or nil.
func (sh *Shared) Image(i int) []uint8 {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if i < 0 || (i+1)*imagePixels > len(sh.s.Images) {
		return nil
	}
	return sh.s.Images[i*imagePixels : (i+1)*imagePixels]
}

// Quality returns the quality of stage k's projection, NaN until known.
func (sh *Shared) Quality(k int) Quality {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if k < 0 || k >= len(sh.s.Quality) {
		return Quality{math.NaN(), math.NaN()}
	}
	return sh.s.Quality[k]
}

// Panel returns the neuron view of stage k, nil until done.
func (sh *Shared) Panel(k int) *Panel {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if k < 0 || k >= len(sh.s.Panels) {
		return nil
	}
	return sh.s.Panels[k]
}

// Bundles returns the bundled trails the reader wants, nil until computed.
func (sh *Shared) Bundles() *bundle.Result {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.s.Bundles[bundleIndex(sh.all)]
}

// BundleAll returns the reader's choice of bundling.
func (sh *Shared) BundleAll() bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.all
}

// Training returns the train view's run state; false before it starts and
// in other views.
func (sh *Shared) Training() (Training, bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.s.Training == nil {
		return Training{}, false
	}
	tr := *sh.s.Training
	tr.Paused = sh.trainPaused
	return tr, true
}

// PauseTraining records the reader's wish to pause (true) or resume the
// training; the producer applies it.
func (sh *Shared) PauseTraining(paused bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.trainPaused = paused
}

// TrainingPaused reports the reader's wish to pause the training.
func (sh *Shared) TrainingPaused() bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.trainPaused
}

// Checkpoint returns the train view's latest trained network as a
// checkpoint file (models/README.md format).
func (sh *Shared) Checkpoint() ([]byte, error) {
	sh.mu.Lock()
	c := sh.s.Trained
	sh.mu.Unlock()
	if c == nil {
		return nil, errors.New("viewstate: no network trained in this view yet")
	}
	return c.File() // c is never changed once published
}

// SetBundleAll records the reader's choice of bundling: each class
// separately (false) or all together.
func (sh *Shared) SetBundleAll(all bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.all = all
}

// BundleShare is the part of the bundled view's progress that bundling takes.
const BundleShare = 0.3

// bundleIndex returns the index in Snapshot.Bundles of the bundling of each
// class (false) or of all classes together.
func bundleIndex(all bool) int {
	if all {
		return 1
	}
	return 0
}
