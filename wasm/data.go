//go:build js && wasm

package main

import (
	"fmt"
	"syscall/js"

	"annvis/core/userdata"
)

// exportData publishes window.annvisOpenData(name, bytes) → error message
// or "": the page's "your data" control hands it the bytes of a .npz the
// user picked or dropped (docs/data-format.md). The bytes stay in the
// browser: the workers read them (core/userdata) and compute every view on
// them, and the reader's errors reach the error panel as a view's errors do.
func exportData(pg *page, pl *pool) {
	pg.annvis.Set("maxDataBytes", userdata.Page.MaxFile())
	js.Global().Set("annvisOpenData", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) < 2 || args[1].Type() != js.TypeObject {
			return "annvisOpenData(name, bytes): bytes must be a Uint8Array"
		}
		name, data := args[0].String(), args[1]
		if n := int64(data.Get("length").Int()); n > userdata.Page.MaxFile() {
			return fmt.Sprintf("userdata: %s has %d bytes, more than the %d of the largest data set the page reads", name, n, userdata.Page.MaxFile())
		}
		pl.data = data
		pl.dataID++
		pg.annvis.Set("data", name)
		pg.requestReopen()
		return ""
	}))
}
