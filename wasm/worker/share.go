//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"syscall/js"
	"time"

	"annvis/core/tsne"
)

// answerWait is how long a view waits for the forces it asked another
// worker for before it computes them itself from then on (the layouts are
// the same either way).
const answerWait = 10 * time.Second

// portHelper is a tsne.Helper whose other program is another worker, at
// the end of a MessagePort the page gave both (see share and help).
type portHelper struct {
	port    js.Value
	answers chan []byte
	onMsg   js.Func
	job     int
	got     int // answers received
}

// share has job id's t-SNE compute part of every gradient in the worker at
// the other end of port.
func (w *worker) share(id int, port js.Value) {
	j := w.jobs[id]
	if j == nil { // closed already: the other worker stops helping
		postTo(port, nil)
		port.Call("close")
		return
	}
	h := &portHelper{port: port, answers: make(chan []byte, 4), job: id}
	h.onMsg = js.FuncOf(func(_ js.Value, args []js.Value) any {
		select {
		case h.answers <- bytesOf(args[0].Get("data")):
		default: // an answer nobody waits for: the view computes its forces itself
		}
		return nil
	})
	port.Set("onmessage", h.onMsg)
	j.helper = h
	j.src.Share(h)
	mark(fmt.Sprintf("job %d: sharing its gradients", id))
}

// Send posts msg to the other worker.
func (h *portHelper) Send(msg []byte) { postTo(h.port, msg) }

// Receive waits for the other worker's next answer, at most answerWait.
func (h *portHelper) Receive() ([]byte, error) {
	select {
	case b := <-h.answers:
		if h.got++; h.got == 1 {
			mark(fmt.Sprintf("job %d: first forces computed by another worker", h.job))
		}
		return b, nil
	case <-time.After(answerWait):
		return nil, errors.New("worker: no answer from the worker sharing the gradient")
	}
}

// close tells the other worker the view is done with it, and closes the port.
func (h *portHelper) close() {
	postTo(h.port, nil)
	h.port.Call("close")
	h.onMsg.Release()
}

// help computes, on the messages arriving at port, the forces another
// worker's view asks for (tsne.Forces), until an empty message ends it.
func help(port js.Value) {
	msgs := make(chan []byte, 4)
	onMsg := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msgs <- bytesOf(args[0].Get("data"))
		return nil
	})
	port.Set("onmessage", onMsg)
	go func() {
		var f tsne.Forces
		for msg := range msgs {
			if len(msg) == 0 {
				break
			}
			answer, err := f.Handle(msg)
			switch {
			case err != nil:
				js.Global().Get("console").Call("warn", "worker: forces asked by another worker:", err.Error())
				postTo(port, []byte{}) // not an answer: the view computes its forces itself
			case answer != nil:
				postTo(port, answer)
			}
		}
		port.Call("close")
		onMsg.Release()
	}()
}

// postTo posts b to port as a Uint8Array whose buffer is transferred.
func postTo(port js.Value, b []byte) {
	u8 := uint8Array(b)
	port.Call("postMessage", u8, []any{u8.Get("buffer")})
}
