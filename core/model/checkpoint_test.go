package model

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"math"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"annvis/core/assets"
	"annvis/core/mnist"
	"annvis/models"
)

// manifest returns the shipped manifest.
func manifest(t testing.TB) *assets.Manifest {
	t.Helper()
	b, err := models.FS.ReadFile(assets.ManifestFile)
	if err != nil {
		t.Fatal(err)
	}
	m, err := assets.ParseManifest(b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// testDigits returns the first n digits of the shipped test set.
func testDigits(t testing.TB, n int) *mnist.Set {
	t.Helper()
	b, err := models.FS.ReadFile("mnist-t10k.zst")
	if err != nil {
		t.Fatal(err)
	}
	s, err := mnist.DecodeAsset(b)
	if err != nil {
		t.Fatal(err)
	}
	return s.Slice(0, n)
}

// shipped returns the shipped, verified checkpoint of arch at epoch.
func shipped(t testing.TB, arch string, epoch int) *Checkpoint {
	t.Helper()
	file := arch + "-e" + string(rune('0'+epoch/10)) + string(rune('0'+epoch%10)) + ".zst"
	b, err := models.FS.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := manifest(t).Verify(file, b); err != nil {
		t.Fatal(err)
	}
	c, err := DecodeCheckpoint(b)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestShippedCheckpoints checks every shipped checkpoint against the
// manifest, and that the final ones, as shipped, classify the 10,000 test
// digits of the shipped test set with the required accuracy.
func TestShippedCheckpoints(t *testing.T) {
	m := manifest(t)
	tb, err := models.FS.ReadFile("mnist-t10k.zst")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Verify("mnist-t10k.zst", tb); err != nil {
		t.Fatal(err)
	}
	test, err := mnist.DecodeAsset(tb)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		arch string
		want float64
	}{{"mlp", 0.98}, {"cnn", 0.99}} {
		cks := m.Checkpoints(tc.arch)
		if len(cks) < 7 || cks[0].Epoch != 0 || cks[len(cks)-1].Epoch < 20 {
			t.Fatalf("%s: checkpoints %v, want epoch 0 and at least six more up to ≥ 20", tc.arch, cks)
		}
		for _, a := range cks {
			c := shipped(t, tc.arch, a.Epoch)
			if c.Arch != tc.arch || c.Epoch != a.Epoch || c.Accuracy != a.Accuracy {
				t.Errorf("%s: header says %s epoch %d accuracy %g, manifest %s epoch %d accuracy %g",
					a.File, c.Arch, c.Epoch, c.Accuracy, a.Network, a.Epoch, a.Accuracy)
			}
		}
		final := shipped(t, tc.arch, cks[len(cks)-1].Epoch)
		acc, err := Accuracy(final.Net, test, 500)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s epoch %d: test accuracy %.2f %%", tc.arch, final.Epoch, 100*acc)
		if acc < tc.want || acc != final.Accuracy {
			t.Errorf("%s epoch %d: test accuracy %.4f, want ≥ %.2f and = the header's %.4f", tc.arch, final.Epoch, acc, tc.want, final.Accuracy)
		}
	}
}

func TestCheckpointRoundTrip(t *testing.T) {
	for _, arch := range []string{"mlp", "cnn", "mlp:32,20:tanh"} {
		net := mustNew(t, arch, 7)
		c := &Checkpoint{Arch: arch, Epoch: 3, Accuracy: 0.5, Net: net}
		b, err := EncodeCheckpoint(c)
		if err != nil {
			t.Fatal(err)
		}
		d, err := DecodeCheckpoint(b)
		if err != nil {
			t.Fatal(err)
		}
		if d.Arch != arch || d.Epoch != 3 || d.Accuracy != 0.5 {
			t.Errorf("%s: decoded header %s %d %g", arch, d.Arch, d.Epoch, d.Accuracy)
		}
		q := Quantize(net)
		for i := range q.params {
			want, got, orig := f32(q.params[i]), f32(d.Net.params[i]), f32(net.params[i])
			if maxDiff(got, toF64(want)) != 0 {
				t.Errorf("%s tensor %d: decoded values differ from Quantize", arch, i)
			}
			// Quantisation error: half a step of the column's scale.
			if e := maxDiff(got, toF64(orig)); e > 0.5/127*maxAbs(orig)+1e-7 {
				t.Errorf("%s tensor %d: quantisation error %g", arch, i, e)
			}
		}
		again, err := EncodeCheckpoint(d)
		if err != nil || !bytes.Equal(again, b) {
			t.Errorf("%s: re-encoding a decoded checkpoint changed it (err %v)", arch, err)
		}
	}
}

// maxAbs returns the largest |v|.
func maxAbs(v []float32) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(float64(x)))
	}
	return m
}

func TestEncodeCheckpointErrors(t *testing.T) {
	net := mustNew(t, "mlp", 1)
	for _, tc := range []struct {
		c   Checkpoint
		err string
	}{
		{Checkpoint{Arch: "mlp"}, "model: checkpoint without a network"},
		{Checkpoint{Arch: "cnn", Net: net}, `model: checkpoint architecture "cnn" but network "mlp"`},
		{Checkpoint{Arch: "mlp", Net: net, Epoch: -1}, "model: checkpoint epoch -1 out of 0…65535"},
		{Checkpoint{Arch: "mlp", Net: net, Accuracy: math.NaN()}, "model: checkpoint accuracy NaN out of [0, 1]"},
	} {
		if _, err := EncodeCheckpoint(&tc.c); err == nil || err.Error() != tc.err {
			t.Errorf("EncodeCheckpoint(%+v): error %v, want %q", tc.c, err, tc.err)
		}
	}
}

// rawCheckpoint returns a valid uncompressed CNN checkpoint.
func rawCheckpoint(t testing.TB) []byte {
	b, err := EncodeCheckpoint(&Checkpoint{Arch: "cnn", Epoch: 1, Accuracy: 0.25, Net: mustNew(t, "cnn", 1)})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := assets.InflateAtMost(b, int64(MaxCheckpointRaw))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// zstdWithCRC recomputes the CRC-32 of raw and compresses it.
func zstdWithCRC(raw []byte) []byte {
	raw = bytes.Clone(raw)
	body := raw[:len(raw)-4]
	binary.LittleEndian.PutUint32(raw[len(body):], crc32.ChecksumIEEE(body))
	return zstdOf(raw)
}

// zstdOf compresses raw.
func zstdOf(raw []byte) []byte {
	enc, _ := zstd.NewWriter(nil)
	return enc.EncodeAll(raw, nil)
}

func TestDecodeCheckpointErrors(t *testing.T) {
	raw := rawCheckpoint(t)
	// Offsets: magic 0, version 8, arch length 10, "cnn" 11, epoch 14,
	// accuracy 16, tensor count 24, first tensor name length 26, "conv1.w"
	// 27, encoding 34, rows 35, columns 39.
	edit := func(f func(b []byte) []byte) []byte { return zstdWithCRC(f(bytes.Clone(raw))) }
	for _, tc := range []struct {
		name string
		in   []byte
		err  string
	}{
		{"not zstd", []byte("hello"), "model: checkpoint: "},
		{"empty", zstdOf(nil), "model: checkpoint: 0 bytes, too short"},
		{"magic", edit(func(b []byte) []byte { b[0] = 'X'; return b }), `model: checkpoint: magic "XNNVISCK", want "ANNVISCK"`},
		{"crc", zstdOf(append(bytes.Clone(raw[:len(raw)-1]), raw[len(raw)-1]^1)), "model: checkpoint: CRC-32 "},
		{"version", edit(func(b []byte) []byte { b[8] = 2; return b }), "model: checkpoint: version 2, want 1"},
		{"arch", edit(func(b []byte) []byte { copy(b[11:], "rnn"); return b }), `model: checkpoint: architecture "rnn": must be "mlp", "cnn" or "mlp:W,W,…[:tanh]" with 1 to 8 widths of 1…1024`},
		{"accuracy", edit(func(b []byte) []byte { b[23] = 0x7f; return b }), "model: checkpoint: accuracy "},
		{"count", edit(func(b []byte) []byte { b[24] = 9; return b }), "model: checkpoint: 9 tensors, cnn has 10"},
		{"name", edit(func(b []byte) []byte { b[31] = '9'; return b }), `model: checkpoint: tensor "conv9.w" where "conv1.w" belongs`},
		{"encoding", edit(func(b []byte) []byte { b[34] = 2; return b }), "model: checkpoint: tensor conv1.w has encoding 2, want 1"},
		{"shape", edit(func(b []byte) []byte { b[35] = 8; return b }), "model: checkpoint: tensor conv1.w is 8×16, want 9×16"},
		{"scale", edit(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[43:], math.Float32bits(float32(math.Inf(1))))
			return b
		}), "model: checkpoint: tensor conv1.w column 0 has scale +Inf"},
		{"truncated", edit(func(b []byte) []byte { return append(b[:100], b[len(b)-4:]...) }), "model: checkpoint: 104 bytes, a cnn checkpoint has "},
		{"long name", edit(func(b []byte) []byte { b[26] = 200; return b }), `model: checkpoint: tensor "conv1.w\x01\t`},
		{"NaN bias", edit(func(b []byte) []byte {
			off := 43 + 4*16 + 9*16 + 1 + len("conv1.b") + 1 + 8
			binary.LittleEndian.PutUint16(b[off:], 0x7e00)
			return b
		}), "model: checkpoint: tensor conv1.b value 0 is NaN"},
		{"Inf bias", edit(func(b []byte) []byte {
			off := 43 + 4*16 + 9*16 + 1 + len("conv1.b") + 1 + 8
			binary.LittleEndian.PutUint16(b[off+2:], 0xfc00)
			return b
		}), "model: checkpoint: tensor conv1.b value 1 is -Inf"},
		{"bomb", zstdOf(make([]byte, 2*MaxCheckpointRaw)), "model: checkpoint: inflates past 8202693 bytes"},
		{"trailing", edit(func(b []byte) []byte { return append(b[:len(b)-4], 0, 0, 0, 0, 0) }), "model: checkpoint: "},
	} {
		_, err := DecodeCheckpoint(tc.in)
		if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want %q…", tc.name, err, tc.err)
		}
	}
	if _, err := DecodeCheckpoint(zstdWithCRC(raw)); err != nil {
		t.Errorf("valid checkpoint: %v", err)
	}
}

func FuzzDecodeCheckpoint(f *testing.F) {
	raw := rawCheckpoint(f)
	small := smallCheckpoint(f)
	f.Add(zstdOf(small))
	f.Add(zstdOf(small[:len(small)-9]))
	f.Add(zstdOf(raw[:200]))
	f.Add(zstdWithCRC(append(raw[:60], raw[len(raw)-4:]...)))
	f.Add([]byte{})
	f.Add([]byte{0x28, 0xb5, 0x2f, 0xfd})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := DecodeCheckpoint(b)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "model: checkpoint") {
				t.Errorf("error without the package prefix: %v", err)
			}
			return
		}
		again, err := marshalCheckpoint(c) // not compressed: a best-ratio encoder costs ~40 ms and 50 MB per input
		if err != nil {
			t.Fatalf("decoded checkpoint does not encode: %v", err)
		}
		d, err := ParseCheckpoint(again)
		if err != nil || d.Epoch != c.Epoch || d.Accuracy != c.Accuracy || d.Arch != c.Arch {
			t.Fatalf("re-decoding: %+v, %v; want %+v", d, err, c)
		}
	})
}

// smallCheckpoint returns the decompressed checkpoint of a small MLP, a
// seed that keeps each fuzzing execution cheap.
func smallCheckpoint(t testing.TB) []byte {
	raw, err := marshalCheckpoint(&Checkpoint{Arch: "mlp:3,2:tanh", Epoch: 2, Accuracy: 0.5, Net: mustNew(t, "mlp:3,2:tanh", 1)})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func FuzzParseCheckpoint(f *testing.F) {
	raw, small := rawCheckpoint(f), smallCheckpoint(f)
	f.Add(small)
	f.Add(small[:len(small)/2])
	f.Add(raw[:100])
	f.Add(append(bytes.Clone(raw[:40]), raw[len(raw)-4:]...))
	f.Add([]byte("ANNVISCK"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) > 4 { // let mutations through the CRC
			binary.LittleEndian.PutUint32(raw[len(raw)-4:], crc32.ChecksumIEEE(raw[:len(raw)-4]))
		}
		c, err := ParseCheckpoint(raw)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "model: checkpoint: ") || len(err.Error()) > 400 {
				t.Fatalf("error %q: without the prefix or too long", err)
			}
			return
		}
		if _, err := marshalCheckpoint(c); err != nil {
			t.Fatalf("a parsed checkpoint does not encode: %v", err)
		}
	})
}
