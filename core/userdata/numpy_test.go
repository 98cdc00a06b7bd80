package userdata

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"annvis/core/userdata/numpytest"
)

// writeScript writes, with NumPy, the same data set as out.npz (savez),
// compressed.npz (savez_compressed) and the folder dir/ (.npy files and
// meta.json): 300 points in 3 named classes, RGB float images, predictions,
// three stages of widths 5 (float32), 5 (float64, Fortran order) and 2.
const writeScript = `
import json, os, sys
import numpy as np
d = sys.argv[1]
n = 300
i = np.arange(n)
labels = (i % 3).astype(np.int32)
stages = {
    "conv": (np.arange(n * 5).reshape(n, 5) % 7).astype(np.float32) / 8,
    "dense": np.asfortranarray((np.arange(n * 5).reshape(n, 5) % 11).astype(np.float64) / 4),
    "out": np.stack([labels, -labels], axis=1).astype(np.float32),
}
images = (np.arange(n * 4 * 3 * 3).reshape(n, 4, 3, 3) % 256 / 255).astype(np.float32)
meta = {"title": "numpy", "kind": "epochs", "stages": ["conv", "dense", "out"]}
arrays = dict(labels=labels, class_names=np.array(["cat", "dog", "emu"]), images=images,
              predictions=(labels + i % 2) % 3, **stages)
np.savez(os.path.join(d, "out.npz"), meta=json.dumps(meta), **arrays)
np.savez_compressed(os.path.join(d, "compressed.npz"), meta=json.dumps(meta), **arrays)
os.mkdir(os.path.join(d, "dir"))
for k, v in arrays.items():
    np.save(os.path.join(d, "dir", k + ".npy"), v)
with open(os.path.join(d, "dir", "meta.json"), "w") as f:
    json.dump(meta, f)
`

func TestReadNumPy(t *testing.T) {
	dir := t.TempDir()
	numpytest.Run(t, writeScript, dir)
	for _, path := range []string{"out.npz", "compressed.npz", "dir"} {
		t.Run(path, func(t *testing.T) {
			s, err := ReadPath(filepath.Join(dir, path), Page)
			if err != nil {
				t.Fatal(err)
			}
			checkNumPySet(t, s)
		})
	}
	b, err := os.ReadFile(filepath.Join(dir, "compressed.npz"))
	if err != nil {
		t.Fatal(err)
	}
	names, err := ClassNames(bytes.NewReader(b), int64(len(b)), Page)
	if err != nil || !slices.Equal(names, []string{"cat", "dog", "emu"}) {
		t.Errorf("ClassNames: %q, %v", names, err)
	}
	if _, err := ClassNames(bytes.NewReader(b[:100]), 100, Page); err == nil || !strings.Contains(err.Error(), "not a .npz file") {
		t.Errorf("ClassNames of a cut file: %v", err)
	}
}

func checkNumPySet(t *testing.T, s *Set) {
	t.Helper()
	if s.N() != 300 || s.Kind != "epochs" || s.Title != "numpy" || len(s.Stages) != 3 {
		t.Fatalf("N %d kind %s title %q stages %d", s.N(), s.Kind, s.Title, len(s.Stages))
	}
	if got := s.ClassNames; len(got) != 3 || got[0] != "cat" || got[2] != "emu" {
		t.Errorf("class names %q", got)
	}
	for i := range s.N() {
		if s.Labels[i] != uint8(i%3) || s.Predicted[i] != uint8((i%3+i%2)%3) {
			t.Fatalf("point %d: label %d prediction %d", i, s.Labels[i], s.Predicted[i])
		}
		for j := range 5 {
			conv, dense := s.Stages[0].Values[i*5+j], s.Stages[1].Values[i*5+j]
			if conv != float32((i*5+j)%7)/8 || dense != float32((i*5+j)%11)/4 {
				t.Fatalf("point %d column %d: conv %g dense %g", i, j, conv, dense)
			}
		}
		if out := s.Stages[2].Values[2*i+1]; out != -float32(i%3) {
			t.Fatalf("point %d: out[1] = %g", i, out)
		}
	}
	im := s.Images
	if im.H != 4 || im.W != 3 || len(im.Image(299)) != 12 {
		t.Fatalf("images %d×%d, %d pixels", im.H, im.W, len(im.Pixels))
	}
	if got := im.Image(1)[0]; got != grey([]uint8{36, 37, 38})[0] { // pixel 36…38 of the ramp
		t.Errorf("image 1 pixel 0 = %d", got)
	}
}

// byteOrderScript writes with NumPy a data set whose arrays are big-endian
// (labels, activations, predictions) and whose class names are byte
// strings (dtype S), some shorter than the longest (NUL-padded).
const byteOrderScript = `
import os, sys
import numpy as np
d = sys.argv[1]
n = 40
labels = (np.arange(n) % 4).astype(">i2")
h = (np.arange(n * 3).reshape(n, 3) / 8).astype(">f8")
np.savez(os.path.join(d, "big.npz"), labels=labels, class_names=np.array([b"ant", b"bee", b"cicada", b"d"]),
         predictions=labels[::-1].astype(">u4"), h1=h.astype(">f4"), h2=h)
`

// TestReadNumPyByteOrder reads big-endian arrays and byte-string class
// names that NumPy wrote, as the decoder reads them itself.
func TestReadNumPyByteOrder(t *testing.T) {
	dir := t.TempDir()
	numpytest.Run(t, byteOrderScript, dir)
	s, err := ReadPath(filepath.Join(dir, "big.npz"), Page)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.ClassNames, []string{"ant", "bee", "cicada", "d"}) {
		t.Errorf("class names %q", s.ClassNames)
	}
	for i := range s.N() {
		if s.Labels[i] != uint8(i%4) || s.Predicted[i] != uint8((39-i)%4) {
			t.Fatalf("point %d: label %d prediction %d", i, s.Labels[i], s.Predicted[i])
		}
	}
	for k, st := range s.Stages {
		for j, v := range st.Values {
			if v != float32(j)/8 {
				t.Fatalf("stage %d value %d = %g, want %g", k, j, v, float32(j)/8)
			}
		}
	}
}
