package params_test

import (
	"fmt"

	"annvis/core/params"
)

func ExampleParse() {
	p, err := params.Parse("?model=cnn&view=epochs&seed=7&classes=0,1,7")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Model, p.View, p.EffectiveMethod(), p.EffectiveLayer(), p.N, p.Seed, p.Classes[7], p.Classes[8])
	fmt.Println(p.Encode())

	_, err = params.Parse("n=-5")
	fmt.Println(err)
	// Output:
	// cnn epochs joint 2 2000 7 true false
	// model=cnn&view=epochs&seed=7&classes=0,1,7
	// params: n=-5: must be between 100 and 10000
}

func ExampleParams_IsDefaultView() {
	p := params.Default()
	p.Model, p.Speed = "cnn", 2
	fmt.Println(p.IsDefaultView(), p.Encode())
	p.Seed = 1
	fmt.Println(p.IsDefaultView(), p.Encode())
	// Output:
	// true model=cnn&speed=2
	// false model=cnn&seed=1&speed=2
}

func ExampleParams_ToggleClass() {
	p, err := params.ParseClasses("classes=3,17", 20)
	fmt.Println(p.Classes[17], err)
	p.ToggleClass(17, 20)
	fmt.Println(p.Encode())
	// Output:
	// true <nil>
	// classes=3
}
