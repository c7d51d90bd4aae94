//! Calling the built-in types and the built-in functions over iterables:
//! `int()`, `float()`, `list()`, `tuple()`, `dict()`, `iter()`, `next()`,
//! `sorted()`, `sum()`, `min()`, `max()`, `abs()`, `divmod()`, `chr()`,
//! `ord()`, `hash()`, `any()`, `all()`.
//!
//! Each returns what CPython returns, down to identity: `int(x)` of an exact
//! int and `tuple(t)` of a tuple return the argument itself, and a result
//! that is a small int or a cached string is the cached object.

use super::*;

impl Interp {
    /// Every item of the iterable `x` (owned references), in order, with
    /// `len(x)` when it has one. Iterating an iterator consumes it.
    pub(super) fn collect_items(&mut self, x: ObjRef, span: ast::Span) -> R<Vec<ObjRef>> {
        let mut out = Vec::new();
        let r = self.for_each_item(x, span, |_, item| {
            out.push(item);
            Ok(())
        });
        match r {
            Ok(()) => Ok(out),
            Err(u) => {
                self.release(out);
                Err(u)
            }
        }
    }

    /// Iterates over `x` (borrowed) one item at a time, as C code's
    /// `PyIter_Next` loops do: each item (owned) goes to `f` before the
    /// next is made, so only one is alive at a time unless `f` keeps it.
    pub(super) fn for_each_item(
        &mut self,
        x: ObjRef,
        span: ast::Span,
        mut f: impl FnMut(&mut Self, ObjRef) -> R<()>,
    ) -> R<()> {
        self.for_each_item_until(x, span, |me, item| f(me, item).map(|()| true))
    }

    /// [`Interp::for_each_item`] that stops early when `f` returns false
    /// (a C loop that `break`s: the rest of the items are never made).
    pub(super) fn for_each_item_until(
        &mut self,
        x: ObjRef,
        span: ast::Span,
        mut f: impl FnMut(&mut Self, ObjRef) -> R<bool>,
    ) -> R<()> {
        self.objs.incref(x); // get_iter consumes a reference; the caller keeps its own
        let it = self.get_iter(x, span)?;
        let r = loop {
            if let Err(u) = self.round() {
                break Err(u);
            }
            match self.next(it, span.line) {
                Ok(Some(item)) => match f(self, item) {
                    Ok(true) => {}
                    Ok(false) => break Ok(()),
                    Err(u) => break Err(u),
                },
                Ok(None) => break Ok(()),
                Err(u) => break Err(u),
            }
        };
        self.decref(it);
        r
    }

    /// `int(x)`, `int(s, base)`.
    pub(super) fn int_of(&mut self, args: &[ObjRef], span: ast::Span) -> R<ObjRef> {
        let line = span.line;
        let (x, base) = match args {
            [] => return self.make_num(Num::Int(BigInt::zero()), line),
            [x] => (*x, None),
            [x, b] => (*x, Some(*b)),
            _ => return self.bad_builtin_call("int", args.len(), span),
        };
        if let Some(b) = base {
            let Some(b) = self.as_index(b) else {
                return unsupported(span, "int() with a non-int base");
            };
            let Payload::Str(s) = self.payload(x).clone() else {
                return exc(
                    line,
                    "TypeError",
                    "int() can't convert non-string with explicit base",
                );
            };
            return self.int_from_str(&s, b, line, span);
        }
        match self.payload(x).clone() {
            // PyNumber_Long: an exact int is returned as it is.
            Payload::Int(_) => {
                self.objs.incref(x);
                Ok(x)
            }
            Payload::Bool(b) => self.make_num(Num::Int(BigInt::from(b as u8)), line),
            Payload::Float(f) => match numeric::float_to_int(f) {
                Ok(i) => self.make_num(Num::Int(i), line),
                Err(err) => Err(Unwind::Exc(Raised::new(ExcVal::Lazy(err), line))),
            },
            Payload::Str(s) => self.int_from_str(&s, 10, line, span),
            p => {
                let t = p.type_name();
                if t == "complex" && self.v().minor() <= 9 {
                    exc(line, "TypeError", "can't convert complex to int")
                } else if matches!(t, "list" | "tuple" | "dict" | "NoneType" | "complex") {
                    exc(
                        line,
                        "TypeError",
                        format!(
                            "int() argument must be a string, a bytes-like object or a {}number, not '{t}'",
                            if self.v().minor() >= 10 { "real " } else { "" }
                        ),
                    )
                } else {
                    unsupported(span, format!("int() of {t}"))
                }
            }
        }
    }

    /// `int(s, base)` of a str (`PyLong_FromUnicodeObject`).
    fn int_from_str(&mut self, s: &str, base: i64, line: u32, span: ast::Span) -> R<ObjRef> {
        if base != 10 && !(2..=36).contains(&base) && base != 0 {
            return exc(
                line,
                "ValueError",
                "int() base must be >= 2 and <= 36, or 0",
            );
        }
        if base != 10 {
            return unsupported(span, "int() with a base other than 10");
        }
        let t = s.trim_matches(|c: char| c.is_whitespace());
        let (neg, digits) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        // Digits with single underscores between them (PEP 515).
        let ok = !digits.is_empty()
            && !digits.starts_with('_')
            && !digits.ends_with('_')
            && !digits.contains("__")
            && digits.chars().all(|c| c.is_ascii_digit() || c == '_');
        if !ok {
            if !s.is_ascii() {
                return unsupported(span, "int() of a non-ASCII string");
            }
            return exc(
                line,
                "ValueError",
                format!("invalid literal for int() with base 10: {}", str_repr(s)),
            );
        }
        let clean: String = digits.chars().filter(|&c| c != '_').collect();
        if clean.len() > MAX_STR_DIGITS {
            return unsupported(span, format!("int() of more than {MAX_STR_DIGITS} digits"));
        }
        let mut v: BigInt = clean.parse().unwrap_or_default();
        if neg {
            v = -v;
        }
        self.make_num(Num::Int(v), line)
    }

    /// `float(x)`.
    pub(super) fn float_of(&mut self, args: &[ObjRef], span: ast::Span) -> R<ObjRef> {
        let line = span.line;
        let x = match args {
            [] => return self.make_num(Num::Float(0.0), line),
            [x] => *x,
            _ => {
                return exc(
                    line,
                    "TypeError",
                    format!("float expected at most 1 argument, got {}", args.len()),
                )
            }
        };
        match self.payload(x).clone() {
            Payload::Float(_) => {
                self.objs.incref(x);
                Ok(x)
            }
            Payload::Int(i) => match numeric::int_to_f64(&i) {
                Ok(f) => self.make_num(Num::Float(f), line),
                Err(err) => Err(Unwind::Exc(Raised::new(ExcVal::Lazy(err), line))),
            },
            Payload::Bool(b) => self.make_num(Num::Float(b as u8 as f64), line),
            Payload::Str(s) => match parse_float(&s) {
                Some(f) => self.make_num(Num::Float(f), line),
                None if s.is_ascii() => exc(
                    line,
                    "ValueError",
                    format!("could not convert string to float: {}", str_repr(&s)),
                ),
                None => unsupported(span, "float() of a non-ASCII string"),
            },
            Payload::Complex(..) if self.v().minor() <= 9 => {
                exc(line, "TypeError", "can't convert complex to float")
            }
            Payload::Complex(..) => exc(
                line,
                "TypeError",
                "float() argument must be a string or a real number, not 'complex'",
            ),
            p => unsupported(span, format!("float() of {}", p.type_name())),
        }
    }

    /// `round(number, ndigits=None)` of an int, bool or float
    /// (`long_round`, `float___round___impl`).
    pub(super) fn round_of(&mut self, args: &[ObjRef], span: ast::Span) -> R<ObjRef> {
        let line = span.line;
        let lazy = |err| Err(Unwind::Exc(Raised::new(ExcVal::Lazy(err), line)));
        let (x, nd) = match args {
            [] => {
                return exc(
                    line,
                    "TypeError",
                    "round() missing required argument 'number' (pos 1)",
                )
            }
            [x] => (*x, None),
            [x, n] if matches!(self.payload(*n), Payload::None) => (*x, None),
            [x, n] => match self.as_index(*n) {
                Some(n) => (*x, Some(n)),
                None => return unsupported(span, "round() with a non-int ndigits"),
            },
            _ => {
                return exc(
                    line,
                    "TypeError",
                    format!("round() takes at most 2 arguments ({} given)", args.len()),
                )
            }
        };
        match (self.payload(x).clone(), nd) {
            // long_long: an exact int is returned as it is.
            (Payload::Int(_), None) => {
                self.objs.incref(x);
                Ok(x)
            }
            (Payload::Int(_), Some(n)) if n >= 0 => {
                self.objs.incref(x);
                Ok(x)
            }
            (Payload::Bool(b), Some(n)) if n >= 0 => {
                self.make_num(Num::Int(BigInt::from(b as u8)), line)
            }
            (Payload::Bool(b), None) => self.make_num(Num::Int(BigInt::from(b as u8)), line),
            (Payload::Int(i), Some(n)) => self.make_num(Num::Int(numeric::round_int(&i, n)), line),
            (Payload::Bool(b), Some(n)) => {
                let i = BigInt::from(b as u8);
                self.make_num(Num::Int(numeric::round_int(&i, n)), line)
            }
            (Payload::Float(f), None) => match numeric::round_float_to_int(f) {
                Ok(i) => self.make_num(Num::Int(i), line),
                Err(err) => lazy(err),
            },
            (Payload::Float(f), Some(n)) => match numeric::round_float(f, n) {
                Ok(r) => self.make_num(Num::Float(r), line),
                Err(err) => lazy(err),
            },
            (p, _)
                if matches!(
                    p,
                    Payload::Complex(..)
                        | Payload::Str(_)
                        | Payload::None
                        | Payload::List { .. }
                        | Payload::Tuple(_)
                ) =>
            {
                exc(
                    line,
                    "TypeError",
                    format!("type {} doesn't define __round__ method", p.type_name()),
                )
            }
            (p, _) => unsupported(span, format!("round() of {}", p.type_name())),
        }
    }

    /// `range(...)` whose bounds or length do not fit a C long: a
    /// [`Payload::BigRange`].
    pub(super) fn big_range_of(&mut self, args: &[ObjRef], span: ast::Span) -> R<ObjRef> {
        let mut v = Vec::with_capacity(3);
        for &a in args {
            match self.payload(a) {
                Payload::Int(i) => v.push(i.clone()),
                &Payload::Bool(b) => v.push(BigInt::from(b as u8)),
                _ => return unsupported(span, "range() of non-int arguments"),
            }
        }
        let one = BigInt::from(1);
        let (start, stop, step) = match v.len() {
            1 => (BigInt::from(0), v.remove(0), one),
            2 => (v.remove(0), v.remove(0), one),
            _ => (v.remove(0), v.remove(0), v.remove(0)),
        };
        if step.is_zero() {
            return exc(span.line, "ValueError", "range() arg 3 must not be zero");
        }
        let made = self.objs.big_range(start, stop, step);
        self.mem(made, span.line)
    }

    /// `complex(real=0, imag=0)` of numbers (`complex_new`): an exact
    /// complex alone is returned as it is; otherwise the value is
    /// `real + imag * 1j` computed part by part.
    pub(super) fn complex_of(&mut self, args: &[ObjRef], span: ast::Span) -> R<ObjRef> {
        let line = span.line;
        if let [x] = args {
            if matches!(self.payload(*x), Payload::Complex(..)) {
                self.objs.incref(*x);
                return Ok(*x);
            }
        }
        if args.len() > 2 {
            return exc(
                line,
                "TypeError",
                format!("complex() takes at most 2 arguments ({} given)", args.len()),
            );
        }
        let mut parts = [(0.0, 0.0); 2];
        for (i, &a) in args.iter().enumerate() {
            parts[i] = match self.num(a) {
                Some(Num::Complex(re, im)) => (re, im),
                Some(n) => match numeric::to_float(&n) {
                    Ok(f) => (f, 0.0),
                    Err(err) => return Err(Unwind::Exc(Raised::new(ExcVal::Lazy(err), line))),
                },
                None => {
                    return unsupported(
                        span,
                        format!("complex() of {}", self.payload(a).type_name()),
                    )
                }
            };
        }
        let is_complex = |me: &Self, i: usize| {
            args.get(i)
                .and_then(|&a| me.num(a))
                .is_some_and(|n| matches!(n, Num::Complex(..)))
        };
        let [(mut re, ri), (mut im, ii)] = parts;
        // Only a complex argument adds its other part (so -0.0 survives).
        if is_complex(self, 1) {
            re -= ii;
        }
        if is_complex(self, 0) {
            im += ri;
        }
        self.make_num(Num::Complex(re, im), line)
    }

    /// `list(x)`: `list.__init__` preallocates exactly for an `x` with a
    /// length, then extends; otherwise an empty list extended by `x`.
    pub(super) fn list_of(&mut self, args: &[ObjRef], span: ast::Span) -> R<ObjRef> {
        if let [x] = args {
            if let Some(n) = self.sized_len(*x) {
                let items = self.collect_items(*x, span)?;
                if items.len() as u64 != n {
                    self.release(items);
                    return unsupported(span, "list() of a container that changed size");
                }
                let v = self.v();
                let dictish = matches!(
                    self.payload(*x),
                    Payload::Dict { .. } | Payload::DictView { .. }
                );
                let state = if dictish && v.minor() >= 13 && n > 0 {
                    // 3.13's list_extend_dict/list_extend_dictitems: one
                    // list_resize(n) of the empty list (measured: no exact
                    // preallocation for dicts and their views).
                    let mut s = crate::layout::ListState::empty();
                    let _ = s.resize(v, n);
                    s
                } else {
                    crate::layout::ListState::from_sized(v, n)
                };
                let l = self.objs.via_tp_alloc(|o| o.list_with_state(items, state));
                return self.mem(l, span.line);
            }
        }
        self.list_extended(args, true, span)
    }

    /// An empty list extended by `x`: `list(x)` when `type_call` (the list
    /// from `tp_alloc`), `PySequence_List(x)` (`sorted`) otherwise.
    pub(super) fn list_extended(
        &mut self,
        args: &[ObjRef],
        type_call: bool,
        span: ast::Span,
    ) -> R<ObjRef> {
        let l = if type_call {
            self.objs.via_tp_alloc(|o| o.list_exact(Vec::new()))
        } else {
            self.objs.list_exact(Vec::new())
        };
        let l = self.mem(l, span.line)?;
        if let [x] = args {
            if let Err(u) = self.list_extend(l, *x, span) {
                self.decref(l);
                return Err(u);
            }
        } else if !args.is_empty() {
            self.decref(l);
            return exc(
                span.line,
                "TypeError",
                format!("list expected at most 1 argument, got {}", args.len()),
            );
        }
        Ok(l)
    }

    /// `tuple(x)` (`PySequence_Tuple`): a tuple is returned as it is, a
    /// list copied exactly; other iterables are refused (their presizing
    /// and `_PyTuple_Resize` are not modelled yet).
    pub(super) fn tuple_of(&mut self, args: &[ObjRef], span: ast::Span) -> R<ObjRef> {
        let line = span.line;
        let x = match args {
            [] => {
                let t = self.objs.tuple(Vec::new());
                return self.mem(t, line);
            }
            [x] => *x,
            _ => {
                return exc(
                    line,
                    "TypeError",
                    format!("tuple expected at most 1 argument, got {}", args.len()),
                )
            }
        };
        match self.payload(x).clone() {
            Payload::Tuple(_) => {
                self.objs.incref(x);
                Ok(x)
            }
            Payload::List { items, .. } => {
                let items = self.new_refs(items);
                let t = self.objs.tuple(items);
                self.mem(t, line)
            }
            Payload::Range { .. }
            | Payload::Str(_)
            | Payload::Dict { .. }
            | Payload::RangeIter { .. }
            | Payload::SeqIter { .. } => {
                // The length hint is exact: PyTuple_New(n), filled, no resize.
                let items = self.collect_items(x, span)?;
                let t = self.objs.tuple(items);
                self.mem(t, line)
            }
            p => unsupported(span, format!("tuple() of {}", p.type_name())),
        }
    }

    /// `iter(x)`.
    pub(super) fn iter_of(&mut self, x: ObjRef, span: ast::Span) -> R<ObjRef> {
        if matches!(
            self.payload(x),
            Payload::RangeIter { .. }
                | Payload::SeqIter { .. }
                | Payload::Adapter(_)
                | Payload::Generator(_)
        ) {
            self.objs.incref(x); // an iterator is its own iterator
            return Ok(x);
        }
        self.objs.incref(x);
        self.get_iter(x, span)
    }

    /// `next(it)`, `next(it, default)`.
    pub(super) fn next_of(&mut self, args: &[ObjRef], span: ast::Span) -> R<ObjRef> {
        let (it, default) = match args {
            [it] => (*it, None),
            [it, d] => (*it, Some(*d)),
            _ => return self.bad_builtin_call("next", args.len(), span),
        };
        if !matches!(
            self.payload(it),
            Payload::RangeIter { .. }
                | Payload::SeqIter { .. }
                | Payload::Adapter(_)
                | Payload::Generator(_)
        ) {
            let t = self.payload(it).type_name();
            if known_type(t) {
                return exc(
                    span.line,
                    "TypeError",
                    format!("'{t}' object is not an iterator"),
                );
            }
            return unsupported(span, format!("next() of {t}"));
        }
        match self.next(it, span.line)? {
            Some(r) => Ok(r),
            None => match default {
                Some(d) => {
                    self.objs.incref(d);
                    Ok(d)
                }
                None => exc(span.line, "StopIteration", ""),
            },
        }
    }

    /// `sorted(x)`: `list(x)` then sorted in place. Large sorts are refused:
    /// timsort's merge buffer (`MERGESTATE` beyond its 256 inline slots)
    /// is not modelled.
    pub(super) fn sorted_of(&mut self, x: ObjRef, span: ast::Span) -> R<ObjRef> {
        let l = self.list_extended(&[x], false, span)?;
        let items = match self.payload(l) {
            Payload::List { items, .. } => items.clone(),
            _ => Vec::new(),
        };
        if items.len() > 512 {
            self.decref(l);
            return unsupported(span, "sorting more than 512 items");
        }
        match self.sort_refs(items, span) {
            Ok(sorted) => {
                if let Some(Payload::List { items, .. }) =
                    self.objs.get_mut(l).map(|o| &mut o.payload)
                {
                    *items = sorted;
                }
                Ok(l)
            }
            Err(u) => {
                self.decref(l);
                Err(u)
            }
        }
    }

    /// A stable sort by `<` (numbers, strs, or tuples/lists of them), with
    /// CPython's TypeError for unorderable mixes.
    pub(super) fn sort_refs(&mut self, mut items: Vec<ObjRef>, span: ast::Span) -> R<Vec<ObjRef>> {
        // Insertion sort calls `<` as a binary insertion sort would not;
        // only the result is observable for these types (no side effects).
        let mut err = None;
        let mut i = 1;
        while i < items.len() {
            let mut j = i;
            while j > 0 {
                match self.less_than(items[j], items[j - 1], span) {
                    Ok(true) => {
                        items.swap(j, j - 1);
                        j -= 1;
                    }
                    Ok(false) => break,
                    Err(u) => {
                        err = Some(u);
                        break;
                    }
                }
            }
            if err.is_some() {
                break;
            }
            i += 1;
        }
        match err {
            Some(u) => Err(u),
            None => Ok(items),
        }
    }

    /// `a < b`.
    fn less_than(&mut self, a: ObjRef, b: ObjRef, span: ast::Span) -> R<bool> {
        self.compare(a, ast::CmpOp::Lt, b, span)
    }

    /// `sum(x)`, `sum(x, start)`.
    pub(super) fn sum_of(&mut self, args: &[ObjRef], span: ast::Span) -> R<ObjRef> {
        let (x, start) = match args {
            [x] => (*x, None),
            [x, s] => (*x, Some(*s)),
            _ => return self.bad_builtin_call("sum", args.len(), span),
        };
        // builtin_sum_impl's fast path: while the start and the items are
        // exact ints whose sum fits a C long, it adds C longs and makes no
        // int until the end (or until an item breaks the streak); then the
        // rest goes through PyNumber_Add.
        let start_long = match start.map(|s| self.payload(s)) {
            None => Some(0i64),
            Some(Payload::Int(i)) => i.to_i64(),
            _ => None,
        };
        let mut long = start_long;
        let mut acc: Option<ObjRef> = None;
        if long.is_none() {
            if let Some(s) = start {
                self.objs.incref(s);
                acc = Some(s);
            }
        }
        let r = self.for_each_item(x, span, |me, item| {
            if let Some(total) = long {
                let b = match me.payload(item) {
                    Payload::Int(i) => i.to_i64(),
                    Payload::Bool(b) => Some(*b as i64),
                    _ => None,
                };
                if let Some(t) = b.and_then(|b| total.checked_add(b)) {
                    long = Some(t);
                    me.decref(item);
                    return Ok(());
                }
                long = None;
                match me.make_num(Num::Int(BigInt::from(total)), span.line) {
                    Ok(a) => acc = Some(a),
                    Err(u) => {
                        me.decref(item);
                        return Err(u);
                    }
                }
            }
            let Some(a) = acc.take() else {
                me.decref(item);
                return Ok(());
            };
            let r = me.binop(a, ast::BinOp::Add, item, span);
            me.decref(a);
            me.decref(item);
            acc = Some(r?);
            Ok(())
        });
        if let Err(u) = r {
            if let Some(a) = acc {
                self.decref(a);
            }
            return Err(u);
        }
        match (long, acc) {
            (Some(total), _) => self.make_num(Num::Int(BigInt::from(total)), span.line),
            (None, Some(a)) => Ok(a),
            (None, None) => self.make_num(Num::Int(BigInt::zero()), span.line),
        }
    }

    /// `min(...)` / `max(...)` of one iterable or several arguments.
    pub(super) fn min_max(&mut self, args: &[ObjRef], max: bool, span: ast::Span) -> R<ObjRef> {
        let name = if max { "max" } else { "min" };
        // min_max: the best item so far is kept, each other one dropped
        // before the next is made.
        let mut best: Option<ObjRef> = None;
        let mut consider = |me: &mut Self, item: ObjRef| -> R<()> {
            let Some(b) = best else {
                best = Some(item);
                return Ok(());
            };
            let better = if max {
                me.less_than(b, item, span)
            } else {
                me.less_than(item, b, span)
            };
            match better {
                Ok(true) => {
                    me.decref(b);
                    best = Some(item);
                    Ok(())
                }
                Ok(false) => {
                    me.decref(item);
                    Ok(())
                }
                Err(u) => {
                    me.decref(item);
                    Err(u)
                }
            }
        };
        let r = match args {
            [] => return self.bad_builtin_call(name, 0, span),
            [x] => self.for_each_item(*x, span, &mut consider),
            many => many.iter().try_for_each(|&r| {
                self.objs.incref(r);
                consider(self, r)
            }),
        };
        if let Err(u) = r {
            if let Some(b) = best {
                self.decref(b);
            }
            return Err(u);
        }
        match best {
            Some(b) => Ok(b),
            None => exc(
                span.line,
                "ValueError",
                format!("{name}() arg is an empty sequence"),
            ),
        }
    }
}

/// True for the type names whose full set of attributes the model knows.
fn known_type(t: &str) -> bool {
    crate::attrs::known_attrs(t).is_some()
}

/// `float(s)` of a str: Python's float syntax with underscores, `inf`,
/// `infinity` and `nan` in any case, surrounded by whitespace.
fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim();
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, &t[1..]),
        Some(b'+') => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(sign * f64::INFINITY);
    }
    if lower == "nan" {
        return Some(f64::NAN);
    }
    if body.is_empty()
        || body.starts_with('_')
        || body.ends_with('_')
        || body.contains("__")
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-' | '_'))
    {
        return None;
    }
    // An underscore must sit between two digits.
    let b = body.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'_'
            && !(b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(|x| x.is_ascii_digit()))
        {
            return None;
        }
    }
    let clean: String = body.chars().filter(|&c| c != '_').collect();
    if !clean.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    clean.parse::<f64>().ok().map(|f| sign * f)
}
