package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"annvis/core/assets"
)

// idxFile returns an IDX file with the given magic, dimensions and data.
func idxFile(magic uint32, dims []uint32, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, data...)
}

// gzipped returns b gzip-compressed.
func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func TestReadIDX(t *testing.T) {
	img := make([]byte, 2*Pixels)
	img[5], img[Pixels+7] = 200, 17
	images := idxFile(idxImages, []uint32{2, 28, 28}, img)
	labels := idxFile(idxLabels, []uint32{2}, []byte{3, 9})
	for _, tc := range []struct {
		name           string
		images, labels []byte
		err            string
	}{
		{name: "raw", images: images, labels: labels},
		{name: "gzip", images: gzipped(images), labels: gzipped(labels)},
		{name: "mixed", images: gzipped(images), labels: labels},
		{name: "empty", images: nil, labels: labels, err: "mnist: images: reading magic: EOF"},
		{name: "swapped", images: labels, labels: images, err: "mnist: images: magic 0x00000801, want 0x00000803"},
		{name: "short", images: images[:100], labels: labels, err: "mnist: images: 84 data bytes, header says 1568"},
		{name: "count", images: images, labels: idxFile(idxLabels, []uint32{1}, []byte{3}), err: "mnist: 2 images but 1 labels"},
		{name: "size", images: idxFile(idxImages, []uint32{1, 27, 28}, img[:27*28]), labels: labels, err: "mnist: images are [1 27 28], want n×28×28"},
		{name: "label", images: images, labels: idxFile(idxLabels, []uint32{2}, []byte{3, 10}), err: "mnist: label 10 of digit 1 is not a class 0…9"},
		{name: "huge", images: idxFile(idxImages, []uint32{1 << 30, 28, 28}, nil), labels: labels, err: "mnist: images: dimensions [1073741824 28 28] too large"},
		{name: "bad gzip", images: []byte{0x1f, 0x8b, 0}, labels: labels, err: "mnist: images: unexpected EOF"},
	} {
		s, err := ReadIDX(bytes.NewReader(tc.images), bytes.NewReader(tc.labels))
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if s.Len() != 2 || s.Labels[1] != 9 || s.Image(0)[5] != 200 || s.Image(1)[7] != 17 {
			t.Errorf("%s: decoded %d digits, labels %v", tc.name, s.Len(), s.Labels)
		}
	}
}

// rawAsset returns an uncompressed asset of two digits.
func rawAsset() []byte {
	b, _ := EncodeAsset(&Set{Images: make([]uint8, 2*Pixels), Labels: []uint8{4, 2}})
	raw, _ := assets.InflateAtMost(b, MaxAssetRaw)
	return raw
}

func TestDecodeAssetErrors(t *testing.T) {
	raw := rawAsset()
	edit := func(f func(b []byte)) []byte {
		b := bytes.Clone(raw)
		f(b)
		return zstdOf(b)
	}
	withCRC := func(f func(b []byte)) []byte {
		return edit(func(b []byte) {
			f(b)
			binary.LittleEndian.PutUint32(b[len(b)-4:], crc(b[:len(b)-4]))
		})
	}
	for _, tc := range []struct {
		name string
		in   []byte
		err  string
	}{
		{"not zstd", []byte("MNIST"), "mnist: asset: "},
		{"short", zstdOf(raw[:10]), "mnist: asset: 10 bytes, shorter than the 20-byte header"},
		{"magic", withCRC(func(b []byte) { b[7] = 'X' }), `mnist: asset: magic "ANNVISTX", want "ANNVISTS"`},
		{"version", withCRC(func(b []byte) { b[8] = 9 }), "mnist: asset: version 9, want 1"},
		{"side", withCRC(func(b []byte) { b[14] = 27 }), "mnist: asset: images are 27×28, want 28×28"},
		{"count", withCRC(func(b []byte) { b[10] = 3 }), "mnist: asset: 1590 bytes for 3 digits, want 2375"},
		{"crc", edit(func(b []byte) { b[20] = 1 }), "mnist: asset: CRC-32 "},
		{"label", withCRC(func(b []byte) { b[17] = 12 }), "mnist: label 12 of digit 1 is not a class 0…9"},
		{"count lie", withCRC(func(b []byte) { binary.LittleEndian.PutUint32(b[10:], 1<<20) }), "mnist: asset: header says 1048576 digits, must be 1…20000"},
		{"no digits", withCRC(func(b []byte) { binary.LittleEndian.PutUint32(b[10:], 0) }), "mnist: asset: header says 0 digits, must be 1…20000"},
		{"bomb", zstdOf(make([]byte, MaxAssetRaw+1)), "mnist: asset: inflates past 15700020 bytes"},
		{"truncated zstd", zstdOf(raw)[:40], "mnist: asset: the zstd stream is truncated"},
	} {
		_, err := DecodeAsset(tc.in)
		if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want %q…", tc.name, err, tc.err)
		}
	}
}

func FuzzDecodeAsset(f *testing.F) {
	raw := rawAsset()
	f.Add(zstdOf(raw))
	f.Add(zstdOf(raw[:30]))
	f.Add([]byte{})
	f.Add([]byte{0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeAsset(b)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "mnist: ") {
				t.Errorf("error without the package prefix: %v", err)
			}
			return
		}
		again, err := marshalAsset(s) // not compressed: a best-ratio encoder costs ~40 ms and 50 MB per input
		if err != nil {
			t.Fatal(err)
		}
		if d, err := ParseAsset(again); err != nil || !bytes.Equal(d.Images, s.Images) || !bytes.Equal(d.Labels, s.Labels) {
			t.Fatalf("re-encoded asset decodes to %v, %v", d, err)
		}
	})
}

// FuzzParseAsset fuzzes the test-set decoder behind decompression; the
// CRC is recomputed so that mutations reach the counts and labels.
func FuzzParseAsset(f *testing.F) {
	raw := rawAsset()
	f.Add(raw)
	f.Add(raw[:30])
	f.Add([]byte("ANNVISTS"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) > 4 {
			binary.LittleEndian.PutUint32(raw[len(raw)-4:], crc(raw[:len(raw)-4]))
		}
		s, err := ParseAsset(raw)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "mnist: ") {
				t.Errorf("error without the package prefix: %v", err)
			}
			return
		}
		if s.Len() < 1 || s.Len() > MaxAssetDigits || len(s.Images) != s.Len()*Pixels {
			t.Fatalf("parsed %d digits, %d pixels", s.Len(), len(s.Images))
		}
	})
}

func FuzzReadIDX(f *testing.F) {
	images := idxFile(idxImages, []uint32{1, 28, 28}, make([]byte, Pixels))
	labels := idxFile(idxLabels, []uint32{1}, []byte{7})
	f.Add(images, labels)
	f.Add(gzipped(images), gzipped(labels))
	f.Add(images[:20], labels)
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, images, labels []byte) {
		s, err := ReadIDX(bytes.NewReader(images), bytes.NewReader(labels))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "mnist: ") {
				t.Errorf("error without the package prefix: %v", err)
			}
			return
		}
		if len(s.Images) != s.Len()*Pixels {
			t.Fatalf("%d image bytes for %d digits", len(s.Images), s.Len())
		}
	})
}

func ExampleSet_Image() {
	s := &Set{Images: make([]uint8, 2*Pixels), Labels: []uint8{5, 0}}
	s.Image(1)[14*Side+14] = 255
	fmt.Println(s.Len(), s.Labels[1], len(s.Image(1)), s.Image(1)[14*Side+14])
	// Output: 2 0 784 255
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	img := make([]byte, 3*Pixels)
	img[Pixels+1] = 99
	for file, b := range map[string][]byte{
		"t10k-images-idx3-ubyte.gz": idxFile(idxImages, []uint32{3, 28, 28}, img),
		"t10k-labels-idx1-ubyte.gz": idxFile(idxLabels, []uint32{3}, []byte{7, 2, 1}),
	} {
		if err := os.WriteFile(filepath.Join(dir, file), gzipped(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := LoadDir(dir, "t10k")
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 3 || s.Labels[0] != 7 || s.Image(1)[1] != 99 {
		t.Errorf("loaded %d digits, labels %v", s.Len(), s.Labels)
	}
	for name, want := range map[string]string{
		"test":  `mnist: set "test": must be "train" or "t10k"`,
		"train": "mnist: open " + filepath.Join(dir, "train-images-idx3-ubyte.gz") + ": ",
	} {
		if _, err := LoadDir(dir, name); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("LoadDir(%q): error %v, want it to start with %q", name, err, want)
		}
	}
}
