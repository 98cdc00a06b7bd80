//go:build !js

package assets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUpdate(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.zst"), zstdOf([]byte("hello")), 0o644); err != nil {
		t.Fatal(err)
	}
	a := Asset{File: "a.zst", Kind: KindLayouts, Network: "cnn"}
	if err := Update(dir, a); err != nil {
		t.Fatal(err)
	}
	again := zstdOf([]byte("hello!"))
	if err := os.WriteFile(filepath.Join(dir, "a.zst"), again, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Update(dir, a); err != nil { // replaces the entry
		t.Fatal(err)
	}
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Assets) != 1 || m.Verify("a.zst", again) != nil || m.Assets[0].Raw != 6 {
		t.Errorf("manifest after two updates: %s", m.Marshal())
	}
	if err := os.WriteFile(filepath.Join(dir, "b.zst"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Update(dir, Asset{File: "b.zst", Kind: KindLayouts, Network: "cnn"}); err == nil || err.Error() != "assets: b.zst: not a zstd stream (wrong magic number)" {
		t.Errorf("Update of a file that is not zstd: error %v", err)
	}
	if err := Update(dir, Asset{File: "missing.zst", Kind: KindLayouts, Network: "cnn"}); err == nil || !strings.HasPrefix(err.Error(), "assets: ") {
		t.Errorf("Update of a missing file: error %v", err)
	}
}
