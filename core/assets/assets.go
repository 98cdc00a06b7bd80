// Package assets holds the manifest of the files annvis ships in models/:
// the test set, the checkpoints and the precomputed layouts, each with its
// size and SHA-256 so that a loader can verify what it fetched.
package assets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Version is the manifest format version.
const Version = 1

// ManifestFile is the name of the manifest in the assets directory.
const ManifestFile = "manifest.json"

// Asset kinds.
const (
	KindTestSet    = "testset"
	KindCheckpoint = "checkpoint"
	KindLayouts    = "layouts"
	KindTrainSet   = "trainset" // training digits of the train view
)

// Asset describes one file of the assets directory.
type Asset struct {
	File     string  `json:"file"`               // name within the directory, e.g. "mlp-e20.zst"
	Kind     string  `json:"kind"`               // KindTestSet, KindTrainSet, KindCheckpoint or KindLayouts
	Network  string  `json:"network,omitempty"`  // "mlp" or "cnn"; empty for the digit sets
	Epoch    int     `json:"epoch"`              // checkpoints: epochs trained
	Accuracy float64 `json:"accuracy,omitempty"` // checkpoints: test accuracy, 0…1
	Bytes    int64   `json:"bytes"`              // file size
	SHA256   string  `json:"sha256"`             // hex SHA-256 of the file
}

// Manifest lists the assets, sorted by file name.
type Manifest struct {
	Version int     `json:"version"`
	Assets  []Asset `json:"assets"`
}

// ParseManifest decodes and validates a manifest.
func ParseManifest(b []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("assets: manifest: %v", err)
	}
	if m.Version != Version {
		return nil, fmt.Errorf("assets: manifest version %d, want %d", m.Version, Version)
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
	return &m, nil
}

// validate checks the fields of a.
func (a Asset) validate() error {
	switch {
	case a.File == "" || strings.ContainsAny(a.File, `/\`) || a.File == "." || a.File == "..":
		return fmt.Errorf("assets: file name %q must be a plain name", a.File)
	case a.Kind != KindTestSet && a.Kind != KindTrainSet && a.Kind != KindCheckpoint && a.Kind != KindLayouts:
		return fmt.Errorf("assets: %s: kind %q must be %q, %q, %q or %q", a.File, a.Kind, KindTestSet, KindTrainSet, KindCheckpoint, KindLayouts)
	case a.Kind != KindTestSet && a.Kind != KindTrainSet && a.Network != "mlp" && a.Network != "cnn":
		return fmt.Errorf("assets: %s: network %q must be \"mlp\" or \"cnn\"", a.File, a.Network)
	case a.Epoch < 0:
		return fmt.Errorf("assets: %s: epoch %d must be ≥ 0", a.File, a.Epoch)
	case !(a.Accuracy >= 0 && a.Accuracy <= 1):
		return fmt.Errorf("assets: %s: accuracy %g must be in [0, 1]", a.File, a.Accuracy)
	case a.Bytes < 0:
		return fmt.Errorf("assets: %s: size %d must be ≥ 0", a.File, a.Bytes)
	}
	if h, err := hex.DecodeString(a.SHA256); err != nil || len(h) != sha256.Size {
		return fmt.Errorf("assets: %s: sha256 %q must be %d hex digits", a.File, a.SHA256, 2*sha256.Size)
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
// keeping the assets sorted by file name.
func (m *Manifest) Upsert(a Asset) error {
	if err := a.validate(); err != nil {
		return err
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

// Hash returns the hex SHA-256 of b.
func Hash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
