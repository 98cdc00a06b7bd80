package tsne

import (
	"encoding/binary"
	"math"
	"testing"
)

// FuzzRun builds a small input and configuration from arbitrary bytes:
// New must return an error or a run that completes with a finite layout,
// never panic.
func FuzzRun(f *testing.F) {
	f.Add([]byte{10, 3, 5, 0, 1, 0, 0x3f, 0x80, 0, 0, 0x40, 0, 0, 0})
	f.Add([]byte{40, 2, 20, 2, 0, 1, 0, 0, 0, 0})                        // identical points
	f.Add([]byte{3, 1, 1, 1, 2, 0, 0x7f, 0xc0, 0, 0})                    // NaN
	f.Add([]byte{25, 6, 8, 2, 1, 1, 0x7e, 0, 0, 0, 0xc1, 0x20, 0, 0, 1}) // huge values
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 6 {
			return
		}
		n, d := int(b[0])%60, 1+int(b[1])%6
		cfg := Config{
			Perplexity:        float64(b[2]%40) - 1,
			Gradient:          Gradient(b[3] % 4),
			Standardize:       b[4]&1 != 0,
			PCA:               int(b[5]%5) - 1,
			Iterations:        1 + int(b[4]%60),
			ExaggerationIters: int(b[5]%20) - 5,
			Seed:              int64(b[0]),
		}
		x := make([]float32, n*d)
		raw := b[6:]
		for i := range x {
			if len(raw) >= 4*(i+1) {
				x[i] = math.Float32frombits(binary.BigEndian.Uint32(raw[4*i:]))
			} else if len(raw) > 0 {
				x[i] = float32(raw[i%len(raw)]) * float32(i%7)
			}
		}
		r, err := New(x, n, d, cfg)
		if err != nil {
			return
		}
		for _, v := range r.Run().Positions(nil) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("n=%d d=%d %+v: layout has %v", n, d, cfg, v)
			}
		}
	})
}

// FuzzSequence builds sequences of small stages from arbitrary bytes: an
// error or finite layouts for every stage, never a panic.
func FuzzSequence(f *testing.F) {
	f.Add([]byte{30, 3, 2, 0, 5, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add([]byte{20, 2, 1, 1, 8, 9, 9, 9, 0, 0, 1})
	f.Add([]byte{25, 4, 3, 2, 4, 200, 3, 0, 0, 7, 1, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 5 {
			return
		}
		n, stages := int(b[0])%40, 1+int(b[1])%4
		method := SeqMethod(b[3] % 4)
		lambda := float64(b[4]%16) / 10
		if method != Dynamic {
			lambda = 0
		}
		var xs [][]float32
		var dims []int
		raw := b[5:]
		for s := range stages {
			d := 1 + (int(b[2])+s*int(b[2]&1))%5
			x := make([]float32, n*d)
			for i := range x {
				if len(raw) > 0 {
					x[i] = float32(raw[(i+s)%len(raw)]) * float32((i*7+s)%11)
				}
			}
			xs, dims = append(xs, x), append(dims, d)
		}
		seq, err := NewSequence(xs, n, dims, method, lambda, Config{Perplexity: 3, Iterations: 40, ExaggerationIters: 10})
		if err != nil {
			return
		}
		for !seq.Step() {
		}
		for s := range seq.Len() {
			for _, v := range seq.Positions(s, nil) {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("n=%d %v λ=%v dims %v: stage %d has %v", n, method, lambda, dims, s, v)
				}
			}
		}
	})
}
