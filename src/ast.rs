//! # The interpreter's AST
//!
//! The syntax tree of the Python subset the interpreter runs, as
//! [`crate::parse::parse`] produces it from source text. It follows CPython's
//! own `ast` module closely so that an evaluator can do what CPython's
//! compiler does, in the same order and with the same allocations:
//!
//! * nothing is desugared that would change evaluation order or what gets
//!   allocated: augmented assignment ([`StmtKind::AugAssign`]), chained
//!   comparisons ([`ExprKind::Compare`]), the four comprehension kinds,
//!   decorators and chained assignment targets all stay as written;
//! * what CPython's parser itself folds is folded the same way: adjacent
//!   string literals become one constant, `elif` is an [`StmtKind::If`]
//!   nested in the `orelse` of the one before (spanning to the end of the
//!   chain, as in CPython), and `f"{x=}"` becomes the literal text `x=`
//!   followed by a `!r` replacement field;
//! * call arguments keep CPython's split into positional (`args`, where
//!   `*iterable` is an [`ExprKind::Starred`]) and keyword (`keywords`, where
//!   `**mapping` has no name), because CPython evaluates all positional
//!   arguments before any keyword argument.
//!
//! ## Positions
//!
//! Every [`Stmt`] and [`Expr`] (and parameters, keywords, aliases and
//! handlers) carries a [`Span`]. Lines are 1-based. Columns are 1-based and
//! count characters (not UTF-8 bytes), as CPython's tracebacks and
//! `SyntaxError` carets do; `end_col` is exclusive, so a span covers
//! `col..end_col` on its last line. The positions are CPython's own (3.9+):
//! a decorated `def` starts at `def`, a parenthesised tuple includes its
//! parentheses, other parenthesised expressions do not, and a generator
//! expression that is a call's only argument spans the call's parentheses.
//!
//! ## Literals
//!
//! Integers keep their value as decimal digits ([`ExprKind::Int`]) because
//! Python integers are unbounded; floats are `f64`; an imaginary literal
//! `2j` is [`ExprKind::Imag`] holding `2.0`. Strings are decoded (escapes
//! resolved) into `String`, bytes into `Vec<u8>`. An f-string is a list of
//! [`FStringPart`]s: literal text and `{expr!conv:spec}` fields whose spec is
//! itself a list of parts.

use std::fmt;

/// A source range: 1-based line and character column of the first
/// character, and of the position just past the last one.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Line of the first character, from 1.
    pub line: u32,
    /// Column of the first character, from 1, counted in characters.
    pub col: u32,
    /// Line of the last character, from 1.
    pub end_line: u32,
    /// Column just past the last character, from 1 (exclusive).
    pub end_col: u32,
}

impl Span {
    /// A span from `(line, col)` to `(end_line, end_col)`.
    pub const fn new(line: u32, col: u32, end_line: u32, end_col: u32) -> Span {
        Span {
            line,
            col,
            end_line,
            end_col,
        }
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}-{}:{}",
            self.line, self.col, self.end_line, self.end_col
        )
    }
}

/// A parsed source file: its statements in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    /// The module's top-level statements.
    pub body: Vec<Stmt>,
}

/// A statement and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    /// Where the statement is, from its first keyword or expression to the
    /// end of its last nested statement.
    pub span: Span,
    /// What the statement is.
    pub kind: StmtKind,
}

/// The statements of the subset.
#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// An expression evaluated for its effect: `f(x)`, a docstring.
    Expr(Expr),
    /// `t1 = t2 = ... = value`: `value` is evaluated once, then stored into
    /// each target from left to right.
    Assign {
        /// The targets, left to right (at least one).
        targets: Vec<Target>,
        /// The value.
        value: Expr,
    },
    /// `target op= value`: the in-place operator (`__iadd__` …), never
    /// rewritten as `target = target op value`.
    AugAssign {
        /// A name, attribute or subscript.
        target: Target,
        /// The operator (`+` for `+=`).
        op: BinOp,
        /// The right-hand side.
        value: Expr,
    },
    /// `del t1, t2`: names, attributes, subscripts and tuples or lists of
    /// these, deleted left to right.
    Delete(Vec<Target>),
    /// `if test: body else: orelse`. An `elif` is an `If` alone in `orelse`.
    If {
        /// The condition.
        test: Expr,
        /// Runs when `test` is true.
        body: Vec<Stmt>,
        /// Runs otherwise (empty when there is no `else`).
        orelse: Vec<Stmt>,
    },
    /// `while test: body else: orelse`.
    While {
        /// The loop condition.
        test: Expr,
        /// The loop body.
        body: Vec<Stmt>,
        /// Runs when the loop ends without `break`.
        orelse: Vec<Stmt>,
    },
    /// `for target in iter: body else: orelse`.
    For {
        /// What each item is stored into.
        target: Target,
        /// The iterable.
        iter: Expr,
        /// The loop body.
        body: Vec<Stmt>,
        /// Runs when the loop ends without `break`.
        orelse: Vec<Stmt>,
    },
    /// `break`.
    Break,
    /// `continue`.
    Continue,
    /// `pass`.
    Pass,
    /// `def name(params): body`, with its decorators.
    FunctionDef(FunctionDef),
    /// `class name(bases): body`, with its decorators.
    ClassDef(ClassDef),
    /// `return` or `return value`.
    Return(Option<Expr>),
    /// `global a, b`.
    Global(Vec<String>),
    /// `nonlocal a, b`.
    Nonlocal(Vec<String>),
    /// `try: body except ...: ... else: orelse finally: finalbody`.
    Try {
        /// The protected block.
        body: Vec<Stmt>,
        /// The `except` clauses, in order.
        handlers: Vec<ExceptHandler>,
        /// Runs when `body` raised nothing.
        orelse: Vec<Stmt>,
        /// Always runs last.
        finalbody: Vec<Stmt>,
    },
    /// `raise`, `raise exc` or `raise exc from cause`.
    Raise {
        /// The exception (class or instance); `None` re-raises.
        exc: Option<Expr>,
        /// The `from` clause.
        cause: Option<Expr>,
    },
    /// `assert test` or `assert test, msg`.
    Assert {
        /// The asserted condition.
        test: Expr,
        /// The message, evaluated only when `test` is false.
        msg: Option<Expr>,
    },
    /// `import a.b as c, d`.
    Import(Vec<Alias>),
    /// `from module import a, b as c` (absolute imports only).
    ImportFrom {
        /// The dotted module name.
        module: String,
        /// The imported names.
        names: Vec<Alias>,
    },
}

/// A function definition: `def name(params): body`.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionDef {
    /// The function's name.
    pub name: String,
    /// Its parameters and their defaults.
    pub params: Params,
    /// Its body.
    pub body: Vec<Stmt>,
    /// The decorators, top to bottom as written (evaluated in this order
    /// before the defaults, applied bottom-up after the function is made).
    pub decorators: Vec<Expr>,
}

/// A class definition: `class name(bases): body`.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassDef {
    /// The class's name.
    pub name: String,
    /// The base classes, left to right.
    pub bases: Vec<Expr>,
    /// The class body.
    pub body: Vec<Stmt>,
    /// The decorators, top to bottom as written.
    pub decorators: Vec<Expr>,
}

/// The parameters of a `def` or `lambda`, in CPython's groups.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Params {
    /// Positional-or-keyword parameters, with their defaults.
    pub args: Vec<Param>,
    /// `*name`, if any.
    pub vararg: Option<Param>,
    /// Keyword-only parameters (after `*` or `*name`), with their defaults.
    pub kwonly: Vec<Param>,
    /// `**name`, if any.
    pub kwarg: Option<Param>,
}

/// One parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The parameter's name.
    pub name: String,
    /// Its default value, evaluated when the `def` or `lambda` runs.
    pub default: Option<Expr>,
    /// Where the parameter's name is (as CPython's `arg` node).
    pub span: Span,
}

/// An `except` clause.
#[derive(Clone, Debug, PartialEq)]
pub struct ExceptHandler {
    /// The exception type (or tuple of types); `None` for a bare `except:`.
    pub typ: Option<Expr>,
    /// The `as name` binding.
    pub name: Option<String>,
    /// The handler's body.
    pub body: Vec<Stmt>,
    /// From `except` to the end of the body.
    pub span: Span,
}

/// `name` or `name as asname` in an import.
#[derive(Clone, Debug, PartialEq)]
pub struct Alias {
    /// The imported (possibly dotted) name.
    pub name: String,
    /// The local name given with `as`.
    pub asname: Option<String>,
    /// Where the alias is.
    pub span: Span,
}

/// Something assigned to, iterated into, or deleted.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// Where the target is.
    pub span: Span,
    /// What the target is.
    pub kind: TargetKind,
}

/// The kinds of assignment (and `for`, comprehension, `del`) targets.
#[derive(Clone, Debug, PartialEq)]
pub enum TargetKind {
    /// A variable.
    Name(String),
    /// `value.attr`.
    Attribute {
        /// The object.
        value: Box<Expr>,
        /// The attribute's name.
        attr: String,
    },
    /// `value[index]` (the index may be a slice or a tuple).
    Subscript {
        /// The container.
        value: Box<Expr>,
        /// The key.
        index: Box<Expr>,
    },
    /// `a, b` or `(a, b)`: unpacking into several targets.
    Tuple(Vec<Target>),
    /// `[a, b]`: unpacking, as for a tuple.
    List(Vec<Target>),
    /// `*rest` inside a tuple or list target: takes the leftover items as a
    /// list. At most one per tuple or list.
    Starred(Box<Target>),
}

/// An expression and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// Where the expression is.
    pub span: Span,
    /// What the expression is.
    pub kind: ExprKind,
}

/// The expressions of the subset.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// An integer literal: its value in decimal digits (no sign, no `_`,
    /// no leading zeros; `0x10` gives `"16"`).
    Int(String),
    /// A float literal.
    Float(f64),
    /// An imaginary literal `2.5j`: the imaginary part.
    Imag(f64),
    /// A string literal, escapes resolved; adjacent literals are joined.
    Str(String),
    /// A bytes literal, escapes resolved; adjacent literals are joined.
    Bytes(Vec<u8>),
    /// `True` or `False`.
    Bool(bool),
    /// `None`.
    None,
    /// `...`.
    Ellipsis,
    /// An f-string (with any adjacent plain literals joined in): its
    /// literal parts and replacement fields, in order.
    FString(Vec<FStringPart>),
    /// A variable read.
    Name(String),
    /// `[a, *b]`.
    List(Vec<Expr>),
    /// `(a, *b)` or `a, b`.
    Tuple(Vec<Expr>),
    /// `{a, *b}`.
    Set(Vec<Expr>),
    /// `{k: v, **m}`.
    Dict(Vec<DictItem>),
    /// `*value` in a list, tuple or set display, or in a call's positional
    /// arguments.
    Starred(Box<Expr>),
    /// `[elt for ...]`.
    ListComp {
        /// The element.
        elt: Box<Expr>,
        /// The `for`/`if` clauses, outermost first.
        generators: Vec<Comprehension>,
    },
    /// `{elt for ...}`.
    SetComp {
        /// The element.
        elt: Box<Expr>,
        /// The `for`/`if` clauses, outermost first.
        generators: Vec<Comprehension>,
    },
    /// `{key: value for ...}`.
    DictComp {
        /// The key.
        key: Box<Expr>,
        /// The value.
        value: Box<Expr>,
        /// The `for`/`if` clauses, outermost first.
        generators: Vec<Comprehension>,
    },
    /// `(elt for ...)`.
    GeneratorExp {
        /// The element.
        elt: Box<Expr>,
        /// The `for`/`if` clauses, outermost first.
        generators: Vec<Comprehension>,
    },
    /// `op operand`.
    UnaryOp {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        operand: Box<Expr>,
    },
    /// `left op right`.
    BinOp {
        /// The left operand.
        left: Box<Expr>,
        /// The operator.
        op: BinOp,
        /// The right operand.
        right: Box<Expr>,
    },
    /// `a and b and c` or `a or b or c` (one node for a run of the same
    /// operator, short-circuiting left to right).
    BoolOp {
        /// `and` or `or`.
        op: BoolOp,
        /// The operands (at least two).
        values: Vec<Expr>,
    },
    /// `left op1 c1 op2 c2 ...`: a (possibly chained) comparison; each
    /// middle operand is evaluated once.
    Compare {
        /// The leftmost operand.
        left: Box<Expr>,
        /// The operators, left to right.
        ops: Vec<CmpOp>,
        /// The right operands, one per operator.
        comparators: Vec<Expr>,
    },
    /// `body if test else orelse`.
    IfExp {
        /// The condition (evaluated first).
        test: Box<Expr>,
        /// The value when true.
        body: Box<Expr>,
        /// The value when false.
        orelse: Box<Expr>,
    },
    /// `lambda params: body`.
    Lambda {
        /// The parameters.
        params: Box<Params>,
        /// The body.
        body: Box<Expr>,
    },
    /// `func(args, keywords)`.
    Call {
        /// The callee.
        func: Box<Expr>,
        /// Positional arguments; `*iterable` is a [`ExprKind::Starred`].
        args: Vec<Expr>,
        /// Keyword arguments and `**mapping`s, in source order.
        keywords: Vec<Keyword>,
    },
    /// `value.attr`.
    Attribute {
        /// The object.
        value: Box<Expr>,
        /// The attribute's name.
        attr: String,
    },
    /// `value[index]`; `a[1:2, 3]` has a tuple index holding a slice.
    Subscript {
        /// The container.
        value: Box<Expr>,
        /// The key: an expression, a [`ExprKind::Slice`] or a tuple.
        index: Box<Expr>,
    },
    /// `lower:upper:step`, only as (part of) a subscript's index.
    Slice {
        /// The start, if written.
        lower: Option<Box<Expr>>,
        /// The stop, if written.
        upper: Option<Box<Expr>>,
        /// The step, if written.
        step: Option<Box<Expr>>,
    },
    /// `yield` or `yield value`.
    Yield(Option<Box<Expr>>),
    /// `yield from value`.
    YieldFrom(Box<Expr>),
}

/// One entry of a dict display.
#[derive(Clone, Debug, PartialEq)]
pub enum DictItem {
    /// `key: value`.
    Pair {
        /// The key (evaluated before the value).
        key: Expr,
        /// The value.
        value: Expr,
    },
    /// `**mapping`.
    Unpack(Expr),
}

/// One `for target in iter if cond ...` clause of a comprehension.
#[derive(Clone, Debug, PartialEq)]
pub struct Comprehension {
    /// What each item is stored into.
    pub target: Target,
    /// The iterable (the first clause's is evaluated outside the
    /// comprehension's scope, as in CPython).
    pub iter: Expr,
    /// The `if` conditions, in order.
    pub ifs: Vec<Expr>,
}

/// A keyword argument of a call: `name=value`, or `**value` when `name` is
/// `None`.
#[derive(Clone, Debug, PartialEq)]
pub struct Keyword {
    /// The parameter name; `None` for `**mapping`.
    pub name: Option<String>,
    /// The value.
    pub value: Expr,
    /// Where the keyword argument is.
    pub span: Span,
}

/// A piece of an f-string.
#[derive(Clone, Debug, PartialEq)]
pub enum FStringPart {
    /// Literal text (`{{` already turned into `{`); never empty, and never
    /// two in a row.
    Literal(String),
    /// A replacement field `{value!conversion:spec}`.
    Field(FormattedValue),
}

/// A replacement field of an f-string.
#[derive(Clone, Debug, PartialEq)]
pub struct FormattedValue {
    /// The expression.
    pub value: Box<Expr>,
    /// `!s`, `!r` or `!a`; `f"{x=}"` without one gets `!r`, as in CPython.
    pub conversion: Option<Conversion>,
    /// The format spec after `:`, which may hold nested fields; `None` when
    /// there is no `:`.
    pub spec: Option<Vec<FStringPart>>,
}

/// The conversion of an f-string field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conversion {
    /// `!s`: `str()`.
    Str,
    /// `!r`: `repr()`.
    Repr,
    /// `!a`: `ascii()`.
    Ascii,
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`.
    Neg,
    /// `+x`.
    Pos,
    /// `~x`.
    Invert,
    /// `not x`.
    Not,
}

/// Binary (and augmented-assignment) operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mult,
    /// `@`.
    MatMult,
    /// `/`.
    Div,
    /// `//`.
    FloorDiv,
    /// `%`.
    Mod,
    /// `**`.
    Pow,
    /// `<<`.
    LShift,
    /// `>>`.
    RShift,
    /// `|`.
    BitOr,
    /// `^`.
    BitXor,
    /// `&`.
    BitAnd,
}

/// `and` / `or`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoolOp {
    /// `and`.
    And,
    /// `or`.
    Or,
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`.
    Eq,
    /// `!=`.
    NotEq,
    /// `<`.
    Lt,
    /// `<=`.
    LtE,
    /// `>`.
    Gt,
    /// `>=`.
    GtE,
    /// `is`.
    Is,
    /// `is not`.
    IsNot,
    /// `in`.
    In,
    /// `not in`.
    NotIn,
}

impl Expr {
    /// A literal, or an expression of literals CPython's AST optimizer folds
    /// into one constant (unary operators but `not`, binary operators,
    /// tuples).
    pub fn is_constant(&self) -> bool {
        match &self.kind {
            ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Str(_)
            | ExprKind::Bytes(_)
            | ExprKind::Bool(_)
            | ExprKind::None => true,
            ExprKind::UnaryOp { op, operand } => *op != UnaryOp::Not && operand.is_constant(),
            ExprKind::BinOp { left, right, .. } => left.is_constant() && right.is_constant(),
            ExprKind::Tuple(items) => items.iter().all(Expr::is_constant),
            _ => false,
        }
    }

    /// Calls `f` on each direct sub-expression, in source order.
    pub fn for_each_child<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        let comps = |gens: &'a [Comprehension], f: &mut dyn FnMut(&'a Expr)| {
            for g in gens {
                f(&g.iter);
                g.ifs.iter().for_each(&mut *f);
            }
        };
        match &self.kind {
            ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Imag(_)
            | ExprKind::Str(_)
            | ExprKind::Bytes(_)
            | ExprKind::Bool(_)
            | ExprKind::None
            | ExprKind::Ellipsis
            | ExprKind::Name(_) => {}
            ExprKind::FString(parts) => fstring_children(parts, f),
            ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => xs.iter().for_each(f),
            ExprKind::Dict(items) => {
                for i in items {
                    match i {
                        DictItem::Pair { key, value } => {
                            f(key);
                            f(value);
                        }
                        DictItem::Unpack(x) => f(x),
                    }
                }
            }
            ExprKind::Starred(x)
            | ExprKind::UnaryOp { operand: x, .. }
            | ExprKind::Attribute { value: x, .. }
            | ExprKind::YieldFrom(x) => f(x),
            ExprKind::ListComp { elt, generators }
            | ExprKind::SetComp { elt, generators }
            | ExprKind::GeneratorExp { elt, generators } => {
                comps(generators, f);
                f(elt);
            }
            ExprKind::DictComp {
                key,
                value,
                generators,
            } => {
                comps(generators, f);
                f(key);
                f(value);
            }
            ExprKind::BinOp { left, right, .. } => {
                f(left);
                f(right);
            }
            ExprKind::BoolOp { values, .. } => values.iter().for_each(f),
            ExprKind::Compare {
                left, comparators, ..
            } => {
                f(left);
                comparators.iter().for_each(f);
            }
            ExprKind::IfExp { test, body, orelse } => {
                f(test);
                f(body);
                f(orelse);
            }
            ExprKind::Lambda { params, body } => {
                params.defaults().for_each(&mut *f);
                f(body);
            }
            ExprKind::Call {
                func,
                args,
                keywords,
            } => {
                f(func);
                args.iter().for_each(&mut *f);
                keywords.iter().for_each(|k| f(&k.value));
            }
            ExprKind::Subscript { value, index } => {
                f(value);
                f(index);
            }
            ExprKind::Slice { lower, upper, step } => {
                [lower, upper, step]
                    .into_iter()
                    .flatten()
                    .for_each(|x| f(x));
            }
            ExprKind::Yield(x) => {
                if let Some(x) = x {
                    f(x);
                }
            }
        }
    }

    /// Calls `f` on this expression and every expression inside it that runs
    /// in the same scope: a lambda's body and a comprehension's clauses but
    /// the first iterable run in their own.
    pub fn for_each_in_scope<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Lambda { params, .. } => {
                params.defaults().for_each(|d| d.for_each_in_scope(f));
            }
            ExprKind::ListComp { generators, .. }
            | ExprKind::SetComp { generators, .. }
            | ExprKind::GeneratorExp { generators, .. }
            | ExprKind::DictComp { generators, .. } => {
                if let Some(g) = generators.first() {
                    g.iter.for_each_in_scope(f);
                }
            }
            _ => self.for_each_child(&mut |c| c.for_each_in_scope(f)),
        }
    }
}

fn fstring_children<'a>(parts: &'a [FStringPart], f: &mut dyn FnMut(&'a Expr)) {
    for p in parts {
        if let FStringPart::Field(v) = p {
            f(&v.value);
            if let Some(spec) = &v.spec {
                fstring_children(spec, f);
            }
        }
    }
}

impl Params {
    /// The default values, positional then keyword-only.
    pub fn defaults(&self) -> impl Iterator<Item = &Expr> {
        self.args
            .iter()
            .chain(&self.kwonly)
            .filter_map(|p| p.default.as_ref())
    }
}

impl Target {
    /// Calls `f` on each name a store to this target binds, in order.
    pub fn for_each_name<'a>(&'a self, f: &mut dyn FnMut(&'a str)) {
        match &self.kind {
            TargetKind::Name(n) => f(n),
            TargetKind::Tuple(ts) | TargetKind::List(ts) => {
                ts.iter().for_each(|t| t.for_each_name(f))
            }
            TargetKind::Starred(t) => t.for_each_name(f),
            TargetKind::Attribute { .. } | TargetKind::Subscript { .. } => {}
        }
    }

    /// Calls `f` on the expressions a store to this target evaluates.
    pub fn for_each_expr<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        match &self.kind {
            TargetKind::Name(_) => {}
            TargetKind::Attribute { value, .. } => f(value),
            TargetKind::Subscript { value, index } => {
                f(value);
                f(index);
            }
            TargetKind::Tuple(ts) | TargetKind::List(ts) => {
                ts.iter().for_each(|t| t.for_each_expr(f))
            }
            TargetKind::Starred(t) => t.for_each_expr(f),
        }
    }
}

impl Stmt {
    /// Calls `f` on the statement's own expressions (not those of the
    /// blocks it contains; a `def`'s defaults and decorators, a `class`'s
    /// bases and decorators), in source order.
    pub fn for_each_expr<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        match &self.kind {
            StmtKind::Expr(e) => f(e),
            StmtKind::Assign { targets, value } => {
                targets.iter().for_each(|t| t.for_each_expr(f));
                f(value);
            }
            StmtKind::AugAssign { target, value, .. } => {
                target.for_each_expr(f);
                f(value);
            }
            StmtKind::Delete(ts) => ts.iter().for_each(|t| t.for_each_expr(f)),
            StmtKind::If { test, .. } | StmtKind::While { test, .. } => f(test),
            StmtKind::For { target, iter, .. } => {
                target.for_each_expr(f);
                f(iter);
            }
            StmtKind::FunctionDef(def) => {
                def.decorators.iter().for_each(&mut *f);
                def.params.defaults().for_each(&mut *f);
            }
            StmtKind::ClassDef(def) => {
                def.decorators.iter().for_each(&mut *f);
                def.bases.iter().for_each(&mut *f);
            }
            StmtKind::Return(e) => e.iter().for_each(f),
            StmtKind::Try { handlers, .. } => {
                handlers.iter().filter_map(|h| h.typ.as_ref()).for_each(f)
            }
            StmtKind::Raise { exc, cause } => {
                exc.iter().chain(cause).for_each(f);
            }
            StmtKind::Assert { test, msg } => {
                f(test);
                msg.iter().for_each(f);
            }
            StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Pass
            | StmtKind::Global(_)
            | StmtKind::Nonlocal(_)
            | StmtKind::Import(_)
            | StmtKind::ImportFrom { .. } => {}
        }
    }

    /// Calls `f` on each block of statements this statement contains in
    /// its own scope (not a `def`'s or `class`'s body), in source order.
    pub fn for_each_block<'a>(&'a self, f: &mut dyn FnMut(&'a [Stmt])) {
        match &self.kind {
            StmtKind::If { body, orelse, .. }
            | StmtKind::While { body, orelse, .. }
            | StmtKind::For { body, orelse, .. } => {
                f(body);
                f(orelse);
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                f(body);
                handlers.iter().for_each(|h| f(&h.body));
                f(orelse);
                f(finalbody);
            }
            _ => {}
        }
    }
}
