// Package numpytest writes users' data files with Debian's python3 and
// NumPy — not with annvis's own writer — for the tests of the programs
// that read them (core/userdata, cmd/annvis, the page).
package numpytest

import (
	"os"
	"os/exec"
	"testing"
)

// Python is Debian's interpreter, whose python3-numpy scripts/install-deps
// installs.
const Python = "/usr/bin/python3"

// Files writes into its argument directory ok.npz (600 points of 6 classes
// in 2 layers of 8 units, with 8×8 images), ok2.npz (3 classes, for the
// compare view), twenty.npz (1000 points of the most classes, 20, named,
// in 2 layers of 24 units), huge.npz (100001 points: more than the page's
// and the desktop's limits), and one file per rule of docs/data-format.md that breaks
// it: dtype, rank, rows, range, classes, wide, nan, inf and notzip.npz.
const Files = `
import os, sys
import numpy as np
d = sys.argv[1]
rng = np.random.default_rng(0)
y = np.arange(600) % 6
centres = rng.normal(size=(6, 8)) * 4
l1 = (centres[y] + rng.normal(size=(600, 8)) * 2).astype(np.float32)
l2 = (centres[y] + rng.normal(size=(600, 8)) * 0.5).astype(np.float32)
images = (rng.random((600, 8, 8)) * 255).astype(np.uint8)
np.savez(os.path.join(d, "ok.npz"), labels=y, images=images, l1=l1, l2=l2)
np.savez(os.path.join(d, "ok2.npz"), labels=y % 3, l1=l2[:, :4] * 2, l2=l1[:, 4:])
np.savez(os.path.join(d, "dtype.npz"), labels=y, l1=l1.astype(np.int32), l2=l2)
np.savez(os.path.join(d, "rank.npz"), labels=y.reshape(20, 30), l1=l1, l2=l2)
np.savez(os.path.join(d, "rows.npz"), labels=y, l1=l1[:599], l2=l2)
np.savez(os.path.join(d, "range.npz"), labels=y, l1=l1, l2=l2, class_names=np.array(["a", "b", "c"]))
np.savez(os.path.join(d, "classes.npz"), labels=np.arange(600) % 21, l1=l1, l2=l2)
np.savez(os.path.join(d, "wide.npz"), labels=y[:2], l1=np.zeros((2, 4097), np.float32))
l2[17, 4] = np.nan
np.savez(os.path.join(d, "nan.npz"), labels=y, l1=l1, l2=l2)
l2[17, 4] = np.inf
np.savez(os.path.join(d, "inf.npz"), labels=y, l1=l1, l2=l2)
open(os.path.join(d, "notzip.npz"), "wb").write(b"\x93NUMPY, not a zip")
y20 = np.arange(1000) % 20
c20 = rng.normal(size=(20, 24)) * 4
names = np.array(["class %s" % chr(65 + k) for k in range(20)])
np.savez(os.path.join(d, "twenty.npz"), labels=y20, class_names=names,
         h1=(c20[y20] + rng.normal(size=(1000, 24)) * 2).astype(np.float32),
         h2=(c20[y20] + rng.normal(size=(1000, 24)) * 0.5).astype(np.float32))
np.savez(os.path.join(d, "huge.npz"), labels=np.zeros(100001, np.uint8), l1=np.zeros((100001, 1), np.float32))
`

// Run runs script with Python and NumPy, with dir as its argument. Without
// NumPy it fails the test under CI=true and skips it otherwise.
func Run(t testing.TB, script, dir string) {
	t.Helper()
	if err := exec.Command(Python, "-c", "import numpy").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s has no NumPy (scripts/install-deps installs python3-numpy): %v", Python, err)
		}
		t.Skipf("%s has no NumPy (scripts/install-deps installs python3-numpy)", Python)
	}
	if out, err := exec.Command(Python, "-c", script, dir).CombinedOutput(); err != nil {
		t.Fatalf("numpytest: %s: %v\n%s", Python, err, out)
	}
}
