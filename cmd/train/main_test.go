package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"annvis/core/assets"
	"annvis/core/mnist"
	"annvis/core/model"
)

func TestParseFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{args: nil},
		{args: []string{"-checkpoints", "0,2,1"}, err: `-checkpoints "0,2,1": want increasing epochs ≥ 0`},
		{args: []string{"-checkpoints", "x"}, err: `-checkpoints "x": want increasing epochs ≥ 0`},
		{args: []string{"-nope"}, err: "flag provided but not defined: -nope"},
		{args: []string{"-trainset", "-1"}, err: "-trainset -1: want 0…20000"},
	} {
		o, err := parseFlags(tc.args)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("parseFlags(%q): error %v, want %q", tc.args, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if o.out != "models" || len(o.archs) != 2 || len(o.checkpoints) != 8 || o.checkpoints[7] != 20 {
			t.Errorf("default options %+v", o)
		}
	}
}

// TestRun trains the MLP for one epoch on 1,000 digits into a temporary
// directory and checks the files and the manifest it writes.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	o, err := parseFlags([]string{"-out", dir, "-arch", "mlp", "-limit", "1000", "-checkpoints", "0,1", "-trainset", "2000"})
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	if err := run(o, &log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "mlp epoch 1/1 [====") || !strings.Contains(log.String(), "ex/s loss ") {
		t.Errorf("no progress bar in the output:\n%s", log.String())
	}
	m, err := assets.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Assets) != 4 {
		t.Fatalf("manifest lists %d assets, want the test set, the training set and 2 checkpoints:\n%s", len(m.Assets), m.Marshal())
	}
	for _, a := range m.Assets {
		b, err := os.ReadFile(filepath.Join(dir, a.File))
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Verify(a.File, b); err != nil {
			t.Error(err)
		}
		switch a.Kind {
		case assets.KindTestSet:
			if s, err := mnist.DecodeAsset(b); err != nil || s.Len() != 10000 {
				t.Errorf("%s: %v", a.File, err)
			}
		case assets.KindTrainSet:
			s, err := mnist.DecodeAsset(b)
			if err != nil || s.Len() != 2000 {
				t.Fatalf("%s: %v", a.File, err)
			}
			train, err := mnist.LoadModule("train")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(s.Images, train.Images[:2000*mnist.Pixels]) || !bytes.Equal(s.Labels, train.Labels[:2000]) {
				t.Errorf("%s: not the first 2,000 training digits", a.File)
			}
		case assets.KindCheckpoint:
			c, err := model.DecodeCheckpoint(b)
			if err != nil {
				t.Fatal(err)
			}
			if c.Epoch != a.Epoch || c.Accuracy != a.Accuracy {
				t.Errorf("%s: header epoch %d accuracy %g, manifest %d %g", a.File, c.Epoch, c.Accuracy, a.Epoch, a.Accuracy)
			}
			if a.Epoch == 1 && a.Accuracy < 0.5 {
				t.Errorf("%s: accuracy %g after one epoch on 1,000 digits", a.File, a.Accuracy)
			}
		}
	}
}
