package bundle_test

import (
	"fmt"
	"math"

	"annvis/core/bundle"
)

func ExampleBundle() {
	// Two nearly parallel trails and a third far away; the close pair is
	// pulled together, end points stay where they were.
	trails := [][]float64{
		{0, 0, 50, 0, 100, 0},
		{0, 6, 50, 6, 100, 6},
		{0, 100, 50, 100, 100, 100},
	}
	out, err := bundle.Bundle(trails, bundle.Config{Size: 128, Bandwidth: 16})
	if err != nil {
		fmt.Println(err)
		return
	}
	mid := func(t []float64) (float64, float64) { k := len(t) / 4 * 2; return t[k], t[k+1] }
	x0, y0 := mid(out[0])
	x1, y1 := mid(out[1])
	fmt.Printf("middles %.0f apart before, closer after: %t\n", 6.0, math.Hypot(x1-x0, y1-y0) < 3)
	fmt.Println("end points:", out[0][:2], out[0][len(out[0])-2:])
	// Output:
	// middles 6 apart before, closer after: true
	// end points: [0 0] [100 0]
}

func ExampleDensity() {
	// The density of one horizontal trail peaks on its line.
	dens, err := bundle.Density([][]float64{{0, 0, 1, 0}}, 4, bundle.Config{Size: 64})
	if err != nil {
		fmt.Println(err)
		return
	}
	peak := 0
	for k, v := range dens {
		if v > dens[peak] {
			peak = k
		}
	}
	fmt.Printf("%d×%d raster, peak %.0f at row %d\n", 64, len(dens)/64, dens[peak], peak/64)
	// Output: 64×64 raster, peak 1 at row 4
}
