//! Lowering ruff's tree to [`crate::ast`], with the checks CPython's
//! symbol table and compiler make and the subset's limits.
//!
//! Runs only on trees without syntax errors. It walks the whole tree even
//! after a problem, and reports, in this order: the first (in source order)
//! error of CPython's symbol-table pass, else the first compiler error, else
//! the first unsupported construct.
//!
//! Checked, with CPython's messages and positions: `nonlocal` at module
//! level, duplicate parameters and `yield` in a comprehension (symbol
//! table); `return`/`yield` outside a function, `break`/`continue` outside a
//! loop, repeated keyword arguments, several starred targets, a starred
//! target alone and a starred expression where none is allowed (compiler).
//!
//! Not checked (they need name resolution, left to the evaluator):
//! `no binding for nonlocal 'x' found`, `name 'x' is used prior to global
//! declaration` and its variants, `name 'x' is parameter and global`,
//! `cannot assign to __debug__`, and misplaced `from __future__` imports.

use ruff_python_ast as ra;
use ruff_python_ast::token::{Token, TokenKind};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::lines::LineIndex;
use super::{ParseError, ParseErrorKind, SyntaxErrorClass};
use crate::ast::{
    Alias, BinOp, BoolOp, ClassDef, CmpOp, Comprehension, Conversion, DictItem, ExceptHandler,
    Expr, ExprKind, FStringPart, FormattedValue, FunctionDef, Keyword, Module, Param, Params, Span,
    Stmt, StmtKind, Target, TargetKind, UnaryOp,
};

/// Whether ruff's tree nests expressions deeper than [`MAX_EXPR_DEPTH`].
/// Such a tree is too deep to drop recursively on a small stack, so
/// [`super::parse`] leaks it instead (only pathological inputs do this).
pub(crate) fn too_deep(module: &ra::ModModule) -> bool {
    struct Depth {
        depth: u32,
        exceeded: bool,
    }
    impl<'a> Visitor<'a> for Depth {
        fn visit_expr(&mut self, expr: &'a ra::Expr) {
            if self.depth >= MAX_EXPR_DEPTH {
                self.exceeded = true;
                return;
            }
            self.depth += 1;
            visitor::walk_expr(self, expr);
            self.depth -= 1;
        }
    }
    let mut d = Depth {
        depth: 0,
        exceeded: false,
    };
    visitor::walk_body(&mut d, &module.body);
    d.exceeded
}

/// Lowers a module without syntax errors.
pub(crate) fn lower_module(
    src: &str,
    index: &LineIndex<'_>,
    tokens: &[Token],
    module: &ra::ModModule,
) -> Result<Module, ParseError> {
    let mut l = Lower {
        src,
        index,
        tokens,
        scopes: vec![Scope {
            kind: ScopeKind::Module,
            loops: 0,
        }],
        symtable: None,
        compiler: None,
        unsupported: None,
        depth: 0,
    };
    let body = l.body(&module.body);
    match (l.symtable, l.compiler, l.unsupported) {
        (Some(e), _, _) | (None, Some(e), _) | (None, None, Some(e)) => Err(e),
        (None, None, None) => Ok(Module { body }),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ScopeKind {
    Module,
    Class,
    Function,
    /// A comprehension scope, named as in CPython's messages
    /// ("list comprehension", "generator expression"…).
    Comprehension(&'static str),
}

struct Scope {
    kind: ScopeKind,
    /// How many loops enclose the current statement within this scope.
    loops: u32,
}

/// How an expression is used as a target.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    Store,
    Del,
}

struct Lower<'a> {
    src: &'a str,
    index: &'a LineIndex<'a>,
    tokens: &'a [Token],
    scopes: Vec<Scope>,
    symtable: Option<ParseError>,
    compiler: Option<ParseError>,
    unsupported: Option<ParseError>,
    /// Current expression nesting, bounded by [`MAX_EXPR_DEPTH`].
    depth: u32,
}

/// The deepest expression nesting [`parse`](super::parse) accepts
/// (`-(-(-...))`, `1+1+...+1`, `a.b.c...`); deeper is an unsupported
/// construct. CPython itself gives up somewhere past a thousand or a few
/// thousand levels (`RecursionError` or `MemoryError` while compiling); this
/// bound keeps the lowering (a few KiB of stack per level in debug builds),
/// and an evaluator recursing over the tree, inside a 2 MiB thread stack.
pub const MAX_EXPR_DEPTH: u32 = 500;

/// Keeps the earlier (in source order) of two errors.
fn keep_first(slot: &mut Option<ParseError>, e: ParseError) {
    let earlier = slot
        .as_ref()
        .is_none_or(|old| (e.line, e.col) < (old.line, old.col));
    if earlier {
        *slot = Some(e);
    }
}

fn error(kind: ParseErrorKind, span: Span, message: String) -> ParseError {
    ParseError {
        kind,
        class: SyntaxErrorClass::SyntaxError,
        file_name: String::new(),
        line: span.line,
        col: span.col,
        end_line: span.end_line,
        end_col: span.end_col,
        message,
    }
}

fn bin_op(op: ra::Operator) -> BinOp {
    match op {
        ra::Operator::Add => BinOp::Add,
        ra::Operator::Sub => BinOp::Sub,
        ra::Operator::Mult => BinOp::Mult,
        ra::Operator::MatMult => BinOp::MatMult,
        ra::Operator::Div => BinOp::Div,
        ra::Operator::Mod => BinOp::Mod,
        ra::Operator::Pow => BinOp::Pow,
        ra::Operator::LShift => BinOp::LShift,
        ra::Operator::RShift => BinOp::RShift,
        ra::Operator::BitOr => BinOp::BitOr,
        ra::Operator::BitXor => BinOp::BitXor,
        ra::Operator::BitAnd => BinOp::BitAnd,
        ra::Operator::FloorDiv => BinOp::FloorDiv,
    }
}

fn cmp_op(op: ra::CmpOp) -> CmpOp {
    match op {
        ra::CmpOp::Eq => CmpOp::Eq,
        ra::CmpOp::NotEq => CmpOp::NotEq,
        ra::CmpOp::Lt => CmpOp::Lt,
        ra::CmpOp::LtE => CmpOp::LtE,
        ra::CmpOp::Gt => CmpOp::Gt,
        ra::CmpOp::GtE => CmpOp::GtE,
        ra::CmpOp::Is => CmpOp::Is,
        ra::CmpOp::IsNot => CmpOp::IsNot,
        ra::CmpOp::In => CmpOp::In,
        ra::CmpOp::NotIn => CmpOp::NotIn,
    }
}

/// The decimal digits of an integer literal's source text (`0x_ff` → `255`).
fn int_digits(text: &str) -> String {
    let t: String = text.chars().filter(|&c| c != '_').collect();
    let lower = t.to_ascii_lowercase();
    let (radix, digits) = match lower.get(..2) {
        Some("0x") => (16, &lower[2..]),
        Some("0o") => (8, &lower[2..]),
        Some("0b") => (2, &lower[2..]),
        _ => (10, lower.as_str()),
    };
    // Little-endian limbs of 10^9.
    const BASE: u64 = 1_000_000_000;
    let mut limbs: Vec<u64> = vec![0];
    for c in digits.chars() {
        let Some(d) = c.to_digit(radix) else { continue };
        let mut carry = u64::from(d);
        for limb in &mut limbs {
            let v = *limb * u64::from(radix) + carry;
            *limb = v % BASE;
            carry = v / BASE;
        }
        while carry > 0 {
            limbs.push(carry % BASE);
            carry /= BASE;
        }
    }
    let mut out = String::new();
    let mut iter = limbs.iter().rev();
    if let Some(top) = iter.next() {
        out.push_str(&top.to_string());
    }
    for limb in iter {
        out.push_str(&format!("{limb:09}"));
    }
    out
}

impl<'a> Lower<'a> {
    fn span(&self, range: TextRange) -> Span {
        self.index.span(range)
    }

    fn text(&self, range: TextRange) -> &'a str {
        self.src
            .get(range.start().to_usize()..range.end().to_usize())
            .unwrap_or("")
    }

    fn symtable_error(&mut self, span: Span, msg: String) {
        keep_first(&mut self.symtable, error(ParseErrorKind::Syntax, span, msg));
    }

    fn compiler_error(&mut self, span: Span, msg: String) {
        keep_first(&mut self.compiler, error(ParseErrorKind::Syntax, span, msg));
    }

    fn unsupported(&mut self, span: Span, what: &str) {
        keep_first(
            &mut self.unsupported,
            error(ParseErrorKind::Unsupported, span, what.to_string()),
        );
    }

    fn scope(&self) -> &Scope {
        // The module scope is never popped.
        &self.scopes[self.scopes.len() - 1]
    }

    fn scope_mut(&mut self) -> &mut Scope {
        let n = self.scopes.len() - 1;
        &mut self.scopes[n]
    }

    fn in_scope<T>(&mut self, kind: ScopeKind, f: impl FnOnce(&mut Self) -> T) -> T {
        self.scopes.push(Scope { kind, loops: 0 });
        let out = f(self);
        self.scopes.pop();
        out
    }

    fn in_loop<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        self.scope_mut().loops += 1;
        let out = f(self);
        self.scope_mut().loops -= 1;
        out
    }

    /// A `def`/`class` starts at its keyword (or `async`), not at its first
    /// decorator, as in CPython 3.8+.
    fn def_span(&self, range: TextRange, name: TextRange) -> Span {
        let before = self.tokens.partition_point(|t| t.end() <= name.start());
        let mut start = range.start();
        if let Some(i) = self.tokens[..before]
            .iter()
            .rposition(|t| matches!(t.kind(), TokenKind::Def | TokenKind::Class))
        {
            start = self.tokens[i].start();
            if i > 0 && self.tokens[i - 1].kind() == TokenKind::Async {
                start = self.tokens[i - 1].start();
            }
        }
        self.span(TextRange::new(start.max(range.start()), range.end()))
    }

    // ---- statements -------------------------------------------------------

    fn body(&mut self, stmts: &[ra::Stmt]) -> Vec<Stmt> {
        stmts.iter().filter_map(|s| self.stmt(s)).collect()
    }

    fn stmt(&mut self, s: &ra::Stmt) -> Option<Stmt> {
        let span = self.span(s.range());
        let kind = match s {
            ra::Stmt::FunctionDef(f) => {
                let span = self.def_span(f.range, f.name.range);
                let def = self.function_def(f, span);
                return Some(Stmt {
                    span,
                    kind: StmtKind::FunctionDef(def),
                });
            }
            ra::Stmt::ClassDef(c) => {
                let span = self.def_span(c.range, c.name.range);
                let def = self.class_def(c);
                return Some(Stmt {
                    span,
                    kind: StmtKind::ClassDef(def),
                });
            }
            ra::Stmt::Return(r) => {
                if !self.in_function() {
                    self.compiler_error(span, "'return' outside function".into());
                }
                StmtKind::Return(r.value.as_deref().map(|v| self.expr(v)))
            }
            ra::Stmt::Delete(d) => StmtKind::Delete(
                d.targets
                    .iter()
                    .map(|t| self.target(t, Use::Del, false))
                    .collect(),
            ),
            ra::Stmt::Assign(a) => {
                let value = self.expr(&a.value);
                let targets = a
                    .targets
                    .iter()
                    .map(|t| self.target(t, Use::Store, false))
                    .collect();
                StmtKind::Assign { targets, value }
            }
            ra::Stmt::AugAssign(a) => {
                let target = self.target(&a.target, Use::Store, false);
                let value = self.expr(&a.value);
                StmtKind::AugAssign {
                    target,
                    op: bin_op(a.op),
                    value,
                }
            }
            ra::Stmt::AnnAssign(_) => {
                self.unsupported(span, "annotated assignment");
                return None;
            }
            ra::Stmt::TypeAlias(_) => {
                self.unsupported(span, "type statement");
                return None;
            }
            ra::Stmt::For(f) => {
                if f.is_async {
                    self.unsupported(span, "async for");
                }
                let iter = self.expr(&f.iter);
                let target = self.target(&f.target, Use::Store, false);
                let body = self.in_loop(|l| l.body(&f.body));
                let orelse = self.body(&f.orelse);
                StmtKind::For {
                    target,
                    iter,
                    body,
                    orelse,
                }
            }
            ra::Stmt::While(w) => {
                let test = self.expr(&w.test);
                let body = self.in_loop(|l| l.body(&w.body));
                let orelse = self.body(&w.orelse);
                StmtKind::While { test, body, orelse }
            }
            ra::Stmt::If(i) => {
                let test = self.expr(&i.test);
                let body = self.body(&i.body);
                let orelse = self.elif_chain(&i.elif_else_clauses, i.range.end());
                StmtKind::If { test, body, orelse }
            }
            ra::Stmt::With(w) => {
                self.unsupported(
                    span,
                    if w.is_async {
                        "async with"
                    } else {
                        "with statement"
                    },
                );
                for item in &w.items {
                    self.expr(&item.context_expr);
                    if let Some(v) = &item.optional_vars {
                        self.target(v, Use::Store, false);
                    }
                }
                self.body(&w.body);
                return None;
            }
            ra::Stmt::Match(m) => {
                self.unsupported(span, "match statement");
                self.expr(&m.subject);
                for case in &m.cases {
                    if let Some(g) = &case.guard {
                        self.expr(g);
                    }
                    self.body(&case.body);
                }
                return None;
            }
            ra::Stmt::Raise(r) => StmtKind::Raise {
                exc: r.exc.as_deref().map(|e| self.expr(e)),
                cause: r.cause.as_deref().map(|e| self.expr(e)),
            },
            ra::Stmt::Try(t) => {
                let body = self.body(&t.body);
                let handlers = t
                    .handlers
                    .iter()
                    .map(|ra::ExceptHandler::ExceptHandler(h)| {
                        let hspan = self.span(h.range);
                        if t.is_star {
                            self.unsupported(hspan, "except* clause");
                        }
                        ExceptHandler {
                            typ: h.type_.as_deref().map(|e| self.expr(e)),
                            name: h.name.as_ref().map(|n| n.id.to_string()),
                            body: self.body(&h.body),
                            span: hspan,
                        }
                    })
                    .collect();
                let orelse = self.body(&t.orelse);
                let finalbody = self.body(&t.finalbody);
                StmtKind::Try {
                    body,
                    handlers,
                    orelse,
                    finalbody,
                }
            }
            ra::Stmt::Assert(a) => StmtKind::Assert {
                test: self.expr(&a.test),
                msg: a.msg.as_deref().map(|m| self.expr(m)),
            },
            ra::Stmt::Import(i) => {
                StmtKind::Import(i.names.iter().map(|a| self.alias(a)).collect())
            }
            ra::Stmt::ImportFrom(i) => {
                if i.level > 0 {
                    self.unsupported(span, "relative import");
                }
                if let Some(star) = i.names.iter().find(|a| a.name.as_str() == "*") {
                    let sspan = self.span(star.range);
                    self.unsupported(sspan, "import *");
                }
                StmtKind::ImportFrom {
                    module: i
                        .module
                        .as_ref()
                        .map_or_else(String::new, |m| m.id.to_string()),
                    names: i.names.iter().map(|a| self.alias(a)).collect(),
                }
            }
            ra::Stmt::Global(g) => {
                StmtKind::Global(g.names.iter().map(|n| n.id.to_string()).collect())
            }
            ra::Stmt::Nonlocal(n) => {
                if self.scopes.len() == 1 {
                    self.symtable_error(
                        span,
                        "nonlocal declaration not allowed at module level".into(),
                    );
                }
                StmtKind::Nonlocal(n.names.iter().map(|n| n.id.to_string()).collect())
            }
            ra::Stmt::Expr(e) => StmtKind::Expr(self.expr(&e.value)),
            ra::Stmt::Pass(_) => StmtKind::Pass,
            ra::Stmt::Break(_) => {
                if self.scope().loops == 0 {
                    self.compiler_error(span, "'break' outside loop".into());
                }
                StmtKind::Break
            }
            ra::Stmt::Continue(_) => {
                if self.scope().loops == 0 {
                    self.compiler_error(span, "'continue' not properly in loop".into());
                }
                StmtKind::Continue
            }
            ra::Stmt::IpyEscapeCommand(_) => {
                self.unsupported(span, "IPython escape command");
                return None;
            }
        };
        Some(Stmt { span, kind })
    }

    fn in_function(&self) -> bool {
        matches!(self.scope().kind, ScopeKind::Function)
    }

    /// `elif`/`else` clauses as CPython's nested `If`s; each nested `If`
    /// spans from its `elif` to the end of the whole statement.
    fn elif_chain(&mut self, clauses: &[ra::ElifElseClause], end: TextSize) -> Vec<Stmt> {
        let Some((clause, rest)) = clauses.split_first() else {
            return Vec::new();
        };
        match &clause.test {
            None => self.body(&clause.body),
            Some(test) => {
                let span = self.span(TextRange::new(clause.range.start(), end));
                let test = self.expr(test);
                let body = self.body(&clause.body);
                let orelse = self.elif_chain(rest, end);
                vec![Stmt {
                    span,
                    kind: StmtKind::If { test, body, orelse },
                }]
            }
        }
    }

    fn alias(&mut self, a: &ra::Alias) -> Alias {
        Alias {
            name: a.name.id.to_string(),
            asname: a.asname.as_ref().map(|n| n.id.to_string()),
            span: self.span(a.range),
        }
    }

    fn function_def(&mut self, f: &ra::StmtFunctionDef, span: Span) -> FunctionDef {
        if f.is_async {
            self.unsupported(span, "async def");
        }
        let decorators = f
            .decorator_list
            .iter()
            .map(|d| self.expr(&d.expression))
            .collect();
        if let Some(tp) = &f.type_params {
            let tspan = self.span(tp.range);
            self.unsupported(tspan, "type parameters");
        }
        let params = self.params(&f.parameters);
        if let Some(r) = &f.returns {
            let rspan = self.span(r.range());
            self.unsupported(rspan, "annotation");
        }
        let body = self.in_scope(ScopeKind::Function, |l| l.body(&f.body));
        FunctionDef {
            name: f.name.id.to_string(),
            params,
            body,
            decorators,
        }
    }

    fn class_def(&mut self, c: &ra::StmtClassDef) -> ClassDef {
        let decorators = c
            .decorator_list
            .iter()
            .map(|d| self.expr(&d.expression))
            .collect();
        if let Some(tp) = &c.type_params {
            let tspan = self.span(tp.range);
            self.unsupported(tspan, "type parameters");
        }
        let mut bases = Vec::new();
        if let Some(args) = &c.arguments {
            for a in args.args.iter() {
                if let ra::Expr::Starred(s) = a {
                    let sspan = self.span(s.range);
                    self.unsupported(sspan, "star-expression in class bases");
                    self.expr(&s.value);
                } else {
                    bases.push(self.expr(a));
                }
            }
            for k in args.keywords.iter() {
                let kspan = self.span(k.range);
                match &k.arg {
                    Some(name) if name.as_str() == "metaclass" => {
                        self.unsupported(kspan, "metaclass");
                    }
                    _ => self.unsupported(kspan, "class keyword argument"),
                }
                self.expr(&k.value);
            }
        }
        let body = self.in_scope(ScopeKind::Class, |l| l.body(&c.body));
        ClassDef {
            name: c.name.id.to_string(),
            bases,
            body,
            decorators,
        }
    }

    /// Parameters, their defaults lowered in the enclosing scope.
    fn params(&mut self, p: &ra::Parameters) -> Params {
        if let Some(first) = p.posonlyargs.first() {
            let pspan = self.span(first.parameter.name.range);
            self.unsupported(pspan, "positional-only parameters");
        }
        let one = |l: &mut Self, pw: &ra::ParameterWithDefault| {
            let param = l.param(&pw.parameter);
            Param {
                default: pw.default.as_deref().map(|d| l.expr(d)),
                ..param
            }
        };
        let posonly: Vec<Param> = p.posonlyargs.iter().map(|pw| one(self, pw)).collect();
        let args: Vec<Param> = p.args.iter().map(|pw| one(self, pw)).collect();
        let kwonly: Vec<Param> = p.kwonlyargs.iter().map(|pw| one(self, pw)).collect();
        let vararg = p.vararg.as_deref().map(|v| self.param(v));
        let kwarg = p.kwarg.as_deref().map(|v| self.param(v));
        // CPython's symbol table adds them in this order.
        let mut seen: Vec<&str> = Vec::new();
        let order = posonly
            .iter()
            .chain(&args)
            .chain(&kwonly)
            .chain(vararg.as_ref())
            .chain(kwarg.as_ref());
        let mut duplicate = None;
        for param in order {
            if seen.contains(&param.name.as_str()) {
                duplicate.get_or_insert((param.span, param.name.clone()));
            }
            seen.push(&param.name);
        }
        if let Some((span, name)) = duplicate {
            self.symtable_error(
                span,
                format!("duplicate argument '{name}' in function definition"),
            );
        }
        Params {
            args,
            vararg,
            kwonly,
            kwarg,
        }
    }

    fn param(&mut self, p: &ra::Parameter) -> Param {
        if let Some(a) = &p.annotation {
            let aspan = self.span(a.range());
            self.unsupported(aspan, "annotation");
        }
        Param {
            name: p.name.id.to_string(),
            default: None,
            span: self.span(p.name.range),
        }
    }

    // ---- targets ----------------------------------------------------------

    fn target(&mut self, e: &ra::Expr, usage: Use, in_sequence: bool) -> Target {
        let span = self.span(e.range());
        let kind = match e {
            ra::Expr::Name(n) => TargetKind::Name(n.id.to_string()),
            ra::Expr::Attribute(a) => TargetKind::Attribute {
                value: Box::new(self.expr(&a.value)),
                attr: a.attr.id.to_string(),
            },
            ra::Expr::Subscript(s) => TargetKind::Subscript {
                value: Box::new(self.expr(&s.value)),
                index: Box::new(self.index_expr(&s.slice)),
            },
            ra::Expr::Tuple(ra::ExprTuple { elts, .. })
            | ra::Expr::List(ra::ExprList { elts, .. }) => {
                let stars = elts.iter().filter(|e| e.is_starred_expr()).count();
                if stars > 1 && usage == Use::Store {
                    self.compiler_error(span, "multiple starred expressions in assignment".into());
                }
                let items = elts.iter().map(|t| self.target(t, usage, true)).collect();
                if matches!(e, ra::Expr::Tuple(_)) {
                    TargetKind::Tuple(items)
                } else {
                    TargetKind::List(items)
                }
            }
            ra::Expr::Starred(s) => {
                if !in_sequence {
                    self.compiler_error(
                        span,
                        "starred assignment target must be in a list or tuple".into(),
                    );
                }
                TargetKind::Starred(Box::new(self.target(&s.value, usage, false)))
            }
            other => {
                // ruff reports these as syntax errors; kept for safety.
                let verb = if usage == Use::Del {
                    "delete"
                } else {
                    "assign to"
                };
                self.compiler_error(span, format!("cannot {verb} expression"));
                let _ = self.expr(other);
                TargetKind::Name(String::new())
            }
        };
        Target { span, kind }
    }

    // ---- expressions ------------------------------------------------------

    /// An expression where `*x` is allowed (display items, call arguments).
    fn item(&mut self, e: &ra::Expr) -> Expr {
        match e {
            ra::Expr::Starred(s) => Expr {
                span: self.span(s.range),
                kind: ExprKind::Starred(Box::new(self.expr(&s.value))),
            },
            _ => self.expr(e),
        }
    }

    fn items(&mut self, es: &[ra::Expr]) -> Vec<Expr> {
        es.iter().map(|e| self.item(e)).collect()
    }

    fn boxed(&mut self, e: &ra::Expr) -> Box<Expr> {
        Box::new(self.expr(e))
    }

    /// A subscript's index: slices allowed, also inside a tuple.
    fn index_expr(&mut self, e: &ra::Expr) -> Expr {
        match e {
            ra::Expr::Tuple(t) => Expr {
                span: self.span(t.range),
                kind: ExprKind::Tuple(
                    t.elts
                        .iter()
                        .map(|x| match x {
                            ra::Expr::Slice(_) => self.index_expr(x),
                            ra::Expr::Starred(s) => {
                                let sspan = self.span(s.range);
                                self.unsupported(sspan, "star-expression in subscript");
                                self.expr(&s.value)
                            }
                            _ => self.expr(x),
                        })
                        .collect(),
                ),
            },
            ra::Expr::Starred(s) => {
                let sspan = self.span(s.range);
                self.unsupported(sspan, "star-expression in subscript");
                self.expr(&s.value)
            }
            _ => self.expr(e),
        }
    }

    fn expr(&mut self, e: &ra::Expr) -> Expr {
        let span = self.span(e.range());
        if self.depth >= MAX_EXPR_DEPTH {
            self.unsupported(
                span,
                &format!("expression nested more than {MAX_EXPR_DEPTH} levels deep"),
            );
            return Expr {
                span,
                kind: ExprKind::None,
            };
        }
        self.depth += 1;
        let out = self.expr_inner(e, span);
        self.depth -= 1;
        out
    }

    /// One level of [`Lower::expr`]. Each variant is lowered by its own
    /// small function so that a level of recursion costs little stack, even
    /// in debug builds.
    fn expr_inner(&mut self, e: &ra::Expr, span: Span) -> Expr {
        let kind = match e {
            ra::Expr::BoolOp(b) => self.bool_op(b),
            ra::Expr::Named(n) => {
                self.unsupported(span, "walrus operator");
                self.expr(&n.value);
                ExprKind::None
            }
            ra::Expr::BinOp(b) => self.bin_op(b),
            ra::Expr::UnaryOp(u) => self.unary_op(u),
            ra::Expr::Lambda(lam) => self.lambda(lam),
            ra::Expr::If(i) => self.if_exp(i),
            ra::Expr::Dict(d) => self.dict(d),
            ra::Expr::Set(s) => ExprKind::Set(self.items(&s.elts)),
            ra::Expr::ListComp(c) => self.list_comp(c),
            ra::Expr::SetComp(c) => self.set_comp(c),
            ra::Expr::DictComp(c) => self.dict_comp(c, span),
            ra::Expr::Generator(g) => self.generator(g),
            ra::Expr::Await(a) => {
                self.unsupported(span, "await expression");
                self.expr(&a.value);
                ExprKind::None
            }
            ra::Expr::Yield(y) => self.yield_expr(y, span),
            ra::Expr::YieldFrom(y) => self.yield_from(y, span),
            ra::Expr::Compare(c) => self.compare(c),
            ra::Expr::Call(c) => self.call(c),
            ra::Expr::FString(f) => ExprKind::FString(self.fstring(&f.value)),
            ra::Expr::TString(_) => {
                self.unsupported(span, "t-string");
                ExprKind::None
            }
            ra::Expr::StringLiteral(s) => ExprKind::Str(s.value.to_str().to_string()),
            ra::Expr::BytesLiteral(b) => ExprKind::Bytes(b.value.bytes().collect()),
            ra::Expr::NumberLiteral(n) => self.number(n),
            ra::Expr::BooleanLiteral(b) => ExprKind::Bool(b.value),
            ra::Expr::NoneLiteral(_) => ExprKind::None,
            ra::Expr::EllipsisLiteral(_) => ExprKind::Ellipsis,
            ra::Expr::Attribute(a) => self.attribute(a),
            ra::Expr::Subscript(s) => self.subscript(s),
            ra::Expr::Starred(s) => {
                self.compiler_error(span, "can't use starred expression here".into());
                ExprKind::Starred(self.boxed(&s.value))
            }
            ra::Expr::Name(n) => ExprKind::Name(n.id.to_string()),
            ra::Expr::List(l) => ExprKind::List(self.items(&l.elts)),
            ra::Expr::Tuple(t) => ExprKind::Tuple(self.items(&t.elts)),
            ra::Expr::Slice(s) => self.slice(s),
            ra::Expr::IpyEscapeCommand(_) => {
                self.unsupported(span, "IPython escape command");
                ExprKind::None
            }
        };
        Expr { span, kind }
    }

    fn bool_op(&mut self, b: &ra::ExprBoolOp) -> ExprKind {
        ExprKind::BoolOp {
            op: match b.op {
                ra::BoolOp::And => BoolOp::And,
                ra::BoolOp::Or => BoolOp::Or,
            },
            values: b.values.iter().map(|v| self.expr(v)).collect(),
        }
    }

    fn bin_op(&mut self, b: &ra::ExprBinOp) -> ExprKind {
        ExprKind::BinOp {
            left: self.boxed(&b.left),
            op: bin_op(b.op),
            right: self.boxed(&b.right),
        }
    }

    fn unary_op(&mut self, u: &ra::ExprUnaryOp) -> ExprKind {
        ExprKind::UnaryOp {
            op: match u.op {
                ra::UnaryOp::Invert => UnaryOp::Invert,
                ra::UnaryOp::Not => UnaryOp::Not,
                ra::UnaryOp::UAdd => UnaryOp::Pos,
                ra::UnaryOp::USub => UnaryOp::Neg,
            },
            operand: self.boxed(&u.operand),
        }
    }

    fn lambda(&mut self, lam: &ra::ExprLambda) -> ExprKind {
        let params = match lam.parameters.as_deref() {
            Some(p) => self.params(p),
            None => Params::default(),
        };
        let body = self.in_scope(ScopeKind::Function, |l| l.boxed(&lam.body));
        ExprKind::Lambda {
            params: Box::new(params),
            body,
        }
    }

    fn if_exp(&mut self, i: &ra::ExprIf) -> ExprKind {
        ExprKind::IfExp {
            test: self.boxed(&i.test),
            body: self.boxed(&i.body),
            orelse: self.boxed(&i.orelse),
        }
    }

    fn dict(&mut self, d: &ra::ExprDict) -> ExprKind {
        ExprKind::Dict(
            d.items
                .iter()
                .map(|item| match &item.key {
                    Some(k) => DictItem::Pair {
                        key: self.expr(k),
                        value: self.expr(&item.value),
                    },
                    None => DictItem::Unpack(self.expr(&item.value)),
                })
                .collect(),
        )
    }

    fn list_comp(&mut self, c: &ra::ExprListComp) -> ExprKind {
        let (elt, generators) =
            self.comprehension(&c.generators, "list comprehension", |l| l.boxed(&c.elt));
        ExprKind::ListComp { elt, generators }
    }

    fn set_comp(&mut self, c: &ra::ExprSetComp) -> ExprKind {
        let (elt, generators) =
            self.comprehension(&c.generators, "set comprehension", |l| l.boxed(&c.elt));
        ExprKind::SetComp { elt, generators }
    }

    fn dict_comp(&mut self, c: &ra::ExprDictComp, span: Span) -> ExprKind {
        let ((key, value), generators) =
            self.comprehension(&c.generators, "dict comprehension", |l| {
                let key = match c.key.as_deref() {
                    Some(k) => l.boxed(k),
                    None => {
                        // `{**d for d in x}` (3.15); ruff reports it first.
                        l.unsupported(span, "dict unpacking in a comprehension");
                        Box::new(Expr {
                            span,
                            kind: ExprKind::None,
                        })
                    }
                };
                (key, l.boxed(&c.value))
            });
        ExprKind::DictComp {
            key,
            value,
            generators,
        }
    }

    fn generator(&mut self, g: &ra::ExprGenerator) -> ExprKind {
        let (elt, generators) =
            self.comprehension(&g.generators, "generator expression", |l| l.boxed(&g.elt));
        ExprKind::GeneratorExp { elt, generators }
    }

    fn yield_expr(&mut self, y: &ra::ExprYield, span: Span) -> ExprKind {
        self.check_yield(span);
        ExprKind::Yield(y.value.as_deref().map(|v| self.boxed(v)))
    }

    fn yield_from(&mut self, y: &ra::ExprYieldFrom, span: Span) -> ExprKind {
        self.check_yield(span);
        ExprKind::YieldFrom(self.boxed(&y.value))
    }

    fn compare(&mut self, c: &ra::ExprCompare) -> ExprKind {
        ExprKind::Compare {
            left: self.boxed(&c.left),
            ops: c.ops.iter().map(|&op| cmp_op(op)).collect(),
            comparators: c.comparators.iter().map(|x| self.expr(x)).collect(),
        }
    }

    fn number(&mut self, n: &ra::ExprNumberLiteral) -> ExprKind {
        match &n.value {
            ra::Number::Int(i) => match i.as_u64() {
                Some(v) => ExprKind::Int(v.to_string()),
                None => ExprKind::Int(int_digits(self.text(n.range))),
            },
            ra::Number::Float(f) => ExprKind::Float(*f),
            ra::Number::Complex { imag, .. } => ExprKind::Imag(*imag),
        }
    }

    fn attribute(&mut self, a: &ra::ExprAttribute) -> ExprKind {
        ExprKind::Attribute {
            value: self.boxed(&a.value),
            attr: a.attr.id.to_string(),
        }
    }

    fn subscript(&mut self, s: &ra::ExprSubscript) -> ExprKind {
        ExprKind::Subscript {
            value: self.boxed(&s.value),
            index: Box::new(self.index_expr(&s.slice)),
        }
    }

    fn slice(&mut self, s: &ra::ExprSlice) -> ExprKind {
        ExprKind::Slice {
            lower: s.lower.as_deref().map(|x| self.boxed(x)),
            upper: s.upper.as_deref().map(|x| self.boxed(x)),
            step: s.step.as_deref().map(|x| self.boxed(x)),
        }
    }

    fn check_yield(&mut self, span: Span) {
        match self.scope().kind {
            ScopeKind::Function => {}
            ScopeKind::Comprehension(what) => {
                self.symtable_error(span, format!("'yield' inside {what}"));
            }
            ScopeKind::Module | ScopeKind::Class => {
                self.compiler_error(span, "'yield' outside function".into());
            }
        }
    }

    /// The clauses of a comprehension: the first iterable in the enclosing
    /// scope, everything else (and the element, built by `elt`) in the
    /// comprehension's own scope.
    fn comprehension<T>(
        &mut self,
        generators: &[ra::Comprehension],
        what: &'static str,
        elt: impl FnOnce(&mut Self) -> T,
    ) -> (T, Vec<Comprehension>) {
        let first_iter = generators.first().map(|g| self.expr(&g.iter));
        self.in_scope(ScopeKind::Comprehension(what), |l| {
            let mut first_iter = first_iter;
            let mut out = Vec::new();
            for g in generators {
                if g.is_async {
                    let gspan = l.span(g.range);
                    l.unsupported(gspan, "async comprehension");
                }
                let iter = match first_iter.take() {
                    Some(it) => it,
                    None => l.expr(&g.iter),
                };
                let target = l.target(&g.target, Use::Store, false);
                let ifs = g.ifs.iter().map(|c| l.expr(c)).collect();
                out.push(Comprehension { target, iter, ifs });
            }
            (elt(l), out)
        })
    }

    fn call(&mut self, c: &ra::ExprCall) -> ExprKind {
        let func = self.boxed(&c.func);
        let arguments = &c.arguments;
        let mut args = self.items(&arguments.args);
        // `f(x for x in y)`: the generator expression spans the call's
        // parentheses, as in CPython 3.9+.
        if let ([ra::Expr::Generator(g)], [arg]) = (&*arguments.args, args.as_mut_slice()) {
            if !g.parenthesized && arguments.keywords.is_empty() {
                arg.span = self.span(arguments.range);
            }
        }
        let mut seen: Vec<String> = Vec::new();
        let keywords = arguments
            .keywords
            .iter()
            .map(|k| {
                let span = self.span(k.range);
                let name = k.arg.as_ref().map(|a| a.id.to_string());
                if let Some(n) = &name {
                    if seen.contains(n) {
                        self.compiler_error(span, format!("keyword argument repeated: {n}"));
                    }
                    seen.push(n.clone());
                }
                Keyword {
                    name,
                    value: self.expr(&k.value),
                    span,
                }
            })
            .collect();
        ExprKind::Call {
            func,
            args,
            keywords,
        }
    }

    fn fstring(&mut self, value: &ra::FStringValue) -> Vec<FStringPart> {
        let mut parts = Vec::new();
        for part in value.iter() {
            match part {
                ra::FStringPart::Literal(s) => push_literal(&mut parts, &s.value),
                ra::FStringPart::FString(f) => self.fstring_elements(&f.elements, &mut parts),
            }
        }
        parts
    }

    fn fstring_elements(
        &mut self,
        elements: &ra::InterpolatedStringElements,
        out: &mut Vec<FStringPart>,
    ) {
        for element in elements.iter() {
            match element {
                ra::InterpolatedStringElement::Literal(l) => push_literal(out, &l.value),
                ra::InterpolatedStringElement::Interpolation(i) => {
                    if let Some(d) = &i.debug_text {
                        push_literal(out, d.as_str());
                    }
                    let value = self.boxed(&i.expression);
                    let spec = i.format_spec.as_deref().map(|s| {
                        let mut parts = Vec::new();
                        self.fstring_elements(&s.elements, &mut parts);
                        parts
                    });
                    let mut conversion = match i.conversion {
                        ra::ConversionFlag::None => None,
                        ra::ConversionFlag::Str => Some(Conversion::Str),
                        ra::ConversionFlag::Repr => Some(Conversion::Repr),
                        ra::ConversionFlag::Ascii => Some(Conversion::Ascii),
                    };
                    if i.debug_text.is_some() && conversion.is_none() && spec.is_none() {
                        conversion = Some(Conversion::Repr);
                    }
                    out.push(FStringPart::Field(FormattedValue {
                        value,
                        conversion,
                        spec,
                    }));
                }
            }
        }
    }
}

/// Appends literal text, joining it to a preceding literal.
fn push_literal(parts: &mut Vec<FStringPart>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(FStringPart::Literal(last)) = parts.last_mut() {
        last.push_str(text);
    } else {
        parts.push(FStringPart::Literal(text.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::int_digits;

    #[test]
    fn int_digits_converts_every_radix() {
        assert_eq!(int_digits("0"), "0");
        assert_eq!(int_digits("1_000"), "1000");
        assert_eq!(int_digits("0xff"), "255");
        assert_eq!(int_digits("0o17"), "15");
        assert_eq!(int_digits("0B101"), "5");
        assert_eq!(
            int_digits("0xFFFFFFFFFFFFFFFFFFFF"),
            "1208925819614629174706175"
        );
        assert_eq!(
            int_digits("123456789012345678901234567890"),
            "123456789012345678901234567890"
        );
    }
}
