//! Generators: generator functions and generator expressions.
//!
//! Calling a generator function binds its arguments into a frame and wraps
//! the frame in a generator object, without running it. Up to 3.10 the
//! frame is a frame object the generator holds (`PyGen_NewWithQualName`,
//! a fixed-size object); from 3.11 the frame is copied into the generator
//! object itself (`RETURN_GENERATOR`, `make_gen`), which is therefore
//! `co_nlocalsplus + co_stacksize` slots larger (see [`crate::stackdepth`]),
//! and keeps the function alive (`f_func`) until the frame is cleared.
//!
//! A generator expression is a function too: `MAKE_FUNCTION` for its code,
//! its first iterable evaluated and turned into an iterator in the
//! enclosing scope, and the call that makes the generator with that
//! iterator as the argument `.0`. The model compiles its clauses into the
//! statements CPython's code amounts to (`for x in .0: if c: yield elt`).
//!
//! The interpreter walks the AST, so a generator cannot keep a native
//! stack while suspended. A `yield` unwinds instead (`Unwind::Yield`),
//! and each statement it leaves records where it was ([`GenPoint`]): the
//! index of the statement in its block, the branch of an `if`, a `while`,
//! or a `for` with its iterator, which stays owned by the suspended frame
//! as on CPython's value stack. Resuming walks back in along those points
//! and carries on after the `yield`. So `yield` is modelled where it is a
//! statement in `if`/`while`/`for` blocks; elsewhere it is refused.

use std::collections::BTreeSet;

use super::*;
use crate::stackdepth::{self, CodeOf, CompKind};

impl Interp {
    /// What a `def` or `lambda` body compiles to: whether it is a
    /// generator's, and its `co_stacksize` if the model knows it. A `yield`
    /// the model cannot suspend at is refused here, before anything runs.
    pub(super) fn compile_code(
        &self,
        params: &ast::Params,
        body: &CodeBody,
        span: ast::Span,
    ) -> R<(bool, Option<u32>)> {
        let none = BTreeSet::new();
        match body {
            CodeBody::Block(b) => {
                let generator = stackdepth::body_yields(b);
                if generator {
                    if let Some(at) = unmodelled_yield(b) {
                        return unsupported(
                            at,
                            "yield here (a generator is modelled with `yield` statements in if, while and for blocks)",
                        );
                    }
                }
                let size = stackdepth::stacksize(self.v(), CodeOf::Function(params, b), &none);
                Ok((generator, size))
            }
            CodeBody::Expr(e) => {
                if stackdepth::expr_yields(e) {
                    return unsupported(span, "yield in a lambda");
                }
                let size = stackdepth::stacksize(self.v(), CodeOf::Lambda(params, e), &none);
                Ok((false, size))
            }
        }
    }

    /// The generator object for a call of the generator code `code` through
    /// `func`, its frame's locals bound (`slots`, owned).
    pub(super) fn make_generator(
        &mut self,
        code: usize,
        func: ObjRef,
        slots: Vec<Option<ObjRef>>,
        span: ast::Span,
    ) -> R<ObjRef> {
        let c = Rc::clone(&self.codes[code]);
        let release = |me: &mut Self, slots: Vec<Option<ObjRef>>| {
            me.release(slots.into_iter().flatten().collect());
        };
        let v = self.v();
        let frame_slots = if v.minor() >= 11 {
            match c.stacksize {
                Some(s) => c.slot_names.len() as u64 + u64::from(s),
                None => {
                    release(self, slots);
                    return unsupported(
                        span,
                        "a generator whose co_stacksize the model does not know (its size depends on it)",
                    );
                }
            }
        } else {
            0
        };
        // Up to 3.10, the frame object the generator holds.
        let frame = if v.minor() >= 11 {
            None
        } else {
            let extras = self.frame_extras(code, 0);
            match self.frame_object(code, extras, span) {
                Ok(mem) => Some(mem),
                Err(u) => {
                    release(self, slots);
                    return Err(u);
                }
            }
        };
        let func = if v.minor() >= 11 {
            self.objs.incref(func);
            Some(func)
        } else {
            None
        };
        let gen = GenObj {
            code: code as u32,
            qualname: Rc::from(c.qualname.as_str()),
            func,
            slots,
            points: Vec::new(),
            state: GenState::Created,
            frame,
        };
        let made = self.objs.generator(gen, frame_slots);
        self.mem(made, span.line)
    }

    /// `next()` of a generator (`gen_send_ex` with `None`): runs its frame
    /// to the next `yield` (`Some(value)`) or to its end (`None`, and the
    /// frame is cleared); an exception clears it too and propagates.
    pub(super) fn gen_next(&mut self, g: ObjRef, line: u32) -> R<Option<ObjRef>> {
        let Some(Payload::Generator(gen)) = self.objs.get_mut(g).map(|o| &mut o.payload) else {
            return Ok(None);
        };
        let state = gen.state;
        match state {
            GenState::Finished => return Ok(None),
            GenState::Running => {
                return exc(line, "ValueError", "generator already executing");
            }
            GenState::Created | GenState::Suspended => {}
        }
        gen.state = GenState::Running;
        let code = gen.code as usize;
        let slots = std::mem::take(&mut gen.slots);
        let points = std::mem::take(&mut gen.points);
        if self.frames.len() >= MAX_CALL_DEPTH {
            self.gen_store(g, slots, points, state);
            return unsupported(
                line_span(line),
                format!("calls nested deeper than {MAX_CALL_DEPTH}"),
            );
        }
        let mut frame = Frame::new(code, slots, false);
        frame.points = points;
        frame.resuming = state == GenState::Suspended;
        self.push_frame(frame);
        self.warm(); // RESUME
        let c = Rc::clone(&self.codes[code]);
        let r = match &c.body {
            CodeBody::Block(body) => self.exec_block(body),
            CodeBody::Expr(_) => Ok(Flow::Next),
        };
        let Some(frame) = self.frames.pop() else {
            return Ok(None);
        };
        match r {
            Err(Unwind::Yield(v)) => {
                self.gen_store(g, frame.slots, frame.points, GenState::Suspended);
                if let Err(u) = self.mark_step(crate::program::StepKind::Return) {
                    self.decref(v);
                    return Err(u);
                }
                Ok(Some(v))
            }
            Ok(flow) => {
                if let Flow::Return(v) = flow {
                    self.decref(v); // StopIteration's value, not modelled
                }
                self.gen_finish(g, code, frame.slots, None);
                self.mark_step(crate::program::StepKind::Return)?;
                Ok(None)
            }
            Err(mut u) => {
                let held = match &mut u {
                    Unwind::Exc(raised) => Some(&mut raised.held),
                    _ => None,
                };
                self.gen_finish(g, code, frame.slots, held);
                Err(u)
            }
        }
    }

    fn gen_store(
        &mut self,
        g: ObjRef,
        slots: Vec<Option<ObjRef>>,
        points: Vec<GenPoint>,
        state: GenState,
    ) {
        if let Some(Payload::Generator(gen)) = self.objs.get_mut(g).map(|o| &mut o.payload) {
            gen.slots = slots;
            gen.points = points;
            gen.state = state;
        }
    }

    /// The frame of a generator that returned or raised is cleared: its
    /// locals in order (kept by the traceback, `held`, when an exception
    /// leaves it), then (3.11+) its function; up to 3.10 the frame object
    /// goes back to its code.
    fn gen_finish(
        &mut self,
        g: ObjRef,
        code: usize,
        slots: Vec<Option<ObjRef>>,
        held: Option<&mut Vec<ObjRef>>,
    ) {
        let (func, frame) = match self.objs.get_mut(g).map(|o| &mut o.payload) {
            Some(Payload::Generator(gen)) => {
                gen.state = GenState::Finished;
                (gen.func.take(), gen.frame.take())
            }
            _ => (None, None),
        };
        let locals = slots.into_iter().flatten();
        match held {
            Some(h) => h.extend(locals),
            None => locals.for_each(|r| self.decref(r)),
        }
        if let Some(f) = func {
            self.decref(f);
        }
        if let Some(mem) = frame {
            self.frame_object_done(code, mem);
        }
    }

    /// A generator expression: `MAKE_FUNCTION`, the first iterable's
    /// iterator, then the call that makes the generator (the function goes
    /// when the call returns, but a 3.11+ frame keeps it).
    pub(super) fn genexpr(
        &mut self,
        elt: &Expr,
        gens: &[ast::Comprehension],
        span: ast::Span,
    ) -> R<ObjRef> {
        let line = span.line;
        let Some(first) = gens.first() else {
            return unsupported(span, "a generator expression without a for clause");
        };
        let code = self.genexpr_code(elt, gens, span)?;
        let f = self.objs.function(code as u32, "<genexpr>", None);
        let f = self.mem(f, line)?;
        let it = match self
            .eval(&first.iter)
            .and_then(|seq| self.get_iter(seq, first.iter.span))
        {
            Ok(it) => it,
            Err(u) => {
                self.decref(f);
                return Err(u);
            }
        };
        let mut slots = vec![None; self.codes[code].slot_names.len()];
        slots[0] = Some(it);
        let r = self.make_generator(code, f, slots, span);
        self.decref(f);
        r
    }

    /// The code of a generator expression (made once per expression in the
    /// source): `.0` and its targets as locals, and its clauses as the
    /// statements they compile to.
    fn genexpr_code(
        &mut self,
        elt: &Expr,
        gens: &[ast::Comprehension],
        span: ast::Span,
    ) -> R<usize> {
        if let Some(&c) = self.comp_codes.get(&(span.line, span.col)) {
            return Ok(c);
        }
        let code = CodeOf::Comp(CompKind::Gen, elt, None, gens);
        if stackdepth::expr_yields(elt)
            || gens
                .iter()
                .any(|g| g.ifs.iter().any(stackdepth::expr_yields))
        {
            return unsupported(span, "yield inside a generator expression");
        }
        // A name the expression uses that a running function binds would
        // be a closure cell.
        let free = stackdepth::free_names(code);
        let captures = self.frames.iter().any(|f| {
            let c = &self.codes[f.code];
            c.locals.iter().any(|n| free.contains(n))
        });
        if captures {
            return unsupported(
                span,
                "a generator expression using the enclosing function's variables (closures)",
            );
        }
        let mut locals = vec![".0".to_string()];
        for g in gens {
            g.target.for_each_name(&mut |n| locals.push(n.to_string()));
        }
        let mut seen = HashSet::new();
        locals.retain(|n| seen.insert(n.clone()));
        // for <target> in .0: if <c>: ... for <t2> in <iter2>: ... yield <elt>
        let mut body = vec![Stmt {
            span: elt.span,
            kind: StmtKind::Expr(Expr {
                span: elt.span,
                kind: ExprKind::Yield(Some(Box::new(elt.clone()))),
            }),
        }];
        for (i, g) in gens.iter().enumerate().rev() {
            for c in g.ifs.iter().rev() {
                body = vec![Stmt {
                    span: c.span,
                    kind: StmtKind::If {
                        test: c.clone(),
                        body,
                        orelse: Vec::new(),
                    },
                }];
            }
            let iter = if i == 0 {
                Expr {
                    span: g.iter.span,
                    kind: ExprKind::Name(".0".into()),
                }
            } else {
                g.iter.clone()
            };
            body = vec![Stmt {
                span: g.iter.span,
                kind: StmtKind::For {
                    target: g.target.clone(),
                    iter,
                    body,
                    orelse: Vec::new(),
                },
            }];
        }
        let stacksize = stackdepth::stacksize(self.v(), code, &BTreeSet::new());
        self.codes.push(Rc::new(
            Code {
                name: "<genexpr>".into(),
                qualname: "<genexpr>".into(),
                kwonly: Vec::new(),
                vararg: None,
                kwarg: None,
                params: vec![".0".into()],
                n_defaults: 0,
                body: CodeBody::Block(Rc::new(body)),
                locals,
                globals: HashSet::new(),
                cells: Vec::new(),
                frees: Vec::new(),
                slot_names: Vec::new(),
                deref: Vec::new(),
                generator: true,
                stacksize,
            }
            .laid_out(),
        ));
        let c = self.codes.len() - 1;
        self.comp_codes.insert((span.line, span.col), c);
        Ok(c)
    }
}

/// The first `yield` the model cannot suspend at: one that is not a
/// statement of its own in a block of `if`, `while` or `for` (a loop's
/// `else` included neither).
fn unmodelled_yield(body: &[Stmt]) -> Option<ast::Span> {
    for s in body {
        let own = |e: &Expr| stackdepth::expr_yields(e).then_some(s.span);
        match &s.kind {
            StmtKind::Expr(Expr {
                kind: ExprKind::Yield(v),
                ..
            }) => {
                if let Some(at) = v.as_deref().and_then(own) {
                    return Some(at);
                }
            }
            StmtKind::If { test, body, orelse } => {
                if let Some(at) = own(test)
                    .or_else(|| unmodelled_yield(body))
                    .or_else(|| unmodelled_yield(orelse))
                {
                    return Some(at);
                }
            }
            StmtKind::While { test, body, orelse } => {
                if let Some(at) = own(test).or_else(|| unmodelled_yield(body)) {
                    return Some(at);
                }
                if stackdepth::body_yields(orelse) {
                    return Some(s.span);
                }
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
            } => {
                let mut in_target = None;
                target.for_each_expr(&mut |e| in_target = in_target.or(own(e)));
                if let Some(at) = in_target.or(own(iter)).or_else(|| unmodelled_yield(body)) {
                    return Some(at);
                }
                if stackdepth::body_yields(orelse) {
                    return Some(s.span);
                }
            }
            StmtKind::FunctionDef(_) | StmtKind::ClassDef(_) => {}
            _ => {
                if stackdepth::body_yields(std::slice::from_ref(s)) {
                    return Some(s.span);
                }
            }
        }
    }
    None
}
