// page.js — loads annvis's WebAssembly with a progress bar, shows errors, and
// runs the t-SNE settings form. The Go side (wasm/) publishes the game's
// state into window.annvis every frame and calls annvisPage.render() when it
// changes; the game itself draws the view's controls, legend and timeline.
"use strict";

const $ = (id) => document.getElementById(id);

// Ebiten asks for a WebGL 2 context with the browser's default antialias: a
// multisampled drawing buffer. It draws each frame into an image of its own
// and copies that to the canvas pixel for pixel, so multisampling changes
// no pixel, but its buffer is resolved at every frame (with a software
// renderer, on the CPU).
{
  const getContext = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (type, attrs) {
    if (type === "webgl2") attrs = Object.assign({}, attrs, { antialias: false });
    return getContext.call(this, type, attrs);
  };
}

// The state the tests and the page read; the wasm overwrites its fields.
window.annvis = {
  ready: false, view: "", model: "", stage: 0, stages: 0, frame: 0,
  progress: 0, phase: "loading…", error: "", errorKind: "", fixQuery: "", fixDropped: "", pointsDrawn: 0,
  query: location.search.replace(/^\?/, ""), precomputed: false,
  phases: [], // [ms after navigation, phase] at each change of phase
  marks: [], // [ms after navigation, what]: the page's and its workers' start-up (mark)
  params: null, exported: null, loadedAt: 0, readyAt: 0, firstFrameAt: 0, doneAt: 0, tps: 0, fps: 0,
  visible: true, // the page is seen (watchVisibility); paused: the wasm stopped for it
  paused: false,
};

const embedded = /^(1|true)$/.test(new URLSearchParams(location.search).get("embed") || "");
const formFields = ["n", "perplexity", "seed", "method", "lambda"];
const crash = { line: "", lines: 0 }; // the first line of a Go crash report, and the lines counted

const annvisPage = {
  shownQuery: null,

  // render updates the progress bar, the error panel and the form from window.annvis.
  render() {
    const s = window.annvis;
    const bar = $("progress");
    bar.classList.toggle("loading", !s.ready && !s.error);
    bar.classList.toggle("done", (s.ready && s.progress >= 1) || !!s.error);
    bar.setAttribute("aria-valuenow", String(s.progress));
    bar.setAttribute("aria-valuetext", s.phase);
    bar.title = s.phase;
    const last = s.phases[s.phases.length - 1];
    const downloading = (p) => p.startsWith("downloading ");
    if (!last || (last[1] !== s.phase && !(downloading(last[1]) && downloading(s.phase)))) {
      s.phases.push([Math.round(performance.now()), s.phase]);
    }
    $("phase").textContent = s.phase;
    const percent = 100 * Math.min(Math.max(s.progress, 0), 1);
    $("fill").style.width = (s.ready ? Math.floor(percent) : percent.toFixed(1)) + "%"; // see #fill in style.css
    this.renderError(s);
    if (s.params && s.query !== this.shownQuery && !s.error) {
      this.shownQuery = s.query;
      const net = { mlp: "MLP", cnn: "CNN", both: "MLP vs CNN" }[s.params.model] || s.params.model;
      document.title = `annvis — ${net}, ${s.params.view} view`;
      const f = $("controls").elements;
      for (const k of formFields) f[k].value = String(s.params[k]);
    }
  },

  // renderError shows s.error in the one error panel, with a heading and
  // a way out that fit its kind, and hides the controls that cannot act.
  renderError(s) {
    $("error").hidden = !s.error;
    document.querySelectorAll("#controls .export, #link").forEach((b) => { b.hidden = !!s.error; });
    if (!s.error || $("error").dataset.shown === s.error) return;
    $("error").dataset.shown = s.error;
    const kind = s.errorKind || "view";
    $("error-title").textContent = errorTitles[kind] || errorTitles.view;
    $("error-text").textContent = s.error;
    const hint = $("error-hint");
    hint.replaceChildren();
    const link = (text, href) => {
      const a = document.createElement("a");
      a.textContent = text;
      a.href = href;
      hint.append(a);
    };
    if (kind === "address") {
      const fix = s.fixQuery || "", dropped = s.fixDropped || "";
      hint.append("Correct the address (or the t-SNE settings), or ");
      link(fix ? `open the same view without ${dropped}` : dropped ? `open the view without ${dropped}` : "open the default view",
        location.pathname + (fix ? "?" + fix : ""));
      hint.append(".");
      this.showAsked();
      return;
    }
    if (kind === "crash") hint.append("The full report is in the browser's console. ");
    if (kind === "data") hint.append("docs/data-format.md describes the format. Open another file, or ");
    link("Reload the page", location.href);
    hint.append(" or ");
    link("open the default view", location.pathname);
    hint.append(".");
  },

  // showAsked fills the settings form with the values the rejected address
  // asked for, so that the user sees and corrects them.
  showAsked() {
    const q = new URLSearchParams(location.search);
    const f = $("controls").elements;
    for (const k of formFields) {
      if (q.has(k)) f[k].value = q.get(k).slice(0, 200);
    }
  },

  // exported downloads a file the wasm exported (bytes: Uint8Array), or
  // says why it could not.
  exported(name, bytes, err) {
    const btn = document.querySelector(`#controls .export[value="${name.split(".").pop()}"]`);
    if (btn) btn.textContent = btn.value.toUpperCase();
    if (err) {
      window.annvis.exported = { name, bytes: 0, error: err };
      if (btn) btn.title = err;
      return;
    }
    const type = { gif: "image/gif", png: "image/png", zst: "application/zstd" }[name.split(".").pop()];
    const blob = new Blob([bytes], { type });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60000);
    window.annvis.exported = { name, bytes: bytes.length, error: "" };
  },

  // workerMark lists the mark {mark, at} that worker i posted (wasm/worker's
  // mark: at is ms since the epoch) in window.annvis.marks, on the page's clock.
  workerMark(i, m) {
    mark(`worker ${i}: ${m.mark}`, m.at - performance.timeOrigin);
  },

  // fail reports an error of the page itself (download, start-up) or a
  // crash of the program (kind "crash").
  fail(msg, kind = "view") {
    if (window.annvis.errorKind === "crash") return; // the first report stays
    window.annvis.error = msg;
    window.annvis.errorKind = kind;
    window.annvis.phase = "failed";
    document.body.classList.toggle("stopped", kind === "crash"); // its canvas no longer answers
    this.render();
  },
};
window.annvisPage = annvisPage;

// mark lists a moment of the page's start-up (at: ms after navigation, by
// default now) in window.annvis.marks, which the benchmarks print: when
// each download arrived and compiled, each worker started and each job's
// phase changed.
function mark(what, at = performance.now()) {
  window.annvis.marks.push([Math.round(at), what]);
}

// apply validates the form with the wasm's own parser, over the view shown
// now, and hands it to the game (which recomputes what it must), or says
// what is wrong. A page showing an error reloads on the new address instead.
function apply(e) {
  e.preventDefault();
  const q = new URLSearchParams(window.annvis.query);
  const f = $("controls").elements;
  for (const k of formFields) {
    if (f[k].value === "") q.delete(k); else q.set(k, f[k].value);
  }
  const raw = q.toString().replace(/%2C/g, ",");
  if (typeof window.annvisApply !== "function") {
    location.assign(location.pathname + "?" + raw);
    return;
  }
  const res = window.annvisApply(raw);
  $("form-error").hidden = !res.error;
  $("form-error").textContent = res.error;
  if (res.error) return;
  if (window.annvis.error) {
    location.assign(location.pathname + (res.query ? "?" + res.query : ""));
    return;
  }
  $("more").open = false;
}

// exportView asks the wasm for a PNG of the current frame or a GIF of the
// whole animation; the file arrives through annvisPage.exported.
function exportView(e) {
  const btn = e.currentTarget;
  if (typeof window.annvisExport !== "function") return;
  const err = window.annvisExport(btn.value);
  btn.textContent = err ? "failed" : "…";
  btn.title = err || "recording " + btn.value.toUpperCase();
}

function setupControls() {
  $("controls").addEventListener("submit", apply);
  document.querySelectorAll("#controls .export").forEach((b) => b.addEventListener("click", exportView));
  // Keys P and G export too (the game's own keys are others); not while typing.
  document.addEventListener("keydown", (e) => {
    const key = { KeyP: "png", KeyG: "gif", KeyS: "zst" }[e.code];
    if (!key || e.ctrlKey || e.metaKey || e.altKey || e.target.closest("input, select")) return;
    document.querySelector(`#controls .export[value="${key}"]`).click();
  });
  $("data").addEventListener("click", () => $("data-file").click());
  $("data-file").addEventListener("change", (e) => openData(e.target.files));
  document.addEventListener("dragover", (e) => e.preventDefault());
  document.addEventListener("drop", (e) => {
    e.preventDefault();
    openData(e.dataTransfer.files);
  });
  $("link").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      $("link").textContent = "copied";
    } catch {
      $("link").textContent = "failed";
    }
    setTimeout(() => { $("link").textContent = "link"; }, 1500);
  });
  $("bar").hidden = embedded;
}

// instantiateWasm streams main.wasm into the compiler while counting the
// bytes for the progress bar; the server sends the decoded size in
// X-Decoded-Length when the body is gzipped.
async function instantiateWasm(url, imports) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fetching ${url}: HTTP ${res.status}`);
  const total = Number(res.headers.get("X-Decoded-Length") ||
    (res.headers.get("Content-Encoding") ? 0 : res.headers.get("Content-Length")) || 0);
  const mb = (n) => (n / 1048576).toFixed(1);
  let got = 0, rendered = 0;
  const counter = new TransformStream({
    transform(chunk, ctl) {
      got += chunk.length;
      window.annvis.phase = `downloading ${url} ${mb(got)}${total ? " / " + mb(total) : ""} MB`;
      window.annvis.progress = total ? 0.99 * got / total : 0;
      if (performance.now() - rendered > 50) { // hundreds of chunks: redraw the bar at most 20 times a second
        rendered = performance.now();
        annvisPage.render();
      }
      ctl.enqueue(chunk);
    },
  });
  const counted = new Response(res.body.pipeThrough(counter), { headers: { "Content-Type": "application/wasm" } });
  return WebAssembly.instantiateStreaming(counted, imports);
}

// openData hands the bytes of the user's .npz files (picked or dropped; a
// second one is compared with the first) to the wasm (annvisOpenData),
// which has every view computed on them in the workers; the files never
// leave the browser. A file too large to read is refused before it is read.
async function openData(files) {
  files = Array.from(files || []).slice(0, 2);
  if (!files.length || typeof window.annvisOpenData !== "function") return;
  const max = window.annvis.maxDataBytes || Infinity;
  const big = files.find((f) => f.size > max);
  const args = [];
  for (const f of big ? [] : files) args.push(f.name, new Uint8Array(await f.arrayBuffer()));
  const err = big
    ? `userdata: ${big.name} has ${big.size} bytes, more than the ${max} of the largest data set the page reads`
    : window.annvisOpenData(...args);
  $("data-file").value = "";
  if (err) {
    Object.assign(window.annvis, { error: err, errorKind: "data", phase: "error" });
    annvisPage.render();
  }
}

// errorTitles head the error panel, by window.annvis.errorKind.
const errorTitles = {
  address: "annvis cannot show this address",
  asset: "annvis could not load its data",
  data: "annvis could not open your data",
  crash: "annvis stopped",
  view: "annvis could not show this view",
};

// captureConsole watches the Go program's output (wasm_exec.js writes its
// stdout and stderr with console.log, line by line) for the first line of
// a crash report: "panic: …" or "fatal error: …". The report itself stays
// in the console.
function captureConsole() {
  const log = console.log;
  console.log = (...args) => {
    const line = args.join(" ");
    if (!crash.line && /^(panic|fatal error): /.test(line)) crash.line = line.slice(0, 300);
    crash.lines++;
    log.apply(console, args);
  };
}

// crashed shows the crash panel: the first line of the reason, a reload link.
function crashed(reason) {
  const first = crash.line || String(reason || "the program exited").split("\n")[0].slice(0, 300);
  annvisPage.fail(`${first} (annvis crashed; this is a bug, please report it)`, "crash");
}

// watchCrashes turns errors nobody caught (an exception thrown by the Go
// program's callbacks, a WebAssembly trap, running out of memory) into the
// crash panel.
function watchCrashes(go) {
  window.addEventListener("error", (e) => crashed(e.message));
  window.addEventListener("unhandledrejection", (e) => crashed(e.reason && e.reason.message || e.reason));
  const exit = go.exit.bind(go);
  go.exit = (code) => {
    exit(code);
    if (code !== 0) crashed(`exit status ${code}`);
  };
}

// prefetch fetches assets every first view needs while main.wasm downloads
// and compiles: the manifest (at most maxManifestBytes), then, each within
// the size the manifest lists, the test set (every view needs its labels)
// and, when the address asks for a shipped view, its precomputed layouts
// (shippedLayouts). The wasm hands window.annvisPrefetched to its computing
// workers, whose fetcher takes them from there. Failures are left to the
// workers' own fetch to report.
async function prefetch() {
  window.annvisPrefetched = {};
  const names = ["mnist-t10k.zst", ...shippedLayouts(new URLSearchParams(location.search))];
  if (trainsEarly()) names.push(trainSetFile);
  try {
    const res = await fetch("models/manifest.json");
    if (!res.ok) return;
    const bytes = await readCapped(res, maxManifestBytes);
    window.annvisPrefetched["manifest.json"] = bytes;
    const listed = JSON.parse(new TextDecoder().decode(bytes)).assets || [];
    await Promise.all(names.map(async (name) => {
      const a = listed.find((x) => x && x.file === name);
      if (!a || !(a.bytes > 0)) return;
      const res = await fetch("models/" + name);
      if (res.ok) window.annvisPrefetched[name] = await readCapped(res, a.bytes);
      mark(`prefetched ${name}`);
    }));
  } catch {
    // the workers' own fetch says what is wrong
  }
}

// startWorker starts the first computing worker (as the page starts, see
// startsEarly, or once main.wasm has compiled) before the page's own
// program starts (Go's initialisation, the WebGL context) and has it begin
// computing the address's view as job 0 — or, for a train view that another
// worker will project, stepping its training run (early.trains); the wasm
// takes the worker over (window.annvisEarly, see wasm/workers.go), with what
// it posted meanwhile, and keeps the job if its first view is that one. The
// worker runs once init (a promise of the compiled worker.wasm and the
// prefetched assets) settles; its job's message is posted at once, so that
// whatever the wasm posts to it comes after. A page out of view computes
// nothing: the wasm starts its workers when it is seen.
function startWorker(init) {
  // A published data set (data=NAME) is fetched by the wasm first.
  if (typeof Worker === "undefined" || !window.annvis.visible || /(^|[?&])data=/.test(location.search)) return;
  const query = location.search.replace(/^\?/, "");
  const trains = trainsEarly();
  const early = Object.assign(spawn(init), { query, trains });
  early.worker.postMessage({ type: trains ? "train" : "open", id: 0, query });
  window.annvisEarly = early;
  mark(`worker 0 started (${trains ? "train" : "open"})`);
}

// startsEarly reports whether the address's view starts its worker with
// the page (startWorker), before main.wasm has compiled and while the
// page's program starts: a shipped view (no parameter but those its
// precomputed layouts cover; its worker fetches and decodes them), or any
// view on one worker. A live view on several workers starts them together
// once the page's program runs (wasm/workers.go): the others prepare some of
// its stages, which its own worker, started earlier, would otherwise begin
// before they could hand them over. A wrong guess only costs time.
function startsEarly() {
  const keys = [...new URLSearchParams(location.search).keys()];
  return workerCount() < 2 || keys.every((k) => shippedKeys.includes(k));
}

// shippedLayouts returns the precomputed layouts assets the view of the
// address q shows, if it has nothing but shippedKeys (cmd/layouts ships every
// view and layer at the other parameters' defaults): viewstate.LayoutsFile's
// names, and the bundled view's bundled trails too (pipeline.BundlesFile).
// A wrong guess only wastes a fetch: prefetch fetches only what the manifest
// lists.
function shippedLayouts(q) {
  const model = q.get("model") || "mlp", view = q.get("view") || "layers";
  const layer = Number(q.get("layer") || 0) || hiddenLayers[model];
  if (!hiddenLayers[model] || ![...q.keys()].every((k) => shippedKeys.includes(k))) return [];
  const epochs = `layouts-${model}-epochs-${layer}`;
  switch (view) {
    case "layers": return [`layouts-${model}.zst`];
    case "trace": return [q.get("layer") > 0 ? `${epochs}.zst` : `layouts-${model}.zst`];
    case "epochs": return [`${epochs}.zst`];
    case "bundled": return [`${epochs}.zst`, `${epochs}-bundled.zst`];
    case "neurons": case "map": return [`layouts-${model}-neurons-${layer}.zst`];
  }
  return [];
}

// hiddenLayers is core/params.HiddenLayers: the hidden layers of each
// network, the last of which a view shows when the address names none.
const hiddenLayers = { mlp: 4, cnn: 2 };

// shippedKeys are the address's parameters that keep a view shipped
// (cmd/layouts precomputes every view and layer at the other parameters'
// defaults): those of prefetch's default view, the view and the layer.
const shippedKeys = ["model", "view", "layer", "classes", "class", "embed", "speed", "hold", "transition", "theme", "scale"];

// trainsEarly reports whether the address is a train view whose run steps
// in a worker of its own (wasm/workers.go's trainsElsewhere): then its two
// workers start with the page (startTrainView), not after main.wasm, which
// compiles, starts Go and opens WebGL on the page's thread for seconds
// while the run could train.
function trainsEarly() {
  return new URLSearchParams(location.search).get("view") === "train" && workerCount() >= 2;
}

// startTrainView starts the two workers of a train view (trainsEarly) as
// the page starts: the first steps the run (startWorker), the second waits
// in window.annvisSpare for the wasm to have it project the run's stages.
// Only the first gets the prefetched training set (the wasm hands the rest
// of window.annvisPrefetched to the workers it starts).
function startTrainView(module, prefetched) {
  const init = Promise.all([module, prefetched]).then(([m]) => {
    const all = Object.assign({}, window.annvisPrefetched);
    delete window.annvisPrefetched[trainSetFile];
    return { module: m, prefetched: all };
  });
  startWorker(init);
  if (!window.annvisEarly) return;
  window.annvisSpare = [spawn(init.then(({ module }) => ({ module, prefetched: window.annvisPrefetched })))];
}

// spawn starts a computing worker, which runs once init settles (see
// startWorker), and keeps what it posts until the wasm takes it over;
// rec.started settles with its first message (it has its init: worker.js
// marks "init received") or error.
function spawn(init) {
  const rec = { worker: new Worker("worker.js"), messages: [], errors: [] };
  rec.started = new Promise((resolve) => {
    rec.worker.onmessage = (e) => resolve(rec.messages.push(e.data));
    rec.worker.onerror = (e) => resolve(rec.errors.push(e.message || ""));
  });
  init.then(({ module, prefetched }) => rec.worker.postMessage({ type: "init", module, prefetched }));
  return rec;
}

// workersStarted settles once the workers page.js started (startWorker's,
// and a train view's spare) have their init: Chromium starts a worker, or hands it its first
// messages, only when the page's thread is free, and go.run keeps that
// thread for seconds (Go's initialisation, WebGL); a loaded machine
// started them 10 s late.
function workersStarted() {
  return Promise.all([window.annvisEarly, ...(window.annvisSpare || [])].filter(Boolean).map((r) => r.started));
}

// trainSetFile is core/pipeline.TrainSetFile, which only the train view fetches.
const trainSetFile = "mnist-train.zst";

// workerCount is wasm/workers.go's workerCount: the computing workers the
// page may start (window.annvisWorkers if a test sets it, else the cores,
// at most 4). The wasm checks that the early worker's job matches its own.
function workerCount() {
  const forced = window.annvisWorkers;
  if (typeof forced === "number" && forced >= 1) return forced;
  return Math.min(Math.max(navigator.hardwareConcurrency || 1, 1), 4);
}

// maxManifestBytes is core/assets.MaxManifestBytes.
const maxManifestBytes = 65536;

// readCapped reads the body of res as a stream and gives up (cancelling
// the download) as soon as more than cap bytes are announced or arrived.
async function readCapped(res, cap) {
  const announced = res.headers.get("Content-Encoding") ? NaN : Number(res.headers.get("Content-Length"));
  if (announced > cap) {
    res.body.cancel();
    throw new Error(`more than ${cap} bytes`);
  }
  const reader = res.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > cap) {
      reader.cancel();
      throw new Error(`more than ${cap} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  return all;
}

// watchVisibility tells the wasm whether the page is seen: an embed
// scrolled out of its course page's view, or a page in a hidden tab, stops
// computing and animating until it is seen again (window.annvisSetVisible;
// the wasm reads window.annvis.visible when it starts). It returns a
// promise that settles once window.annvis.visible says whether the page is
// seen: at once for a page of its own in a tab that is shown, else (an
// embed) at the first report of its intersection with the viewport
// (visibilityWait ms at most: a hidden tab may not report it).
function watchVisibility() {
  let inView = true;
  const update = () => {
    const visible = inView && !document.hidden;
    if (visible === window.annvis.visible) return;
    window.annvis.visible = visible;
    if (typeof window.annvisSetVisible === "function") window.annvisSetVisible(visible);
  };
  let known;
  const seen = new Promise((resolve) => { known = resolve; });
  if ("IntersectionObserver" in window) {
    // Without a root, the intersection is with the top-level viewport, also
    // from inside an iframe.
    new IntersectionObserver((entries) => {
      inView = entries[entries.length - 1].isIntersecting;
      update();
      known();
    }).observe(document.documentElement);
  }
  document.addEventListener("visibilitychange", update);
  // A page of its own (not an embed) in a tab that is shown is seen.
  if (!("IntersectionObserver" in window) || (window.self === window.top && !document.hidden)) known();
  setTimeout(known, visibilityWait);
  return seen;
}

// visibilityWait is how long (ms) the page waits at most for the first
// report of its intersection with the viewport before it starts computing.
const visibilityWait = 500;

async function start() {
  setupControls();
  const seen = watchVisibility();
  annvisPage.render();
  const prefetched = prefetch();
  if (typeof Go === "undefined") {
    annvisPage.fail("fetching wasm_exec.js failed: the page is not built (run make web)");
    return;
  }
  // The computing workers' program compiles while main.wasm downloads; a
  // failure is left to the workers to report (they fetch it themselves).
  const workerModule = WebAssembly.compileStreaming(fetch("worker.wasm")).then((m) => {
    mark("worker.wasm compiled");
    return m;
  }, () => undefined);
  let early;
  if (trainsEarly()) {
    startTrainView(workerModule, prefetched);
  } else if (startsEarly()) {
    // once the page knows whether it is seen (an embed out of view computes nothing)
    early = seen.then(() => startWorker(Promise.all([workerModule, prefetched])
      .then(([module]) => ({ module, prefetched: window.annvisPrefetched }))));
  }
  let instance;
  const go = new Go();
  try {
    ({ instance } = await instantiateWasm("main.wasm", go.importObject));
  } catch (err) {
    annvisPage.fail(`loading main.wasm: ${err.message}`);
    return;
  }
  mark("main.wasm compiled");
  await prefetched;
  window.annvisWorkerModule = await workerModule;
  if (trainsEarly() || early) {
    await early;
    await workersStarted();
    mark("workers started");
  } else {
    startWorker(Promise.resolve({ module: window.annvisWorkerModule, prefetched: window.annvisPrefetched }));
  }
  window.annvis.loadedAt = performance.now();
  window.annvis.phase = "starting";
  annvisPage.render();
  captureConsole();
  watchCrashes(go);
  try {
    await go.run(instance);
  } catch (err) {
    crashed(err && err.message);
    return;
  }
  if (window.annvis.errorKind !== "crash") crashed("the program exited");
}

start();
