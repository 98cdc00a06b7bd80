package tsne

import (
	"encoding/binary"
	"testing"
)

// capture keeps the messages a run sends to its helper.
type capture struct{ msgs [][]byte }

func (c *capture) Send(msg []byte)          { c.msgs = append(c.msgs, append([]byte(nil), msg...)) }
func (c *capture) Receive() ([]byte, error) { return nil, nil }

// sharingMessages returns the setup and the request a run of n points
// sends for the forces of its positions [lo, hi).
func sharingMessages(t testing.TB, n, lo, hi int, cfg Config) (setup, request []byte) {
	x, _ := blobs(n, 3, 3, 1)
	r, err := New(x, n, 3, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for !r.Prepared() {
		r.Step()
	}
	r.Step()
	c := &capture{}
	r.opt.helper = &shared{h: c}
	r.opt.ask(lo, hi)
	return c.msgs[0], c.msgs[1]
}

// FuzzForces hands a Forces what another program's run would send, a setup
// and then a request, as any bytes: it must reject what is not one with an
// error, answer a setup with nothing and a request with the forces of
// every position asked for, and never panic.
func FuzzForces(f *testing.F) {
	for _, cfg := range []Config{{Perplexity: 5}, {Perplexity: 5, Gradient: Exact}} {
		setup, request := sharingMessages(f, 40, 10, 40, cfg)
		var fo Forces
		if _, err := fo.Handle(setup); err != nil {
			f.Fatal(err)
		}
		if _, err := fo.Handle(request); err != nil {
			f.Fatal(err)
		}
		f.Add(setup, request)
		f.Add(setup[:len(setup)-3], request)
		f.Add(setup, request[:len(request)-8])
	}
	f.Fuzz(func(t *testing.T, setup, request []byte) {
		var fo Forces
		if a, err := fo.Handle(setup); err == nil && a != nil {
			t.Fatalf("a setup answered with %d bytes", len(a))
		}
		a, err := fo.Handle(request)
		if err != nil {
			return
		}
		if len(request) < len(requestMagic)+13 {
			t.Fatalf("a request of %d bytes answered", len(request))
		}
		b := request[len(requestMagic):]
		lo, hi := int(binary.LittleEndian.Uint32(b[5:])), int(binary.LittleEndian.Uint32(b[9:]))
		per := 2
		if b[0] == 1 {
			per = 5
		}
		if want := len(answerMagic) + 4 + 8*per*(hi-lo); len(a) != want {
			t.Fatalf("an answer of %d bytes for positions %d..%d, want %d", len(a), lo, hi, want)
		}
	})
}
