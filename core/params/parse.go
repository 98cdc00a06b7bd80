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
	set func(p *Params, v string, cs classSet) error
}

// fields lists the URL keys in canonical order.
var fields = []field{
	{"model", func(p *Params, v string, _ classSet) error { return oneOf(&p.Model, v, Models) }},
	{"view", func(p *Params, v string, _ classSet) error { return oneOf(&p.View, v, Views) }},
	{"layer", func(p *Params, v string, _ classSet) error { return integer(&p.Layer, v) }},
	{"n", func(p *Params, v string, _ classSet) error { return integer(&p.N, v) }},
	{"perplexity", func(p *Params, v string, _ classSet) error { return float(&p.Perplexity, v) }},
	{"seed", func(p *Params, v string, _ classSet) error { return seed(&p.Seed, v) }},
	{"method", func(p *Params, v string, _ classSet) error { return oneOf(&p.Method, v, Methods) }},
	{"lambda", func(p *Params, v string, _ classSet) error { return float(&p.Lambda, v) }},
	{"classes", func(p *Params, v string, cs classSet) error { return classes(&p.Classes, v, cs) }},
	{"class", func(p *Params, v string, _ classSet) error { return integer(&p.Class, v) }},
	{"embed", func(p *Params, v string, _ classSet) error { return boolean(&p.Embed, v) }},
	{"speed", func(p *Params, v string, _ classSet) error { return float(&p.Speed, v) }},
	{"proj", func(p *Params, v string, _ classSet) error { return oneOf(&p.Proj, v, Projs) }},
	{"hold", func(p *Params, v string, _ classSet) error { return float(&p.Hold, v) }},
	{"transition", func(p *Params, v string, _ classSet) error { return float(&p.Transition, v) }},
	{"theme", func(p *Params, v string, _ classSet) error { return oneOf(&p.Theme, v, Themes) }},
	{"scale", func(p *Params, v string, _ classSet) error { return integer(&p.Scale, v) }},
	{"data", func(p *Params, v string, _ classSet) error { p.Data = v; return nil }},
	{"arch", func(p *Params, v string, _ classSet) error { p.Arch = v; return nil }},
	{"act", func(p *Params, v string, _ classSet) error { return oneOf(&p.Act, v, Acts) }},
	{"lr", func(p *Params, v string, _ classSet) error { return float(&p.LR, v) }},
	{"batch", func(p *Params, v string, _ classSet) error { return integer(&p.Batch, v) }},
	{"epochs", func(p *Params, v string, _ classSet) error { return integer(&p.Epochs, v) }},
	{"train", func(p *Params, v string, _ classSet) error { return integer(&p.Train, v) }},
}

// Parse reads a URL query (with or without its leading '?') over Default and
// validates the result. Unknown keys, repeated keys and bad values are errors
// that name the key and the rule, e.g. `params: n=-5: must be between 100 and 10000`.
// The classes and class keys name MNIST's digits 0…9, or with data=NAME the
// classes 0…MaxClasses−1 of a published data set (which its reader checks
// against the data's own).
func Parse(query string) (Params, error) {
	vals, err := url.ParseQuery(trimQuestion(query))
	if err != nil {
		return Default(), &Error{Value: query, Rule: queryRule(err)}
	}
	cs := digits
	if vals.Has("data") {
		cs = dataClasses(MaxClasses)
	}
	return parse(vals, cs)
}

// ParseClasses is Parse for a user's data set of n classes (1…MaxClasses):
// the classes and class keys name its classes 0…n−1.
func ParseClasses(query string, n int) (Params, error) {
	vals, err := url.ParseQuery(trimQuestion(query))
	if err != nil {
		return Default(), &Error{Value: query, Rule: queryRule(err)}
	}
	return parse(vals, dataClasses(n))
}

// parse reads vals over Default and validates the result for the classes cs.
func parse(vals url.Values, cs classSet) (Params, error) {
	p := Default()
	for _, k := range sortedKeys(vals) {
		i := slices.IndexFunc(fields, func(f field) bool { return f.key == k })
		if i < 0 {
			return Default(), &Error{Key: k, Bare: true, Rule: "is an unknown key (known: " + knownKeys() + ")"}
		}
		if len(vals[k]) > 1 {
			return Default(), &Error{Key: k, Bare: true, Rule: fmt.Sprintf("given %d times", len(vals[k]))}
		}
		if err := fields[i].set(&p, vals[k][0], cs); err != nil {
			return Default(), &Error{Key: k, Value: vals[k][0], Rule: err.Error()}
		}
	}
	if err := p.validate(cs); err != nil {
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

// classes reads a list of the classes cs into dst: decimal numbers without
// leading zeros.
func classes(dst *[MaxClasses]bool, v string, cs classSet) error {
	var c [MaxClasses]bool
	for _, s := range strings.Split(v, ",") {
		i, err := strconv.Atoi(s)
		if err != nil || i < 0 || i >= cs.n || strconv.Itoa(i) != s {
			return fmt.Errorf("must be %s", cs.list())
		}
		c[i] = true
	}
	*dst = c
	return nil
}
