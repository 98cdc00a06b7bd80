package assets

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/klauspost/compress/zstd"
)

// ErrTooLarge is wrapped by the error of a download that was abandoned
// because the file has more bytes than the manifest says.
var ErrTooLarge = errors.New("larger than manifest.json says")

// chunk is how many bytes are hashed or inflated between two pauses.
const chunk = 256 << 10

// Inflate decompresses the zstd stream b, which must inflate to exactly raw
// bytes (1…MaxRawBytes), as a manifest declares. It stops as soon as the
// output passes raw bytes, never lets the decoder's window exceed raw, and
// pauses between chunks so that a browser keeps drawing.
func Inflate(b []byte, raw int64) ([]byte, error) {
	out, err := inflate(b, raw, raw+1) // one buffer of the declared size
	if err == nil && int64(len(out)) != raw {
		err = fmt.Errorf("inflates to %d bytes, %d declared", len(out), raw)
	}
	return out, err
}

// InflateAtMost decompresses the zstd stream b, failing as soon as the
// output passes limit bytes (1…MaxRawBytes): for decoders that know their
// format's largest size but not the manifest's declaration. Its buffer
// starts at firstBuffer bytes and doubles as the output grows, so that a
// small payload costs little whatever the limit.
func InflateAtMost(b []byte, limit int64) ([]byte, error) {
	return inflate(b, limit, min(limit+1, firstBuffer))
}

// firstBuffer is the capacity InflateAtMost's output starts with.
const firstBuffer = 64 << 10

// inflate is InflateAtMost with an output buffer of capacity size to start with.
func inflate(b []byte, limit, size int64) ([]byte, error) {
	if limit < 1 || limit > MaxRawBytes {
		return nil, fmt.Errorf("decompression limit %d must be in 1…%d", limit, MaxRawBytes)
	}
	window := max(uint64(limit), zstd.MinWindowSize)
	dec, err := zstd.NewReader(bytes.NewReader(b), zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderMaxMemory(window), zstd.WithDecoderMaxWindow(window), zstd.WithDecoderLowmem(true))
	if err != nil {
		return nil, err
	}
	defer dec.Close()
	out := make([]byte, 0, size)
	lim := io.LimitReader(dec, limit+1)
	for {
		if len(out) == cap(out) { // grow, never past limit+1 bytes
			out = slices.Grow(out, int(min(int64(cap(out)), limit+1-int64(cap(out)))))
		}
		n, err := lim.Read(out[len(out):min(cap(out), len(out)+chunk)])
		out = out[:len(out)+n]
		if int64(len(out)) > limit {
			return nil, fmt.Errorf("inflates past %d bytes", limit)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, describe(err, limit)
		}
		pause()
	}
	return out, nil
}

// describe says what a zstd error means for the file.
func describe(err error, limit int64) error {
	if errors.Is(err, zstd.ErrMagicMismatch) {
		return errors.New("not a zstd stream (wrong magic number)")
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("the zstd stream is truncated")
	}
	if errors.Is(err, zstd.ErrDecoderSizeExceeded) {
		return fmt.Errorf("inflates past %d bytes (its frame header says so)", limit)
	}
	if errors.Is(err, zstd.ErrWindowSizeExceeded) {
		return fmt.Errorf("inflates past %d bytes (its frame header asks for a larger window)", limit)
	}
	return fmt.Errorf("the zstd stream is damaged: %v", err)
}

// Compress zstd-compresses raw at the best ratio into one frame that
// declares its size, as every asset of models/ is written. It builds an
// encoder per call (about 50 MB, freed after): callers compress rarely.
func Compress(raw []byte) ([]byte, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	defer enc.Close()
	return enc.EncodeAll(raw, nil), nil
}

// Measure sets a's compressed size, decompressed size and SHA-256 from b,
// its contents, and checks that both sizes are within the limits.
func Measure(a *Asset, b []byte) error {
	if len(b) > MaxAssetBytes {
		return fmt.Errorf("assets: %s has %d bytes, more than the %d allowed", a.File, len(b), MaxAssetBytes)
	}
	raw, err := InflateAtMost(b, MaxRawBytes)
	if err != nil {
		return fmt.Errorf("assets: %s: %w", a.File, err)
	}
	a.Bytes, a.Raw, a.SHA256 = int64(len(b)), int64(len(raw)), Hash(b)
	return nil
}
