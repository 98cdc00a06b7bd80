package userdata

import "math"

// images reads the optional images: N×H×W or N×H×W×3 (or ×1), uint8 or
// floats in 0…1; colours become grey (ITU-R BT.601 luma).
func (r *reader) images(n int) (*Images, error) {
	if !r.has(imagesName) {
		return nil, nil
	}
	a, close, err := r.open(imagesName)
	if err != nil {
		return nil, err
	}
	defer close()
	sh := a.shape
	switch {
	case len(sh) != 3 && len(sh) != 4:
		return nil, errorf("array %q: rank %d, want 3 (N×H×W) or 4 (N×H×W×3)", a.name, len(sh))
	case len(sh) == 4 && sh[3] != 3 && sh[3] != 1:
		return nil, errorf("array %q: %d channels, want 3 (RGB) or 1", a.name, sh[3])
	case sh[0] != n:
		return nil, errorf("array %q: %d images, labels has %d", a.name, sh[0], n)
	case sh[1] < 1 || sh[2] < 1 || sh[1] > MaxImageSide || sh[2] > MaxImageSide:
		return nil, errorf("array %q: images of %d×%d pixels, want 1…%d on each side", a.name, sh[1], sh[2], MaxImageSide)
	case a.dtype()[1:] != "u1" && a.kind != 'f':
		return nil, errorf("array %q: dtype %s, want uint8 or floats in 0…1", a.name, a.dtype())
	}
	if err := r.count(a); err != nil {
		return nil, err
	}
	px, err := pixels(a)
	if err != nil {
		return nil, err
	}
	if len(sh) == 4 && sh[3] == 3 {
		px = grey(px)
	}
	return &Images{H: sh[1], W: sh[2], Pixels: px}, nil
}

// pixels reads uint8 pixels, or floats in 0…1 scaled to 0…255.
func pixels(a *array) ([]uint8, error) {
	if a.kind != 'f' {
		v, err := a.ints()
		if err != nil {
			return nil, err
		}
		out := make([]uint8, len(v))
		for i, x := range v {
			out[i] = uint8(x)
		}
		return out, nil
	}
	v, err := a.floats()
	if err != nil {
		return nil, err
	}
	out := make([]uint8, len(v))
	for i, x := range v {
		if !(x >= 0 && x <= 1) {
			return nil, errorf("array %q: value %g at element %d is not in 0…1 (float images are 0…1)", a.name, x, i)
		}
		out[i] = uint8(math.Round(float64(x) * 255))
	}
	return out, nil
}

// grey turns RGB triples into luma.
func grey(rgb []uint8) []uint8 {
	out := make([]uint8, len(rgb)/3)
	for i := range out {
		r, g, b := float64(rgb[3*i]), float64(rgb[3*i+1]), float64(rgb[3*i+2])
		out[i] = uint8(math.Round(0.299*r + 0.587*g + 0.114*b))
	}
	return out
}
