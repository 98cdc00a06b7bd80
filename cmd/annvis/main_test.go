package main

import (
	"bytes"
	"image"
	"image/draw"
	"image/gif"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"annvis/core/app/palette"
	"annvis/core/pipeline/pipelinetest"
)

// annvis builds the command once per test run.
func annvis(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "annvis")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// record runs annvis -record out with args and decodes the GIF it wrote.
func record(t *testing.T, bin, out string, args ...string) *gif.GIF {
	t.Helper()
	if msg, err := run(bin, append([]string{"-record", out}, args...)...); err != nil {
		t.Fatalf("%v: %s", err, msg)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := gif.DecodeAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// run runs the command and returns its stderr and error.
func run(bin string, args ...string) (string, error) {
	var stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stderr = &stderr
	err := cmd.Run()
	return stderr.String(), err
}

func TestCommand(t *testing.T) {
	bin := annvis(t)
	dir := t.TempDir()
	t.Run("record", func(t *testing.T) {
		g := record(t, bin, filepath.Join(dir, "x.gif"), "-frames", "60", "-size", "320x240")
		// One pass through the 4 layers at the default pace: 1 s on each,
		// 1.5 s from one to the next; frames resting on a stage merge.
		cs := 0
		for _, d := range g.Delay {
			cs += d
		}
		if len(g.Image) > 60 || len(g.Image) < 30 || cs < 800 || cs > 900 {
			t.Fatalf("%d frames lasting %d hundredths of a second, want 30 to 60 over one pass of 8.5 s", len(g.Image), cs)
		}
		if g.Config.Width != 320 || g.Config.Height != 240 || g.Image[0].Bounds() != image.Rect(0, 0, 320, 240) {
			t.Errorf("GIF %dx%d, first frame %v, want 320x240", g.Config.Width, g.Config.Height, g.Image[0].Bounds())
		}
		// Frames after the first hold what changed; compose them.
		first := image.NewRGBA(image.Rect(0, 0, 320, 240))
		draw.Draw(first, first.Rect, g.Image[0], image.Point{}, draw.Src)
		last := image.NewRGBA(first.Rect)
		for _, f := range g.Image {
			draw.Draw(last, f.Bounds(), f, f.Bounds().Min, draw.Over)
		}
		diff := 0
		for i := 0; i < len(first.Pix); i += 4 {
			if [3]uint8(first.Pix[i:i+3]) != [3]uint8(last.Pix[i:i+3]) {
				diff++
			}
		}
		if diff < len(first.Pix)/4/100 {
			t.Errorf("only %d of %d pixels differ between the first and last frame", diff, len(first.Pix)/4)
		}
	})
	t.Run("png", func(t *testing.T) {
		out := filepath.Join(dir, "x.png")
		if msg, err := run(bin, "-png", out, "-size", "480x360", "-view", "layers"); err != nil {
			t.Fatalf("%v: %s", err, msg)
		}
		img := readPNG(t, out)
		if n := classHues(img); n < 10 {
			t.Errorf("%d class hues in the frame, want all 10", n)
		}
	})
	t.Run("errors", func(t *testing.T) {
		a, err := pipelinetest.Build(200, 500, "mlp")
		if err != nil {
			t.Fatal(err)
		}
		a.Files["mlp-e01.zst"][50] ^= 0xff
		bad := t.TempDir()
		if err := a.WriteDir(bad); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"-n", "-5"}, "annvis: params: n=-5: must be between 100 and 10000"},
			{[]string{"-model", "nope"}, "annvis: params: model=nope:"},
			{[]string{"-size", "big"}, `annvis: -size "big": want WxH`},
			{[]string{"-checkpoint", "/dev/zero"}, "annvis: -checkpoint /dev/zero: larger than manifest.json says: more than 16777216 bytes"},
			{[]string{"-models", bad, "-n", "150", "-perplexity", "10", "-png", filepath.Join(dir, "y.png")},
				"annvis: pipeline: mlp-e01.zst: integrity check failed: SHA-256 "},
		} {
			msg, err := run(bin, tc.args...)
			if err == nil || !strings.Contains(msg, tc.want) {
				t.Errorf("annvis %q: %v, stderr %q, want it to contain %q", tc.args, err, msg, tc.want)
			}
		}
	})
}

// TestNoDisplay runs the command without a display: Ebiten's init would
// panic, but package cli's init runs first and answers -h, a bad flag or the
// missing display with a message.
func TestNoDisplay(t *testing.T) {
	bin := annvis(t)
	var usage []string // a line of the usage per flag
	for _, f := range []string{"model", "view", "layer", "n", "perplexity", "seed", "method", "lambda",
		"classes", "class", "speed", "proj", "hold", "transition", "models", "size", "record", "png", "frames", "fps"} {
		usage = append(usage, "\n  -"+f+" ")
	}
	for _, tc := range []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"-h"}, 0, usage},
		{[]string{"-n", "-5"}, 2, []string{"annvis: params: n=-5: must be between 100 and 10000\n"}},
		{nil, 1, []string{"annvis: no display: DISPLAY is not set; on a machine without a screen run it under xvfb-run, e.g. xvfb-run -a annvis -record out.gif\n"}},
	} {
		var out bytes.Buffer
		cmd := exec.Command(bin, tc.args...)
		cmd.Env = withoutDisplay(os.Environ())
		cmd.Stdout, cmd.Stderr = &out, &out
		cmd.Run()
		got := out.String()
		if code := cmd.ProcessState.ExitCode(); code != tc.code {
			t.Errorf("annvis %q: exit status %d, want %d; output:\n%s", tc.args, code, tc.code, got)
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("annvis %q: output does not contain %q:\n%s", tc.args, w, got)
			}
		}
		if strings.Contains(got, "panic") || strings.Contains(got, "goroutine") {
			t.Errorf("annvis %q panicked:\n%s", tc.args, got)
		}
	}
}

// withoutDisplay returns env without DISPLAY and WAYLAND_DISPLAY.
func withoutDisplay(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
			out = append(out, kv)
		}
	}
	return out
}

// classHues counts the class colours that at least 20 pixels of img show
// exactly (the heads of the points are drawn at full brightness).
func classHues(img image.Image) int { return hues(img, 10) }

// hues counts, as classHues does, the hues of the first n classes of
// palette.Classes in img.
func hues(img image.Image, n int) int {
	count := map[int]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			for c, col := range palette.Classes[:n] {
				dr, dg, db := int(r>>8)-int(col.R), int(g>>8)-int(col.G), int(bl>>8)-int(col.B)
				if dr*dr+dg*dg+db*db < 3*12*12 {
					count[c]++
				}
			}
		}
	}
	seen := 0
	for _, v := range count {
		if v >= 20 {
			seen++
		}
	}
	return seen
}

// TestTrainCommand trains the train view's acceptance run natively twice,
// saving the network with -save: the same flags give the same checkpoint
// bytes, which annvis -checkpoint then opens in every other view (and
// refuses a layer its network does not have).
func TestTrainCommand(t *testing.T) {
	bin := annvis(t)
	dir := t.TempDir()
	train := func(name string) []byte {
		out := filepath.Join(dir, name)
		msg, err := run(bin, "-view", "train", "-arch", "32", "-epochs", "2", "-train", "2000", "-n", "300",
			"-save", out, "-png", filepath.Join(dir, name+".png"), "-frames", "1", "-size", "480x360")
		if err != nil || !strings.Contains(msg, "saved the trained network to "+out) {
			t.Fatalf("annvis -view train -save: %v: %s", err, msg)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := train("a.zst"), train("b.zst")
	if !bytes.Equal(a, b) {
		t.Fatal("the same flags trained different checkpoints")
	}
	for _, view := range []string{"layers", "epochs", "trace", "bundled", "neurons", "map"} {
		png := filepath.Join(dir, view+".png")
		if msg, err := run(bin, "-checkpoint", filepath.Join(dir, "a.zst"), "-view", view, "-n", "300",
			"-png", png, "-frames", "1", "-size", "480x360"); err != nil {
			t.Errorf("annvis -checkpoint -view %s: %v: %s", view, err, msg)
		}
	}
	msg, err := run(bin, "-checkpoint", filepath.Join(dir, "a.zst"), "-view", "neurons", "-layer", "2")
	if want := "annvis: pipeline: a.zst: layer 2: its network (mlp:32) has hidden layers 1..1"; err == nil || !strings.Contains(msg, want) {
		t.Errorf("annvis -checkpoint -layer 2 of a one-layer network: %v, %q; want %q", err, msg, want)
	}
	msg, err = run(bin, "-checkpoint", filepath.Join(dir, "a.zst.png"), "-view", "layers")
	if err == nil || !strings.Contains(msg, "annvis: pipeline: a.zst.png: model: checkpoint") {
		t.Errorf("annvis -checkpoint of a PNG: %v, %q; want a checkpoint error", err, msg)
	}
}
