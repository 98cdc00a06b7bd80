// Package wire writes and reads the fields of the binary messages that
// annvis's computing workers send: little-endian integers and floats, and
// length-prefixed byte strings. viewstate's updates and pipeline's
// training reports are made of them.
package wire

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Writer appends fields to B. The zero value is an empty message.
type Writer struct{ B []byte }

// Byte appends v.
func (w *Writer) Byte(v byte) { w.B = append(w.B, v) }

// Bool appends 1 for true, 0 for false.
func (w *Writer) Bool(v bool) {
	if v {
		w.Byte(1)
	} else {
		w.Byte(0)
	}
}

// U32 appends v, little-endian.
func (w *Writer) U32(v uint32) { w.B = binary.LittleEndian.AppendUint32(w.B, v) }

// F64 appends v's IEEE 754 bits, little-endian.
func (w *Writer) F64(v float64) { w.B = binary.LittleEndian.AppendUint64(w.B, math.Float64bits(v)) }

// Bytes appends v's length (U32), then v.
func (w *Writer) Bytes(v []byte) { w.U32(uint32(len(v))); w.B = append(w.B, v...) }

// Str appends s as Bytes does.
func (w *Writer) Str(s string) { w.Bytes([]byte(s)) }

// Reader reads fields from B. Its first error sticks: after it, B is empty
// and every read returns zero values, so a decoder may read a whole
// message and check Err once where its values do not matter before.
type Reader struct {
	B    []byte // what is left to read
	Err  error  // the first error
	Kind error  // wrapped by every error, saying what is read (nil: none)
}

// Fail records an error, formatted as by fmt.Errorf, unless one was
// recorded before.
func (r *Reader) Fail(format string, args ...any) {
	if r.Err != nil {
		return
	}
	if r.Kind != nil {
		format, args = "%w: "+format, append([]any{r.Kind}, args...)
	}
	r.Err = fmt.Errorf(format, args...)
	r.B = nil
}

// Take returns the next n bytes (a view into B), or fails.
func (r *Reader) Take(n int) []byte {
	if n < 0 || n > len(r.B) {
		r.Fail("%d bytes announced, %d left", n, len(r.B))
		return nil
	}
	v := r.B[:n:n]
	r.B = r.B[n:]
	return v
}

// Byte reads a byte.
func (r *Reader) Byte() byte {
	if v := r.Take(1); v != nil {
		return v[0]
	}
	return 0
}

// U32 reads a little-endian uint32 as an int.
func (r *Reader) U32() int {
	if v := r.Take(4); v != nil {
		return int(binary.LittleEndian.Uint32(v))
	}
	return 0
}

// F64 reads a little-endian float64.
func (r *Reader) F64() float64 {
	if v := r.Take(8); v != nil {
		return math.Float64frombits(binary.LittleEndian.Uint64(v))
	}
	return 0
}

// Bytes reads a length-prefixed byte string of want bytes (-1: any), as a
// copy; what names it in the error.
func (r *Reader) Bytes(what string, want int) []byte {
	n := r.U32()
	if want >= 0 && n != want && r.Err == nil {
		r.Fail("%s has %d bytes, want %d", what, n, want)
	}
	return append([]byte(nil), r.Take(n)...)
}
