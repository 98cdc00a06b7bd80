//go:build !js

package pipeline

import (
	"fmt"
	"io/fs"
	"testing"

	"annvis/core/assets"
	"annvis/models"
)

// TestShippedLayoutsMatchAssets checks that every shipped layouts file
// decodes and was computed from the shipped test set and checkpoints, as
// the page will check before using it.
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
		if a.Kind != assets.KindLayouts {
			continue
		}
		v, err := load(FSFetcher(models.FS), m, a.File)
		if err != nil {
			t.Fatal(err)
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
