package model

import (
	"encoding/binary"
	"hash/crc32"
	"math"
	"slices"
	"strings"
	"testing"

	"annvis/core/assets"
)

// TestArchLimits builds MLPs at and just beyond every documented limit of
// an architecture name: widths MinWidth…MaxWidth, 1…MaxLayers layers.
func TestArchLimits(t *testing.T) {
	for _, tc := range []struct {
		arch string
		ok   bool
	}{
		{"mlp:1", true}, {"mlp:0", false}, {"mlp:1024", true}, {"mlp:1025", false},
		{"mlp:" + strings.Repeat("1,", MaxLayers-1) + "1", true},
		{"mlp:" + strings.Repeat("1,", MaxLayers) + "1", false},
		{"mlp:", false}, {"mlp:01", false}, {"mlp:1,", false}, {"mlp:-1", false},
		{"mlp:1:tanh", true}, {"mlp:1:relu", false}, {"mlp:1:tanh:tanh", false},
		{"mlp", true}, {"cnn", true}, {"rnn", false},
	} {
		_, err := New(tc.arch, 1)
		switch {
		case tc.ok && err != nil:
			t.Errorf("New(%q): %v", tc.arch, err)
		case !tc.ok && (err == nil || !strings.HasPrefix(err.Error(), "model: architecture ")):
			t.Errorf("New(%q): error %v, want the architecture rule", tc.arch, err)
		}
		if got := RawSize(tc.arch); (got > 0) != tc.ok {
			t.Errorf("RawSize(%q) = %d", tc.arch, got)
		}
	}
}

// TestLargestCheckpoint encodes and decodes the largest checkpoint the
// format allows (MaxLayers hidden layers of MaxWidth units): its
// decompressed size is exactly MaxCheckpointRaw, the limit DecodeCheckpoint
// inflates to.
func TestLargestCheckpoint(t *testing.T) {
	arch := MLPArch(slices.Repeat([]int{MaxWidth}, MaxLayers), Tanh)
	n, err := New(arch, 3)
	if err != nil {
		t.Fatal(err)
	}
	b, err := EncodeCheckpoint(&Checkpoint{Arch: arch, Epoch: math.MaxUint16, Accuracy: 1, Net: n})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := assets.InflateAtMost(b, int64(MaxCheckpointRaw))
	if err != nil || len(raw) != MaxCheckpointRaw {
		t.Fatalf("%d decompressed bytes (%v), want MaxCheckpointRaw = %d", len(raw), err, MaxCheckpointRaw)
	}
	c, err := DecodeCheckpoint(b)
	if err != nil || c.Epoch != math.MaxUint16 || c.Accuracy != 1 || len(c.Net.Hidden()) != MaxLayers {
		t.Fatalf("decoded %+v, %v", c, err)
	}
}

// TestCheckpointFieldLimits patches the header of a valid checkpoint at
// and just beyond the documented limits of its fields (CRC-32 recomputed,
// so only the field is wrong).
func TestCheckpointFieldLimits(t *testing.T) {
	const arch = "mlp:2"
	n, err := New(arch, 1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := EncodeCheckpoint(&Checkpoint{Arch: arch, Epoch: 3, Accuracy: 0.5, Net: n})
	if err != nil {
		t.Fatal(err)
	}
	good, err := assets.InflateAtMost(b, int64(MaxCheckpointRaw))
	if err != nil {
		t.Fatal(err)
	}
	epochAt := len(ckMagic) + 2 + 1 + len(arch)
	accAt, countAt := epochAt+2, epochAt+2+8
	le := binary.LittleEndian
	for _, tc := range []struct {
		name  string
		patch func(raw []byte) []byte
		want  string // "" → accepted
	}{
		{"epoch 0", func(r []byte) []byte { le.PutUint16(r[epochAt:], 0); return r }, ""},
		{"epoch 65535", func(r []byte) []byte { le.PutUint16(r[epochAt:], math.MaxUint16); return r }, ""},
		{"accuracy 0", func(r []byte) []byte { le.PutUint64(r[accAt:], math.Float64bits(0)); return r }, ""},
		{"accuracy 1", func(r []byte) []byte { le.PutUint64(r[accAt:], math.Float64bits(1)); return r }, ""},
		{"accuracy -0.0000001", func(r []byte) []byte { le.PutUint64(r[accAt:], math.Float64bits(-1e-7)); return r }, "accuracy -1e-07 out of [0, 1]"},
		{"accuracy 1.0000001", func(r []byte) []byte { le.PutUint64(r[accAt:], math.Float64bits(1+1e-7)); return r }, "out of [0, 1]"},
		{"accuracy NaN", func(r []byte) []byte { le.PutUint64(r[accAt:], math.Float64bits(math.NaN())); return r }, "accuracy NaN out of [0, 1]"},
		{"tensor count 3", func(r []byte) []byte { le.PutUint16(r[countAt:], 3); return r }, "3 tensors, mlp:2 has 4"},
		{"tensor count 5", func(r []byte) []byte { le.PutUint16(r[countAt:], 5); return r }, "5 tensors, mlp:2 has 4"},
		{"version 2", func(r []byte) []byte { le.PutUint16(r[len(ckMagic):], 2); return r }, "version 2, want 1"},
		{"one byte more", func(r []byte) []byte { return append(r[:len(r)-4:len(r)-4], 0, 0, 0, 0, 0) }, "bytes, a mlp:2 checkpoint has"},
		{"one byte less", func(r []byte) []byte { return append(r[:len(r)-5:len(r)-5], 0, 0, 0, 0) }, "bytes, a mlp:2 checkpoint has"},
	} {
		raw := tc.patch(slices.Clone(good))
		body := raw[:len(raw)-4]
		le.PutUint32(raw[len(body):], crc32.ChecksumIEEE(body))
		_, err := ParseCheckpoint(raw)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v, want it accepted", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
