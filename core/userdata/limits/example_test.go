package limits_test

import (
	"fmt"

	"annvis/core/userdata/limits"
)

// The page refuses a file larger than the largest data set it reads
// before reading it.
func ExampleLimits_MaxFile() {
	size := int64(600 << 20) // a 600 MiB .npz
	if max := limits.Page.MaxFile(); size > max {
		fmt.Printf("%d bytes: more than the %d of the largest data set the page reads\n", size, max)
	}
	fmt.Println(limits.Native.MaxFile() > limits.Page.MaxFile())
	// Output:
	// 629145600 bytes: more than the 537060352 of the largest data set the page reads
	// true
}
