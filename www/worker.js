// pymem's recording worker, a module worker (www/src/worker.rs).
//
// It runs the page's own wasm: the page sends the URL of its wasm-bindgen
// glue and its compiled WebAssembly.Module, so nothing is fetched or
// compiled twice. Initialising runs the app's `main`, which sees no window
// and installs the recorder's message handler in place of this one.
// Jobs that arrive while the module boots wait here, then go to it.
const queue = [];
let booting = false;

self.onmessage = async (e) => {
  if (booting || !(e.data && typeof e.data.glue === 'string')) {
    queue.push(e);
    return;
  }
  booting = true;
  try {
    const glue = await import(e.data.glue);
    await glue.default({ module_or_path: e.data.module });
  } catch (err) {
    self.postMessage({ error: `the recording worker could not start: ${err}` });
    return;
  }
  for (const q of queue.splice(0)) {
    self.onmessage(q);
  }
};
