package mnist

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"

	"github.com/klauspost/compress/zstd"
)

// The test-set asset (models/mnist-t10k.zst) is, before zstd compression:
//
//	0   8 bytes  magic "ANNVISTS"
//	8   uint16   format version (1), little-endian
//	10  uint32   count n, little-endian
//	14  uint8    rows (28), uint8 columns (28)
//	16  n bytes  labels 0…9
//	..  n×784    images, row-major, 0…255
//	..  uint32   CRC-32 (IEEE) of all preceding bytes, little-endian
const (
	assetMagic   = "ANNVISTS"
	assetVersion = 1
	assetHeader  = 16
)

// maxAsset bounds the decompressed size of an asset.
const maxAsset = assetHeader + maxCount*(Pixels+1) + 4

// EncodeAsset returns s as a zstd-compressed test-set asset.
func EncodeAsset(s *Set) ([]byte, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	if s.Len() > maxCount {
		return nil, fmt.Errorf("mnist: %d digits, at most %d fit an asset", s.Len(), maxCount)
	}
	raw := make([]byte, 0, assetHeader+len(s.Labels)+len(s.Images)+4)
	raw = append(raw, assetMagic...)
	raw = binary.LittleEndian.AppendUint16(raw, assetVersion)
	raw = binary.LittleEndian.AppendUint32(raw, uint32(s.Len()))
	raw = append(raw, Side, Side)
	raw = append(raw, s.Labels...)
	raw = append(raw, s.Images...)
	raw = binary.LittleEndian.AppendUint32(raw, crc32.ChecksumIEEE(raw))
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("mnist: %v", err)
	}
	return enc.EncodeAll(raw, nil), nil
}

// DecodeAsset decodes a test-set asset written by EncodeAsset.
func DecodeAsset(b []byte) (*Set, error) {
	raw, err := Unzstd(b, maxAsset)
	if err != nil {
		return nil, fmt.Errorf("mnist: asset: %v", err)
	}
	if len(raw) < assetHeader+4 {
		return nil, fmt.Errorf("mnist: asset: %d bytes, shorter than the %d-byte header", len(raw), assetHeader+4)
	}
	if string(raw[:8]) != assetMagic {
		return nil, fmt.Errorf("mnist: asset: magic %q, want %q", raw[:8], assetMagic)
	}
	if v := binary.LittleEndian.Uint16(raw[8:]); v != assetVersion {
		return nil, fmt.Errorf("mnist: asset: version %d, want %d", v, assetVersion)
	}
	n := int(binary.LittleEndian.Uint32(raw[10:]))
	if raw[14] != Side || raw[15] != Side {
		return nil, fmt.Errorf("mnist: asset: images are %d×%d, want %d×%d", raw[14], raw[15], Side, Side)
	}
	if want := assetHeader + n*(Pixels+1) + 4; n > maxCount || len(raw) != want {
		return nil, fmt.Errorf("mnist: asset: %d bytes for %d digits, want %d", len(raw), n, assetHeader+min(n, maxCount)*(Pixels+1)+4)
	}
	body := raw[:len(raw)-4]
	if got, want := crc32.ChecksumIEEE(body), binary.LittleEndian.Uint32(raw[len(body):]); got != want {
		return nil, fmt.Errorf("mnist: asset: CRC-32 %#08x, header says %#08x", got, want)
	}
	s := &Set{
		Labels: bytes.Clone(body[assetHeader : assetHeader+n]),
		Images: bytes.Clone(body[assetHeader+n:]),
	}
	return s, s.validate()
}

// Unzstd decompresses a whole zstd stream b, refusing output larger than max
// bytes. It runs on one goroutine, as it must in a browser.
func Unzstd(b []byte, max int) ([]byte, error) {
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(max)), zstd.WithDecoderMaxWindow(uint64(max)))
	if err != nil {
		return nil, err
	}
	defer dec.Close()
	return dec.DecodeAll(b, nil)
}
