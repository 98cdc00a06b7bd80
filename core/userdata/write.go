package userdata

import (
	"archive/zip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// WritePublished writes s with its layouts l and without its activations
// as a .npz (NumPy's format 1.0 arrays in a zip archive, as numpy.savez
// writes) that ReadNPZ reads back as a published
// set: labels, predictions, images, the meta (class names, kind, stages,
// layouts) and one N×2 array of positions per stage.
func WritePublished(w io.Writer, s *Set, l *Layouts) error {
	if len(l.Positions) != len(s.Stages) || len(l.Quality) != len(s.Stages) {
		return errorf("%d stages, %d layouts and %d qualities", len(s.Stages), len(l.Positions), len(l.Quality))
	}
	m := Meta{Title: s.Title, Kind: s.Kind, SharedNeurons: s.Shared, ClassNames: s.ClassNames, Layouts: l}
	for _, st := range s.Stages {
		m.Stages = append(m.Stages, st.Name)
	}
	meta, err := json.Marshal(m)
	if err != nil {
		return errorf("%v", err)
	}
	z := zip.NewWriter(w)
	write := func(name, descr string, shape []int, data []byte) {
		if err == nil {
			err = writeNPY(z, name, descr, shape, data)
		}
	}
	text := utf32(string(meta))
	write(metaName, fmt.Sprintf("<U%d", len(text)/4), nil, text)
	write(labelsName, "|u1", []int{s.N()}, s.Labels)
	if s.Predicted != nil {
		write(predictedName, "|u1", []int{s.N()}, s.Predicted)
	}
	if im := s.Images; im != nil {
		write(imagesName, "|u1", []int{s.N(), im.H, im.W}, im.Pixels[:s.N()*im.H*im.W])
	}
	for k, pos := range l.Positions {
		data := make([]byte, 0, 8*len(pos))
		for _, x := range pos {
			data = binary.LittleEndian.AppendUint64(data, math.Float64bits(x))
		}
		write(fmt.Sprintf("%s%d", layoutPrefix, k), "<f8", []int{s.N(), 2}, data)
	}
	if err != nil {
		return errorf("writing: %v", err)
	}
	if err := z.Close(); err != nil {
		return errorf("writing: %v", err)
	}
	return nil
}

// writeNPY adds to z the array name.npy of dtype descr and shape (nil: a
// scalar) whose elements data holds, in NumPy's format 1.0: the header dict
// padded with spaces so that the data starts at a multiple of 64 bytes.
func writeNPY(z *zip.Writer, name, descr string, shape []int, data []byte) error {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = strconv.Itoa(d)
	}
	sh := strings.Join(dims, ", ")
	if len(shape) == 1 {
		sh += ","
	}
	hdr := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, sh)
	hdr += strings.Repeat(" ", 63-(len(npyMagic)+4+len(hdr))%64) + "\n"
	f, err := z.Create(name + ".npy")
	if err != nil {
		return err
	}
	b := append([]byte(npyMagic), 1, 0)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(hdr)))
	if _, err := f.Write(append(b, hdr...)); err != nil {
		return err
	}
	_, err = f.Write(data)
	return err
}

// utf32 returns s as NumPy stores a str: UCS-4, little-endian.
func utf32(s string) []byte {
	var b []byte
	for _, r := range s {
		b = binary.LittleEndian.AppendUint32(b, uint32(r))
	}
	return b
}
