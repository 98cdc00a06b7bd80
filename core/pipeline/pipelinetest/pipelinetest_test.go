//go:build !js

package pipelinetest

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"annvis/core/assets"
	"annvis/core/mnist"
	"annvis/core/model"
)

// TestBuild checks the asset set Build makes: the first test digits, an
// untrained (seed 1) and a once-trained checkpoint listed with their
// accuracy, every file listed with its size and SHA-256; and that Fetch,
// Put, Clone and WriteDir do what they say.
func TestBuild(t *testing.T) {
	const digits, arch = 200, "mlp"
	a, err := Build(digits, 1000, arch)
	if err != nil {
		t.Fatal(err)
	}
	m, err := assets.ParseManifest(a.Files[assets.ManifestFile])
	if err != nil {
		t.Fatal(err)
	}
	names := []string{assets.ManifestFile, "mlp-e00.zst", "mlp-e01.zst", "mnist-t10k.zst"}
	for _, f := range names[1:] {
		if err := m.Verify(f, a.Files[f]); err != nil {
			t.Error(err)
		}
	}
	if len(a.Files) != len(names) {
		t.Errorf("%d files, want %q", len(a.Files), names)
	}
	t10k, err := mnist.LoadModule("t10k")
	if err != nil {
		t.Fatal(err)
	}
	test, err := mnist.DecodeAsset(a.Files["mnist-t10k.zst"])
	if err != nil || test.Len() != digits || !slices.Equal(test.Labels, t10k.Labels[:digits]) || !slices.Equal(test.Images, a.Test.Images) {
		t.Fatalf("test set of %d digits (%v), want the first %d of t10k", test.Len(), err, digits)
	}
	seeded, _ := model.New(arch, 1)
	want, _ := model.Quantize(seeded).Forward(test.Images, digits)
	var acc [2]float64
	for epoch, c := range m.Checkpoints(arch) {
		ck, err := model.DecodeCheckpoint(a.Files[c.File])
		if err != nil || ck.Epoch != epoch || c.Epoch != epoch || ck.Accuracy != c.Accuracy {
			t.Fatalf("%s: epoch %d, accuracy %v (%v); manifest: epoch %d, accuracy %v", c.File, ck.Epoch, ck.Accuracy, err, c.Epoch, c.Accuracy)
		}
		out, _ := ck.Net.Forward(test.Images, digits)
		if same := slices.Equal(out.Logits, want.Logits); same != (epoch == 0) {
			t.Errorf("epoch %d: the network seed 1 draws: %v", epoch, same)
		}
		acc[epoch] = ck.Accuracy
	}
	if !(acc[0] < 0.3 && acc[1] > 0.7) {
		t.Errorf("accuracy %v untrained, %v after an epoch", acc[0], acc[1])
	}

	f := a.Clone()
	f.Files["extra.zst"] = []byte("x") // a clone has its own files
	if _, ok := a.Files["extra.zst"]; ok {
		t.Error("a clone shares its files")
	}
	b := a.Files["mlp-e01.zst"]
	if got, err := f.Fetch("mlp-e01.zst", int64(len(b))); err != nil || !slices.Equal(got, b) {
		t.Errorf("fetch at its size: %v", err)
	}
	if _, err := f.Fetch("mlp-e01.zst", int64(len(b)-1)); !errors.Is(err, assets.ErrTooLarge) {
		t.Errorf("fetch beyond its limit: %v", err)
	}
	if _, err := f.Fetch("none.zst", 100); err == nil || err.Error() != "404 not found" {
		t.Errorf("fetch of a missing file: %v", err)
	}
	if got := f.Fetched(); !slices.Equal(got, []string{"mlp-e01.zst", "mlp-e01.zst", "none.zst"}) || len(a.Fetched()) != 0 {
		t.Errorf("fetched %q, the original %q", got, a.Fetched())
	}

	ck := assets.Asset{File: "mlp-e01.zst", Kind: assets.KindCheckpoint, Network: arch, Epoch: 1, Accuracy: 0.5}
	if err := f.Put(ck, a.Files["mlp-e00.zst"]); err != nil {
		t.Fatal(err)
	}
	m2, err := assets.ParseManifest(f.Files[assets.ManifestFile])
	if err != nil || m2.Verify("mlp-e01.zst", a.Files["mlp-e00.zst"]) != nil {
		t.Errorf("Put did not list the new file: %v", err)
	}
	if got, _ := m2.Find("mlp-e01.zst"); got.Accuracy != 0.5 {
		t.Errorf("Put listed accuracy %v, want 0.5", got.Accuracy)
	}
	f.Files[assets.ManifestFile] = []byte("{")
	if err := f.Put(ck, nil); err == nil {
		t.Error("Put over a broken manifest")
	}

	dir := t.TempDir()
	if err := a.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	for name, want := range a.Files {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !slices.Equal(got, want) {
			t.Errorf("%s written as %d bytes (%v), want %d", name, len(got), err, len(want))
		}
	}
	if err := a.WriteDir(filepath.Join(dir, "none")); err == nil {
		t.Error("written into a missing directory")
	}
	if _, err := Build(10, 100, "mlp:0"); err == nil || !strings.Contains(err.Error(), "model: ") {
		t.Errorf("Build of a network that cannot be: %v", err)
	}
}
