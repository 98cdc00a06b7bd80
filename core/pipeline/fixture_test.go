//go:build !js

package pipeline

import (
	"sync"
	"testing"

	"annvis/core/pipeline/pipelinetest"
)

// Digits in the fixture's test set and training digits of its epoch-1 MLP.
const fixtureDigits, fixtureTrain = 400, 3000

var fixture = sync.OnceValues(func() (*pipelinetest.Assets, error) {
	return pipelinetest.Build(fixtureDigits, fixtureTrain, "mlp")
})

// newFixture returns a fresh copy of the shared real asset set: the first
// 400 MNIST test digits and MLP checkpoints at epoch 0 and 1.
func newFixture(t testing.TB) *pipelinetest.Assets {
	f, err := fixture()
	if err != nil {
		t.Fatal(err)
	}
	return f.Clone()
}
