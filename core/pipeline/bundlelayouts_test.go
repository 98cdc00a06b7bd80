package pipeline

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"annvis/core/assets"
	"annvis/core/bundle"
)

// testBundles returns valid bundles of n smooth trails of 3 stages.
func testBundles(n int, seed uint64) *Bundles {
	rng := rand.New(rand.NewPCG(seed, 3))
	res := &bundle.Result{}
	for range n {
		pts := 1 + rng.IntN(40)
		x, y, a := rng.NormFloat64()*30, rng.NormFloat64()*30, rng.Float64()*2*math.Pi
		line, st := make([]float64, 0, 2*pts), make([]float32, 0, pts)
		for p := range pts {
			a += rng.NormFloat64() * 0.2
			x, y = x+math.Cos(a), y+math.Sin(a)
			line = append(line, x, y)
			st = append(st, float32(p)/float32(max(pts-1, 1))*2)
		}
		res.Lines, res.Stage = append(res.Lines, line), append(res.Stage, st)
	}
	return &Bundles{Layouts: assets.Hash([]byte(fmt.Sprint(seed))), Result: res}
}

func TestBundlesRoundTrip(t *testing.T) {
	for _, n := range []int{1, 500} {
		want := testBundles(n, uint64(n))
		b, err := EncodeBundles(want)
		if err != nil {
			t.Fatalf("n=%d: encode: %v", n, err)
		}
		got, err := DecodeBundles(b)
		if err != nil {
			t.Fatalf("n=%d: decode: %v", n, err)
		}
		_, _, step := want.frame()
		if got.Layouts != want.Layouts || len(got.Result.Lines) != n {
			t.Fatalf("n=%d: layouts %s, %d trails", n, got.Layouts, len(got.Result.Lines))
		}
		for i, l := range want.Result.Lines {
			g := got.Result.Lines[i]
			if len(g) != len(l) {
				t.Fatalf("trail %d: %d coordinates, want %d", i, len(g), len(l))
			}
			for k, v := range l {
				if math.Abs(g[k]-v) > step/2*(1+1e-9) {
					t.Fatalf("trail %d coordinate %d: %v, want %v within half a step %v", i, k, g[k], v, step/2)
				}
			}
			for k, s := range want.Result.Stage[i] {
				if math.Abs(float64(got.Result.Stage[i][k]-s)) > 0.5/stageSteps+1e-6 {
					t.Fatalf("trail %d point %d: stage %v, want %v", i, k, got.Result.Stage[i][k], s)
				}
			}
		}
		if pts := 40 * n / 2; n == 500 && len(b) > 4*pts {
			t.Errorf("%d bytes for about %d points: over 4 bytes a point", len(b), pts)
		}
	}
}

// bundlesRaw returns the decompressed payload of b.
func bundlesRaw(t testing.TB, b *Bundles) []byte {
	enc, err := EncodeBundles(b)
	if err != nil {
		t.Fatal(err)
	}
	dec, _ := zstd.NewReader(nil)
	defer dec.Close()
	raw, err := dec.DecodeAll(enc, nil)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestDecodeBundlesErrors(t *testing.T) {
	raw := bundlesRaw(t, testBundles(3, 1))
	edit := func(f func(r []byte) []byte) []byte {
		return compress(t, f(append([]byte(nil), raw...)))
	}
	le := binary.LittleEndian
	count := 8 + 4 + 32
	step := count + 4 + 16
	first := step + 8 // the first trail's point count
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "bad magic"},
		{"not zstd", []byte("hello"), "not a zstd stream"},
		{"neuron layouts", compress(t, neuronRaw(t, testNeuronLayouts(3, 1))), "bad magic"},
		{"version", edit(func(r []byte) []byte { le.PutUint32(r[8:], 7); return r }), "version 7"},
		{"truncated", edit(func(r []byte) []byte { return r[:len(r)-2] }), "truncated"},
		{"trailing", edit(func(r []byte) []byte { return append(r, 0) }), "1 trailing bytes"},
		{"no trails", edit(func(r []byte) []byte { le.PutUint32(r[count:], 0); return r }), "0 trails"},
		{"huge trails", edit(func(r []byte) []byte { le.PutUint32(r[count:], 1e9); return r }), "1000000000 trails"},
		{"zero step", edit(func(r []byte) []byte { le.PutUint64(r[step:], 0); return r }), "positive step"},
		{"NaN origin", edit(func(r []byte) []byte { le.PutUint64(r[count+4:], math.Float64bits(math.NaN())); return r }), "not finite"},
		{"huge trail", edit(func(r []byte) []byte {
			return append(append(r[:first:first], binary.AppendUvarint(nil, 1<<40)...), r[first+1:]...)
		}), "trail 0: bad point count"},
		{"no points", edit(func(r []byte) []byte { r[first] = 0; return r }), "trail 0: bad point count"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeBundles(tc.in)
			wantDecodeError(t, err, tc.want)
		})
	}
}

func TestEncodeBundlesValidates(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(b *Bundles)
		want string
	}{
		{"hash", func(b *Bundles) { b.Layouts = "abc" }, "not 64 lower-case hex digits"},
		{"no result", func(b *Bundles) { b.Result = nil }, "want 1..10000 trails"},
		{"stages", func(b *Bundles) { b.Result.Stage[1] = b.Result.Stage[1][1:] }, "trail 1 has"},
		{"NaN", func(b *Bundles) { b.Result.Lines[0][1] = math.NaN() }, "trail 0 coordinate 1 is NaN"},
		{"stage", func(b *Bundles) { b.Result.Stage[2][0] = -1 }, "trail 2 point 0 has stage -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := testBundles(3, 5)
			tc.edit(b)
			if _, err := EncodeBundles(b); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func FuzzDecodeBundles(f *testing.F) {
	valid := bundlesRaw(f, testBundles(3, 3))
	f.Add(compress(f, valid))
	f.Add(compress(f, valid[:len(valid)-4]))
	f.Add(compress(f, []byte(bundlesMagic)))
	f.Fuzz(func(t *testing.T, b []byte) {
		bs, err := DecodeBundles(b)
		if err != nil {
			return
		}
		again, err := marshalBundles(bs) // not compressed: a best-ratio encoder costs ~40 ms and 50 MB per input
		if err != nil {
			t.Fatalf("decoded bundles do not re-encode: %v", err)
		}
		if _, err := ParseBundles(again); err != nil {
			t.Fatalf("re-encoded bundles do not decode: %v", err)
		}
	})
}
