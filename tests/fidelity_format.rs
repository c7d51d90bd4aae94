//! `format(value, spec)` for ints, floats and strs against every real
//! interpreter: results and error messages must match exactly.

mod common;

use num_bigint::BigInt;
use pymem::format::{format_float, format_int, format_str};
use pymem::numeric::PyErr;
use pymem::pyfmt::str_repr;
use pymem::Version;

/// Specs built from every part of the mini-language, thinned by a fixed
/// stride so the program stays a few thousand lines.
fn specs(types: &[&str]) -> Vec<String> {
    let aligns = ["", "<", ">", "^", "=", "*^", "0"];
    let signs = ["", "+", " "];
    let zs = ["", "z"];
    let alts = ["", "#"];
    let widths = ["", "8", "15"];
    let groupings = ["", ",", "_"];
    let precisions = ["", ".0", ".1", ".3", ".10"];
    let mut out = Vec::new();
    let mut k = 0usize;
    for a in aligns {
        for s in signs {
            for z in zs {
                for h in alts {
                    for w in widths {
                        for g in groupings {
                            for p in precisions {
                                for t in types {
                                    k += 1;
                                    if k.is_multiple_of(7) {
                                        out.push(format!("{a}{s}{z}{h}{w}{g}{p}{t}"));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    out.extend(
        [
            "", "d", "x", "abc", "5.", ",_", "__", ".2%", "+.3e", "010,", "09,", "=^10", "c",
        ]
        .map(String::from),
    );
    out
}

fn show(r: Result<String, PyErr>) -> String {
    match r {
        Ok(s) => str_repr(&s),
        Err(e) => format!("{}: {}", e.kind, e.message),
    }
}

#[test]
fn format_specs_match_real_cpython() {
    let ints = ["0", "7", "-7", "255", "1234567", "-(10**20)", "2**64"];
    let int_vals = [
        BigInt::from(0),
        BigInt::from(7),
        BigInt::from(-7),
        BigInt::from(255),
        BigInt::from(1234567),
        -BigInt::from(10).pow(20u32),
        BigInt::from(1) << 64u32,
    ];
    let floats = [
        "0.0",
        "-0.0",
        "1.5",
        "-2.5",
        "0.125",
        "1e16",
        "1e-5",
        "123456.789",
        "1e300",
        "float('inf')",
        "float('nan')",
        "100.0",
        "0.1",
    ];
    let float_vals = [
        0.0,
        -0.0,
        1.5,
        -2.5,
        0.125,
        1e16,
        1e-5,
        123456.789,
        1e300,
        f64::INFINITY,
        f64::NAN,
        100.0,
        0.1,
    ];
    let strs = ["''", "'a'", "'hello'", "'héllo'", "'€uro'"];
    let str_vals = ["", "a", "hello", "héllo", "€uro"];
    let int_specs = specs(&["", "d", "b", "x", "X", "o", "n", "c", "e", "f", "g", "%"]);
    let float_specs = specs(&["", "e", "E", "f", "F", "g", "G", "n", "%", "d"]);
    let str_specs = specs(&["", "s", "d"]);

    let mut program = String::from(
        "def t(x, s):\n    try:\n        return repr(format(x, s))\n    except Exception as e:\n        return type(e).__name__ + ': ' + str(e)\n",
    );
    let mut cases: Vec<Box<dyn Fn(Version) -> String>> = Vec::new();
    for (src, val) in ints.iter().zip(&int_vals) {
        for sp in &int_specs {
            program.push_str(&format!("print(t({src}, {sp:?}))\n"));
            let (val, sp) = (val.clone(), sp.clone());
            cases.push(Box::new(move |v| show(format_int(v, &val, &sp))));
        }
    }
    for (src, &val) in floats.iter().zip(&float_vals) {
        for sp in &float_specs {
            program.push_str(&format!("print(t({src}, {sp:?}))\n"));
            let sp = sp.clone();
            cases.push(Box::new(move |v| show(format_float(v, val, &sp))));
        }
    }
    for (src, &val) in strs.iter().zip(&str_vals) {
        for sp in &str_specs {
            program.push_str(&format!("print(t({src}, {sp:?}))\n"));
            let sp = sp.clone();
            cases.push(Box::new(move |v| show(format_str(v, val, &sp))));
        }
    }
    let lines: Vec<&str> = program
        .lines()
        .filter(|l| l.starts_with("print("))
        .collect();
    for py in common::pythons() {
        let (got, _) = py.run(&program, &[]);
        let got: Vec<&str> = got.lines().collect();
        assert_eq!(got.len(), cases.len(), "{}", py.version);
        let bad: Vec<String> = cases
            .iter()
            .zip(&got)
            .zip(&lines)
            .filter_map(|((case, g), line)| {
                let m = case(py.version);
                (m != *g).then(|| format!("{line}: model {m} / cpython {g}"))
            })
            .collect();
        // Show one failure per distinct (value, spec shape) so patterns stand out.
        let mut seen = std::collections::HashSet::new();
        let sample: Vec<&String> = bad
            .iter()
            .filter(|b| {
                seen.insert(
                    b.split(", ")
                        .next()
                        .map(|v| v.to_string())
                        .unwrap_or_default()
                        + &b.chars()
                            .filter(|c| c.is_alphabetic())
                            .take(12)
                            .collect::<String>(),
                )
            })
            .take(40)
            .collect();
        assert!(
            bad.is_empty(),
            "{}: {} of {} differ:\n{}",
            py.version,
            bad.len(),
            cases.len(),
            sample
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
