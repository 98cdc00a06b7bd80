// Command neurons times the neuron view natively, wall clock and CPU, and
// writes the inputs and results of annvis's ExtraTrees for the
// scikit-learn comparison in bench/neurons.sh (compare.py reads them).
//
// Into -dir it writes pixels.u8 (n×784 MNIST test digits), labels.u8,
// imp-pixels.f64 (importances of the pixels for class 0 against the rest),
// act.f32 (the 2000×256 activations of a He-initialised ReLU layer on the
// first 2000 digits), imp-map.f64 (their 256×10 discriminative map) and
// times.txt (CPU seconds of each fit, made on one goroutine so that the
// comparison with single-threaded scikit-learn holds on a busy machine).
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"annvis/core/mnist"
	"annvis/core/neurons"
)

func main() {
	dir := flag.String("dir", ".", "output directory")
	n := flag.Int("n", 10000, "MNIST test digits for the pixel importances")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("bench/neurons: ")
	set, err := mnist.LoadModule("t10k")
	if err != nil {
		log.Fatal(err)
	}
	if *n < 1 || *n > set.Len() {
		log.Fatalf("-n %d must be between 1 and %d", *n, set.Len())
	}
	set = set.Slice(0, *n)
	pixels := make([]float32, len(set.Images))
	for k, v := range set.Images {
		pixels[k] = float32(v)
	}
	const m, d = 2000, 256
	act := reluLayer(pixels[:m*mnist.Pixels], m, d)
	view(act, m, d, set.Labels[:m])

	one := neurons.ForestConfig{Workers: 1}
	cpu0 := cpuSeconds()
	imp, err := neurons.Discriminative(pixels, *n, mnist.Pixels, set.Labels, 0, one)
	if err != nil {
		log.Fatal(err)
	}
	cpu1 := cpuSeconds()
	dm, err := neurons.DiscriminativeMap(act, m, d, set.Labels[:m], one)
	if err != nil {
		log.Fatal(err)
	}
	tPixels, tMap := cpu1-cpu0, cpuSeconds()-cpu1

	write(*dir, "pixels.u8", set.Images)
	write(*dir, "labels.u8", set.Labels)
	write(*dir, "imp-pixels.f64", imp)
	write(*dir, "act.f32", act)
	write(*dir, "imp-map.f64", dm.Importance)
	times := fmt.Sprintf("pixels %.4f\nmap %.4f\n", tPixels, tMap)
	write(*dir, "times.txt", []byte(times))
}

// view times the neuron view of a layer (dissimilarity, MDS, the ten
// forests of the discriminative map) with all goroutines, wall clock and
// CPU, against the 2 s budget.
func view(act []float32, n, d int, labels []uint8) {
	wall, cpu := time.Now(), cpuSeconds()
	dis, err := neurons.Dissimilarity(act, n, d, nil)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := neurons.Project(dis, d, neurons.MDSConfig{}); err != nil {
		log.Fatal(err)
	}
	if _, err := neurons.DiscriminativeMap(act, n, d, labels, neurons.ForestConfig{}); err != nil {
		log.Fatal(err)
	}
	w, c := time.Since(wall).Seconds(), cpuSeconds()-cpu
	verdict := "within"
	if c > 2 {
		verdict = "OVER"
	}
	fmt.Printf("  native view, %d goroutines: wall %.3f s, CPU %.3f s; CPU ≤ 2 s budget (wall ≤ CPU when a core is free): %s\n",
		runtime.GOMAXPROCS(0), w, c, verdict)
}

// cpuSeconds returns the user and system CPU time of the process so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		log.Fatal(err)
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// reluLayer returns the activations of a He-initialised ReLU layer of d
// neurons (seed 1) on n images of pixels in 0..255.
func reluLayer(pixels []float32, n, d int) []float32 {
	r := rand.New(rand.NewPCG(1, 3))
	w := make([]float32, mnist.Pixels*d)
	s := math.Sqrt(2.0/mnist.Pixels) / 255
	for k := range w {
		w[k] = float32(s * r.NormFloat64())
	}
	act := make([]float32, n*d)
	for i := range n {
		row := act[i*d : (i+1)*d]
		for p, v := range pixels[i*mnist.Pixels : (i+1)*mnist.Pixels] {
			for j, wj := range w[p*d : (p+1)*d] {
				row[j] += v * wj
			}
		}
		for j := range row {
			row[j] = max(row[j]-0.2, 0)
		}
	}
	return act
}

// write stores data little-endian in dir/name.
func write(dir, name string, data any) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		log.Fatal(err)
	}
	if err := binary.Write(f, binary.LittleEndian, data); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
