package mnist

import (
	"encoding/binary"
	"hash/crc32"
	"strings"
	"testing"
)

// limitAsset returns a decompressed digit asset of n digits whose labels are
// i mod 10, with the given image sides, and a correct CRC-32.
func limitAsset(n int, rows, cols byte) []byte {
	raw := []byte(assetMagic)
	raw = binary.LittleEndian.AppendUint16(raw, assetVersion)
	raw = binary.LittleEndian.AppendUint32(raw, uint32(n))
	raw = append(raw, rows, cols)
	for i := range n {
		raw = append(raw, byte(i%10))
	}
	raw = append(raw, make([]byte, n*Pixels)...)
	return binary.LittleEndian.AppendUint32(raw, crc32.ChecksumIEEE(raw))
}

// TestAssetLimits parses digit assets at and just beyond every documented
// limit: 1…MaxAssetDigits digits, 28×28 images, labels 0…9, exact length.
func TestAssetLimits(t *testing.T) {
	withCRC := func(raw []byte) []byte {
		body := raw[:len(raw)-4]
		binary.LittleEndian.PutUint32(raw[len(body):], crc32.ChecksumIEEE(body))
		return raw
	}
	for _, tc := range []struct {
		name string
		raw  []byte
		want string // "" → accepted
	}{
		{"1 digit", limitAsset(1, Side, Side), ""},
		{"MaxAssetDigits", limitAsset(MaxAssetDigits, Side, Side), ""},
		{"MaxAssetDigits + 1", limitAsset(MaxAssetDigits+1, Side, Side), "header says 20001 digits, must be 1…20000"},
		{"no digit", limitAsset(0, Side, Side), "header says 0 digits"},
		{"27 rows", limitAsset(3, Side-1, Side), "images are 27×28, want 28×28"},
		{"29 columns", limitAsset(3, Side, Side+1), "images are 28×29, want 28×28"},
		{"label 10", func() []byte { r := limitAsset(3, Side, Side); r[assetHeader+2] = 10; return withCRC(r) }(), "label 10 of digit 2 is not a class 0…9"},
		{"one byte more", func() []byte { r := limitAsset(3, Side, Side); return withCRC(append(r, 0)) }(), "bytes for 3 digits, want"},
		{"one byte less", func() []byte { r := limitAsset(3, Side, Side); return withCRC(r[:len(r)-1]) }(), "bytes for 3 digits, want"},
		{"header only", limitAsset(3, Side, Side)[:assetHeader+3], "shorter than the 20-byte header"},
	} {
		s, err := ParseAsset(tc.raw)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v, want it accepted", tc.name, err)
		case tc.want == "" && s.Len() != (len(tc.raw)-assetHeader-4)/(Pixels+1):
			t.Errorf("%s: %d digits decoded", tc.name, s.Len())
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if len(limitAsset(MaxAssetDigits, Side, Side)) != MaxAssetRaw {
		t.Errorf("an asset of MaxAssetDigits digits is not MaxAssetRaw = %d bytes", MaxAssetRaw)
	}
}
