//go:build !js

package pipeline

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"annvis/core/assets"
	"annvis/core/bundle"
	"annvis/core/params"
	"annvis/core/pipeline/pipelinetest"
)

// TestBundledView checks that the pipeline bundles the bundled view's trails
// once they are laid out, keeping every trail's end points on its first and
// last layout, and rebundles all classes together when asked.
func TestBundledView(t *testing.T) {
	pl := New(smallView("bundled"), newFixture(t).Fetch, false)
	finish := func() {
		stepUntil(t, pl, func() bool { return pl.Status().Progress >= 1 })
		if st := pl.Status(); st.Err != nil || st.Phase != "ready" || !st.Done {
			t.Fatalf("status %+v", st)
		}
	}
	finish()
	first, last := pl.Positions(0, nil), pl.Positions(len(pl.Stages())-1, nil)
	res := pl.Bundles()
	if res == nil || len(res.Lines) != pl.N() {
		t.Fatalf("bundles %v for %d digits", res, pl.N())
	}
	for i, l := range res.Lines {
		if l[0] != first[2*i] || l[1] != first[2*i+1] || l[len(l)-2] != last[2*i] || l[len(l)-1] != last[2*i+1] {
			t.Fatalf("trail %d: ends %v %v moved from %v %v", i, l[:2], l[len(l)-2:], first[2*i:2*i+2], last[2*i:2*i+2])
		}
	}
	pl.SetBundleAll(true)
	if st := pl.Status(); pl.Bundles() != nil || st.Progress >= 1 || st.Phase != "bundling trails" {
		t.Fatalf("after asking for all classes together: %+v", st)
	}
	finish()
	if all := pl.Bundles(); all == nil || all == res || len(all.Lines) != pl.N() {
		t.Fatalf("all classes together: %v", all)
	}
	pl.SetBundleAll(false)
	if pl.Bundles() != res {
		t.Error("the bundling of each class was computed again")
	}
}

// withBundles adds to f the bundles res, bundled from layouts whose file
// is from, as the shipped bundles of layouts-mlp-epochs-4.zst, and returns them as
// the page decodes them.
func withBundles(t *testing.T, f *pipelinetest.Assets, res *bundle.Result, from []byte) *Bundles {
	t.Helper()
	b, err := EncodeBundles(&Bundles{Layouts: assets.Hash(from), Result: res})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Put(assets.Asset{File: BundlesFile(epochsFile), Kind: assets.KindBundles, Network: "mlp"}, b); err != nil {
		t.Fatal(err)
	}
	got, err := DecodeBundles(b)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestPrecomputedBundles checks that Bundle computes exactly what the
// bundled view of shipped layouts computes itself, that the view takes the
// shipped bundles made from its layouts (and the trace view does not fetch
// them), and that bundles made from other layouts are an error.
func TestPrecomputedBundles(t *testing.T) {
	p := params.Default()
	p.View, p.Layer = "bundled", 4
	f := newFixture(t)
	l := withEpochLayouts(t, f)
	res, err := Bundle(l)
	if err != nil {
		t.Fatal(err)
	}
	pl := New(p, f.Clone().Fetch, false)
	complete(t, pl)
	if live := pl.Bundles(); live == nil || !reflect.DeepEqual(live, res) {
		t.Fatalf("the view's own bundling differs from Bundle's (status %+v)", pl.Status())
	}
	shipped := withBundles(t, f, res, f.Files[epochsFile])
	for _, view := range []string{"bundled", "trace"} {
		p.View = view
		g := f.Clone()
		pl = New(p, g.Fetch, false)
		complete(t, pl)
		want := []string{"manifest.json", epochsFile, BundlesFile(epochsFile), "mnist-t10k.zst"}
		if view == "trace" {
			want = slices.Delete(want, 2, 3)
		}
		if st := pl.Status(); !st.Precomputed || st.Progress != 1 || st.Err != nil || !reflect.DeepEqual(g.Fetched(), want) {
			t.Errorf("%s view: status %+v, fetched %q, want %q", view, st, g.Fetched(), want)
		}
	}
	p.View = "bundled"
	pl = New(p, f.Clone().Fetch, false)
	complete(t, pl)
	if !reflect.DeepEqual(pl.Bundles(), shipped.Result) {
		t.Error("the bundled view did not take the shipped bundles")
	}
	withBundles(t, f, res, []byte("other layouts"))
	pl = New(p, f.Fetch, false)
	complete(t, pl)
	if err := pl.Status().Err; err == nil || !strings.Contains(err.Error(), "layouts-mlp-epochs-4-bundled.zst: consistency check failed: they were bundled from layouts with SHA-256") {
		t.Errorf("bundles of other layouts: %v", err)
	}
}

// complete steps pl until its view is complete, bundling included, or failed.
func complete(t *testing.T, pl *Pipeline) {
	t.Helper()
	stepUntil(t, pl, func() bool { return pl.Status().Progress >= 1 || pl.Status().Err != nil })
}

// epochsFile is the shipped epochs layouts of the MLP's last hidden layer,
// which the default bundled and trace views of that layer show.
const epochsFile = "layouts-mlp-epochs-4.zst"

// withEpochLayouts adds to f the shipped layouts of the MLP's last hidden
// layer across the fixture's epochs 0 and 1, at default parameters (made
// from the layers layouts of withLayouts), and returns them.
func withEpochLayouts(t *testing.T, f *pipelinetest.Assets) *Layouts {
	t.Helper()
	m, err := assets.ParseManifest(f.Files[assets.ManifestFile])
	if err != nil {
		t.Fatal(err)
	}
	l := withLayouts(t, f, nil)
	l.View, l.Method, l.Stages = "epochs", "joint", l.Stages[:2]
	for k, file := range []string{"mlp-e00.zst", "mlp-e01.zst"} {
		ck, _ := m.Find(file)
		l.Stages[k].Name, l.Stages[k].Checkpoint = fmt.Sprintf("epoch %d", k), ck.SHA256
	}
	b, err := EncodeLayouts(l)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Put(assets.Asset{File: epochsFile, Kind: assets.KindLayouts, Network: "mlp"}, b); err != nil {
		t.Fatal(err)
	}
	return l
}
