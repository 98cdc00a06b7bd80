package model

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
	"strings"

	"annvis/core/assets"
)

// Checkpoint is a network saved after some epochs of training, with its test
// accuracy. The layout of the encoded file is documented in models/README.md.
type Checkpoint struct {
	Arch     string  // "mlp", "cnn" or an MLPArch name, as Net.Arch()
	Epoch    int     // epochs trained; 0 = untrained
	Accuracy float64 // fraction of the 10,000 test digits classified correctly, as stored
	Net      *Net
}

// Checkpoint format constants.
const (
	ckMagic   = "ANNVISCK"
	ckVersion = 1
)

// RawSize returns the exact decompressed size of a checkpoint of the
// architecture arch ("mlp", "cnn" or an MLPArch name), or 0 for an invalid
// name: the format has no free sizes, so a decoder knows every length
// before reading it.
func RawSize(arch string) int {
	a, err := archSpec(arch)
	if err != nil {
		return 0
	}
	n := len(ckMagic) + 2 + 1 + len(arch) + 2 + 8 + 2 + 4
	for _, t := range a.params {
		n += 1 + len(t.name) + 1 + 4 + 4
		if dtypeOf(t) == dtypeFloat16 {
			n += 2 * t.rows * t.cols
		} else {
			n += 4*t.cols + t.rows*t.cols
		}
	}
	return n
}

// MaxCheckpointRaw is the largest decompressed checkpoint, that of an MLP
// of MaxLayers hidden layers of MaxWidth units (8,202,693 bytes; the
// shipped MLP's has 406,280): the limit DecodeCheckpoint inflates to.
var MaxCheckpointRaw = RawSize(MLPArch(slices.Repeat([]int{MaxWidth}, MaxLayers), Tanh))

// Tensor encodings.
const (
	dtypeInt8    = 1 // int8 values with one float32 scale per column
	dtypeFloat16 = 2 // IEEE 754 half precision
)

// dtypeOf returns the encoding of a parameter: int8 for weight matrices,
// float16 for bias rows.
func dtypeOf(t tensor) uint8 {
	if t.rows == 1 {
		return dtypeFloat16
	}
	return dtypeInt8
}

// EncodeCheckpoint returns c in the zstd-compressed checkpoint format. The
// weights are quantised, so the decoded network is Quantize(c.Net).
func EncodeCheckpoint(c *Checkpoint) ([]byte, error) {
	raw, err := marshalCheckpoint(c)
	if err != nil {
		return nil, err
	}
	return assets.Compress(raw)
}

// marshalCheckpoint checks c and returns the checkpoint's payload before
// compression.
func marshalCheckpoint(c *Checkpoint) ([]byte, error) {
	if c.Net == nil {
		return nil, fmt.Errorf("model: checkpoint without a network")
	}
	if c.Arch != c.Net.arch {
		return nil, fmt.Errorf("model: checkpoint architecture %q but network %q", c.Arch, c.Net.arch)
	}
	if c.Epoch < 0 || c.Epoch > math.MaxUint16 {
		return nil, fmt.Errorf("model: checkpoint epoch %d out of 0…%d", c.Epoch, math.MaxUint16)
	}
	if !(c.Accuracy >= 0 && c.Accuracy <= 1) {
		return nil, fmt.Errorf("model: checkpoint accuracy %g out of [0, 1]", c.Accuracy)
	}
	le := binary.LittleEndian
	b := []byte(ckMagic)
	b = le.AppendUint16(b, ckVersion)
	b = append(b, byte(len(c.Arch)))
	b = append(b, c.Arch...)
	b = le.AppendUint16(b, uint16(c.Epoch))
	b = le.AppendUint64(b, math.Float64bits(c.Accuracy))
	spec := c.Net.spec.params
	b = le.AppendUint16(b, uint16(len(spec)))
	for i, t := range spec {
		b = append(b, byte(len(t.name)))
		b = append(b, t.name...)
		b = append(b, dtypeOf(t))
		b = le.AppendUint32(b, uint32(t.rows))
		b = le.AppendUint32(b, uint32(t.cols))
		b = appendTensor(b, dtypeOf(t), f32(c.Net.params[i]), t.cols)
	}
	return le.AppendUint32(b, crc32.ChecksumIEEE(b)), nil
}

// appendTensor appends the values v (rows of cols) in encoding dtype.
func appendTensor(b []byte, dtype uint8, v []float32, cols int) []byte {
	le := binary.LittleEndian
	if dtype == dtypeFloat16 {
		for _, x := range v {
			b = le.AppendUint16(b, toHalf(x))
		}
		return b
	}
	scales := columnScales(v, cols)
	for _, s := range scales {
		b = le.AppendUint32(b, math.Float32bits(s))
	}
	for i, x := range v {
		b = append(b, byte(quantize(x, scales[i%cols])))
	}
	return b
}

// columnScales returns, per column of v, max |value| / 127.
func columnScales(v []float32, cols int) []float32 {
	s := make([]float32, cols)
	for i, x := range v {
		s[i%cols] = max(s[i%cols], float32(math.Abs(float64(x))))
	}
	for j := range s {
		s[j] /= 127
	}
	return s
}

// quantize returns x/scale rounded to the nearest int8.
func quantize(x, scale float32) int8 {
	if scale == 0 {
		return 0
	}
	return int8(max(-127, min(127, math.Round(float64(x/scale)))))
}

// Quantize returns a copy of n whose parameters went through the checkpoint
// encoding: the network a decoded checkpoint of n holds.
func Quantize(n *Net) *Net {
	q := &Net{arch: n.arch, spec: n.spec}
	for i, t := range n.spec.params {
		v := append([]float32(nil), f32(n.params[i])...)
		if dtypeOf(t) == dtypeFloat16 {
			for j, x := range v {
				v[j] = fromHalf(toHalf(x))
			}
		} else {
			s := columnScales(v, t.cols)
			for j, x := range v {
				v[j] = float32(quantize(x, s[j%t.cols])) * s[j%t.cols]
			}
		}
		q.params = append(q.params, newParam(t, v))
	}
	return q
}

// reader decodes the fields of a checkpoint, remembering the first error.
type reader struct {
	b   []byte
	off int
	err error
}

// next returns the next n bytes, or nil after setting r.err if fewer remain.
func (r *reader) next(n int, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n > len(r.b)-r.off {
		r.err = fmt.Errorf("model: checkpoint: truncated at byte %d reading %s (%d bytes)", r.off, what, n)
		return nil
	}
	r.off += n
	return r.b[r.off-n : r.off]
}

func (r *reader) u8(what string) int {
	if b := r.next(1, what); b != nil {
		return int(b[0])
	}
	return 0
}

func (r *reader) u16(what string) int {
	if b := r.next(2, what); b != nil {
		return int(binary.LittleEndian.Uint16(b))
	}
	return 0
}

func (r *reader) u32(what string) int {
	if b := r.next(4, what); b != nil {
		return int(binary.LittleEndian.Uint32(b))
	}
	return 0
}

func (r *reader) str(what string) string { return string(r.next(r.u8(what+" length"), what)) }

// DecodeCheckpoint decodes a checkpoint written by EncodeCheckpoint,
// inflating it to at most MaxCheckpointRaw bytes.
func DecodeCheckpoint(b []byte) (*Checkpoint, error) {
	raw, err := assets.InflateAtMost(b, int64(MaxCheckpointRaw))
	if err != nil {
		return nil, fmt.Errorf("model: checkpoint: %v", err)
	}
	return ParseCheckpoint(raw)
}

// ParseCheckpoint decodes a decompressed checkpoint, checking its magic,
// CRC-32, version, architecture, size, tensor names, shapes, encodings and
// values.
func ParseCheckpoint(raw []byte) (*Checkpoint, error) {
	if len(raw) < len(ckMagic)+4 {
		return nil, fmt.Errorf("model: checkpoint: %d bytes, too short", len(raw))
	}
	body := raw[:len(raw)-4]
	if string(body[:len(ckMagic)]) != ckMagic {
		return nil, fmt.Errorf("model: checkpoint: magic %q, want %q", body[:len(ckMagic)], ckMagic)
	}
	if got, want := crc32.ChecksumIEEE(body), binary.LittleEndian.Uint32(raw[len(body):]); got != want {
		return nil, fmt.Errorf("model: checkpoint: CRC-32 %#08x, file says %#08x", got, want)
	}
	r := &reader{b: body, off: len(ckMagic)}
	if v := r.u16("version"); r.err == nil && v != ckVersion {
		return nil, fmt.Errorf("model: checkpoint: version %d, want %d", v, ckVersion)
	}
	c := &Checkpoint{Arch: r.str("architecture")}
	c.Epoch = r.u16("epoch")
	if acc := r.next(8, "accuracy"); acc != nil {
		c.Accuracy = math.Float64frombits(binary.LittleEndian.Uint64(acc))
	}
	count := r.u16("tensor count")
	if r.err != nil {
		return nil, r.err
	}
	a, err := archSpec(c.Arch)
	if err != nil {
		return nil, fmt.Errorf("model: checkpoint: %v", strings.TrimPrefix(err.Error(), "model: "))
	}
	if len(raw) != RawSize(c.Arch) {
		return nil, fmt.Errorf("model: checkpoint: %d bytes, a %s checkpoint has %d", len(raw), c.Arch, RawSize(c.Arch))
	}
	if !(c.Accuracy >= 0 && c.Accuracy <= 1) {
		return nil, fmt.Errorf("model: checkpoint: accuracy %g out of [0, 1]", c.Accuracy)
	}
	if count != len(a.params) {
		return nil, fmt.Errorf("model: checkpoint: %d tensors, %s has %d", count, c.Arch, len(a.params))
	}
	c.Net = &Net{arch: c.Arch, spec: a}
	for _, t := range a.params {
		v, err := r.tensor(t)
		if err != nil {
			return nil, err
		}
		c.Net.params = append(c.Net.params, newParam(t, v))
	}
	return c, nil // RawSize left no room for trailing bytes
}

// tensor decodes the next tensor, which must be t.
func (r *reader) tensor(t tensor) ([]float32, error) {
	name := r.str("tensor name")
	dtype := r.u8(t.name + " encoding")
	rows, cols := r.u32(t.name+" rows"), r.u32(t.name+" columns")
	if r.err != nil {
		return nil, r.err
	}
	if name != t.name {
		return nil, fmt.Errorf("model: checkpoint: tensor %.40q where %q belongs", name, t.name)
	}
	if rows != t.rows || cols != t.cols {
		return nil, fmt.Errorf("model: checkpoint: tensor %s is %d×%d, want %d×%d", name, rows, cols, t.rows, t.cols)
	}
	if dtype != int(dtypeOf(t)) {
		return nil, fmt.Errorf("model: checkpoint: tensor %s has encoding %d, want %d", name, dtype, dtypeOf(t))
	}
	v := make([]float32, rows*cols)
	le := binary.LittleEndian
	if dtype == dtypeFloat16 {
		b := r.next(2*len(v), name+" values")
		if r.err != nil {
			return nil, r.err
		}
		for i := range v {
			v[i] = fromHalf(le.Uint16(b[2*i:]))
			if f := float64(v[i]); math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, fmt.Errorf("model: checkpoint: tensor %s value %d is %g", name, i, f)
			}
		}
		return v, nil
	}
	sb := r.next(4*cols, name+" scales")
	qb := r.next(len(v), name+" values")
	if r.err != nil {
		return nil, r.err
	}
	for i := range v {
		s := math.Float32frombits(le.Uint32(sb[4*(i%cols):]))
		if !(s >= 0 && s < math.MaxFloat32) {
			return nil, fmt.Errorf("model: checkpoint: tensor %s column %d has scale %g", name, i%cols, s)
		}
		v[i] = float32(int8(qb[i])) * s
	}
	return v, nil
}
