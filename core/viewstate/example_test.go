package viewstate_test

import (
	"fmt"

	"annvis/core/viewstate"
)

// A producer (a Web Worker) encodes what its pipeline computed; the reader
// (the page) applies the updates to its own Snapshot and reads them
// through a Shared.
func Example() {
	src := viewstate.Snapshot{Status: viewstate.Status{Phase: "t-SNE layer 1/1", Progress: 0.5}, N: 2,
		Names: []string{"layer 1"}, Labels: []uint8{3, 7}, Predicted: [][]uint8{{3, 1}},
		Positions: [][]float64{{0, 0, 1, 0.5}}, Quality: []viewstate.Quality{{NH: 1, TW: 0.9}}, Panels: []*viewstate.Panel{nil}}
	var enc viewstate.Encoder
	var view viewstate.Shared
	view.Update(func(dst *viewstate.Snapshot) {
		if err := viewstate.ApplyUpdate(dst, enc.Encode(nil, &src)); err != nil {
			fmt.Println(err)
		}
	})
	fmt.Println(view.Status().Phase, view.Stages(), view.Labels(), view.Positions(0, nil), view.Quality(0))
	fmt.Println(len(enc.Encode(nil, &src)) < 64) // nothing new: the status only
	// Output:
	// t-SNE layer 1/1 [layer 1] [3 7] [0 0 1 0.5] {1 0.9}
	// true
}

// A train view's run is over once the stage of its last epoch is
// evaluated, not when that epoch's last mini-batch is trained.
func ExampleTraining_Over() {
	evaluating := viewstate.Training{Epoch: 2, Epochs: 2, Trained: []float64{0, 1}}
	trained := viewstate.Training{Epoch: 2, Epochs: 2, Trained: []float64{0, 1, 2}}
	fmt.Println(evaluating.Over(), trained.Over())
	// Output: false true
}
