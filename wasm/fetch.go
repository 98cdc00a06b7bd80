//go:build js && wasm

package main

import (
	"fmt"
	"syscall/js"
)

// fetchModel is the page's pipeline.Fetcher: it fetches models/name with the
// browser's fetch and blocks the calling goroutine (never the frame loop)
// until the body has arrived. An asset the page prefetched is taken as is.
func fetchModel(name string) ([]byte, error) {
	if b, ok := takePrefetched(name); ok {
		return b, nil
	}
	url := "models/" + name
	res, err := await(js.Global().Call("fetch", url))
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %v", url, err)
	}
	if !res.Get("ok").Bool() {
		return nil, fmt.Errorf("fetching %s: HTTP %d", url, res.Get("status").Int())
	}
	buf, err := await(res.Call("arrayBuffer"))
	if err != nil {
		return nil, fmt.Errorf("fetching %s: reading the body: %v", url, err)
	}
	b := make([]byte, buf.Get("byteLength").Int())
	js.CopyBytesToGo(b, js.Global().Get("Uint8Array").New(buf))
	return b, nil
}

// takePrefetched returns and forgets window.annvisPrefetched[name], the
// bytes of an asset page.js fetched while the wasm was loading.
func takePrefetched(name string) ([]byte, bool) {
	pre := js.Global().Get("annvisPrefetched")
	if pre.Type() != js.TypeObject || pre.Get(name).Type() != js.TypeObject {
		return nil, false
	}
	u8 := pre.Get(name)
	pre.Delete(name)
	b := make([]byte, u8.Get("length").Int())
	js.CopyBytesToGo(b, u8)
	return b, true
}

// await blocks until the JS promise settles and returns its value, or its
// rejection reason as an error.
func await(promise js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	done := make(chan result, 1)
	onOK := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- result{v: args[0]}
		return nil
	})
	defer onOK.Release()
	onErr := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- result{err: jsError(args[0])}
		return nil
	})
	defer onErr.Release()
	promise.Call("then", onOK, onErr)
	r := <-done
	return r.v, r.err
}

// jsError turns a JS rejection reason into a Go error with its message.
func jsError(reason js.Value) error {
	if reason.Type() == js.TypeObject && reason.Get("message").Type() == js.TypeString {
		return fmt.Errorf("%s", reason.Get("message").String())
	}
	return fmt.Errorf("%s", reason.Call("toString").String())
}
