//go:build !js

package pipeline

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"annvis/core/assets"
	"annvis/models"
)

// TestShippedLayoutsMatchAssets checks that every shipped layouts, neuron
// layouts and bundles file decodes and was computed from the shipped test
// set and checkpoints (bundles: from the shipped layouts), as the page will
// check before using it.
func TestShippedLayoutsMatchAssets(t *testing.T) {
	b, err := fs.ReadFile(models.FS, assets.ManifestFile)
	if err != nil {
		t.Fatal(err)
	}
	m, err := assets.ParseManifest(b)
	if err != nil {
		t.Fatal(err)
	}
	ts, _ := m.Find(TestSetFile)
	for _, a := range m.Assets {
		if a.Kind != assets.KindLayouts && a.Kind != assets.KindNeurons && a.Kind != assets.KindBundles {
			continue
		}
		v, err := load(FSFetcher(models.FS), m, a.File)
		if err != nil {
			t.Fatal(err)
		}
		switch v := v.(type) {
		case *NeuronLayouts:
			checkShippedNeurons(t, m, a.File, v)
			continue
		case *Bundles:
			from := strings.TrimSuffix(a.File, "-bundled.zst") + ".zst"
			if l, _ := m.Find(from); v.Layouts != l.SHA256 || BundlesFile(from) != a.File {
				t.Errorf("%s: bundled from layouts %.12s…, manifest lists %s with %.12s…", a.File, v.Layouts, from, l.SHA256)
			}
			continue
		}
		l := v.(*Layouts)
		if l.TestSet != ts.SHA256 {
			t.Errorf("%s: test set %.12s…, manifest lists %.12s…", a.File, l.TestSet, ts.SHA256)
		}
		for k, s := range l.Stages {
			file := fmt.Sprintf("%s-e%02d.zst", l.Network, m.Final[l.Network])
			if l.View == "epochs" {
				file = m.Checkpoints(l.Network)[k].File
			}
			if c, _ := m.Find(file); s.Checkpoint != c.SHA256 {
				t.Errorf("%s %s: checkpoint %.12s…, manifest lists %s with %.12s…", a.File, s.Name, s.Checkpoint, file, c.SHA256)
			}
		}
	}
}

// checkShippedNeurons checks that the neuron layouts l in file were
// computed from the shipped test set and checkpoints.
func checkShippedNeurons(t *testing.T, m *assets.Manifest, file string, l *NeuronLayouts) {
	t.Helper()
	if ts, _ := m.Find(TestSetFile); l.TestSet != ts.SHA256 {
		t.Errorf("%s: test set %.12s…, manifest lists %.12s…", file, l.TestSet, ts.SHA256)
	}
	for _, s := range l.Stages {
		var epoch int
		fmt.Sscanf(s.Name, "epoch %d", &epoch)
		ck := fmt.Sprintf("%s-e%02d.zst", l.Network, epoch)
		if c, _ := m.Find(ck); s.Checkpoint != c.SHA256 {
			t.Errorf("%s %s: checkpoint %.12s…, manifest lists %s with %.12s…", file, s.Name, s.Checkpoint, ck, c.SHA256)
		}
	}
}
