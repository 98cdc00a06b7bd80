//go:build js

package mnist

import (
	"errors"
	"os"
)

// LoadModule reads the "train" or "t10k" set from $MNIST_DIR, the GoMNIST
// module's data directory: under js/wasm the go command that locates the
// module cannot run.
func LoadModule(name string) (*Set, error) {
	dir := os.Getenv("MNIST_DIR")
	if dir == "" {
		return nil, errors.New("mnist: set MNIST_DIR to the GoMNIST data directory under js/wasm, which cannot run the go command")
	}
	return LoadDir(dir, name)
}
