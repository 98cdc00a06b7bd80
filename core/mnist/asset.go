package mnist

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"

	"annvis/core/assets"
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

// MaxAssetDigits is the most digits an asset may hold: the 20,000
// training digits of the train view (the test set holds 10,000). A header
// announcing more is rejected before anything is allocated.
const MaxAssetDigits = 20000

// MaxAssetRaw is the largest decompressed digit asset (MaxAssetDigits
// digits), 15,700,020 bytes: the limit DecodeAsset inflates to.
const MaxAssetRaw = assetHeader + MaxAssetDigits*(Pixels+1) + 4

// TestSetRaw is the size of the decompressed test set, 10,000 digits
// (7,850,020 bytes): the most a manifest may declare for it.
const TestSetRaw = assetHeader + 10000*(Pixels+1) + 4

// EncodeAsset returns s as a zstd-compressed test-set asset.
func EncodeAsset(s *Set) ([]byte, error) {
	raw, err := marshalAsset(s)
	if err != nil {
		return nil, err
	}
	return assets.Compress(raw)
}

// marshalAsset validates s and returns the asset's payload before compression.
func marshalAsset(s *Set) ([]byte, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	if s.Len() < 1 || s.Len() > MaxAssetDigits {
		return nil, fmt.Errorf("mnist: %d digits, an asset holds 1…%d", s.Len(), MaxAssetDigits)
	}
	raw := make([]byte, 0, assetHeader+len(s.Labels)+len(s.Images)+4)
	raw = append(raw, assetMagic...)
	raw = binary.LittleEndian.AppendUint16(raw, assetVersion)
	raw = binary.LittleEndian.AppendUint32(raw, uint32(s.Len()))
	raw = append(raw, Side, Side)
	raw = append(raw, s.Labels...)
	raw = append(raw, s.Images...)
	return binary.LittleEndian.AppendUint32(raw, crc32.ChecksumIEEE(raw)), nil
}

// DecodeAsset decodes a test-set asset written by EncodeAsset, inflating it
// to at most MaxAssetRaw bytes.
func DecodeAsset(b []byte) (*Set, error) {
	raw, err := assets.InflateAtMost(b, MaxAssetRaw)
	if err != nil {
		return nil, fmt.Errorf("mnist: asset: %v", err)
	}
	return ParseAsset(raw)
}

// ParseAsset decodes a decompressed test-set asset, checking its magic,
// version, image size, digit count (at most MaxAssetDigits, before any
// allocation), length, labels and CRC-32.
func ParseAsset(raw []byte) (*Set, error) {
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
	if n < 1 || n > MaxAssetDigits {
		return nil, fmt.Errorf("mnist: asset: header says %d digits, must be 1…%d", n, MaxAssetDigits)
	}
	if raw[14] != Side || raw[15] != Side {
		return nil, fmt.Errorf("mnist: asset: images are %d×%d, want %d×%d", raw[14], raw[15], Side, Side)
	}
	if want := assetHeader + n*(Pixels+1) + 4; len(raw) != want {
		return nil, fmt.Errorf("mnist: asset: %d bytes for %d digits, want %d", len(raw), n, want)
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
