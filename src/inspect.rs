//! # The object inspector: one object's memory, field by field
//!
//! [`inspect`] lays out what the object an [`ObjView`] shows occupies in
//! a 64-bit CPython of one version: the `PyGC_Head` and the pre-header in
//! front of it (negative offsets from the `PyObject *`), the header
//! (`ob_refcnt`, `ob_type`, `ob_size`), the type's own fields, and what
//! lives inline after them (a tuple's items, an int's digits, a str's
//! characters, a set's small table, 3.13's inline instance values), each
//! with its C name and the value the view knows for it; the allocations
//! it owns besides (a list's item array, a dict's keys and values, a set's
//! table, a 3.11/3.12 instance's values array); and why `sys.getsizeof`
//! says what it says.
//!
//! The fields of an object that owns its block cover that block exactly,
//! from the first byte of the GC header (or pre-header) to the last byte
//! requested: padding and room allocated but unused are fields too
//! (`(padding)`, `(unused)`).
//!
//! The layouts, per version (every offset and size below was read back
//! from the real interpreters 3.8.18–3.13.0 with `ctypes` at `id(x) +
//! offset`, see `tests/inspect.rs`; 3.14's from its headers only):
//!
//! * `PyGC_Head` is 16 bytes (`_gc_next`, `_gc_prev`) in every modelled
//!   version (3.8 shrank it from 3.7's 32: `sys.getsizeof([]) -
//!   [].__sizeof__()` is 32 on 3.7.16 and 16 on 3.8.18).
//! * Pre-header (16 bytes before the GC header) of instances of classes
//!   with a managed dict: 3.11 the values pointer at -32 and the dict
//!   pointer at -24; 3.12 the weakref list at -32 and the tagged
//!   dict-or-values pointer at -24; 3.13+ the weakref list at -32 and the
//!   managed dict at -24 (`MANAGED_WEAKREF_OFFSET`,
//!   `MANAGED_DICT_OFFSET`).
//! * `int`: `ob_size` (the signed digit count) up to 3.11, `lv_tag`
//!   (`ndigits << 3 | sign`, sign 0 positive, 1 zero, 2 negative) from
//!   3.12, then 30-bit digits of 4 bytes at 24.
//! * `str`: `length`, `hash`, `state` (a 32-bit bitfield: interned, kind,
//!   compact, ascii, and `ready` up to 3.11) and 4 bytes of padding, then
//!   up to 3.11 `wstr`; compact non-ASCII strings add `utf8_length`,
//!   `utf8` (and `wstr_length` up to 3.11); the characters follow with a
//!   NUL, at 48/72 (3.8–3.11) or 40/56 (3.12+).
//! * `dict`: `ma_used`, `ma_version_tag` (3.8–3.13; 3.14 renames it
//!   `_ma_watcher_tag`), `ma_keys`, `ma_values`.
//! * `tuple`: `ob_size`, 3.14's `ob_hash`, the items.
//! * functions: 3.8/3.9 start with `func_code`, 3.10+ with `func_globals`,
//!   `func_builtins`, `func_name`, `func_qualname`; 3.11 adds
//!   `func_version`, 3.12 `func_typeparams`, 3.14 `func_annotate`.

use crate::layout::{self, StrKind, GC_HEAD, PTR};
use crate::objects::ObjRef;
use crate::obmalloc::Ptr;
use crate::program::{
    labels, GcView, InstanceLayout, Label, Name, ObjView, OwnedBlock, ViewLayout,
};
use crate::version::{index2size, size_class, Version};

/// Which part of the object's memory a field is in.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// The `PyGC_Head` in front of a GC object.
    GcHeader,
    /// The pre-header in front of the GC header (3.11+ managed dicts and
    /// weak references).
    PreHeader,
    /// `PyObject_HEAD` / `PyObject_VAR_HEAD`: `ob_refcnt`, `ob_type`,
    /// `ob_size`.
    Header,
    /// One of the type's own fields.
    Field,
    /// Variable-size contents stored in the object: items, digits,
    /// characters, a set's small table, inline values.
    Inline,
}

/// One field of an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// Bytes from the `PyObject *` (negative in the GC header and
    /// pre-header).
    pub offset: i64,
    /// Bytes.
    pub size: u64,
    /// The C field name (`ob_refcnt`, `ob_item`, `ma_keys`, …), or a
    /// description in parentheses for padding and unused room.
    pub name: &'static str,
    /// The value the view shows for it, where known (empty otherwise).
    pub value: String,
    /// Where it is.
    pub part: Part,
}

/// An allocation the object owns besides its own block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Buffer {
    /// What it holds: `"item array"`, `"dict keys"`, `"dict values"`,
    /// `"set table"`, `"values array"`, `"shared keys"`, or `"buffer"`.
    pub what: &'static str,
    /// Bytes requested.
    pub request: u64,
    /// The pymalloc block size it got (requests round up to 16 bytes), or
    /// 0 for a block from the system allocator.
    pub block: u64,
    /// From the system allocator (a request of 0 or over 512 bytes).
    pub raw: bool,
}

/// An object's memory, laid out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inspection {
    /// Its fields in address order, from the GC header or pre-header on.
    pub fields: Vec<Field>,
    /// Bytes its own block was requested with (GC header and pre-header
    /// included); 0 for an object that owns no block (a static object, or
    /// one made before the program started).
    pub request: u64,
    /// The pymalloc block size it got, or 0 (a raw block, or no block).
    pub block: u64,
    /// Its block came from the system allocator.
    pub raw: bool,
    /// `sys.getsizeof` of it.
    pub getsizeof: u64,
    /// Why `sys.getsizeof` says so: a sum of terms, each a number (or `a ×
    /// b`) and what it counts, `= getsizeof` at the end.
    pub getsizeof_why: String,
    /// Its other allocations, in the order the view lists them.
    pub buffers: Vec<Buffer>,
}

/// Lays out the object `view` shows, whose type is named `type_name`, as
/// CPython `version` does (see the [module docs](self)). Never panics: a
/// view that does not fit its type's layout (which the model never makes)
/// still gets that layout, with an explanation of `sys.getsizeof` that
/// only states the total.
pub fn inspect(version: Version, view: &ObjView, type_name: &str) -> Inspection {
    let mut b = Builder::new(version, view, type_name);
    match view.layout {
        ViewLayout::Str(kind) => b.str(kind),
        ViewLayout::Dict { split } => b.dict(split),
        ViewLayout::Instance(l) => b.instance(l),
        ViewLayout::Plain => match type_name {
            "int" | "bool" => b.int(),
            "float" => b.float(),
            "complex" => b.complex(),
            "bytes" => b.bytes(),
            "tuple" => b.tuple(),
            "list" => b.list(),
            "set" | "frozenset" => b.set(),
            "function" => b.function(),
            "cell" => b.cell(),
            _ => b.generic(),
        },
    }
    b.finish()
}

/// The pymalloc block size a request of `n` bytes gets.
fn block_of(n: u64) -> u64 {
    match u32::try_from(n) {
        Ok(n @ 1..=512) => u64::from(index2size(size_class(n))),
        _ => 0,
    }
}

/// `block` and `raw` of an owned block.
fn placed(b: &OwnedBlock) -> (u64, bool) {
    match b.ptr {
        Ptr::Raw(_) => (0, true),
        Ptr::Block(_) => (block_of(u64::from(b.nbytes)), false),
    }
}

/// The length a container's preview (`len N`) shows.
fn preview_len(view: &ObjView) -> Option<u64> {
    view.preview.strip_prefix("len ")?.parse().ok()
}

struct Builder<'a> {
    v: Version,
    view: &'a ObjView,
    type_name: &'a str,
    /// The object's own block, if it owns one (the view's first block,
    /// when that holds the object).
    own: Option<OwnedBlock>,
    fields: Vec<Field>,
    /// The getsizeof terms: bytes and what they count.
    terms: Vec<(u64, String)>,
    /// Bytes before the object: GC header and pre-header.
    front: u64,
    /// `sys.getsizeof`, capped so that no arithmetic on it overflows
    /// (a larger one gets the fallback explanation).
    gs: u64,
}

impl<'a> Builder<'a> {
    fn new(v: Version, view: &'a ObjView, type_name: &'a str) -> Builder<'a> {
        let own = view
            .blocks
            .first()
            .filter(|b| b.part == layout::Part::Object)
            .copied();
        Builder {
            v,
            view,
            type_name,
            own,
            fields: Vec::new(),
            terms: Vec::new(),
            front: 0,
            gs: view.getsizeof.min(1 << 40),
        }
    }

    fn minor(&self) -> u32 {
        self.v.minor()
    }

    fn push(&mut self, offset: u64, size: u64, name: &'static str, value: String, part: Part) {
        if size == 0 {
            return;
        }
        self.fields.push(Field {
            offset: offset as i64,
            size,
            name,
            value,
            part,
        });
    }

    fn term(&mut self, bytes: u64, what: impl Into<String>) {
        self.terms.push((bytes, what.into()));
    }

    /// The object's own block's request (0 when it owns none).
    fn request(&self) -> u64 {
        self.own.map_or(0, |b| u64::from(b.nbytes))
    }

    /// The blocks besides its own.
    fn extras(&self) -> &'a [OwnedBlock] {
        let skip = usize::from(self.own.is_some());
        self.view.blocks.get(skip..).unwrap_or_default()
    }

    /// Its first other block holding `part`.
    fn extra(&self, part: layout::Part) -> Option<OwnedBlock> {
        self.extras().iter().find(|b| b.part == part).copied()
    }

    /// `→ what (block P)`.
    fn points(what: &str, b: &OwnedBlock) -> String {
        format!("→ {what} (block {})", b.ptr)
    }

    /// The target of the view's reference labelled `name` (one of
    /// [`crate::program::labels`]).
    fn labelled(&self, name: Name) -> Option<ObjRef> {
        self.view
            .refs
            .iter()
            .find(|e| e.label == Label::Name(name))
            .map(|e| e.to)
    }

    // ---- the parts every object shares --------------------------------

    /// The pre-header of a managed-dict/weakref instance (3.11+), given
    /// the values it holds: (the -32 word, the -24 word).
    fn pre_header(&mut self, words: [(&'static str, String); 2]) {
        let [(n32, v32), (n24, v24)] = words;
        self.fields.push(Field {
            offset: -32,
            size: PTR,
            name: n32,
            value: v32,
            part: Part::PreHeader,
        });
        self.fields.push(Field {
            offset: -24,
            size: PTR,
            name: n24,
            value: v24,
            part: Part::PreHeader,
        });
        self.front += 2 * PTR;
    }

    /// The `PyGC_Head` of a GC type.
    fn gc_header(&mut self) {
        if self.view.gc == GcView::NotGc {
            return;
        }
        let list = match self.view.gc {
            GcView::Gen(g) if self.minor() >= 14 => match g {
                0 => "the young generation".to_string(),
                g => format!("old space {}", g - 1),
            },
            GcView::Gen(g) => format!("generation {g}"),
            GcView::Permanent => "the permanent generation".to_string(),
            GcView::Untracked | GcView::NotGc => String::new(),
        };
        let (next, prev) = if list.is_empty() {
            ("0 (not tracked)".to_string(), "0".to_string())
        } else {
            (format!("→ next in {list}"), format!("→ previous in {list}"))
        };
        self.fields.push(Field {
            offset: -16,
            size: PTR,
            name: "_gc_next",
            value: next,
            part: Part::GcHeader,
        });
        self.fields.push(Field {
            offset: -8,
            size: PTR,
            name: "_gc_prev",
            value: prev,
            part: Part::GcHeader,
        });
        self.front += GC_HEAD;
    }

    /// `ob_refcnt` and `ob_type`.
    fn header(&mut self) {
        let refcnt = match self.view.shown_refcnt {
            Some(n) => n.to_string(),
            // The interpreter's own references are not modelled.
            None => format!("≥ {}", self.view.refcnt),
        };
        self.push(0, PTR, "ob_refcnt", refcnt, Part::Header);
        let ty = self.type_name.to_string();
        self.push(PTR, PTR, "ob_type", ty, Part::Header);
    }

    /// `ob_refcnt`, `ob_type` and `ob_size`.
    fn var_header(&mut self, size: String) {
        self.header();
        self.push(16, PTR, "ob_size", size, Part::Header);
    }

    /// The GC header's term of `sys.getsizeof` (it counts the GC header,
    /// and from 3.11 the pre-header, of every object of a GC type).
    fn gc_term(&mut self) {
        if self.view.gc != GcView::NotGc {
            self.term(GC_HEAD, "GC header");
        }
    }

    /// Closes the layout: room the block has past `end` (an offset from
    /// the object) is unused.
    fn unused_after(&mut self, end: u64) {
        let req = self.request();
        let body = req.saturating_sub(self.front);
        if req > 0 && body > end {
            self.push(end, body - end, "(unused)", String::new(), Part::Inline);
        }
    }

    // ---- the types -----------------------------------------------------

    fn int(&mut self) {
        self.gc_header();
        let header = layout::LONG_HEADER;
        let counted = self.gs.saturating_sub(header) / 4;
        let value: Option<num_bigint::BigInt> = match &*self.view.preview {
            "True" => Some(1.into()),
            "False" => Some(0.into()),
            p => p.parse().ok(),
        };
        let digits: Option<Vec<u32>> = value
            .as_ref()
            .map(|x| x.magnitude().to_u32_digits())
            .map(|d| to_base_2_30(&d));
        let ndigits = digits.as_ref().map_or(counted, |d| d.len() as u64);
        let negative = value
            .as_ref()
            .is_some_and(|x| x.sign() == num_bigint::Sign::Minus);
        self.header();
        if self.minor() >= 12 {
            let sign = if ndigits == 0 {
                1
            } else if negative {
                2
            } else {
                0
            };
            let tag = ndigits << 3 | sign;
            let what = match sign {
                1 => "zero",
                2 => "negative",
                _ => "positive",
            };
            let s = format!("{tag} ({ndigits} digit{}, {what})", plural(ndigits));
            self.push(16, PTR, "lv_tag", s, Part::Field);
        } else {
            let signed = if negative {
                -(ndigits as i64)
            } else {
                ndigits as i64
            };
            self.push(16, PTR, "ob_size", signed.to_string(), Part::Header);
        }
        let shown = ndigits.max(counted);
        let value = match &digits {
            Some(d) if shown <= 8 => {
                // Zero keeps one digit, 0, that ob_size does not count.
                let mut d = d.clone();
                d.resize(shown as usize, 0);
                format!("{d:?} (base 2**30, least significant first)")
            }
            _ => format!("{ndigits} digits"),
        };
        self.push(header, 4 * shown, "ob_digit", value, Part::Inline);
        self.unused_after(header + 4 * shown);
        self.term(header, "offsetof(ob_digit)");
        let why = if ndigits == 0 && counted == 1 {
            "digit (int.__sizeof__ counts at least one)".to_string()
        } else {
            format!("digit{}", plural(counted))
        };
        self.term(4 * counted, format!("4 × {counted} {why}"));
    }

    fn float(&mut self) {
        self.header();
        let v = self.view.preview.to_string();
        self.push(16, 8, "ob_fval", v, Part::Field);
        self.unused_after(24);
        self.term(24, "basicsize");
    }

    fn complex(&mut self) {
        self.header();
        let (re, im) = complex_parts(&self.view.preview);
        self.push(16, 8, "cval.real", re, Part::Field);
        self.push(24, 8, "cval.imag", im, Part::Field);
        self.unused_after(32);
        self.term(32, "basicsize");
    }

    fn str(&mut self, kind: StrKind) {
        let ascii = kind == StrKind::Ascii;
        let old = self.minor() <= 11;
        let header = if ascii {
            layout::ascii_header(self.v)
        } else {
            layout::compact_header(self.v)
        };
        let k = kind.char_size();
        // getsizeof = header + (length + 1) · kind.
        let len = (self.gs.saturating_sub(header) / k).saturating_sub(1);
        self.header();
        self.push(16, 8, "length", len.to_string(), Part::Field);
        self.push(24, 8, "hash", String::new(), Part::Field);
        let kind_n = k;
        let mut state = format!("kind {kind_n}, compact");
        if ascii {
            state.push_str(", ascii");
        }
        if old {
            state.push_str(", ready");
        }
        self.push(32, 4, "state", state, Part::Field);
        self.push(36, 4, "(padding)", String::new(), Part::Field);
        let mut at = 40;
        if old {
            // wchar_t is 4 bytes on Linux: a UCS4 string's wstr is its data.
            let wstr = if kind == StrKind::Ucs4 {
                "→ the characters below (wchar_t is 4 bytes)".to_string()
            } else {
                "NULL".to_string()
            };
            self.push(at, 8, "wstr", wstr, Part::Field);
            at += 8;
        }
        if !ascii {
            self.push(at, 8, "utf8_length", "0".into(), Part::Field);
            self.push(at + 8, 8, "utf8", "NULL".into(), Part::Field);
            at += 16;
            if old {
                let wl = if kind == StrKind::Ucs4 { len } else { 0 };
                self.push(at, 8, "wstr_length", wl.to_string(), Part::Field);
                at += 8;
            }
        }
        let data = (len + 1) * k;
        let preview = format!("{} + NUL", self.view.preview);
        self.push(at, data, "data", preview, Part::Inline);
        self.unused_after(at + data);
        let base = if ascii {
            "PyASCIIObject"
        } else {
            "PyCompactUnicodeObject"
        };
        self.term(header, base);
        if k == 1 {
            self.term(len, format!("char{}", plural(len)));
            self.term(1, "NUL");
        } else {
            self.term(
                k * (len + 1),
                format!(
                    "{k} × {} bytes ({len} char{} and a NUL)",
                    len + 1,
                    plural(len)
                ),
            );
        }
    }

    fn bytes(&mut self) {
        let len = self.gs.saturating_sub(layout::BYTES_HEADER);
        self.var_header(len.to_string());
        self.push(24, 8, "ob_shash", String::new(), Part::Field);
        let preview = format!("{} + NUL", self.view.preview);
        self.push(32, len + 1, "ob_sval", preview, Part::Inline);
        self.unused_after(32 + len + 1);
        self.term(32, "offsetof(ob_sval)");
        self.term(len, format!("byte{}", plural(len)));
        self.term(1, "NUL");
    }

    fn tuple(&mut self) {
        self.gc_header();
        let basic = layout::tuple_basicsize(self.v);
        let gc = if self.view.gc == GcView::NotGc {
            0
        } else {
            GC_HEAD
        };
        let n = self.gs.saturating_sub(gc + basic) / PTR;
        self.var_header(n.to_string());
        if self.minor() >= 14 {
            self.push(24, 8, "ob_hash", String::new(), Part::Field);
        }
        let items = self.items_value(n);
        self.push(basic, PTR * n, "ob_item", items, Part::Inline);
        self.unused_after(basic + PTR * n);
        self.term(basic, "basicsize");
        self.term(PTR * n, format!("8 × {n} item{}", plural(n)));
        self.gc_term();
    }

    /// The first items a container's view lists.
    fn items_value(&self, n: u64) -> String {
        let items: Vec<String> = self
            .view
            .refs
            .iter()
            .filter(|e| e.label == Label::Item)
            .take(4)
            .map(|e| e.to.to_string())
            .collect();
        let more = if (items.len() as u64) < n {
            ", …"
        } else {
            ""
        };
        if items.is_empty() {
            format!("{n} item{}", plural(n))
        } else {
            format!("[{}{more}]", items.join(", "))
        }
    }

    fn list(&mut self) {
        self.gc_header();
        let len = preview_len(self.view).unwrap_or(0);
        self.var_header(len.to_string());
        let items = self.extra(layout::Part::ItemArray);
        let allocated = self.gs.saturating_sub(GC_HEAD + layout::LIST_BASICSIZE) / PTR;
        let item = match &items {
            Some(b) => Self::points("item array", b),
            None => "NULL".to_string(),
        };
        self.push(24, PTR, "ob_item", item, Part::Field);
        self.push(32, PTR, "allocated", allocated.to_string(), Part::Field);
        self.unused_after(layout::LIST_BASICSIZE);
        self.term(layout::LIST_BASICSIZE, "basicsize");
        self.term(PTR * allocated, format!("8 × {allocated} allocated"));
        self.gc_term();
    }

    fn dict(&mut self, split: bool) {
        self.gc_header();
        self.header();
        let used = preview_len(self.view).unwrap_or(0);
        self.push(16, 8, "ma_used", used.to_string(), Part::Field);
        let tag = if self.minor() >= 14 {
            "_ma_watcher_tag"
        } else {
            "ma_version_tag"
        };
        self.push(24, 8, tag, String::new(), Part::Field);
        let keys = self.extra(layout::Part::DictKeys);
        let values = self.extra(layout::Part::DictValues);
        let keys_value = match (&keys, split) {
            (Some(b), _) => Self::points("dict keys", b),
            (None, true) => "→ the class's shared keys (not owned)".to_string(),
            (None, false) => "→ the shared empty keys (static)".to_string(),
        };
        self.push(32, 8, "ma_keys", keys_value, Part::Field);
        let values_value = match (&values, split) {
            (Some(b), _) => Self::points("dict values", b),
            (None, true) => "→ the instance's inline values".to_string(),
            (None, false) => "NULL (combined table)".to_string(),
        };
        self.push(40, 8, "ma_values", values_value, Part::Field);
        self.unused_after(layout::DICT_BASICSIZE);
        self.term(layout::DICT_BASICSIZE, "basicsize");
        let keys_bytes = keys.map_or(0, |b| u64::from(b.nbytes));
        if keys_bytes > 0 {
            self.term(keys_bytes, "keys object");
        }
        let rest = self
            .view
            .getsizeof
            .saturating_sub(GC_HEAD + layout::DICT_BASICSIZE + keys_bytes);
        if split && rest > 0 {
            let n = rest / PTR;
            self.term(PTR * n, format!("8 × {n} value slots"));
        }
        self.gc_term();
    }

    fn set(&mut self) {
        self.gc_header();
        self.header();
        let used = preview_len(self.view).unwrap_or(0);
        let table = self.extra(layout::Part::SetTable);
        let slots = table.map_or(8, |b| u64::from(b.nbytes) / 16);
        self.push(16, 8, "fill", String::new(), Part::Field);
        self.push(24, 8, "used", used.to_string(), Part::Field);
        self.push(
            32,
            8,
            "mask",
            slots.saturating_sub(1).to_string(),
            Part::Field,
        );
        let t = match &table {
            Some(b) => Self::points("set table", b),
            None => "→ smalltable (in the object)".to_string(),
        };
        self.push(40, 8, "table", t, Part::Field);
        let hash = if self.type_name == "set" {
            "-1".to_string()
        } else {
            String::new()
        };
        self.push(48, 8, "hash", hash, Part::Field);
        self.push(56, 8, "finger", String::new(), Part::Field);
        self.push(
            64,
            128,
            "smalltable",
            "8 × {key, hash}".into(),
            Part::Inline,
        );
        self.push(192, 8, "weakreflist", String::new(), Part::Field);
        self.unused_after(layout::SET_BASICSIZE);
        self.term(layout::SET_BASICSIZE, "basicsize");
        self.gc_term();
        if let Some(b) = table {
            self.term(u64::from(b.nbytes), format!("16 × {slots} table slots"));
        }
    }

    fn function(&mut self) {
        self.gc_header();
        self.header();
        let name = self
            .view
            .preview
            .strip_suffix("()")
            .map_or_else(String::new, |n| format!("'{n}'"));
        let defaults = self
            .labelled(labels::DEFAULTS)
            .map(|t| format!("→ {t} (a tuple)"));
        let closure = self
            .labelled(labels::CLOSURE)
            .map(|t| format!("→ {t} (a tuple of cells)"));
        let names: &[&'static str] = match self.minor() {
            8 | 9 => &[
                "func_code",
                "func_globals",
                "func_defaults",
                "func_kwdefaults",
                "func_closure",
                "func_doc",
                "func_name",
                "func_dict",
                "func_weakreflist",
                "func_module",
                "func_annotations",
                "func_qualname",
                "vectorcall",
            ],
            10 | 11 => &[
                "func_globals",
                "func_builtins",
                "func_name",
                "func_qualname",
                "func_code",
                "func_defaults",
                "func_kwdefaults",
                "func_closure",
                "func_doc",
                "func_dict",
                "func_weakreflist",
                "func_module",
                "func_annotations",
                "vectorcall",
            ],
            12 | 13 => &[
                "func_globals",
                "func_builtins",
                "func_name",
                "func_qualname",
                "func_code",
                "func_defaults",
                "func_kwdefaults",
                "func_closure",
                "func_doc",
                "func_dict",
                "func_weakreflist",
                "func_module",
                "func_annotations",
                "func_typeparams",
                "vectorcall",
            ],
            _ => &[
                "func_globals",
                "func_builtins",
                "func_name",
                "func_qualname",
                "func_code",
                "func_defaults",
                "func_kwdefaults",
                "func_closure",
                "func_doc",
                "func_dict",
                "func_weakreflist",
                "func_module",
                "func_annotations",
                "func_annotate",
                "func_typeparams",
                "vectorcall",
            ],
        };
        let mut at = 16;
        for &n in names {
            let value = match n {
                "func_name" | "func_qualname" => name.clone(),
                "func_defaults" => defaults.clone().unwrap_or_else(|| "NULL".into()),
                "func_closure" => closure.clone().unwrap_or_else(|| "NULL".into()),
                _ => String::new(),
            };
            self.push(at, PTR, n, value, Part::Field);
            at += PTR;
        }
        if self.minor() >= 11 {
            self.push(at, 4, "func_version", String::new(), Part::Field);
            self.push(at + 4, 4, "(padding)", String::new(), Part::Field);
            at += 8;
        }
        self.unused_after(at);
        self.term(at, "basicsize");
        self.gc_term();
    }

    fn cell(&mut self) {
        self.gc_header();
        self.header();
        let r = self
            .labelled(labels::CELL_CONTENTS)
            .map_or_else(|| "NULL (empty)".to_string(), |t| format!("→ {t}"));
        self.push(16, PTR, "ob_ref", r, Part::Field);
        self.unused_after(24);
        self.term(24, "basicsize");
        self.gc_term();
    }

    fn instance(&mut self, l: InstanceLayout) {
        let shape = l.shape();
        let v = self.v;
        let minor = self.minor();
        let values_block = self.extra(layout::Part::DictValues);
        let dict = self.labelled(labels::DICT);
        // A built-in exception base keeps `__dict__` among its own fields.
        let own_dict = l.dict && l.base_words == 0;
        let dict_value = match dict {
            _ if !own_dict => "(unused: the dict is a base field)".to_string(),
            Some(d) => format!("→ {d} (the __dict__)"),
            None => "NULL".to_string(),
        };
        let pre = shape.preheader(v);
        if pre > 0 {
            match minor {
                11 => {
                    let vals = match &values_block {
                        Some(b) => Self::points("values array", b),
                        None => "NULL".to_string(),
                    };
                    self.pre_header([("values", vals), ("dict", dict_value.clone())]);
                }
                12 => {
                    let dorv = match &values_block {
                        Some(b) => {
                            format!("{} | 1 (tagged: values)", Self::points("values array", b))
                        }
                        None => dict_value.clone(),
                    };
                    self.pre_header([("weakreflist", String::new()), ("dict_or_values", dorv)]);
                }
                _ => {
                    self.pre_header([
                        ("weakreflist", String::new()),
                        ("managed_dict", dict_value.clone()),
                    ]);
                }
            }
        }
        self.gc_header();
        self.header();
        let mut at = 16;
        if l.base_words > 0 {
            let body = u64::from(l.base_words) * PTR;
            let value = match dict {
                Some(d) => format!("__dict__ → {d}, args, traceback, context, cause, …"),
                None => "__dict__, args, traceback, context, cause, …".to_string(),
            };
            self.push(
                at,
                body,
                "(PyBaseExceptionObject fields)",
                value,
                Part::Field,
            );
            at += body;
        }
        for _ in 0..l.slots {
            self.push(at, PTR, "(__slots__ member)", String::new(), Part::Field);
            at += PTR;
        }
        if own_dict && minor <= 10 {
            self.push(at, PTR, "__dict__", dict_value.clone(), Part::Field);
            at += PTR;
        }
        if l.weakref && minor <= 11 {
            self.push(at, PTR, "__weakref__", String::new(), Part::Field);
            at += PTR;
        }
        let basic = at;
        if l.inline_values > 0 {
            let cap = u64::from(l.inline_capacity);
            let attrs = self
                .view
                .refs
                .iter()
                .filter(|e| matches!(e.label, Label::Key(_)))
                .count();
            let size = if dict.is_none() {
                attrs.to_string()
            } else {
                String::new()
            };
            self.push(at, 1, "capacity", cap.to_string(), Part::Inline);
            self.push(at + 1, 1, "size", size, Part::Inline);
            self.push(at + 2, 1, "embedded", "1".into(), Part::Inline);
            self.push(at + 3, 1, "valid", String::new(), Part::Inline);
            self.push(at + 4, 4, "(padding)", String::new(), Part::Inline);
            at += 8;
            self.push(
                at,
                PTR * cap,
                "values",
                format!("{cap} slots"),
                Part::Inline,
            );
            at += PTR * cap;
            self.push(at, cap, "(insertion order)", String::new(), Part::Inline);
            at += cap;
        }
        self.unused_after(at);
        self.term(basic, "basicsize");
        if pre > 0 {
            self.term(pre, "pre-header");
        }
        self.gc_term();
    }

    fn generic(&mut self) {
        self.gc_header();
        self.header();
        let gc = if self.view.gc == GcView::NotGc {
            0
        } else {
            GC_HEAD
        };
        let own = self.gs.saturating_sub(gc);
        let body = match self.request() {
            0 => own,
            r => r.saturating_sub(self.front),
        };
        if body > 16 {
            self.push(16, body - 16, "(other fields)", String::new(), Part::Field);
        }
        self.term(own, format!("{}.__sizeof__()", self.type_name));
        self.gc_term();
    }

    fn finish(self) -> Inspection {
        let getsizeof = self.view.getsizeof;
        let sum = self.terms.iter().fold(0u64, |a, t| a.saturating_add(t.0));
        let getsizeof_why = if sum == getsizeof && !self.terms.is_empty() {
            let parts: Vec<String> = self
                .terms
                .iter()
                .map(|(n, what)| {
                    if what.starts_with(|c: char| c.is_ascii_digit()) {
                        what.clone()
                    } else {
                        format!("{n} {what}")
                    }
                })
                .collect();
            format!("{} = {getsizeof}", parts.join(" + "))
        } else {
            // The view does not fit the layout the type suggests.
            format!(
                "{getsizeof} {}.__sizeof__() and headers = {getsizeof}",
                self.type_name
            )
        };
        let (request, block, raw) = match &self.own {
            Some(b) => {
                let (block, raw) = placed(b);
                (u64::from(b.nbytes), block, raw)
            }
            None => (0, 0, false),
        };
        let instance = matches!(self.view.layout, ViewLayout::Instance(_));
        let buffers = self
            .extras()
            .iter()
            .map(|b| {
                let (block, raw) = placed(b);
                let what = match b.part {
                    layout::Part::DictValues if instance => "values array",
                    p => p.label(),
                };
                Buffer {
                    what,
                    request: u64::from(b.nbytes),
                    block,
                    raw,
                }
            })
            .collect();
        Inspection {
            fields: self.fields,
            request,
            block,
            raw,
            getsizeof,
            getsizeof_why,
            buffers,
        }
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// 32-bit digits (least significant first) regrouped in 30-bit digits.
fn to_base_2_30(d32: &[u32]) -> Vec<u32> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u64, 0u32);
    for &d in d32 {
        acc |= u64::from(d) << bits;
        bits += 32;
        while bits >= 30 {
            out.push((acc & 0x3fff_ffff) as u32);
            acc >>= 30;
            bits -= 30;
        }
    }
    if acc != 0 {
        out.push(acc as u32);
    }
    while out.last() == Some(&0) {
        out.pop();
    }
    out
}

/// The real and imaginary parts a complex's repr shows (`(1+2j)`, `2j`).
fn complex_parts(repr: &str) -> (String, String) {
    let s = repr.trim_start_matches('(').trim_end_matches(')');
    let Some(body) = s.strip_suffix('j') else {
        return (String::new(), String::new());
    };
    // The imaginary part starts at the last sign not after an `e`.
    let bytes = body.as_bytes();
    let split = (1..bytes.len())
        .rev()
        .find(|&i| matches!(bytes[i], b'+' | b'-') && !matches!(bytes[i - 1], b'e' | b'E'));
    match split {
        Some(i) => (
            body[..i].to_string(),
            body[i..].trim_start_matches('+').to_string(),
        ),
        None => ("0.0".to_string(), body.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;
    use crate::obmalloc::{ArenaId, BlockRef, PoolId, RawId};
    use crate::program::Name;

    fn view(getsizeof: u64, blocks: Vec<OwnedBlock>, layout: ViewLayout, preview: &str) -> ObjView {
        ObjView {
            type_name: Name(0),
            refcnt: 1,
            shown_refcnt: Some(1),
            getsizeof,
            blocks: blocks.into_boxed_slice(),
            preview: preview.into(),
            refs: Rc::from(Vec::new()),
            more_refs: 0,
            gc: GcView::NotGc,
            shared: false,
            layout,
        }
    }

    #[test]
    fn digits_regroup_in_30_bits() {
        // 2**40 + 1000: digits 1000 and 2**10, least significant first.
        assert_eq!(to_base_2_30(&[1000, 256]), [1000, 1024]);
        assert_eq!(to_base_2_30(&[]), Vec::<u32>::new());
        // 2**64 - 1 is 30 + 30 + 4 bits.
        assert_eq!(
            to_base_2_30(&[u32::MAX, u32::MAX]),
            [0x3fff_ffff, 0x3fff_ffff, 0xf]
        );
    }

    #[test]
    fn complex_reprs_split() {
        assert_eq!(complex_parts("(1+2j)"), ("1".into(), "2".into()));
        assert_eq!(complex_parts("(1e-05-2j)"), ("1e-05".into(), "-2".into()));
        assert_eq!(complex_parts("2j"), ("0.0".into(), "2".into()));
        assert_eq!(complex_parts("nonsense"), (String::new(), String::new()));
    }

    #[test]
    fn blocks_round_to_size_classes() {
        assert_eq!(block_of(1), 16);
        assert_eq!(block_of(28), 32);
        assert_eq!(block_of(512), 512);
        assert_eq!(block_of(513), 0);
        assert_eq!(block_of(0), 0);
    }

    /// Views that fit no layout (as a corrupted trace could hold) get an
    /// answer, never a panic.
    #[test]
    fn odd_views_do_not_panic() {
        let raw = OwnedBlock {
            ptr: Ptr::Raw(RawId(1)),
            nbytes: 0,
            part: layout::Part::ItemArray,
        };
        let small = OwnedBlock {
            ptr: Ptr::Block(BlockRef {
                pool: PoolId {
                    arena: ArenaId(0),
                    index: 0,
                },
                block: 0,
            }),
            nbytes: 8,
            part: layout::Part::Object,
        };
        let layouts = [
            ViewLayout::Plain,
            ViewLayout::Str(StrKind::Ucs4),
            ViewLayout::Dict { split: true },
            ViewLayout::Instance(InstanceLayout {
                slots: u16::MAX,
                base_words: u8::MAX,
                inline_values: u8::MAX,
                inline_capacity: u8::MAX,
                dict: true,
                weakref: true,
            }),
        ];
        for v in Version::ALL {
            for layout in layouts {
                for getsizeof in [0, 3, u64::MAX] {
                    for ty in [
                        "int", "bool", "float", "complex", "bytes", "tuple", "list", "set",
                        "function", "cell", "type", "",
                    ] {
                        for preview in ["", "len x", "-", "True", "(j)", "len 99999999999999999999"]
                        {
                            let w = view(getsizeof, vec![small, raw, raw], layout, preview);
                            let i = inspect(v, &w, ty);
                            assert_eq!(i.getsizeof, getsizeof);
                            assert!(i.getsizeof_why.ends_with(&format!("= {getsizeof}")));
                        }
                    }
                }
            }
        }
    }
}
