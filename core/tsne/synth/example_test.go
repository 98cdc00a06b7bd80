package synth_test

import (
	"fmt"

	"annvis/core/tsne/synth"
)

func ExampleMake() {
	for _, name := range synth.Names {
		s, err := synth.Make(name, 1100, 1)
		if err != nil {
			fmt.Println(err)
			return
		}
		classes := map[uint8]int{}
		for _, l := range s.Labels {
			classes[l]++
		}
		fmt.Printf("%s: %d points in %d dimensions, %d classes\n", name, s.N, s.D, len(classes))
	}
	// Output:
	// clusters: 1100 points in 50 dimensions, 10 classes
	// roll: 1100 points in 3 dimensions, 10 classes
	// noise: 1100 points in 10 dimensions, 8 classes
}
