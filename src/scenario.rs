//! Allocation scenarios: scripted sequences of `malloc`, `free` and `realloc`
//! calls that drive the allocator model directly, with no interpreter in the
//! loop, starting from the real startup heap (see
//! [`Trace::record`](crate::trace::Trace::record)).
//!
//! Text form, one call per line, `#` starts a comment:
//! ```text
//! malloc a 24      # name a 24-byte block "a"
//! realloc a 100
//! free a
//! ```

use std::collections::HashSet;
use std::fmt;

/// One allocator call. Blocks are named by small integer ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// `PyObject_Malloc(nbytes)`, remembered as block `id`; `what` says what
    /// CPython object would make such a request.
    Malloc {
        /// The new block's id.
        id: u32,
        /// Bytes requested.
        nbytes: u64,
        /// What CPython object would make the request; empty when unknown.
        what: &'static str,
    },
    /// `PyObject_Free` of block `id`.
    Free {
        /// The block freed.
        id: u32,
    },
    /// `PyObject_Realloc` of block `id` to `nbytes`.
    Realloc {
        /// The block resized (it keeps its id if it moves).
        id: u32,
        /// The new requested size.
        nbytes: u64,
    },
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::Malloc {
                id,
                nbytes,
                what: "",
            } => {
                write!(f, "malloc({nbytes}) → #{id}")
            }
            Op::Malloc { id, nbytes, what } => write!(f, "malloc({nbytes}) for {what} → #{id}"),
            Op::Free { id } => write!(f, "free(#{id})"),
            Op::Realloc { id, nbytes } => write!(f, "realloc(#{id}, {nbytes})"),
        }
    }
}

/// A named sequence of allocator calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// A human-readable title.
    pub name: String,
    /// The calls, in order.
    pub ops: Vec<Op>,
}

/// The three object sizes of the built-in scenario: a float (24 bytes), an
/// empty list with its GC header (56) and an 8-slot str-keyed dict keys
/// object (120), in size classes 1, 3 and 7 on every version.
const BUILTIN_SIZES: [(u64, &str); 3] = [(24, "a float"), (56, "a list"), (120, "dict keys")];

impl Scenario {
    /// The default scenario: allocate 3000 objects of three sizes, free every
    /// other one, allocate 1500 again (they refill the holes, newest first),
    /// then free everything.
    pub fn builtin() -> Scenario {
        let mut ops = Vec::new();
        let mut live = Vec::new();
        let mut next_id = 0u32;
        let mut malloc = |ops: &mut Vec<Op>, live: &mut Vec<u32>, k: usize| {
            let (nbytes, what) = BUILTIN_SIZES[k % BUILTIN_SIZES.len()];
            ops.push(Op::Malloc {
                id: next_id,
                nbytes,
                what,
            });
            live.push(next_id);
            next_id += 1;
        };
        for k in 0..3000 {
            malloc(&mut ops, &mut live, k);
        }
        let (evens, odds): (Vec<_>, Vec<_>) = live.iter().partition(|id| *id % 2 == 0);
        ops.extend(evens.iter().map(|&id| Op::Free { id }));
        live = odds;
        for k in 0..1500 {
            malloc(&mut ops, &mut live, k);
        }
        ops.extend(live.iter().map(|&id| Op::Free { id }));
        Scenario {
            name: "Three sizes: allocate, free every other, refill, free all".into(),
            ops,
        }
    }

    /// Parses the text form. Errors name the line and column.
    pub fn parse(name: &str, text: &str) -> Result<Scenario, ScenarioError> {
        let mut ops = Vec::new();
        let mut ids: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        let mut live: HashSet<u32> = HashSet::new();
        for (lineno, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("");
            let words: Vec<(usize, &str)> = line
                .split_whitespace()
                .map(|w| (w.as_ptr() as usize - line.as_ptr() as usize + 1, w))
                .collect();
            let Some(&(col, verb)) = words.first() else {
                continue;
            };
            let err = |col: usize, message: String| ScenarioError {
                line: lineno + 1,
                column: col,
                message,
            };
            let arg = |i: usize, what: &str| {
                words
                    .get(i)
                    .copied()
                    .ok_or_else(|| err(raw.trim_end().len() + 1, format!("expected {what}")))
            };
            let size = |i: usize| -> Result<u64, ScenarioError> {
                let (c, w) = arg(i, "a size in bytes")?;
                w.parse::<u64>()
                    .map_err(|_| err(c, format!("{w:?} is not a size in bytes")))
            };
            let expect_end = |n: usize| match words.get(n) {
                Some(&(c, w)) => Err(err(c, format!("unexpected {w:?}"))),
                None => Ok(()),
            };
            match verb {
                "malloc" => {
                    let (c, name) = arg(1, "a block name")?;
                    let nbytes = size(2)?;
                    expect_end(3)?;
                    let next = ids.len() as u32;
                    let id = *ids.entry(name.to_string()).or_insert(next);
                    if !live.insert(id) {
                        return Err(err(c, format!("block {name:?} is already allocated")));
                    }
                    ops.push(Op::Malloc {
                        id,
                        nbytes,
                        what: "",
                    });
                }
                "free" | "realloc" => {
                    let (c, name) = arg(1, "a block name")?;
                    let id = match ids.get(name) {
                        Some(id) if live.contains(id) => *id,
                        _ => return Err(err(c, format!("block {name:?} is not allocated"))),
                    };
                    if verb == "free" {
                        expect_end(2)?;
                        live.remove(&id);
                        ops.push(Op::Free { id });
                    } else {
                        let nbytes = size(2)?;
                        expect_end(3)?;
                        ops.push(Op::Realloc { id, nbytes });
                    }
                }
                other => {
                    return Err(err(
                        col,
                        format!("unknown call {other:?}: expected malloc, free or realloc"),
                    ))
                }
            }
        }
        Ok(Scenario {
            name: name.to_string(),
            ops,
        })
    }
}

/// A scenario file that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column of the offending word (one past the end of the line
    /// when an argument is missing).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ScenarioError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_scenario_shape() {
        let s = Scenario::builtin();
        let mallocs = s
            .ops
            .iter()
            .filter(|o| matches!(o, Op::Malloc { .. }))
            .count();
        let frees = s
            .ops
            .iter()
            .filter(|o| matches!(o, Op::Free { .. }))
            .count();
        assert_eq!((mallocs, frees), (4500, 4500));
        assert_eq!(s.ops[3000], Op::Free { id: 0 });
        assert_eq!(
            s.ops[4500],
            Op::Malloc {
                id: 3000,
                nbytes: 24,
                what: "a float"
            }
        );
    }

    #[test]
    fn parses_text_and_reports_errors_with_positions() {
        let s =
            Scenario::parse("t", "malloc a 24\n  realloc a 100 # grow\nfree a\n").expect("parse");
        assert_eq!(
            s.ops,
            vec![
                Op::Malloc {
                    id: 0,
                    nbytes: 24,
                    what: ""
                },
                Op::Realloc { id: 0, nbytes: 100 },
                Op::Free { id: 0 }
            ]
        );
        let e = Scenario::parse("t", "malloc a 24\nfree b").expect_err("unknown block");
        assert_eq!((e.line, e.column), (2, 6));
        assert_eq!(e.to_string(), "2:6: block \"b\" is not allocated");
        let e = Scenario::parse("t", "  mallok a 1").expect_err("bad verb");
        assert_eq!((e.line, e.column), (1, 3));
        let e = Scenario::parse("t", "malloc a x").expect_err("bad size");
        assert_eq!(e.to_string(), "1:10: \"x\" is not a size in bytes");
        let e = Scenario::parse("t", "malloc a").expect_err("missing size");
        assert_eq!(e.to_string(), "1:9: expected a size in bytes");
        let e = Scenario::parse("t", "malloc a 1\nmalloc a 2").expect_err("twice");
        assert_eq!((e.line, e.column), (2, 8));
        assert!(Scenario::parse("t", "free a 3").is_err());
        assert!(Scenario::parse("t", "malloc a 99999999999999999999999").is_err());
    }
}
