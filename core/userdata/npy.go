package userdata

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"

	"codeberg.org/sbinet/npyio/npy"

	"annvis/core/userdata/limits"
)

// MaxHeader is the largest .npy header accepted, in bytes (NumPy writes
// fewer than 200 for the arrays of this format).
const MaxHeader = limits.MaxHeader

// MaxImageSide bounds the height and width of the images.
const MaxImageSide = 256

// MaxText bounds the characters of a class name and of the meta string.
const MaxText, MaxMeta = 64, 64 << 10

// npyMagic starts every .npy file.
var npyMagic = []byte("\x93NUMPY")

// headerRE is the header NumPy writes (numpy.lib.format): a dict of descr,
// fortran_order and shape, in this order, padded with spaces to a newline.
// A header that matches it is one npyio's parser reads safely.
var headerRE = regexp.MustCompile(`^\{'descr': '([<>|=])([fiubUS])([0-9]{1,6})', 'fortran_order': (True|False), 'shape': \(((?:[0-9]{1,10}, ?)*(?:[0-9]{1,10})?)\), \} *\n$`)

// array is an opened .npy array whose header has been checked.
type array struct {
	name    string // the array's name, for errors
	order   byte   // '<', '>', '|' or '='
	kind    byte   // 'f', 'i', 'u', 'b', 'U' or 'S'
	size    int    // bytes per element (4 per character of U)
	fortran bool   // column-major
	shape   []int  // each ≤ the limits checked by the caller
	rd      *npy.Reader
	rest    io.Reader // what follows the header
}

// dtype returns the NumPy type string, e.g. "<f4".
func (a *array) dtype() string {
	if a.kind == 'U' {
		return fmt.Sprintf("%c%c%d", a.order, a.kind, a.size/4)
	}
	return fmt.Sprintf("%c%c%d", a.order, a.kind, a.size)
}

// elems returns the number of elements.
func (a *array) elems() int64 {
	n := int64(1)
	for _, d := range a.shape {
		n *= int64(d)
	}
	return n
}

// openNPY reads and checks the header of the .npy stream r, whose size is
// declared (−1 when unknown), of at most maxValues elements: neither
// the header nor the data is allocated before its size is known to be bounded.
func openNPY(r io.Reader, name string, declared int64, maxValues int64) (*array, error) {
	pre := make([]byte, 12)
	if _, err := io.ReadFull(r, pre[:8]); err != nil || !bytes.Equal(pre[:6], npyMagic) {
		return nil, errorf("array %q is not a .npy array (no \\x93NUMPY magic)", name)
	}
	var hl int
	switch pre[6] {
	case 1:
		pre = pre[:10]
		if _, err := io.ReadFull(r, pre[8:]); err != nil {
			return nil, errorf("array %q: truncated .npy header", name)
		}
		hl = int(binary.LittleEndian.Uint16(pre[8:]))
	case 2:
		if _, err := io.ReadFull(r, pre[8:]); err != nil {
			return nil, errorf("array %q: truncated .npy header", name)
		}
		hl = int(min(binary.LittleEndian.Uint32(pre[8:]), MaxHeader+1))
	default:
		return nil, errorf("array %q: .npy format version %d.%d, only 1.0 and 2.0 are read", name, pre[6], pre[7])
	}
	if hl > MaxHeader {
		return nil, errorf("array %q: .npy header longer than %d bytes", name, MaxHeader)
	}
	hdr := make([]byte, hl)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, errorf("array %q: truncated .npy header", name)
	}
	a, err := parseHeader(hdr, name, maxValues)
	if err != nil {
		return nil, err
	}
	if want := int64(len(pre)+hl) + a.elems()*int64(a.size); declared >= 0 && declared != want {
		return nil, errorf("array %q: its file has %d bytes, its header (%s %v) says %d", name, declared, a.dtype(), a.shape, want)
	}
	a.rest = bufio.NewReader(r)
	a.rd, err = npy.NewReader(io.MultiReader(bytes.NewReader(pre), bytes.NewReader(hdr), a.rest))
	if err != nil {
		return nil, errorf("array %q: %v", name, err)
	}
	return a, nil
}

// parseHeader checks a header against headerRE and bounds its elements.
func parseHeader(hdr []byte, name string, maxValues int64) (*array, error) {
	m := headerRE.FindSubmatch(hdr)
	if m == nil {
		return nil, errorf("array %q: malformed .npy header %.80q", name, hdr)
	}
	a := &array{name: name, order: m[1][0], kind: m[2][0], fortran: string(m[4]) == "True"}
	a.size, _ = strconv.Atoi(string(m[3]))
	if a.kind == 'U' { // UCS-4 characters
		a.size *= 4
	}
	n := int64(1)
	for _, f := range bytes.Split(m[5], []byte(",")) {
		f = bytes.TrimSpace(f)
		if len(f) == 0 {
			continue
		}
		d, _ := strconv.ParseInt(string(f), 10, 64)
		if d > 0 && n > maxValues/d || n*d > maxValues {
			return nil, errorf("array %q: shape (%s) holds more than %d values", name, m[5], maxValues)
		}
		n *= d
		a.shape = append(a.shape, int(d))
	}
	switch {
	case len(a.shape) > 4:
		return nil, errorf("array %q: rank %d, at most 4", name, len(a.shape))
	case a.fortran && len(a.shape) > 2:
		return nil, errorf("array %q: Fortran-order array of rank %d; save np.ascontiguousarray(…) of it", name, len(a.shape))
	}
	return a, nil
}

// finish reports truncated data or bytes after the array's last element.
func (a *array) finish(err error) error {
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return errorf("array %q: data truncated (%s %v)", a.name, a.dtype(), a.shape)
	case err != nil:
		return errorf("array %q: %v", a.name, err)
	}
	if n, _ := a.rest.Read(make([]byte, 1)); n > 0 {
		return errorf("array %q: bytes after its %d elements", a.name, a.elems())
	}
	return nil
}

// floats reads a float32 or float64 array as float32, row-major.
func (a *array) floats() ([]float32, error) {
	out := make([]float32, a.elems())
	switch a.dtype()[1:] {
	case "f4":
		if err := a.finish(a.rd.Read(&out)); err != nil {
			return nil, err
		}
	case "f8":
		f64 := make([]float64, len(out))
		if err := a.finish(a.rd.Read(&f64)); err != nil {
			return nil, err
		}
		for i, v := range f64 {
			out[i] = float32(v)
			if math.IsInf(float64(out[i]), 0) && !math.IsInf(v, 0) {
				return nil, errorf("array %q: value %g at element %d is beyond float32", a.name, v, i)
			}
		}
	default:
		return nil, errorf("array %q: dtype %s, want float32 or float64", a.name, a.dtype())
	}
	return rowMajor(a, out), nil
}

// ints reads an integer array as int64, row-major.
func (a *array) ints() ([]int64, error) {
	n := a.elems()
	var err error
	out := make([]int64, n)
	switch a.dtype()[1:] {
	case "i1":
		v := make([]int8, n)
		err = a.rd.Read(&v)
		widen(out, v)
	case "i2":
		v := make([]int16, n)
		err = a.rd.Read(&v)
		widen(out, v)
	case "i4":
		v := make([]int32, n)
		err = a.rd.Read(&v)
		widen(out, v)
	case "i8":
		err = a.rd.Read(&out)
	case "u1":
		v := make([]uint8, n)
		err = a.rd.Read(&v)
		widen(out, v)
	case "u2":
		v := make([]uint16, n)
		err = a.rd.Read(&v)
		widen(out, v)
	case "u4":
		v := make([]uint32, n)
		err = a.rd.Read(&v)
		widen(out, v)
	case "u8":
		v := make([]uint64, n)
		err = a.rd.Read(&v)
		for i, x := range v {
			out[i] = int64(min(x, math.MaxInt64))
		}
	default:
		return nil, errorf("array %q: dtype %s, want integers", a.name, a.dtype())
	}
	if err := a.finish(err); err != nil {
		return nil, err
	}
	return rowMajor(a, out), nil
}

func widen[T int8 | int16 | int32 | uint8 | uint16 | uint32](dst []int64, src []T) {
	for i, v := range src {
		dst[i] = int64(v)
	}
}

// strings reads a string array (dtype U or S of at most max characters).
func (a *array) strings(max int) ([]string, error) {
	chars := a.size
	if a.kind == 'U' {
		chars /= 4
	}
	switch {
	case a.kind != 'U' && a.kind != 'S':
		return nil, errorf("array %q: dtype %s, want strings", a.name, a.dtype())
	case chars > max:
		return nil, errorf("array %q: strings of %d characters, at most %d", a.name, chars, max)
	}
	if len(a.shape) == 0 {
		var s string
		if err := a.finish(a.rd.Read(&s)); err != nil {
			return nil, err
		}
		return []string{s}, nil
	}
	out := make([]string, 0, a.elems())
	if err := a.finish(a.rd.Read(&out)); err != nil {
		return nil, err
	}
	if int64(len(out)) != a.elems() {
		return nil, errorf("array %q: %d strings read, its shape says %d", a.name, len(out), a.elems())
	}
	return out, nil
}

// rowMajor reorders the elements of a Fortran-order (column-major) 2-D
// array row-major; other arrays are returned as they are (a Fortran-order
// array of higher rank is refused by the callers' shape checks first).
func rowMajor[T any](a *array, v []T) []T {
	if !a.fortran || len(a.shape) != 2 {
		return v
	}
	r, c := a.shape[0], a.shape[1]
	out := make([]T, len(v))
	for j := range c {
		for i := range r {
			out[i*c+j] = v[j*r+i]
		}
	}
	return out
}
