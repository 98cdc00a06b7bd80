package assets

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

const hashHello = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" // SHA-256 of "hello"

func TestParseManifest(t *testing.T) {
	valid := func(asset string) string { return `{"version": 2, "assets": [` + asset + `]}` }
	ck := func(epoch, final string) string {
		return `{"version": 2, "final": ` + final + `, "assets": [{"file": "mlp-e01.zst", "kind": "checkpoint", "network": "mlp", "epoch": ` + epoch + `, "bytes": 5, "raw": 9, "sha256": "` + hashHello + `"}]}`
	}
	for _, tc := range []struct {
		name, in, err string
	}{
		{"empty list", `{"version": 2, "assets": []}`, ""},
		{"checkpoint", ck("1", `{"mlp": 1}`), ""},
		{"testset", valid(`{"file": "t.zst", "kind": "testset", "bytes": 5, "raw": 7, "sha256": "` + hashHello + `"}`), ""},
		{"syntax", `{"version": 2,`, "assets: manifest: unexpected EOF"},
		{"unknown field", `{"version": 2, "extra": 2}`, `assets: manifest: json: unknown field "extra"`},
		{"trailing", `{"version": 2} {}`, "assets: manifest: data after the JSON object"},
		{"too long", `{"version": 2, "assets": []}` + strings.Repeat(" ", MaxManifestBytes), "assets: manifest has 65564 bytes, more than the 65536 allowed"},
		{"version", `{"version": 1}`, "assets: manifest version 1, want 2"},
		{"path", valid(`{"file": "../x", "kind": "testset", "sha256": "` + hashHello + `"}`), `assets: file name "../x" must be a plain name of at most 64 bytes`},
		{"long name", valid(`{"file": "` + strings.Repeat("x", 65) + `", "kind": "testset", "sha256": "` + hashHello + `"}`), `assets: file name "xxxxxxxx`},
		{"kind", valid(`{"file": "x", "kind": "weights", "sha256": "` + hashHello + `"}`), `assets: x: kind "weights" must be one of ["testset" "trainset" "checkpoint" "layouts" "neurons" "bundles"]`},
		{"network", valid(`{"file": "x", "kind": "checkpoint", "network": "rnn", "sha256": "` + hashHello + `"}`), `assets: x: network "rnn" must be "mlp" or "cnn"`},
		{"epoch", valid(`{"file": "x", "kind": "checkpoint", "network": "cnn", "epoch": -1, "sha256": "` + hashHello + `"}`), "assets: x: epoch -1 must be in 0…1000"},
		{"epoch 1001", valid(`{"file": "x", "kind": "checkpoint", "network": "cnn", "epoch": 1001, "sha256": "` + hashHello + `"}`), "assets: x: epoch 1001 must be in 0…1000"},
		{"accuracy", valid(`{"file": "x", "kind": "checkpoint", "network": "cnn", "accuracy": 1.5, "sha256": "` + hashHello + `"}`), "assets: x: accuracy 1.5 must be in [0, 1]"},
		{"bytes", valid(`{"file": "x", "kind": "testset", "bytes": -3, "sha256": "` + hashHello + `"}`), "assets: x: size -3 must be in 1…16777216"},
		{"bytes 0", valid(`{"file": "x", "kind": "testset", "bytes": 0, "raw": 1, "sha256": "` + hashHello + `"}`), "assets: x: size 0 must be in 1…16777216"},
		{"bytes big", valid(`{"file": "x", "kind": "testset", "bytes": 16777217, "raw": 1, "sha256": "` + hashHello + `"}`), "assets: x: size 16777217 must be in 1…16777216"},
		{"raw 0", valid(`{"file": "x", "kind": "testset", "bytes": 1, "sha256": "` + hashHello + `"}`), "assets: x: decompressed size 0 must be in 1…16777216"},
		{"raw big", valid(`{"file": "x", "kind": "testset", "bytes": 1, "raw": 16777217, "sha256": "` + hashHello + `"}`), "assets: x: decompressed size 16777217 must be in 1…16777216"},
		{"sha", valid(`{"file": "x", "kind": "testset", "bytes": 1, "raw": 1, "sha256": "abc"}`), `assets: x: sha256 "abc" must be 64 lower-case hex digits`},
		{"sha upper", valid(`{"file": "x", "kind": "testset", "bytes": 1, "raw": 1, "sha256": "` + strings.ToUpper(hashHello) + `"}`), `assets: x: sha256 "2CF24`},
		{"twice", valid(`{"file": "x", "kind": "testset", "bytes": 1, "raw": 1, "sha256": "` + hashHello + `"}, {"file": "x", "kind": "testset", "bytes": 1, "raw": 1, "sha256": "` + hashHello + `"}`), `assets: manifest lists "x" twice`},
		{"final missing", ck("1", `{"mlp": 20}`), "assets: manifest: mlp was trained for 20 epochs, but its final checkpoint (epoch 20) is not listed"},
		{"no final", ck("1", `{}`), `assets: manifest: mlp-e01.zst is a mlp checkpoint, but "final" gives no final epoch for mlp`},
		{"after final", ck("3", `{"mlp": 1}`), "assets: manifest: mlp-e01.zst has epoch 3, after the final epoch 1 of mlp"},
		{"final of nothing", `{"version": 2, "final": {"cnn": 2}, "assets": []}`, "assets: manifest: cnn was trained for 2 epochs, but its final checkpoint (epoch 2) is not listed"},
		{"final of rnn", `{"version": 2, "final": {"rnn": 2}, "assets": []}`, `assets: manifest: final epoch of unknown network "rnn"`},
	} {
		_, err := ParseManifest([]byte(tc.in))
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.err)) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
		}
	}
}

// sample returns a manifest with two checkpoints out of order and a test set.
func sample(t *testing.T) *Manifest {
	m := &Manifest{Version: Version}
	for _, a := range []Asset{
		{File: "mlp-e20.zst", Kind: KindCheckpoint, Network: "mlp", Epoch: 20, Accuracy: 0.98, Bytes: 5, Raw: 5, SHA256: hashHello},
		{File: "cnn-e00.zst", Kind: KindCheckpoint, Network: "cnn", Epoch: 0, Accuracy: 0.1, Bytes: 5, Raw: 5, SHA256: hashHello},
		{File: "mlp-e03.zst", Kind: KindCheckpoint, Network: "mlp", Epoch: 3, Accuracy: 0.97, Bytes: 5, Raw: 5, SHA256: hashHello},
		{File: "mnist-t10k.zst", Kind: KindTestSet, Bytes: 5, Raw: 5, SHA256: hashHello},
	} {
		if err := m.Upsert(a); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func TestManifest(t *testing.T) {
	m := sample(t)
	var files []string
	for _, a := range m.Assets {
		files = append(files, a.File)
	}
	if got := strings.Join(files, " "); got != "cnn-e00.zst mlp-e03.zst mlp-e20.zst mnist-t10k.zst" {
		t.Errorf("assets not sorted by file: %s", got)
	}
	var epochs []int
	for _, a := range m.Checkpoints("mlp") {
		epochs = append(epochs, a.Epoch)
	}
	if fmt.Sprint(epochs) != "[3 20]" {
		t.Errorf("Checkpoints(mlp) epochs %v, want [3 20]", epochs)
	}
	if a, ok := m.Find("mlp-e20.zst"); !ok || a.Accuracy != 0.98 {
		t.Errorf("Find(mlp-e20.zst) = %+v, %v", a, ok)
	}
	if _, ok := m.Find("nope"); ok {
		t.Error("Find(nope) found it")
	}
	if err := m.Upsert(Asset{File: "mlp-e20.zst", Kind: KindCheckpoint, Network: "mlp", Epoch: 20, Accuracy: 0.99, Bytes: 5, Raw: 5, SHA256: hashHello}); err != nil || len(m.Assets) != 4 {
		t.Errorf("Upsert of an existing file: %v, %d assets", err, len(m.Assets))
	}
	again, err := ParseManifest(m.Marshal())
	if err != nil || !bytes.Equal(again.Marshal(), m.Marshal()) {
		t.Errorf("Marshal/ParseManifest round trip: %v", err)
	}
	for _, tc := range []struct {
		file, data, err string
	}{
		{"mnist-t10k.zst", "hello", ""},
		{"mnist-t10k.zst", "hell", "assets: mnist-t10k.zst has 4 bytes, manifest says 5"},
		{"mnist-t10k.zst", "jello", "assets: mnist-t10k.zst has SHA-256 "},
		{"x.zst", "hello", "assets: x.zst is not in the manifest"},
	} {
		err := m.Verify(tc.file, []byte(tc.data))
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.err)) {
			t.Errorf("Verify(%s, %q): error %v, want %q", tc.file, tc.data, err, tc.err)
		}
	}
}

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(`{"version": 2, "assets": [{"file": "t.zst", "kind": "testset", "bytes": 5, "raw": 5, "sha256": "` + hashHello + `"}]}`))
	f.Add([]byte(`{"version": 2, "final": {"mlp": 1}, "assets": [{"file": "mlp-e01.zst", "kind": "checkpoint", "network": "mlp", "epoch": 1, "bytes": 5, "raw": 9, "sha256": "` + hashHello + `"}]}`))
	f.Add([]byte(`{"version": 2}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseManifest(b)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "assets: ") {
				t.Errorf("error without the package prefix: %v", err)
			}
			return
		}
		if _, err := ParseManifest(m.Marshal()); err != nil {
			t.Fatalf("a parsed manifest does not parse again: %v", err)
		}
	})
}

func ExampleManifest_Verify() {
	m, err := ParseManifest([]byte(`{"version": 2, "assets": [
		{"file": "mnist-t10k.zst", "kind": "testset", "bytes": 5, "raw": 7850020,
		 "sha256": "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Verify("mnist-t10k.zst", []byte("hello")))
	fmt.Println(m.Verify("mnist-t10k.zst", []byte("hello, world")))
	// Output:
	// <nil>
	// assets: mnist-t10k.zst has 12 bytes, manifest says 5
}
