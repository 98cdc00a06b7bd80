// Package mnist holds the MNIST handwritten digits: decoding of the original
// IDX files (gzip-compressed or raw) and the compact zstd asset of the test set
// that annvis ships in models/.
package mnist

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
)

// Side is the width and height of a digit image in pixels, Pixels their product.
const Side, Pixels = 28, Side * Side

// Classes is the number of digit classes.
const Classes = 10

// maxCount bounds the number of digits a decoder accepts, so a corrupt
// header cannot make it allocate without limit.
const maxCount = 1 << 20

// Set is a set of labelled digits.
type Set struct {
	// Images holds Len() images of Pixels bytes each, row-major,
	// 0 = background … 255 = ink.
	Images []uint8
	// Labels holds the class 0…9 of each image.
	Labels []uint8
}

// Len returns the number of digits in s.
func (s *Set) Len() int { return len(s.Labels) }

// Image returns the pixels of digit i, a slice of s.Images.
func (s *Set) Image(i int) []uint8 { return s.Images[i*Pixels : (i+1)*Pixels] }

// Slice returns the digits [from, to) of s, sharing its memory.
func (s *Set) Slice(from, to int) *Set {
	return &Set{Images: s.Images[from*Pixels : to*Pixels], Labels: s.Labels[from:to]}
}

// validate checks that the lengths of s agree and every label is a class.
func (s *Set) validate() error {
	if len(s.Images) != len(s.Labels)*Pixels {
		return fmt.Errorf("mnist: %d image bytes for %d labels, want %d", len(s.Images), len(s.Labels), len(s.Labels)*Pixels)
	}
	for i, l := range s.Labels {
		if l >= Classes {
			return fmt.Errorf("mnist: label %d of digit %d is not a class 0…9", l, i)
		}
	}
	return nil
}

// IDX magic numbers: unsigned bytes with 1 (labels) or 3 (images) dimensions.
const (
	idxLabels = 0x00000801
	idxImages = 0x00000803
)

// ReadIDX reads a set from an IDX image file and an IDX label file, each
// either gzip-compressed or raw.
func ReadIDX(images, labels io.Reader) (*Set, error) {
	img, err := readIDX(images, idxImages, "images")
	if err != nil {
		return nil, err
	}
	lab, err := readIDX(labels, idxLabels, "labels")
	if err != nil {
		return nil, err
	}
	if len(img.dims) != 3 || img.dims[1] != Side || img.dims[2] != Side {
		return nil, fmt.Errorf("mnist: images are %v, want n×%d×%d", img.dims, Side, Side)
	}
	if img.dims[0] != lab.dims[0] {
		return nil, fmt.Errorf("mnist: %d images but %d labels", img.dims[0], lab.dims[0])
	}
	s := &Set{Images: img.data, Labels: lab.data}
	return s, s.validate()
}

// idx is one decoded IDX file.
type idx struct {
	dims []int
	data []uint8
}

// readIDX decodes one IDX file with the given magic number, gunzipping it
// first if it starts with the gzip signature.
func readIDX(r io.Reader, magic uint32, what string) (*idx, error) {
	br := bufio.NewReader(r)
	if sig, err := br.Peek(2); err == nil && bytes.Equal(sig, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("mnist: %s: %v", what, err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	var m uint32
	if err := binary.Read(br, binary.BigEndian, &m); err != nil {
		return nil, fmt.Errorf("mnist: %s: reading magic: %v", what, err)
	}
	if m != magic {
		return nil, fmt.Errorf("mnist: %s: magic %#08x, want %#08x", what, m, magic)
	}
	dims := make([]int, magic&0xff)
	size := 1
	for i := range dims {
		var d uint32
		if err := binary.Read(br, binary.BigEndian, &d); err != nil {
			return nil, fmt.Errorf("mnist: %s: reading dimension %d: %v", what, i, err)
		}
		dims[i] = int(d)
		size *= int(min(d, maxCount))
	}
	if dims[0] > maxCount || size > maxCount*Pixels {
		return nil, fmt.Errorf("mnist: %s: dimensions %v too large", what, dims)
	}
	// Read without preallocating: a short file must not cost the size its
	// header claims.
	data, err := io.ReadAll(io.LimitReader(br, int64(size)))
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: reading %d data bytes: %v", what, size, err)
	}
	if len(data) != size {
		return nil, fmt.Errorf("mnist: %s: %d data bytes, header says %d", what, len(data), size)
	}
	return &idx{dims: dims, data: data}, nil
}
