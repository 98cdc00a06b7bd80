package pipeline

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/klauspost/compress/zstd"

	"annvis/core/assets"
	"annvis/core/viewstate"
)

// testLayouts returns a valid 2-stage layout of n digits from seed.
func testLayouts(n int, seed uint64) *Layouts {
	rng := rand.New(rand.NewPCG(seed, 1))
	l := &Layouts{Network: "mlp", View: "layers", Method: "chained", Seed: int64(seed), Perplexity: 30, TestSet: hashOf("t")}
	l.Labels = make([]uint8, n)
	for i := range l.Labels {
		l.Labels[i] = uint8(rng.IntN(10))
	}
	for k := range 2 {
		s := Stage{Name: fmt.Sprintf("layer %d", k+1), Checkpoint: hashOf("c"), Predicted: make([]uint8, n), Positions: make([]float64, 2*n),
			Quality: viewstate.Quality{NH: rng.Float64(), TW: float64(k)}}
		for i := range n {
			s.Predicted[i] = uint8(rng.IntN(10))
			// float32-exact values so the round trip is exact.
			s.Positions[2*i] = float64(float32(rng.NormFloat64() * 20))
			s.Positions[2*i+1] = float64(float32(rng.NormFloat64() * 20))
		}
		l.Stages = append(l.Stages, s)
	}
	return l
}

// hashOf returns the hex SHA-256 of s.
func hashOf(s string) string { return assets.Hash([]byte(s)) }

func TestLayoutsRoundTrip(t *testing.T) {
	for _, n := range []int{1, 7, 2000} {
		want := testLayouts(n, uint64(n))
		b, err := EncodeLayouts(want)
		if err != nil {
			t.Fatalf("n=%d: encode: %v", n, err)
		}
		got, err := DecodeLayouts(b)
		if err != nil {
			t.Fatalf("n=%d: decode: %v", n, err)
		}
		if !reflect.DeepEqual(got, want) && fmt.Sprint(got) != fmt.Sprint(want) { // NaN ≠ NaN
			t.Errorf("n=%d: round trip changed the layouts", n)
		}
		if raw := 8 + 4 + 3*8 + 16 + 32 + 8 + 3*n + 2*(32+16+8*n); n == 2000 && len(b) >= raw {
			t.Errorf("n=%d: %d compressed bytes, not smaller than the %d raw bytes", n, len(b), raw)
		}
	}
}

// compress zstd-compresses a raw payload, for crafting corrupt inputs.
func compress(t testing.TB, raw []byte) []byte {
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	return enc.EncodeAll(raw, nil)
}

// rawOf returns the decompressed payload of l.
func rawOf(t testing.TB, l *Layouts) []byte {
	b, err := EncodeLayouts(l)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := assets.InflateAtMost(b, int64(MaxLayoutsRaw))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestDecodeLayoutsErrors(t *testing.T) {
	raw := rawOf(t, testLayouts(5, 1))
	edit := func(f func(r []byte) []byte) []byte {
		return compress(t, f(append([]byte(nil), raw...)))
	}
	// Offset of the labels: magic, version, 3 strings, seed, perplexity,
	// test-set hash, n, stages.
	labels := 8 + 4 + (1 + 3) + (1 + 6) + (1 + 7) + 8 + 8 + 32 + 4 + 4
	quality := labels + 5 + 1 + 7 + 32 // first stage's name and checkpoint hash
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "bad magic"},
		{"not zstd", []byte("hello world"), "not a zstd stream"},
		{"bomb", compress(t, make([]byte, MaxLayoutsRaw+1)), "inflates past 5777495 bytes"},
		{"huge digits", edit(func(r []byte) []byte { binary.LittleEndian.PutUint32(r[labels-8:], 1<<30); return r }), "1073741824 digits"},
		{"version 1", edit(func(r []byte) []byte { binary.LittleEndian.PutUint32(r[8:], 1); return r }), "version 1, this build reads version 2"},
		{"bad magic", edit(func(r []byte) []byte { r[0] = 'X'; return r }), "bad magic"},
		{"version", edit(func(r []byte) []byte { binary.LittleEndian.PutUint32(r[8:], 9); return r }), "version 9"},
		{"truncated", edit(func(r []byte) []byte { return r[:len(r)-3] }), "truncated"},
		{"trailing", edit(func(r []byte) []byte { return append(r, 0) }), "1 trailing bytes"},
		{"zero digits", edit(func(r []byte) []byte { binary.LittleEndian.PutUint32(r[labels-8:], 0); return r }), "0 digits"},
		{"huge stages", edit(func(r []byte) []byte { binary.LittleEndian.PutUint32(r[labels-4:], 1e6); return r }), "1000000 stages"},
		{"label 10", edit(func(r []byte) []byte { r[labels+2] = 10; return r }), "label 10 of digit 2"},
		{"quality 2", edit(func(r []byte) []byte { binary.LittleEndian.PutUint64(r[quality:], math.Float64bits(2)); return r }), "stage 0: quality 2"},
		{"NaN position", edit(func(r []byte) []byte {
			binary.LittleEndian.PutUint32(r[len(r)-4:], math.Float32bits(float32(math.NaN())))
			return r
		}), "stage 1: coordinate 9 is NaN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeLayouts(tc.in)
			wantDecodeError(t, err, tc.want)
		})
	}
}

func TestEncodeLayoutsValidates(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(l *Layouts)
		want string
	}{
		{"no stages", func(l *Layouts) { l.Stages = nil }, "0 stages"},
		{"short positions", func(l *Layouts) { l.Stages[1].Positions = l.Stages[1].Positions[:3] }, "stage 1: 3 coordinates for 5 digits"},
		{"short predictions", func(l *Layouts) { l.Stages[0].Predicted = nil }, "stage 0: 0 predictions"},
		{"infinite", func(l *Layouts) { l.Stages[0].Positions[0] = math.Inf(1) }, "coordinate 0 is +Inf"},
		{"long name", func(l *Layouts) { l.Network = strings.Repeat("x", 65) }, "at most 64 bytes"},
		{"perplexity", func(l *Layouts) { l.Perplexity = math.NaN() }, "perplexity NaN"},
		{"test-set hash", func(l *Layouts) { l.TestSet = "" }, `test-set SHA-256 "" is not 64 lower-case hex digits`},
		{"checkpoint hash", func(l *Layouts) { l.Stages[1].Checkpoint = strings.ToUpper(l.Stages[1].Checkpoint) }, "stage 1: checkpoint SHA-256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := testLayouts(5, 2)
			tc.edit(l)
			_, err := EncodeLayouts(l)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func FuzzDecodeLayouts(f *testing.F) {
	valid := rawOf(f, testLayouts(3, 3))
	f.Add(compress(f, valid))
	f.Add(compress(f, valid[:len(valid)/2]))
	f.Add(compress(f, []byte(layoutsMagic)))
	f.Add([]byte{0x28, 0xb5, 0x2f, 0xfd})
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := DecodeLayouts(b)
		if err != nil {
			return
		}
		again, err := marshalLayouts(l) // not compressed: a best-ratio encoder costs ~40 ms and 50 MB per input
		if err != nil {
			t.Fatalf("decoded layouts do not re-encode: %v", err)
		}
		if _, err := ParseLayouts(again); err != nil {
			t.Fatalf("re-encoded layouts do not decode: %v", err)
		}
	})
}

// FuzzParseLayouts fuzzes the layouts decoder behind decompression.
func FuzzParseLayouts(f *testing.F) {
	valid := rawOf(f, testLayouts(3, 3))
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Add([]byte(layoutsMagic))
	f.Fuzz(func(t *testing.T, raw []byte) {
		l, err := ParseLayouts(raw)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "pipeline: ") || len(err.Error()) > 400 {
				t.Fatalf("error %q: without the prefix or too long", err)
			}
			return
		}
		if l.N() > MaxDigits || len(l.Stages) > MaxStages {
			t.Fatalf("parsed %d digits × %d stages", l.N(), len(l.Stages))
		}
		if _, err := marshalLayouts(l); err != nil {
			t.Fatalf("parsed layouts do not encode: %v", err)
		}
	})
}

func ExampleDecodeLayouts() {
	l := &Layouts{
		Network: "mlp", View: "layers", Method: "chained", Perplexity: 30,
		TestSet: assets.Hash([]byte("test set")), Labels: []uint8{3, 7},
		Stages: []Stage{{Name: "layer 1", Checkpoint: assets.Hash([]byte("checkpoint")), Predicted: []uint8{3, 1}, Positions: []float64{0, 0, 1.5, -2},
			Quality: viewstate.Quality{NH: 0.5, TW: math.NaN()}}},
	}
	b, err := EncodeLayouts(l)
	if err != nil {
		fmt.Println(err)
		return
	}
	got, err := DecodeLayouts(b)
	fmt.Println(got.N(), got.Stages[0].Name, got.Stages[0].Positions, got.Stages[0].Quality, err)
	_, err = DecodeLayouts(b[:len(b)-1])
	fmt.Println(err != nil)
	// Output:
	// 2 layer 1 [0 0 1.5 -2] {0.5 NaN} <nil>
	// true
}

func TestRemember(t *testing.T) {
	var mu sync.Mutex
	calls := map[string]int{}
	fetch := Remember(func(name string, _ int64) ([]byte, error) {
		mu.Lock()
		calls[name]++
		mu.Unlock()
		if name == "missing" {
			return nil, errors.New("404")
		}
		return []byte(name), nil
	})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, name := range []string{"a", "b", "missing", "a"} {
				b, err := fetch(name, 100)
				if name == "missing" && err == nil || name != "missing" && string(b) != name {
					t.Errorf("fetch(%q) = %q, %v", name, b, err)
				}
			}
		}()
	}
	wg.Wait()
	if calls["a"] != 1 || calls["b"] != 1 || calls["missing"] != 1 {
		t.Errorf("calls %v, want each name fetched once", calls)
	}
}

// wantDecodeError fails t unless err is a decoder's error: one starting with
// "pipeline: " and containing want.
func wantDecodeError(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "pipeline: ") {
		t.Errorf("error %v, want one starting with pipeline: and containing %q", err, want)
	}
}
