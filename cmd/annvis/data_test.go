package main

import (
	"image"
	"image/color"
	"image/gif"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"annvis/core/app/palette"
	"annvis/core/userdata/numpytest"
)

// TestDataCommand opens NumPy-written files with -data: -png and -record
// draw them; bad files end the program with the reader's one-line message.
func TestDataCommand(t *testing.T) {
	dir := t.TempDir()
	numpytest.Run(t, numpytest.Files, dir)
	bin := annvis(t)
	ok := filepath.Join(dir, "ok.npz")
	t.Run("png", func(t *testing.T) {
		out := filepath.Join(dir, "x.png")
		if msg, err := run(bin, "-data", ok, "-png", out, "-size", "480x360", "-perplexity", "20"); err != nil {
			t.Fatalf("%v: %s", err, msg)
		}
		img := readPNG(t, out)
		if n := classHues(img); n < 6 {
			t.Errorf("%d class hues in the frame, want the data's 6", n)
		}
	})
	t.Run("record", func(t *testing.T) {
		out := filepath.Join(dir, "x.gif")
		if msg, err := run(bin, "-data", ok, "-record", out, "-frames", "20", "-size", "320x240", "-perplexity", "20"); err != nil {
			t.Fatalf("%v: %s", err, msg)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if g, err := gif.DecodeAll(f); err != nil || len(g.Image) < 2 {
			t.Fatalf("GIF: %v", err)
		}
	})
	t.Run("compare", func(t *testing.T) {
		out := filepath.Join(dir, "compare.png")
		if msg, err := run(bin, "-data", ok, "-data2", filepath.Join(dir, "ok2.npz"), "-view", "compare", "-png", out, "-size", "640x360", "-perplexity", "20"); err != nil {
			t.Fatalf("%v: %s", err, msg)
		}
		img := readPNG(t, out)
		// The left half shows the first set's 6 classes, the right the second's 3.
		w := img.Bounds().Dx()
		left := classHues(img.(interface {
			SubImage(image.Rectangle) image.Image
		}).SubImage(image.Rect(0, 0, w/2, img.Bounds().Dy())))
		right := classHues(img.(interface {
			SubImage(image.Rectangle) image.Image
		}).SubImage(image.Rect(w/2, 0, w, img.Bounds().Dy())))
		if left < 6 || right > 4 || right < 3 {
			t.Errorf("class hues: %d on the left, %d on the right; want 6 (-data) and 3 (-data2)", left, right)
		}
	})
	t.Run("twenty classes", func(t *testing.T) {
		for _, theme := range []string{"dark", "light"} {
			out := filepath.Join(dir, "twenty-"+theme+".png")
			if msg, err := run(bin, "-data", filepath.Join(dir, "twenty.npz"), "-png", out, "-size", "960x540", "-theme", theme, "-classes", "0,5,12,19"); err != nil {
				t.Fatalf("%v: %s", err, msg)
			}
			if theme == "dark" {
				// Classes 12 and 19, beyond the digits, show in their hues.
				img := readPNG(t, out)
				if n := hues(img, 20) - hues(img, 10); n < 2 {
					t.Errorf("%d hues of classes 10–19 in the frame of classes 0, 5, 12 and 19, want 2", n)
				}
			}
		}
		// A GIF keeps class 19's own colour (the GIF palette of twenty classes).
		g := record(t, bin, filepath.Join(dir, "twenty.gif"), "-data", filepath.Join(dir, "twenty.npz"), "-frames", "4", "-size", "320x240", "-classes", "19")
		first := g.Image[0]
		i := slices.Index(first.Palette, color.Color(palette.Classes[19]))
		if i < 0 || !slices.Contains(first.Pix, uint8(i)) {
			t.Errorf("class 19's colour %v: palette index %d, not drawn in the first frame", palette.Classes[19], i)
		}
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"-classes", "20"}, "annvis: params: classes=20: must be a comma-separated list of classes 0-19"},
			{[]string{"-view", "neurons", "-class", "20"}, "annvis: params: class=20: must be between 0 and 19"},
		} {
			msg, err := run(bin, append([]string{"-data", filepath.Join(dir, "twenty.npz"), "-png", filepath.Join(dir, "no.png")}, tc.args...)...)
			if err == nil || !strings.Contains(msg, tc.want) {
				t.Errorf("%v: %v, %q; want %q", tc.args, err, msg, tc.want)
			}
		}
	})
	notZip := filepath.Join(dir, "notzip.npz")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-data", filepath.Join(dir, "nan.npz")}, `annvis: -data ` + filepath.Join(dir, "nan.npz") + `: userdata: stage "l2": 1 NaN value (first at row 17, column 4)`},
		{[]string{"-data", notZip}, "userdata: not a .npz file (a zip archive)"},
		{[]string{"-data", filepath.Join(dir, "inf.npz")}, `userdata: stage "l2": 1 infinite value (first at row 17, column 4)`},
		{[]string{"-data", filepath.Join(dir, "dtype.npz")}, `userdata: stage "l1": dtype <i4, want float32 or float64`},
		{[]string{"-data", filepath.Join(dir, "rank.npz")}, `userdata: array "labels": rank 2, want 1 (N integers)`},
		{[]string{"-data", filepath.Join(dir, "rows.npz")}, `userdata: stage "l1": 599 rows, labels has 600`},
		{[]string{"-data", filepath.Join(dir, "range.npz")}, `userdata: array "labels": value 3 at row 3 is not a class 0…2 (class_names has 3)`},
		{[]string{"-data", filepath.Join(dir, "classes.npz")}, `userdata: array "labels": value 20 at row 20: more than 20 classes`},
		{[]string{"-data", filepath.Join(dir, "wide.npz")}, `userdata: stage "l1": 4097 columns, want 1…4096`},
		{[]string{"-data", filepath.Join(dir, "huge.npz")}, `userdata: array "labels": 100001 points, at most 100000`},
		{[]string{"-data", filepath.Join(dir, "missing.npz")}, "no such file or directory"},
		{[]string{"-data", ok, "-view", "neurons", "-png", filepath.Join(dir, "y.png")}, "the neurons view needs stages that share neurons"},
		{[]string{"-data", ok, "-checkpoint", ok}, "annvis: -data shows your data alone"},
		{[]string{"-data2", ok}, "annvis: -data2 is the second data set: give the first with -data"},
		{[]string{"-data", ok, "-data2", filepath.Join(dir, "nan.npz")}, `annvis: -data2 ` + filepath.Join(dir, "nan.npz") + `: userdata: stage "l2"`},
	} {
		msg, err := run(bin, tc.args...)
		if err == nil || !strings.Contains(msg, tc.want) || strings.Count(strings.TrimSpace(msg), "\n") > 0 {
			t.Errorf("annvis %q: %v, stderr %q, want one line containing %q", tc.args, err, msg, tc.want)
		}
	}
}
