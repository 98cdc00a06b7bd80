//go:build !js

package pipeline

import (
	"encoding/json"
	"io/fs"
	"math"
	"os"
	"testing"

	"annvis/core/assets"
	"annvis/core/tsne"
	"annvis/models"
)

// sklearnQuality is testdata/quality-sklearn.json, written by
// testdata/quality-sklearn.py: scikit-learn's quality figures for the
// stages of the shipped layers views.
type sklearnQuality struct {
	Sklearn string
	Views   []struct {
		Layouts string
		TestSet string `json:"test_set"`
		N       int
		Stages  []struct {
			Name       string
			Checkpoint string
			NH, TW     float64
		}
	}
}

// Tolerances of TestShippedQualityFollowsSklearn: the shipped layers views
// are chained (each layer starts from the previous layer's layout),
// sklearn's projects each stage on its own.
const (
	qualityTolTW = 0.01
	qualityTolNH = 0.03
)

// shippedLayouts returns every shipped layouts file, decoded and verified,
// by name.
func shippedLayouts(t *testing.T) map[string]*Layouts {
	t.Helper()
	mb, err := fs.ReadFile(models.FS, assets.ManifestFile)
	if err != nil {
		t.Fatal(err)
	}
	m, err := assets.ParseManifest(mb)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*Layouts{}
	for _, a := range m.Assets {
		if a.Kind == assets.KindLayouts {
			x, err := load(FSFetcher(models.FS), m, a.File)
			if err != nil {
				t.Fatal(err)
			}
			out[a.File] = x.(*Layouts)
		}
	}
	if len(out) == 0 {
		t.Fatal("no shipped layouts")
	}
	return out
}

// TestShippedQualityIsTrue checks the neighbourhood hit shipped with every
// stage of every layouts file against its positions, and the paper's
// finding it reports: the last stage (deepest layer, final epoch)
// separates the classes better than the first.
func TestShippedQualityIsTrue(t *testing.T) {
	for name, l := range shippedLayouts(t) {
		for _, s := range l.Stages {
			if nh := tsne.NeighborhoodHit(s.Positions, l.Labels, QualityK); math.Abs(nh-s.Quality.NH) > 1e-12 {
				t.Errorf("%s %s: shipped NH %.4f, its positions give %.4f", name, s.Name, s.Quality.NH, nh)
			}
		}
		first, last := l.Stages[0].Quality, l.Stages[len(l.Stages)-1].Quality
		if !(last.NH > first.NH) {
			t.Errorf("%s: NH %.4f at %s, not above %.4f at %s", name, last.NH, l.Stages[len(l.Stages)-1].Name, first.NH, l.Stages[0].Name)
		}
	}
}

// TestShippedQualityFollowsSklearn compares the quality shipped with the
// layers views, stage by stage, with the figures scikit-learn's TSNE
// reaches on the same activations (recorded by testdata/quality-sklearn.py
// for these very assets): neighbourhood hit within qualityTolNH,
// trustworthiness within qualityTolTW.
func TestShippedQualityFollowsSklearn(t *testing.T) {
	b, err := os.ReadFile("testdata/quality-sklearn.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref sklearnQuality
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Views) == 0 {
		t.Fatal("quality-sklearn.json has no views")
	}
	shipped := shippedLayouts(t)
	for _, v := range ref.Views {
		l := shipped[v.Layouts]
		if l == nil || !sameAssets(l, v.TestSet, len(v.Stages), func(k int) string { return v.Stages[k].Checkpoint }) {
			t.Errorf("%s was computed from other assets than testdata/quality-sklearn.json: re-run testdata/quality-sklearn.py", v.Layouts)
			continue
		}
		for k, s := range l.Stages {
			want := v.Stages[k]
			if d := s.Quality.NH - want.NH; math.Abs(d) > qualityTolNH {
				t.Errorf("%s %s: NH %.4f, scikit-learn %.4f", v.Layouts, s.Name, s.Quality.NH, want.NH)
			}
			if d := s.Quality.TW - want.TW; math.Abs(d) > qualityTolTW {
				t.Errorf("%s %s: TW %.4f, scikit-learn %.4f", v.Layouts, s.Name, s.Quality.TW, want.TW)
			}
		}
	}
}

// sameAssets reports whether l was computed from the test set and stage
// checkpoints with the given SHA-256s.
func sameAssets(l *Layouts, testSet string, stages int, checkpoint func(k int) string) bool {
	if l.TestSet != testSet || len(l.Stages) != stages {
		return false
	}
	for k, s := range l.Stages {
		if s.Checkpoint != checkpoint(k) {
			return false
		}
	}
	return true
}
