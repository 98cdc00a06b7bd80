//go:build js && wasm

package main

import (
	"strconv"
	"sync"
	"syscall/js"

	"annvis/core/params"
)

// exportControls publishes window.annvisApply(query) → {query, error} for
// the page's settings form: the query is validated with the same parser as
// the URL, so a bad value is reported with its rule; a good one is handed to
// the game at its next update (recomputing only what the change needs).
func exportControls(pg *page) {
	js.Global().Set("annvisApply", js.FuncOf(func(_ js.Value, args []js.Value) any {
		q := ""
		if len(args) > 0 {
			q = args[0].String()
		}
		p, err := pg.parse(q)
		if err != nil {
			return map[string]any{"query": "", "error": err.Error()}
		}
		pg.request(p)
		return map[string]any{"query": p.Encode(), "error": ""}
	}))
}

// exportExports publishes window.annvisExport(kind) → error message or "":
// the page's PNG and GIF buttons. The file arrives through
// annvisPage.exported once the frames are grabbed and encoded.
func exportExports(pg *page) {
	js.Global().Set("annvisExport", js.FuncOf(func(_ js.Value, args []js.Value) any {
		kind := ""
		if len(args) > 0 {
			kind = args[0].String()
		}
		if err := pg.requestExport(kind); err != nil {
			return err.Error()
		}
		return ""
	}))
}

// exportVisibility publishes window.annvisSetVisible(visible): page.js calls
// it when the page is scrolled out of view or into it (an embed in a course
// page) and when its tab is hidden or shown. Hidden, the game neither
// computes nor animates nor draws.
func exportVisibility(pg *page) {
	js.Global().Set("annvisSetVisible", js.FuncOf(func(_ js.Value, args []js.Value) any {
		pg.setVisible(len(args) == 0 || args[0].Truthy())
		return nil
	}))
	if v := js.Global().Get("annvis").Get("visible"); v.Type() == js.TypeBoolean && !v.Bool() {
		pg.setVisible(false) // hidden before the wasm started
	}
}

// paramsObject is p as a JS object, for the page's form.
func paramsObject(p params.Params) map[string]any {
	classes := make([]any, len(p.Classes))
	for i, on := range p.Classes {
		classes[i] = on
	}
	return map[string]any{
		"model": p.Model, "view": p.View, "layer": p.Layer, "n": p.N,
		"perplexity": p.Perplexity, "seed": strconv.FormatInt(p.Seed, 10), "method": p.Method,
		"lambda": p.Lambda, "classes": classes, "class": p.Class,
		"embed": p.Embed, "speed": p.Speed,
	}
}

// exportCrash publishes window.annvisCrash(kind), which stops the program
// on purpose ("panic": a panic in a new goroutine; "fatal": a runtime fatal
// error), so that the browser tests can check the page's crash panel.
func exportCrash() {
	js.Global().Set("annvisCrash", js.FuncOf(func(_ js.Value, args []js.Value) any {
		kind := ""
		if len(args) > 0 {
			kind = args[0].String()
		}
		go crash(kind)
		return nil
	}))
}

// crash stops the program as kind asks.
func crash(kind string) {
	if kind == "fatal" {
		var mu sync.Mutex
		mu.Unlock() // fatal error: sync: unlock of unlocked mutex
	}
	panic("annvisCrash: a crash asked for by the page")
}
