package params

import (
	"errors"
	"fmt"
	"net/url"
	"unicode/utf8"
)

// Error is a rejected parameter: its key, the value as given and the rule
// it breaks. Its message quotes at most MaxQuoted characters of the key and
// of the value, elided in the middle, so that a hostile address cannot
// flood the page.
type Error struct {
	Key   string // as in the URL, e.g. "n"; "" when the query itself does not parse
	Value string // as given
	Rule  string // e.g. "must be between 100 and 10000"
	Bare  bool   // the message shows only the key, as in "n given 2 times"
}

// MaxQuoted is the most characters of a key or value an Error quotes.
const MaxQuoted = 80

// Error returns e.g. "params: n=0: must be between 100 and 10000".
func (e *Error) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("params: query %q: %s", Elide(e.Value, MaxQuoted), e.Rule)
	}
	if e.Bare {
		return fmt.Sprintf("params: %s %s", Elide(e.Key, MaxQuoted), e.Rule)
	}
	return fmt.Sprintf("params: %s=%s: %s", Elide(e.Key, MaxQuoted), Elide(e.Value, MaxQuoted), e.Rule)
}

// Elide returns s if it has at most max characters, or else its beginning
// and its end joined by "…", max characters in all.
func Elide(s string, max int) string {
	n := utf8.RuneCountInString(s)
	if n <= max {
		return s
	}
	r := []rune(s)
	head := (max - 1) / 2
	return string(r[:head]) + "…" + string(r[n-(max-1-head):])
}

// Repair returns the canonical query of the view query asks for without
// the keys Parse rejects, and those keys in the order they were dropped:
// the link a page offers next to the error. A query that does not parse
// at all repairs to the default view's "".
func Repair(query string) (string, []string) {
	vals, err := url.ParseQuery(trimQuestion(query))
	if err != nil {
		return "", nil
	}
	var dropped []string
	for range len(vals) + 1 {
		p, err := Parse(vals.Encode())
		var pe *Error
		if err == nil {
			return p.Encode(), dropped
		}
		if !errors.As(err, &pe) || pe.Key == "" {
			return "", dropped
		}
		vals.Del(pe.Key)
		dropped = append(dropped, pe.Key)
	}
	return "", dropped
}
