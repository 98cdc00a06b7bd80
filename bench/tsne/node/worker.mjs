// Worker side of wasm-bhtsne's rayon thread pool on Node's worker_threads:
// what wasm-bindgen-rayon's workerHelpers.js does in a browser worker
// (its `import("../../..")` is a directory import Node refuses).
import { parentPort } from "node:worker_threads";

globalThis.self ??= Object.assign(new EventTarget(), { crypto: globalThis.crypto });
parentPort.once("message", async ({ init, receiver }) => {
	const pkg = await import("wasm-bhtsne");
	await pkg.default(init);
	parentPort.postMessage({ type: "wasm_bindgen_worker_ready" });
	// Let the message go out before this thread blocks in rayon for good.
	await new Promise((resolve) => setTimeout(resolve, 10));
	pkg.wbg_rayon_start_worker(receiver);
});
