package gifenc

import (
	"bytes"
	"cmp"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"testing"

	"annvis/core/app/palette"
)

func TestPalette(t *testing.T) {
	for _, tc := range []struct {
		pal     color.Palette
		classes int
	}{{gifPalette, 10}, {dataPalette, 20}} {
		if len(tc.pal) != 256 {
			t.Fatalf("%d classes: %d colours, want 256", tc.classes, len(tc.pal))
		}
		want := map[string]color.RGBA{
			"background": palette.Background,
			"white":      {0xff, 0xff, 0xff, 0xff},
			"black":      {0, 0, 0, 0xff},
		}
		for i, c := range palette.Classes[:tc.classes] {
			want[fmt.Sprintf("class %d", i)] = c
		}
		for name, c := range want {
			img := image.NewRGBA(image.Rect(0, 0, 1, 1))
			img.SetRGBA(0, 0, c)
			q := quantize(img, tc.pal)
			if got := q.Palette[q.Pix[0]]; got != color.Color(c) {
				t.Errorf("%d classes: %s %v quantises to %v, want itself", tc.classes, name, c, got)
			}
			if q.Pix[0] == transparent {
				t.Errorf("%d classes: %s quantises to the transparent index", tc.classes, name)
			}
		}
		if _, _, _, a := tc.pal[transparent].RGBA(); a != 0 {
			t.Errorf("%d classes: colour %d has alpha %d, want transparent", tc.classes, transparent, a)
		}
	}
}

// frame returns a w×h RGBA image of the background with a square of class c
// at (x, y).
func frame(w, h, x, y, c int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, image.NewUniform(palette.Background), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(x, y, x+4, y+4), image.NewUniform(palette.Classes[c]), image.Point{}, draw.Src)
	return img
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name    string
		frames  []*image.RGBA
		delay   int
		stored  []int // indices of the frames stored; the others repeat the one before
		classes int
	}{
		{"one", []*image.RGBA{frame(16, 12, 1, 1, 0)}, 0, []int{0}, 0},
		{"moving", []*image.RGBA{frame(16, 12, 1, 1, 0), frame(16, 12, 5, 3, 0), frame(16, 12, 9, 7, 4)}, 10, []int{0, 1, 2}, 0},
		{"still", []*image.RGBA{frame(16, 12, 2, 2, 7), frame(16, 12, 2, 2, 7)}, 0, []int{0}, 0},
		{"rests", []*image.RGBA{frame(16, 12, 2, 2, 7), frame(16, 12, 2, 2, 7), frame(16, 12, 3, 2, 7), frame(16, 12, 3, 2, 7), frame(16, 12, 3, 2, 7)}, 7, []int{0, 2}, 0},
		{"20 classes", []*image.RGBA{frame(16, 12, 1, 1, 19), frame(16, 12, 5, 3, 12), frame(16, 12, 9, 7, 4)}, 0, []int{0, 1, 2}, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := Animation{Delay: tc.delay, Classes: tc.classes}
			pal := gifPalette
			if tc.classes > 10 {
				pal = dataPalette
			}
			for _, f := range tc.frames {
				a.Add(f)
			}
			var b bytes.Buffer
			if err := a.Encode(&b); err != nil {
				t.Fatal(err)
			}
			g, err := gif.DecodeAll(&b)
			if err != nil {
				t.Fatal(err)
			}
			if len(g.Image) != len(tc.stored) || a.Len() != len(tc.frames) {
				t.Fatalf("%d frames decoded, Len %d, want %d and %d", len(g.Image), a.Len(), len(tc.stored), len(tc.frames))
			}
			delay := cmp.Or(tc.delay, DefaultDelay)
			shown := image.NewRGBA(tc.frames[0].Rect)
			for k, f := range g.Image {
				draw.Draw(shown, f.Bounds(), f, f.Bounds().Min, draw.Over)
				if want := quantize(tc.frames[tc.stored[k]], pal); !sameColours(shown, want) {
					t.Errorf("frame %d composed differs from the quantised frame", k)
				}
				if k > 0 && f.Bounds() == shown.Rect {
					t.Errorf("frame %d is stored whole, want the changed rectangle", k)
				}
				next := len(tc.frames)
				if k+1 < len(tc.stored) {
					next = tc.stored[k+1]
				}
				if want := (next - tc.stored[k]) * delay; g.Delay[k] != want {
					t.Errorf("frame %d shows %d hundredths, want %d", k, g.Delay[k], want)
				}
			}
		})
	}
}

// sameColours reports whether every pixel of a shows the colour of q's.
func sameColours(a *image.RGBA, q *image.Paletted) bool {
	for y := q.Rect.Min.Y; y < q.Rect.Max.Y; y++ {
		for x := q.Rect.Min.X; x < q.Rect.Max.X; x++ {
			if color.RGBAModel.Convert(q.At(x, y)) != a.At(x, y) {
				return false
			}
		}
	}
	return true
}

func ExampleAnimation() {
	var a Animation
	a.Add(frame(64, 48, 10, 10, 1))
	a.Add(frame(64, 48, 12, 10, 1)) // the square moves 2 pixels right
	var b bytes.Buffer
	if err := a.Encode(&b); err != nil {
		fmt.Println(err)
		return
	}
	g, _ := gif.DecodeAll(&b)
	for _, f := range g.Image {
		fmt.Println(f.Bounds())
	}
	// Output:
	// (0,0)-(64,48)
	// (10,10)-(16,14)
}
