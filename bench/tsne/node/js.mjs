// JavaScript/wasm t-SNEs for bench/tsne.sh, timed on the same data:
//
//	node js.mjs bhtsne|druid N X.f32 OUT.f64
//
// wasm-bhtsne: Barnes-Hut t-SNE in Rust compiled to wasm (perplexity 30,
// θ 0.5, 1000 iterations, its other defaults; rayon workers on worker_threads,
// default 1: with 2 the pool livelocks now and then on a loaded machine).
// druidjs: exact t-SNE (perplexity 30, 1000 iterations, its defaults).
import fs from "node:fs";
import { createRequire } from "node:module";
import { Worker as ThreadWorker } from "node:worker_threads";

const [impl, nArg, xPath, outPath, threadsArg] = process.argv.slice(2);
const threads = Number(threadsArg || 1);

// NodeWorker is the browser Worker API on worker_threads (see worker.mjs).
class NodeWorker extends EventTarget {
	constructor() {
		super();
		this.w = new ThreadWorker(new URL("./worker.mjs", import.meta.url), {});
		this.w.on("message", (data) => this.dispatchEvent(new MessageEvent("message", { data })));
		this.w.on("error", (e) => { console.error("worker:", e); process.exit(1); });
	}
	postMessage(data) { this.w.postMessage(data); }
}
const n = Number(nArg), d = 784, iterations = 1000;
const raw = fs.readFileSync(xPath);
const flat = new Float32Array(raw.buffer, raw.byteOffset, n * d);
const rows = Array.from({ length: n }, (_, i) => Array.from(flat.subarray(i * d, (i + 1) * d)));

const start = performance.now();
let layout;
if (impl === "bhtsne") {
	// A worker-like global: rayon's helper listens on self, getrandom reads self.crypto.
	globalThis.self ??= Object.assign(new EventTarget(), { crypto: globalThis.crypto });
	globalThis.Worker = NodeWorker;
	const mod = await import("wasm-bhtsne");
	const require = createRequire(import.meta.url);
	const wasmPath = require.resolve("wasm-bhtsne").replace(/wasm_bhtsne\.js$/, "wasm_bhtsne_bg.wasm");
	await mod.default({ module_or_path: fs.readFileSync(wasmPath) });
	await mod.initThreadPool(threads);
	const t = new mod.bhtSNEf32(rows, { perplexity: 30, theta: 0.5 });
	let y;
	y = t.step(iterations);
	layout = y;
} else if (impl === "druid") {
	const druid = await import("@saehrimnir/druidjs");
	const t = new druid.TSNE(rows, { perplexity: 30, d: 2, seed: 0 });
	const y = t.transform(iterations);
	layout = Array.from(y.to2dArray ? y.to2dArray : y);
} else {
	throw new Error("js.mjs: unknown implementation " + impl);
}
const seconds = (performance.now() - start) / 1000;
const out = new Float64Array(2 * n);
const pts = Array.from(layout);
if (pts.length === 2 * n) {
	out.set(pts.map(Number));
} else {
	pts.forEach((p, i) => { out[2 * i] = p[0]; out[2 * i + 1] = p[1]; });
}
fs.writeFileSync(outPath, Buffer.from(out.buffer));
console.log(`n=${n} seconds=${seconds.toFixed(3)}`);
process.exit(0); // the rayon workers never end
