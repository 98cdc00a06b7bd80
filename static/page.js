// page.js — loads annvis's WebAssembly with a progress bar, shows errors, and
// runs the t-SNE settings form. The Go side (wasm/) publishes the game's
// state into window.annvis every frame and calls annvisPage.render() when it
// changes; the game itself draws the view's controls, legend and timeline.
"use strict";

const $ = (id) => document.getElementById(id);

// The state the tests and the page read; the wasm overwrites its fields.
window.annvis = {
  ready: false, view: "", model: "", stage: 0, stages: 0, frame: 0,
  progress: 0, phase: "loading…", error: "", pointsDrawn: 0,
  query: location.search.replace(/^\?/, ""), precomputed: false,
  phases: [], // [ms after navigation, phase] at each change of phase
  params: null, exported: null, loadedAt: 0, readyAt: 0, firstFrameAt: 0, doneAt: 0, tps: 0, fps: 0,
  visible: true, // the page is seen (watchVisibility); paused: the wasm stopped for it
  paused: false,
};

const embedded = /^(1|true)$/.test(new URLSearchParams(location.search).get("embed") || "");
const formFields = ["n", "perplexity", "seed", "method", "lambda"];
const lastLines = []; // the program's last console lines, shown if it stops

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
    $("fill").style.width = (100 * Math.min(Math.max(s.progress, 0), 1)).toFixed(1) + "%";
    $("error").hidden = !s.error;
    $("error-text").textContent = s.error;
    if (s.params && s.query !== this.shownQuery) {
      this.shownQuery = s.query;
      const net = { mlp: "MLP", cnn: "CNN", both: "MLP vs CNN" }[s.params.model] || s.params.model;
      document.title = `annvis — ${net}, ${s.params.view} view`;
      const f = $("controls").elements;
      for (const k of formFields) f[k].value = String(s.params[k]);
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

  // fail reports an error of the page itself (download, start-up, exit).
  fail(msg) {
    window.annvis.error = msg;
    window.annvis.phase = "failed";
    this.render();
  },
};
window.annvisPage = annvisPage;

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
  let got = 0;
  const counter = new TransformStream({
    transform(chunk, ctl) {
      got += chunk.length;
      window.annvis.phase = `downloading ${url} ${mb(got)}${total ? " / " + mb(total) : ""} MB`;
      window.annvis.progress = total ? 0.99 * got / total : 0;
      annvisPage.render();
      ctl.enqueue(chunk);
    },
  });
  const counted = new Response(res.body.pipeThrough(counter), { headers: { "Content-Type": "application/wasm" } });
  return WebAssembly.instantiateStreaming(counted, imports);
}

function captureConsole() {
  const log = console.log;
  console.log = (...args) => {
    lastLines.push(args.join(" "));
    if (lastLines.length > 8) lastLines.shift();
    log.apply(console, args);
  };
}

// prefetch fetches assets every first view needs while main.wasm downloads
// and compiles: the manifest, the test set (every view needs its labels),
// and the precomputed layouts when the address
// asks for a model's default view (nothing but model, classes, class, embed,
// speed, pace, theme, scale; params.IsDefaultView is the rule, a wrong guess only wastes a
// fetch). The wasm's fetcher takes them from window.annvisPrefetched without
// waiting for the event loop, which is busy while Ebiten starts. Failures
// are left to the wasm's own fetch to report.
function prefetch() {
  window.annvisPrefetched = {};
  const q = new URLSearchParams(location.search);
  const model = q.get("model") || "mlp";
  const names = ["manifest.json", "mnist-t10k.zst"];
  if ((model === "mlp" || model === "cnn") &&
      [...q.keys()].every((k) => ["model", "classes", "class", "embed", "speed", "hold", "transition", "theme", "scale"].includes(k))) {
    names.push(`layouts-${model}.zst`);
  }
  return Promise.all(names.map(async (name) => {
    try {
      const res = await fetch("models/" + name);
      if (res.ok) window.annvisPrefetched[name] = new Uint8Array(await res.arrayBuffer());
    } catch {
      // the wasm's own fetch says what is wrong
    }
  }));
}

// watchVisibility tells the wasm whether the page is seen: an embed
// scrolled out of its course page's view, or a page in a hidden tab, stops
// computing and animating until it is seen again (window.annvisSetVisible;
// the wasm reads window.annvis.visible when it starts).
function watchVisibility() {
  let inView = true;
  const update = () => {
    const visible = inView && !document.hidden;
    if (visible === window.annvis.visible) return;
    window.annvis.visible = visible;
    if (typeof window.annvisSetVisible === "function") window.annvisSetVisible(visible);
  };
  if ("IntersectionObserver" in window) {
    // Without a root, the intersection is with the top-level viewport, also
    // from inside an iframe.
    new IntersectionObserver((entries) => {
      inView = entries[entries.length - 1].isIntersecting;
      update();
    }).observe(document.documentElement);
  }
  document.addEventListener("visibilitychange", update);
}

async function start() {
  setupControls();
  watchVisibility();
  annvisPage.render();
  const prefetched = prefetch();
  if (typeof Go === "undefined") {
    annvisPage.fail("fetching wasm_exec.js failed: the page is not built (run make web)");
    return;
  }
  let instance;
  const go = new Go();
  try {
    ({ instance } = await instantiateWasm("main.wasm", go.importObject));
  } catch (err) {
    annvisPage.fail(`loading main.wasm: ${err.message}`);
    return;
  }
  await prefetched;
  window.annvis.loadedAt = performance.now();
  window.annvis.phase = "starting";
  annvisPage.render();
  captureConsole();
  await go.run(instance);
  if (!window.annvis.error) {
    annvisPage.fail("annvis stopped unexpectedly" + (lastLines.length ? ": " + lastLines.join(" ") : ""));
  }
}

start();
