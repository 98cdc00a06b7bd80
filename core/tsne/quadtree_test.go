package tsne

import (
	"runtime"
	"slices"
	"testing"
)

func TestConcurrentBuildEqualsSerial(t *testing.T) {
	// Built concurrently (top cells split first, subtrees apart, then
	// joined) or not, the tree is the same, node for node; again when the
	// memory of an earlier build is reused.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	twos := []float64{0, 0, 0.1, 0.1, 1, 1, 0.9, 0.2, 0.2, 0.9} // a top quarter of 2 points: a leaf
	same := make([]float64, 2*40)                               // coincident points: maxDepth
	for i := range same {
		same[i] = 3
	}
	same[0] = 4
	var serial, conc quadtree
	for _, tc := range []struct {
		name  string
		y     []float64
		cells int // top cells
	}{
		{"spread", spreadLayout(3000, 150), 1 + 4 + 16},
		{"twos", twos, 1 + 4},
		{"coincident", same, 1 + 2 + 1},
		{"spread again", spreadLayout(2500, 30), 1 + 4 + 16},
	} {
		serial.grow(tc.y, false)
		conc.grow(tc.y, true)
		if !slices.Equal(serial.nodes, conc.nodes) || !slices.Equal(serial.idx, conc.idx) || !slices.Equal(serial.pos, conc.pos) {
			t.Errorf("%s: the concurrent tree (%d nodes) differs from the serial one (%d)", tc.name, len(conc.nodes), len(serial.nodes))
		}
		if len(conc.cells) != tc.cells {
			t.Errorf("%s: %d top cells, want %d", tc.name, len(conc.cells), tc.cells)
		}
	}
}

func TestConcurrentBuildChoice(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	if runtime.GOMAXPROCS(0) == 2 { // not js/wasm, which has one
		if concurrentBuild(concurrentMin-1) || !concurrentBuild(concurrentMin) {
			t.Errorf("2 goroutines: concurrent build of %d points %v, of %d %v; want false, true",
				concurrentMin-1, concurrentBuild(concurrentMin-1), concurrentMin, concurrentBuild(concurrentMin))
		}
	}
	runtime.GOMAXPROCS(1)
	if concurrentBuild(concurrentMin) {
		t.Error("1 goroutine: concurrent build")
	}
}
