//! Recording off the main thread: a module worker runs the program and
//! sends its trace back in parts while it runs.
//!
//! Both sides are this same wasm module. The page ([`RecordingWorker`])
//! starts `worker.js` and hands it the glue's URL and the compiled module;
//! in the worker the app's `main` finds no window and calls
//! [`worker_main`]. Jobs and parts cross as bincode bytes (both ends are
//! the same build, so the format needs no versioning). A run cannot be
//! interrupted from inside (the worker is busy in wasm), so stopping one
//! terminates the worker; the page keeps the parts it has.

use pymem::program::{TracePart, TraceSink};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::model::{self, Version};

/// Milliseconds the worker records before it sends the first part: a
/// run shorter than this arrives as one part.
pub const FIRST_PART_MS: f64 = 30.0;
/// Milliseconds between later parts.
pub const PART_MS: f64 = 200.0;

/// A job for the worker: run `source` on `version` as run number `run`.
type Job = (u32, Version, String);

/// What the worker sends the page.
#[derive(Debug)]
pub enum WorkerMsg {
    /// Its handler is installed: jobs will be recorded.
    Ready,
    /// The next part of run `.0`.
    Part(u32, Box<TracePart>),
    /// It could not boot (no job ran): record on the main thread instead.
    BootFailed(String),
    /// It failed while it ran (the model panicked: a bug), or a part
    /// could not be read.
    Failed(String),
}

/// The worker side: installs the job handler on the worker's global scope
/// and tells the page it is ready.
pub fn worker_main() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let handler =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let Ok(bytes) = e.data().dyn_into::<js_sys::Uint8Array>() else {
                return;
            };
            let Ok((run, version, source)) = bincode::deserialize::<Job>(&bytes.to_vec()) else {
                return;
            };
            let sink = PostSink {
                run,
                started: js_sys::Date::now(),
                last: None,
            };
            // The trace also comes back whole; the page has it from the parts.
            let _ = pymem::program::record_streaming(
                version,
                model::FILE_NAME,
                &source,
                model::worker_budgets(),
                Box::new(sink),
            );
        });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    handler.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

/// Posts parts to the page: the first after [`FIRST_PART_MS`], then one
/// every [`PART_MS`], and the last when the run ends.
struct PostSink {
    run: u32,
    started: f64,
    last: Option<f64>,
}

impl TraceSink for PostSink {
    fn due(&mut self, _steps: usize) -> bool {
        let now = js_sys::Date::now();
        match self.last {
            None => now - self.started >= FIRST_PART_MS,
            Some(t) => now - t >= PART_MS,
        }
    }

    fn send(&mut self, part: TracePart) {
        self.last = Some(js_sys::Date::now());
        let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let msg = match bincode::serialize(&(self.run, &part)) {
            Ok(bytes) => {
                let arr = js_sys::Uint8Array::from(bytes.as_slice());
                let transfer = js_sys::Array::of1(&arr.buffer());
                let _ = scope.post_message_with_transfer(&arr, &transfer);
                return;
            }
            Err(e) => format!("a trace part could not be encoded: {e}"),
        };
        let _ = scope.post_message(&error_object(&msg));
    }
}

/// `{error: msg}`, as `worker.js` reports a failed boot.
fn error_object(msg: &str) -> JsValue {
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &JsValue::from_str("error"), &JsValue::from_str(msg));
    o.into()
}

/// The page's handle on a recording worker; dropping it terminates the
/// worker.
pub struct RecordingWorker {
    worker: web_sys::Worker,
    _onmessage: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _onerror: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl RecordingWorker {
    /// Starts a worker on this page's own module; `on_msg` gets what it
    /// sends. An error when the page was not built by Trunk (no glue
    /// to hand over, as under the component tests) or workers are
    /// unavailable: the caller then records on the main thread.
    pub fn spawn(on_msg: impl Fn(WorkerMsg) + 'static) -> Result<RecordingWorker, String> {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or("no document")?;
        let glue = document
            .query_selector("link[rel=modulepreload]")
            .ok()
            .flatten()
            .and_then(|l| l.dyn_into::<web_sys::HtmlLinkElement>().ok())
            .map(|l| l.href())
            .filter(|h| h.ends_with(".js"))
            .ok_or("no module glue to hand to a worker")?;
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = web_sys::Worker::new_with_options("worker.js", &options)
            .map_err(|e| format!("no worker: {e:?}"))?;
        let on_msg = std::rc::Rc::new(on_msg);
        let onmessage = {
            let on_msg = std::rc::Rc::clone(&on_msg);
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                on_msg(decode(e.data()));
            })
        };
        let onerror =
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
                on_msg(WorkerMsg::Failed(e.message()));
            });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        let init = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&init, &JsValue::from_str("glue"), &JsValue::from_str(&glue));
        let _ = js_sys::Reflect::set(&init, &JsValue::from_str("module"), &wasm_bindgen::module());
        worker
            .post_message(&init)
            .map_err(|e| format!("the worker refused its module: {e:?}"))?;
        Ok(RecordingWorker {
            worker,
            _onmessage: onmessage,
            _onerror: onerror,
        })
    }

    /// Asks for run `run`: `source` on `version`.
    pub fn record(&self, run: u32, version: Version, source: &str) -> Result<(), String> {
        let bytes = bincode::serialize(&(run, version, source)).map_err(|e| e.to_string())?;
        let arr = js_sys::Uint8Array::from(bytes.as_slice());
        self.worker
            .post_message(&arr)
            .map_err(|e| format!("the worker refused a job: {e:?}"))
    }
}

impl Drop for RecordingWorker {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// A message from the worker, read.
fn decode(data: JsValue) -> WorkerMsg {
    if data.as_string().as_deref() == Some("ready") {
        return WorkerMsg::Ready;
    }
    if let Ok(bytes) = data.clone().dyn_into::<js_sys::Uint8Array>() {
        return match bincode::deserialize::<(u32, TracePart)>(&bytes.to_vec()) {
            Ok((run, part)) => WorkerMsg::Part(run, Box::new(part)),
            Err(e) => WorkerMsg::Failed(format!("a trace part could not be read: {e}")),
        };
    }
    match js_sys::Reflect::get(&data, &JsValue::from_str("error"))
        .ok()
        .and_then(|e| e.as_string())
    {
        // Only worker.js posts {error}, when the module would not boot.
        Some(e) => WorkerMsg::BootFailed(e),
        None => WorkerMsg::Failed("the recording worker sent something unexpected".into()),
    }
}
