//! Entry point of the web app (built by Trunk).

fn main() {
    pymem_web::run();
}
