//! List, set and dict comprehensions.
//!
//! Up to 3.11 a comprehension is a nested function: `MAKE_FUNCTION`
//! allocates a function object, the first iterable is evaluated and its
//! iterator passed as the argument `.0`, the function runs in its own frame
//! and the function object is freed when the call returns. From 3.12 it is
//! inlined in the enclosing code (PEP 709): no function object, and the
//! iteration variables are the enclosing frame's own, saved and restored.
//! Either way its variables are invisible outside it, and the result is
//! built empty (`BUILD_LIST 0`, `BUILD_SET 0`, `BUILD_MAP 0`) and grown one
//! item at a time (`LIST_APPEND`, `SET_ADD`, `MAP_ADD`), so its size is
//! that of a container grown by appends.

use super::*;

/// What a comprehension builds.
pub(super) enum CompOut<'a> {
    List(&'a Expr),
    Set(&'a Expr),
    Dict(&'a Expr, &'a Expr),
}

impl<'a> CompOut<'a> {
    /// The comprehension as a code, for the name analyses.
    fn code_of(&self, gens: &'a [ast::Comprehension]) -> crate::stackdepth::CodeOf<'a> {
        use crate::stackdepth::{CodeOf, CompKind};
        match *self {
            CompOut::List(e) => CodeOf::Comp(CompKind::List, e, None, gens),
            CompOut::Set(e) => CodeOf::Comp(CompKind::Set, e, None, gens),
            CompOut::Dict(k, v) => CodeOf::Comp(CompKind::Dict, k, Some(v), gens),
        }
    }

    fn scope_name(&self) -> &'static str {
        match self {
            CompOut::List(_) => "<listcomp>",
            CompOut::Set(_) => "<setcomp>",
            CompOut::Dict(..) => "<dictcomp>",
        }
    }
}

impl Interp {
    /// Evaluates a comprehension (an owned reference to the result).
    pub(super) fn comprehension(
        &mut self,
        out: CompOut<'_>,
        gens: &[ast::Comprehension],
        span: ast::Span,
    ) -> R<ObjRef> {
        let line = span.line;
        let Some(first) = gens.first() else {
            return unsupported(span, "a comprehension without a for clause");
        };
        let inlined = self.v().minor() >= 12;
        let func = if inlined {
            None
        } else {
            // MAKE_FUNCTION for the comprehension's code, with a closure of
            // the enclosing function's cells it uses.
            let code = self.comp_code(&out, gens, span);
            let closure = self.comprehension_closure(code, out.code_of(gens), line)?;
            let f = self
                .objs
                .closure(code as u32, out.scope_name(), None, closure);
            Some(self.mem(f, line)?)
        };
        let release_func = |me: &mut Self| {
            if let Some(f) = func {
                me.decref(f);
            }
        };
        let seq = match self.eval(&first.iter) {
            Ok(s) => s,
            Err(u) => {
                release_func(self);
                return Err(u);
            }
        };
        let it = match self.get_iter(seq, first.iter.span) {
            Ok(it) => it,
            Err(u) => {
                release_func(self);
                return Err(u);
            }
        };
        let code = self.comp_code(&out, gens, span);
        let nslots = self.codes[code].slot_names.len();
        self.push_frame(Frame::new(code, vec![None; nslots], true));
        self.warm(); // RESUME
        if !inlined {
            // The locals are `.0` and the targets; the free variables are
            // the closure's cells.
            let nfree = func.map_or(0, |f| match self.payload(f) {
                &Payload::Function {
                    closure: Some(t), ..
                } => match self.payload(t) {
                    Payload::Tuple(items) => items.len() as u32,
                    _ => 0,
                },
                _ => 0,
            });
            let extras = self.frame_extras(code, 1 + nfree);
            if let Err(u) = self.frame_object_for_top(code, extras, span) {
                if let Some(frame) = self.frames.pop() {
                    self.frame_object_done(frame.code, frame.mem);
                }
                self.decref(it);
                release_func(self);
                return Err(u);
            }
        }
        let made = match out {
            CompOut::List(_) => self.objs.list_exact(Vec::new()),
            CompOut::Set(_) => self.objs.set_new(false),
            CompOut::Dict(..) => {
                let state = crate::layout::DictState::display(self.v(), 0, true);
                self.objs.dict_with_state(Vec::new(), state)
            }
        };
        let mut res = self.mem(made, line);
        if let Ok(result) = res {
            if let Err(u) = self.comp_level(gens, 0, it, &out, result) {
                self.decref(result);
                res = Err(u);
            }
        }
        // The comprehension's scope ends: its variables go (with the frame
        // before 3.12, restored to the enclosing values from 3.12).
        if let Err(Unwind::Exc(raised)) = &mut res {
            if !inlined {
                self.note_frame(raised, span);
            }
        }
        if let Some(frame) = self.frames.pop() {
            if !inlined {
                self.frame_object_done(frame.code, frame.mem);
            }
            let locals = frame.slots.into_iter().flatten();
            match &mut res {
                Err(Unwind::Exc(raised)) if !inlined => raised.held.extend(locals),
                _ => locals.for_each(|r| self.decref(r)),
            }
        }
        self.decref(it);
        release_func(self);
        res
    }

    /// The code of a comprehension's scope (made once per comprehension in
    /// the source): its variables are the targets of its `for` clauses.
    fn comp_code(
        &mut self,
        out: &CompOut<'_>,
        gens: &[ast::Comprehension],
        span: ast::Span,
    ) -> usize {
        if let Some(&c) = self.comp_codes.get(&(span.line, span.col)) {
            return c;
        }
        let mut names = Vec::new();
        for g in gens {
            g.target.for_each_name(&mut |n| names.push(n.to_string()));
        }
        let mut seen = HashSet::new();
        names.retain(|n| seen.insert(n.clone()));
        // The enclosing scopes' names decide what the compiler makes a
        // closure inside it (the module's globals never are).
        let enclosing: std::collections::BTreeSet<String> = self
            .frames
            .iter()
            .flat_map(|f| self.codes[f.code].slot_names.iter().cloned())
            .collect();
        let stacksize = if self.v().minor() >= 12 {
            None
        } else {
            crate::stackdepth::stacksize(self.v(), out.code_of(gens), &enclosing)
        };
        self.codes.push(Rc::new(
            Code {
                name: out.scope_name().to_string(),
                qualname: out.scope_name().to_string(),
                kwonly: Vec::new(),
                vararg: None,
                kwarg: None,
                params: Vec::new(),
                n_defaults: 0,
                body: CodeBody::Block(Rc::new(Vec::new())),
                locals: names,
                globals: HashSet::new(),
                cells: Vec::new(),
                frees: Vec::new(),
                slot_names: Vec::new(),
                deref: Vec::new(),
                generator: false,
                stacksize,
            }
            .laid_out(),
        ));
        let c = self.codes.len() - 1;
        self.comp_codes.insert((span.line, span.col), c);
        c
    }

    /// One `for` clause: each item is stored, the `if`s tested, then the
    /// next clause runs or the element is added.
    fn comp_level(
        &mut self,
        gens: &[ast::Comprehension],
        level: usize,
        it: ObjRef,
        out: &CompOut<'_>,
        result: ObjRef,
    ) -> R<()> {
        let g = &gens[level];
        let line = g.iter.span.line;
        'items: loop {
            self.round()?;
            self.warm(); // the loop's JUMP_BACKWARD (from the second item)
            let Some(item) = self.next(it, line)? else {
                return Ok(());
            };
            self.store(&g.target, item)?;
            for cond in &g.ifs {
                let c = self.eval(cond)?;
                let t = self.truthy(c, cond.span.line);
                self.decref(c);
                if !t? {
                    continue 'items;
                }
            }
            if let Some(next) = gens.get(level + 1) {
                let seq = self.eval(&next.iter)?;
                let inner = self.get_iter(seq, next.iter.span)?;
                let r = self.comp_level(gens, level + 1, inner, out, result);
                self.decref(inner);
                r?;
                continue;
            }
            match out {
                CompOut::List(elt) => {
                    let v = self.eval(elt)?;
                    self.list_push(result, v, elt.span.line)?;
                }
                CompOut::Set(elt) => {
                    // SET_ADD.
                    let v = self.eval(elt)?;
                    let r = self.set_add(result, v, elt.span);
                    self.decref(v);
                    r?;
                }
                CompOut::Dict(k, v) => {
                    // MAP_ADD: the key is evaluated first (3.8+).
                    let key = self.eval(k)?;
                    let val = self.eval_holding(v, &[key])?;
                    let r = self.setitem(result, key, val, k.span);
                    self.decref(key);
                    r?;
                }
            }
        }
    }
}
