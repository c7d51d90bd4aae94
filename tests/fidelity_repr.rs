//! `repr()` of floats, strs and bytes against every real interpreter: the
//! model must print exactly what CPython prints.

mod common;

use pymem::pyfmt::{bytes_repr, float_repr, str_repr};

/// Deterministic bit patterns (a fixed LCG, no randomness) plus edge values.
#[allow(clippy::excessive_precision)] // the largest double below 1e16, on purpose
fn floats() -> Vec<f64> {
    let mut v = vec![
        0.0,
        -0.0,
        1.0,
        0.1,
        1e16,
        1e15,
        1e-4,
        1e-5,
        9.999999999999999e15,
        1e300,
        5e-324,
        f64::MAX,
    ];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..3000 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let f = if i % 3 == 0 {
            // Values with few digits, near the positional/exponent boundaries.
            ((x >> 40) as f64) * 10f64.powi((i % 40) - 20)
        } else {
            f64::from_bits(x)
        };
        if f.is_finite() {
            v.push(f);
        }
    }
    v
}

fn code_points() -> Vec<u32> {
    let mut v: Vec<u32> = (0..0x250).collect();
    v.extend([
        0x370, 0x3b1, 0x416, 0x5d0, 0x600, 0x61c, 0x6dd, 0x70f, 0x1680, 0x180e,
    ]);
    v.extend(0x2000..0x2070);
    v.extend([
        0x20ac, 0x2603, 0x3000, 0x3042, 0x4e2d, 0xac00, 0xe000, 0xf8ff, 0xfeff, 0xfff9, 0xfffd,
    ]);
    v.extend([
        0x1f600, 0x1f680, 0x10348, 0xf0000, 0x10fffd, 0xe0001, 0xe0041,
    ]);
    v
}

#[test]
fn reprs_match_real_cpython() {
    let fs = floats();
    let cps = code_points();
    let bs: Vec<u8> = (0..=255).collect();
    let program = format!(
        "import struct, sys\n\
         for n in {bits:?}:\n    print(repr(struct.unpack('<d', n.to_bytes(8, 'little'))[0]))\n\
         for c in {cps:?}:\n    print(repr(chr(c) + 'x'))\n\
         print(repr(\"it's\"), repr('say \"hi\"'), repr('both \\' and \"'))\n\
         print(repr(bytes({bs:?})))\n",
        bits = fs.iter().map(|f| f.to_bits()).collect::<Vec<_>>(),
    );
    let mut want = String::new();
    for f in &fs {
        want.push_str(&float_repr(*f));
        want.push('\n');
    }
    for &c in &cps {
        let s: String = [char::from_u32(c).expect("valid code point"), 'x']
            .iter()
            .collect();
        want.push_str(&str_repr(&s));
        want.push('\n');
    }
    want.push_str(&format!(
        "{} {} {}\n",
        str_repr("it's"),
        str_repr("say \"hi\""),
        str_repr("both ' and \"")
    ));
    want.push_str(&bytes_repr(&bs));
    want.push('\n');
    for py in common::pythons() {
        let (got, _) = py.run(&program, &[]);
        let mismatches: Vec<_> = want
            .lines()
            .zip(got.lines())
            .filter(|(w, g)| w != g)
            .map(|(w, g)| format!("model {w} / cpython {g}"))
            .collect();
        assert!(
            mismatches.is_empty(),
            "{}: {} mismatches:\n{}",
            py.version,
            mismatches.len(),
            mismatches.join("\n")
        );
        assert_eq!(want.lines().count(), got.lines().count(), "{}", py.version);
    }
}
