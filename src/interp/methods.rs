//! More list and dict methods: `list.copy/index/count/remove/reverse/sort`,
//! `list.pop(i)`, `dict.pop/popitem/copy/setdefault`, and `dict()`.

use super::*;

impl Interp {
    /// A list method other than the basic ones in [`Interp::call_method`].
    pub(super) fn list_method(
        &mut self,
        obj: ObjRef,
        name: &str,
        args: &[ObjRef],
        span: ast::Span,
    ) -> R<ObjRef> {
        let line = span.line;
        let (items, kind) = match self.payload(obj) {
            Payload::List { items, .. } => (items.clone(), "list"),
            // tuple.index and tuple.count.
            Payload::Tuple(items) => (items.clone(), "tuple"),
            _ => return unsupported(span, "a list method on a non-list"),
        };
        if kind == "tuple" && !matches!(name, "index" | "count") {
            return unsupported(span, format!("tuple.{name}()"));
        }
        match (name, args) {
            ("copy", []) => {
                // list_copy → list_slice: PyList_New(n).
                let items = self.new_refs(items);
                let l = self.objs.list_exact(items);
                self.mem(l, line)
            }
            ("index" | "count" | "remove", [x]) => {
                let mut hits = Vec::new();
                for (i, &it) in items.iter().enumerate() {
                    match self.equal(it, *x) {
                        Some(true) => {
                            hits.push(i);
                            if name != "count" {
                                break;
                            }
                        }
                        Some(false) => {}
                        None => {
                            return unsupported(span, format!("{kind}.{name}() with these types"))
                        }
                    }
                }
                match (name, hits.first()) {
                    ("count", _) => self.make_num(Num::Int(BigInt::from(hits.len())), line),
                    ("index", Some(&i)) => self.make_num(Num::Int(BigInt::from(i)), line),
                    ("index", None) if kind == "tuple" => {
                        exc(line, "ValueError", "tuple.index(x): x not in tuple")
                    }
                    ("index", None) => {
                        let msg = format!("{} is not in list", self.repr(*x)?);
                        exc(line, "ValueError", msg)
                    }
                    (_, Some(&i)) => {
                        // list_remove → list_ass_slice(i, i+1).
                        self.list_del_range(obj, i, i + 1, line)?;
                        Ok(self.objs.none())
                    }
                    (_, None) => exc(line, "ValueError", "list.remove(x): x not in list"),
                }
            }
            ("reverse", []) => {
                self.list_mut(obj, |its, _, _| {
                    its.reverse();
                    Vec::new()
                });
                Ok(self.objs.none())
            }
            ("sort", []) => {
                if items.len() > 512 {
                    return unsupported(span, "sorting more than 512 items");
                }
                let sorted = self.sort_refs(items, span)?;
                self.list_mut(obj, |its, _, _| {
                    *its = sorted;
                    Vec::new()
                });
                Ok(self.objs.none())
            }
            ("pop", [i]) => {
                let Some(i) = self.as_index(*i) else {
                    return unsupported(span, "list.pop() with a non-int index");
                };
                let n = items.len() as i64;
                if n == 0 {
                    return exc(line, "IndexError", "pop from empty list");
                }
                let at = if i < 0 { i + n } else { i };
                if at < 0 || at >= n {
                    return exc(line, "IndexError", "pop index out of range");
                }
                let at = at as usize;
                let ops = self.list_mut(obj, |its, state, v| {
                    its.remove(at);
                    if at + 1 == n as usize {
                        state.pop(v)
                    } else {
                        let size = state.size - 1;
                        state.resize(v, size)
                    }
                });
                self.apply(obj, &ops, line)?;
                Ok(items[at])
            }
            _ => unsupported(span, format!("list.{name}() with {} arguments", args.len())),
        }
    }

    /// `dict.fromkeys(iterable, value=None)` (`_PyDict_FromKeys`): an
    /// empty dict, then one `PyDict_SetItem` per key. (A dict or set
    /// iterable presizes the table first: not modelled.)
    pub(super) fn dict_fromkeys(
        &mut self,
        it: ObjRef,
        value: Option<ObjRef>,
        span: ast::Span,
    ) -> R<ObjRef> {
        if matches!(self.payload(it), Payload::Dict { .. } | Payload::Set { .. }) {
            return unsupported(span, "dict.fromkeys of a dict or set (a presized table)");
        }
        let given = value.is_some();
        let value = match value {
            Some(v) => v,
            None => self.objs.none(),
        };
        let made = self.new_dict_object(span.line);
        let r = made.and_then(|d| {
            self.for_each_item(it, span, |me, k| {
                me.objs.incref(value);
                let r = me.setitem(d, k, value, span);
                me.decref(k);
                r
            })
            .map(|()| d)
            .inspect_err(|_| self.decref(d))
        });
        if !given {
            self.decref(value);
        }
        r
    }

    /// A dict method other than `clear` and `get`.
    pub(super) fn dict_method(
        &mut self,
        obj: ObjRef,
        name: &str,
        args: &[ObjRef],
        span: ast::Span,
    ) -> R<ObjRef> {
        let line = span.line;
        let entries = match self.payload(obj) {
            Payload::Dict { entries, .. } => entries.clone(),
            _ => return unsupported(span, "a dict method on a non-dict"),
        };
        match (name, args) {
            ("keys" | "values" | "items", []) => {
                self.objs.incref(obj);
                let made = self.objs.dict_view(obj, builtins::view_kind(name));
                self.mem(made, line)
            }
            ("pop", [k, rest @ ..]) if rest.len() <= 1 => {
                match self.find_key(&entries, *k, span)? {
                    Some(i) => {
                        let removed = match self.objs.get_mut(obj).map(|o| &mut o.payload) {
                            Some(Payload::Dict { entries, state }) => {
                                state.delete();
                                Some(entries.remove(i))
                            }
                            _ => None,
                        };
                        match removed {
                            // The key is released, the value handed to the caller.
                            Some((ek, ev)) => {
                                self.decref(ek);
                                Ok(ev)
                            }
                            None => Ok(self.objs.none()),
                        }
                    }
                    None => match rest.first() {
                        Some(&d) => {
                            self.objs.incref(d);
                            Ok(d)
                        }
                        None => {
                            self.objs.incref(*k);
                            self.raise_args("KeyError", vec![*k], line)
                        }
                    },
                }
            }
            ("popitem", []) => {
                if entries.is_empty() {
                    let msg = "popitem(): dictionary is empty";
                    return exc(line, "KeyError", msg);
                }
                let removed = match self.objs.get_mut(obj).map(|o| &mut o.payload) {
                    Some(Payload::Dict { entries, state }) => {
                        state.delete();
                        entries.pop()
                    }
                    _ => None,
                };
                let Some((k, v)) = removed else {
                    return Ok(self.objs.none());
                };
                let t = self.objs.tuple(vec![k, v]);
                self.mem(t, line)
            }
            ("update", []) => Ok(self.objs.none()),
            ("update", [other]) => self.dict_update(obj, *other, span),
            ("setdefault", [k, rest @ ..]) if rest.len() <= 1 => {
                match self.find_key(&entries, *k, span)? {
                    Some(i) => {
                        let v = entries[i].1;
                        self.objs.incref(v);
                        Ok(v)
                    }
                    None => {
                        let d = match rest.first() {
                            Some(&d) => {
                                self.objs.incref(d);
                                d
                            }
                            None => self.objs.none(),
                        };
                        self.objs.incref(d);
                        self.setitem(obj, *k, d, span)?;
                        Ok(d)
                    }
                }
            }
            ("copy", []) => {
                let v = self.v();
                let Payload::Dict { state, .. } = self.payload(obj).clone() else {
                    return Ok(self.objs.none());
                };
                let (new_state, ops) = state.copy(v);
                for &(k, val) in &entries {
                    self.objs.incref(k);
                    self.objs.incref(val);
                }
                let empty = crate::layout::DictState::empty();
                let d = self.objs.dict_with_state(entries, empty);
                let d = self.mem(d, line)?;
                self.apply(d, &ops, line)?;
                if let Some(Payload::Dict { state, .. }) =
                    self.objs.get_mut(d).map(|o| &mut o.payload)
                {
                    *state = new_state;
                }
                self.apply(d, &[], line)?;
                Ok(d)
            }
            _ => unsupported(span, format!("dict.{name}() with {} arguments", args.len())),
        }
    }
}

impl Interp {
    /// `d.update(other)` for a dict `other` (`dict_merge`): into an empty
    /// dict it is `dict(other)`'s merge; otherwise one presizing resize
    /// when the table has less room than `other` has items ("expect no
    /// overlapping keys"), then each item is stored in `other`'s order,
    /// an existing key keeping its place and taking the new value.
    pub(super) fn dict_update(&mut self, d: ObjRef, other: ObjRef, span: ast::Span) -> R<ObjRef> {
        let line = span.line;
        let (mine, theirs) = match (self.payload(d), self.payload(other)) {
            (Payload::Dict { state: a, .. }, Payload::Dict { entries, state: b }) => {
                (*a, (entries.clone(), *b))
            }
            (_, p) => return unsupported(span, format!("dict.update() from a {}", p.type_name())),
        };
        let (entries, their_state) = theirs;
        let v = self.v();
        if mine.used == 0 && mine.values.is_none() {
            self.merge_into_empty(d, entries, &their_state, line)?;
            return Ok(self.objs.none());
        }
        let ops = match self.objs.get_mut(d).map(|o| &mut o.payload) {
            Some(Payload::Dict { state, .. }) => state.presize_for_merge(v, &their_state),
            _ => Vec::new(),
        };
        self.apply(d, &ops, line)?;
        for (k, val) in entries {
            let current = match self.payload(d) {
                Payload::Dict { entries, .. } => entries.clone(),
                _ => Vec::new(),
            };
            let found = self.find_key(&current, k, span)?;
            self.objs.incref(val);
            self.dict_store(d, found, k, val, line)?;
        }
        Ok(self.objs.none())
    }
}
