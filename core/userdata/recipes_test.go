package userdata

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"annvis/core/userdata/numpytest"
)

// torchScript trains a small MLP on random 4×4 "images" for two epochs with Debian's python3-torch, exporting after each with
// docs/pytorch_export.py, then joins the epochs of its second layer.
const torchScript = `
import sys
import torch
sys.path.insert(0, sys.argv[1])
from pytorch_export import export_epoch, join_epochs
torch.manual_seed(0)
x = torch.randn(400, 1, 4, 4)
y = (x.flatten(1)[:, :3].argmax(1))
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=64)
net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 12), torch.nn.ReLU(), torch.nn.Linear(12, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
opt = torch.optim.Adam(net.parameters(), 0.01)
paths = []
for epoch in range(2):
    net.train()
    for xb, yb in loader:
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(xb), yb).backward()
        opt.step()
    paths.append("%s/epoch-%d.npz" % (sys.argv[2], epoch))
    export_epoch(net, {"relu1": net[2], "relu2": net[4]}, loader, paths[-1])
join_epochs(paths, "relu2", sys.argv[2] + "/epochs.npz")
`

// TestPyTorchRecipe runs docs/pytorch_export.py with Debian's python3-torch
// (scripts/install-deps --torch; skipped without it: installing it takes
// minutes) and reads what it wrote.
func TestPyTorchRecipe(t *testing.T) {
	if err := exec.Command(numpytest.Python, "-c", "import torch").Run(); err != nil {
		t.Skip("no python3-torch (scripts/install-deps --torch installs it)")
	}
	_, here, _, _ := runtime.Caller(0)
	docs, dir := filepath.Join(filepath.Dir(here), "../../docs"), t.TempDir()
	if out, err := exec.Command(numpytest.Python, "-c", torchScript, docs, dir).CombinedOutput(); err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	s, err := ReadPath(filepath.Join(dir, "epoch-1.npz"), Page)
	if err != nil {
		t.Fatal(err)
	}
	if s.N() != 400 || len(s.Stages) != 2 || s.Stages[0].Dim != 12 || s.Stages[1].Dim != 8 || s.Images.H != 4 || s.Classes() != 3 {
		t.Fatalf("N %d stages %d (%d, %d columns) images %v classes %d", s.N(), len(s.Stages), s.Stages[0].Dim, s.Stages[1].Dim, s.Images.H, s.Classes())
	}
	e, err := ReadPath(filepath.Join(dir, "epochs.npz"), Page)
	if err != nil {
		t.Fatal(err)
	}
	if e.Kind != "epochs" || !e.Shared || len(e.Stages) != 2 || e.Stages[1].Name != "epoch 1" {
		t.Fatalf("epochs: kind %s shared %v stages %d", e.Kind, e.Shared, len(e.Stages))
	}
	for i, v := range s.Stages[1].Values {
		if v != e.Stages[1].Values[i] {
			t.Fatalf("epoch 1's relu2 differs at %d", i)
		}
	}
}
