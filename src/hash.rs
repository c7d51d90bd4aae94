//! Python's `hash()` for the types the model can hash (Python/pyhash.c,
//! Objects/longobject.c, floatobject.c, tupleobject.c, unicodeobject.c).
//!
//! Numbers hash by value modulo 2**61 − 1, tuples with the xxHash-style
//! combination `tuplehash` uses since 3.8, and objects without `__hash__`
//! by address (`_Py_HashPointer`). `str` and `bytes` hash with SipHash under
//! a per-process random key; the model uses the key CPython uses under
//! `PYTHONHASHSEED=0` (all zeros), so a set of strs iterates in the order
//! `PYTHONHASHSEED=0 python3` shows (a plain run's order differs run to run).

use crate::version::Version;
use num_bigint::BigInt;
use num_traits::ToPrimitive;

/// `_PyHASH_MODULUS`: hashes of numbers are reduced modulo 2**61 − 1.
const HASH_MODULUS: u64 = (1 << 61) - 1;

/// `long_hash`: the value modulo 2**61 − 1 with the sign kept; −1 becomes −2.
pub fn hash_int(i: &BigInt) -> i64 {
    let m = BigInt::from(HASH_MODULUS);
    let r = (i.magnitude() % m.magnitude()).to_i64().unwrap_or(0);
    let h = if i.sign() == num_bigint::Sign::Minus {
        -r
    } else {
        r
    };
    if h == -1 {
        -2
    } else {
        h
    }
}

/// `_Py_HashDouble` for finite values and infinities (NaN hashes by
/// identity from 3.10, which the caller must not rely on).
pub fn hash_float(f: f64) -> i64 {
    if f.is_infinite() {
        return if f > 0.0 { 314_159 } else { -314_159 };
    }
    if f.is_nan() {
        return 0;
    }
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        return hash_int(&BigInt::from(f as i64));
    }
    // m · 2**e exactly: hash the rational number m·2**e mod P.
    let bits = f.abs().to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let mant = if exp == 0 {
        (bits & ((1 << 52) - 1)) << 1
    } else {
        (bits & ((1 << 52) - 1)) | (1 << 52)
    };
    let e = if exp == 0 { -1074 } else { exp - 1075 };
    let p = HASH_MODULUS as u128;
    let m = (mant as u128) % p;
    // 2**e mod P, with 2**61 ≡ 1: rotate by e mod 61.
    let k = e.rem_euclid(61) as u32;
    let h = ((m << k) % p) as i64;
    let h = if f < 0.0 { -h } else { h };
    if h == -1 {
        -2
    } else {
        h
    }
}

/// `_Py_HashPointer`: the address rotated right by 4 bits (the low bits
/// of an aligned address are always zero).
pub fn hash_pointer(addr: u64) -> i64 {
    let h = addr.rotate_right(4) as i64;
    if h == -1 {
        -2
    } else {
        h
    }
}

/// `hash(None)`: by address up to 3.11; the constant `0xFCA86420` from 3.12.
pub fn hash_none(v: Version, addr: u64) -> i64 {
    if v.minor() >= 12 {
        0xFCA8_6420
    } else {
        hash_pointer(addr)
    }
}

const XXPRIME_1: u64 = 11_400_714_785_074_694_791;
const XXPRIME_2: u64 = 14_029_467_366_897_019_727;
const XXPRIME_5: u64 = 2_870_177_450_012_600_261;

/// `tuplehash` (3.8+): xxHash's lane combination over the items' hashes.
pub fn hash_tuple(lanes: &[i64]) -> i64 {
    let mut acc = XXPRIME_5;
    for &lane in lanes {
        acc = acc.wrapping_add((lane as u64).wrapping_mul(XXPRIME_2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(XXPRIME_1);
    }
    acc = acc.wrapping_add(lanes.len() as u64 ^ (XXPRIME_5 ^ 3_527_539));
    if acc == u64::MAX {
        return 1_546_275_796;
    }
    acc as i64
}

/// `_Py_HashBytes` with a zero key: SipHash-2-4 up to 3.10, SipHash-1-3
/// from 3.11 (`Py_HASH_ALGORITHM`'s default changed); 0 for no bytes.
pub fn hash_bytes(v: Version, data: &[u8]) -> i64 {
    if data.is_empty() {
        return 0;
    }
    let (c, d) = if v.minor() >= 11 { (1, 3) } else { (2, 4) };
    let h = siphash(c, d, data) as i64;
    if h == -1 {
        -2
    } else {
        h
    }
}

/// `unicode_hash`: the hash of the str's canonical storage (1, 2 or 4
/// bytes per code point, from the largest one, little-endian).
pub fn hash_str(v: Version, s: &str) -> i64 {
    let max = s.chars().map(u32::from).max().unwrap_or(0);
    let width = if max < 0x100 {
        1
    } else if max < 0x1_0000 {
        2
    } else {
        4
    };
    let mut data = Vec::with_capacity(s.len() * width);
    for ch in s.chars() {
        data.extend_from_slice(&u32::from(ch).to_le_bytes()[..width]);
    }
    hash_bytes(v, &data)
}

/// SipHash-c-d with k0 = k1 = 0, as pyhash.c computes it.
fn siphash(c: usize, d: usize, data: &[u8]) -> u64 {
    let mut v = [
        0x736f_6d65_7073_6575_u64,
        0x646f_7261_6e64_6f6d,
        0x6c79_6765_6e65_7261,
        0x7465_6462_7974_6573,
    ];
    fn round(v: &mut [u64; 4]) {
        v[0] = v[0].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(13) ^ v[0];
        v[0] = v[0].rotate_left(32);
        v[2] = v[2].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(16) ^ v[2];
        v[0] = v[0].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(21) ^ v[0];
        v[2] = v[2].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(17) ^ v[2];
        v[2] = v[2].rotate_left(32);
    }
    let mut chunks = data.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let m = u64::from_le_bytes(word);
        v[3] ^= m;
        (0..c).for_each(|_| round(&mut v));
        v[0] ^= m;
    }
    let mut last = [0u8; 8];
    let tail = chunks.remainder();
    last[..tail.len()].copy_from_slice(tail);
    let b = u64::from_le_bytes(last) | ((data.len() as u64) << 56);
    v[3] ^= b;
    (0..c).for_each(|_| round(&mut v));
    v[0] ^= b;
    v[2] ^= 0xff;
    (0..d).for_each(|_| round(&mut v));
    v[0] ^ v[1] ^ v[2] ^ v[3]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values printed by `PYTHONHASHSEED=0 python3 -c 'print(hash(x))'`
    /// on 3.10.13 (SipHash-2-4) and 3.11.7 (SipHash-1-3).
    #[test]
    fn strs_and_bytes_hash_as_under_a_zero_seed() {
        let words = ["abc", "abcdefgh", "abcdefghijklmnop1", "é", "€x", "😀"];
        let v10: Vec<i64> = words.iter().map(|w| hash_str(Version::V3_10, w)).collect();
        assert_eq!(
            v10,
            [
                4596069200710135518,
                -1847705707669741165,
                -6680571030645332739,
                4954367630624915103,
                -3982534550712167977,
                2694534307785527896
            ]
        );
        let v11: Vec<i64> = words.iter().map(|w| hash_str(Version::V3_11, w)).collect();
        assert_eq!(
            v11,
            [
                -4594863902769663758,
                4574395652268504554,
                5437669791142772262,
                6047309291227476195,
                -483395623852268653,
                -3536540696076613844
            ]
        );
        assert_eq!(hash_bytes(Version::V3_10, b"abc"), 4596069200710135518);
        assert_eq!(hash_str(Version::V3_13, ""), 0);
    }

    /// `hash((1, 2))`, `hash(())` and `hash((1, (2, 3)))` on every version.
    #[test]
    fn tuples_combine_their_items_hashes() {
        assert_eq!(hash_tuple(&[1, 2]), -3550055125485641917);
        assert_eq!(hash_tuple(&[]), 5740354900026072187);
        let inner = hash_tuple(&[2, 3]);
        assert_eq!(hash_tuple(&[1, inner]), 7267574591690527098);
        assert_eq!(hash_int(&BigInt::from(-1)), -2);
        assert_eq!(hash_float(1.5), 1152921504606846977);
    }
}
