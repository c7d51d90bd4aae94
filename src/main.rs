//! The `pymem` command-line runner.
//!
//! ```text
//! pymem stats [--version V]
//! pymem run [--version V] [--narrate] [--budget BYTES] [--max-steps N] (FILE | builtin)
//! pymem run FILE.py [--python V]
//! pymem trace FILE.py [--python V] [--json] [--budget BYTES] [--max-steps N]
//! pymem stats FILE.py [--python V]
//! ```
//! `trace` records the program step by step and prints each step's
//! narration, or with `--json` the whole trace as JSON. `stats FILE.py`
//! prints what the program prints, then the model's `sys._debugmallocstats()`
//! at its end.
//!
//! `stats` prints the startup heap's `sys._debugmallocstats()` text. `run`
//! plays an allocation scenario (see `pymem::scenario` for the file format)
//! and prints the text after its last step, each step's narration first
//! with `--narrate`. `run FILE.py` runs a Python program on the model
//! (default 3.11) and prints what it prints; it exits 1 on an uncaught
//! exception, 2 on a syntax error or an unsupported construct, and 3 when a
//! budget runs out.

use std::io::Write as _;
use std::process::ExitCode;

use pymem::heap::Heap;
use pymem::scenario::Scenario;
use pymem::trace::{Trace, DEFAULT_STEP_BUDGET};
use pymem::Version;

const USAGE: &str = "usage: pymem stats [--version V]
       pymem run [--version V] [--narrate] [--budget BYTES] [--max-steps N] (FILE | builtin)
       pymem run FILE.py [--python V]
       pymem trace FILE.py [--python V] [--json] [--budget BYTES] [--max-steps N]
       pymem stats FILE.py [--python V]";

struct Args {
    command: String,
    version: Version,
    /// Set by --version/--python; a Python program defaults to 3.11.
    version_given: bool,
    narrate: bool,
    json: bool,
    budget: Option<u64>,
    max_steps: usize,
    file: Option<String>,
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    let command = it.next().ok_or_else(|| USAGE.to_string())?;
    let mut args = Args {
        command,
        version: Version::DEFAULT,
        version_given: false,
        narrate: false,
        json: false,
        budget: None,
        max_steps: DEFAULT_STEP_BUDGET,
        file: None,
    };
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--version" | "--python" => {
                args.version = value(&a)?.parse().map_err(|e| format!("{e}"))?;
                args.version_given = true;
            }
            "--narrate" => args.narrate = true,
            "--json" => args.json = true,
            "--budget" => {
                let v = value("--budget")?;
                args.budget = Some(
                    v.parse()
                        .map_err(|_| format!("--budget: {v:?} is not a number of bytes"))?,
                );
            }
            "--max-steps" => {
                let v = value("--max-steps")?;
                args.max_steps = v
                    .parse()
                    .map_err(|_| format!("--max-steps: {v:?} is not a number"))?;
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            f if !f.starts_with('-') && args.file.is_none() => args.file = Some(f.to_string()),
            other => return Err(format!("unexpected argument {other:?}\n{USAGE}")),
        }
    }
    Ok(args)
}

/// What a command printed, and the error that ended it (stderr text and
/// exit code), if any.
type Outcome = (String, Option<(String, i32)>);

/// The Python program named by `args`, its source, and the version to run
/// it under (3.11 unless given).
fn program(args: &Args) -> Result<(String, String, Version), String> {
    let file = args
        .file
        .clone()
        .ok_or_else(|| format!("a Python file is needed\n{USAGE}"))?;
    let source = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
    let version = if args.version_given {
        args.version
    } else {
        Version::V3_11
    };
    Ok((file, source, version))
}

/// A program's stderr and exit status as an [`Outcome`]'s error part
/// (a program that succeeds may still write to stderr: `gc.set_debug`).
fn failure(out: &pymem::interp::Output) -> Option<(String, i32)> {
    (out.exit_code != 0 || !out.stderr.is_empty()).then(|| (out.stderr.clone(), out.exit_code))
}

fn run(args: Args) -> Result<Outcome, String> {
    let is_py = args.file.as_deref().is_some_and(|f| f.ends_with(".py"));
    match args.command.as_str() {
        "stats" if is_py => {
            let (file, source, version) = program(&args)?;
            let (out, heap) = pymem::interp::run_with_heap(version, &file, &source);
            let mut text = out.stdout.clone();
            if let Some(h) = heap {
                text.push_str(&h.debugmallocstats());
            }
            Ok((text, failure(&out)))
        }
        "trace" => {
            let (file, source, version) = program(&args)?;
            let budgets = pymem::program::Budgets {
                steps: args.max_steps as u64,
                memory: args.budget,
                ..Default::default()
            };
            let t = pymem::program::record(version, &file, &source, budgets);
            // Streamed: a long trace's text is never held whole.
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            let written = if args.json {
                pymem::program::write_json(&t, &mut w)
            } else {
                (0..=t.len()).try_for_each(|step| writeln!(w, "[{step}] {}", t.narration(step)))
            };
            written
                .and_then(|()| w.flush())
                .map_err(|e| format!("writing the trace: {e}"))?;
            Ok((String::new(), failure(t.output())))
        }
        "stats" => Ok((Heap::startup(args.version).debugmallocstats(), None)),
        "run" if is_py => {
            let (file, source, version) = program(&args)?;
            let out = pymem::interp::run(version, &file, &source);
            let err = failure(&out);
            Ok((out.stdout, err))
        }
        "run" => {
            let file = args
                .file
                .ok_or_else(|| format!("run needs a scenario file or `builtin`\n{USAGE}"))?;
            let scenario = if file == "builtin" {
                Scenario::builtin()
            } else {
                let text = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
                Scenario::parse(&file, &text).map_err(|e| format!("{file}:{e}"))?
            };
            let mut heap = Heap::startup(args.version);
            if let Some(b) = args.budget {
                heap.alloc.set_budget(b);
            }
            let trace = Trace::record_with(heap, &scenario, args.max_steps);
            let mut out = String::new();
            if args.narrate {
                for step in 0..=trace.len() {
                    out.push_str(&format!("[{step}] {}\n", trace.narration(step)));
                }
            }
            out.push_str(&trace.seek(trace.len()).debugmallocstats());
            Ok((out, trace.error().map(|e| (format!("pymem: {e}\n"), 1))))
        }
        other => Err(format!("unknown command {other:?}\n{USAGE}")),
    }
}

fn main() -> ExitCode {
    let args = parse_args(std::env::args().skip(1)).inspect(|a| {
        if !a.version.is_verified() {
            eprintln!(
                "note: CPython {v} is modelled from source, not verified against a running {v}",
                v = a.version
            );
        }
    });
    match args.and_then(run) {
        Ok((out, None)) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Ok((out, Some((err, code)))) => {
            print!("{out}");
            eprint!("{err}");
            ExitCode::from(u8::try_from(code).unwrap_or(1))
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
