//go:build !js

package app

import (
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"annvis/core/app/ui"
)

// TestNoDebugPrint fails if Ebiten's fixed debug font is used outside
// debugging code (files named *debug.go): every text annvis shows is set in
// the embedded typeface, sized from the canvas.
func TestNoDebugPrint(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, "debug.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), "ebitenutil.DebugPrint") {
			t.Errorf("%s draws text with ebitenutil.DebugPrint*: use drawText (text/v2, the embedded typeface)", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLayoutMeasuresWhatIsDrawn checks that the layout's text widths, which
// package ui measures without Ebiten, agree with text/v2's, so that labels
// laid out not to overlap do not overlap when drawn.
func TestLayoutMeasuresWhatIsDrawn(t *testing.T) {
	for _, s := range []string{"MLP", "neighbourhood hit 0.97 · trustworthiness 0.99", "layer 3 epochs >", "WAVE ffi"} {
		for _, size := range []float64{11, 18, 33} {
			want := text.Advance(s, &text.GoTextFace{Source: faces, Size: size})
			if got := ui.TextW(s, size); math.Abs(got-want) > 0.01*want+0.5 {
				t.Errorf("%q at %v px: ui measures %.2f, text/v2 %.2f", s, size, got, want)
			}
		}
	}
}
