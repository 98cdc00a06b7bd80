package assets

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// zstdOf compresses raw as one zstd frame.
func zstdOf(raw []byte) []byte {
	enc, _ := zstd.NewWriter(nil)
	return enc.EncodeAll(raw, nil)
}

// streamed compresses raw without a content size in the frame header, so
// that only the decompressed bytes tell how large it is.
func streamed(raw []byte) []byte {
	var b bytes.Buffer
	enc, _ := zstd.NewWriter(&b, zstd.WithWindowSize(1<<20))
	enc.Write(raw)
	enc.Close()
	return b.Bytes()
}

func TestInflate(t *testing.T) {
	hello := []byte("hello, hello, hello")
	big := make([]byte, 4<<20)
	for _, tc := range []struct {
		name string
		in   []byte
		raw  int64
		err  string
	}{
		{"exact", zstdOf(hello), 19, ""},
		{"exact, streamed", streamed(hello), 19, ""},
		{"shorter than declared", zstdOf(hello), 20, "inflates to 19 bytes, 20 declared"},
		{"longer than declared", zstdOf(hello), 18, "inflates past 18 bytes"},
		{"bomb with a header", zstdOf(big), 1000, "inflates past 1000 bytes (its frame header says so)"},
		{"bomb without a header", streamed(big), 1 << 20, "inflates past 1048576 bytes"},
		{"window larger than declared", streamed(big), 1000, "inflates past 1000 bytes (its frame header asks for a larger window)"},
		{"not zstd", []byte("hello"), 5, "not a zstd stream (wrong magic number)"},
		{"empty", nil, 5, "inflates to 0 bytes, 5 declared"},
		{"truncated", zstdOf(hello)[:12], 19, "the zstd stream is truncated"},
		{"declared 0", zstdOf(hello), 0, "decompression limit 0 must be in 1…16777216"},
		{"declared too much", zstdOf(hello), MaxRawBytes + 1, "decompression limit 16777217 must be in 1…16777216"},
	} {
		out, err := Inflate(tc.in, tc.raw)
		switch {
		case tc.err == "" && (err != nil || !bytes.Equal(out, hello)):
			t.Errorf("%s: %q, %v", tc.name, out, err)
		case tc.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.err)):
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
		}
	}
}

func TestMeasure(t *testing.T) {
	a := Asset{File: "a.zst"}
	if err := Measure(&a, zstdOf([]byte("hello"))); err != nil || a.Raw != 5 || a.Bytes != int64(len(zstdOf([]byte("hello")))) {
		t.Errorf("Measure: %+v, %v", a, err)
	}
	if err := Measure(&a, make([]byte, MaxAssetBytes+1)); err == nil || !strings.Contains(err.Error(), "more than the 16777216 allowed") {
		t.Errorf("Measure of an oversized file: %v", err)
	}
}

func TestErrTooLarge(t *testing.T) {
	err := fmt.Errorf("%w: more than 5 bytes", ErrTooLarge)
	if !errors.Is(err, ErrTooLarge) {
		t.Error("a wrapped ErrTooLarge is not recognised")
	}
}

func FuzzInflate(f *testing.F) {
	f.Add(zstdOf([]byte("hello")), int64(5))
	f.Add(streamed(make([]byte, 5000)), int64(100))
	f.Add([]byte{0x28, 0xb5, 0x2f, 0xfd}, int64(9))
	f.Fuzz(func(t *testing.T, b []byte, raw int64) {
		raw = 1 + (raw&0x7fffffff)%(1<<20)
		out, err := Inflate(b, raw)
		if err == nil && int64(len(out)) != raw {
			t.Fatalf("Inflate(…, %d) returned %d bytes", raw, len(out))
		}
	})
}

func ExampleInflate() {
	b := zstdOf(bytes.Repeat([]byte("annvis "), 1000)) // 7,000 bytes, compressed to a few dozen
	raw, err := Inflate(b, 7000)
	fmt.Println(len(raw), err)
	_, err = Inflate(b, 100) // a manifest declaring 100 bytes
	fmt.Println(err)
	// Output:
	// 7000 <nil>
	// inflates past 100 bytes (its frame header says so)
}

// TestInflateBombMemory checks that a bomb costs about its declared size,
// however far it would inflate: a 256 MiB stream declared as the test
// set's 7,850,020 bytes allocates one buffer of that size and the
// decoder's few MiB.
func TestInflateBombMemory(t *testing.T) {
	const raw = 7850020
	b := streamed(make([]byte, 256<<20))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Inflate(b, raw)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.HasPrefix(err.Error(), "inflates past 7850020 bytes") {
		t.Fatalf("error %v", err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d compressed bytes of a 256 MiB bomb declared as %d: %.1f MiB allocated", len(b), raw, float64(alloc)/(1<<20))
	if alloc > 2*raw {
		t.Errorf("inflating the bomb allocated %d bytes, more than twice the declared size", alloc)
	}
}

// TestInflateAtMost checks the output of payloads smaller than, equal to
// and larger than the first buffer, at and just past the limit, and that a
// small payload costs about its size, not its limit.
func TestInflateAtMost(t *testing.T) {
	for _, n := range []int{1, firstBuffer - 1, firstBuffer, firstBuffer + 1, 3*firstBuffer + 7} {
		raw := noisy(n)
		in := zstdOf(raw)
		if out, err := InflateAtMost(in, int64(n)); err != nil || !bytes.Equal(out, raw) {
			t.Errorf("%d bytes at a limit of %d: %d bytes, %v", n, n, len(out), err)
		}
		if _, err := InflateAtMost(in, int64(n-1)); n > 1 && (err == nil || !strings.HasPrefix(err.Error(), fmt.Sprintf("inflates past %d bytes", n-1))) {
			t.Errorf("%d bytes at a limit of %d: %v", n, n-1, err)
		}
	}
	in := zstdOf([]byte("hello"))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	InflateAtMost(in, MaxRawBytes)
	runtime.ReadMemStats(&after)
	if allocs := after.TotalAlloc - before.TotalAlloc; allocs > 2*firstBuffer {
		t.Errorf("inflating 5 bytes at a limit of %d allocated %d bytes, want at most %d", MaxRawBytes, allocs, 2*firstBuffer)
	}
}

// noisy returns n bytes that compress a little: a repeating pattern
// with a counter.
func noisy(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*i>>7 + i%251)
	}
	return b
}

func TestCompress(t *testing.T) {
	raw := bytes.Repeat([]byte("annvis "), 1000)
	b, err := Compress(raw)
	if err != nil {
		t.Fatal(err)
	}
	var h zstd.Header
	if err := h.Decode(b); err != nil || !h.HasFCS || h.FrameContentSize != uint64(len(raw)) {
		t.Errorf("frame header %+v, %v: want it to declare %d bytes", h, err, len(raw))
	}
	if out, err := Inflate(b, int64(len(raw))); err != nil || !bytes.Equal(out, raw) {
		t.Errorf("round trip: %d bytes, %v", len(out), err)
	}
	if len(b) >= 100 {
		t.Errorf("7000 bytes of a repeated word compressed to %d bytes", len(b))
	}
}
