//! CPython's text forms of values: `repr()` of floats, strs and bytes,
//! exactly as the interpreter prints them.
//!
//! * Floats use the shortest digits that round-trip (`float_repr_style`
//!   `'short'`, `PyOS_double_to_string(x, 'r', 0, Py_DTSF_ADD_DOT_0)` in
//!   Python/pystrtod.c): positional notation while the decimal exponent is
//!   in −4 < decpt ≤ 16, else `d.ddde±XX` with at least two exponent digits.
//! * Strs follow `unicode_repr` (Objects/unicodeobject.c): single quotes
//!   unless the text has a `'` and no `"`; `\t \n \r` and the backslash and
//!   quote escaped; other non-printable characters as `\xNN`, `\uNNNN` or
//!   `\UNNNNNNNN`.
//! * Bytes follow `PyBytes_Repr`: the same quote rule, printable ASCII
//!   verbatim, everything else `\xNN`.
//!
//! Printability of non-ASCII characters (`Py_UNICODE_ISPRINTABLE`) needs
//! the Unicode database; this module knows the separators, format and
//! private-use ranges a program is likely to meet (see [`is_printable`])
//! and treats every other assigned-looking character as printable.

/// `repr(z)` (and `str(z)`) of a complex (`complex_repr`): each part as
/// `PyOS_double_to_string(x, 'r', 0, flags)` without `Py_DTSF_ADD_DOT_0`
/// (so `1.0` is `1`); a real part of +0.0 is left out along with the
/// parentheses, otherwise the imaginary part carries its sign.
pub fn complex_repr(re: f64, im: f64) -> String {
    // Shortest digits without the ".0" float_repr adds to integral values.
    let part = |x: f64| {
        let s = float_repr(x);
        match s.strip_suffix(".0") {
            Some(t) => t.to_string(),
            None => s,
        }
    };
    if re == 0.0 && re.is_sign_positive() {
        return format!("{}j", part(im));
    }
    let im_s = part(im);
    let sign = if im_s.starts_with('-') { "" } else { "+" };
    format!("({}{sign}{im_s}j)", part(re))
}

/// `repr(x)` (and `str(x)`) of a float.
pub fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x < 0.0 { "-inf".into() } else { "inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let (digits, exp) = shortest_digits(x.abs());
    // value = 0.DIGITS × 10^decpt
    let decpt = exp + 1;
    let sign = if x < 0.0 { "-" } else { "" };
    let n = digits.len() as i32;
    let body = if decpt <= -4 || decpt > 16 {
        let (first, rest) = digits.split_at(1);
        let e = decpt - 1;
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        format!(
            "{first}{frac}e{}{:02}",
            if e < 0 { '-' } else { '+' },
            e.abs()
        )
    } else if decpt <= 0 {
        format!("0.{}{digits}", "0".repeat((-decpt) as usize))
    } else if decpt >= n {
        format!("{digits}{}.0", "0".repeat((decpt - n) as usize))
    } else {
        let (int, frac) = digits.split_at(decpt as usize);
        format!("{int}.{frac}")
    };
    format!("{sign}{body}")
}

/// The shortest decimal digits that round-trip to `x` (> 0), and the
/// decimal exponent of the first digit. Rust's `{:e}` finds them; when the
/// double lies exactly halfway between two shortest candidates it rounds
/// up, where CPython's dtoa (mode 0) rounds half to even, so exact ties are
/// detected from the full expansion and moved to the even digit.
fn shortest_digits(x: f64) -> (String, i32) {
    let split = |sci: &str| -> (String, i32) {
        let (mantissa, exp) = sci.split_once('e').unwrap_or((sci, "0"));
        (
            mantissa.chars().filter(|c| *c != '.').collect(),
            exp.parse().unwrap_or(0),
        )
    };
    let (digits, exp) = split(&format!("{x:e}"));
    let n = digits.len();
    let last = digits.as_bytes()[n - 1];
    if (last - b'0') % 2 == 1 {
        // A double has at most 767 significant decimal digits: 800 is exact.
        let (exact, exact_exp) = split(&format!("{x:.800e}"));
        let lower_last = last - 1;
        let tie = exact_exp == exp
            && exact.as_bytes()[..n - 1] == digits.as_bytes()[..n - 1]
            && exact.as_bytes()[n - 1] == lower_last
            && exact.as_bytes()[n] == b'5'
            && exact.as_bytes()[n + 1..].iter().all(|&d| d == b'0');
        if tie {
            let mut even = digits.into_bytes();
            even[n - 1] = lower_last;
            return (String::from_utf8(even).unwrap_or_default(), exp);
        }
    }
    (digits, exp)
}

/// `Py_UNICODE_ISPRINTABLE` for the characters this module knows: false for
/// control characters (Cc), the separators other than the ASCII space (Zs,
/// Zl, Zp), the common format characters (Cf) and private use (Co).
pub fn is_printable(c: char) -> bool {
    let u = c as u32;
    !matches!(u,
        0x00..=0x1f | 0x7f..=0xa0 | 0xad
        | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x1680 | 0x180e
        | 0x2000..=0x200f | 0x2028..=0x202f | 0x205f..=0x206f
        | 0x3000 | 0xfeff | 0xfff9..=0xfffb
        | 0xe000..=0xf8ff | 0xf0000..=0x10ffff
        | 0xe0001 | 0xe0020..=0xe007f)
}

/// `repr(s)` of a str.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x7f && (c as u32) >= 0x20 => out.push(c),
            c if (c as u32) < 0x80 || !is_printable(c) => {
                let u = c as u32;
                if u <= 0xff {
                    out.push_str(&format!("\\x{u:02x}"));
                } else if u <= 0xffff {
                    out.push_str(&format!("\\u{u:04x}"));
                } else {
                    out.push_str(&format!("\\U{u:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `repr(b)` of a bytes object.
pub fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::with_capacity(b.len() + 3);
    out.push('b');
    out.push(quote as char);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(quote as char);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::approx_constant)] // 1j ** 0.5 as CPython computes it
    fn complexes_print_as_cpython_prints_them() {
        // Printed by CPython 3.8 and 3.13 (identical).
        let cases = [
            ((0.0, 1.0), "1j"),
            ((-0.0, 1.0), "(-0+1j)"),
            ((0.0, -0.0), "-0j"),
            ((-0.0, -1.0), "(-0-1j)"),
            ((1.5, f64::INFINITY), "(1.5+infj)"),
            ((1e20, 2.0), "(1e+20+2j)"),
            ((-2.0, 1.0), "(-2+1j)"),
            (
                (0.7071067811865476, 0.7071067811865475),
                "(0.7071067811865476+0.7071067811865475j)",
            ),
        ];
        for ((re, im), want) in cases {
            assert_eq!(complex_repr(re, im), want);
        }
    }

    #[test]
    #[allow(clippy::excessive_precision)] // exact ties and boundaries are the point
    fn floats_print_as_cpython_prints_them() {
        // Each pair printed by CPython 3.8–3.13 (identical in every version).
        let cases: [(f64, &str); 18] = [
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-0.0, "-0.0"),
            (1.5e-7, "1.5e-07"),
            (2.5, "2.5"),
            (1e22, "1e+22"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (100.0, "100.0"),
            (0.1 + 0.2, "0.30000000000000004"),
            (-12.75, "-12.75"),
            // Exactly halfway between …853.2 and …853.3: half to even.
            (667082108456853.25, "667082108456853.2"),
        ];
        for (x, want) in cases {
            assert_eq!(float_repr(x), want, "{x:e}");
        }
    }

    #[test]
    fn strs_and_bytes_quote_and_escape_as_cpython() {
        assert_eq!(str_repr("a'b"), "\"a'b\"");
        assert_eq!(str_repr("a\"b"), "'a\"b'");
        assert_eq!(str_repr("a'\"b"), "'a\\'\"b'");
        assert_eq!(
            str_repr("\x00\x7f\u{80}\u{a0}\u{ad}\u{200b}\u{2028}é€😀\n\t\\"),
            "'\\x00\\x7f\\x80\\xa0\\xad\\u200b\\u2028é€😀\\n\\t\\\\'"
        );
        assert_eq!(bytes_repr(b"a'b\x00\xff\n"), "b\"a'b\\x00\\xff\\n\"");
        assert_eq!(bytes_repr(b""), "b''");
    }
}
