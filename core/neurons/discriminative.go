package neurons

import "fmt"

// Digits is the number of classes of MNIST; MaxClasses the most of a
// user's data set (docs/data-format.md) that labels may name.
const Digits, MaxClasses = 10, 20

// Discriminative returns the power of each of the d neurons to tell the
// digits of class from the rest: the importances (summing to 1) of a
// one-vs-rest extremely randomized trees forest fitted to the row-major n×d
// activations act and the labels (0…MaxClasses−1).
func Discriminative(act []float32, n, d int, labels []uint8, class int, cfg ForestConfig) ([]float64, error) {
	y, err := oneVsRest(labels, n, class)
	if err != nil {
		return nil, err
	}
	f, err := FitExtraTrees(act, n, d, y, cfg)
	if err != nil {
		return nil, err
	}
	return f.Importances(nil), nil
}

// Map is the discriminative neuron map of a layer of d neurons.
type Map struct {
	// Importance is the d×Classes row-major matrix of each neuron's
	// importance for each class (one-vs-rest); a class absent from the
	// labels has a zero column.
	Importance []float64
	// Classes is the number of columns of Importance: Digits, or the
	// largest label + 1 if that is more.
	Classes int
	// Class is, per neuron, the class it discriminates best (argmax of its
	// row; the lowest class on ties).
	Class []int
	// Opacity is, per neuron, its importance for its class min–max
	// normalised among the neurons of that class: 0 for the weakest, 1 for
	// the strongest (1 when they are all equal).
	Opacity []float64
}

// DiscriminativeMap fits the one-vs-rest forests of Discriminative, one
// per class of Map.Classes, to the row-major n×d activations act and builds the map.
// Forest c is seeded with cfg.Seed + c.
func DiscriminativeMap(act []float32, n, d int, labels []uint8, cfg ForestConfig) (*Map, error) {
	mp, err := newMapper(act, n, d, labels, cfg)
	if err != nil {
		return nil, err
	}
	for !mp.step(mp.cfg.Trees) {
	}
	return mp.m, nil
}

// mapper fits the forests of a discriminative map in steps of a few trees.
type mapper struct {
	cols   []float32 // column-major activations, d×n
	labels []uint8
	n, d   int
	cfg    ForestConfig // with defaults applied
	count  [MaxClasses]int
	class  int     // the class whose forest grows
	fit    *fitter // its forest, nil between classes
	grown  int     // trees grown over all classes
	m      *Map
}

func newMapper(act []float32, n, d int, labels []uint8, cfg ForestConfig) (*mapper, error) {
	if err := checkMatrix(act, n, d); err != nil {
		return nil, err
	}
	if _, err := oneVsRest(labels, n, 0); err != nil {
		return nil, err
	}
	cfg, err := cfg.withDefaults(d)
	if err != nil {
		return nil, err
	}
	c := Digits
	for _, l := range labels {
		c = max(c, int(l)+1)
	}
	mp := &mapper{cols: transpose(act, n, d), labels: labels, n: n, d: d, cfg: cfg, count: classCounts(labels),
		m: &Map{Importance: make([]float64, d*c), Classes: c, Class: make([]int, d), Opacity: make([]float64, d)}}
	mp.skipAbsent()
	return mp, nil
}

// trees returns the number of trees of the whole map.
func (mp *mapper) trees() int {
	t := 0
	for _, c := range mp.count {
		if c > 0 && c < mp.n {
			t += mp.cfg.Trees
		}
	}
	return t
}

// skipAbsent moves past classes without a forest (absent, or all digits),
// finishing the map after the last class.
func (mp *mapper) skipAbsent() {
	for mp.class < mp.m.Classes && (mp.count[mp.class] == 0 || mp.count[mp.class] == mp.n) {
		mp.class++
	}
	if mp.class == mp.m.Classes {
		mp.m.classify(mp.d)
	}
}

// step grows up to k trees of the current forest and reports whether the
// map is complete. Forest c is seeded with cfg.Seed + c.
func (mp *mapper) step(k int) bool {
	if mp.class == mp.m.Classes {
		return true
	}
	if mp.fit == nil {
		lab := make([]uint8, mp.n)
		for i, l := range mp.labels {
			if int(l) == mp.class {
				lab[i] = 1
			}
		}
		cfg := mp.cfg
		cfg.Seed += int64(mp.class)
		mp.fit = newFitter(mp.cols, lab, mp.n, mp.d, cfg)
	}
	before := mp.fit.next
	done := mp.fit.grow(k)
	mp.grown += mp.fit.next - before
	if !done {
		return false
	}
	for j, v := range mp.fit.forest().imp {
		mp.m.Importance[j*mp.m.Classes+mp.class] = v
	}
	mp.fit = nil
	mp.class++
	mp.skipAbsent()
	return mp.class == mp.m.Classes
}

// classify fills Class and Opacity from Importance.
func (m *Map) classify(d int) {
	lo, hi := make([]float64, m.Classes), make([]float64, m.Classes)
	seen := make([]bool, m.Classes)
	for j := range d {
		row := m.Importance[j*m.Classes : (j+1)*m.Classes]
		c := 0
		for k, v := range row {
			if v > row[c] {
				c = k
			}
		}
		m.Class[j] = c
		v := row[c]
		if !seen[c] || v < lo[c] {
			lo[c] = v
		}
		if !seen[c] || v > hi[c] {
			hi[c] = v
		}
		seen[c] = true
	}
	for j, c := range m.Class {
		m.Opacity[j] = 1
		if hi[c] > lo[c] {
			m.Opacity[j] = (m.Importance[j*m.Classes+c] - lo[c]) / (hi[c] - lo[c])
		}
	}
}

// oneVsRest turns digit labels into the labels of class against the rest.
func oneVsRest(labels []uint8, n, class int) ([]bool, error) {
	if class < 0 || class >= MaxClasses {
		return nil, fmt.Errorf("neurons: class %d must be between 0 and %d", class, MaxClasses-1)
	}
	if len(labels) != n {
		return nil, fmt.Errorf("neurons: %d labels for %d samples", len(labels), n)
	}
	y := make([]bool, n)
	for i, l := range labels {
		if l >= MaxClasses {
			return nil, fmt.Errorf("neurons: label %d of sample %d must be between 0 and %d", l, i, MaxClasses-1)
		}
		y[i] = int(l) == class
	}
	return y, nil
}

// classCounts counts the samples of each class of valid labels.
func classCounts(labels []uint8) [MaxClasses]int {
	var c [MaxClasses]int
	for _, l := range labels {
		c[l]++
	}
	return c
}
