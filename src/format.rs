//! The format-spec mini-language: `format(value, spec)` and f-string
//! `{value:spec}` for `int`, `float` and `str`, with CPython's output and
//! error messages per version (Python/formatter_unicode.c).
//!
//! `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`
//!
//! Version differences: the `z` flag (coerce negative zero) exists from
//! 3.11; from 3.10 a leading `0` no longer forces `=` alignment on types
//! whose default alignment is left (strings: `format('a', '05')` works);
//! from 3.11 "Invalid format specifier" names the spec and the type; from
//! 3.9 a space sign on a str says "Space not allowed".

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};

use crate::numeric::{int_to_f64, PyErr};
use crate::pyfmt::float_repr;
use crate::version::Version;

fn value_error(msg: impl Into<String>) -> PyErr {
    PyErr {
        kind: "ValueError",
        message: msg.into(),
    }
}

/// `unknown_presentation_type`: printable codes verbatim, others as `\xNN`.
fn unknown_code(t: char, type_name: &str) -> PyErr {
    let code = if (33..128).contains(&(t as u32)) {
        t.to_string()
    } else {
        format!("\\x{:x}", t as u32)
    };
    value_error(format!(
        "Unknown format code '{code}' for object of type '{type_name}'"
    ))
}

/// Widest field the model formats (CPython would build the string).
pub const MAX_WIDTH: usize = 1_000_000;
/// Largest precision the model formats.
pub const MAX_PRECISION: usize = 1_000;

/// A parsed format spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    /// Fill character.
    pub fill: char,
    /// `<`, `>`, `^`, `=`, or `None` for the type's default.
    pub align: Option<char>,
    /// `+`, `-` or ` ` as written (`None` when absent: `-` behaviour).
    pub sign: Option<char>,
    /// `z`: negative zero prints as zero (3.11+).
    pub z: bool,
    /// `#`: alternate form.
    pub alternate: bool,
    /// Minimum width.
    pub width: usize,
    /// `,` or `_`.
    pub grouping: Option<char>,
    /// Digits after the point (or significant digits, or characters).
    pub precision: Option<usize>,
    /// The presentation type.
    pub ty: Option<char>,
}

/// `parse_internal_render_format_spec`. `default_align` is `>` for
/// numbers and `<` for strings; `default_type` is the type assumed when
/// none is given (`'d'` for int, `'s'` for str, none for float), which the
/// grouping check uses; `type_name` is for error messages.
pub fn parse_spec(
    v: Version,
    spec: &str,
    default_align: char,
    default_type: Option<char>,
    type_name: &str,
) -> Result<Spec, PyErr> {
    let c: Vec<char> = spec.chars().collect();
    let is_align = |ch: char| matches!(ch, '<' | '>' | '=' | '^');
    let mut s = Spec {
        fill: ' ',
        align: None,
        sign: None,
        z: false,
        alternate: false,
        width: 0,
        grouping: None,
        precision: None,
        ty: None,
    };
    let mut pos = 0;
    let mut fill_specified = false;
    if c.len() >= 2 && is_align(c[1]) {
        s.fill = c[0];
        s.align = Some(c[1]);
        fill_specified = true;
        pos = 2;
    } else if !c.is_empty() && is_align(c[0]) {
        s.align = Some(c[0]);
        pos = 1;
    }
    if pos < c.len() && matches!(c[pos], '+' | '-' | ' ') {
        s.sign = Some(c[pos]);
        pos += 1;
    }
    if v.minor() >= 11 && pos < c.len() && c[pos] == 'z' {
        s.z = true;
        pos += 1;
    }
    if pos < c.len() && c[pos] == '#' {
        s.alternate = true;
        pos += 1;
    }
    if !fill_specified && pos < c.len() && c[pos] == '0' {
        s.fill = '0';
        // bpo-27772 (3.10): only where numbers would right-align anyway.
        if s.align.is_none() && (v.minor() < 10 || default_align == '>') {
            s.align = Some('=');
        }
        pos += 1;
    }
    let digits = |pos: &mut usize| -> Result<Option<usize>, PyErr> {
        let start = *pos;
        while *pos < c.len() && c[*pos].is_ascii_digit() {
            *pos += 1;
        }
        if *pos == start {
            return Ok(None);
        }
        let text: String = c[start..*pos].iter().collect();
        text.parse::<usize>()
            .ok()
            .filter(|n| *n <= isize::MAX as usize)
            .map(Some)
            .ok_or_else(|| value_error("Too many decimal digits in format string"))
    };
    s.width = digits(&mut pos)?.unwrap_or(0);
    if s.width > MAX_WIDTH {
        return Err(PyErr {
            kind: crate::numeric::UNSUPPORTED,
            message: format!("a format width over {MAX_WIDTH}"),
        });
    }
    if pos < c.len() && c[pos] == ',' {
        s.grouping = Some(',');
        pos += 1;
    }
    if pos < c.len() && c[pos] == '_' {
        if s.grouping.is_some() {
            return Err(value_error("Cannot specify both ',' and '_'."));
        }
        s.grouping = Some('_');
        pos += 1;
    }
    if pos < c.len() && c[pos] == ',' && s.grouping == Some('_') {
        return Err(value_error("Cannot specify both ',' and '_'."));
    }
    if pos < c.len() && c[pos] == '.' {
        pos += 1;
        let p =
            digits(&mut pos)?.ok_or_else(|| value_error("Format specifier missing precision"))?;
        if p > MAX_PRECISION {
            return Err(PyErr {
                kind: crate::numeric::UNSUPPORTED,
                message: format!("a format precision over {MAX_PRECISION}"),
            });
        }
        s.precision = Some(p);
    }
    if c.len() - pos > 1 {
        return Err(value_error(if v.minor() >= 11 {
            format!("Invalid format specifier '{spec}' for object of type '{type_name}'")
        } else {
            "Invalid format specifier".to_string()
        }));
    }
    if pos < c.len() {
        s.ty = Some(c[pos]);
    }
    if let Some(g) = s.grouping {
        let ok = match s.ty.or(default_type) {
            None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F') => true,
            Some('b' | 'o' | 'x' | 'X') => g == '_',
            _ => false,
        };
        if !ok {
            let t = s.ty.or(default_type).unwrap_or('s');
            return Err(value_error(format!("Cannot specify '{g}' with '{t}'.")));
        }
    }
    Ok(s)
}

/// Pads `sign + prefix + body` to the spec's width.
fn pad(s: &Spec, default_align: char, sign: &str, prefix: &str, body: &str) -> String {
    let len = sign.chars().count() + prefix.chars().count() + body.chars().count();
    let fill_n = s.width.saturating_sub(len);
    let fill = |n: usize| std::iter::repeat_n(s.fill, n).collect::<String>();
    match s.align.unwrap_or(default_align) {
        '<' => format!("{sign}{prefix}{body}{}", fill(fill_n)),
        '^' => format!(
            "{}{sign}{prefix}{body}{}",
            fill(fill_n / 2),
            fill(fill_n - fill_n / 2)
        ),
        '=' => format!("{sign}{prefix}{}{body}", fill(fill_n)),
        _ => format!("{}{sign}{prefix}{body}", fill(fill_n)),
    }
}

/// Groups the digits `d` with `sep` every `every` digits from the right.
fn group(d: &str, sep: char, every: usize) -> String {
    let n = d.chars().count();
    let mut out = String::with_capacity(n + n / every);
    for (i, ch) in d.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(every) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// Zero padding with grouping: CPython groups the padding zeros too
/// (`format(1234, '010,')` is `'00,001,234'`).
fn grouped_digits(s: &Spec, digits: &str, every: usize, taken: usize) -> String {
    let Some(sep) = s.grouping else {
        return digits.to_string();
    };
    let mut d = digits.to_string();
    if s.fill == '0' && s.align == Some('=') {
        let grouped_len = |k: usize| k + (k.max(1) - 1) / every;
        let mut k = d.len();
        while taken + grouped_len(k) < s.width {
            k += 1;
        }
        d = format!("{}{d}", "0".repeat(k - d.len()));
    }
    group(&d, sep, every)
}

fn sign_str(s: &Spec, negative: bool) -> &'static str {
    match (negative, s.sign.unwrap_or('-')) {
        (true, _) => "-",
        (false, '+') => "+",
        (false, ' ') => " ",
        _ => "",
    }
}

/// `format(n, spec)` for an int.
pub fn format_int(v: Version, n: &BigInt, spec: &str) -> Result<String, PyErr> {
    if spec.is_empty() {
        return Ok(n.to_string());
    }
    let s = parse_spec(v, spec, '>', Some('d'), "int")?;
    if let Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') = s.ty {
        return format_float_spec(v, int_to_f64(n)?, &s);
    }
    if s.precision.is_some() {
        return Err(value_error(
            "Precision not allowed in integer format specifier",
        ));
    }
    if s.z {
        return Err(value_error(
            "Negative zero coercion (z) not allowed in integer format specifier",
        ));
    }
    let (base, prefix) = match s.ty {
        None | Some('d' | 'n') => (10, ""),
        Some('b') => (2, "0b"),
        Some('o') => (8, "0o"),
        Some('x') => (16, "0x"),
        Some('X') => (16, "0X"),
        Some('c') => {
            if s.sign.is_some() {
                return Err(value_error(
                    "Sign not allowed with integer format specifier 'c'",
                ));
            }
            if s.alternate {
                return Err(value_error(
                    "Alternate form (#) not allowed with integer format specifier 'c'",
                ));
            }
            let overflow = |m: &str| PyErr {
                kind: "OverflowError",
                message: m.into(),
            };
            let long = n
                .to_i64()
                .ok_or_else(|| overflow("Python int too large to convert to C long"))?;
            let ch = u32::try_from(long)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| overflow("%c arg not in range(0x110000)"))?;
            return Ok(pad(&s, '>', "", "", &ch.to_string()));
        }
        Some(t) => return Err(unknown_code(t, "int")),
    };
    let mag = n.abs();
    let mut digits = mag.to_str_radix(base);
    if s.ty == Some('X') {
        digits = digits.to_uppercase();
    }
    let sign = sign_str(&s, n.is_negative());
    let prefix = if s.alternate { prefix } else { "" };
    let every = if base == 10 { 3 } else { 4 };
    let body = grouped_digits(&s, &digits, every, sign.len() + prefix.len());
    Ok(pad(&s, '>', sign, prefix, &body))
}

/// `format(x, spec)` for a float.
pub fn format_float(v: Version, x: f64, spec: &str) -> Result<String, PyErr> {
    if spec.is_empty() {
        return Ok(float_repr(x));
    }
    let s = parse_spec(v, spec, '>', None, "float")?;
    format_float_spec(v, x, &s)
}

/// Splits `"1234.5e+06"` into the integer digits and the rest.
fn split_int_part(body: &str) -> (&str, &str) {
    let end = body
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(body.len());
    body.split_at(end)
}

fn format_float_spec(v: Version, x: f64, s: &Spec) -> Result<String, PyErr> {
    let _ = v;
    let ty = s.ty;
    if let Some(t) = ty {
        if !matches!(t, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%') {
            return Err(unknown_code(t, "float"));
        }
    }
    let upper = matches!(ty, Some('E' | 'F' | 'G'));
    let mut negative = x.is_sign_negative() && !x.is_nan();
    let a = x.abs();
    let mut body = if !x.is_finite() {
        let t = if x.is_nan() { "nan" } else { "inf" };
        let t = if upper {
            t.to_uppercase()
        } else {
            t.to_string()
        };
        if ty == Some('%') {
            format!("{t}%")
        } else {
            t
        }
    } else {
        match ty {
            Some('f' | 'F') => fixed(a, s.precision.unwrap_or(6), s.alternate),
            Some('%') => format!(
                "{}%",
                fixed(a * 100.0, s.precision.unwrap_or(6), s.alternate)
            ),
            Some('e' | 'E') => sci(a, s.precision.unwrap_or(6), s.alternate, upper),
            Some('g' | 'G' | 'n') => {
                general(a, s.precision.unwrap_or(6), s.alternate, upper, false)
            }
            None => match s.precision {
                None => {
                    // repr style; '#' keeps a point even with no digits after it.
                    let mut r = float_repr(a);
                    if s.alternate && !r.contains('.') {
                        let i = r.find('e').unwrap_or(r.len());
                        r.insert(i, '.');
                    }
                    r
                }
                Some(p) => general(a, p, s.alternate, false, true),
            },
            Some(_) => unreachable_type(),
        }
    };
    if s.z
        && negative
        && body
            .chars()
            .all(|c| matches!(c, '0' | '.' | '%' | 'e' | 'E' | '+' | '-'))
    {
        negative = false;
    }
    let sign = sign_str(s, negative);
    // inf and nan have no digits to group (zero padding still applies).
    if let Some(sep) = s.grouping.filter(|_| x.is_finite()) {
        let (int, rest) = split_int_part(&body);
        let spec = Spec {
            grouping: Some(sep),
            ..s.clone()
        };
        let grouped = grouped_digits(&spec, int, 3, sign.len() + rest.chars().count());
        body = format!("{grouped}{rest}");
    }
    Ok(pad(s, '>', sign, "", &body))
}

fn unreachable_type() -> String {
    // Every type was checked at the top of `format_float_spec`.
    String::new()
}

/// `'f'`: `p` digits after the point (correctly rounded, ties to even).
fn fixed(a: f64, p: usize, alternate: bool) -> String {
    let mut t = format!("{a:.p$}");
    if p == 0 && alternate {
        t.push('.');
    }
    t
}

/// `'e'`: one digit, `p` after the point, exponent with at least two digits.
fn sci(a: f64, p: usize, alternate: bool, upper: bool) -> String {
    let t = format!("{a:.p$e}");
    let (m, e) = t.split_once('e').unwrap_or((&t, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let dot = if p == 0 && alternate { "." } else { "" };
    let ech = if upper { 'E' } else { 'e' };
    format!(
        "{m}{dot}{ech}{}{:02}",
        if e < 0 { '-' } else { '+' },
        e.abs()
    )
}

/// `'g'` with `p` significant digits; `add_dot_0` is the no-type variant,
/// which keeps at least one digit after the point in fixed notation.
fn general(a: f64, p: usize, alternate: bool, upper: bool, add_dot_0: bool) -> String {
    let p = p.max(1);
    let t = format!("{a:.prec$e}", prec = p - 1);
    let (_, e) = t.split_once('e').unwrap_or((&t, "0"));
    let exp: i64 = e.parse().unwrap_or(0);
    // format_float_short: exponent form when decpt > precision, or
    // > precision - 1 when ".0" must be added (decpt = exp + 1).
    let limit = if add_dot_0 { p as i64 - 1 } else { p as i64 };
    let mut out = if -4 <= exp && exp < limit {
        let decimals = (p as i64 - 1 - exp).max(0) as usize;
        format!("{a:.decimals$}")
    } else {
        sci(a, p - 1, false, upper)
    };
    if !alternate {
        // Strip trailing zeros (and a bare point) from the mantissa.
        let (mant, exp_part) = match out.find(['e', 'E']) {
            Some(i) => (out[..i].to_string(), out[i..].to_string()),
            None => (out.clone(), String::new()),
        };
        let mant = if mant.contains('.') {
            mant.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            mant
        };
        out = format!("{mant}{exp_part}");
    } else if !out.contains('.') {
        let i = out.find(['e', 'E']).unwrap_or(out.len());
        out.insert(i, '.');
    }
    if add_dot_0 && !out.contains(['.', 'e', 'E']) {
        out.push_str(".0");
    }
    out
}

/// `format(s, spec)` for a str.
pub fn format_str(v: Version, text: &str, spec: &str) -> Result<String, PyErr> {
    if spec.is_empty() {
        return Ok(text.to_string());
    }
    let s = parse_spec(v, spec, '<', Some('s'), "str")?;
    if let Some(t) = s.ty.filter(|t| *t != 's') {
        return Err(unknown_code(t, "str"));
    }
    if s.sign == Some(' ') && v.minor() >= 9 {
        return Err(value_error("Space not allowed in string format specifier"));
    }
    if s.sign.is_some() {
        return Err(value_error("Sign not allowed in string format specifier"));
    }
    if s.z {
        return Err(value_error(
            "Negative zero coercion (z) not allowed in string format specifier",
        ));
    }
    if s.alternate {
        return Err(value_error(
            "Alternate form (#) not allowed in string format specifier",
        ));
    }
    if s.align == Some('=') {
        return Err(value_error(
            "'=' alignment not allowed in string format specifier",
        ));
    }
    let body: String = match s.precision {
        Some(p) => text.chars().take(p).collect(),
        None => text.to_string(),
    };
    Ok(pad(&s, '<', "", "", &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_specs_print_as_cpython() {
        let v = Version::V3_12;
        assert_eq!(format_float(v, 0.125, ".2f"), Ok("0.12".into()));
        assert_eq!(format_float(v, 1e16, "g"), Ok("1e+16".into()));
        assert_eq!(format_float(v, 1.5, ".3"), Ok("1.5".into()));
        assert_eq!(format_float(v, 100.0, ".3"), Ok("1e+02".into()));
        assert_eq!(format_float(v, -0.0, "z.1f"), Ok("0.0".into()));
        assert_eq!(
            format_float(v, 1234567.891, ",.2f"),
            Ok("1,234,567.89".into())
        );
        assert_eq!(format_float(v, 0.12345, "%"), Ok("12.345000%".into()));
        assert_eq!(format_float(v, 1e100, ".3e"), Ok("1.000e+100".into()));
        assert_eq!(format_int(v, &BigInt::from(12), "#x"), Ok("0xc".into()));
        assert_eq!(
            format_int(v, &BigInt::from(-12), "08d"),
            Ok("-0000012".into())
        );
        assert_eq!(
            format_int(v, &BigInt::from(255), "_b"),
            Ok("1111_1111".into())
        );
        assert_eq!(
            format_int(v, &BigInt::from(1234), "010,"),
            Ok("00,001,234".into())
        );
        assert_eq!(format_str(v, "ab", "^6"), Ok("  ab  ".into()));
        assert_eq!(format_str(v, "abcdef", ".3"), Ok("abc".into()));
    }

    #[test]
    fn errors_name_what_cpython_names() {
        let msg = |r: Result<String, PyErr>| r.map_err(|e| e.message);
        assert_eq!(
            msg(format_float(Version::V3_10, 1.5, "z.1f")),
            Err("Invalid format specifier".into())
        );
        assert_eq!(
            msg(format_float(Version::V3_11, 1.5, "abc")),
            Err("Invalid format specifier 'abc' for object of type 'float'".into())
        );
        assert_eq!(
            msg(format_str(Version::V3_9, "a", "05")),
            Err("'=' alignment not allowed in string format specifier".into())
        );
        assert_eq!(
            msg(format_str(Version::V3_10, "a", "05")),
            Ok("a0000".into())
        );
        assert_eq!(
            msg(format_int(Version::V3_12, &BigInt::from(1), ",x")),
            Err("Cannot specify ',' with 'x'.".into())
        );
    }
}

/// One piece of `fmt % (a, b, ...)` as CPython 3.11+'s AST optimizer
/// rewrites it into an f-string (see [`percent_as_fstring`]).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PercentPiece {
    /// A literal run of text (`%%` already collapsed).
    Literal,
    /// A `%s`, `%r` or `%a` conversion of the next item, with a format
    /// spec when it had a width or a precision.
    Field {
        /// A format spec (`>5`, `.3`) is passed to `FORMAT_VALUE`.
        spec: bool,
    },
}

/// How CPython 3.11+'s AST optimizer compiles `fmt % (a, b, ...)`, a tuple
/// display of `n` items with none starred (`optimize_format` in
/// Python/ast_opt.c, bpo-28307): as an f-string of these pieces when every
/// conversion is `%s`, `%r` or `%a`, with flags and at most two digits of
/// width and of precision (`MAXDIGITS`), one per item; `None` when it
/// stays a `%` operation.
pub fn percent_as_fstring(fmt: &str, n: usize) -> Option<Vec<PercentPiece>> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut pieces = Vec::new();
    let mut pos = 0;
    let mut count = 0;
    loop {
        // parse_literal: up to a `%` that does not start `%%`.
        let start = pos;
        while pos < chars.len() {
            if chars[pos] != '%' {
                pos += 1;
            } else if chars.get(pos + 1) == Some(&'%') {
                pos += 2;
            } else {
                break;
            }
        }
        if pos > start {
            pieces.push(PercentPiece::Literal);
        }
        if pos >= chars.len() {
            break;
        }
        if count >= n {
            return None;
        }
        pos += 1;
        // simple_format_arg_parse.
        let mut next = || {
            let c = chars.get(pos).copied();
            pos += 1;
            c
        };
        let mut ch = next()?;
        while matches!(ch, '-' | '+' | ' ' | '#' | '0') {
            ch = next()?;
        }
        let mut spec = false;
        for leading in [true, false] {
            if !leading {
                if ch != '.' {
                    break;
                }
                spec = true;
                ch = next()?;
            }
            let mut digits = 0;
            while ch.is_ascii_digit() {
                spec = true;
                ch = next()?;
                digits += 1;
                if digits >= 3 {
                    return None;
                }
            }
        }
        if !matches!(ch, 's' | 'r' | 'a') {
            return None;
        }
        pieces.push(PercentPiece::Field { spec });
        count += 1;
    }
    (count == n).then_some(pieces)
}
