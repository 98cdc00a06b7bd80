//go:build !js

package assets

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ReadManifest reads and parses dir/manifest.json. A missing manifest gives
// an error that matches fs.ErrNotExist.
func ReadManifest(dir string) (*Manifest, error) {
	f, err := os.Open(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxManifestBytes+1))
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	return ParseManifest(b)
}

// Update sets the sizes and SHA-256 of a from the file dir/a.File and
// upserts a into dir/manifest.json, creating the manifest if there is none.
func Update(dir string, a Asset) error {
	b, err := os.ReadFile(filepath.Join(dir, a.File))
	if err != nil {
		return fmt.Errorf("assets: %v", err)
	}
	if err := Measure(&a, b); err != nil {
		return err
	}
	m, err := ReadManifest(dir)
	if errors.Is(err, fs.ErrNotExist) {
		m = &Manifest{Version: Version}
	} else if err != nil {
		return err
	}
	if err := m.Upsert(a); err != nil {
		return err
	}
	path := filepath.Join(dir, ManifestFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, m.Marshal(), 0o644); err != nil {
		return fmt.Errorf("assets: %v", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("assets: %v", err)
	}
	return nil
}
