package params

import (
	"net/url"
	"strconv"
	"strings"
)

// Encode returns the canonical URL query of p (without '?'): keys in a fixed
// order, defaults omitted, so Default().Encode() == "". For a valid p,
// Parse(p.Encode()) == p.
func (p Params) Encode() string {
	d := Default()
	var b strings.Builder
	add := func(key, val string, omit bool) {
		if omit {
			return
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(key)
		b.WriteByte('=')
		b.WriteString(val)
	}
	add("model", url.QueryEscape(p.Model), p.Model == d.Model)
	add("view", url.QueryEscape(p.View), p.View == d.View)
	add("layer", strconv.Itoa(p.Layer), p.Layer == d.Layer)
	add("n", strconv.Itoa(p.N), p.N == d.N)
	add("perplexity", formatFloat(p.Perplexity), p.Perplexity == d.Perplexity)
	add("seed", strconv.FormatInt(p.Seed, 10), p.Seed == d.Seed)
	add("method", url.QueryEscape(p.Method), p.Method == d.Method)
	add("lambda", formatFloat(p.Lambda), p.Lambda == d.Lambda)
	add("classes", formatClasses(p.Classes), p.Classes == d.Classes)
	add("class", strconv.Itoa(p.Class), p.Class == d.Class)
	add("embed", "1", !p.Embed)
	add("speed", formatFloat(p.Speed), p.Speed == d.Speed)
	add("proj", url.QueryEscape(p.Proj), p.Proj == d.Proj)
	add("hold", formatFloat(p.Hold), p.Hold == d.Hold)
	add("transition", formatFloat(p.Transition), p.Transition == d.Transition)
	add("theme", url.QueryEscape(p.Theme), p.Theme == d.Theme)
	add("scale", strconv.Itoa(p.Scale), p.Scale == d.Scale)
	add("data", url.QueryEscape(p.Data), p.Data == d.Data)
	add("arch", url.QueryEscape(p.Arch), p.Arch == d.Arch)
	add("act", url.QueryEscape(p.Act), p.Act == d.Act)
	add("lr", formatFloat(p.LR), p.LR == d.LR)
	add("batch", strconv.Itoa(p.Batch), p.Batch == d.Batch)
	add("epochs", strconv.Itoa(p.Epochs), p.Epochs == d.Epochs)
	add("train", strconv.Itoa(p.Train), p.Train == d.Train)
	return b.String()
}

// formatFloat writes the shortest decimal that parses back to f, without an
// exponent (a '+' would read as a space in a query).
func formatFloat(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func formatClasses(c [MaxClasses]bool) string {
	var digits []string
	for i, on := range c {
		if on {
			digits = append(digits, strconv.Itoa(i))
		}
	}
	return strings.Join(digits, ",")
}
