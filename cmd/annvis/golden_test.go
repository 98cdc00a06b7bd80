package main

import (
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

// TestGolden draws one fixed frame, the default view's first animated frame
// in a 640×420 window, in each theme, and compares it with
// testdata/golden-THEME.png: a visual regression (text, layout, colours,
// marks) fails. After an intended change, look at the new images and run
//
//	xvfb-run -a go test ./cmd/annvis -run TestGolden -update
func TestGolden(t *testing.T) {
	bin := annvis(t)
	for _, theme := range []string{"dark", "light"} {
		t.Run(theme, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), theme+".png")
			if msg, err := run(bin, "-png", out, "-frames", "1", "-size", "640x420", "-theme", theme); err != nil {
				t.Fatalf("%v: %s", err, msg)
			}
			got := readPNG(t, out)
			golden := filepath.Join("testdata", "golden-"+theme+".png")
			if *update {
				b, err := os.ReadFile(out)
				if err == nil {
					err = os.WriteFile(golden, b, 0o644)
				}
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			want := readPNG(t, golden)
			if got.Bounds() != want.Bounds() {
				t.Fatalf("frame %v, golden %v", got.Bounds(), want.Bounds())
			}
			// Rasterisers may differ by a shade on edges: count only pixels
			// that differ clearly, and allow a few of them.
			const tol, maxShare = 48, 0.002
			bad := differing(got, want, tol)
			if share := float64(bad) / float64(got.Bounds().Dx()*got.Bounds().Dy()); share > maxShare {
				keep := filepath.Join(os.TempDir(), "annvis-golden-"+theme+".png")
				b, _ := os.ReadFile(out)
				os.WriteFile(keep, b, 0o644)
				t.Errorf("%d pixels (%.2f%%) differ from %s by more than %d: see %s; if intended, rerun with -update",
					bad, 100*share, golden, tol, keep)
			}
		})
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// differing counts the pixels of a and b (same bounds) whose colours differ
// by more than tol on some channel.
func differing(a, b image.Image, tol uint32) int {
	n := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if absDiff(r1>>8, r2>>8) > tol || absDiff(g1>>8, g2>>8) > tol || absDiff(b1>>8, b2>>8) > tol {
				n++
			}
		}
	}
	return n
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
