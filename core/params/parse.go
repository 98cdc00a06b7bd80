package params

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// field reads one URL key into *Params.
type field struct {
	key string
	set func(p *Params, v string) error
}

// fields lists the URL keys in canonical order.
var fields = []field{
	{"model", func(p *Params, v string) error { return oneOf(&p.Model, v, Models) }},
	{"view", func(p *Params, v string) error { return oneOf(&p.View, v, Views) }},
	{"layer", func(p *Params, v string) error { return integer(&p.Layer, v) }},
	{"n", func(p *Params, v string) error { return integer(&p.N, v) }},
	{"perplexity", func(p *Params, v string) error { return float(&p.Perplexity, v) }},
	{"seed", func(p *Params, v string) error { return seed(&p.Seed, v) }},
	{"method", func(p *Params, v string) error { return oneOf(&p.Method, v, Methods) }},
	{"lambda", func(p *Params, v string) error { return float(&p.Lambda, v) }},
	{"classes", func(p *Params, v string) error { return classes(&p.Classes, v) }},
	{"class", func(p *Params, v string) error { return integer(&p.Class, v) }},
	{"embed", func(p *Params, v string) error { return boolean(&p.Embed, v) }},
	{"speed", func(p *Params, v string) error { return float(&p.Speed, v) }},
	{"proj", func(p *Params, v string) error { return oneOf(&p.Proj, v, Projs) }},
	{"hold", func(p *Params, v string) error { return float(&p.Hold, v) }},
	{"transition", func(p *Params, v string) error { return float(&p.Transition, v) }},
	{"theme", func(p *Params, v string) error { return oneOf(&p.Theme, v, Themes) }},
	{"scale", func(p *Params, v string) error { return integer(&p.Scale, v) }},
	{"data", func(p *Params, v string) error { p.Data = v; return nil }},
	{"arch", func(p *Params, v string) error { p.Arch = v; return nil }},
	{"act", func(p *Params, v string) error { return oneOf(&p.Act, v, Acts) }},
	{"lr", func(p *Params, v string) error { return float(&p.LR, v) }},
	{"batch", func(p *Params, v string) error { return integer(&p.Batch, v) }},
	{"epochs", func(p *Params, v string) error { return integer(&p.Epochs, v) }},
	{"train", func(p *Params, v string) error { return integer(&p.Train, v) }},
}

// Parse reads a URL query (with or without its leading '?') over Default and
// validates the result. Unknown keys, repeated keys and bad values are errors
// that name the key and the rule, e.g. `params: n=-5: must be between 100 and 10000`.
func Parse(query string) (Params, error) {
	p := Default()
	vals, err := url.ParseQuery(trimQuestion(query))
	if err != nil {
		return p, &Error{Value: query, Rule: queryRule(err)}
	}
	for _, k := range sortedKeys(vals) {
		i := slices.IndexFunc(fields, func(f field) bool { return f.key == k })
		if i < 0 {
			return Default(), &Error{Key: k, Bare: true, Rule: "is an unknown key (known: " + knownKeys() + ")"}
		}
		if len(vals[k]) > 1 {
			return Default(), &Error{Key: k, Bare: true, Rule: fmt.Sprintf("given %d times", len(vals[k]))}
		}
		if err := fields[i].set(&p, vals[k][0]); err != nil {
			return Default(), &Error{Key: k, Value: vals[k][0], Rule: err.Error()}
		}
	}
	if err := p.Validate(); err != nil {
		return Default(), err
	}
	return p, nil
}

func trimQuestion(query string) string { return strings.TrimPrefix(query, "?") }

// queryRule says why url.ParseQuery rejected a query, without quoting it
// (url's messages quote the offending part whole).
func queryRule(err error) string {
	if strings.Contains(err.Error(), "semicolon") {
		return "invalid semicolon separator in query"
	}
	return "invalid URL escape (% must be followed by two hex digits)"
}

func sortedKeys(vals url.Values) []string {
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func knownKeys() string {
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	return strings.Join(keys, ", ")
}

func oneOf(dst *string, v string, allowed []string) error {
	if !slices.Contains(allowed, v) {
		return fmt.Errorf("must be one of %s", strings.Join(allowed, ", "))
	}
	*dst = v
	return nil
}

func integer(dst *int, v string) error {
	i, err := strconv.Atoi(v)
	if err != nil {
		return fmt.Errorf("not an integer")
	}
	*dst = i
	return nil
}

func seed(dst *int64, v string) error {
	i, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return fmt.Errorf("not a 64-bit integer")
	}
	*dst = i
	return nil
}

func float(dst *float64, v string) error {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("not a finite number")
	}
	*dst = f
	return nil
}

func boolean(dst *bool, v string) error {
	switch v {
	case "1", "true":
		*dst = true
	case "0", "false":
		*dst = false
	default:
		return fmt.Errorf("must be 1 or 0")
	}
	return nil
}

func classes(dst *[10]bool, v string) error {
	var c [10]bool
	for _, s := range strings.Split(v, ",") {
		if len(s) != 1 || s[0] < '0' || s[0] > '9' {
			return fmt.Errorf("must be a comma-separated list of digits 0-9")
		}
		c[s[0]-'0'] = true
	}
	*dst = c
	return nil
}
