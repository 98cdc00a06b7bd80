# annvis — see README.md. Only Go is needed on a new machine: every other
# dependency the tests use is installed by scripts/install-deps (idempotent).

GO      ?= go
PKGS    := ./...
ADDR    ?= 127.0.0.1:8080

.PHONY: run web test deps check unit bench mutate fuzz models clean shots

## run: build the page and serve it on 127.0.0.1 (prints the address)
run: web
	$(GO) run ./cmd/serve -addr $(ADDR) -dir static

## web: build the wasm, copy wasm_exec.js and the assets into static/
web:
	bash scripts/build-web

## test: install what the tests need, then run every check and test
test: deps check unit

deps:
	bash scripts/install-deps

## check: go vet, gofmt, and every core package builds for js/wasm
check:
	$(GO) vet $(PKGS)
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	GOOS=js GOARCH=wasm $(GO) build ./core/...
	GOOS=js GOARCH=wasm $(GO) vet ./core/... ./wasm ./wasm/worker ./wasm/jsfetch

unit:
	bash scripts/go-test

## bench: speed, size and quality budgets, each compared with its peers in one run
bench:
	bash bench/run

## fuzz: fuzz every decoder for FUZZTIME each (default 60s), printing executions and findings; not in make test
fuzz:
	bash scripts/fuzz

## mutate: mutation testing (gremlins) of every core package, efficacy and coverage per package; slow, not in make test
mutate:
	bash scripts/mutate

## shots: screenshots of every view, page and desktop, at the acceptance sizes in both themes, into shots/
shots: deps
	bash scripts/shots shots

## models: retrain both networks and recompute the shipped default layouts
models:
	$(GO) run ./cmd/train -out models
	$(GO) run ./cmd/layouts -models models

clean:
	rm -rf static/main.wasm static/worker.wasm static/*.wasm.zst static/*.wasm.gz static/*.ttf.zst static/*.ttf.gz static/wasm_exec.js static/go-regular.ttf static/models
