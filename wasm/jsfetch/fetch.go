//go:build js && wasm

// Package jsfetch fetches annvis's assets with the browser's fetch, from a
// page or a Web Worker: streamed, bounded by the manifest's sizes, and
// blocking only the calling goroutine.
package jsfetch

import (
	"fmt"
	"slices"
	"strconv"
	"syscall/js"

	"annvis/core/assets"
)

// Model is a pipeline.Fetcher: it fetches models/name with the
// browser's fetch and reads the body as a stream, abandoning the download
// as soon as more than limit bytes (the manifest's size) are announced or
// have arrived. It blocks the calling goroutine only. An
// asset the page prefetched (within the same limit) is taken as is.
func Model(name string, limit int64) ([]byte, error) {
	if b, ok := takePrefetched(name); ok {
		if int64(len(b)) > limit {
			return nil, tooLarge(limit)
		}
		return b, nil
	}
	return URL("models/"+name, limit)
}

// URL fetches url (relative to the page) as Model does, without the
// prefetched assets: for the data sets cmd/layouts -data publishes.
func URL(url string, limit int64) ([]byte, error) {
	res, err := Await(js.Global().Call("fetch", url))
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %v", url, err)
	}
	if !res.Get("ok").Bool() {
		return nil, fmt.Errorf("fetching %s: HTTP %d", url, res.Get("status").Int())
	}
	body := res.Get("body")
	if n := announced(res); n > limit {
		body.Call("cancel")
		return nil, tooLarge(limit)
	}
	return readBody(body.Call("getReader"), url, limit)
}

// announced returns the body's Content-Length when it is not encoded, or -1.
func announced(res js.Value) int64 {
	h := res.Get("headers")
	if h.Call("get", "Content-Encoding").Truthy() {
		return -1
	}
	n, err := strconv.ParseInt(h.Call("get", "Content-Length").String(), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// readBody reads a ReadableStream reader chunk by chunk (the page draws
// between chunks) and cancels it once more than limit bytes have arrived.
func readBody(reader js.Value, url string, limit int64) ([]byte, error) {
	var b []byte
	for {
		r, err := Await(reader.Call("read"))
		if err != nil {
			return nil, fmt.Errorf("fetching %s: reading the body: %v", url, err)
		}
		if r.Get("done").Bool() {
			return b, nil
		}
		chunk := r.Get("value")
		n := chunk.Get("length").Int()
		if int64(len(b)+n) > limit {
			reader.Call("cancel")
			return nil, tooLarge(limit)
		}
		b = slices.Grow(b, n)[:len(b)+n]
		js.CopyBytesToGo(b[len(b)-n:], chunk)
	}
}

// tooLarge is the error of a download abandoned after limit bytes.
func tooLarge(limit int64) error {
	return fmt.Errorf("%w: download abandoned after %d bytes", assets.ErrTooLarge, limit)
}

// takePrefetched returns and forgets annvisPrefetched[name] of the global
// scope, the bytes of an asset page.js fetched while the wasm was loading
// (and handed to the worker).
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

// Await blocks until the JS promise settles and returns its value, or its
// rejection reason as an error.
func Await(promise js.Value) (js.Value, error) {
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
