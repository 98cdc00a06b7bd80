package bundle

import "fmt"

// Density returns the cfg.Size² row-major raster of the kernel density, at
// bandwidth h pixels, of the trails' points resampled cfg.Spacing pixels
// apart, in the grid frame fitted to the trails, scaled to a peak of 1
// (all zero without points). It is what Bundle climbs, and a picture of
// the bundles by itself.
func Density(trails [][]float64, h float64, cfg Config) ([]float32, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if !(h > 0 && h <= float64(cfg.Size)) {
		return nil, fmt.Errorf("bundle: bandwidth %g must be > 0 and ≤ the grid size %d", h, cfg.Size)
	}
	fr, err := frameOf(trails, cfg.Size)
	if err != nil {
		return nil, err
	}
	g := newGrid(cfg.Size, 1)
	g.density(resample(trails, fr, cfg.Spacing, false).pts, h)
	var peak float32
	for _, v := range g.d {
		peak = max(peak, v)
	}
	if peak > 0 {
		for i := range g.d {
			g.d[i] /= peak
		}
	}
	return g.d, nil
}
