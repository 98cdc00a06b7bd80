// Package assets holds the manifest of the files annvis ships in models/:
// the test set, the checkpoints and the precomputed layouts, each with its
// compressed and decompressed size and SHA-256, so that a loader can bound
// what it downloads and inflates and verify what it got.
package assets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Version is the manifest format version. Version 2 added the decompressed
// size of every asset (raw) and the last epoch trained per network (final).
const Version = 2

// ManifestFile is the name of the manifest in the assets directory.
const ManifestFile = "manifest.json"

// Limits of the manifest, documented in models/README.md. A loader reads
// at most MaxManifestBytes of manifest.json, at most an asset's Bytes of
// its file, and inflates it to at most its Raw bytes.
const (
	MaxManifestBytes = 64 << 10 // bytes of manifest.json
	MaxAssets        = 256      // assets listed
	MaxAssetBytes    = 16 << 20 // compressed bytes of one asset
	MaxRawBytes      = 16 << 20 // decompressed bytes of one asset
	MaxEpoch         = 1000     // epochs of a checkpoint
)

// Asset kinds.
const (
	KindTestSet    = "testset"
	KindCheckpoint = "checkpoint"
	KindLayouts    = "layouts"  // a digit view's precomputed layouts
	KindNeurons    = "neurons"  // a hidden layer's precomputed neuron views
	KindBundles    = "bundles"  // a digit view's precomputed bundled trails
	KindTrainSet   = "trainset" // training digits of the train view
)

// kinds lists the asset kinds.
var kinds = []string{KindTestSet, KindTrainSet, KindCheckpoint, KindLayouts, KindNeurons, KindBundles}

// Asset describes one file of the assets directory.
type Asset struct {
	File     string  `json:"file"`               // name within the directory, e.g. "mlp-e20.zst"
	Kind     string  `json:"kind"`               // one of kinds
	Network  string  `json:"network,omitempty"`  // "mlp" or "cnn"; empty for the digit sets
	Epoch    int     `json:"epoch"`              // checkpoints: epochs trained
	Accuracy float64 `json:"accuracy,omitempty"` // checkpoints: test accuracy, 0…1
	Bytes    int64   `json:"bytes"`              // file size, 1…MaxAssetBytes
	Raw      int64   `json:"raw"`                // decompressed size, 1…MaxRawBytes
	SHA256   string  `json:"sha256"`             // hex SHA-256 of the file
}

// Manifest lists the assets, sorted by file name, and the last epoch each
// network was trained for: its final checkpoint must be listed.
type Manifest struct {
	Version int            `json:"version"`
	Final   map[string]int `json:"final"` // network → epoch of its final checkpoint
	Assets  []Asset        `json:"assets"`
}

// ParseManifest decodes and validates a manifest.
func ParseManifest(b []byte) (*Manifest, error) {
	if len(b) > MaxManifestBytes {
		return nil, fmt.Errorf("assets: manifest has %d bytes, more than the %d allowed", len(b), MaxManifestBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("assets: manifest: %v", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("assets: manifest: data after the JSON object")
	}
	if m.Version != Version {
		return nil, fmt.Errorf("assets: manifest version %d, want %d", m.Version, Version)
	}
	if len(m.Assets) > MaxAssets {
		return nil, fmt.Errorf("assets: manifest lists %d assets, more than the %d allowed", len(m.Assets), MaxAssets)
	}
	seen := make(map[string]bool)
	for _, a := range m.Assets {
		if err := a.validate(); err != nil {
			return nil, err
		}
		if seen[a.File] {
			return nil, fmt.Errorf("assets: manifest lists %q twice", a.File)
		}
		seen[a.File] = true
	}
	return &m, m.checkFinal()
}

// checkFinal checks that every network with checkpoints declares its final
// epoch, that no checkpoint is later, and that the final one is listed:
// a view must never run on an earlier epoch because the last one is missing.
func (m *Manifest) checkFinal() error {
	for net, final := range m.Final {
		if net != "mlp" && net != "cnn" {
			return fmt.Errorf("assets: manifest: final epoch of unknown network %.20q", net)
		}
		cs := m.Checkpoints(net)
		if len(cs) == 0 || cs[len(cs)-1].Epoch < final {
			return fmt.Errorf("assets: manifest: %s was trained for %d epochs, but its final checkpoint (epoch %d) is not listed", net, final, final)
		}
	}
	for _, a := range m.Assets {
		if a.Kind != KindCheckpoint {
			continue
		}
		final, ok := m.Final[a.Network]
		if !ok {
			return fmt.Errorf("assets: manifest: %s is a %s checkpoint, but \"final\" gives no final epoch for %s", a.File, a.Network, a.Network)
		}
		if a.Epoch > final {
			return fmt.Errorf("assets: manifest: %s has epoch %d, after the final epoch %d of %s", a.File, a.Epoch, final, a.Network)
		}
	}
	return nil
}

// validate checks the fields of a.
func (a Asset) validate() error {
	if a.File == "" || len(a.File) > 64 || strings.ContainsAny(a.File, `/\`) || a.File == "." || a.File == ".." {
		return fmt.Errorf("assets: file name %.64q must be a plain name of at most 64 bytes", a.File)
	}
	if !slices.Contains(kinds, a.Kind) {
		return fmt.Errorf("assets: %s: kind %.20q must be one of %q", a.File, a.Kind, kinds)
	}
	if a.Kind != KindTestSet && a.Kind != KindTrainSet && a.Network != "mlp" && a.Network != "cnn" {
		return fmt.Errorf("assets: %s: network %.20q must be \"mlp\" or \"cnn\"", a.File, a.Network)
	}
	if a.Epoch < 0 || a.Epoch > MaxEpoch {
		return fmt.Errorf("assets: %s: epoch %d must be in 0…%d", a.File, a.Epoch, MaxEpoch)
	}
	if !(a.Accuracy >= 0 && a.Accuracy <= 1) {
		return fmt.Errorf("assets: %s: accuracy %g must be in [0, 1]", a.File, a.Accuracy)
	}
	if a.Bytes < 1 || a.Bytes > MaxAssetBytes {
		return fmt.Errorf("assets: %s: size %d must be in 1…%d", a.File, a.Bytes, MaxAssetBytes)
	}
	if a.Raw < 1 || a.Raw > MaxRawBytes {
		return fmt.Errorf("assets: %s: decompressed size %d must be in 1…%d", a.File, a.Raw, MaxRawBytes)
	}
	if h, err := hex.DecodeString(a.SHA256); err != nil || len(h) != sha256.Size || a.SHA256 != strings.ToLower(a.SHA256) {
		return fmt.Errorf("assets: %s: sha256 %.70q must be %d lower-case hex digits", a.File, a.SHA256, 2*sha256.Size)
	}
	return nil
}

// Find returns the asset named file.
func (m *Manifest) Find(file string) (Asset, bool) {
	for _, a := range m.Assets {
		if a.File == file {
			return a, true
		}
	}
	return Asset{}, false
}

// Verify checks that b, the contents of file, has the size and SHA-256 the
// manifest lists.
func (m *Manifest) Verify(file string, b []byte) error {
	a, ok := m.Find(file)
	if !ok {
		return fmt.Errorf("assets: %s is not in the manifest", file)
	}
	if int64(len(b)) != a.Bytes {
		return fmt.Errorf("assets: %s has %d bytes, manifest says %d", file, len(b), a.Bytes)
	}
	if h := Hash(b); h != a.SHA256 {
		return fmt.Errorf("assets: %s has SHA-256 %s, manifest says %s", file, h, a.SHA256)
	}
	return nil
}

// Checkpoints returns the checkpoints of network, sorted by epoch.
func (m *Manifest) Checkpoints(network string) []Asset {
	var cs []Asset
	for _, a := range m.Assets {
		if a.Kind == KindCheckpoint && a.Network == network {
			cs = append(cs, a)
		}
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].Epoch < cs[j].Epoch })
	return cs
}

// Upsert validates a and replaces the asset of the same file, or adds it,
// keeping the assets sorted by file name. A checkpoint later than its
// network's final epoch makes it the final one.
func (m *Manifest) Upsert(a Asset) error {
	if err := a.validate(); err != nil {
		return err
	}
	if a.Kind == KindCheckpoint {
		if m.Final == nil {
			m.Final = map[string]int{}
		}
		if f, ok := m.Final[a.Network]; !ok || a.Epoch > f {
			m.Final[a.Network] = a.Epoch
		}
	}
	i := sort.Search(len(m.Assets), func(i int) bool { return m.Assets[i].File >= a.File })
	if i < len(m.Assets) && m.Assets[i].File == a.File {
		m.Assets[i] = a
		return nil
	}
	m.Assets = append(m.Assets, Asset{})
	copy(m.Assets[i+1:], m.Assets[i:])
	m.Assets[i] = a
	return nil
}

// Marshal returns m as indented JSON.
func (m *Manifest) Marshal() []byte {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic(err) // a Manifest always marshals
	}
	return append(b, '\n')
}

// Hash returns the hex SHA-256 of b. It hashes in chunks, letting the
// browser draw between them (see pause).
func Hash(b []byte) string {
	h := sha256.New()
	for len(b) > 0 {
		n := min(len(b), chunk)
		h.Write(b[:n])
		b = b[n:]
		pause()
	}
	return hex.EncodeToString(h.Sum(nil))
}
