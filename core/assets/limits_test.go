package assets

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// limitsManifest is a valid manifest with one checkpoint, whose fields the
// limit tests change one at a time.
func limitsManifest() Manifest {
	return Manifest{Version: Version, Final: map[string]int{"mlp": 3}, Assets: []Asset{{
		File: "mlp-e03.zst", Kind: KindCheckpoint, Network: "mlp", Epoch: 3, Accuracy: 0.9,
		Bytes: 100, Raw: 200, SHA256: strings.Repeat("ab", 32),
	}}}
}

func parse(t *testing.T, m Manifest) error {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ParseManifest(b)
	return err
}

// TestManifestFieldLimits sets each field of an asset at and just beyond
// its documented limit: at the limit the manifest parses, beyond it the
// error names the rule.
func TestManifestFieldLimits(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(a *Asset, m *Manifest)
		want string // "" → accepted
	}{
		{"file 64 bytes", func(a *Asset, m *Manifest) { a.File = strings.Repeat("f", 64) }, ""},
		{"file 65 bytes", func(a *Asset, m *Manifest) { a.File = strings.Repeat("f", 65) }, "must be a plain name of at most 64 bytes"},
		{"file empty", func(a *Asset, m *Manifest) { a.File = "" }, "must be a plain name"},
		{"file ..", func(a *Asset, m *Manifest) { a.File = ".." }, "must be a plain name"},
		{"file in a directory", func(a *Asset, m *Manifest) { a.File = "a/b" }, "must be a plain name"},
		{"file with a backslash", func(a *Asset, m *Manifest) { a.File = `a\b` }, "must be a plain name"},
		{"epoch 0", func(a *Asset, m *Manifest) { a.Epoch, m.Final["mlp"] = 0, 0 }, ""},
		{"epoch -1", func(a *Asset, m *Manifest) { a.Epoch = -1 }, "epoch -1 must be in 0…1000"},
		{"epoch 1000", func(a *Asset, m *Manifest) { a.Epoch, m.Final["mlp"] = MaxEpoch, MaxEpoch }, ""},
		{"epoch 1001", func(a *Asset, m *Manifest) { a.Epoch, m.Final["mlp"] = MaxEpoch+1, MaxEpoch+1 }, "epoch 1001 must be in 0…1000"},
		{"accuracy 0", func(a *Asset, m *Manifest) { a.Accuracy = 0 }, ""},
		{"accuracy -1e-9", func(a *Asset, m *Manifest) { a.Accuracy = -1e-9 }, "accuracy -1e-09 must be in [0, 1]"},
		{"accuracy 1", func(a *Asset, m *Manifest) { a.Accuracy = 1 }, ""},
		{"accuracy 1+1e-9", func(a *Asset, m *Manifest) { a.Accuracy = 1 + 1e-9 }, "must be in [0, 1]"},
		{"bytes 1", func(a *Asset, m *Manifest) { a.Bytes = 1 }, ""},
		{"bytes 0", func(a *Asset, m *Manifest) { a.Bytes = 0 }, "size 0 must be in 1…16777216"},
		{"bytes max", func(a *Asset, m *Manifest) { a.Bytes = MaxAssetBytes }, ""},
		{"bytes max+1", func(a *Asset, m *Manifest) { a.Bytes = MaxAssetBytes + 1 }, "size 16777217 must be in 1…16777216"},
		{"raw 1", func(a *Asset, m *Manifest) { a.Raw = 1 }, ""},
		{"raw 0", func(a *Asset, m *Manifest) { a.Raw = 0 }, "decompressed size 0 must be in 1…16777216"},
		{"raw max", func(a *Asset, m *Manifest) { a.Raw = MaxRawBytes }, ""},
		{"raw max+1", func(a *Asset, m *Manifest) { a.Raw = MaxRawBytes + 1 }, "decompressed size 16777217 must be in 1…16777216"},
		{"sha256 63 digits", func(a *Asset, m *Manifest) { a.SHA256 = a.SHA256[:63] }, "must be 64 lower-case hex digits"},
		{"sha256 66 digits", func(a *Asset, m *Manifest) { a.SHA256 += "ab" }, "must be 64 lower-case hex digits"},
		{"sha256 upper case", func(a *Asset, m *Manifest) { a.SHA256 = strings.ToUpper(a.SHA256) }, "must be 64 lower-case hex digits"},
		{"kind", func(a *Asset, m *Manifest) { a.Kind = "weights" }, `kind "weights" must be`},
		{"network", func(a *Asset, m *Manifest) { a.Network = "rnn" }, `network "rnn" must be "mlp" or "cnn"`},
		{"digit set without network", func(a *Asset, m *Manifest) {
			a.Kind, a.Network, a.Epoch = KindTestSet, "", 0
			m.Final = nil
		}, ""},
		{"final epoch not listed", func(a *Asset, m *Manifest) { m.Final["mlp"] = 4 }, "its final checkpoint (epoch 4) is not listed"},
		{"checkpoint after the final epoch", func(a *Asset, m *Manifest) { m.Final["mlp"] = 2 }, "after the final epoch 2"},
	} {
		m := limitsManifest()
		tc.set(&m.Assets[0], &m)
		err := parse(t, m)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v, want it accepted", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// TestManifestCountLimits lists MaxAssets assets (accepted) and one more
// (rejected), and checks the manifest's own size limit at and beyond
// MaxManifestBytes.
func TestManifestCountLimits(t *testing.T) {
	many := func(k int) Manifest {
		m := Manifest{Version: Version, Final: map[string]int{}}
		for i := range k {
			m.Assets = append(m.Assets, Asset{File: fmt.Sprintf("t%03d", i), Kind: KindTestSet, Bytes: 1, Raw: 1, SHA256: strings.Repeat("0", 64)})
		}
		return m
	}
	if err := parse(t, many(MaxAssets)); err != nil {
		t.Errorf("%d assets: %v", MaxAssets, err)
	}
	if err := parse(t, many(MaxAssets+1)); err == nil || !strings.Contains(err.Error(), "lists 257 assets, more than the 256 allowed") {
		t.Errorf("%d assets: error %v", MaxAssets+1, err)
	}
	b, err := json.Marshal(limitsManifest())
	if err != nil {
		t.Fatal(err)
	}
	pad := func(size int) []byte { // JSON whitespace up to size bytes
		return append(b[:len(b):len(b)], []byte(strings.Repeat(" ", size-len(b)))...)
	}
	if _, err := ParseManifest(pad(MaxManifestBytes)); err != nil {
		t.Errorf("manifest of %d bytes: %v", MaxManifestBytes, err)
	}
	if _, err := ParseManifest(pad(MaxManifestBytes + 1)); err == nil || !strings.Contains(err.Error(), "has 65537 bytes, more than the 65536 allowed") {
		t.Errorf("manifest of %d bytes: error %v", MaxManifestBytes+1, err)
	}
}
