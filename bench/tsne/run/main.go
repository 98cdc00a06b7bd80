// Command run is the Go side of bench/tsne.sh: it writes the first n MNIST
// test digits as raw float32 (for every implementation to read), and runs
// annvis's t-SNE on such a file, natively or as js/wasm under Node,
// printing the time and writing the layout as raw float64.
//
//	run -dump -n 2000 -x x.f32 -labels y.u8
//	run -dump -synth clusters -n 2000 -seed 1 -x x.f32 -labels y.u8   (prints d=D)
//	run -n 2000 -d 784 -x x.f32 -out ours.f64 [-step]
package main

import (
	"compress/gzip"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"annvis/core/tsne"
	"annvis/core/tsne/synth"
)

func main() {
	dump := flag.Bool("dump", false, "write MNIST test digits instead of running t-SNE")
	mnistDir := flag.String("mnist", "", "GoMNIST data directory (with -dump)")
	synthName := flag.String("synth", "", "with -dump: write this synthetic data set of package synth instead of MNIST")
	n := flag.Int("n", 2000, "number of digits")
	d := flag.Int("d", 784, "dimensions of the input")
	xPath := flag.String("x", "x.f32", "input, raw little-endian float32 n×d")
	labels := flag.String("labels", "", "labels, one byte each (with -dump)")
	out := flag.String("out", "", "output layout, raw little-endian float64 2n")
	seed := flag.Int64("seed", 0, "seed")
	noProgress := flag.Int("noprogress", 0, "Config.NoProgress")
	iters := flag.Int("iters", 0, "Config.Iterations")
	theta := flag.Float64("theta", 0, "Config.Theta")
	profile := flag.String("cpuprofile", "", "write a CPU profile (native only)")
	step := flag.Bool("step", false, "step by step, reporting the longest Step, instead of Run")
	gradient := flag.String("gradient", "auto", "repulsion: auto, exact, barnes-hut or interpolation")
	trust := flag.Bool("trust", false, "also print the layout's trustworthiness (k=10, core/tsne's, after timing)")
	set := flag.String("set", "t10k", "with -dump: the MNIST set, t10k or train")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "run:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	var err error
	switch {
	case *dump && *synthName != "":
		err = dumpSynth(*synthName, *n, uint64(*seed), *xPath, *labels)
	case *dump:
		err = dumpMNIST(*mnistDir, *set, *n, *xPath, *labels)
	default:
		var g tsne.Gradient
		if g, err = parseGradient(*gradient); err == nil {
			err = run(*n, *d, *xPath, *out, *step, *trust, tsne.Config{Seed: *seed, NoProgress: *noProgress, Iterations: *iters, Theta: *theta, Gradient: g})
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "run:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

// parseGradient returns the gradient method of the given name.
func parseGradient(name string) (tsne.Gradient, error) {
	for _, g := range []tsne.Gradient{tsne.Auto, tsne.Exact, tsne.BarnesHut, tsne.Interpolation} {
		if g.String() == name {
			return g, nil
		}
	}
	return 0, fmt.Errorf("unknown gradient method %q", name)
}

// run times one t-SNE of the file (Run, or Step by Step reporting the
// longest Step) and writes the layout.
func run(n, d int, xPath, out string, step, trust bool, cfg tsne.Config) error {
	b, err := os.ReadFile(xPath)
	if err != nil {
		return err
	}
	if len(b) < 4*n*d {
		return fmt.Errorf("%s has %d bytes, want at least %d", xPath, len(b), 4*n*d)
	}
	x := make([]float32, n*d)
	for i := range x {
		x[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	start := time.Now()
	t, err := tsne.New(x, n, d, cfg)
	if err != nil {
		return err
	}
	stepInfo := ""
	if step {
		var prep, longest time.Duration
		steps := 0
		for last := time.Now(); ; {
			done := t.Step()
			now := time.Now()
			longest = max(longest, now.Sub(last))
			last = now
			steps++
			if prep == 0 && t.Prepared() {
				prep = now.Sub(start)
			}
			if done {
				break
			}
		}
		stepInfo = fmt.Sprintf(" prep=%.3f steps=%d longest_step_ms=%.1f", prep.Seconds(), steps, longest.Seconds()*1000)
	} else {
		t.Run()
	}
	total := time.Since(start)
	y := t.Positions(nil)
	if trust {
		stepInfo += fmt.Sprintf(" trust=%.4f", tsne.Trustworthiness(x, d, y, 10))
	}
	fmt.Printf("n=%d seconds=%.3f iterations=%d kl=%.4f%s\n", n, total.Seconds(), t.Iteration(), t.KL(), stepInfo)
	if out == "" {
		return nil
	}
	ob := make([]byte, 8*len(y))
	for i, v := range y {
		binary.LittleEndian.PutUint64(ob[8*i:], math.Float64bits(v))
	}
	return os.WriteFile(out, ob, 0o644)
}

// dumpSynth writes a synthetic data set and its labels, and prints its
// dimension.
func dumpSynth(name string, n int, seed uint64, xPath, labelPath string) error {
	s, err := synth.Make(name, n, seed)
	if err != nil {
		return err
	}
	xb := make([]byte, 4*len(s.X))
	for i, v := range s.X {
		binary.LittleEndian.PutUint32(xb[4*i:], math.Float32bits(v))
	}
	if err := os.WriteFile(xPath, xb, 0o644); err != nil {
		return err
	}
	fmt.Printf("d=%d\n", s.D)
	return os.WriteFile(labelPath, s.Labels, 0o644)
}

// dumpMNIST writes the first n digits of the set (t10k or train) scaled
// to 0..1 and their labels.
func dumpMNIST(dir, set string, n int, xPath, labelPath string) error {
	img, err := readGz(filepath.Join(dir, set+"-images-idx3-ubyte.gz"))
	if err != nil {
		return err
	}
	lab, err := readGz(filepath.Join(dir, set+"-labels-idx1-ubyte.gz"))
	if err != nil {
		return err
	}
	const px = 784
	if len(img) < 16+n*px || len(lab) < 8+n {
		return fmt.Errorf("MNIST files hold fewer than %d digits", n)
	}
	xb := make([]byte, 4*n*px)
	for i, p := range img[16 : 16+n*px] {
		binary.LittleEndian.PutUint32(xb[4*i:], math.Float32bits(float32(p)/255))
	}
	if err := os.WriteFile(xPath, xb, 0o644); err != nil {
		return err
	}
	return os.WriteFile(labelPath, lab[8:8+n], 0o644)
}

// readGz returns the decompressed content of a gzip file.
func readGz(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(z)
}
