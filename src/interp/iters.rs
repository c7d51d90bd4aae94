//! Iterator adapters: `enumerate`, `zip`, `map`, `filter` and `reversed`
//! (Objects/enumobject.c, Python/bltinmodule.c, Objects/listobject.c),
//! which call their functions as C code does ([`Interp::call_borrowed`]).
//!
//! `enumerate` and `zip` keep their last result tuple and refill it in
//! place when nobody else holds it (`Py_REFCNT(result) == 1`), so a loop
//! that unpacks each result allocates no tuple per item. Where CPython
//! allocates the tuple of iterators of `zip` and `map` before getting the
//! iterators, the model gets them first (the same blocks, in another order).

use super::*;
use crate::objects::{Adapter, AdapterKind};

impl Interp {
    /// `enumerate`, `zip`, `map`, `filter` and `reversed` (arguments borrowed).
    pub(super) fn call_adapter(
        &mut self,
        name: &str,
        args: &[ObjRef],
        span: ast::Span,
    ) -> R<ObjRef> {
        let line = span.line;
        let adapter = |kind, src, func, result, index| Adapter {
            kind,
            src,
            func,
            result,
            index,
        };
        let a = match (name, args) {
            ("enumerate", [x]) | ("enumerate", [x, _]) => {
                let start = match args.get(1) {
                    Some(&s) => match self.as_index(s) {
                        Some(i) => i,
                        None => return unsupported(span, "enumerate() with this start"),
                    },
                    None => 0,
                };
                self.objs.incref(*x);
                let it = self.get_iter(*x, span)?;
                let none = [self.objs.none(), self.objs.none()];
                let t = self.objs.tuple(none.to_vec());
                let result = match self.mem(t, line) {
                    Ok(t) => t,
                    Err(u) => {
                        self.decref(it);
                        return Err(u);
                    }
                };
                adapter(AdapterKind::Enumerate, Some(it), None, Some(result), start)
            }
            ("zip", _) => {
                let its = self.iterators(args, span)?;
                let n = its.len();
                let t = self.objs.tuple(its);
                let ittuple = self.mem(t, line)?;
                let nones: Vec<ObjRef> = (0..n).map(|_| self.objs.none()).collect();
                let t = self.objs.tuple(nones);
                let result = match self.mem(t, line) {
                    Ok(t) => t,
                    Err(u) => {
                        self.decref(ittuple);
                        return Err(u);
                    }
                };
                adapter(AdapterKind::Zip, Some(ittuple), None, Some(result), 0)
            }
            ("map", [f, rest @ ..]) if !rest.is_empty() => {
                let its = self.iterators(rest, span)?;
                let t = self.objs.tuple(its);
                let iters = self.mem(t, line)?;
                self.objs.incref(*f);
                adapter(AdapterKind::Map, Some(iters), Some(*f), None, 0)
            }
            ("filter", [f, x]) => {
                self.objs.incref(*x);
                let it = self.get_iter(*x, span)?;
                let func = if matches!(self.payload(*f), Payload::None) {
                    None
                } else {
                    self.objs.incref(*f);
                    Some(*f)
                };
                adapter(AdapterKind::Filter, Some(it), func, None, 0)
            }
            ("reversed", [x]) => {
                let (kind, len) = match self.payload(*x) {
                    Payload::List { items, .. } => (AdapterKind::ListReversed, items.len()),
                    Payload::Tuple(items) => (AdapterKind::Reversed, items.len()),
                    Payload::Str(s) => (AdapterKind::Reversed, s.chars().count()),
                    Payload::Range { start, stop, step } => {
                        // range.__reversed__: a range_iterator running backwards.
                        let (start, stop, step) = (*start, *stop, *step);
                        let n = range_len(start, stop, step);
                        let last = start + (n as i64 - 1) * step;
                        let made = self.objs.range_iter(last, -step, n);
                        return self.mem(made, line);
                    }
                    p => {
                        let t = p.type_name();
                        return match p {
                            Payload::Int(_) | Payload::Float(_) | Payload::None => {
                                exc(line, "TypeError", format!("'{t}' object is not reversible"))
                            }
                            _ => unsupported(span, format!("reversed() of a {t}")),
                        };
                    }
                };
                self.objs.incref(*x);
                adapter(kind, Some(*x), None, None, len as i64 - 1)
            }
            _ => return self.bad_builtin_call(name, args.len(), span),
        };
        let made = self.objs.adapter(a);
        self.mem(made, line)
    }

    /// `iter(x)` of each argument (new references); on an error the ones
    /// made so far are released.
    fn iterators(&mut self, args: &[ObjRef], span: ast::Span) -> R<Vec<ObjRef>> {
        let mut its = Vec::with_capacity(args.len());
        for &x in args {
            self.objs.incref(x);
            match self.get_iter(x, span) {
                Ok(it) => its.push(it),
                Err(u) => {
                    self.release(its);
                    return Err(u);
                }
            }
        }
        Ok(its)
    }

    /// The next item of an adapter (a new reference), or `None` at the end.
    pub(super) fn next_adapter(&mut self, it: ObjRef, a: Adapter, line: u32) -> R<Option<ObjRef>> {
        let Some(src) = a.src else { return Ok(None) };
        match a.kind {
            AdapterKind::Enumerate => {
                let Some(item) = self.next(src, line)? else {
                    return Ok(None);
                };
                let index = match self.make_num(Num::Int(BigInt::from(a.index)), line) {
                    Ok(i) => i,
                    Err(u) => {
                        self.decref(item);
                        return Err(u);
                    }
                };
                self.set_adapter_index(it, a.index + 1);
                self.refill(a.result, vec![index, item], line).map(Some)
            }
            AdapterKind::Zip => {
                let its = match self.payload(src) {
                    Payload::Tuple(its) => its.clone(),
                    _ => Vec::new(),
                };
                if its.is_empty() {
                    return Ok(None);
                }
                let Some(items) = self.next_of_each(&its, line)? else {
                    return Ok(None);
                };
                self.refill(a.result, items, line).map(Some)
            }
            AdapterKind::Map => {
                let its = match self.payload(src) {
                    Payload::Tuple(its) => its.clone(),
                    _ => Vec::new(),
                };
                let Some(items) = self.next_of_each(&its, line)? else {
                    return Ok(None);
                };
                let Some(f) = a.func else { return Ok(None) };
                let r = self.call_borrowed(f, &items, &[], line_span(line));
                self.release(items);
                r.map(Some)
            }
            AdapterKind::Filter => loop {
                let Some(item) = self.next(src, line)? else {
                    return Ok(None);
                };
                let keep = match a.func {
                    None => self.truthy(item, line),
                    Some(f) => match self.call_borrowed(f, &[item], &[], line_span(line)) {
                        Ok(good) => {
                            let t = self.truthy(good, line);
                            self.decref(good);
                            t
                        }
                        Err(u) => Err(u),
                    },
                };
                match keep {
                    Ok(true) => return Ok(Some(item)),
                    Ok(false) => self.decref(item),
                    Err(u) => {
                        self.decref(item);
                        return Err(u);
                    }
                }
            },
            AdapterKind::ListReversed | AdapterKind::Reversed => {
                let i = a.index;
                let item = match self.payload(src).clone() {
                    Payload::List { items, .. } | Payload::Tuple(items)
                        if i >= 0 && (i as usize) < items.len() =>
                    {
                        let r = items[i as usize];
                        self.objs.incref(r);
                        Some(r)
                    }
                    Payload::Str(s) if i >= 0 => match s.chars().nth(i as usize) {
                        Some(ch) => {
                            let made = self.objs.str(&ch.to_string());
                            Some(self.mem(made, line)?)
                        }
                        None => None,
                    },
                    _ => None,
                };
                if item.is_some() {
                    self.set_adapter_index(it, i - 1);
                } else {
                    // The exhausted iterator lets go of its sequence.
                    if let Some(Payload::Adapter(a)) = self.objs.get_mut(it).map(|o| &mut o.payload)
                    {
                        a.index = -1;
                        a.src = None;
                    }
                    self.decref(src);
                }
                Ok(item)
            }
        }
    }

    /// The next item of each iterator (new references), or `None` when
    /// one is exhausted (the items taken so far are released).
    fn next_of_each(&mut self, its: &[ObjRef], line: u32) -> R<Option<Vec<ObjRef>>> {
        let mut items = Vec::with_capacity(its.len());
        for &i in its {
            match self.next(i, line) {
                Ok(Some(x)) => items.push(x),
                Ok(None) => {
                    self.release(items);
                    return Ok(None);
                }
                Err(u) => {
                    self.release(items);
                    return Err(u);
                }
            }
        }
        Ok(Some(items))
    }

    fn set_adapter_index(&mut self, it: ObjRef, index: i64) {
        if let Some(Payload::Adapter(a)) = self.objs.get_mut(it).map(|o| &mut o.payload) {
            a.index = index;
        }
    }

    /// The adapter's result tuple refilled with `items` when only the
    /// adapter holds it (the old items are released after), else a new
    /// tuple of them.
    pub(super) fn refill(
        &mut self,
        result: Option<ObjRef>,
        items: Vec<ObjRef>,
        line: u32,
    ) -> R<ObjRef> {
        if let Some(t) = result {
            if self.objs.get(t).is_some_and(|o| o.refcnt == 1) {
                self.objs.incref(t);
                let old = match self.objs.get_mut(t).map(|o| &mut o.payload) {
                    Some(Payload::Tuple(slots)) => std::mem::replace(slots, items),
                    _ => Vec::new(),
                };
                self.release(old);
                return Ok(t);
            }
        }
        let t = self.objs.tuple(items);
        self.mem(t, line)
    }
}
