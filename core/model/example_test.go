package model_test

import (
	"fmt"

	"annvis/core/mnist"
	"annvis/core/model"
	"annvis/models"
)

// Load the shipped final MLP and the test set, and classify ten digits.
func ExampleDecodeCheckpoint() {
	cb, err := models.FS.ReadFile("mlp-e20.zst")
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := model.DecodeCheckpoint(cb)
	if err != nil {
		fmt.Println(err)
		return
	}
	tb, err := models.FS.ReadFile("mnist-t10k.zst")
	if err != nil {
		fmt.Println(err)
		return
	}
	test, err := mnist.DecodeAsset(tb)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := c.Net.Forward(test.Images[:10*mnist.Pixels], 10)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s after %d epochs: %.2f %% of the test digits\n", c.Arch, c.Epoch, 100*c.Accuracy)
	for i := range 10 {
		fmt.Print(model.Predict(out.Logits, i))
	}
	fmt.Println(" predicted")
	for _, l := range test.Labels[:10] {
		fmt.Print(l)
	}
	fmt.Println(" true")
	// Output:
	// mlp after 20 epochs: 98.86 % of the test digits
	// 7210414959 predicted
	// 7210414959 true
}
