//go:build !js

package assets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Update sets the size and SHA-256 of a from the file dir/a.File and upserts
// a into dir/manifest.json, creating the manifest if there is none.
func Update(dir string, a Asset) error {
	b, err := os.ReadFile(filepath.Join(dir, a.File))
	if err != nil {
		return fmt.Errorf("assets: %v", err)
	}
	a.Bytes, a.SHA256 = int64(len(b)), Hash(b)
	path := filepath.Join(dir, ManifestFile)
	m := &Manifest{Version: Version}
	if mb, err := os.ReadFile(path); err == nil {
		if m, err = ParseManifest(mb); err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("assets: %v", err)
	}
	if err := m.Upsert(a); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, m.Marshal(), 0o644); err != nil {
		return fmt.Errorf("assets: %v", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("assets: %v", err)
	}
	return nil
}
