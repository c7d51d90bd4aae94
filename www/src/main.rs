//! Entry point of the web app (built by Trunk).

//!
//! The same module also runs in the recording worker (`worker.js`), where
//! there is no window: there it serves recordings instead of drawing.

fn main() {
    if web_sys::window().is_some() {
        pymem_web::run();
    } else {
        pymem_web::worker::worker_main();
    }
}
