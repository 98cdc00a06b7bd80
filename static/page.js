// page.js — loads annvis's WebAssembly with a progress bar, shows errors, and
// runs the controls bar. The Go side (wasm/) publishes its state into
// window.annvis every frame and calls annvisPage.render() when it changes.
"use strict";

const $ = (id) => document.getElementById(id);

// The state the tests and the controls read; the wasm overwrites its fields.
window.annvis = {
  ready: false, view: "", model: "", stage: 0, stages: 0, frame: 0,
  progress: 0, phase: "loading annvis…", error: "", pointsDrawn: 0,
  query: location.search.replace(/^\?/, ""), precomputed: false,
  params: null, firstFrameAt: 0, doneAt: 0,
};

// Palette of the class toggles: the same hues as core/app/palette.Classes.
const classHues = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2",
  "#d55e00", "#cc79a7", "#bbbbbb", "#ee6677", "#9977ff"];

const embedded = /^(1|true)$/.test(new URLSearchParams(location.search).get("embed") || "");
const lastLines = []; // the program's last console lines, shown if it crashes

const annvisPage = {
  shownQuery: null,
  formError: "",

  // render updates the progress bar, the error panel and the controls from window.annvis.
  render() {
    const s = window.annvis;
    const done = s.ready && s.progress >= 1;
    $("progress").classList.toggle("done", done && !s.error);
    $("progress").classList.toggle("failed", !!s.error);
    $("progress").setAttribute("aria-valuenow", String(s.progress));
    $("phase").textContent = s.phase;
    $("fill").style.width = (100 * Math.min(Math.max(s.progress, 0), 1)).toFixed(1) + "%";
    const msg = s.error || this.formError;
    $("error").hidden = !msg;
    $("error-text").textContent = msg;
    if (s.params && s.query !== this.shownQuery) {
      this.shownQuery = s.query;
      fillForm(s.params);
    }
  },

  // fail reports an error of the page itself (download, start-up, crash).
  fail(msg) {
    window.annvis.error = msg;
    window.annvis.phase = "failed";
    this.render();
  },
};
window.annvisPage = annvisPage;

function fillForm(p) {
  const f = $("controls").elements;
  for (const k of ["model", "view", "layer", "n", "perplexity", "seed", "method", "lambda", "speed"]) {
    if (f[k] && p[k] !== undefined) f[k].value = String(p[k]);
  }
  document.querySelectorAll("#classes input").forEach((box, i) => { box.checked = p.classes[i]; });
}

// formQuery builds the raw query of the controls' values.
function formQuery() {
  const f = $("controls").elements;
  const q = new URLSearchParams(location.search);
  for (const k of ["model", "view", "layer", "n", "perplexity", "seed", "method", "lambda", "speed"]) {
    q.set(k, f[k].value);
  }
  const on = [...document.querySelectorAll("#classes input")].filter((b) => b.checked).map((b) => b.value);
  q.set("classes", on.join(","));
  return q.toString().replace(/%2C/g, ",");
}

// apply validates the controls with the wasm's own parser and reloads the
// page on the canonical URL, or shows what is wrong without reloading.
function apply() {
  const raw = formQuery();
  const canon = typeof window.annvisCanonical === "function" ? window.annvisCanonical(raw) : { query: raw, error: "" };
  annvisPage.formError = canon.error;
  annvisPage.render();
  if (canon.error) return;
  const url = location.pathname + (canon.query ? "?" + canon.query : "");
  if (url !== location.pathname + location.search) location.assign(url);
}

function pressSpace() {
  const canvas = document.querySelector("body > canvas");
  if (!canvas) return;
  for (const type of ["keydown", "keyup"]) {
    canvas.dispatchEvent(new KeyboardEvent(type, { key: " ", code: "Space", bubbles: true }));
  }
}

function setupControls() {
  const box = $("classes");
  classHues.forEach((hue, d) => {
    const label = document.createElement("label");
    label.className = "digit";
    label.style.setProperty("--hue", hue);
    label.title = "show digit " + d;
    label.innerHTML = `<input type="checkbox" value="${d}" checked><span>${d}</span>`;
    box.appendChild(label);
  });
  const form = $("controls");
  form.addEventListener("submit", (e) => { e.preventDefault(); apply(); });
  form.addEventListener("change", (e) => { if (!e.target.closest(".more")) apply(); });
  $("play").addEventListener("click", pressSpace);
  $("link").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      $("link").textContent = "copied ✓";
    } catch {
      $("link").textContent = "copy failed";
    }
    setTimeout(() => { $("link").textContent = "copy link"; }, 1500);
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

async function start() {
  setupControls();
  annvisPage.render();
  if (typeof Go === "undefined") {
    annvisPage.fail("fetching wasm_exec.js failed: the page is not built (run make web)");
    return;
  }
  let instance;
  const go = new Go();
  try {
    ({ instance } = await instantiateWasm("main.wasm", go.importObject));
    window.annvis.phase = "starting";
    annvisPage.render();
  } catch (err) {
    annvisPage.fail(`loading main.wasm: ${err.message}`);
    return;
  }
  captureConsole();
  await go.run(instance);
  if (!window.annvis.error) annvisPage.fail("annvis stopped unexpectedly" + (lastLines.length ? ": " + lastLines.join(" ") : ""));
}

start();
