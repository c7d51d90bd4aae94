//! Shared helpers for the fidelity tests: finding real CPython interpreters.
//!
//! Interpreters are found, never hard-coded: first through pyenv
//! (`pyenv versions --bare`, then `$(pyenv root)/versions/<v>/bin/python3`),
//! then as `python3.X` on PATH. A version with no interpreter fails the test
//! unless `PYMEM_ALLOW_MISSING_PYTHON=1` is set, so a missing install can
//! never silently pass.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use pymem::Version;

/// The interpreter for one modelled version.
#[derive(Clone, Debug)]
pub struct Python {
    pub version: Version,
    pub exe: PathBuf,
}

impl Python {
    /// The interpreter with `args`, in a clean environment: no bytecode
    /// files, a fixed hash seed, pymalloc with no debug hooks, no tracing,
    /// and unbuffered stdout (`PYTHONUNBUFFERED`, as on a terminal: the
    /// memory `print` holds is what pymem models; a block-buffered pipe
    /// would keep printed text alive in `TextIOWrapper`'s pending list).
    fn command<I, S>(&self, args: I) -> (String, String, i32)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let out = Command::new(&self.exe)
            .args(args)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("PYTHONHASHSEED", "0")
            .env_remove("PYTHONMALLOC")
            .env_remove("PYTHONMALLOCSTATS")
            .env_remove("PYTHONTRACEMALLOC")
            .env("PYTHONUNBUFFERED", "1")
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.exe.display()));
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code().unwrap_or(-1),
        )
    }

    fn expect_success(&self, (stdout, stderr, code): (String, String, i32)) -> (String, String) {
        assert!(code == 0, "{} failed:\n{stderr}", self.exe.display());
        (stdout, stderr)
    }

    /// Runs `code` as a script file (`python3 FILE args…`, as scenarios
    /// run; `-c` is limited in length, and a script read from stdin makes
    /// 3.11 allocate differently) with `args`; returns (stdout, stderr).
    pub fn run(&self, code: &str, args: &[&str]) -> (String, String) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("pymem-scripts");
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let file = dir.join(format!("script_{}_{n}.py", std::process::id()));
        std::fs::write(&file, code).unwrap_or_else(|e| panic!("writing {}: {e}", file.display()));
        let out =
            self.command(std::iter::once(file.as_os_str()).chain(args.iter().map(|a| a.as_ref())));
        let _ = std::fs::remove_file(&file);
        self.expect_success(out)
    }

    /// Runs a short `code` with `python3 -c` (no script file is opened).
    /// Loading a script file leaves 3.11 one 400-byte block that it frees
    /// later, in the middle of whatever the script measures; harnesses that
    /// compare allocator statistics between snapshots use this instead.
    pub fn run_inline(&self, code: &str, args: &[&str]) -> (String, String) {
        let out = self.command(["-c", code].into_iter().chain(args.iter().copied()));
        self.expect_success(out)
    }

    /// Runs the script at `path` as `python3 path`; returns stdout, stderr
    /// and the exit code, whatever it is.
    pub fn run_file(&self, path: &std::path::Path) -> (String, String, i32) {
        self.command([path])
    }
}

fn pyenv_versions() -> Vec<(String, PathBuf)> {
    let Ok(root) = Command::new("pyenv").arg("root").output() else {
        return Vec::new();
    };
    let root = PathBuf::from(String::from_utf8_lossy(&root.stdout).trim());
    let Ok(out) = Command::new("pyenv").args(["versions", "--bare"]).output() else {
        return Vec::new();
    };
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim().to_string())
        .filter_map(|v| {
            let exe = root.join("versions").join(&v).join("bin").join("python3");
            exe.exists().then_some((v, exe))
        })
        .collect()
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|f| f.is_file())
    })
}

/// The newest interpreter of `v`: pyenv's 3.X.N with the highest N, else
/// `python3.X` on PATH.
pub fn find(v: Version) -> Option<Python> {
    let prefix = format!("{}.", v.as_str());
    let best = pyenv_versions()
        .into_iter()
        .filter_map(|(name, exe)| {
            let patch = name.strip_prefix(&prefix)?;
            Some((patch.parse::<u32>().ok()?, exe))
        })
        .max()
        .map(|(_, exe)| exe);
    best.or_else(|| on_path(&format!("python{}", v.as_str())))
        .map(|exe| Python { version: v, exe })
}

/// Reports a version with no interpreter: panics unless
/// `PYMEM_ALLOW_MISSING_PYTHON=1`, then warns.
pub fn missing(what: &str) {
    let msg = format!("no CPython interpreter found for {what}");
    if std::env::var("PYMEM_ALLOW_MISSING_PYTHON").as_deref() == Ok("1") {
        eprintln!("warning: {msg} (allowed by PYMEM_ALLOW_MISSING_PYTHON=1)");
    } else {
        panic!("{msg}; install them with pyenv or set PYMEM_ALLOW_MISSING_PYTHON=1");
    }
}

/// Every modelled version's interpreter (see [`missing`] for absent ones).
pub fn pythons() -> Vec<Python> {
    let mut found = Vec::new();
    let mut absent = Vec::new();
    for v in Version::VERIFIED {
        match find(v) {
            Some(py) => found.push(py),
            None => absent.push(v.as_str()),
        }
    }
    if !absent.is_empty() {
        missing(&absent.join(", "));
    }
    found
}

/// The scenario programs in `tests/fidelity/scenarios/`, in name order.
pub fn scenario_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fidelity/scenarios");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    v.sort();
    v
}
