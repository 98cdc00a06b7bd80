//go:build js && wasm

package main

import (
	"bytes"
	"fmt"
	"io"
	"syscall/js"

	"annvis/core/userdata"
	"annvis/wasm/jsfetch"
)

// classNames answers the page's request m for the class names of the
// user's .npz files: those it holds (files, Uint8Arrays) or the one
// cmd/layouts -data published at url, fetched here and handed to the page
// (transferred). The answer has per file its class names and the error
// that kept them from being read ("" if none): only their meta, class
// names and labels are read here; the view's job reads the rest.
func classNames(id int, m js.Value) {
	if url := m.Get("url"); url.Type() == js.TypeString {
		fetchData(id, url.String())
		return
	}
	files := m.Get("files")
	classes, errs := make([]any, files.Length()), make([]any, files.Length())
	for i := range files.Length() {
		u8 := files.Index(i)
		classes[i], errs[i] = readClasses(jsBytes{u8}, int64(u8.Get("length").Int()))
	}
	post(map[string]any{"id": id, "classes": classes, "errors": errs}, js.Undefined())
}

// fetchData fetches the published data set at url and posts it to the
// page with its class names, or why it could not.
func fetchData(id int, url string) {
	b, err := jsfetch.URL(url, userdata.Page.MaxFile())
	if err != nil {
		msg := fmt.Sprintf("userdata: %v (a data set published by cmd/layouts -data -out DIR is DIR/%s)", err, url)
		post(map[string]any{"id": id, "classes": []any{[]any{}}, "errors": []any{msg}}, js.Undefined())
		return
	}
	names, msg := readClasses(bytes.NewReader(b), int64(len(b)))
	u8 := uint8Array(b)
	post(map[string]any{"id": id, "classes": []any{names}, "errors": []any{msg}, "files": []any{u8}}, js.ValueOf([]any{u8.Get("buffer")}))
}

// readClasses returns the class names of the .npz file of size bytes r
// reads, as JS array elements, and the reader's error ("" if none).
func readClasses(r io.ReaderAt, size int64) (names []any, err string) {
	s, e := userdata.ClassNames(r, size, userdata.Page)
	if e != nil {
		return []any{}, e.Error()
	}
	names = make([]any, len(s))
	for i, v := range s {
		names[i] = v
	}
	return names, ""
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
