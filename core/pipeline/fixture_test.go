//go:build !js

package pipeline

import (
	"sync"
	"testing"

	"annvis/core/assets"
	"annvis/core/pipeline/pipelinetest"
)

// Digits in the fixture's test set (those of the default view) and
// training digits of its epoch-1 MLP.
const fixtureDigits, fixtureTrain = 2000, 3000

var fixture = sync.OnceValues(func() (*pipelinetest.Assets, error) {
	return pipelinetest.Build(fixtureDigits, fixtureTrain, "mlp")
})

// newFixture returns a fresh copy of the shared real asset set: the first
// 2000 MNIST test digits and MLP checkpoints at epoch 0 and 1.
func newFixture(t testing.TB) *pipelinetest.Assets {
	f, err := fixture()
	if err != nil {
		t.Fatal(err)
	}
	return f.Clone()
}

// editManifest changes the manifest of f with edit, which may break it.
func editManifest(t testing.TB, f *pipelinetest.Assets, edit func(m *assets.Manifest)) {
	m, err := assets.ParseManifest(f.Files[assets.ManifestFile])
	if err != nil {
		t.Fatal(err)
	}
	edit(m)
	f.Files[assets.ManifestFile] = m.Marshal()
}

// editAsset replaces the asset file of f by b and lists b's sizes and
// SHA-256 in the manifest, as a consistent tampering would.
func editAsset(t testing.TB, f *pipelinetest.Assets, file string, b []byte) {
	f.Files[file] = b
	editManifest(t, f, func(m *assets.Manifest) {
		a, _ := m.Find(file)
		a.Bytes, a.SHA256 = int64(len(b)), assets.Hash(b)
		if raw, err := assets.InflateAtMost(b, assets.MaxRawBytes); err == nil {
			a.Raw = int64(len(raw))
		}
		if err := m.Upsert(a); err != nil {
			t.Fatal(err)
		}
	})
}
