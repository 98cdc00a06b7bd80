package neurons_test

import (
	"fmt"
	"math"

	"annvis/core/neurons"
)

func ExampleDissimilarity() {
	// Four samples of three neurons: the second fires twice as strongly as
	// the first, the third never fires.
	act := []float32{
		0, 0, 0,
		1, 2, 0,
		3, 6, 0,
		2, 4, 0,
	}
	dis, err := neurons.Dissimilarity(act, 4, 3, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range 3 {
		fmt.Printf("%.2f\n", dis[i*3:(i+1)*3])
	}
	// Output:
	// [0.00 0.00 1.00]
	// [0.00 0.00 1.00]
	// [1.00 1.00 0.00]
}

func ExampleProject() {
	// The corners of a unit square, given by their distances.
	s := math.Sqrt2
	dis := []float64{
		0, 1, s, 1,
		1, 0, 1, s,
		s, 1, 0, 1,
		1, s, 1, 0,
	}
	p, err := neurons.Project(dis, 4, neurons.MDSConfig{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	side := math.Hypot(p.Pos[0]-p.Pos[2], p.Pos[1]-p.Pos[3])
	fmt.Printf("side %.3f, final stress below 1e-9: %t\n", side, p.Stress[len(p.Stress)-1] < 1e-9)
	// Output: side 1.000, final stress below 1e-9: true
}

func ExampleDiscriminativeMap() {
	// Three neurons over 60 digits of classes 0, 1 and 2: neuron 0 fires
	// for 2s, neuron 1 for 0s, neuron 2 for every digit alike.
	const n, d = 60, 3
	act := make([]float32, n*d)
	labels := make([]uint8, n)
	for i := range n {
		labels[i] = uint8(i % 3)
		act[i*d+2] = float32(i%7) / 7
		switch labels[i] {
		case 2:
			act[i*d] = 1
		case 0:
			act[i*d+1] = 1
		}
	}
	m, err := neurons.DiscriminativeMap(act, n, d, labels, neurons.ForestConfig{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("classes:", m.Class[:2])
	// Output: classes: [2 0]
}

func ExampleFitExtraTrees() {
	// 100 samples of two features; the label is "first feature > 0.5",
	// the second feature is noise. (scikit-learn gives importances 0.90
	// and 0.10 too.)
	const n, d = 100, 2
	x := make([]float32, n*d)
	y := make([]bool, n)
	for i := range n {
		x[i*d] = float32(i) / n
		x[i*d+1] = float32(i*37%n) / n
		y[i] = x[i*d] > 0.5
	}
	f, err := neurons.FitExtraTrees(x, n, d, y, neurons.ForestConfig{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	imp := f.Importances(nil)
	p, _ := f.Predict([]float32{0.9, 0.3})
	fmt.Printf("importances %.1f; P(positive | 0.9, 0.3) = %.1f\n", imp, p)
	// Output: importances [0.9 0.1]; P(positive | 0.9, 0.3) = 1.0
}

func ExampleView() {
	// The neuron views of a layer of 3 neurons over 60 digits, computed
	// step by step as a browser frame loop would.
	const n, d = 60, 3
	act := make([]float32, n*d)
	labels := make([]uint8, n)
	for i := range n {
		labels[i] = uint8(i % 3)
		act[i*d+int(labels[i])] = 1 + float32(i%5)/10
	}
	v, err := neurons.NewView(act, n, d, labels, neurons.ViewConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for !v.Step() {
		// Draw a progress bar with v.Progress(), and v.Projection() once
		// it is not nil.
	}
	fmt.Println("progress", v.Progress(), "classes", v.Map().Class, "points", len(v.Projection().Pos)/2)
	// Output: progress 1 classes [0 1 2] points 3
}
