package bundle

import (
	"fmt"
	"runtime"
	"sync"
)

// BundleByClass bundles the trails of each class separately, as the lab
// did, in one shared grid frame so that the bundles overlay; it returns the
// trails in their input order. Classes are bundled in parallel where the
// platform allows.
func BundleByClass(trails [][]float64, classes []uint8, cfg Config) ([][]float64, error) {
	if len(classes) != len(trails) {
		return nil, fmt.Errorf("bundle: %d classes for %d trails", len(classes), len(trails))
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	fr, err := frameOf(trails, cfg.Size)
	if err != nil {
		return nil, err
	}
	var groups [256][]int
	for i, c := range classes {
		groups[c] = append(groups[c], i)
	}
	out := make([][]float64, len(trails))
	work := make(chan []int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for g := range work {
				sub := make([][]float64, len(g))
				for k, i := range g {
					sub[k] = trails[i]
				}
				for k, b := range bundleIn(sub, fr, cfg) {
					out[g[k]] = b
				}
			}
		}()
	}
	for _, g := range groups {
		if len(g) > 0 {
			work <- g
		}
	}
	close(work)
	wg.Wait()
	return out, nil
}

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
