//! Python's arithmetic on `int` and `float` values, with CPython's results
//! and error messages per version (Objects/longobject.c,
//! Objects/floatobject.c).
//!
//! * Ints are arbitrary precision; `//` and `%` floor toward −∞.
//! * `int / int` is correctly rounded (`long_true_divide`), even for ints
//!   far beyond 2⁵³.
//! * Mixed int/float arithmetic converts the int (OverflowError when it is
//!   too large); comparisons between ints and floats are exact, never
//!   through a lossy conversion.
//! * Float `//` and `%` follow `float_divmod` and `float_rem`.
//!
//! This module computes values only; making objects of them is the
//! interpreter's job.

use std::cmp::Ordering;

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use crate::version::Version;

/// An `int` or a `float` (a `bool` is passed as the int 0 or 1).
#[derive(Clone, Debug, PartialEq)]
pub enum Num {
    /// An `int`.
    Int(BigInt),
    /// A `float`.
    Float(f64),
    /// A `complex`: its real and imaginary parts.
    Complex(f64, f64),
}

/// A Python exception raised by an operation: its type name and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PyErr {
    /// The exception type (`ZeroDivisionError`, `OverflowError`, …).
    pub kind: &'static str,
    /// `str(exception)`.
    pub message: String,
}

impl PyErr {
    fn new(kind: &'static str, message: impl Into<String>) -> PyErr {
        PyErr {
            kind,
            message: message.into(),
        }
    }
}

/// A binary arithmetic operator.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    TrueDiv,
    /// `//`
    FloorDiv,
    /// `%`
    Mod,
    /// `**`
    Pow,
    /// `<<`
    LShift,
    /// `>>`
    RShift,
    /// `&`
    And,
    /// `|`
    Or,
    /// `^`
    Xor,
}

/// Results larger than this many bits are refused rather than computed
/// (the model's memory budget for one int).
pub const MAX_INT_BITS: u64 = 1 << 24;

/// The `kind` of a [`PyErr`] that is not a Python exception: the model does
/// not compute this (a result beyond its budget, a complex result). The
/// interpreter reports it as unsupported, never as a Python exception.
pub const UNSUPPORTED: &str = "unsupported";

/// `a op b`.
pub fn binary(v: Version, op: BinOp, a: &Num, b: &Num) -> Result<Num, PyErr> {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => int_binary(v, op, x, y),
        (Num::Complex(..), _) | (_, Num::Complex(..)) => complex_binary(v, op, a, b),
        _ => {
            if matches!(
                op,
                BinOp::LShift | BinOp::RShift | BinOp::And | BinOp::Or | BinOp::Xor
            ) {
                return Err(unsupported_operands(op, a, b));
            }
            float_binary(v, op, to_float(a)?, to_float(b)?).map(Num::Float)
        }
    }
}

fn symbol(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::TrueDiv => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
        BinOp::Pow => "** or pow()",
        BinOp::LShift => "<<",
        BinOp::RShift => ">>",
        BinOp::And => "&",
        BinOp::Or => "|",
        BinOp::Xor => "^",
    }
}

fn type_name(n: &Num) -> &'static str {
    match n {
        Num::Int(_) => "int",
        Num::Float(_) => "float",
        Num::Complex(..) => "complex",
    }
}

/// The TypeError for `a op b` when neither type implements `op`.
fn unsupported_operands(op: BinOp, a: &Num, b: &Num) -> PyErr {
    PyErr::new(
        "TypeError",
        format!(
            "unsupported operand type(s) for {}: '{}' and '{}'",
            symbol(op),
            type_name(a),
            type_name(b)
        ),
    )
}

/// `a` as a complex (`to_complex` in complexobject.c: an int goes through
/// `PyLong_AsDouble`).
fn as_complex(n: &Num) -> Result<(f64, f64), PyErr> {
    match n {
        Num::Complex(re, im) => Ok((*re, *im)),
        _ => Ok((to_float(n)?, 0.0)),
    }
}

/// `_Py_c_prod`.
fn c_prod(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0)
}

/// `_Py_c_quot`: Smith's algorithm, scaling by the larger part of the
/// divisor; `None` for a zero divisor (CPython sets `errno = EDOM`).
fn c_quot(a: (f64, f64), b: (f64, f64)) -> Option<(f64, f64)> {
    let (abs_re, abs_im) = (b.0.abs(), b.1.abs());
    if abs_re >= abs_im {
        if abs_re == 0.0 {
            return None;
        }
        let ratio = b.1 / b.0;
        let denom = b.0 + b.1 * ratio;
        Some(((a.0 + a.1 * ratio) / denom, (a.1 - a.0 * ratio) / denom))
    } else if abs_im >= abs_re {
        let ratio = b.0 / b.1;
        let denom = b.0 * ratio + b.1;
        Some(((a.0 * ratio + a.1) / denom, (a.1 * ratio - a.0) / denom))
    } else {
        // A NaN in the divisor.
        Some((f64::NAN, f64::NAN))
    }
}

/// `_Py_c_pow`; `None` for zero to a negative or complex power.
fn c_pow(a: (f64, f64), b: (f64, f64)) -> Option<(f64, f64)> {
    if b.0 == 0.0 && b.1 == 0.0 {
        return Some((1.0, 0.0));
    }
    if a.0 == 0.0 && a.1 == 0.0 {
        return (b.1 == 0.0 && b.0 >= 0.0).then_some((0.0, 0.0));
    }
    let vabs = a.0.hypot(a.1);
    let mut len = vabs.powf(b.0);
    let at = a.1.atan2(a.0);
    let mut phase = at * b.0;
    if b.1 != 0.0 {
        len /= (at * b.1).exp();
        phase += b.1 * vabs.ln();
    }
    Some((len * phase.cos(), len * phase.sin()))
}

/// `c_powu`: `x ** n` by repeated squaring.
fn c_powu(x: (f64, f64), n: i64) -> (f64, f64) {
    let (mut r, mut p, mut mask) = ((1.0, 0.0), x, 1i64);
    while mask > 0 && n >= mask {
        if n & mask != 0 {
            r = c_prod(r, p);
        }
        mask <<= 1;
        p = c_prod(p, p);
    }
    r
}

/// `complex_add`, `complex_sub`, `complex_mul`, `complex_div` and
/// `complex_pow` (an integral exponent of at most 100 goes through
/// `c_powi`, by squaring). Floor division and modulo are TypeErrors, with
/// their own messages up to 3.9.
fn complex_binary(v: Version, op: BinOp, a: &Num, b: &Num) -> Result<Num, PyErr> {
    let old = v.minor() <= 9;
    let (x, y) = (as_complex(a)?, as_complex(b)?);
    let (re, im) = match op {
        BinOp::Add => (x.0 + y.0, x.1 + y.1),
        BinOp::Sub => (x.0 - y.0, x.1 - y.1),
        BinOp::Mul => c_prod(x, y),
        BinOp::TrueDiv => c_quot(x, y)
            .ok_or_else(|| PyErr::new("ZeroDivisionError", "complex division by zero"))?,
        BinOp::Pow => {
            let int_exp = y.0 as i64;
            let p = if y.1 == 0.0 && y.0 == int_exp as f64 && (-100..=100).contains(&int_exp) {
                if int_exp > 0 {
                    Some(c_powu(x, int_exp))
                } else {
                    c_quot((1.0, 0.0), c_powu(x, -int_exp))
                }
            } else {
                c_pow(x, y)
            };
            let p = p.ok_or_else(|| {
                PyErr::new("ZeroDivisionError", "0.0 to a negative or complex power")
            })?;
            if p.0.is_infinite() || p.1.is_infinite() {
                return Err(PyErr::new("OverflowError", "complex exponentiation"));
            }
            p
        }
        BinOp::FloorDiv if old => {
            return Err(PyErr::new(
                "TypeError",
                "can't take floor of complex number.",
            ))
        }
        BinOp::Mod if old => return Err(PyErr::new("TypeError", "can't mod complex numbers.")),
        _ => return Err(unsupported_operands(op, a, b)),
    };
    Ok(Num::Complex(re, im))
}

/// `float(x)`: exact for floats; ints are rounded to nearest, ties to even.
pub fn to_float(n: &Num) -> Result<f64, PyErr> {
    match n {
        Num::Float(f) => Ok(*f),
        Num::Int(i) => int_to_f64(i),
        Num::Complex(..) => Err(PyErr::new(UNSUPPORTED, "a complex number as a float")),
    }
}

/// `PyLong_AsDouble`: correctly rounded, OverflowError past the float range.
pub fn int_to_f64(i: &BigInt) -> Result<f64, PyErr> {
    let overflow = || PyErr::new("OverflowError", "int too large to convert to float");
    if i.bits() <= 53 {
        return i.to_f64().ok_or_else(overflow);
    }
    // 53 bits, a round bit and a sticky bit; round half to even by hand.
    let mag = i.magnitude();
    let shift = i.bits() - 54;
    let top = (mag >> shift).to_u64().ok_or_else(overflow)?;
    let sticky = mag.trailing_zeros().is_some_and(|tz| tz < shift);
    let mut m = top >> 1;
    if top & 1 == 1 && (sticky || m & 1 == 1) {
        m += 1;
    }
    let exp = shift as i32 + 1;
    let f = (m as f64) * 2f64.powi(exp);
    if f.is_infinite() {
        return Err(overflow());
    }
    Ok(if i.sign() == Sign::Minus { -f } else { f })
}

fn int_binary(v: Version, op: BinOp, x: &BigInt, y: &BigInt) -> Result<Num, PyErr> {
    let too_big = || PyErr::new(UNSUPPORTED, "an int result beyond the model's size budget");
    Ok(Num::Int(match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => {
            if x.bits() + y.bits() > MAX_INT_BITS {
                return Err(too_big());
            }
            x * y
        }
        BinOp::TrueDiv => return int_true_divide(x, y).map(Num::Float),
        BinOp::FloorDiv => {
            if y.is_zero() {
                return Err(PyErr::new(
                    "ZeroDivisionError",
                    "integer division or modulo by zero",
                ));
            }
            x.div_floor(y)
        }
        BinOp::Mod => {
            if y.is_zero() {
                let msg = if v.minor() >= 11 {
                    "integer modulo by zero"
                } else {
                    "integer division or modulo by zero"
                };
                return Err(PyErr::new("ZeroDivisionError", msg));
            }
            x.mod_floor(y)
        }
        BinOp::Pow => {
            if y.is_negative() {
                // long_pow: a negative exponent makes it a float power.
                return float_binary(v, BinOp::Pow, int_to_f64(x)?, int_to_f64(y)?).map(Num::Float);
            }
            // 0, 1 and -1 stay small whatever the exponent.
            if x.is_zero() {
                return Ok(Num::Int(if y.is_zero() {
                    BigInt::one()
                } else {
                    BigInt::zero()
                }));
            }
            if x.magnitude().is_one() {
                let odd = y.is_odd();
                return Ok(Num::Int(if x.is_negative() && odd {
                    -BigInt::one()
                } else {
                    BigInt::one()
                }));
            }
            let Some(e) = y.to_u64() else {
                return Err(too_big());
            };
            if x.bits().saturating_mul(e) > MAX_INT_BITS && x.magnitude() > &One::one() {
                return Err(too_big());
            }
            num_traits::pow::Pow::pow(x, e)
        }
        BinOp::LShift | BinOp::RShift => {
            if y.is_negative() {
                return Err(PyErr::new("ValueError", "negative shift count"));
            }
            let s = y.to_u64().unwrap_or(u64::MAX);
            if op == BinOp::RShift {
                // Arithmetic shift: floors, as Python's >> does.
                if s >= x.bits() {
                    if x.is_negative() {
                        BigInt::from(-1)
                    } else {
                        BigInt::zero()
                    }
                } else {
                    x.div_floor(&(BigInt::one() << s))
                }
            } else {
                if x.is_zero() {
                    return Ok(Num::Int(BigInt::zero()));
                }
                if x.bits().saturating_add(s) > MAX_INT_BITS {
                    return Err(too_big());
                }
                x << s
            }
        }
        BinOp::And => x & y,
        BinOp::Or => x | y,
        BinOp::Xor => x ^ y,
    }))
}

/// `long_true_divide`: the float nearest to x/y (ties to even).
pub fn int_true_divide(x: &BigInt, y: &BigInt) -> Result<f64, PyErr> {
    if y.is_zero() {
        return Err(PyErr::new("ZeroDivisionError", "division by zero"));
    }
    if x.is_zero() {
        let neg = y.is_negative();
        return Ok(if neg { -0.0 } else { 0.0 });
    }
    let negative = x.is_negative() != y.is_negative();
    let (a, b) = (x.magnitude(), y.magnitude());
    if a.bits() <= 53 && b.bits() <= 53 {
        // Both exact as doubles: one IEEE division is correctly rounded.
        let q = a.to_f64().unwrap_or(0.0) / b.to_f64().unwrap_or(1.0);
        return Ok(if negative { -q } else { q });
    }
    // Scale so the quotient has 55 significant bits, then round by hand.
    let shift = a.bits() as i64 - b.bits() as i64 - 55;
    let (num, den) = if shift >= 0 {
        (a.clone(), b << (shift as u64))
    } else {
        (a << ((-shift) as u64), b.clone())
    };
    let (q, r) = num.div_rem(&den);
    let mut q = q.to_u64().unwrap_or(u64::MAX);
    // q has 55 or 56 bits; keep 53 (fewer if the result is subnormal).
    let qbits = 64 - q.leading_zeros() as i64;
    let exp = qbits + shift; // value ≈ 2^(exp-1) .. 2^exp
    if exp > 1024 {
        return Err(PyErr::new(
            "OverflowError",
            "integer division result too large for a float",
        ));
    }
    let keep = (53i64).min(exp + 1074).max(0);
    let drop = qbits - keep;
    let sticky = !r.is_zero();
    let mut m = if drop > 0 { q >> drop } else { q };
    if drop > 0 {
        let half = 1u64 << (drop - 1);
        let low = q & ((1u64 << drop) - 1);
        let round_up = low > half || (low == half && (sticky || m & 1 == 1));
        if round_up {
            m += 1;
        }
    }
    q = m;
    let f = ldexp(q as f64, (shift + drop.max(0)) as i32);
    if f.is_infinite() {
        return Err(PyErr::new(
            "OverflowError",
            "integer division result too large for a float",
        ));
    }
    Ok(if negative { -f } else { f })
}

fn float_binary(v: Version, op: BinOp, x: f64, y: f64) -> Result<f64, PyErr> {
    let zero = |msg: &str| Err(PyErr::new("ZeroDivisionError", msg));
    match op {
        BinOp::Add => Ok(x + y),
        BinOp::Sub => Ok(x - y),
        BinOp::Mul => Ok(x * y),
        BinOp::TrueDiv => {
            if y == 0.0 {
                return zero("float division by zero");
            }
            Ok(x / y)
        }
        BinOp::FloorDiv => {
            if y == 0.0 {
                return zero(if v.minor() >= 9 {
                    "float floor division by zero"
                } else {
                    "float divmod()"
                });
            }
            Ok(float_divmod(x, y).0)
        }
        BinOp::Mod => {
            if y == 0.0 {
                return zero(if v.minor() >= 13 {
                    "float modulo by zero"
                } else {
                    "float modulo"
                });
            }
            Ok(float_divmod(x, y).1)
        }
        BinOp::Pow => float_pow(x, y),
        _ => unreachable_float_op(op),
    }
}

fn unreachable_float_op(op: BinOp) -> Result<f64, PyErr> {
    // Guarded in `binary`: bitwise operators never reach float arithmetic.
    Err(PyErr::new(
        "TypeError",
        format!("unsupported operand type(s) for {}: 'float'", symbol(op)),
    ))
}

/// `float_divmod` (Objects/floatobject.c): (floor quotient, remainder with
/// the divisor's sign). `y` must not be zero.
pub fn float_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut m = x % y; // C fmod
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(y);
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0f64.copysign(x / y)
    };
    (floordiv, m)
}

/// `float_pow` (Objects/floatobject.c), case by case in its order.
fn float_pow(iv: f64, iw: f64) -> Result<f64, PyErr> {
    if iw == 0.0 {
        return Ok(1.0);
    }
    if iv.is_nan() {
        return Ok(iv);
    }
    if iw.is_nan() {
        return Ok(if iv == 1.0 { 1.0 } else { iw });
    }
    if iw.is_infinite() {
        let a = iv.abs();
        return Ok(if a == 1.0 {
            1.0
        } else if (a > 1.0) == (iw > 0.0) {
            f64::INFINITY
        } else {
            0.0
        });
    }
    let iw_is_odd = (iw.abs() % 2.0) == 1.0;
    if iv.is_infinite() {
        return Ok(if iw > 0.0 {
            if iw_is_odd {
                iv
            } else {
                iv.abs()
            }
        } else if iw_is_odd {
            0.0f64.copysign(iv)
        } else {
            0.0
        });
    }
    if iv == 0.0 {
        if iw < 0.0 {
            return Err(PyErr::new(
                "ZeroDivisionError",
                "0.0 cannot be raised to a negative power",
            ));
        }
        return Ok(if iw_is_odd { iv } else { 0.0 });
    }
    let (mut base, mut negate) = (iv, false);
    if iv < 0.0 {
        if iw != iw.floor() {
            // CPython hands this to complex power; complex is not modelled yet.
            return Err(PyErr::new(
                UNSUPPORTED,
                "a complex result of ** (complex numbers are not modelled yet)",
            ));
        }
        base = -iv;
        negate = iw_is_odd;
    }
    if base == 1.0 {
        return Ok(if negate { -1.0 } else { 1.0 });
    }
    let r = base.powf(iw);
    if r.is_infinite() {
        return Err(PyErr::new(
            "OverflowError",
            "(34, 'Numerical result out of range')",
        ));
    }
    Ok(if negate { -r } else { r })
}

/// `m · 2^e` for an `m` already rounded to what the result can hold: scaled
/// in two steps so that neither step overflows or underflows on its own
/// (`2f64.powi(-1074)` alone is 0).
fn ldexp(m: f64, e: i32) -> f64 {
    let half = e / 2;
    m * 2f64.powi(half) * 2f64.powi(e - half)
}

/// Exact comparison of two numbers; `None` when a NaN is involved.
pub fn compare(a: &Num, b: &Num) -> Option<Ordering> {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => Some(x.cmp(y)),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(y),
        (Num::Int(x), Num::Float(y)) => compare_int_float(x, *y),
        (Num::Float(x), Num::Int(y)) => compare_int_float(y, *x).map(Ordering::reverse),
        // complex_richcompare: only equality; unequal is reported unordered.
        (Num::Complex(re, im), other) | (other, Num::Complex(re, im)) => {
            let eq = match other {
                Num::Complex(re2, im2) => re == re2 && im == im2,
                _ => *im == 0.0 && compare(&Num::Float(*re), other) == Some(Ordering::Equal),
            };
            eq.then_some(Ordering::Equal)
        }
    }
}

/// `float_richcompare`'s exact int-versus-float comparison.
fn compare_int_float(i: &BigInt, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let fl = f.floor();
    // A finite float's floor is an integer, so it converts exactly.
    let fi = float_to_bigint(fl);
    match i.cmp(&fi) {
        Ordering::Equal if f > fl => Some(Ordering::Less),
        o => Some(o),
    }
}

/// `n / d` rounded to the nearest integer, ties to even
/// (`_PyLong_DivmodNear`'s quotient); `d` is positive.
fn div_near(n: &BigInt, d: &BigInt) -> BigInt {
    let (q, r) = n.div_mod_floor(d);
    let twice = &r * 2;
    if twice > *d || (twice == *d && q.is_odd()) {
        q + 1
    } else {
        q
    }
}

/// `round(i, ndigits)` of an int with `ndigits < 0` (`long_round`): to the
/// nearest multiple of `10**-ndigits`, ties to even.
pub fn round_int(i: &BigInt, ndigits: i64) -> BigInt {
    let Ok(k) = u32::try_from(-ndigits) else {
        return BigInt::zero();
    };
    let scale = BigInt::from(10).pow(k);
    div_near(i, &scale) * scale
}

/// `round(x)` of a float (`float___round___impl` with no `ndigits`): the
/// nearest integer, ties to even; errors for infinities and NaN.
pub fn round_float_to_int(x: f64) -> Result<BigInt, PyErr> {
    let mut r = x.round();
    if (x - r).abs() == 0.5 {
        r = 2.0 * (x / 2.0).round();
    }
    float_to_int(r)
}

/// `round(x, ndigits)` of a float (`double_round`): the float nearest the
/// exact value of `x` correctly rounded to `ndigits` decimal places, ties
/// to even. Past `NDIGITS_MAX` (323) `x` is unchanged; below `NDIGITS_MIN`
/// (−308) it is a zero of `x`'s sign.
pub fn round_float(x: f64, ndigits: i64) -> Result<f64, PyErr> {
    if ndigits > 323 || !x.is_finite() || x == 0.0 {
        return Ok(x);
    }
    if ndigits < -308 {
        return Ok(0.0 * x);
    }
    let text = if ndigits >= 0 {
        // Rust formats the exact binary value, rounding ties to even, as
        // _Py_dg_dtoa's mode 3 does.
        format!("{:.*}", ndigits as usize, x)
    } else {
        // x = mant · 2**exp exactly; divide by 10**k and round.
        let k = (-ndigits) as u32;
        let bits = x.abs().to_bits();
        let raw_exp = ((bits >> 52) & 0x7ff) as i64;
        let (mant, exp) = if raw_exp == 0 {
            (bits & ((1 << 52) - 1), -1074)
        } else {
            ((bits & ((1 << 52) - 1)) | (1 << 52), raw_exp - 1075)
        };
        let scale = BigInt::from(10).pow(k);
        let q = if exp >= 0 {
            div_near(&(BigInt::from(mant) << exp as u64), &scale)
        } else {
            div_near(&BigInt::from(mant), &(scale << (-exp) as u64))
        };
        format!("{}{q}e{k}", if x < 0.0 { "-" } else { "" })
    };
    let r: f64 = text.parse().unwrap_or(f64::NAN);
    if r.is_infinite() {
        return Err(PyErr::new(
            "OverflowError",
            "rounded value too large to represent",
        ));
    }
    // A result of zero keeps x's sign (the string has it).
    Ok(r)
}

/// The integer value of a finite, integral float (exact).
fn float_to_bigint(f: f64) -> BigInt {
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let mant = if exp == 0 {
        (bits & ((1 << 52) - 1)) << 1
    } else {
        (bits & ((1 << 52) - 1)) | (1 << 52)
    };
    let e = exp - 1075;
    let mag = if e >= 0 {
        BigInt::from(mant) << (e as u64)
    } else {
        BigInt::from(mant >> ((-e) as u64).min(63))
    };
    if f < 0.0 {
        -mag
    } else {
        mag
    }
}

/// `int(x)` of a float: truncated toward zero; errors for inf and nan.
pub fn float_to_int(f: f64) -> Result<BigInt, PyErr> {
    if f.is_nan() {
        return Err(PyErr::new(
            "ValueError",
            "cannot convert float NaN to integer",
        ));
    }
    if f.is_infinite() {
        return Err(PyErr::new(
            "OverflowError",
            "cannot convert float infinity to integer",
        ));
    }
    Ok(float_to_bigint(f.trunc()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i(n: i64) -> Num {
        Num::Int(BigInt::from(n))
    }

    #[test]
    fn floor_division_and_modulo_follow_the_divisor_sign() {
        let v = Version::V3_12;
        assert_eq!(binary(v, BinOp::FloorDiv, &i(-7), &i(2)), Ok(i(-4)));
        assert_eq!(binary(v, BinOp::Mod, &i(-7), &i(2)), Ok(i(1)));
        assert_eq!(binary(v, BinOp::Mod, &i(7), &i(-2)), Ok(i(-1)));
        assert_eq!(
            binary(v, BinOp::FloorDiv, &Num::Float(-7.5), &i(2)),
            Ok(Num::Float(-4.0))
        );
        assert_eq!(
            binary(v, BinOp::Mod, &Num::Float(-7.5), &i(2)),
            Ok(Num::Float(0.5))
        );
        assert_eq!(binary(v, BinOp::RShift, &i(-7), &i(1)), Ok(i(-4)));
    }

    #[test]
    fn zero_division_messages_change_with_the_version() {
        let msg = |v, op, a: Num, b: Num| binary(v, op, &a, &b).map_err(|e| e.message);
        assert_eq!(
            msg(Version::V3_10, BinOp::Mod, i(1), i(0)),
            Err("integer division or modulo by zero".into())
        );
        assert_eq!(
            msg(Version::V3_11, BinOp::Mod, i(1), i(0)),
            Err("integer modulo by zero".into())
        );
        assert_eq!(
            msg(Version::V3_8, BinOp::FloorDiv, Num::Float(1.0), i(0)),
            Err("float divmod()".into())
        );
        assert_eq!(
            msg(Version::V3_9, BinOp::FloorDiv, Num::Float(1.0), i(0)),
            Err("float floor division by zero".into())
        );
        assert_eq!(
            msg(Version::V3_10, BinOp::FloorDiv, Num::Float(1.0), i(0)),
            Err("float floor division by zero".into())
        );
        assert_eq!(
            msg(Version::V3_12, BinOp::Mod, Num::Float(1.0), i(0)),
            Err("float modulo".into())
        );
        assert_eq!(
            msg(Version::V3_13, BinOp::Mod, Num::Float(1.0), i(0)),
            Err("float modulo by zero".into())
        );
        assert_eq!(
            msg(Version::V3_8, BinOp::TrueDiv, i(1), i(0)),
            Err("division by zero".into())
        );
    }

    #[test]
    fn int_true_division_is_correctly_rounded() {
        let big = BigInt::from(10).pow(30u32);
        assert_eq!(
            int_true_divide(&big, &BigInt::from(7)),
            Ok(1.4285714285714285e29)
        );
        assert_eq!(
            int_true_divide(&BigInt::from(1), &BigInt::from(3)),
            Ok(1.0 / 3.0)
        );
        assert!(int_true_divide(&BigInt::from(10).pow(400u32), &BigInt::from(3)).is_err());
    }

    #[test]
    fn ints_and_floats_compare_exactly() {
        let two53p1 = Num::Int(BigInt::from(9_007_199_254_740_993i64));
        let f = Num::Float(9_007_199_254_740_992.0);
        assert_eq!(
            compare(&two53p1, &f),
            Some(Ordering::Greater),
            "2**53+1 > float(2**53)"
        );
        assert_eq!(compare(&i(1), &Num::Float(1.5)), Some(Ordering::Less));
        assert_eq!(compare(&i(-2), &Num::Float(-1.5)), Some(Ordering::Less));
        assert_eq!(compare(&i(0), &Num::Float(f64::NAN)), None);
    }
}
