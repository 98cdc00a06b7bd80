package pipeline

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"

	"annvis/core/assets"
	"annvis/core/neurons"
	"annvis/core/viewstate"
)

// NeuronLayoutsVersion is the version of the precomputed neuron-layouts
// format written by EncodeNeuronLayouts.
const NeuronLayoutsVersion = 1

// neuronMagic starts every decompressed neuron-layouts payload.
const neuronMagic = "ANNVNEUR"

// MaxNeurons bounds the neurons of a layer in a neuron-layouts payload.
const MaxNeurons = 1024

// MaxNeuronLayoutsRaw is the largest decompressed neuron-layouts payload
// (MaxStages stages of MaxNeurons neurons, longest strings), about 6.9 MB:
// the limit DecodeNeuronLayouts inflates to.
const MaxNeuronLayoutsRaw = len(neuronMagic) + 4 + 2*(1+maxString) + 8 + hashSize + 3*4 +
	MaxStages*(1+maxString+hashSize+4+8+MaxNeurons*(16+8*neurons.Digits+1+8))

// NeuronLayouts are what the neurons and map views of one hidden layer show,
// precomputed by the same core that computes them live.
type NeuronLayouts struct {
	Network string // "mlp" | "cnn"
	Method  string // neuron projection, params.Projs: "mds" or "tsne"
	Seed    int64  // seed of the projection and the forests
	TestSet string // hex SHA-256 of the test-set asset the digits came from
	N       int    // digits whose activations were analysed, the first N of the test set
	Layer   int    // 1-based hidden layer
	Stages  []NeuronStage
}

// NeuronStage is one stage (checkpoint) of the neuron views.
type NeuronStage struct {
	Name            string // e.g. "epoch 20"
	Checkpoint      string // hex SHA-256 of the checkpoint asset of this stage
	viewstate.Panel        // what the views draw of it
}

// neurons returns the number of neurons of the stage.
func (s *NeuronStage) neurons() int { return len(s.Pos) / 2 }

// Validate reports the first inconsistency in l, or nil.
func (l *NeuronLayouts) Validate() error {
	for _, s := range []string{l.Network, l.Method} {
		if len(s) > maxString || !utf8.ValidString(s) {
			return fmt.Errorf("pipeline: neuron layouts header string %q is not valid UTF-8 of at most %d bytes", s, maxString)
		}
	}
	if !isHash(l.TestSet) {
		return fmt.Errorf("pipeline: neuron layouts test-set SHA-256 %q is not 64 lower-case hex digits", l.TestSet)
	}
	if l.N < 1 || l.N > MaxDigits {
		return fmt.Errorf("pipeline: neuron layouts of %d digits, must be 1..%d", l.N, MaxDigits)
	}
	if l.Layer < 1 || l.Layer > MaxStages {
		return fmt.Errorf("pipeline: neuron layouts of layer %d, must be 1..%d", l.Layer, MaxStages)
	}
	if len(l.Stages) < 1 || len(l.Stages) > MaxStages {
		return fmt.Errorf("pipeline: neuron layouts have %d stages, must be 1..%d", len(l.Stages), MaxStages)
	}
	for k := range l.Stages {
		if err := l.Stages[k].validate(); err != nil {
			return fmt.Errorf("pipeline: neuron layouts stage %d: %w", k, err)
		}
	}
	return nil
}

func (s *NeuronStage) validate() error {
	d := s.neurons()
	if len(s.Name) > maxString || !utf8.ValidString(s.Name) {
		return fmt.Errorf("name %q is not valid UTF-8 of at most %d bytes", s.Name, maxString)
	}
	if !isHash(s.Checkpoint) {
		return fmt.Errorf("checkpoint SHA-256 %q is not 64 lower-case hex digits", s.Checkpoint)
	}
	if d < 2 || d > MaxNeurons || len(s.Pos) != 2*d {
		return fmt.Errorf("%d coordinates, want 2 per neuron for 2..%d neurons", len(s.Pos), MaxNeurons)
	}
	if !(math.IsNaN(s.Stress) || s.Stress >= 0 && s.Stress <= math.MaxFloat64) {
		return fmt.Errorf("stress %v is neither NaN nor finite and ≥ 0", s.Stress)
	}
	if len(s.Importance) != d*neurons.Digits || len(s.Class) != d || len(s.Opacity) != d {
		return fmt.Errorf("the discriminative map does not have %d neurons × %d classes", d, neurons.Digits)
	}
	for i, v := range s.Pos {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("coordinate %d is %v", i, v)
		}
	}
	for i, v := range s.Importance {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("importance %d is %v, not in 0..1", i, v)
		}
	}
	for i, c := range s.Class {
		if c < 0 || c >= neurons.Digits || !(s.Opacity[i] >= 0 && s.Opacity[i] <= 1) {
			return fmt.Errorf("neuron %d: class %d, opacity %v; want 0..9 and 0..1", i, c, s.Opacity[i])
		}
	}
	return nil
}

// EncodeNeuronLayouts validates l and returns it as a zstd-compressed,
// versioned payload: magic, version, header (with the test set's SHA-256),
// then per stage its name, checkpoint SHA-256, neuron count, stress,
// float64 positions, importances (neurons × 10, row-major), best classes
// (uint8) and float64 opacities, all little-endian (see models/README.md).
// Values are float64 so that the precomputed views equal the live ones.
func EncodeNeuronLayouts(l *NeuronLayouts) ([]byte, error) {
	raw, err := marshalNeuronLayouts(l)
	if err != nil {
		return nil, err
	}
	return assets.Compress(raw)
}

// marshalNeuronLayouts validates l and returns its payload before compression.
func marshalNeuronLayouts(l *NeuronLayouts) ([]byte, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(neuronMagic)
	le := binary.LittleEndian
	b.Write(le.AppendUint32(nil, NeuronLayoutsVersion))
	writeString(&b, l.Network)
	writeString(&b, l.Method)
	b.Write(le.AppendUint64(nil, uint64(l.Seed)))
	b.Write(mustHash(l.TestSet))
	for _, v := range []int{l.N, l.Layer, len(l.Stages)} {
		b.Write(le.AppendUint32(nil, uint32(v)))
	}
	f64 := func(vs ...float64) {
		for _, v := range vs {
			b.Write(le.AppendUint64(nil, math.Float64bits(v)))
		}
	}
	for _, s := range l.Stages {
		writeString(&b, s.Name)
		b.Write(mustHash(s.Checkpoint))
		b.Write(le.AppendUint32(nil, uint32(s.neurons())))
		f64(s.Stress)
		f64(s.Pos...)
		f64(s.Importance...)
		for _, c := range s.Class {
			b.WriteByte(byte(c))
		}
		f64(s.Opacity...)
	}
	return b.Bytes(), nil
}

// DecodeNeuronLayouts decodes and validates a payload written by
// EncodeNeuronLayouts, inflating it to at most MaxNeuronLayoutsRaw bytes.
func DecodeNeuronLayouts(b []byte) (*NeuronLayouts, error) {
	raw, err := assets.InflateAtMost(b, int64(MaxNeuronLayoutsRaw))
	if err != nil {
		return nil, fmt.Errorf("pipeline: neuron layouts: %w", err)
	}
	return ParseNeuronLayouts(raw)
}

// ParseNeuronLayouts decodes and validates a decompressed neuron-layouts
// payload; counts are checked against their maxima before anything is
// allocated.
func ParseNeuronLayouts(raw []byte) (*NeuronLayouts, error) {
	r := reader{b: raw}
	l, err := r.neuronLayouts()
	if err != nil {
		return nil, fmt.Errorf("pipeline: neuron layouts: %w", err)
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("pipeline: neuron layouts: %d trailing bytes", len(r.b))
	}
	return l, l.Validate()
}

func (r *reader) f64s(n int) []float64 {
	p := r.next(8 * n)
	if p == nil {
		return nil
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(p[8*i:]))
	}
	return v
}

func (r *reader) hash() string { return fmt.Sprintf("%x", r.next(hashSize)) }

func (r *reader) neuronLayouts() (*NeuronLayouts, error) {
	if m := r.next(len(neuronMagic)); r.err != nil || string(m) != neuronMagic {
		return nil, errors.New("bad magic, not an annvis neuron layouts file")
	}
	if v := r.u32(); r.err == nil && v != NeuronLayoutsVersion {
		return nil, fmt.Errorf("version %d, this build reads version %d", v, NeuronLayoutsVersion)
	}
	l := &NeuronLayouts{Network: r.str(), Method: r.str(), Seed: int64(r.u64()), TestSet: r.hash()}
	n, layer, stages := r.u32(), r.u32(), r.u32()
	if r.err != nil {
		return nil, r.err
	}
	if n < 1 || n > MaxDigits || stages < 1 || stages > MaxStages {
		return nil, fmt.Errorf("%d digits × %d stages, must be 1..%d × 1..%d", n, stages, MaxDigits, MaxStages)
	}
	l.N, l.Layer = int(n), int(layer)
	for range stages {
		s := NeuronStage{Name: r.str(), Checkpoint: r.hash()}
		d := int(r.u32())
		if r.err == nil && (d < 2 || d > MaxNeurons) {
			return nil, fmt.Errorf("stage %q has %d neurons, must be 2..%d", s.Name, d, MaxNeurons)
		}
		s.Stress = math.Float64frombits(r.u64())
		s.Pos = r.f64s(2 * d)
		s.Importance = r.f64s(d * neurons.Digits)
		s.Class = make([]int, d)
		for i, c := range r.next(d) {
			s.Class[i] = int(c)
		}
		s.Opacity = r.f64s(d)
		if r.err != nil {
			return nil, r.err
		}
		l.Stages = append(l.Stages, s)
	}
	return l, r.err
}
