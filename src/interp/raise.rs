//! Exceptions in the interpreter: `try`/`except`/`else`/`finally`,
//! `raise`, `assert`, exception objects made as CPython makes them, and
//! the traceback printed for an uncaught one.
//!
//! An error raised by C code (`PyErr_SetString`) stays a [`ExcVal::Lazy`]
//! type and message until an `except` clause needs the object
//! (`PyErr_NormalizeException`); then the instance and its `args` tuple
//! are allocated. The frames an exception leaves stay alive through its
//! traceback: the model keeps their locals in the exception (`held`) and
//! drops them when the exception goes, which is when CPython frees the
//! traceback and its frames. Traceback and frame objects themselves are
//! not allocated yet.

use super::*;
use crate::exceptions;

impl Interp {
    /// `try` with its `except` clauses, `else` and `finally`.
    pub(super) fn exec_try(
        &mut self,
        body: &[Stmt],
        handlers: &[ast::ExceptHandler],
        orelse: &[Stmt],
        finalbody: &[Stmt],
    ) -> R<Flow> {
        let mut res = self.exec_block(body);
        match res {
            Err(Unwind::Exc(raised)) if !handlers.is_empty() => {
                res = self.handle(raised, handlers);
            }
            Ok(Flow::Next) if !orelse.is_empty() => res = self.exec_block(orelse),
            _ => {}
        }
        if finalbody.is_empty()
            || matches!(res, Err(Unwind::Unsupported { .. } | Unwind::Budget(_)))
        {
            return res;
        }
        match self.exec_block(finalbody) {
            Ok(Flow::Next) => res,
            // CPython chains the pending exception as the new one's
            // __context__, which the model does not carry into the
            // traceback print yet.
            Err(Unwind::Exc(new)) if matches!(res, Err(Unwind::Exc(_))) => {
                self.drop_raised(*new);
                self.discard(res);
                unsupported(
                    line_span(finalbody.first().map_or(0, |s| s.span.line)),
                    "an exception raised in finally while another is pending",
                )
            }
            // A `return`, `break`, `continue` or exception in `finally`
            // replaces what was pending (a return value, an exception).
            other => {
                self.discard(res);
                other
            }
        }
    }

    /// Drops a pending outcome that `finally` replaced.
    fn discard(&mut self, res: R<Flow>) {
        match res {
            Ok(Flow::Return(r)) => self.decref(r),
            Err(Unwind::Exc(raised)) => self.drop_raised(*raised),
            _ => {}
        }
    }

    /// Releases what a raised exception owns.
    pub(super) fn drop_raised(&mut self, raised: Raised) {
        if let ExcVal::Obj(e) = raised.val {
            self.decref(e);
        }
        self.release(raised.held);
        if let Some(c) = raised.context {
            self.decref(c);
        }
    }

    /// The `except` clauses: the first whose type matches runs, with the
    /// exception bound to its name and pushed as the one being handled;
    /// afterwards the name is deleted (`e = None; del e`) and the
    /// exception released.
    fn handle(&mut self, raised: Box<Raised>, handlers: &[ast::ExceptHandler]) -> R<Flow> {
        // PyTraceBack_Here made a traceback object for each frame the
        // exception passed (and, from 3.11, a frame object): tracked
        // objects the model does not make (see crate::gc::Unseen).
        self.objs.gc.unseen.extra[0] += 2 * (raised.tb.len() as u64 + 1);
        let kind = self.raised_kind(&raised);
        let class = match &raised.val {
            ExcVal::Obj(e) => self.class_of(*e),
            ExcVal::Lazy(_) => None,
        };
        for h in handlers {
            let matched = match &h.typ {
                None => true,
                Some(t) => {
                    let ty = match self.eval(t) {
                        Ok(ty) => ty,
                        Err(u) => {
                            self.drop_raised(*raised);
                            return Err(u);
                        }
                    };
                    let m = self.exception_matches(kind, class, ty, t.span);
                    self.decref(ty);
                    match m {
                        Ok(m) => m,
                        Err(u) => {
                            self.drop_raised(*raised);
                            return Err(u);
                        }
                    }
                }
            };
            if !matched {
                continue;
            }
            let e = self.materialize(*raised)?;
            if let Some(f) = self.frames.last_mut() {
                f.caught.push(e);
            }
            self.handling.push(e);
            if let Some(name) = &h.name {
                self.objs.incref(e);
                self.bind(name, e);
            }
            let res = self.exec_block(&h.body);
            if let Some(name) = &h.name {
                self.unbind(name);
            }
            if let Some(e) = self.handling.pop() {
                self.decref(e);
            }
            return res;
        }
        Err(Unwind::Exc(raised))
    }

    /// Removes a binding if there is one (the end of an `except … as name`).
    fn unbind(&mut self, name: &str) {
        let removed = match self.local_slot(name) {
            Some(at) => self.take_slot(at),
            None => self.globals.remove(name),
        };
        if let Some(r) = removed {
            self.decref(r);
        }
    }

    /// True when `raised` is an `AttributeError` (or a subclass), as
    /// `getattr` with a default and `hasattr` test.
    pub(super) fn is_attribute_error(&self, raised: &Raised) -> bool {
        exceptions::is_subclass(self.raised_kind(raised), "AttributeError")
    }

    /// The built-in exception type of a raised exception (for an instance
    /// of a program class, the built-in exception it derives from).
    fn raised_kind(&self, raised: &Raised) -> &'static str {
        match &raised.val {
            ExcVal::Lazy(err) => err.kind,
            ExcVal::Obj(e) => self
                .objs
                .exc_parts(*e)
                .map_or_else(|| self.payload(*e).type_name(), |(k, _)| k),
        }
    }

    /// `PyErr_GivenExceptionMatches`: `ty` is an exception type or a tuple
    /// of them; the exception is of built-in type `kind` or of the program
    /// class `class` (derived from `kind`).
    fn exception_matches(
        &self,
        kind: &str,
        class: Option<ObjRef>,
        ty: ObjRef,
        span: ast::Span,
    ) -> R<bool> {
        match self.payload(ty) {
            Payload::Type(t) if exceptions::builtin_exception(t).is_some() => {
                Ok(exceptions::is_subclass(kind, t))
            }
            Payload::Class(c) if c.builtin_base != "object" => {
                Ok(class.is_some_and(|c| self.is_subclass(c, ty)))
            }
            Payload::Tuple(items) => {
                for &i in items {
                    if self.exception_matches(kind, class, i, span)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            p => unsupported(span, format!("an except clause with a {}", p.type_name())),
        }
    }

    /// The exception object of `raised` (an owned reference), made now if
    /// C code only set a type and message; it takes over the frames the
    /// exception left and its context.
    fn materialize(&mut self, raised: Raised) -> R<ObjRef> {
        let Raised {
            val,
            line,
            held,
            context,
            ..
        } = raised;
        let e = match val {
            ExcVal::Obj(e) => e,
            ExcVal::Lazy(err) => {
                let Some(kind) = exceptions::builtin_exception(err.kind) else {
                    return unsupported(line_span(line), format!("the exception {}", err.kind));
                };
                let mut args = Vec::new();
                if !err.message.is_empty() {
                    let s = self.objs.str(&err.message);
                    args.push(self.mem(s, line)?);
                }
                let t = self.objs.tuple(args);
                let t = self.mem(t, line)?;
                let e = self.objs.exception(kind, t);
                self.mem(e, line)?
            }
        };
        if let Some((_, h, c)) = self.objs.exc_fields_mut(e) {
            h.extend(held);
            match (c.is_none(), context) {
                (true, ctx) => *c = ctx,
                (false, Some(extra)) => self.decref(extra),
                (false, None) => {}
            }
        }
        Ok(e)
    }

    /// Raises a new exception of `kind` with `args` (owned).
    pub(super) fn raise_args<T>(
        &mut self,
        kind: &'static str,
        args: Vec<ObjRef>,
        line: u32,
    ) -> R<T> {
        let t = self.objs.tuple(args);
        let t = self.mem(t, line)?;
        let e = self.objs.exception(kind, t);
        let e = self.mem(e, line)?;
        Err(Unwind::Exc(Raised::new(ExcVal::Obj(e), line)))
    }

    /// `raise`, `raise exc`.
    pub(super) fn exec_raise(
        &mut self,
        exc_expr: Option<&Expr>,
        cause: Option<&Expr>,
        span: ast::Span,
    ) -> R<Flow> {
        if let Some(c) = cause {
            return unsupported(c.span, "raise … from …");
        }
        let Some(x) = exc_expr else {
            // RERAISE: the exception being handled, as it is.
            let Some(&e) = self.handling.last() else {
                return exc(span.line, "RuntimeError", "No active exception to reraise");
            };
            self.objs.incref(e);
            return Err(Unwind::Exc(Raised::new(ExcVal::Obj(e), span.line)));
        };
        let r = self.eval(x)?;
        if self.objs.exc_parts(r).is_some() {
            return Err(Unwind::Exc(Raised::new(ExcVal::Obj(r), span.line)));
        }
        match self.payload(r).clone() {
            // A class: raised as its instance made with no arguments.
            Payload::Class(c) if c.builtin_base != "object" => {
                let e = self.call_class(r, &[], &[], span);
                self.decref(r);
                Err(Unwind::Exc(Raised::new(ExcVal::Obj(e?), span.line)))
            }
            Payload::Type(t) if exceptions::builtin_exception(t).is_some() => {
                self.decref(r);
                self.raise_args(
                    exceptions::builtin_exception(t).unwrap_or("Exception"),
                    Vec::new(),
                    span.line,
                )
            }
            _ => {
                self.decref(r);
                exc(
                    span.line,
                    "TypeError",
                    "exceptions must derive from BaseException",
                )
            }
        }
    }

    /// `assert test, msg`: `AssertionError(msg)` when the test is false.
    pub(super) fn exec_assert(
        &mut self,
        test: &Expr,
        msg: Option<&Expr>,
        span: ast::Span,
    ) -> R<Flow> {
        let c = self.eval(test)?;
        let t = self.truthy(c, span.line);
        self.decref(c);
        if t? {
            return Ok(Flow::Next);
        }
        let args = match msg {
            Some(m) => vec![self.eval(m)?],
            None => Vec::new(),
        };
        self.raise_args("AssertionError", args, span.line)
    }

    /// `str(e)` of an exception object (`BaseException_str`, `KeyError_str`).
    pub(super) fn exception_str(&self, kind: &str, args: ObjRef) -> R<String> {
        let items = match self.payload(args) {
            Payload::Tuple(items) => items.clone(),
            _ => Vec::new(),
        };
        match items.as_slice() {
            [] => Ok(String::new()),
            // KeyError_str: the repr of a lone key, so KeyError('') is "''".
            [k] if kind == "KeyError" => self.repr_text(*k),
            [one] => self.str_text(*one),
            _ => self.repr_text(args),
        }
    }

    /// `repr(e)` (`BaseException_repr`): `Name(args…)`.
    pub(super) fn exception_repr(&self, kind: &str, args: ObjRef) -> R<String> {
        let items = match self.payload(args) {
            Payload::Tuple(items) => items.clone(),
            _ => Vec::new(),
        };
        if let [one] = items.as_slice() {
            return Ok(format!("{kind}({})", self.repr_text(*one)?));
        }
        let inner = self.repr_text(args)?;
        Ok(format!("{kind}{inner}"))
    }

    /// What CPython prints on stderr for an uncaught exception: the
    /// traceback, outermost frame first, then `Type: message`.
    pub(super) fn uncaught_text(
        &self,
        raised: &Raised,
        file_name: &str,
        source: &str,
    ) -> R<String> {
        let (kind, message) = match &raised.val {
            // KeyError_str shows its lone argument's repr.
            ExcVal::Lazy(err) if err.kind == "KeyError" && !err.message.is_empty() => {
                (Rc::from(err.kind), str_repr(&err.message))
            }
            ExcVal::Lazy(err) => (Rc::from(err.kind), err.message.clone()),
            ExcVal::Obj(e) => match self.objs.exc_parts(*e) {
                Some((kind, args)) => {
                    let text = self.exception_str(kind, args)?;
                    (self.objs.type_name(*e), text)
                }
                None => (Rc::from("Exception"), String::new()),
            },
        };
        if raised.context.is_some() {
            return unsupported(
                line_span(raised.line),
                "printing an exception raised while handling another (chained tracebacks)",
            );
        }
        let mut out = String::from("Traceback (most recent call last):\n");
        for t in raised.tb.iter().rev() {
            let text = source
                .lines()
                .nth(t.line.saturating_sub(1) as usize)
                .unwrap_or("")
                .trim();
            let _ = writeln!(
                out,
                "  File \"{file_name}\", line {}, in {}",
                t.line, t.func
            );
            if !text.is_empty() {
                let _ = writeln!(out, "    {text}");
            }
        }
        out.push_str(&kind);
        if !message.is_empty() {
            out.push_str(": ");
            out.push_str(&message);
        }
        out.push('\n');
        Ok(out)
    }
}
