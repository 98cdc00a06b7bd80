//go:build js && wasm

package main

import (
	"strconv"
	"syscall/js"

	"annvis/core/params"
)

// exportCanonical publishes window.annvisCanonical(query) → {query, error}:
// the page's controls validate with the same parser as the URL, so a bad
// value is reported with its rule before the page reloads.
func exportCanonical() {
	js.Global().Set("annvisCanonical", js.FuncOf(func(_ js.Value, args []js.Value) any {
		q := ""
		if len(args) > 0 {
			q = args[0].String()
		}
		p, err := params.Parse(q)
		if err != nil {
			return map[string]any{"query": "", "error": err.Error()}
		}
		return map[string]any{"query": p.Encode(), "error": ""}
	}))
}

// paramsObject is p as a JS object, for the page's controls.
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
