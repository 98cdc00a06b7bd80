package bundle

import (
	"bytes"
	"encoding/binary"
	"flag"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

// coverage returns how many pixels of a size² raster the trails cover when
// drawn 1 pixel wide in the grid frame of ref.
func coverage(trails, ref [][]float64, size int) int {
	fr, _ := frameOf(ref, size)
	hit := make([]bool, size*size)
	mark := func(x, y float64) {
		if ix, iy := int(x), int(y); ix >= 0 && iy >= 0 && ix < size && iy < size {
			hit[iy*size+ix] = true
		}
	}
	for _, t := range trails {
		px, py := fr.toGrid(t[0], t[1])
		mark(px, py)
		for v := 1; v < len(t)/2; v++ {
			x, y := fr.toGrid(t[2*v], t[2*v+1])
			steps := int(math.Ceil(4*math.Hypot(x-px, y-py))) + 1
			for k := 1; k <= steps; k++ {
				f := float64(k) / float64(steps)
				mark(px+f*(x-px), py+f*(y-py))
			}
			px, py = x, y
		}
	}
	n := 0
	for _, h := range hit {
		if h {
			n++
		}
	}
	return n
}

func TestBundleMNISTTrails(t *testing.T) {
	trails, labels := mnistTrails(t, 1000, 4)
	// KDEEB's acceptance: ≥ 30 % fewer pixels. Pinning the middle stages
	// leaves less to bundle; there we only ask for a clear reduction.
	for _, c := range []struct {
		name   string
		keep   bool
		class  bool
		fewest float64
	}{
		{"all", false, false, 0.3},
		{"by class", false, true, 0.3},
		{"by class, stages pinned", true, true, 0.15},
	} {
		cfg := Config{KeepVertices: c.keep}
		var out [][]float64
		var err error
		if c.class {
			out, err = BundleByClass(trails, labels, cfg)
		} else {
			out, err = Bundle(trails, cfg)
		}
		if err != nil {
			t.Fatal(err)
		}
		raw, bundled := coverage(trails, trails, 512), coverage(out, trails, 512)
		t.Logf("%s: raw trails cover %d pixels, bundled %d (%.0f %% fewer)", c.name, raw, bundled, 100-100*float64(bundled)/float64(raw))
		if float64(bundled) > (1-c.fewest)*float64(raw) {
			t.Errorf("%s: bundled trails cover %d pixels, raw %d: want ≥ %.0f %% fewer", c.name, bundled, raw, 100*c.fewest)
		}
		for i, b := range out {
			in := trails[i]
			if b[0] != in[0] || b[1] != in[1] || b[len(b)-2] != in[len(in)-2] || b[len(b)-1] != in[len(in)-1] {
				t.Fatalf("%s: trail %d end points moved: %v…%v, want %v…%v", c.name, i, b[:2], b[len(b)-2:], in[:2], in[len(in)-2:])
			}
			if c.keep && !containsVertices(b, in) {
				t.Fatalf("%s: trail %d lost a pinned vertex", c.name, i)
			}
		}
	}
}

// containsVertices reports whether every vertex of in occurs, in order, in b.
func containsVertices(b, in []float64) bool {
	k := 0
	for v := 0; v < len(in)/2; v++ {
		for k < len(b)/2 && (b[2*k] != in[2*v] || b[2*k+1] != in[2*v+1]) {
			k++
		}
		if k == len(b)/2 {
			return false
		}
	}
	return true
}

// goldenTrails returns the trails of the golden test: 300 MNIST digits
// through 3 t-SNE layouts, stored in testdata so that changes to core/tsne
// do not move the golden image; -update recomputes them.
func goldenTrails(t *testing.T) ([][]float64, []uint8) {
	const n, stages = 300, 3
	path := filepath.Join("testdata", "trails.bin")
	if *update {
		trails, labels := mnistTrails(t, n, stages)
		var buf bytes.Buffer
		buf.Write(labels)
		for _, tr := range trails {
			binary.Write(&buf, binary.LittleEndian, tr)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if len(b) != n+n*stages*2*8 {
		t.Fatalf("%s has %d bytes, want %d", path, len(b), n+n*stages*2*8)
	}
	labels, r := b[:n], bytes.NewReader(b[n:])
	trails := make([][]float64, n)
	for i := range trails {
		trails[i] = make([]float64, 2*stages)
		if err := binary.Read(r, binary.LittleEndian, trails[i]); err != nil {
			t.Fatal(err)
		}
	}
	return trails, labels
}

func TestDensityGolden(t *testing.T) {
	trails, labels := goldenTrails(t)
	cfg := Config{Size: 128, Bandwidth: 8, MinBandwidth: 1}
	out, err := BundleByClass(trails, labels, cfg)
	if err != nil {
		t.Fatal(err)
	}
	dens, err := Density(out, 1.5, cfg)
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewGray(image.Rect(0, 0, cfg.Size, cfg.Size))
	for k, v := range dens {
		img.Pix[k] = uint8(math.Round(255 * math.Sqrt(float64(v))))
	}
	path := filepath.Join("testdata", "density.png")
	if *update {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if want.Bounds() != img.Bounds() {
		t.Fatalf("golden image is %v, density %v", want.Bounds(), img.Bounds())
	}
	bad := 0
	for y := range cfg.Size {
		for x := range cfg.Size {
			g := int(color.GrayModel.Convert(want.At(x, y)).(color.Gray).Y)
			if d := g - int(img.GrayAt(x, y).Y); d > 2 || d < -2 {
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d pixels differ from %s by more than 2 levels (go test -update rewrites it after a deliberate change)", bad, path)
	}
}

func TestErrors(t *testing.T) {
	ok := [][]float64{{0, 0, 1, 1}}
	for _, c := range []struct {
		name, want string
		err        func() error
	}{
		{"odd", "trail 1 has 3 coordinates", func() error { _, err := Bundle([][]float64{{0, 0}, {1, 2, 3}}, Config{}); return err }},
		{"empty trail", "trail 0 has 0 coordinates", func() error { _, err := Bundle([][]float64{{}}, Config{}); return err }},
		{"nan", "trail 0 coordinate 2 is NaN", func() error { _, err := Bundle([][]float64{{0, 0, math.NaN(), 1}}, Config{}); return err }},
		{"huge", "outside what a grid can map", func() error { _, err := Bundle([][]float64{{-1e308, 0, 1e308, 0}}, Config{}); return err }},
		{"tiny", "outside what a grid can map", func() error { _, err := Bundle([][]float64{{0, 0, 1e-320, 0}}, Config{}); return err }},
		{"size", "grid size 4 must be between 8 and 8192", func() error { _, err := Bundle(ok, Config{Size: 4}); return err }},
		{"shrink", "shrink 2 must be in (0, 1]", func() error { _, err := Bundle(ok, Config{Shrink: 2}); return err }},
		{"min bandwidth", "minimum bandwidth 40 must be > 0 and ≤ the bandwidth 32", func() error { _, err := Bundle(ok, Config{MinBandwidth: 40}); return err }},
		{"step", "step -1 must be in (0, 1]", func() error { _, err := Bundle(ok, Config{Step: -1}); return err }},
		{"classes", "2 classes for 1 trails", func() error { _, err := BundleByClass(ok, []uint8{1, 2}, Config{}); return err }},
		{"no classes", "1 trails but no classes", func() error { _, err := BundleByClass(ok, nil, Config{}); return err }},
		{"density bandwidth", "bandwidth 0 must be > 0", func() error { _, err := Density(ok, 0, Config{}); return err }},
	} {
		err := c.err()
		if err == nil || !strings.HasPrefix(err.Error(), "bundle: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestDegenerateTrails(t *testing.T) {
	for _, trails := range [][][]float64{
		nil,
		{{3, 4}},                     // a single point
		{{1, 1, 1, 1}, {1, 1, 1, 1}}, // all points equal
	} {
		out, err := Bundle(trails, Config{})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != len(trails) {
			t.Fatalf("%d trails in, %d out", len(trails), len(out))
		}
		for i, b := range out {
			for _, v := range b {
				if v != trails[i][0] && v != trails[i][1] {
					t.Errorf("trail %v became %v", trails[i], b)
					break
				}
			}
		}
	}
}

func TestRunStages(t *testing.T) {
	trails, labels := goldenTrails(t)
	for _, classes := range [][]uint8{nil, labels} {
		res, err := Run(trails, classes, Config{Size: 128, Bandwidth: 8})
		if err != nil {
			t.Fatal(err)
		}
		for i, st := range res.Stage {
			if len(st) != len(res.Lines[i])/2 || st[0] != 0 || st[len(st)-1] != 2 {
				t.Fatalf("trail %d: %d stages for %d points, from %g to %g; want one per point from 0 to 2", i, len(st), len(res.Lines[i])/2, st[0], st[len(st)-1])
			}
			for k := 1; k < len(st); k++ {
				if st[k] <= st[k-1] {
					t.Fatalf("trail %d: stage goes from %g to %g at point %d", i, st[k-1], st[k], k)
				}
			}
		}
	}
}

func TestJobMatchesRun(t *testing.T) {
	trails, labels := goldenTrails(t)
	cfg := Config{Size: 128, Bandwidth: 8}
	want, err := Run(trails, labels, cfg)
	if err != nil {
		t.Fatal(err)
	}
	j, err := NewJob(trails, labels, cfg)
	if err != nil {
		t.Fatal(err)
	}
	last := 0.0
	for !j.Step() {
		if p := j.Progress(); p < last || p >= 1 || j.Result() != nil {
			t.Fatalf("progress %g after %g, result %v before the end", p, last, j.Result() != nil)
		} else {
			last = p
		}
	}
	got := j.Result()
	if j.Progress() != 1 || got == nil {
		t.Fatal("job done without progress 1 and a result")
	}
	for i := range trails {
		if !slices.Equal(got.Lines[i], want.Lines[i]) || !slices.Equal(got.Stage[i], want.Stage[i]) {
			t.Fatalf("trail %d differs from Run's", i)
		}
	}
}
