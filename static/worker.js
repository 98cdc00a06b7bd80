// worker.js — runs annvis's computing program (worker.wasm: a Go program
// without Ebiten, see wasm/worker) in a Web Worker. The page sends
// {type: "init", module, prefetched} first: the compiled worker.wasm (or
// nothing, then it is fetched here) and the assets page.js prefetched. Later
// messages go to the Go program (queued until it listens). If the program
// cannot start or stops, the page gets {fatal: message}.
"use strict";
importScripts("wasm_exec.js");

self.annvisInbox = [];
const lastLines = [];

self.onmessage = (e) => {
  if (e.data && e.data.type === "init") {
    start(e.data);
  } else if (typeof self.annvisReceive === "function") {
    self.annvisReceive(e.data);
  } else {
    self.annvisInbox.push(e.data);
  }
};

for (const name of ["log", "error"]) {
  const orig = console[name];
  console[name] = (...args) => {
    lastLines.push(args.join(" "));
    if (lastLines.length > 8) lastLines.shift();
    orig.apply(console, args);
  };
}

async function start({ module, prefetched }) {
  postMessage({ mark: "init received", at: performance.timeOrigin + performance.now() });
  self.annvisPrefetched = prefetched || {};
  const go = new Go();
  let instance;
  try {
    if (module instanceof WebAssembly.Module) {
      instance = await WebAssembly.instantiate(module, go.importObject);
    } else {
      const res = await fetch("worker.wasm");
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      ({ instance } = await WebAssembly.instantiateStreaming(res, go.importObject));
    }
  } catch (err) {
    postMessage({ fatal: `loading worker.wasm: ${err.message}` });
    return;
  }
  postMessage({ mark: "worker.wasm instantiated", at: performance.timeOrigin + performance.now() });
  await go.run(instance);
  postMessage({ fatal: "the computing worker stopped" + (lastLines.length ? ": " + lastLines.join(" ") : "") });
}
