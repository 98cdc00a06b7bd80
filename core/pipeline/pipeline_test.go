//go:build !js

package pipeline

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"annvis/core/assets"
	"annvis/core/mnist"
	"annvis/core/params"
	"annvis/core/pipeline/pipelinetest"
	"annvis/core/tsne"
	"annvis/core/viewstate"
)

// maxSteps bounds the units of work a small test view may take: a view
// that needs more is stuck (tests count work, not time; the largest here
// takes about 2000).
const maxSteps = 50000

// step does one unit of work (Step with a zero budget) and reports whether
// it did any: while the pipeline waits for an asset, it only yields to the
// fetching goroutine.
func step(pl *Pipeline) (worked bool) {
	if pl.status.Err == nil && (pl.want > 0 || pl.names == nil) && len(pl.fetch.res) == 0 {
		runtime.Gosched()
		return false
	}
	pl.Step(0)
	return true
}

// stepUntil steps pl until done holds or the pipeline fails, and returns the
// number of units of work done; more than maxSteps fail the test.
func stepUntil(t *testing.T, pl *Pipeline, done func() bool) int {
	t.Helper()
	prev, steps := 0.0, 0
	for !done() && pl.Status().Err == nil {
		if steps >= maxSteps {
			t.Fatalf("pipeline stuck after %d units of work at %+v", steps, pl.Status())
		}
		if step(pl) {
			steps++
		}
		if p := pl.Status().Progress; p < prev {
			t.Fatalf("progress fell from %v to %v", prev, p)
		}
		prev = pl.Status().Progress
	}
	return steps
}

// run steps pl to completion (or error) and returns the units of work done.
func run(t *testing.T, pl *Pipeline) int {
	t.Helper()
	return stepUntil(t, pl, func() bool { return pl.Status().Done })
}

func smallView(view string) params.Params {
	p := params.Default()
	p.View, p.N, p.Perplexity = view, 200, 15
	return p
}

func TestLiveViews(t *testing.T) {
	for _, tc := range []struct {
		view, method string
		stages       []string
		fetched      []string
	}{
		{"layers", "", []string{"layer 1", "layer 2", "layer 3", "layer 4"}, []string{"manifest.json", "mnist-t10k.zst", "mlp-e01.zst"}},
		{"epochs", "", []string{"epoch 0", "epoch 1"}, []string{"manifest.json", "mnist-t10k.zst", "mlp-e00.zst", "mlp-e01.zst"}},
		{"epochs", "chained", []string{"epoch 0", "epoch 1"}, nil},
		{"layers", "dynamic", []string{"layer 1", "layer 2", "layer 3", "layer 4"}, nil},
	} {
		t.Run(tc.view+"/"+tc.method, func(t *testing.T) {
			f := newFixture(t)
			p := smallView(tc.view)
			p.Method = tc.method
			pl := New(p, f.Fetch, false)
			if steps := run(t, pl); steps < 10 {
				t.Errorf("done in %d steps of 2 ms: the work is not cut into small units", steps)
			}
			st := pl.Status()
			if st.Err != nil || st.Progress != 1 || st.Phase != "ready" || st.Precomputed {
				t.Fatalf("status %+v", st)
			}
			if !reflect.DeepEqual(pl.Stages(), tc.stages) {
				t.Errorf("stages %q, want %q", pl.Stages(), tc.stages)
			}
			if tc.fetched != nil && !reflect.DeepEqual(f.Fetched(), tc.fetched) {
				t.Errorf("fetched %q, want only %q", f.Fetched(), tc.fetched)
			}
			if !reflect.DeepEqual(pl.Labels(), f.Test.Labels[:p.N]) {
				t.Error("labels are not the first N test labels")
			}
			last := len(tc.stages) - 1
			for k := range tc.stages {
				pos := pl.Positions(k, nil)
				if len(pos) != 2*p.N || !pl.Ready(k) {
					t.Fatalf("stage %d: %d coordinates, ready %v", k, len(pos), pl.Ready(k))
				}
				for _, v := range pos {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("stage %d: coordinate %v", k, v)
					}
				}
			}
			// The trained network separates the classes in its last
			// stage, and predicts most test digits right.
			nh := tsne.NeighborhoodHit(pl.Positions(last, nil), pl.Labels(), 5)
			correct := 0
			for i, c := range pl.Predicted(last) {
				if c == pl.Labels()[i] {
					correct++
				}
			}
			if nh < 0.6 || correct < p.N*3/4 {
				t.Errorf("last stage: neighbourhood hit %.3f, %d/%d predicted right", nh, correct, p.N)
			}
			t.Logf("last stage: neighbourhood hit %.3f, accuracy %.3f", nh, float64(correct)/float64(p.N))
		})
	}
}

func TestDeterministic(t *testing.T) {
	f := newFixture(t)
	p := smallView("layers")
	p.Seed = 7
	a, b := New(p, f.Fetch, false), New(p, f.Fetch, false)
	run(t, a)
	run(t, b)
	if err := a.Status().Err; err != nil {
		t.Fatal(err)
	}
	for k := range a.Stages() {
		if !reflect.DeepEqual(a.Positions(k, nil), b.Positions(k, nil)) {
			t.Errorf("stage %d differs between two runs with seed 7", k)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    func() params.Params
		edit func(f *pipelinetest.Assets)
		want string
	}{
		{"corrupted checkpoint", func() params.Params { return smallView("layers") },
			func(f *pipelinetest.Assets) {
				f.Files["mlp-e01.zst"] = append([]byte(nil), f.Files["mlp-e01.zst"]...)
				f.Files["mlp-e01.zst"][100] ^= 1
			},
			"pipeline: mlp-e01.zst: integrity check failed: SHA-256 "},
		{"missing test set", func() params.Params { return smallView("layers") },
			func(f *pipelinetest.Assets) { delete(f.Files, "mnist-t10k.zst") },
			"pipeline: mnist-t10k.zst: download check failed: 404 not found. Check the connection"},
		{"no manifest", func() params.Params { return smallView("layers") },
			func(f *pipelinetest.Assets) { delete(f.Files, "manifest.json") },
			"pipeline: manifest.json: download check failed: 404 not found"},
		{"bad manifest", func() params.Params { return smallView("layers") },
			func(f *pipelinetest.Assets) { f.Files["manifest.json"] = []byte("{") },
			"pipeline: manifest.json: format check failed: assets: manifest:"},
		{"oversized manifest", func() params.Params { return smallView("layers") },
			func(f *pipelinetest.Assets) { f.Files["manifest.json"] = make([]byte, assets.MaxManifestBytes+1) },
			"pipeline: manifest.json: size check failed: larger than manifest.json says: more than 65536 bytes"},
		{"oversized checkpoint", func() params.Params { return smallView("layers") },
			func(f *pipelinetest.Assets) { f.Files["mlp-e01.zst"] = append(f.Files["mlp-e01.zst"], 0) },
			"pipeline: mlp-e01.zst: size check failed: larger than manifest.json says"},
		{"short checkpoint", func() params.Params { return smallView("layers") },
			func(f *pipelinetest.Assets) { f.Files["mlp-e01.zst"] = f.Files["mlp-e01.zst"][:1000] },
			"pipeline: mlp-e01.zst: size check failed: 1000 bytes, manifest.json says "},
		{"raw size lie", func() params.Params { return smallView("layers") },
			func(f *pipelinetest.Assets) {
				editManifest(t, f, func(m *assets.Manifest) {
					a, _ := m.Find("mlp-e01.zst")
					a.Raw--
					m.Upsert(a)
				})
			},
			"pipeline: mlp-e01.zst: decompression check failed: inflates past "},
		{"raw size beyond the format", func() params.Params { return smallView("layers") },
			func(f *pipelinetest.Assets) {
				editManifest(t, f, func(m *assets.Manifest) {
					a, _ := m.Find("mnist-t10k.zst")
					a.Raw = mnist.TestSetRaw + 1
					m.Upsert(a)
				})
			},
			"pipeline: mnist-t10k.zst: size check failed: manifest.json declares 7850021 decompressed bytes, a testset has at most 7850020"},
		{"checkpoint of another epoch", func() params.Params { return smallView("layers") },
			func(f *pipelinetest.Assets) { editAsset(t, f, "mlp-e01.zst", f.Files["mlp-e00.zst"]) },
			"pipeline: mlp-e01.zst: format check failed: holds mlp epoch 0, manifest.json says mlp epoch 1"},
		{"not in the manifest", func() params.Params { return smallView("layers") },
			func(f *pipelinetest.Assets) {
				editManifest(t, f, func(m *assets.Manifest) {
					m.Assets = slices.DeleteFunc(m.Assets, func(a assets.Asset) bool { return a.File == "mnist-t10k.zst" })
				})
			},
			"pipeline: mnist-t10k.zst: manifest check failed: the view needs it, but manifest.json does not list it"},
		{"final checkpoint missing", func() params.Params { return smallView("layers") },
			func(f *pipelinetest.Assets) {
				editManifest(t, f, func(m *assets.Manifest) {
					m.Assets = slices.DeleteFunc(m.Assets, func(a assets.Asset) bool { return a.File == "mlp-e01.zst" })
				})
			},
			"pipeline: manifest.json: format check failed: assets: manifest: mlp was trained for 1 epochs, but its final checkpoint (epoch 1) is not listed"},
		// The tamperings of wasm/e2e's TestHostile whose hashes match, natively.
		{"test set of random bytes", func() params.Params { return smallView("layers") },
			func(f *pipelinetest.Assets) { editAsset(t, f, "mnist-t10k.zst", noise(5000)) },
			"pipeline: mnist-t10k.zst: decompression check failed: not a zstd stream (wrong magic number)"},
		{"test set, zstd of garbage", func() params.Params { return smallView("layers") },
			func(f *pipelinetest.Assets) { editAsset(t, f, "mnist-t10k.zst", zstdOf(noise(5000))) },
			`pipeline: mnist-t10k.zst: format check failed: mnist: asset: magic "`},
		{"test set bomb", func() params.Params { return smallView("layers") },
			func(f *pipelinetest.Assets) { editAsset(t, f, "mnist-t10k.zst", zstdOf(make([]byte, 64<<20))) },
			"pipeline: mnist-t10k.zst: decompression check failed: inflates past 1570020 bytes"},
		{"test set count lie", func() params.Params { return smallView("layers") },
			func(f *pipelinetest.Assets) {
				raw, _ := assets.InflateAtMost(f.Files["mnist-t10k.zst"], assets.MaxRawBytes)
				binary.LittleEndian.PutUint32(raw[10:], 1<<20)
				binary.LittleEndian.PutUint32(raw[len(raw)-4:], crc32.ChecksumIEEE(raw[:len(raw)-4]))
				editAsset(t, f, "mnist-t10k.zst", zstdOf(raw))
			},
			"pipeline: mnist-t10k.zst: format check failed: mnist: asset: header says 1048576 digits, must be 1…20000"},
		{"checkpoint NaN bias", func() params.Params { return smallView("layers") },
			func(f *pipelinetest.Assets) {
				raw, _ := assets.InflateAtMost(f.Files["mlp-e01.zst"], assets.MaxRawBytes)
				name := append([]byte{byte(len("out.b"))}, "out.b"...)
				off := bytes.Index(raw, name) + len(name) + 1 + 8
				binary.LittleEndian.PutUint16(raw[off:], 0x7e00)
				binary.LittleEndian.PutUint32(raw[len(raw)-4:], crc32.ChecksumIEEE(raw[:len(raw)-4]))
				editAsset(t, f, "mlp-e01.zst", zstdOf(raw))
			},
			"pipeline: mlp-e01.zst: format check failed: model: checkpoint: tensor out.b value 0 is NaN"},
		{"no cnn", func() params.Params { p := smallView("layers"); p.Model = "cnn"; return p },
			nil, "pipeline: manifest.json lists no cnn checkpoints"},
		{"too many digits", func() params.Params { p := smallView("layers"); p.N = 3000; return p },
			nil, "pipeline: mnist-t10k.zst: consistency check failed: it has 2000 digits, the view shows 3000"},
		{"invalid params", func() params.Params { p := smallView("layers"); p.N = -5; return p },
			nil, "params: "},
		{"unsupported view", func() params.Params { p := smallView("compare"); return p },
			nil, "pipeline: view compare of model mlp is not available yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if tc.edit != nil {
				tc.edit(f)
			}
			pl := New(tc.p(), f.Fetch, false)
			run(t, pl)
			st := pl.Status()
			if st.Err == nil || !strings.HasPrefix(st.Err.Error(), tc.want) || st.Phase != "error" {
				t.Errorf("status %+v, want error starting with %q", st, tc.want)
			}
		})
	}
}

// withLayouts adds a layouts-mlp.zst asset for the default view to f,
// edited by edit, and returns it.
func withLayouts(t *testing.T, f *pipelinetest.Assets, edit func(l *Layouts)) *Layouts {
	t.Helper()
	p := params.Default()
	m, err := assets.ParseManifest(f.Files[assets.ManifestFile])
	if err != nil {
		t.Fatal(err)
	}
	ts, _ := m.Find("mnist-t10k.zst")
	ck, _ := m.Find("mlp-e01.zst")
	l := &Layouts{Network: "mlp", View: "layers", Method: p.EffectiveMethod(), Seed: p.Seed, Perplexity: p.Perplexity, TestSet: ts.SHA256}
	t10k, err := mnist.LoadModule("t10k")
	if err != nil {
		t.Fatal(err)
	}
	l.Labels = slices.Clone(t10k.Labels[:p.N])
	for k := range params.HiddenLayers["mlp"] {
		s := Stage{Name: fmt.Sprintf("layer %d", k+1), Checkpoint: ck.SHA256, Predicted: l.Labels, Positions: make([]float64, 2*p.N)}
		for i, c := range l.Labels {
			a := 2 * math.Pi * float64(c) / 10
			s.Positions[2*i] = float64(float32(float64(k+1)*math.Cos(a) + float64(i%7)/10))
			s.Positions[2*i+1] = float64(float32(float64(k+1)*math.Sin(a) + float64(i%5)/10))
		}
		l.Stages = append(l.Stages, s)
	}
	if edit != nil {
		edit(l)
	}
	b, err := EncodeLayouts(l)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Put(assets.Asset{File: "layouts-mlp.zst", Kind: assets.KindLayouts, Network: "mlp"}, b); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestPrecomputed(t *testing.T) {
	f := newFixture(t)
	l := withLayouts(t, f, nil)
	p := params.Default()
	p.ToggleClass(3, params.Digits)
	p.Speed, p.View = 2, "trace" // view-irrelevant
	pl := New(p, f.Fetch, false)
	stepUntil(t, pl, func() bool { return pl.Ready(0) })
	if st := pl.Status(); !st.Precomputed || st.Err != nil {
		t.Fatalf("status %+v once stage 0 is ready", st)
	}
	run(t, pl)
	if st := pl.Status(); !st.Done || !st.Precomputed || st.Progress != 1 {
		t.Fatalf("status %+v", st)
	}
	if want := []string{"manifest.json", "layouts-mlp.zst", "mnist-t10k.zst"}; !reflect.DeepEqual(f.Fetched(), want) {
		t.Errorf("fetched %q, want only %q", f.Fetched(), want)
	}
	for k, s := range l.Stages {
		if !reflect.DeepEqual(pl.Positions(k, nil), s.Positions) || !reflect.DeepEqual(pl.Predicted(k), s.Predicted) {
			t.Errorf("stage %d differs from the precomputed layouts", k)
		}
	}
	for _, k := range []int{-1, len(l.Stages)} {
		if pl.Ready(k) || len(pl.Positions(k, []float64{1})) != 0 {
			t.Errorf("stage %d of %d is ready", k, len(l.Stages))
		}
	}
	if px := pl.Image(5); !reflect.DeepEqual(px, f.Test.Image(5)) {
		t.Error("Image(5) is not test digit 5")
	}
}

func TestStaleLayouts(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(f *pipelinetest.Assets, l *Layouts)
		want string
	}{
		{"seed", func(_ *pipelinetest.Assets, l *Layouts) { l.Seed = 5 },
			"they were computed with n=2000 seed=5 perplexity=30, the view needs n=2000 seed=0 perplexity=30"},
		{"network", func(_ *pipelinetest.Assets, l *Layouts) { l.Network = "cnn" },
			"they show the cnn layers sequence (chained), the view needs mlp layers (chained)"},
		{"stages", func(_ *pipelinetest.Assets, l *Layouts) { l.Stages = l.Stages[:3] },
			"their 3 stages are not the view's 4 (layer 1 … layer 4)"},
		{"test set", func(_ *pipelinetest.Assets, l *Layouts) { l.TestSet = assets.Hash(nil) },
			"they were computed from a test set with SHA-256 e3b0c44298fc…, manifest.json lists mnist-t10k.zst with "},
		{"checkpoint", func(_ *pipelinetest.Assets, l *Layouts) { l.Stages[2].Checkpoint = assets.Hash(nil) },
			"their layer 3 was computed from a checkpoint with SHA-256 e3b0c44298fc…, manifest.json lists mlp-e01.zst with "},
		{"labels", func(_ *pipelinetest.Assets, l *Layouts) { l.Labels[7] = (l.Labels[7] + 1) % 10 },
			"mnist-t10k.zst: consistency check failed: its labels are not those of layouts-mlp.zst"},
		{"smaller test set", func(f *pipelinetest.Assets, l *Layouts) {
			b, err := mnist.EncodeAsset(f.Test.Slice(0, 1000))
			if err != nil {
				t.Fatal(err)
			}
			editAsset(t, f, "mnist-t10k.zst", b)
			l.TestSet = assets.Hash(b)
		}, "mnist-t10k.zst: consistency check failed: it has 1000 digits, the view shows 2000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			withLayouts(t, f, func(l *Layouts) { tc.edit(f, l) })
			pl := New(params.Default(), f.Fetch, false)
			run(t, pl)
			err := pl.Status().Err
			if err == nil || !strings.Contains(err.Error(), tc.want) || pl.Status().Precomputed && tc.name != "labels" && tc.name != "smaller test set" {
				t.Errorf("status %+v, want an error containing %q", pl.Status(), tc.want)
			}
			if log := f.Fetched(); slices.Contains(log, "mlp-e01.zst") {
				t.Errorf("fetched %q: stale layouts made the view compute live", log)
			}
		})
	}
}

func TestExportLayouts(t *testing.T) {
	f := newFixture(t)
	pl := New(smallView("epochs"), f.Fetch, true)
	if _, err := pl.Layouts(); err == nil {
		t.Error("Layouts before done: no error")
	}
	run(t, pl)
	l, err := pl.Layouts()
	if err != nil {
		t.Fatal(err)
	}
	b, err := EncodeLayouts(l)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeLayouts(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.View != "epochs" || got.Method != "joint" || got.N() != 200 || len(got.Stages) != 2 || got.Stages[1].Name != "epoch 1" {
		t.Errorf("exported %s %s n=%d, %d stages", got.View, got.Method, got.N(), len(got.Stages))
	}
	// Training separates the classes: the trained network's projection
	// has the higher neighbourhood hit and is trustworthy.
	q0, q1 := got.Stages[0].Quality, got.Stages[1].Quality
	if !(q1.NH > q0.NH) || q1.TW < 0.9 || !(q0.TW > 0.5) || q1.NH != pl.Quality(1).NH {
		t.Errorf("quality epoch 0 %+v, epoch 1 %+v; live %+v", q0, q1, pl.Quality(1))
	}
	// The live view computes the same trustworthiness in steps while it
	// animates: NaN until then.
	stepUntil(t, pl, func() bool { return !math.IsNaN(pl.Quality(1).TW) })
	if live := pl.Quality(1).TW; live != q1.TW {
		t.Errorf("live trustworthiness %v, exported %v", live, q1.TW)
	}
	for i, v := range got.Stages[1].Positions {
		if math.Abs(v-l.Stages[1].Positions[i]) > 1e-5*math.Max(1, math.Abs(v)) {
			t.Fatalf("coordinate %d: %v after the round trip, %v before", i, v, l.Stages[1].Positions[i])
		}
	}
}

func TestNeuronViews(t *testing.T) {
	for _, tc := range []struct {
		view    string
		stages  []string
		fetched []string
	}{
		{"neurons", []string{"epoch 0", "epoch 1"}, []string{"manifest.json", "mnist-t10k.zst", "mlp-e00.zst", "mlp-e01.zst"}},
		{"map", []string{"epoch 0", "epoch 1"}, []string{"manifest.json", "mnist-t10k.zst", "mlp-e00.zst", "mlp-e01.zst"}},
	} {
		t.Run(tc.view, func(t *testing.T) {
			f := newFixture(t)
			p := smallView(tc.view)
			p.Layer = 2
			pl := New(p, f.Fetch, false)
			run(t, pl)
			if st := pl.Status(); st.Err != nil || !st.Done {
				t.Fatalf("status %+v", st)
			}
			if !reflect.DeepEqual(pl.Stages(), tc.stages) || !reflect.DeepEqual(f.Fetched(), tc.fetched) {
				t.Errorf("stages %q, fetched %q", pl.Stages(), f.Fetched())
			}
			for k := range tc.stages {
				v := pl.Panel(k)
				if v == nil || len(v.Pos) != 2*256 || len(v.Class) != 256 || !(v.Stress > 0 && v.Stress < 1) {
					t.Fatalf("stage %d: neuron view %v", k, v)
				}
			}
			if pl.Panel(len(tc.stages)) != nil || pl.Ready(0) {
				t.Error("neuron views have no digit layouts and no extra stage")
			}
		})
	}
}

func TestLayoutsFile(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  string
	}{
		{"", "layouts-mlp.zst"},
		{"model=cnn&classes=1,2&speed=2&embed=1", "layouts-cnn.zst"},
		{"view=trace", "layouts-mlp.zst"},
		{"view=bundled&model=cnn", "layouts-cnn-epochs-2.zst"}, // the last layer across epochs
		{"view=layers&method=chained", "layouts-mlp.zst"},
		{"view=epochs", "layouts-mlp-epochs-4.zst"},
		{"view=epochs&method=joint&layer=4", "layouts-mlp-epochs-4.zst"},
		{"view=epochs&model=cnn&layer=2", "layouts-cnn-epochs-2.zst"},
		{"view=epochs&layer=2", "layouts-mlp-epochs-2.zst"},
		{"view=epochs&method=chained", ""},
		{"view=layers&method=joint", ""},
		{"seed=1", ""},
		{"n=1000", ""},
		{"perplexity=20", ""},
		{"view=neurons", "layouts-mlp-neurons-4.zst"},
		{"view=map&model=cnn&layer=1&class=3", "layouts-cnn-neurons-1.zst"},
		{"view=neurons&seed=2", ""},
		{"view=neurons&proj=tsne", ""},
		{"view=trace&layer=4", "layouts-mlp-epochs-4.zst"},
		{"view=bundled&model=cnn&layer=2", "layouts-cnn-epochs-2.zst"},
		{"view=bundled&model=cnn&layer=2&method=joint", "layouts-cnn-epochs-2.zst"},
		{"view=trace&layer=2", "layouts-mlp-epochs-2.zst"},
		{"view=trace&layer=4&method=chained", ""},
		{"view=compare&model=both", ""},
	} {
		p, err := params.Parse(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := viewstate.LayoutsFile(p)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("viewstate.LayoutsFile(%s) = %q, %v, want %q", tc.query, got, ok, tc.want)
		}
	}
}

// noise returns n seeded random bytes.
func noise(n int) []byte {
	r := rand.New(rand.NewPCG(uint64(n), 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// zstdOf compresses raw as one zstd frame.
func zstdOf(raw []byte) []byte {
	enc, _ := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
	return enc.EncodeAll(raw, nil)
}

// TestShipped checks that every shipped view and the views sharing its
// layouts have one, each shipped view its own.
func TestShipped(t *testing.T) {
	files := map[string]bool{}
	for _, net := range []string{"mlp", "cnn"} {
		views := Shipped(net)
		if want := 1 + 2*params.HiddenLayers[net]; len(views) != want {
			t.Errorf("%s: %d shipped views, want %d", net, len(views), want)
		}
		for _, p := range views {
			file, ok := viewstate.LayoutsFile(p)
			if !ok || files[file] || p.Model != net || p.Validate() != nil {
				t.Errorf("%s %s layer %d: layouts %q, %v (seen before: %v)", net, p.View, p.Layer, file, ok, files[file])
			}
			files[file] = true
			for _, q := range Sharing(p) {
				if f, ok := viewstate.LayoutsFile(q); f != file || !ok || q.Validate() != nil {
					t.Errorf("%s view of %s: layouts %q, %v, want %q", q.View, file, f, ok, file)
				}
			}
		}
	}
}

// withNeuronLayouts adds the shipped neuron layouts of the MLP's layer 2 at
// default parameters (epochs 0 and 1 of the fixture), edited by edit, to f.
func withNeuronLayouts(t *testing.T, f *pipelinetest.Assets, edit func(l *NeuronLayouts)) *NeuronLayouts {
	t.Helper()
	m, err := assets.ParseManifest(f.Files[assets.ManifestFile])
	if err != nil {
		t.Fatal(err)
	}
	p := params.Default()
	l := testNeuronLayouts(256, 7)
	ts, _ := m.Find(TestSetFile)
	l.Network, l.Seed, l.N, l.Layer, l.TestSet = "mlp", p.Seed, p.N, 2, ts.SHA256
	for k, file := range []string{"mlp-e00.zst", "mlp-e01.zst"} {
		ck, _ := m.Find(file)
		l.Stages[k].Name, l.Stages[k].Checkpoint = fmt.Sprintf("epoch %d", k), ck.SHA256
	}
	if edit != nil {
		edit(l)
	}
	b, err := EncodeNeuronLayouts(l)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Put(assets.Asset{File: "layouts-mlp-neurons-2.zst", Kind: assets.KindNeurons, Network: "mlp"}, b); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestPrecomputedNeurons(t *testing.T) {
	for _, tc := range []struct {
		view   string
		stages []int // of the shipped layouts
	}{
		{"neurons", []int{0, 1}},
		{"map", []int{0, 1}},
	} {
		t.Run(tc.view, func(t *testing.T) {
			f := newFixture(t)
			l := withNeuronLayouts(t, f, nil)
			p := params.Default()
			p.View, p.Layer, p.Class = tc.view, 2, 4
			pl := New(p, f.Fetch, false)
			run(t, pl)
			if st := pl.Status(); !st.Done || !st.Precomputed || st.Progress != 1 || st.Err != nil {
				t.Fatalf("status %+v", st)
			}
			if want := []string{"manifest.json", "layouts-mlp-neurons-2.zst"}; !reflect.DeepEqual(f.Fetched(), want) {
				t.Errorf("fetched %q, want only %q", f.Fetched(), want)
			}
			for k, s := range tc.stages {
				if got := pl.Panel(k); got == nil || !reflect.DeepEqual(*got, l.Stages[s].Panel) || pl.Stages()[k] != l.Stages[s].Name {
					t.Errorf("stage %d (%s) differs from the shipped stage %d", k, pl.Stages()[k], s)
				}
			}
			if pl.Panel(len(tc.stages)) != nil {
				t.Error("an extra neuron stage")
			}
		})
	}
}

func TestStaleNeuronLayouts(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(l *NeuronLayouts)
		want string
	}{
		{"seed", func(l *NeuronLayouts) { l.Seed = 9 }, "they were computed with n=2000 seed=9, the view needs n=2000 seed=0"},
		{"layer", func(l *NeuronLayouts) { l.Layer = 3 }, "they show mlp layer 3 (mds), the view needs mlp layer 2 (mds)"},
		{"projection", func(l *NeuronLayouts) { l.Method = "tsne" }, "they show mlp layer 2 (tsne), the view needs mlp layer 2 (mds)"},
		{"stage", func(l *NeuronLayouts) { l.Stages[1].Name = "epoch 20" }, "they have no stage epoch 1"},
		{"test set", func(l *NeuronLayouts) { l.TestSet = assets.Hash(nil) }, "they were computed from a test set with SHA-256 e3b0c44298fc…"},
		{"checkpoint", func(l *NeuronLayouts) { l.Stages[0].Checkpoint = assets.Hash(nil) },
			"their epoch 0 was computed from a checkpoint with SHA-256 e3b0c44298fc…, manifest.json lists mlp-e00.zst"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			withNeuronLayouts(t, f, tc.edit)
			p := params.Default()
			p.View, p.Layer = "neurons", 2
			pl := New(p, f.Fetch, false)
			run(t, pl)
			err := pl.Status().Err
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "layouts-mlp-neurons-2.zst") || pl.Status().Precomputed {
				t.Errorf("status %+v, want an error containing %q", pl.Status(), tc.want)
			}
			if want := []string{"manifest.json", "layouts-mlp-neurons-2.zst"}; !reflect.DeepEqual(f.Fetched(), want) {
				t.Errorf("fetched %q, want %q: no live fallback", f.Fetched(), want)
			}
		})
	}
}
