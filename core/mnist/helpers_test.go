package mnist

import (
	"hash/crc32"

	"github.com/klauspost/compress/zstd"
)

// zstdOf compresses raw.
func zstdOf(raw []byte) []byte {
	enc, _ := zstd.NewWriter(nil)
	return enc.EncodeAll(raw, nil)
}

// crc returns the CRC-32 (IEEE) of b.
func crc(b []byte) uint32 { return crc32.ChecksumIEEE(b) }
