package pipeline

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"annvis/core/assets"
	"annvis/core/bundle"
)

// BundlesVersion is the version of the precomputed-bundles format written
// by EncodeBundles.
const BundlesVersion = 1

// bundlesMagic starts every decompressed bundles payload.
const bundlesMagic = "ANNVBUND"

// MaxBundlePoints bounds the points of one bundled trail.
const MaxBundlePoints = 1 << 16

// Quantisation of the bundles format: coordinates to bundleLevels steps
// across the bundles' extent, stages to 1/stageSteps.
const (
	bundleLevels = math.MaxUint16
	stageSteps   = 4096
)

// Bundles are the bundled trails of a digit view (each class bundled
// separately), precomputed from the shipped layouts file whose SHA-256 they
// record, so that the bundled view opens at once.
type Bundles struct {
	Layouts string         // hex SHA-256 of the layouts file the trails were bundled from
	Result  *bundle.Result // one bundled trail per digit, in layout units
}

// Validate reports the first inconsistency in b, or nil.
func (b *Bundles) Validate() error {
	if !isHash(b.Layouts) {
		return fmt.Errorf("pipeline: bundles: layouts SHA-256 %q is not 64 lower-case hex digits", b.Layouts)
	}
	r := b.Result
	if r == nil || len(r.Lines) < 1 || len(r.Lines) > MaxDigits || len(r.Stage) != len(r.Lines) {
		return errors.New("pipeline: bundles: want 1..10000 trails, each with its stages")
	}
	for i, l := range r.Lines {
		if len(l) < 2 || len(l) > 2*MaxBundlePoints || len(l) != 2*len(r.Stage[i]) {
			return fmt.Errorf("pipeline: bundles: trail %d has %d coordinates and %d stages; want 1..%d points", i, len(l), len(r.Stage[i]), MaxBundlePoints)
		}
		for k, v := range l {
			if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > math.MaxFloat32 {
				return fmt.Errorf("pipeline: bundles: trail %d coordinate %d is %v", i, k, v)
			}
		}
		for k, s := range r.Stage[i] {
			if !(s >= 0 && s <= MaxStages) {
				return fmt.Errorf("pipeline: bundles: trail %d point %d has stage %v, not in 0..%d", i, k, s, MaxStages)
			}
		}
	}
	return nil
}

// frame returns the quantisation frame of the trails: their lower corner
// and the size of one step.
func (b *Bundles) frame() (x0, y0, step float64) {
	lo, hi := [2]float64{math.Inf(1), math.Inf(1)}, [2]float64{math.Inf(-1), math.Inf(-1)}
	for _, l := range b.Result.Lines {
		for k, v := range l {
			lo[k%2], hi[k%2] = min(lo[k%2], v), max(hi[k%2], v)
		}
	}
	step = max(hi[0]-lo[0], hi[1]-lo[1]) / bundleLevels
	if !(step > 0) {
		step = 1
	}
	return lo[0], lo[1], step
}

// EncodeBundles validates b and returns it as a zstd-compressed, versioned
// payload: magic, version, the layouts hash, trail count, the quantisation
// frame (x0, y0, step as float64), then per trail its point count and, per
// point, x and y as steps from (x0, y0) and the stage in 1/4096, each as
// the zigzag varint of its second difference along the trail. Coordinates
// are within half a step (1/131070 of the extent) of the bundling's.
func EncodeBundles(b *Bundles) ([]byte, error) {
	raw, err := marshalBundles(b)
	if err != nil {
		return nil, err
	}
	return assets.Compress(raw)
}

// marshalBundles validates b and returns its payload before compression.
func marshalBundles(b *Bundles) ([]byte, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	var w bytes.Buffer
	w.WriteString(bundlesMagic)
	le := binary.LittleEndian
	w.Write(le.AppendUint32(nil, BundlesVersion))
	w.Write(mustHash(b.Layouts))
	w.Write(le.AppendUint32(nil, uint32(len(b.Result.Lines))))
	x0, y0, step := b.frame()
	for _, v := range []float64{x0, y0, step} {
		w.Write(le.AppendUint64(nil, math.Float64bits(v)))
	}
	for i, l := range b.Result.Lines {
		st := b.Result.Stage[i]
		w.Write(binary.AppendUvarint(nil, uint64(len(st))))
		var d [3]delta2
		for k, s := range st {
			for c, q := range [3]int64{
				int64(math.Round((l[2*k] - x0) / step)),
				int64(math.Round((l[2*k+1] - y0) / step)),
				int64(math.Round(float64(s) * stageSteps)),
			} {
				w.Write(binary.AppendVarint(nil, d[c].encode(q)))
			}
		}
	}
	return w.Bytes(), nil
}

// delta2 codes a sequence by its second differences.
type delta2 struct{ prev, slope int64 }

func (d *delta2) encode(v int64) int64 {
	r := v - d.prev - d.slope
	d.slope, d.prev = v-d.prev, v
	return r
}

func (d *delta2) decode(r int64) int64 {
	v := d.prev + d.slope + r
	d.slope, d.prev = v-d.prev, v
	return v
}

// MaxBundlesRaw is the largest decompressed bundles payload the decoder
// inflates to: the largest asset (assets.MaxRawBytes).
const MaxBundlesRaw = assets.MaxRawBytes

// DecodeBundles decodes and validates a payload written by EncodeBundles,
// inflating it to at most MaxBundlesRaw bytes.
func DecodeBundles(b []byte) (*Bundles, error) {
	raw, err := assets.InflateAtMost(b, MaxBundlesRaw)
	if err != nil {
		return nil, fmt.Errorf("pipeline: bundles: %w", err)
	}
	return ParseBundles(raw)
}

// ParseBundles decodes and validates a decompressed bundles payload; counts
// are checked against their maxima and the payload's length before
// anything is allocated.
func ParseBundles(raw []byte) (*Bundles, error) {
	r := reader{b: raw}
	bs, err := r.bundles()
	if err != nil {
		return nil, fmt.Errorf("pipeline: bundles: %w", err)
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("pipeline: bundles: %d trailing bytes", len(r.b))
	}
	return bs, bs.Validate()
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bundles() (*Bundles, error) {
	if m := r.next(len(bundlesMagic)); r.err != nil || string(m) != bundlesMagic {
		return nil, errors.New("bad magic, not an annvis bundles file")
	}
	if v := r.u32(); r.err == nil && v != BundlesVersion {
		return nil, fmt.Errorf("version %d, this build reads version %d", v, BundlesVersion)
	}
	b := &Bundles{Layouts: r.hash()}
	n := r.u32()
	x0, y0, step := math.Float64frombits(r.u64()), math.Float64frombits(r.u64()), math.Float64frombits(r.u64())
	if r.err != nil {
		return nil, r.err
	}
	if n < 1 || n > MaxDigits {
		return nil, fmt.Errorf("%d trails, must be 1..%d", n, MaxDigits)
	}
	if !(step > 0 && step < math.MaxFloat32) || math.IsNaN(x0+y0) || math.IsInf(x0+y0, 0) {
		return nil, fmt.Errorf("quantisation frame %v, %v, step %v is not finite with a positive step", x0, y0, step)
	}
	b.Result = &bundle.Result{Lines: make([][]float64, n), Stage: make([][]float32, n)}
	for i := range b.Result.Lines {
		pts, k := binary.Uvarint(r.b)
		// Each point takes at least 3 bytes: no allocation beyond the payload.
		if k <= 0 || pts < 1 || pts > MaxBundlePoints || 3*pts > uint64(len(r.b)-k) {
			return nil, fmt.Errorf("trail %d: bad point count (truncated or over %d)", i, MaxBundlePoints)
		}
		r.b = r.b[k:]
		line, st := make([]float64, 2*pts), make([]float32, pts)
		var d [3]delta2
		for p := range st {
			line[2*p] = x0 + float64(d[0].decode(r.varint()))*step
			line[2*p+1] = y0 + float64(d[1].decode(r.varint()))*step
			st[p] = float32(float64(d[2].decode(r.varint())) / stageSteps)
		}
		if r.err != nil {
			return nil, r.err
		}
		b.Result.Lines[i], b.Result.Stage[i] = line, st
	}
	return b, nil
}
