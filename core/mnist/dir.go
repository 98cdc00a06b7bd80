package mnist

import (
	"fmt"
	"os"
	"path/filepath"
)

// LoadDir reads the "train" or "t10k" set from dir, a directory holding the
// gzipped IDX files name-images-idx3-ubyte.gz and name-labels-idx1-ubyte.gz,
// such as the GoMNIST module's data directory.
func LoadDir(dir, name string) (*Set, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	images, err := os.Open(filepath.Join(dir, name+"-images-idx3-ubyte.gz"))
	if err != nil {
		return nil, fmt.Errorf("mnist: %v", err)
	}
	defer images.Close()
	labels, err := os.Open(filepath.Join(dir, name+"-labels-idx1-ubyte.gz"))
	if err != nil {
		return nil, fmt.Errorf("mnist: %v", err)
	}
	defer labels.Close()
	return ReadIDX(images, labels)
}

// checkName reports whether name is a set of MNIST, "train" or "t10k".
func checkName(name string) error {
	if name != "train" && name != "t10k" {
		return fmt.Errorf("mnist: set %q: must be \"train\" or \"t10k\"", name)
	}
	return nil
}
