package userdata

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"annvis/core/userdata/numpytest"
)

// TestPublished writes a set's layouts without its activations and reads
// them back, with more points than a set with activations may have.
// publish writes, as cmd/layouts -data does, a set of 30 points in 3
// classes (named names, if any) with 2×3-pixel images and two stages'
// layouts; it returns the set, its layouts and the file.
func publish(t *testing.T, lim Limits, names []string) (*Set, *Layouts, []byte) {
	t.Helper()
	s, err := ReadNPZ(npz(t, basic(30, 3, 4, "a", "b")...), lim)
	if err != nil {
		t.Fatal(err)
	}
	if names != nil {
		s.ClassNames = names
	}
	s.Images = &Images{H: 2, W: 3, Pixels: make([]uint8, 30*6)}
	s.Images.Pixels[7] = 200
	l := &Layouts{Method: "chained", Perplexity: 5, Seed: 3, Quality: [][2]float64{{0.5, -1}, {0.9, 0.8}}}
	for k := range 2 {
		pos := make([]float64, 60)
		for i := range pos {
			pos[i] = float64(i*(k+1)) / 7
		}
		l.Positions = append(l.Positions, pos)
	}
	var b bytes.Buffer
	if err := WritePublished(&b, s, l); err != nil {
		t.Fatal(err)
	}
	return s, l, b.Bytes()
}

func TestPublished(t *testing.T) {
	lim := small
	lim.MaxShownN = 60
	s, l, b := publish(t, lim, nil)
	got, err := ReadNPZ(b, lim)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Published() || got.Stages[1].Name != "b" || !slices.Equal(got.Labels, s.Labels) || !slices.Equal(got.Images.Pixels, s.Images.Pixels) {
		t.Fatalf("published %v stages %v", got.Published(), got.Stages)
	}
	gl := got.Layouts
	if gl.Method != "chained" || gl.Perplexity != 5 || gl.Seed != 3 || gl.Quality[0] != l.Quality[0] || !slices.Equal(gl.Positions[1], l.Positions[1]) {
		t.Fatalf("layouts %+v", gl)
	}
	big := npz(t, append(basic(55, 3, 1), file{"meta.json", []byte(`{"stages": ["a"], "layouts": {"quality": [[1, 1]]}}`)},
		file{"layout_0.npy", npyFile("<f4", []int{55, 2}, f32(ramp(110, 0)...))})...)
	if _, err := ReadNPZ(big, lim); err != nil {
		t.Errorf("55 points of a published set: %v", err)
	}
	check(t, func() error { _, err := ReadNPZ(npz(t, basic(55, 3, 1, "a")...), lim); return err }(), `array "labels": 55 points, at most 50`)
}

// loadPublished checks with NumPy the published set that
// TestPublishedInNumPy writes: every array, its dtype, shape and values.
const loadPublished = `
import json, os, sys
import numpy as np
z = np.load(os.path.join(sys.argv[1], "pub.npz"))
meta = json.loads(str(z["meta"]))
assert meta["stages"] == ["a", "b"] and meta["class_names"] == ["a", "b", "c"], meta
assert meta["layouts"]["seed"] == 3, meta
assert z["labels"].dtype == np.uint8 and z["labels"].shape == (30,), z["labels"]
assert list(z["labels"][:4]) == [0, 1, 2, 0], z["labels"]
assert z["images"].shape == (30, 2, 3) and z["images"][1, 0, 1] == 200, z["images"]
for k in range(2):
    l = z["layout_%d" % k]
    assert l.dtype == np.float64 and l.shape == (30, 2), l
    assert np.array_equal(l.ravel(), np.arange(60) * (k + 1) / 7), l
`

// TestPublishedInNumPy writes a published set and has NumPy load it.
func TestPublishedInNumPy(t *testing.T) {
	_, _, b := publish(t, small, []string{"a", "b", "c"})
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pub.npz"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	numpytest.Run(t, loadPublished, dir)
}
