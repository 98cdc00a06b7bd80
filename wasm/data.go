//go:build js && wasm

package main

import (
	"fmt"
	"strings"
	"syscall/js"

	"annvis/core/userdata/limits"
)

// exportData publishes window.annvisOpenData(name, bytes[, name2, bytes2])
// → error message or "": the page's "your data" control hands it the bytes
// of the .npz files the user picked or dropped (docs/data-format.md); a
// second file takes the CNN's place (the compare view's right side, key m).
// The bytes stay in the browser: a worker reads their class names, then
// the view restarts on them and the workers compute every view on them
// (core/userdata); the reader's errors reach the error panel as a view's
// errors do.
func exportData(pg *page, pl *pool) {
	pg.annvis.Set("maxDataBytes", limits.Page.MaxFile())
	opened := 0 // files opened, so that a late answer about older ones is dropped
	js.Global().Set("annvisOpenData", js.FuncOf(func(_ js.Value, args []js.Value) any {
		var names []string
		var files []js.Value
		for i := 0; i+1 < len(args) && i < 4; i += 2 {
			name, data := args[i].String(), args[i+1]
			if data.Type() != js.TypeObject {
				return "annvisOpenData(name, bytes, …): bytes must be a Uint8Array"
			}
			if n := int64(data.Get("length").Int()); n > limits.Page.MaxFile() {
				return fmt.Sprintf("userdata: %s has %d bytes, more than the %d of the largest data set the page reads", name, n, limits.Page.MaxFile())
			}
			names, files = append(names, name), append(files, data)
		}
		if len(files) == 0 {
			return "annvisOpenData(name, bytes, …): no file"
		}
		opened++
		this := opened
		pl.classNames(files, func(a dataAnswer) {
			if this != opened {
				return // newer files were opened meanwhile
			}
			pl.data = files
			pl.dataID++
			pg.annvis.Set("data", strings.Join(names, " | "))
			pg.requestReopen(a.classes) // a file's error: the workers' reader reports it in the view
		})
		return ""
	}))
}

// openPublished has a worker fetch the data set name published by
// cmd/layouts -data (data/NAME.npz beside the page) and read its class
// names, keeps it for the pool's workers and returns its class names;
// without a name it does nothing.
func openPublished(name string, pl *pool) ([]string, error) {
	if name == "" {
		return nil, nil
	}
	answered := make(chan dataAnswer, 1)
	pl.fetchData("data/"+name+".npz", func(a dataAnswer) { answered <- a })
	a := <-answered
	if a.errs[0] != nil {
		return nil, a.errs[0]
	}
	pl.data, pl.dataID = a.files, 1
	js.Global().Get("annvis").Set("data", name)
	return a.classes[0], nil
}
