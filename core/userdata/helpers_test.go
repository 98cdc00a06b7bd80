package userdata

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"testing"
)

// npyFile returns a .npy file of version 1.0 holding data, with the header
// NumPy writes for dtype and shape.
func npyFile(dtype string, shape []int, data []byte) []byte {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = fmt.Sprint(d)
	}
	sh := strings.Join(dims, ", ")
	if len(shape) == 1 {
		sh += ","
	}
	return npyRaw(fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", dtype, sh), data)
}

// npyRaw returns a .npy file of version 1.0 with the header dict hdr.
func npyRaw(hdr string, data []byte) []byte {
	h := hdr + " "
	for (10+len(h)+1)%64 != 0 {
		h += " "
	}
	h += "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(len(h)))
	b.WriteString(h)
	b.Write(data)
	return b.Bytes()
}

// f32 returns the little-endian bytes of v.
func f32(v ...float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// i64 returns the little-endian bytes of v.
func i64(v ...int64) []byte {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(x))
	}
	return b
}

// ramp returns n values 0, 1, …, each plus off.
func ramp(n int, off float32) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(i%97) + off
	}
	return v
}

// labelsOf returns n labels cycling over c classes.
func labelsOf(n, c int) []int64 {
	v := make([]int64, n)
	for i := range v {
		v[i] = int64(i % c)
	}
	return v
}

// file is one entry of a test archive.
type file struct {
	name string
	data []byte
}

// npz returns a zip archive of files, stored as numpy.savez does.
func npz(t testing.TB, files ...file) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, f := range files {
		fw, err := w.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(f.data)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// basic returns the files of a valid data set of n points in c classes
// with the given stages of d columns.
func basic(n, c, d int, stages ...string) []file {
	fs := []file{{"labels.npy", npyFile("<i8", []int{n}, i64(labelsOf(n, c)...))}}
	for k, s := range stages {
		fs = append(fs, file{s + ".npy", npyFile("<f4", []int{n, d}, f32(ramp(n*d, float32(k))...))})
	}
	return fs
}
