package model

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// refDense is a plain-loop dense layer: y = act(x·w + b), x n×in.
func refDense(x []float64, n int, w, b []float32, act Activation) []float64 {
	in, out := len(w)/len(b), len(b)
	y := make([]float64, n*out)
	for i := 0; i < n; i++ {
		for o := 0; o < out; o++ {
			s := float64(b[o])
			for k := 0; k < in; k++ {
				s += x[i*in+k] * float64(w[k*out+o])
			}
			switch act {
			case ReLU:
				s = math.Max(s, 0)
			case Tanh:
				s = math.Tanh(s)
			}
			y[i*out+o] = s
		}
	}
	return y
}

// refConvPool is a plain-loop valid 3×3 convolution + ReLU + 2×2 max pool
// of n h×w×c maps with kernel w (ky, kx, c)×f.
func refConvPool(x []float64, n, h, wd, c int, k, b []float32) ([]float64, int, int) {
	f := len(b)
	oh, ow := h-2, wd-2
	conv := make([]float64, n*oh*ow*f)
	for i := 0; i < n; i++ {
		for y := 0; y < oh; y++ {
			for xx := 0; xx < ow; xx++ {
				for o := 0; o < f; o++ {
					s := float64(b[o])
					for ky := 0; ky < 3; ky++ {
						for kx := 0; kx < 3; kx++ {
							for ch := 0; ch < c; ch++ {
								s += x[((i*h+y+ky)*wd+xx+kx)*c+ch] * float64(k[((ky*3+kx)*c+ch)*f+o])
							}
						}
					}
					conv[((i*oh+y)*ow+xx)*f+o] = math.Max(s, 0)
				}
			}
		}
	}
	ph, pw := oh/2, ow/2
	out := make([]float64, n*ph*pw*f)
	for i := 0; i < n; i++ {
		for y := 0; y < ph; y++ {
			for xx := 0; xx < pw; xx++ {
				for o := 0; o < f; o++ {
					m := math.Inf(-1)
					for dy := 0; dy < 2; dy++ {
						for dx := 0; dx < 2; dx++ {
							m = math.Max(m, conv[((i*oh+2*y+dy)*ow+2*xx+dx)*f+o])
						}
					}
					out[((i*ph+y)*pw+xx)*f+o] = m
				}
			}
		}
	}
	return out, ph, pw
}

// reference runs the network with plain loops in float64 and returns the
// conv maps (CNN), the hidden layers and the logits.
func reference(n *Net, images []uint8, count int) (conv, hidden [][]float64, logits []float64) {
	x := make([]float64, len(images))
	for i, p := range images {
		x[i] = float64(p) / 255
	}
	p := func(i int) []float32 { return f32(n.params[i]) }
	first := 0
	if n.spec.conv {
		p1, h, w := refConvPool(x, count, 28, 28, 1, p(0), p(1))
		p2, _, _ := refConvPool(p1, count, h, w, 16, p(2), p(3))
		conv, x, first = [][]float64{p1, p2}, p2, 2
	}
	layers := len(n.params) / 2
	for l := first; l < layers-1; l++ {
		x = refDense(x, count, p(2*l), p(2*l+1), n.spec.act)
		hidden = append(hidden, x)
	}
	return conv, hidden, refDense(x, count, p(2*layers-2), p(2*layers-1), Identity)
}

// maxDiff returns the largest absolute difference between a and b.
func maxDiff(a []float32, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(float64(a[i])-b[i]))
	}
	return d
}

// TestForwardMatchesReference compares Forward with the plain-loop
// reference on real digits, for untrained and trained networks.
func TestForwardMatchesReference(t *testing.T) {
	digits := testDigits(t, 70) // natively split across goroutines when GOMAXPROCS > 1
	for _, tc := range []struct {
		arch string
		net  func(t *testing.T) *Net
	}{
		{"mlp", func(t *testing.T) *Net { return mustNew(t, "mlp", 3) }},
		{"cnn", func(t *testing.T) *Net { return mustNew(t, "cnn", 3) }},
		{"mlp", func(t *testing.T) *Net { return shipped(t, "mlp", 20).Net }},
		{"cnn", func(t *testing.T) *Net { return shipped(t, "cnn", 20).Net }},
		{"mlp:40,17:tanh", func(t *testing.T) *Net { return mustNew(t, "mlp:40,17:tanh", 3) }},
		{"mlp:33", func(t *testing.T) *Net { return mustNew(t, "mlp:33", 3) }},
	} {
		net := tc.net(t)
		out, err := net.Forward(digits.Images, digits.Len())
		if err != nil {
			t.Fatal(err)
		}
		conv, hidden, logits := reference(net, digits.Images, digits.Len())
		if len(out.Hidden) != len(net.Hidden()) || len(out.Conv) != len(conv) {
			t.Fatalf("%s: %d hidden and %d conv layers, want %d and %d", tc.arch, len(out.Hidden), len(out.Conv), len(net.Hidden()), len(conv))
		}
		for i, h := range hidden {
			if len(out.Hidden[i]) != digits.Len()*net.Hidden()[i].Size {
				t.Errorf("%s %s: %d values, want %d", tc.arch, net.Hidden()[i].Name, len(out.Hidden[i]), digits.Len()*net.Hidden()[i].Size)
			}
			if d := maxDiff(out.Hidden[i], h); d > 1e-4 {
				t.Errorf("%s %s: max abs difference %g > 1e-4", tc.arch, net.Hidden()[i].Name, d)
			}
		}
		for i, c := range conv {
			if d := maxDiff(out.Conv[i], c); d > 1e-4 {
				t.Errorf("%s conv block %d: max abs difference %g > 1e-4", tc.arch, i+1, d)
			}
		}
		if d := maxDiff(out.Logits, logits); d > 1e-4 {
			t.Errorf("%s logits: max abs difference %g > 1e-4", tc.arch, d)
		}
	}
}

// mustNew returns New(arch, seed) or fails the test.
func mustNew(t testing.TB, arch string, seed int64) *Net {
	t.Helper()
	n, err := New(arch, seed)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMLPArch(t *testing.T) {
	for _, tc := range []struct {
		widths []int
		act    Activation
		want   string
	}{
		{[]int{128, 128}, ReLU, "mlp:128,128"},
		{[]int{32}, Tanh, "mlp:32:tanh"},
	} {
		got := MLPArch(tc.widths, tc.act)
		if got != tc.want {
			t.Errorf("MLPArch(%v, %v) = %q, want %q", tc.widths, tc.act, got, tc.want)
		}
		if _, err := New(got, 0); err != nil {
			t.Errorf("New(%q): %v", got, err)
		}
	}
}

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		arch   string
		hidden string
		err    string
	}{
		{arch: "mlp", hidden: "[{dense1 256} {dense2 256} {dense3 256} {dense4 256}]"},
		{arch: "cnn", hidden: "[{dense1 256} {dense2 128}]"},
		{arch: "mlp:128,64", hidden: "[{dense1 128} {dense2 64}]"},
		{arch: "mlp:16:tanh", hidden: "[{dense1 16}]"},
		{arch: "mlp:1,1024,3,4,5,6,7,8", hidden: "[{dense1 1} {dense2 1024} {dense3 3} {dense4 4} {dense5 5} {dense6 6} {dense7 7} {dense8 8}]"},
		{arch: "rnn", err: `model: architecture "rnn": must be "mlp", "cnn" or "mlp:W,W,…[:tanh]" with 1 to 8 widths of 1…1024`},
		{arch: "mlp:", err: `model: architecture "mlp:": must be "mlp", "cnn" or "mlp:W,W,…[:tanh]" with 1 to 8 widths of 1…1024`},
		{arch: "mlp:0", err: `model: architecture "mlp:0": must be "mlp", "cnn" or "mlp:W,W,…[:tanh]" with 1 to 8 widths of 1…1024`},
		{arch: "mlp:1025", err: `model: architecture "mlp:1025": must be "mlp", "cnn" or "mlp:W,W,…[:tanh]" with 1 to 8 widths of 1…1024`},
		{arch: "mlp:16:relu", err: `model: architecture "mlp:16:relu": must be "mlp", "cnn" or "mlp:W,W,…[:tanh]" with 1 to 8 widths of 1…1024`},
		{arch: "mlp:1,2,3,4,5,6,7,8,9", err: `model: architecture "mlp:1,2,3,4,5,6,7,8,9": must be "mlp", "cnn" or "mlp:W,W,…[:tanh]" with 1 to 8 widths of 1…1024`},
		{arch: "mlp:+16", err: `model: architecture "mlp:+16": must be "mlp", "cnn" or "mlp:W,W,…[:tanh]" with 1 to 8 widths of 1…1024`},
	} {
		n, err := New(tc.arch, 1)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("New(%q): error %v, want %q", tc.arch, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(n.Hidden()); got != tc.hidden || n.Arch() != tc.arch {
			t.Errorf("New(%q): arch %q hidden %s, want %s", tc.arch, n.Arch(), got, tc.hidden)
		}
		// Same seed, same weights; another seed, others.
		same, other := mustNew(t, tc.arch, 1), mustNew(t, tc.arch, 2)
		if maxDiff(f32(n.params[0]), toF64(f32(same.params[0]))) != 0 || maxDiff(f32(n.params[0]), toF64(f32(other.params[0]))) == 0 {
			t.Errorf("New(%q): weights are not a function of the seed", tc.arch)
		}
	}
}

// toF64 converts v to float64.
func toF64(v []float32) []float64 {
	w := make([]float64, len(v))
	for i, x := range v {
		w[i] = float64(x)
	}
	return w
}

func TestForwardErrors(t *testing.T) {
	n := mustNew(t, "mlp", 1)
	for _, tc := range []struct {
		pixels, count int
	}{{783, 1}, {784, 2}, {0, -1}} {
		_, err := n.Forward(make([]uint8, tc.pixels), tc.count)
		if err == nil || !strings.HasPrefix(err.Error(), "model: forward:") {
			t.Errorf("Forward(%d pixels, %d): error %v", tc.pixels, tc.count, err)
		}
	}
	out, err := n.Forward(nil, 0)
	if err != nil || len(out.Logits) != 0 || len(out.Hidden) != 4 {
		t.Errorf("Forward(nil, 0) = %+v, %v; want empty output", out, err)
	}
}

func TestPredict(t *testing.T) {
	logits := []float32{
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
		9, -1, 0, 0, 0, 0, 0, 0, 0, 0,
		-5, -4, -3, -2.5, -6, -7, -8, -9, -10, -11,
	}
	for i, want := range []int{9, 0, 3} {
		if got := Predict(logits, i); got != want {
			t.Errorf("Predict(row %d) = %d, want %d", i, got, want)
		}
	}
}
