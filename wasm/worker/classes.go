//go:build js && wasm

package main

import (
	"io"
	"syscall/js"

	"annvis/core/userdata"
)

// classNames posts to the page the class names of each of the user's .npz
// files (Uint8Arrays) and the error that kept a file's names from being read
// ("" if none): only their meta, class names and labels are read here; the
// view's job reads the rest.
func classNames(id int, files js.Value) {
	classes, errs := make([]any, files.Length()), make([]any, files.Length())
	for i := range files.Length() {
		u8 := files.Index(i)
		names, err := userdata.ClassNames(jsBytes{u8}, int64(u8.Get("length").Int()), userdata.Page)
		classes[i], errs[i] = stringsOf(names), ""
		if err != nil {
			errs[i] = err.Error()
		}
	}
	post(map[string]any{"id": id, "classes": classes, "errors": errs}, js.Undefined())
}

// stringsOf returns s as a JS array's elements.
func stringsOf(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// jsBytes reads a Uint8Array where asked, without copying it whole.
type jsBytes struct{ v js.Value }

// ReadAt implements io.ReaderAt.
func (b jsBytes) ReadAt(p []byte, off int64) (int, error) {
	size := int64(b.v.Get("length").Int())
	if off < 0 || off >= size {
		return 0, io.EOF
	}
	n := js.CopyBytesToGo(p, b.v.Call("subarray", off, min(off+int64(len(p)), size)))
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}
