//go:build js && wasm

package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"syscall/js"

	"annvis/core/userdata"
	"annvis/wasm/jsfetch"
)

// exportData publishes window.annvisOpenData(name, bytes[, name2, bytes2])
// → error message or "": the page's "your data" control hands it the bytes
// of the .npz files the user picked or dropped (docs/data-format.md); a
// second file takes the CNN's place (the compare view's right side, key m).
// The bytes stay in the browser: the workers read them (core/userdata) and
// compute every view on them, and the reader's errors reach the error panel
// as a view's errors do.
func exportData(pg *page, pl *pool) {
	pg.annvis.Set("maxDataBytes", userdata.Page.MaxFile())
	js.Global().Set("annvisOpenData", js.FuncOf(func(_ js.Value, args []js.Value) any {
		var names []string
		var files []js.Value
		var classes [][]string
		for i := 0; i+1 < len(args) && i < 4; i += 2 {
			name, data := args[i].String(), args[i+1]
			if data.Type() != js.TypeObject {
				return "annvisOpenData(name, bytes, …): bytes must be a Uint8Array"
			}
			if n := int64(data.Get("length").Int()); n > userdata.Page.MaxFile() {
				return fmt.Sprintf("userdata: %s has %d bytes, more than the %d of the largest data set the page reads", name, n, userdata.Page.MaxFile())
			}
			c, err := userdata.ClassNames(jsBytes{data}, int64(data.Get("length").Int()), userdata.Page) // the workers read the rest
			if err != nil {
				c = []string{} // the workers' reader reports err in the view
			}
			names, files, classes = append(names, name), append(files, data), append(classes, c)
		}
		if len(files) == 0 {
			return "annvisOpenData(name, bytes, …): no file"
		}
		pl.data = files
		pl.dataID++
		pg.annvis.Set("data", strings.Join(names, " | "))
		pg.requestReopen(classes)
		return ""
	}))
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

// openPublished fetches the data set name published by cmd/layouts -data
// (data/NAME.npz beside the page) for the pool's workers, and returns its
// class names; without a name it does nothing.
func openPublished(name string, pl *pool) ([]string, error) {
	if name == "" {
		return nil, nil
	}
	url := "data/" + name + ".npz"
	b, err := jsfetch.URL(url, userdata.Page.MaxFile())
	if err != nil {
		return nil, fmt.Errorf("userdata: %v (a data set published by cmd/layouts -data -out DIR is DIR/%s)", err, url)
	}
	classes, err := userdata.ClassNames(bytes.NewReader(b), int64(len(b)), userdata.Page)
	if err != nil {
		return nil, err
	}
	u8 := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u8, b)
	pl.data, pl.dataID = []js.Value{u8}, 1
	js.Global().Get("annvis").Set("data", name)
	return classes, nil
}
