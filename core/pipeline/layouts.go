package pipeline

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"

	"annvis/core/assets"
	"annvis/core/viewstate"
)

// LayoutsVersion is the version of the precomputed-layouts format written by
// EncodeLayouts. Version 2 records the SHA-256 of the test set and of each
// stage's checkpoint the layouts were computed from.
const LayoutsVersion = 2

// layoutsMagic starts every decompressed layouts payload.
const layoutsMagic = "ANNVLAYT"

// Limits of the layouts format; they bound what a decoder allocates.
const (
	MaxDigits = viewstate.MaxDigits // digits per layout
	MaxStages = viewstate.MaxStages // stages per view
	maxString = 64                  // bytes per header string
	hashSize  = 32                  // bytes of a SHA-256
)

// MaxLayoutsRaw is the largest decompressed layouts payload (MaxDigits
// digits × MaxStages stages, longest strings), 5,777,495 bytes: the limit
// DecodeLayouts inflates to.
const MaxLayoutsRaw = len(layoutsMagic) + 4 + 3*(1+maxString) + 8 + 8 + hashSize + 4 + 4 + MaxDigits +
	MaxStages*(1+maxString+hashSize+8+8+MaxDigits+8*MaxDigits)

// Layouts are the 2-D projections of one view, precomputed by the same core
// that computes them live, so that the default view animates at once.
type Layouts struct {
	Network    string  // "mlp" | "cnn"
	View       string  // "layers" | "epochs"
	Method     string  // t-SNE sequence method: "chained" | "joint" | "dynamic"
	Seed       int64   // t-SNE seed
	Perplexity float64 // t-SNE perplexity
	TestSet    string  // hex SHA-256 of the test-set asset the digits came from
	Labels     []uint8 // true class of each digit, the first N of the test set
	Stages     []Stage // one per layer (layers view) or checkpoint (epochs view)
}

// Stage is one projection of a view.
type Stage struct {
	Name       string            // e.g. "layer 2" or "epoch 5"
	Checkpoint string            // hex SHA-256 of the checkpoint asset of this stage
	Predicted  []uint8           // the network's prediction for each digit at this stage
	Positions  []float64         // 2N, interleaved x0,y0,x1,y1,...
	Quality    viewstate.Quality // how well the projection keeps the data's structure
}

// QualityK is the neighbourhood size of Quality.
const QualityK = 10

// N returns the number of digits.
func (l *Layouts) N() int { return len(l.Labels) }

// Validate reports the first inconsistency in l, or nil.
func (l *Layouts) Validate() error {
	for _, s := range []string{l.Network, l.View, l.Method} {
		if len(s) > maxString || !utf8.ValidString(s) {
			return fmt.Errorf("pipeline: layouts header string %q is not valid UTF-8 of at most %d bytes", s, maxString)
		}
	}
	n := len(l.Labels)
	if n < 1 || n > MaxDigits {
		return fmt.Errorf("pipeline: layouts have %d digits, must be 1..%d", n, MaxDigits)
	}
	if len(l.Stages) < 1 || len(l.Stages) > MaxStages {
		return fmt.Errorf("pipeline: layouts have %d stages, must be 1..%d", len(l.Stages), MaxStages)
	}
	if math.IsNaN(l.Perplexity) || math.IsInf(l.Perplexity, 0) {
		return fmt.Errorf("pipeline: layouts perplexity %v is not finite", l.Perplexity)
	}
	if !isHash(l.TestSet) {
		return fmt.Errorf("pipeline: layouts test-set SHA-256 %q is not 64 lower-case hex digits", l.TestSet)
	}
	if err := checkClasses("label", l.Labels); err != nil {
		return err
	}
	for k, s := range l.Stages {
		if err := s.validate(n); err != nil {
			return fmt.Errorf("pipeline: layouts stage %d: %w", k, err)
		}
	}
	return nil
}

func (s *Stage) validate(n int) error {
	if len(s.Name) > maxString || !utf8.ValidString(s.Name) {
		return fmt.Errorf("name %q is not valid UTF-8 of at most %d bytes", s.Name, maxString)
	}
	if !isHash(s.Checkpoint) {
		return fmt.Errorf("checkpoint SHA-256 %q is not 64 lower-case hex digits", s.Checkpoint)
	}
	for _, q := range []float64{s.Quality.NH, s.Quality.TW} {
		if q < 0 || q > 1 {
			return fmt.Errorf("quality %v is neither NaN nor in 0..1", q)
		}
	}
	if len(s.Predicted) != n {
		return fmt.Errorf("%d predictions for %d digits", len(s.Predicted), n)
	}
	if len(s.Positions) != 2*n {
		return fmt.Errorf("%d coordinates for %d digits, want %d", len(s.Positions), n, 2*n)
	}
	for i, v := range s.Positions {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > math.MaxFloat32 {
			return fmt.Errorf("coordinate %d is %v, not a finite float32", i, v)
		}
	}
	return checkClasses("prediction", s.Predicted)
}

// isHash reports whether h is a SHA-256 in lower-case hex.
func isHash(h string) bool {
	b, err := hex.DecodeString(h)
	return err == nil && len(b) == hashSize && hex.EncodeToString(b) == h
}

func checkClasses(what string, c []uint8) error {
	for i, v := range c {
		if v > 9 {
			return fmt.Errorf("pipeline: %s %d of digit %d is not a class 0..9", what, v, i)
		}
	}
	return nil
}

// EncodeLayouts validates l and returns it as a zstd-compressed, versioned
// payload: magic, version, header (with the test set's SHA-256), labels,
// then per stage its name, checkpoint SHA-256, quality, predictions and
// float32 positions, all little-endian (see models/README.md).
func EncodeLayouts(l *Layouts) ([]byte, error) {
	raw, err := marshalLayouts(l)
	if err != nil {
		return nil, err
	}
	return assets.Compress(raw)
}

// marshalLayouts validates l and returns its payload before compression.
func marshalLayouts(l *Layouts) ([]byte, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(layoutsMagic)
	le := binary.LittleEndian
	b.Write(le.AppendUint32(nil, LayoutsVersion))
	for _, s := range []string{l.Network, l.View, l.Method} {
		writeString(&b, s)
	}
	b.Write(le.AppendUint64(nil, uint64(l.Seed)))
	b.Write(le.AppendUint64(nil, math.Float64bits(l.Perplexity)))
	b.Write(mustHash(l.TestSet))
	b.Write(le.AppendUint32(nil, uint32(len(l.Labels))))
	b.Write(le.AppendUint32(nil, uint32(len(l.Stages))))
	b.Write(l.Labels)
	for _, s := range l.Stages {
		writeString(&b, s.Name)
		b.Write(mustHash(s.Checkpoint))
		b.Write(le.AppendUint64(nil, math.Float64bits(s.Quality.NH)))
		b.Write(le.AppendUint64(nil, math.Float64bits(s.Quality.TW)))
		b.Write(s.Predicted)
		for _, v := range s.Positions {
			b.Write(le.AppendUint32(nil, math.Float32bits(float32(v))))
		}
	}
	return b.Bytes(), nil
}

// mustHash returns the bytes of a hex SHA-256 that Validate accepted.
func mustHash(h string) []byte {
	b, _ := hex.DecodeString(h)
	return b
}

func writeString(b *bytes.Buffer, s string) {
	b.WriteByte(byte(len(s)))
	b.WriteString(s)
}

// DecodeLayouts decodes and validates a payload written by EncodeLayouts,
// inflating it to at most MaxLayoutsRaw bytes.
func DecodeLayouts(b []byte) (*Layouts, error) {
	raw, err := assets.InflateAtMost(b, int64(MaxLayoutsRaw))
	if err != nil {
		return nil, fmt.Errorf("pipeline: layouts: %w", err)
	}
	return ParseLayouts(raw)
}

// ParseLayouts decodes and validates a decompressed layouts payload; the
// digit and stage counts are checked against MaxDigits and MaxStages
// before anything is allocated.
func ParseLayouts(raw []byte) (*Layouts, error) {
	r := reader{b: raw}
	l, err := r.layouts()
	if err != nil {
		return nil, fmt.Errorf("pipeline: layouts: %w", err)
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("pipeline: layouts: %d trailing bytes", len(r.b))
	}
	return l, l.Validate()
}

var errShort = errors.New("truncated")

// reader consumes a decompressed layouts payload.
type reader struct {
	b   []byte
	err error
}

func (r *reader) next(n int) []byte {
	if r.err != nil || n > len(r.b) {
		r.err = errShort
		return nil
	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

func (r *reader) u32() uint32 {
	p := r.next(4)
	if p == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(p)
}

func (r *reader) u64() uint64 {
	p := r.next(8)
	if p == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(p)
}

func (r *reader) str() string {
	p := r.next(1)
	if p == nil {
		return ""
	}
	return string(r.next(int(p[0])))
}

func (r *reader) layouts() (*Layouts, error) {
	if m := r.next(len(layoutsMagic)); r.err != nil || string(m) != layoutsMagic {
		return nil, errors.New("bad magic, not an annvis layouts file")
	}
	if v := r.u32(); r.err == nil && v != LayoutsVersion {
		return nil, fmt.Errorf("version %d, this build reads version %d", v, LayoutsVersion)
	}
	l := &Layouts{Network: r.str(), View: r.str(), Method: r.str()}
	l.Seed = int64(r.u64())
	l.Perplexity = math.Float64frombits(r.u64())
	l.TestSet = hex.EncodeToString(r.next(hashSize))
	n, stages := r.u32(), r.u32()
	if r.err != nil {
		return nil, r.err
	}
	if n < 1 || n > MaxDigits || stages < 1 || stages > MaxStages {
		return nil, fmt.Errorf("%d digits × %d stages, must be 1..%d × 1..%d", n, stages, MaxDigits, MaxStages)
	}
	l.Labels = append([]uint8(nil), r.next(int(n))...)
	for range stages {
		s := Stage{Name: r.str(), Checkpoint: hex.EncodeToString(r.next(hashSize))}
		s.Quality = viewstate.Quality{NH: math.Float64frombits(r.u64()), TW: math.Float64frombits(r.u64())}
		s.Predicted = append([]uint8(nil), r.next(int(n))...)
		pos := r.next(8 * int(n))
		if r.err != nil {
			return nil, r.err
		}
		s.Positions = make([]float64, 2*n)
		for i := range s.Positions {
			s.Positions[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(pos[4*i:])))
		}
		l.Stages = append(l.Stages, s)
	}
	return l, r.err
}
