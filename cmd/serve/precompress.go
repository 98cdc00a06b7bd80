package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// encoding is a content coding a file may be precompressed with: the
// variant of a file NAME is NAME+suffix.
type encoding struct {
	name, suffix string
}

// encodings are the precompressed variants Handler sends, in the order it
// prefers them when a request accepts several.
var encodings = []encoding{{"zstd", ".zst"}, {"gzip", ".gz"}}

// precompressed are the extensions of the files precompress compresses:
// the built programs, most of the page's bytes, and the page's typeface.
var precompressed = []string{".wasm", ".ttf"}

// zstdWindow is the largest zstd window browsers decode (RFC 9659: 8 MB);
// the encoder's best level uses no more.
const zstdWindow = 8 << 20

// precompress writes beside each file of dir with an extension in
// precompressed the variants Handler sends: NAME.zst (zstd, best level)
// and NAME.gz (gzip -9, for browsers without zstd), and writes a line per
// file to log.
func precompress(dir string, log io.Writer) error {
	for _, ext := range precompressed {
		names, err := filepath.Glob(filepath.Join(dir, "*"+ext))
		if err != nil {
			return fmt.Errorf("serve: %v", err)
		}
		for _, name := range names {
			if err := compressFile(name, log); err != nil {
				return fmt.Errorf("serve: precompressing %s: %v", name, err)
			}
		}
	}
	return nil
}

// compressFile writes the variants of the file name.
func compressFile(name string, log io.Writer) error {
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	zw, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithWindowSize(zstdWindow))
	if err != nil {
		return err
	}
	zst := zw.EncodeAll(b, nil)
	gz, err := gzipBest(b)
	if err != nil {
		return err
	}
	for _, v := range []struct {
		suffix string
		b      []byte
	}{{".zst", zst}, {".gz", gz}} {
		if err := os.WriteFile(name+v.suffix, v.b, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(log, "serve: %s %d bytes, zstd %d, gzip %d\n", filepath.Base(name), len(b), len(zst), len(gz))
	return nil
}

// gzipBest compresses b with gzip at its best level.
func gzipBest(b []byte) ([]byte, error) {
	var out bytes.Buffer
	w, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	err = w.Close()
	return out.Bytes(), err
}
