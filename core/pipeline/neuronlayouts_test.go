package pipeline

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"annvis/core/assets"
	"annvis/core/neurons"
	"annvis/core/viewstate"
)

// testNeuronLayouts returns valid neuron layouts of d neurons, two stages.
func testNeuronLayouts(d int, seed uint64) *NeuronLayouts {
	rng := rand.New(rand.NewPCG(seed, 2))
	l := &NeuronLayouts{Network: "cnn", Method: "mds", Seed: int64(seed), TestSet: assets.Hash([]byte("test set")), N: 2000, Layer: 2}
	for k, name := range []string{"epoch 0", "epoch 20"} {
		s := NeuronStage{Name: name, Checkpoint: assets.Hash([]byte(name)), Panel: viewstate.Panel{Pos: make([]float64, 2*d), Stress: 0.1 * float64(k+1),
			Importance: make([]float64, d*neurons.Digits), Class: make([]int, d), Opacity: make([]float64, d)}}
		for i := range s.Pos {
			s.Pos[i] = rng.NormFloat64()
		}
		for i := range s.Importance {
			s.Importance[i] = rng.Float64() / float64(d)
		}
		for i := range d {
			s.Class[i], s.Opacity[i] = rng.IntN(neurons.Digits), rng.Float64()
		}
		l.Stages = append(l.Stages, s)
	}
	return l
}

func TestNeuronLayoutsRoundTrip(t *testing.T) {
	for _, d := range []int{2, 256} {
		want := testNeuronLayouts(d, uint64(d))
		b, err := EncodeNeuronLayouts(want)
		if err != nil {
			t.Fatalf("d=%d: encode: %v", d, err)
		}
		got, err := DecodeNeuronLayouts(b)
		if err != nil {
			t.Fatalf("d=%d: decode: %v", d, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("d=%d: round trip changed the neuron layouts", d)
		}
	}
}

// neuronRaw returns the decompressed payload of l.
func neuronRaw(t testing.TB, l *NeuronLayouts) []byte {
	b, err := EncodeNeuronLayouts(l)
	if err != nil {
		t.Fatal(err)
	}
	dec, _ := zstd.NewReader(nil)
	defer dec.Close()
	raw, err := dec.DecodeAll(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestDecodeNeuronLayoutsErrors(t *testing.T) {
	const d = 3
	raw := neuronRaw(t, testNeuronLayouts(d, 1))
	edit := func(f func(r []byte) []byte) []byte {
		return compress(t, f(append([]byte(nil), raw...)))
	}
	// Offsets: magic, version, "cnn", "mds", seed, test set, then n, layer,
	// stages; the first stage's name "epoch 0", checkpoint, neuron count,
	// stress, positions.
	counts := 8 + 4 + (1 + 3) + (1 + 3) + 8 + 32
	neuronCount := counts + 12 + 1 + 7 + 32
	pos := neuronCount + 4 + 8
	class := pos + 8*2*d + 8*d*neurons.Digits
	le := binary.LittleEndian
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "bad magic"},
		{"not zstd", []byte("hello world"), "not a zstd stream"},
		{"digit layouts", compress(t, rawOf(t, testLayouts(3, 1))), "bad magic"},
		{"version", edit(func(r []byte) []byte { le.PutUint32(r[8:], 2); return r }), "version 2"},
		{"truncated", edit(func(r []byte) []byte { return r[:len(r)-5] }), "truncated"},
		{"trailing", edit(func(r []byte) []byte { return append(r, 0) }), "1 trailing bytes"},
		{"zero digits", edit(func(r []byte) []byte { le.PutUint32(r[counts:], 0); return r }), "0 digits"},
		{"layer 0", edit(func(r []byte) []byte { le.PutUint32(r[counts+4:], 0); return r }), "layer 0"},
		{"huge stages", edit(func(r []byte) []byte { le.PutUint32(r[counts+8:], 1e6); return r }), "1000000 stages"},
		{"huge layer", edit(func(r []byte) []byte { le.PutUint32(r[neuronCount:], 1e9); return r }), "1000000000 neurons"},
		{"one neuron", edit(func(r []byte) []byte { le.PutUint32(r[neuronCount:], 1); return r }), "1 neurons"},
		{"NaN position", edit(func(r []byte) []byte { le.PutUint64(r[pos+8:], math.Float64bits(math.NaN())); return r }),
			"stage 0: coordinate 1 is NaN"},
		{"class 10", edit(func(r []byte) []byte { r[class+2] = 10; return r }), "neuron 2: class 10"},
		{"negative stress", edit(func(r []byte) []byte { le.PutUint64(r[pos-8:], math.Float64bits(-1)); return r }), "stress -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeNeuronLayouts(tc.in)
			wantDecodeError(t, err, tc.want)
		})
	}
}

func TestEncodeNeuronLayoutsValidates(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(l *NeuronLayouts)
		want string
	}{
		{"no stages", func(l *NeuronLayouts) { l.Stages = nil }, "0 stages"},
		{"no map", func(l *NeuronLayouts) { l.Stages[1].Class = nil }, "stage 1: the discriminative map does not have 4 neurons"},
		{"checkpoint", func(l *NeuronLayouts) { l.Stages[1].Checkpoint = "ABC" }, "stage 1: checkpoint SHA-256"},
		{"test set", func(l *NeuronLayouts) { l.TestSet = "" }, "test-set SHA-256"},
		{"odd positions", func(l *NeuronLayouts) { l.Stages[0].Pos = l.Stages[0].Pos[:7] }, "stage 0: 7 coordinates"},
		{"importance 2", func(l *NeuronLayouts) { l.Stages[0].Importance[3] = 2 }, "importance 3 is 2"},
		{"opacity NaN", func(l *NeuronLayouts) { l.Stages[0].Opacity[1] = math.NaN() }, "opacity NaN"},
		{"infinite", func(l *NeuronLayouts) { l.Stages[1].Pos[2] = math.Inf(-1) }, "coordinate 2 is -Inf"},
		{"long method", func(l *NeuronLayouts) { l.Method = strings.Repeat("x", 65) }, "at most 64 bytes"},
		{"digits", func(l *NeuronLayouts) { l.N = MaxDigits + 1 }, "10001 digits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := testNeuronLayouts(4, 2)
			tc.edit(l)
			_, err := EncodeNeuronLayouts(l)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func FuzzDecodeNeuronLayouts(f *testing.F) {
	valid := neuronRaw(f, testNeuronLayouts(3, 3))
	f.Add(compress(f, valid))
	f.Add(compress(f, valid[:len(valid)/2]))
	f.Add(compress(f, []byte(neuronMagic)))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := DecodeNeuronLayouts(b)
		if err != nil {
			return
		}
		again, err := marshalNeuronLayouts(l) // not compressed: a best-ratio encoder costs ~40 ms and 50 MB per input
		if err != nil {
			t.Fatalf("decoded neuron layouts do not re-encode: %v", err)
		}
		if _, err := ParseNeuronLayouts(again); err != nil {
			t.Fatalf("re-encoded neuron layouts do not decode: %v", err)
		}
	})
}

func ExampleDecodeNeuronLayouts() {
	hash := assets.Hash(nil)
	l := &NeuronLayouts{Network: "mlp", Method: "mds", TestSet: hash, N: 2000, Layer: 4, Stages: []NeuronStage{{
		Name: "epoch 20", Checkpoint: hash, Panel: viewstate.Panel{Pos: []float64{-1, 0, 1, 0}, Stress: 0.25,
			Importance: make([]float64, 2*neurons.Digits), Class: []int{3, 8}, Opacity: []float64{1, 0.5}},
	}}}
	b, err := EncodeNeuronLayouts(l)
	if err != nil {
		fmt.Println(err)
		return
	}
	got, err := DecodeNeuronLayouts(b)
	s := got.Stages[0]
	fmt.Println(got.Layer, s.Name, s.Pos, s.Stress, s.Class, err)
	// Output:
	// 4 epoch 20 [-1 0 1 0] 0.25 [3 8] <nil>
}
