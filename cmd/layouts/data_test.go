package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npz"

	"annvis/core/params"
	"annvis/core/pipeline"
	"annvis/core/userdata"
)

// TestPublish publishes a data set: the page's files are copied, and
// data/NAME.npz holds layouts equal to the live view's, without activations.
func TestPublish(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	os.MkdirAll(site, 0o755)
	for _, f := range []string{"index.html", "main.wasm", "worker.wasm", "wasm_exec.js"} {
		os.WriteFile(filepath.Join(site, f), []byte(f), 0o644)
	}
	set := blobsNPZ(t, dir, 200, 4)
	pub := publication{data: set, out: filepath.Join(dir, "out"), site: site, perplexity: 15}
	if err := pub.publish(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(pub.out, "main.wasm")); err != nil || string(b) != "main.wasm" {
		t.Fatalf("the page was not copied: %v", err)
	}
	got, err := userdata.ReadPath(filepath.Join(pub.out, "data", "blobs.npz"), userdata.Page)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := userdata.ReadPath(set, userdata.Page)
	if err != nil {
		t.Fatal(err)
	}
	p := params.Default()
	p.Perplexity = 15
	live := pipeline.NewData(p, orig)
	for !live.Status().Done && live.Step(1e9) == nil {
	}
	if !got.Published() || len(got.Layouts.Positions) != 2 {
		t.Fatalf("published %v", got.Published())
	}
	for k := range 2 {
		if !slices.Equal(got.Layouts.Positions[k], live.Positions(k, nil)) {
			t.Errorf("stage %d: published layout differs from the live view's", k)
		}
	}
	for _, c := range []struct {
		pub  publication
		want string
	}{
		{publication{data: set, out: filepath.Join(dir, "o2"), site: dir}, "has no index.html: build the page first (make web)"},
		{publication{data: set, out: filepath.Join(dir, "o3"), site: site, name: "a b"}, `-name "a b": must be 1 to 64 letters`},
		{publication{data: filepath.Join(dir, "none.npz"), out: filepath.Join(dir, "o4"), site: site}, "-data " + filepath.Join(dir, "none.npz") + ": userdata:"},
		{publication{data: set, site: site}, "-data needs -out DIR"},
	} {
		if err := c.pub.publish(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.pub, err, c.want)
		}
	}
}

// blobsNPZ writes dir/blobs.npz with npyio's writer: n points of c classes
// in 2 layers of 6 units, the second separating the classes better.
func blobsNPZ(t *testing.T, dir string, n, c int) string {
	t.Helper()
	path := filepath.Join(dir, "blobs.npz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := npz.NewWriter(f)
	rng := rand.New(rand.NewPCG(1, 2))
	labels := make([]int64, n)
	for i := range labels {
		labels[i] = int64(i % c)
	}
	if err := w.Write("labels.npy", labels); err != nil {
		t.Fatal(err)
	}
	for k, spread := range []float64{2, 0.5} {
		rows := make([][]float64, n)
		for i := range rows {
			for range 6 {
				rows[i] = append(rows[i], float64(labels[i]*3)+rng.NormFloat64()*spread)
			}
		}
		if err := w.Write(fmt.Sprintf("l%d.npy", k+1), rows); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
