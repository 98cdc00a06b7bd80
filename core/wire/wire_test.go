package wire

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	var w Writer
	w.Byte(7)
	w.Bool(true)
	w.Bool(false)
	w.U32(1<<32 - 1)
	w.F64(-2.5)
	w.Str("digits")
	w.Bytes(nil)
	r := Reader{B: w.B}
	if b, t1, f := r.Byte(), r.Byte(), r.Byte(); b != 7 || t1 != 1 || f != 0 {
		t.Errorf("bytes %d %d %d", b, t1, f)
	}
	if u, f := r.U32(), r.F64(); u != 1<<32-1 || f != -2.5 {
		t.Errorf("u32 %d, f64 %v", u, f)
	}
	if s, e := r.Bytes("name", 6), r.Bytes("empty", -1); string(s) != "digits" || len(e) != 0 {
		t.Errorf("strings %q %q", s, e)
	}
	if r.Err != nil || len(r.B) != 0 {
		t.Errorf("error %v, %d bytes left", r.Err, len(r.B))
	}
}

func TestLittleEndian(t *testing.T) {
	var w Writer
	w.U32(0x04030201)
	w.F64(1)
	if want := []byte{1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f}; !slices.Equal(w.B, want) {
		t.Fatalf("% x, want % x", w.B, want)
	}
}

func TestFirstErrorSticks(t *testing.T) {
	kind := errors.New("viewstate: update")
	var w Writer
	w.Str("abc")
	w.U32(9)
	r := Reader{B: w.B, Kind: kind}
	if s := r.Bytes("label", 2); s != nil || r.Err == nil {
		t.Fatalf("a 3-byte string read as 2: %q, error %v", s, r.Err)
	}
	if got, want := r.Err.Error(), "viewstate: update: label has 3 bytes, want 2"; got != want || !errors.Is(r.Err, kind) {
		t.Errorf("error %q, want %q wrapping the kind", got, want)
	}
	if v := r.U32(); v != 0 || len(r.B) != 0 || r.Err.Error() != "viewstate: update: label has 3 bytes, want 2" {
		t.Errorf("after the error: read %d, %d bytes left, error %v", v, len(r.B), r.Err)
	}
}

func TestShortInput(t *testing.T) {
	for n, read := range []func(r *Reader){
		func(r *Reader) { r.Byte() }, func(r *Reader) { r.U32() }, func(r *Reader) { r.F64() },
		func(r *Reader) { r.Bytes("s", -1) },
	} {
		r := Reader{B: make([]byte, n)}
		read(&r)
		if r.Err == nil || r.Err.Error() != fmt.Sprintf("%d bytes announced, %d left", []int{1, 4, 8, 4}[n], n) {
			t.Errorf("read %d from %d bytes: error %v", n, n, r.Err)
		}
	}
	r := Reader{B: []byte{0xff, 0xff, 0xff, 0x7f}} // a length of 2^31-1
	if r.Bytes("s", -1); r.Err == nil {
		t.Error("a length past the message was read")
	}
}

func ExampleReader() {
	var w Writer
	w.U32(2)
	w.F64(0.5)
	w.F64(0.25)
	r := Reader{B: w.B, Kind: errors.New("example")}
	n := r.U32()
	for range n + 1 { // one too many
		fmt.Println(r.F64())
	}
	fmt.Println(r.Err)
	// Output:
	// 0.5
	// 0.25
	// 0
	// example: 8 bytes announced, 0 left
}
