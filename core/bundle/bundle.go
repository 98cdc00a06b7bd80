// Package bundle bundles trails (polylines) into a readable summary by
// kernel density estimation edge bundling, KDEEB (Hurter, Ersoy and Telea,
// "Graph Bundling by Kernel Density Estimation", EuroVis 2012).
//
// A trail is a polyline x0, y0, x1, y1, … in any units, such as one digit's
// t-SNE positions across the layers of a network. Bundle resamples the
// trails, then repeatedly splats their points into a density grid, blurs it
// with a kernel of radius h, moves every free point uphill along the
// normalised density gradient by a fraction of h, smooths the trails and
// shrinks h. End points never move. While h is large the density is
// estimated on a coarser grid (at least 3 cells per h), which changes it
// little and saves most of the blurring.
//
// Run returns the bundled polylines with each point's stage (for colouring
// by depth); Bundle and BundleByClass return the polylines only; Density
// draws the density raster itself.
package bundle

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
)

// Config sets up the bundling (Run, Job, Bundle, BundleByClass) and
// Density. The zero value gives the defaults of KDEEB and of the lab: a
// 512² grid, h from at most 32 px (tuned to the trail lengths) down to 2 px
// by ×0.83 over 15 iterations, steps of 0.5·h, the trails resampled after
// each iteration.
type Config struct {
	Size int // density grid side in pixels; 0 → 512
	// Bandwidth is the starting kernel radius h in pixels; 0 → tuned to
	// the trails: a quarter of the median trail length of each bundled
	// group, between MinBandwidth and 32.
	Bandwidth    float64
	MinBandwidth float64 // h never shrinks below this; 0 → 2
	Shrink       float64 // factor applied to h after each iteration, in (0, 1]; 0 → 0.83
	Iterations   int     // 0 → 15
	Step         float64 // move per iteration as a fraction of h; 0 → 0.5
	Smoothing    float64 // Laplacian smoothing weight per iteration, in [0, 1]; 0 → 0.5
	Spacing      float64 // resampling distance in pixels; 0 → 3
	// KeepVertices pins every input vertex (a trail's stage positions), not
	// only the end points, so that only the paths between them bundle.
	KeepVertices bool

	tuned bool // Bandwidth was 0: tune it to the trails
}

// maxBandwidth is the default and largest tuned starting bandwidth.
const maxBandwidth = 32

// tuneBandwidth returns the starting kernel radius for trails of the given
// lengths (grid pixels): a quarter of the median length, between
// MinBandwidth and maxBandwidth. A kernel much wider than the trails pulls
// each one into a point, and a group of short trails into a starburst
// around its centre; a quarter of their length gathers the trails that run
// side by side while each keeps its course.
func tuneBandwidth(lengths []float64, cfg Config) float64 {
	if len(lengths) == 0 {
		return cfg.Bandwidth
	}
	med := slices.Clone(lengths)
	slices.Sort(med)
	return max(cfg.MinBandwidth, min(med[len(med)/2]/4, maxBandwidth))
}

func (c Config) withDefaults() (Config, error) {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	if c.Size == 0 {
		c.Size = 512
	}
	if c.Iterations == 0 {
		c.Iterations = 15
	}
	c.tuned = c.Bandwidth == 0
	def(&c.Bandwidth, maxBandwidth)
	def(&c.MinBandwidth, 2)
	def(&c.Shrink, 0.83)
	def(&c.Step, 0.5)
	def(&c.Smoothing, 0.5)
	def(&c.Spacing, 3)
	switch {
	case c.Size < 8 || c.Size > 8192:
		return c, fmt.Errorf("bundle: grid size %d must be between 8 and 8192", c.Size)
	case c.Iterations < 0:
		return c, fmt.Errorf("bundle: %d iterations must be ≥ 0", c.Iterations)
	case !(c.Bandwidth > 0 && c.Bandwidth <= float64(c.Size)):
		return c, fmt.Errorf("bundle: bandwidth %g must be > 0 and ≤ the grid size %d", c.Bandwidth, c.Size)
	case !(c.MinBandwidth > 0 && c.MinBandwidth <= c.Bandwidth):
		return c, fmt.Errorf("bundle: minimum bandwidth %g must be > 0 and ≤ the bandwidth %g", c.MinBandwidth, c.Bandwidth)
	case !(c.Shrink > 0 && c.Shrink <= 1):
		return c, fmt.Errorf("bundle: shrink %g must be in (0, 1]", c.Shrink)
	case !(c.Step > 0 && c.Step <= 1):
		return c, fmt.Errorf("bundle: step %g must be in (0, 1]", c.Step)
	case !(c.Smoothing >= 0 && c.Smoothing <= 1):
		return c, fmt.Errorf("bundle: smoothing %g must be in [0, 1]", c.Smoothing)
	case !(c.Spacing >= 0.25 && c.Spacing <= float64(c.Size)):
		return c, fmt.Errorf("bundle: spacing %g must be between 0.25 and the grid size %d", c.Spacing, c.Size)
	}
	return c, nil
}

// Result holds bundled trails in their input order.
type Result struct {
	// Lines are the bundled polylines, x0, y0, x1, y1, … in input units,
	// resampled about Config.Spacing grid pixels apart.
	Lines [][]float64
	// Stage tells, per trail and point, where along its input trail the
	// point started: the input vertex index (the stage), fractional between
	// vertices; for colouring the bundles by depth.
	Stage [][]float32
}

// Run bundles the trails, each class separately when classes (one per
// trail) is not nil, all in one grid frame covering every trail so that the
// bundles overlay. Every trail keeps its end points exactly. Classes are
// bundled in parallel where the platform allows.
func Run(trails [][]float64, classes []uint8, cfg Config) (*Result, error) {
	j, err := NewJob(trails, classes, cfg)
	if err != nil {
		return nil, err
	}
	work := make(chan *bundler)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				for !b.iterate() {
				}
				b.finish(j.res)
			}
		}()
	}
	for _, b := range j.groups {
		work <- b
	}
	close(work)
	wg.Wait()
	return j.res, nil
}

// Job is Run in small steps, a fifth of a bundling iteration of one class
// per Step, for a single-threaded browser; its result equals Run's.
type Job struct {
	groups []*bundler
	next   int // the group being bundled
	steps  int
	res    *Result
}

// NewJob validates its arguments like Run and prepares the bundling.
func NewJob(trails [][]float64, classes []uint8, cfg Config) (*Job, error) {
	if classes != nil && len(classes) != len(trails) {
		return nil, fmt.Errorf("bundle: %d classes for %d trails", len(classes), len(trails))
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	fr, err := frameOf(trails, cfg.Size)
	if err != nil {
		return nil, err
	}
	j := &Job{res: &Result{Lines: make([][]float64, len(trails)), Stage: make([][]float32, len(trails))}}
	for _, g := range groups(len(trails), classes) {
		j.groups = append(j.groups, newBundler(trails, g, fr, cfg))
	}
	return j, nil
}

// Step runs a fifth of an iteration of one class's bundling and reports
// whether the job is done.
func (j *Job) Step() bool {
	if j.next == len(j.groups) {
		return true
	}
	b := j.groups[j.next]
	j.steps++
	if b.iterate() {
		b.finish(j.res)
		j.next++
	}
	return j.next == len(j.groups)
}

// Progress returns the fraction of the job done, 0 to 1.
func (j *Job) Progress() float64 {
	if j.next == len(j.groups) {
		return 1
	}
	return float64(j.steps) / float64(len(j.groups)*(phases*j.groups[0].cfg.Iterations+1))
}

// Result returns the bundled trails, or nil before the job is done.
func (j *Job) Result() *Result {
	if j.next < len(j.groups) {
		return nil
	}
	return j.res
}

// groups returns the trail indices of each class present, or of all trails
// when classes is nil.
func groups(n int, classes []uint8) [][]int {
	if classes == nil {
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		return [][]int{all}
	}
	var by [256][]int
	for i, c := range classes {
		by[c] = append(by[c], i)
	}
	var gs [][]int
	for _, g := range by {
		if len(g) > 0 {
			gs = append(gs, g)
		}
	}
	return gs
}

// Bundle bundles all trails together and returns Run's Lines.
func Bundle(trails [][]float64, cfg Config) ([][]float64, error) {
	res, err := Run(trails, nil, cfg)
	if err != nil {
		return nil, err
	}
	return res.Lines, nil
}

// BundleByClass bundles the trails of each class separately, as the lab
// did, and returns Run's Lines.
func BundleByClass(trails [][]float64, classes []uint8, cfg Config) ([][]float64, error) {
	if classes == nil {
		return nil, fmt.Errorf("bundle: %d trails but no classes", len(trails))
	}
	res, err := Run(trails, classes, cfg)
	if err != nil {
		return nil, err
	}
	return res.Lines, nil
}

// bundler bundles one group of trails, an iteration at a time.
type bundler struct {
	trails [][]float64 // the group's trails
	idx    []int       // their indices in the input
	fr     frame
	cfg    Config
	s      *samples
	p      pyramid
	h      float64
	it     int // iterations done
	phase  int // of the current iteration
}

func newBundler(all [][]float64, idx []int, fr frame, cfg Config) *bundler {
	trails := make([][]float64, len(idx))
	for k, i := range idx {
		trails[k] = all[i]
	}
	return &bundler{trails: trails, idx: idx, fr: fr, cfg: cfg, h: cfg.Bandwidth}
}

// phases is the number of iterate calls per bundling iteration: splat,
// three box blurs, move and smooth (each a pass over the grid or points, so
// that a Job's steps stay short).
const phases = 5

// iterate resamples the trails on the first call and makes one fifth of a
// bundling iteration on the others; it reports whether all are done.
func (b *bundler) iterate() bool {
	if b.s == nil {
		b.s = resample(b.trails, b.fr, b.cfg.Spacing, b.cfg.KeepVertices)
		if b.cfg.tuned {
			b.h = tuneBandwidth(b.s.lengths(), b.cfg)
		}
		return false
	}
	g := b.p.at(b.cfg.Size, b.h)
	switch b.phase {
	case 0:
		g.splat(b.s.pts)
	case 1, 2, 3:
		g.blur(b.h, b.phase-1)
	case 4:
		b.s.advect(g, b.cfg.Step*b.h)
		b.s.smooth(b.cfg.Smoothing)
		b.s.respace(b.cfg.Spacing)
		b.h = max(b.h*b.cfg.Shrink, b.cfg.MinBandwidth)
		b.it++
	}
	b.phase = (b.phase + 1) % phases
	return b.it == b.cfg.Iterations
}

// finish writes the bundled trails into res and frees the grids.
func (b *bundler) finish(res *Result) {
	b.s.polylines(b.trails, b.fr, res, b.idx)
	b.s, b.p = nil, pyramid{}
}

// frame maps input units to grid pixels: p = (x − x0)·scale + margin.
type frame struct {
	x0, y0, scale, margin float64
}

// frameOf validates the trails and fits their bounding box, aspect ratio
// kept, into a size² grid with a margin of 1/16 of the grid.
func frameOf(trails [][]float64, size int) (frame, error) {
	lo := [2]float64{math.Inf(1), math.Inf(1)}
	hi := [2]float64{math.Inf(-1), math.Inf(-1)}
	for i, t := range trails {
		if len(t) < 2 || len(t)%2 != 0 {
			return frame{}, fmt.Errorf("bundle: trail %d has %d coordinates; want an even number ≥ 2 (x0, y0, x1, y1, …)", i, len(t))
		}
		for k, v := range t {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return frame{}, fmt.Errorf("bundle: trail %d coordinate %d is %v", i, k, v)
			}
			lo[k%2] = min(lo[k%2], v)
			hi[k%2] = max(hi[k%2], v)
		}
	}
	if len(trails) == 0 {
		return frame{scale: 1}, nil
	}
	fr := frame{x0: lo[0], y0: lo[1], scale: 1, margin: float64(size) / 16}
	if ext := max(hi[0]-lo[0], hi[1]-lo[1]); ext > 0 {
		fr.scale = (float64(size) - 2*fr.margin) / ext
		if math.IsInf(ext, 0) || math.IsInf(fr.scale, 0) {
			return frame{}, fmt.Errorf("bundle: trails span %g × %g, outside what a grid can map", hi[0]-lo[0], hi[1]-lo[1])
		}
	}
	return fr, nil
}
