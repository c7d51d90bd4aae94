//! The front end (`pymem::parse`): ASTs, unsupported constructs and syntax
//! errors, the last checked against the real interpreters.
//!
//! * `snapshots`: small programs whose AST `Debug` output is kept in
//!   `tests/parse/snapshots/<name>.snap` (run with `UPDATE_SNAPSHOTS=1` to
//!   rewrite them after a deliberate change, then review the diff).
//! * `trees`: hand-written expected trees, in a compact span-free notation,
//!   for the parts that are easy to get wrong.
//! * `unsupported`: every construct outside the subset, with its exact
//!   message and position.
//! * `syntax_errors_*`: the rendered error of each bad program, checked
//!   against the text written here (CPython 3.11's) and against what every
//!   installed interpreter prints when running the file.
//! * `spans_match_cpython`: every statement's and expression's position
//!   against CPython 3.12/3.13's `ast` module.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use pymem::ast::*;
use pymem::parse::{parse, ParseError, ParseErrorKind, SyntaxErrorClass};
use pymem::Version;

fn parse_ok(src: &str) -> Module {
    parse("t.py", src).unwrap_or_else(|e| panic!("{e}\n{}", e.render_cpython(src)))
}

fn parse_err(src: &str) -> ParseError {
    match parse("x.py", src) {
        Ok(m) => panic!("expected an error for {src:?}, got {m:#?}"),
        Err(e) => e,
    }
}

// ---- a compact, span-free notation for trees ------------------------------

fn sx_module(m: &Module) -> String {
    m.body.iter().map(sx_stmt).collect::<Vec<_>>().join("\n")
}

fn sx_body(body: &[Stmt]) -> String {
    let parts: Vec<String> = body.iter().map(sx_stmt).collect();
    format!("[{}]", parts.join(" "))
}

fn sx_stmt(s: &Stmt) -> String {
    match &s.kind {
        StmtKind::Expr(e) => sx(e),
        StmtKind::Assign { targets, value } => {
            let mut out = "(=".to_string();
            for t in targets {
                write!(out, " {}", sx_target(t)).unwrap();
            }
            write!(out, " {})", sx(value)).unwrap();
            out
        }
        StmtKind::AugAssign { target, op, value } => {
            format!("({}= {} {})", binop(*op), sx_target(target), sx(value))
        }
        StmtKind::Delete(ts) => {
            let parts: Vec<String> = ts.iter().map(sx_target).collect();
            format!("(del {})", parts.join(" "))
        }
        StmtKind::If { test, body, orelse } => {
            format!("(if {} {} {})", sx(test), sx_body(body), sx_body(orelse))
        }
        StmtKind::While { test, body, orelse } => {
            format!("(while {} {} {})", sx(test), sx_body(body), sx_body(orelse))
        }
        StmtKind::For {
            target,
            iter,
            body,
            orelse,
        } => format!(
            "(for {} {} {} {})",
            sx_target(target),
            sx(iter),
            sx_body(body),
            sx_body(orelse)
        ),
        StmtKind::Break => "break".into(),
        StmtKind::Continue => "continue".into(),
        StmtKind::Pass => "pass".into(),
        StmtKind::FunctionDef(f) => {
            let decos: Vec<String> = f.decorators.iter().map(|d| format!("@{}", sx(d))).collect();
            format!(
                "(def {}{} ({}) {})",
                decos.iter().map(|d| format!("{d} ")).collect::<String>(),
                f.name,
                sx_params(&f.params),
                sx_body(&f.body)
            )
        }
        StmtKind::ClassDef(c) => {
            let decos: Vec<String> = c.decorators.iter().map(|d| format!("@{}", sx(d))).collect();
            let bases: Vec<String> = c.bases.iter().map(sx).collect();
            format!(
                "(class {}{} ({}) {})",
                decos.iter().map(|d| format!("{d} ")).collect::<String>(),
                c.name,
                bases.join(" "),
                sx_body(&c.body)
            )
        }
        StmtKind::Return(v) => match v {
            Some(v) => format!("(return {})", sx(v)),
            None => "(return)".into(),
        },
        StmtKind::Global(names) => format!("(global {})", names.join(" ")),
        StmtKind::Nonlocal(names) => format!("(nonlocal {})", names.join(" ")),
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        } => {
            let hs: Vec<String> = handlers
                .iter()
                .map(|h| {
                    format!(
                        "(except {}{} {})",
                        h.typ.as_ref().map_or("_".into(), sx),
                        h.name
                            .as_ref()
                            .map_or(String::new(), |n| format!(" as {n}")),
                        sx_body(&h.body)
                    )
                })
                .collect();
            format!(
                "(try {} {} {} {})",
                sx_body(body),
                hs.join(" "),
                sx_body(orelse),
                sx_body(finalbody)
            )
        }
        StmtKind::Raise { exc, cause } => format!(
            "(raise{}{})",
            exc.as_ref()
                .map_or(String::new(), |e| format!(" {}", sx(e))),
            cause
                .as_ref()
                .map_or(String::new(), |e| format!(" from {}", sx(e)))
        ),
        StmtKind::Assert { test, msg } => format!(
            "(assert {}{})",
            sx(test),
            msg.as_ref()
                .map_or(String::new(), |e| format!(" {}", sx(e)))
        ),
        StmtKind::Import(names) => format!("(import {})", sx_aliases(names)),
        StmtKind::ImportFrom { module, names } => {
            format!("(from {module} import {})", sx_aliases(names))
        }
    }
}

fn sx_aliases(names: &[Alias]) -> String {
    names
        .iter()
        .map(|a| match &a.asname {
            Some(n) => format!("{} as {n}", a.name),
            None => a.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn sx_params(p: &Params) -> String {
    let mut parts = Vec::new();
    let one = |p: &Param| match &p.default {
        Some(d) => format!("{}={}", p.name, sx(d)),
        None => p.name.clone(),
    };
    parts.extend(p.args.iter().map(one));
    if let Some(v) = &p.vararg {
        parts.push(format!("*{}", v.name));
    } else if !p.kwonly.is_empty() {
        parts.push("*".into());
    }
    parts.extend(p.kwonly.iter().map(one));
    if let Some(k) = &p.kwarg {
        parts.push(format!("**{}", k.name));
    }
    parts.join(" ")
}

fn sx_target(t: &Target) -> String {
    match &t.kind {
        TargetKind::Name(n) => n.clone(),
        TargetKind::Attribute { value, attr } => format!("(. {} {attr})", sx(value)),
        TargetKind::Subscript { value, index } => format!("(sub {} {})", sx(value), sx(index)),
        TargetKind::Tuple(ts) => {
            let parts: Vec<String> = ts.iter().map(sx_target).collect();
            format!("(tuple {})", parts.join(" "))
        }
        TargetKind::List(ts) => {
            let parts: Vec<String> = ts.iter().map(sx_target).collect();
            format!("[{}]", parts.join(" "))
        }
        TargetKind::Starred(t) => format!("*{}", sx_target(t)),
    }
}

fn binop(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mult => "*",
        BinOp::MatMult => "@",
        BinOp::Div => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
        BinOp::Pow => "**",
        BinOp::LShift => "<<",
        BinOp::RShift => ">>",
        BinOp::BitOr => "|",
        BinOp::BitXor => "^",
        BinOp::BitAnd => "&",
    }
}

fn cmpop(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "==",
        CmpOp::NotEq => "!=",
        CmpOp::Lt => "<",
        CmpOp::LtE => "<=",
        CmpOp::Gt => ">",
        CmpOp::GtE => ">=",
        CmpOp::Is => "is",
        CmpOp::IsNot => "is-not",
        CmpOp::In => "in",
        CmpOp::NotIn => "not-in",
    }
}

fn sx_list(es: &[Expr]) -> String {
    es.iter().map(sx).collect::<Vec<_>>().join(" ")
}

fn sx_comp(gens: &[Comprehension]) -> String {
    gens.iter()
        .map(|g| {
            let ifs: String = g.ifs.iter().map(|c| format!(" (if {})", sx(c))).collect();
            format!("(for {} {}{ifs})", sx_target(&g.target), sx(&g.iter))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn sx_fstring(parts: &[FStringPart]) -> String {
    parts
        .iter()
        .map(|p| match p {
            FStringPart::Literal(s) => format!("{s:?}"),
            FStringPart::Field(f) => {
                let conv = match f.conversion {
                    None => "",
                    Some(Conversion::Str) => " !s",
                    Some(Conversion::Repr) => " !r",
                    Some(Conversion::Ascii) => " !a",
                };
                let spec = f
                    .spec
                    .as_ref()
                    .map_or(String::new(), |s| format!(" :({})", sx_fstring(s)));
                format!("{{{}{conv}{spec}}}", sx(&f.value))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn sx_opt(e: &Option<Box<Expr>>) -> String {
    e.as_ref().map_or("_".into(), |e| sx(e))
}

fn sx(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Int(d) => d.clone(),
        ExprKind::Float(f) => format!("{f:?}"),
        ExprKind::Imag(f) => format!("{f:?}j"),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Bytes(b) => format!("b{:?}", String::from_utf8_lossy(b)),
        ExprKind::Bool(b) => if *b { "True" } else { "False" }.into(),
        ExprKind::None => "None".into(),
        ExprKind::Ellipsis => "...".into(),
        ExprKind::FString(parts) => format!("(f {})", sx_fstring(parts)),
        ExprKind::Name(n) => n.clone(),
        ExprKind::List(es) => format!("[{}]", sx_list(es)),
        ExprKind::Tuple(es) => format!("(tuple {})", sx_list(es)),
        ExprKind::Set(es) => format!("{{set {}}}", sx_list(es)),
        ExprKind::Dict(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|i| match i {
                    DictItem::Pair { key, value } => format!("{}:{}", sx(key), sx(value)),
                    DictItem::Unpack(m) => format!("**{}", sx(m)),
                })
                .collect();
            format!("{{dict {}}}", parts.join(" "))
        }
        ExprKind::Starred(v) => format!("*{}", sx(v)),
        ExprKind::ListComp { elt, generators } => {
            format!("(listcomp {} {})", sx(elt), sx_comp(generators))
        }
        ExprKind::SetComp { elt, generators } => {
            format!("(setcomp {} {})", sx(elt), sx_comp(generators))
        }
        ExprKind::DictComp {
            key,
            value,
            generators,
        } => format!(
            "(dictcomp {}:{} {})",
            sx(key),
            sx(value),
            sx_comp(generators)
        ),
        ExprKind::GeneratorExp { elt, generators } => {
            format!("(genexp {} {})", sx(elt), sx_comp(generators))
        }
        ExprKind::UnaryOp { op, operand } => {
            let o = match op {
                UnaryOp::Neg => "neg",
                UnaryOp::Pos => "pos",
                UnaryOp::Invert => "~",
                UnaryOp::Not => "not",
            };
            format!("({o} {})", sx(operand))
        }
        ExprKind::BinOp { left, op, right } => {
            format!("({} {} {})", binop(*op), sx(left), sx(right))
        }
        ExprKind::BoolOp { op, values } => {
            let o = if *op == BoolOp::And { "and" } else { "or" };
            format!("({o} {})", sx_list(values))
        }
        ExprKind::Compare {
            left,
            ops,
            comparators,
        } => {
            let mut out = format!("(cmp {}", sx(left));
            for (op, c) in ops.iter().zip(comparators) {
                write!(out, " {} {}", cmpop(*op), sx(c)).unwrap();
            }
            out.push(')');
            out
        }
        ExprKind::IfExp { test, body, orelse } => {
            format!("(ifexp {} {} {})", sx(test), sx(body), sx(orelse))
        }
        ExprKind::Lambda { params, body } => {
            format!("(lambda ({}) {})", sx_params(params), sx(body))
        }
        ExprKind::Call {
            func,
            args,
            keywords,
        } => {
            let mut out = format!("(call {}", sx(func));
            for a in args {
                write!(out, " {}", sx(a)).unwrap();
            }
            for k in keywords {
                match &k.name {
                    Some(n) => write!(out, " {n}={}", sx(&k.value)).unwrap(),
                    None => write!(out, " **{}", sx(&k.value)).unwrap(),
                }
            }
            out.push(')');
            out
        }
        ExprKind::Attribute { value, attr } => format!("(. {} {attr})", sx(value)),
        ExprKind::Subscript { value, index } => format!("(sub {} {})", sx(value), sx(index)),
        ExprKind::Slice { lower, upper, step } => {
            format!(
                "(slice {} {} {})",
                sx_opt(lower),
                sx_opt(upper),
                sx_opt(step)
            )
        }
        ExprKind::Yield(v) => match v {
            Some(v) => format!("(yield {})", sx(v)),
            None => "(yield)".into(),
        },
        ExprKind::YieldFrom(v) => format!("(yield-from {})", sx(v)),
    }
}

// ---- snapshots ------------------------------------------------------------

/// Small programs whose full `Debug` tree (spans included) is kept in
/// `tests/parse/snapshots/<name>.snap`.
const SNAPSHOTS: &[(&str, &str)] = &[
    (
        "literals",
        "1; 2.5; 3j; 'a' 'b'; b'x\\x00'; True; None; ...; 12345678901234567890\n",
    ),
    ("precedence", "x = -a ** 2 + b * c % d\n"),
    ("chained_comparison", "a < b <= c is not d\n"),
    ("unpacking", "a, *b = c = d\n"),
    ("fstring", "f'{x!r:>{w}} {y=}'\n"),
    (
        "decorated_def",
        "@deco(1)\ndef f(a, b=1, *c, d, **e):\n    return a\n",
    ),
    (
        "try",
        "try:\n    pass\nexcept E as e:\n    raise\nfinally:\n    pass\n",
    ),
    (
        "elif",
        "if a:\n    pass\nelif b:\n    pass\nelse:\n    pass\n",
    ),
    (
        "comprehensions",
        "[x for x in y if x]; {k: v for k, v in d}; (x for x in y)\n",
    ),
    ("call", "f(a, *b, c=1, **d)\n"),
];

fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parse/snapshots")
}

#[test]
fn snapshots() {
    let update = std::env::var("UPDATE_SNAPSHOTS").as_deref() == Ok("1");
    let mut failures = Vec::new();
    for (name, src) in SNAPSHOTS {
        let got = format!("---\nsource: {src:?}\n---\n{:#?}\n", parse_ok(src));
        let path = snapshot_dir().join(format!("{name}.snap"));
        if update {
            std::fs::create_dir_all(snapshot_dir()).unwrap();
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(want) if want == got => {}
            Ok(_) => failures.push(format!("{name}: differs from {}", path.display())),
            Err(e) => failures.push(format!("{name}: {}: {e}", path.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "snapshot mismatches (UPDATE_SNAPSHOTS=1 to rewrite):\n{}",
        failures.join("\n")
    );
}

// ---- hand-written trees ---------------------------------------------------

#[test]
fn trees() {
    let cases: &[(&str, &str)] = &[
        // Precedence and associativity.
        ("x = 1 + 2 * 3 ** -4 ** 5", "(= x (+ 1 (* 2 (** 3 (neg (** 4 5))))))"),
        ("a - b - c", "(- (- a b) c)"),
        ("-a ** 2", "(neg (** a 2))"),
        ("not a or b and not c", "(or (not a) (and b (not c)))"),
        ("a or b or c", "(or a b c)"),
        ("a | b ^ c & d << 1 + 2", "(| a (^ b (& c (<< d (+ 1 2)))))"),
        ("a if b else c if d else e", "(ifexp b a (ifexp d c e))"),
        ("lambda: a if b else c", "(lambda () (ifexp b a c))"),
        ("not a == b", "(not (cmp a == b))"),
        ("a @ b // c % d / e", "(/ (% (// (@ a b) c) d) e)"),
        ("~a.b[c](d)", "(~ (call (sub (. a b) c) d))"),
        // Chained comparisons stay one node.
        ("a < b <= c", "(cmp a < b <= c)"),
        (
            "a is not b in c not in d != e",
            "(cmp a is-not b in c not-in d != e)",
        ),
        ("(a < b) < c", "(cmp (cmp a < b) < c)"),
        // Literals.
        ("0x_ff + 0o17 + 0b11 + 1_000", "(+ (+ (+ 255 15) 3) 1000)"),
        (
            "0xFFFFFFFFFFFFFFFFFFFF; 99999999999999999999",
            "1208925819614629174706175\n99999999999999999999",
        ),
        ("1.5e3; 2j; 1e-2j", "1500.0\n2.0j\n0.01j"),
        ("'a' 'b' \"c\"", "\"abc\""),
        ("b'a' b'\\x00\\n'", "b\"a\\0\\n\""),
        ("'\\N{BULLET}\\t\\u00e9'", "\"•\\té\""),
        ("True; False; None; ...", "True\nFalse\nNone\n..."),
        // F-strings: literals joined, `=` expanded, nested specs.
        ("f'a{x}b'", "(f \"a\" {x} \"b\")"),
        (
            "f'{x!r:>{width}.{prec}f}'",
            "(f {x !r :(\">\" {width} \".\" {prec} \"f\")})",
        ),
        ("f'{x=}'", "(f \"x=\" {x !r})"),
        ("f'{ x = :>5}'", "(f \" x = \" {x :(\">5\")})"),
        ("f'{x=!s}'", "(f \"x=\" {x !s})"),
        ("'a' f'{b}' 'c'", "(f \"a\" {b} \"c\")"),
        ("f'{{x}}' f'{y:}'", "(f \"{x}\" {y :()})"),
        ("f'{a}{b!a}'", "(f {a} {b !a})"),
        ("f'{\"nested\" + f\"{x}\"}'", "(f {(+ \"nested\" (f {x}))})"),
        // Displays and starred items.
        ("[1, *a]; (1, *a); {1, *a}", "[1 *a]\n(tuple 1 *a)\n{set 1 *a}"),
        ("{1: 2, **a, 3: 4}", "{dict 1:2 **a 3:4}"),
        ("(); (1,); []; {}", "(tuple )\n(tuple 1)\n[]\n{dict }"),
        // Starred unpacking targets.
        ("a, *b = c", "(= (tuple a *b) c)"),
        ("[a, (b, *c)], d = e", "(= (tuple [a (tuple b *c)] d) e)"),
        ("a = b = c, d = e", "(= a b (tuple c d) e)"),
        ("for a, *b in c: pass", "(for (tuple a *b) c [pass] [])"),
        ("x.y, z[0] = 1, 2", "(= (tuple (. x y) (sub z 0)) (tuple 1 2))"),
        ("a += 1; b.c //= 2; d[e] **= 3", "(+= a 1)\n(//= (. b c) 2)\n(**= (sub d e) 3)"),
        ("del a, b.c, d[e], (f, [g])", "(del a (. b c) (sub d e) (tuple f [g]))"),
        // Subscripts and slices.
        ("a[1:2]; a[::3]; a[:]", "(sub a (slice 1 2 _))\n(sub a (slice _ _ 3))\n(sub a (slice _ _ _))"),
        ("a[1:2, 3]", "(sub a (tuple (slice 1 2 _) 3))"),
        ("a[1, 2]", "(sub a (tuple 1 2))"),
        // Calls keep positional and keyword arguments apart.
        ("f(a, *b, c, d=1, *e, **g)", "(call f a *b c *e d=1 **g)"),
        ("f(x for x in y)", "(call f (genexp x (for x y)))"),
        // Comprehensions.
        (
            "[x for x in a if x if y for z in x]",
            "(listcomp x (for x a (if x) (if y)) (for z x))",
        ),
        ("{x for x in a}", "(setcomp x (for x a))"),
        ("{k: v for k, v in a}", "(dictcomp k:v (for (tuple k v) a))"),
        ("(x for x in a)", "(genexp x (for x a))"),
        // Decorators, parameters, defaults.
        (
            "@a\n@b.c(1)\ndef f(x, y=1, *args, z, w=2, **kw): pass",
            "(def @a @(call (. b c) 1) f (x y=1 *args z w=2 **kw) [pass])",
        ),
        ("def f(*, a): pass", "(def f (* a) [pass])"),
        ("lambda a, b=1, *c, d, **e: a", "(lambda (a b=1 *c d **e) a)"),
        (
            "@d\nclass C(A, B):\n    x = 1\n    def m(self): return self",
            "(class @d C (A B) [(= x 1) (def m (self) [(return self)])])",
        ),
        (
            "def g():\n    x = yield\n    yield x\n    yield from y\n    global a\n    def h():\n        nonlocal x",
            "(def g () [(= x (yield)) (yield x) (yield-from y) (global a) (def h () [(nonlocal x)])])",
        ),
        // Control flow.
        (
            "if a:\n    pass\nelif b:\n    pass\nelif c:\n    pass\nelse:\n    x",
            "(if a [pass] [(if b [pass] [(if c [pass] [x])])])",
        ),
        (
            "while a:\n    break\nelse:\n    pass",
            "(while a [break] [pass])",
        ),
        (
            "for i in r:\n    continue\nelse:\n    pass",
            "(for i r [continue] [pass])",
        ),
        (
            "try:\n    a\nexcept (E, F) as e:\n    b\nexcept G:\n    raise\nexcept:\n    pass\nelse:\n    c\nfinally:\n    d",
            "(try [a] (except (tuple E F) as e [b]) (except G [(raise)]) (except _ [pass]) [c] [d])",
        ),
        ("try:\n    a\nfinally:\n    b", "(try [a]  [] [b])"),
        ("raise E from None", "(raise E from None)"),
        ("assert a, 'm'", "(assert a \"m\")"),
        (
            "import a, b.c as d\nfrom e.f import g, h as i",
            "(import a, b.c as d)\n(from e.f import g, h as i)",
        ),
    ];
    let mut failures = String::new();
    for (src, want) in cases {
        let got = sx_module(&parse_ok(src));
        if got != *want {
            writeln!(failures, "{src:?}\n   want {want}\n    got {got}").unwrap();
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn positions() {
    // Decorated definitions start at `def`/`class`; elif spans to the end.
    let m = parse_ok("@d\ndef f():\n    pass\nif a:\n    pass\nelif b:\n    pass\n");
    assert_eq!(m.body[0].span, Span::new(2, 1, 3, 9));
    let StmtKind::If { orelse, .. } = &m.body[1].kind else {
        panic!("not an if")
    };
    assert_eq!(orelse[0].span, Span::new(6, 1, 7, 9));
    // Columns count characters, not bytes.
    let m = parse_ok("é = 'ü' + x\n");
    let StmtKind::Assign { value, .. } = &m.body[0].kind else {
        panic!("not an assignment")
    };
    let ExprKind::BinOp { right, .. } = &value.kind else {
        panic!("not a binop")
    };
    assert_eq!(right.span, Span::new(1, 11, 1, 12));
    // A byte-order mark is not a column.
    let m = parse_ok("\u{feff}x = 1\n");
    assert_eq!(m.body[0].span, Span::new(1, 1, 1, 6));
}

// ---- unsupported constructs -------------------------------------------------

#[test]
fn unsupported() {
    let cases: &[(&str, &str)] = &[
        (
            "x = 1\nasync def f():\n    pass\n",
            "x.py:2:1: unsupported: async def",
        ),
        (
            "@d\nasync def f():\n    pass\n",
            "x.py:2:1: unsupported: async def",
        ),
        (
            "def f():\n    async for x in y:\n        pass\n",
            "x.py:2:5: unsupported: async for",
        ),
        (
            "def f():\n    async with x:\n        pass\n",
            "x.py:2:5: unsupported: async with",
        ),
        (
            "def f():\n    await x\n",
            "x.py:2:5: unsupported: await expression",
        ),
        (
            "async def f():\n    return [x async for x in y]\n",
            "x.py:1:1: unsupported: async def",
        ),
        (
            "def f():\n    return [x async for x in y]\n",
            "x.py:2:15: unsupported: async comprehension",
        ),
        (
            "with open(f) as g:\n    pass\n",
            "x.py:1:1: unsupported: with statement",
        ),
        (
            "match x:\n    case 1:\n        pass\n",
            "x.py:1:1: unsupported: match statement",
        ),
        (
            "if (n := 10) > 5:\n    pass\n",
            "x.py:1:5: unsupported: walrus operator",
        ),
        (
            "x: int = 1\n",
            "x.py:1:1: unsupported: annotated assignment",
        ),
        (
            "def f(x: int): pass\n",
            "x.py:1:10: unsupported: annotation",
        ),
        (
            "def f() -> int: pass\n",
            "x.py:1:12: unsupported: annotation",
        ),
        (
            "def f(a, /, b): pass\n",
            "x.py:1:7: unsupported: positional-only parameters",
        ),
        (
            "def f[T](x): pass\n",
            "x.py:1:6: unsupported: type parameters",
        ),
        ("type X = int\n", "x.py:1:1: unsupported: type statement"),
        (
            "class C(metaclass=M):\n    pass\n",
            "x.py:1:9: unsupported: metaclass",
        ),
        (
            "class C(B, flag=True):\n    pass\n",
            "x.py:1:12: unsupported: class keyword argument",
        ),
        (
            "class C(*bases):\n    pass\n",
            "x.py:1:9: unsupported: star-expression in class bases",
        ),
        (
            "x[*a]\n",
            "x.py:1:3: unsupported: star-expression in subscript",
        ),
        (
            "try:\n    pass\nexcept* E:\n    pass\n",
            "x.py:3:1: unsupported: except* clause",
        ),
        (
            "from . import x\n",
            "x.py:1:1: unsupported: relative import",
        ),
        ("from os import *\n", "x.py:1:16: unsupported: import *"),
        // The first one in the file is reported.
        (
            "with a:\n    pass\nasync def f(): pass\n",
            "x.py:1:1: unsupported: with statement",
        ),
    ];
    let mut failures = String::new();
    for (src, want) in cases {
        match parse("x.py", src) {
            Ok(_) => writeln!(failures, "{src:?}: accepted").unwrap(),
            Err(e) => {
                if e.kind != ParseErrorKind::Unsupported || e.to_string() != *want {
                    writeln!(
                        failures,
                        "{src:?}\n   want {want}\n    got {e} ({:?})",
                        e.kind
                    )
                    .unwrap();
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn pathological_nesting_is_refused_not_a_crash() {
    // Each would recurse deeply in ruff, in the lowering or in a drop.
    let n = 20_000;
    let nested_ifs: String = (0..150)
        .map(|i| format!("{}if x:\n", " ".repeat(i)))
        .collect();
    let cases: Vec<(String, &str)> = vec![
        (format!("x = {}1\n", "1+".repeat(n)), "x.py:1:5: unsupported: expression nested more than 500 levels deep"),
        (format!("x = {}1 = 2\n", "-".repeat(n)), "x.py:1:505: unsupported: expression nested more than 500 levels deep"),
        (format!("x = {}1\n", "lambda: ".repeat(n)), "x.py:1:4005: unsupported: expression nested more than 500 levels deep"),
        (format!("x = {}1\n", "2**".repeat(n)), "x.py:1:1502: unsupported: expression nested more than 500 levels deep"),
        (format!("x = {}1\n", "not ".repeat(n)), "x.py:1:2005: unsupported: expression nested more than 500 levels deep"),
        (format!("x = {}1 = 2\n", "1 if 2 else ".repeat(n)), "x.py:1:5: SyntaxError: cannot assign to conditional expression"),
        (format!("x = a{}\n", ".b".repeat(n)), "x.py:1:5: unsupported: expression nested more than 500 levels deep"),
        (format!("f{} = 1\n", "()".repeat(n)), "x.py:1:1: SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='?"),
        (format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n)), "x.py:1:205: SyntaxError: too many nested parentheses"),
        (format!("{}a{} = x\n", "(".repeat(n), ",)".repeat(n)), "x.py:1:201: SyntaxError: too many nested parentheses"),
        (nested_ifs + "pass\n", "x.py:101:1: IndentationError: too many levels of indentation"),
    ];
    let mut failures = String::new();
    for (src, want) in cases {
        let got = parse_err(&src).to_string();
        if got != want {
            writeln!(failures, "{}...\n   want {want}\n    got {got}", &src[..40]).unwrap();
        }
    }
    assert!(failures.is_empty(), "{failures}");
    // Just inside the limits.
    parse_ok(&format!("x = {}1\n", "-".repeat(499)));
    parse_ok(&format!("x = {}1{}\n", "(".repeat(200), ")".repeat(200)));
    parse_ok(&format!("x = [{}]\n", "-1, ".repeat(n)));
    parse_ok(&format!("x = {}1\n", "not a and ".repeat(n)));
}

#[test]
fn line_endings() {
    let m = parse_ok("x = 1\r\ny = (2 +\r\n     3)\rz = 4\n");
    let spans: Vec<Span> = m.body.iter().map(|s| s.span).collect();
    assert_eq!(
        spans,
        [
            Span::new(1, 1, 1, 6),
            Span::new(2, 1, 3, 8),
            Span::new(4, 1, 4, 6)
        ]
    );
}

#[test]
fn syntax_errors_win_over_unsupported() {
    // CPython rejects this file, so we say what CPython says.
    let e = parse_err("with a:\n    pass\nreturn 1\n");
    assert_eq!(e.kind, ParseErrorKind::Syntax);
    assert_eq!(e.message, "'return' outside function");
    let e = parse_err("x := 1\n");
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ParseErrorKind::Syntax, "invalid syntax")
    );
}

// ---- syntax errors against the real interpreters ---------------------------

/// A bad program, CPython 3.11's rendering of its error, and the versions
/// whose output (running the file) our rendering equals exactly.
struct Bad {
    name: &'static str,
    src: &'static str,
    want: &'static str,
    versions: &'static [&'static str],
}

const ALL: &[&str] = &["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"];
const V39: &[&str] = &["3.9", "3.10", "3.11", "3.12", "3.13"];
const V310: &[&str] = &["3.10", "3.11", "3.12", "3.13"];
const V310_11: &[&str] = &["3.10", "3.11"];
const V310_12: &[&str] = &["3.10", "3.11", "3.12"];
const V311: &[&str] = &["3.11", "3.12", "3.13"];
const V312: &[&str] = &["3.12", "3.13"];

const BAD: &[Bad] = &[
    Bad {
        name: "if_colon",
        src: "x = 1\ny = 2\nif x\n    pass\n",
        want: "  File \"if_colon.py\", line 3\n    if x\n        ^\nSyntaxError: expected ':'\n",
        // 3.8/3.9: "invalid syntax" (3.8 with the caret under `x`).
        versions: V310,
    },
    Bad {
        name: "def_colon",
        src: "def f() x\n",
        want: "  File \"def_colon.py\", line 1\n    def f() x\n            ^\nSyntaxError: expected ':'\n",
        versions: V310,
    },
    Bad {
        name: "def_paren",
        src: "def f:\n    pass\n",
        want: "  File \"def_paren.py\", line 1\n    def f:\n         ^\nSyntaxError: expected '('\n",
        // 3.10: "invalid syntax" under `:`.
        versions: V311,
    },
    Bad {
        name: "while_token",
        src: "while True print(1)\n",
        want: "  File \"while_token.py\", line 1\n    while True print(1)\n               ^^^^^\nSyntaxError: invalid syntax\n",
        versions: V310,
    },
    Bad {
        name: "binop_eof",
        src: "x = 1 +\n",
        want: "  File \"binop_eof.py\", line 1\n    x = 1 +\n           ^\nSyntaxError: invalid syntax\n",
        // 3.8 puts the caret under `+`.
        versions: V39,
    },
    Bad {
        name: "two_names",
        src: "x = 1 2\n",
        want: "  File \"two_names.py\", line 1\n    x = 1 2\n          ^\nSyntaxError: invalid syntax\n",
        versions: ALL,
    },
    Bad {
        name: "forgot_comma",
        src: "[1 2]\n",
        want: "  File \"forgot_comma.py\", line 1\n    [1 2]\n     ^^^\nSyntaxError: invalid syntax. Perhaps you forgot a comma?\n",
        versions: V310,
    },
    Bad {
        name: "never_closed",
        src: "x = (1,\n     2\n",
        want: "  File \"never_closed.py\", line 1\n    x = (1,\n        ^\nSyntaxError: '(' was never closed\n",
        // 3.8: "unexpected EOF while parsing" on line 3.
        versions: V310,
    },
    Bad {
        name: "never_closed_later",
        src: "x = [1, 2\ny = 3\n",
        want: "  File \"never_closed_later.py\", line 1\n    x = [1, 2\n        ^\nSyntaxError: '[' was never closed\n",
        versions: V310,
    },
    Bad {
        name: "error_before_open",
        src: "x = 1 +\ny = (\n",
        want: "  File \"error_before_open.py\", line 1\n    x = 1 +\n           ^\nSyntaxError: invalid syntax\n",
        versions: V39,
    },
    Bad {
        name: "unmatched",
        src: "x = 1) + 2\n",
        want: "  File \"unmatched.py\", line 1\n    x = 1) + 2\n         ^\nSyntaxError: unmatched ')'\n",
        versions: ALL,
    },
    Bad {
        name: "mismatched",
        src: "x = (1, 2]\n",
        want: "  File \"mismatched.py\", line 1\n    x = (1, 2]\n             ^\nSyntaxError: closing parenthesis ']' does not match opening parenthesis '('\n",
        versions: ALL,
    },
    Bad {
        name: "eof_continuation",
        src: "x = 1 + \\\n",
        want: "  File \"eof_continuation.py\", line 1\n    x = 1 + \\\n             ^\nSyntaxError: unexpected EOF while parsing\n",
        versions: V310,
    },
    Bad {
        name: "unterminated",
        src: "s = \"abc\n",
        want: "  File \"unterminated.py\", line 1\n    s = \"abc\n        ^\nSyntaxError: unterminated string literal (detected at line 1)\n",
        // 3.8/3.9: "EOL while scanning string literal".
        versions: V310,
    },
    Bad {
        name: "unterminated_triple",
        src: "s = \"\"\"abc\n\nx\n",
        want: "  File \"unterminated_triple.py\", line 1\n    s = \"\"\"abc\n        ^\nSyntaxError: unterminated triple-quoted string literal (detected at line 3)\n",
        versions: V310,
    },
    Bad {
        name: "string_after_error",
        src: "if x\n    s = 'abc\n",
        want: "  File \"string_after_error.py\", line 2\n    s = 'abc\n        ^\nSyntaxError: unterminated string literal (detected at line 2)\n",
        versions: V310,
    },
    Bad {
        name: "dollar",
        src: "a $ b\n",
        want: "  File \"dollar.py\", line 1\n    a $ b\n      ^\nSyntaxError: invalid syntax\n",
        versions: ALL,
    },
    Bad {
        name: "invalid_character",
        src: "x = 1 \u{201c} + 2\n",
        want: "  File \"invalid_character.py\", line 1\n    x = 1 \u{201c} + 2\n          ^\nSyntaxError: invalid character '\u{201c}' (U+201C)\n",
        versions: V39,
    },
    Bad {
        name: "non_printable",
        src: "x = 1\u{a0}+ 2\n",
        want: "  File \"non_printable.py\", line 1\n    x = 1\u{a0}+ 2\n         ^\nSyntaxError: invalid non-printable character U+00A0\n",
        // 3.10 places the caret one column further.
        versions: &["3.9", "3.11", "3.12", "3.13"],
    },
    Bad {
        name: "leading_zeros",
        src: "x = 0777\n",
        want: "  File \"leading_zeros.py\", line 1\n    x = 0777\n        ^\nSyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers\n",
        versions: V310,
    },
    Bad {
        name: "invalid_decimal",
        src: "x = 1abc + 2\n",
        want: "  File \"invalid_decimal.py\", line 1\n    x = 1abc + 2\n        ^\nSyntaxError: invalid decimal literal\n",
        versions: V310,
    },
    Bad {
        name: "continuation_char",
        src: "x = 1 \\ 2\n",
        want: "  File \"continuation_char.py\", line 1\n    x = 1 \\ 2\n           ^\nSyntaxError: unexpected character after line continuation character\n",
        versions: V39,
    },
    Bad {
        name: "assign_call",
        src: "f() = 1\n",
        want: "  File \"assign_call.py\", line 1\n    f() = 1\n    ^^^\nSyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='?\n",
        // 3.8/3.9: "cannot assign to function call", one caret.
        versions: V310,
    },
    Bad {
        name: "assign_literal_in_tuple",
        src: "(a, 1) = x\n",
        want: "  File \"assign_literal_in_tuple.py\", line 1\n    (a, 1) = x\n        ^\nSyntaxError: cannot assign to literal\n",
        versions: V39,
    },
    Bad {
        name: "assign_none",
        src: "None = 1\n",
        want: "  File \"assign_none.py\", line 1\n    None = 1\n    ^^^^\nSyntaxError: cannot assign to None\n",
        versions: V310,
    },
    Bad {
        name: "assign_comparison",
        src: "a < b = 1\n",
        want: "  File \"assign_comparison.py\", line 1\n    a < b = 1\n    ^^^^^\nSyntaxError: cannot assign to comparison\n",
        versions: V310,
    },
    Bad {
        name: "assign_chained_call",
        src: "a = f() = 1\n",
        want: "  File \"assign_chained_call.py\", line 1\n    a = f() = 1\n        ^^^\nSyntaxError: cannot assign to function call\n",
        versions: V310,
    },
    Bad {
        name: "if_assign",
        src: "if x = 1:\n    pass\n",
        want: "  File \"if_assign.py\", line 1\n    if x = 1:\n       ^^^^^\nSyntaxError: invalid syntax. Maybe you meant '==' or ':=' instead of '='?\n",
        versions: V310,
    },
    Bad {
        name: "aug_literal",
        src: "1 += 1\n",
        want: "  File \"aug_literal.py\", line 1\n    1 += 1\n    ^\nSyntaxError: 'literal' is an illegal expression for augmented assignment\n",
        versions: V39,
    },
    Bad {
        name: "aug_tuple",
        src: "a, b += 1\n",
        want: "  File \"aug_tuple.py\", line 1\n    a, b += 1\n    ^^^^\nSyntaxError: 'tuple' is an illegal expression for augmented assignment\n",
        versions: V310,
    },
    Bad {
        name: "del_call",
        src: "del (a, f())\n",
        want: "  File \"del_call.py\", line 1\n    del (a, f())\n            ^^^\nSyntaxError: cannot delete function call\n",
        versions: V310,
    },
    Bad {
        name: "print_statement",
        src: "print \"hi\"\n",
        want: "  File \"print_statement.py\", line 1\n    print \"hi\"\n    ^^^^^^^^^^\nSyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?\n",
        versions: V310,
    },
    Bad {
        name: "positional_after_keyword",
        src: "f(a=1, 2)\n",
        want: "  File \"positional_after_keyword.py\", line 1\n    f(a=1, 2)\n            ^\nSyntaxError: positional argument follows keyword argument\n",
        versions: V39,
    },
    Bad {
        name: "keyword_expression",
        src: "f(a.b=1)\n",
        want: "  File \"keyword_expression.py\", line 1\n    f(a.b=1)\n      ^^^^\nSyntaxError: expression cannot contain assignment, perhaps you meant \"==\"?\n",
        versions: V310,
    },
    Bad {
        name: "unpacking_order",
        src: "f(**a, *b)\n",
        want: "  File \"unpacking_order.py\", line 1\n    f(**a, *b)\n           ^\nSyntaxError: iterable argument unpacking follows keyword argument unpacking\n",
        // 3.10 underlines `**a`, 3.13 `**a, *b`.
        versions: &["3.8", "3.9", "3.11", "3.12"],
    },
    Bad {
        name: "generator_argument",
        src: "f(x for x in y, 1)\n",
        want: "  File \"generator_argument.py\", line 1\n    f(x for x in y, 1)\n      ^^^^^^^^^^^^\nSyntaxError: Generator expression must be parenthesized\n",
        versions: V310,
    },
    Bad {
        name: "non_default_after_default",
        src: "def f(a=1, b):\n    pass\n",
        want: "  File \"non_default_after_default.py\", line 1\n    def f(a=1, b):\n               ^\nSyntaxError: non-default argument follows default argument\n",
        // 3.12+: "parameter without a default follows parameter with a default".
        versions: V310_11,
    },
    Bad {
        name: "bare_star",
        src: "def f(*):\n    pass\n",
        want: "  File \"bare_star.py\", line 1\n    def f(*):\n          ^\nSyntaxError: named arguments must follow bare *\n",
        // 3.9 puts the caret under `)`.
        versions: &["3.8", "3.10", "3.11", "3.12", "3.13"],
    },
    Bad {
        name: "trailing_comma_import",
        src: "from a import b,\n",
        want: "  File \"trailing_comma_import.py\", line 1\n    from a import b,\n                    ^\nSyntaxError: trailing comma not allowed without surrounding parentheses\n",
        versions: V39,
    },
    Bad {
        name: "dict_key",
        src: "d = {1: 2, 3}\n",
        want: "  File \"dict_key.py\", line 1\n    d = {1: 2, 3}\n               ^\nSyntaxError: ':' expected after dictionary key\n",
        versions: V310,
    },
    Bad {
        name: "try_alone",
        src: "try:\n    pass\nx = 1\n",
        want: "  File \"try_alone.py\", line 3\n    x = 1\n    ^\nSyntaxError: expected 'except' or 'finally' block\n",
        versions: V310,
    },
    Bad {
        name: "else_alone",
        src: "else:\n    pass\n",
        want: "  File \"else_alone.py\", line 1\n    else:\n    ^^^^\nSyntaxError: invalid syntax\n",
        versions: V310,
    },
    Bad {
        name: "missing_block",
        src: "for x in y:\npass\n",
        want: "  File \"missing_block.py\", line 2\n    pass\n    ^\nIndentationError: expected an indented block after 'for' statement on line 1\n",
        // 3.13 underlines the whole `pass`.
        versions: V310_12,
    },
    Bad {
        name: "missing_block_def",
        src: "def f(a,\n      b):\nreturn 1\n",
        want: "  File \"missing_block_def.py\", line 3\n    return 1\n    ^\nIndentationError: expected an indented block after function definition on line 1\n",
        versions: V310_12,
    },
    Bad {
        name: "unexpected_indent",
        src: "x = 1\n    y = 2\n",
        want: "  File \"unexpected_indent.py\", line 2\n    y = 2\nIndentationError: unexpected indent\n",
        versions: V39,
    },
    Bad {
        name: "unexpected_indent_first_line",
        src: "  x = 1\n",
        want: "  File \"unexpected_indent_first_line.py\", line 1\n    x = 1\nIndentationError: unexpected indent\n",
        versions: V39,
    },
    Bad {
        name: "unindent",
        src: "if x:\n        a = 1\n    b = 2\n",
        want: "  File \"unindent.py\", line 3\n    b = 2\n         ^\nIndentationError: unindent does not match any outer indentation level\n",
        versions: V39,
    },
    Bad {
        name: "tab_error",
        src: "if x:\n\ta = 1\n        b = 2\n",
        want: "  File \"tab_error.py\", line 3\n    b = 2\nTabError: inconsistent use of tabs and spaces in indentation\n",
        // 3.8 prints a caret after the indentation.
        versions: V39,
    },
    Bad {
        name: "return_outside",
        src: "x = 1\nreturn x\n",
        want: "  File \"return_outside.py\", line 2\n    return x\n    ^^^^^^^^\nSyntaxError: 'return' outside function\n",
        // 3.8/3.9: one caret.
        versions: V310,
    },
    Bad {
        name: "return_in_class",
        src: "class C:\n    return 1\n",
        want: "  File \"return_in_class.py\", line 2\n    return 1\n    ^^^^^^^^\nSyntaxError: 'return' outside function\n",
        versions: V310,
    },
    Bad {
        name: "yield_outside",
        src: "yield 1\n",
        want: "  File \"yield_outside.py\", line 1\n    yield 1\n    ^^^^^^^\nSyntaxError: 'yield' outside function\n",
        versions: V310,
    },
    Bad {
        name: "yield_in_comprehension",
        src: "def f():\n    return [(yield x) for x in y]\n",
        want: "  File \"yield_in_comprehension.py\", line 2\n    return [(yield x) for x in y]\n             ^^^^^^^\nSyntaxError: 'yield' inside list comprehension\n",
        versions: V310,
    },
    Bad {
        name: "break_outside",
        src: "for x in y:\n    pass\nelse:\n    break\n",
        want: "  File \"break_outside.py\", line 4\n    break\n    ^^^^^\nSyntaxError: 'break' outside loop\n",
        versions: V310,
    },
    Bad {
        name: "continue_in_def",
        src: "while x:\n    def f():\n        continue\n",
        want: "  File \"continue_in_def.py\", line 3\n    continue\n    ^^^^^^^^\nSyntaxError: 'continue' not properly in loop\n",
        versions: V310,
    },
    Bad {
        name: "nonlocal_module",
        src: "nonlocal x\n",
        want: "  File \"nonlocal_module.py\", line 1\n    nonlocal x\n    ^^^^^^^^^^\nSyntaxError: nonlocal declaration not allowed at module level\n",
        versions: V310,
    },
    Bad {
        name: "duplicate_argument",
        src: "def f(a, b, a):\n    pass\n",
        want: "  File \"duplicate_argument.py\", line 1\n    def f(a, b, a):\n                ^\nSyntaxError: duplicate argument 'a' in function definition\n",
        versions: V310,
    },
    Bad {
        name: "symtable_before_compiler",
        src: "return 1\ndef f(a, a):\n    pass\n",
        want: "  File \"symtable_before_compiler.py\", line 2\n    def f(a, a):\n             ^\nSyntaxError: duplicate argument 'a' in function definition\n",
        versions: V310,
    },
    Bad {
        name: "keyword_repeated",
        src: "f(a=1, a=2)\n",
        want: "  File \"keyword_repeated.py\", line 1\n    f(a=1, a=2)\n           ^^^\nSyntaxError: keyword argument repeated: a\n",
        versions: V310,
    },
    Bad {
        name: "two_starred",
        src: "a, *b, *c = x\n",
        want: "  File \"two_starred.py\", line 1\n    a, *b, *c = x\n    ^^^^^^^^^\nSyntaxError: multiple starred expressions in assignment\n",
        versions: V310,
    },
    Bad {
        name: "starred_alone",
        src: "*a = x\n",
        want: "  File \"starred_alone.py\", line 1\n    *a = x\n    ^^\nSyntaxError: starred assignment target must be in a list or tuple\n",
        versions: V310,
    },
    Bad {
        name: "starred_value",
        src: "x = *a\n",
        want: "  File \"starred_value.py\", line 1\n    x = *a\n        ^^\nSyntaxError: can't use starred expression here\n",
        versions: V310,
    },
    Bad {
        name: "fstring_conversion",
        src: "f\"{x!z}\"\n",
        want: "  File \"fstring_conversion.py\", line 1\n    f\"{x!z}\"\n         ^\nSyntaxError: f-string: invalid conversion character 'z': expected 's', 'r', or 'a'\n",
        // 3.8 to 3.11: "f-string: invalid conversion character: expected 's', 'r', or 'a'".
        versions: V312,
    },
    Bad {
        name: "fstring_empty",
        src: "f\"{}\"\n",
        want: "  File \"fstring_empty.py\", line 1\n    f\"{}\"\n       ^\nSyntaxError: f-string: valid expression required before '}'\n",
        // 3.8 to 3.11: "f-string: empty expression not allowed".
        versions: V312,
    },
    Bad {
        name: "fstring_single_brace",
        src: "f\"a}b\"\n",
        want: "  File \"fstring_single_brace.py\", line 1\n    f\"a}b\"\n       ^\nSyntaxError: f-string: single '}' is not allowed\n",
        versions: V312,
    },
    Bad {
        name: "multiline_span",
        src: "f(x for x in\n  y, 1)\n",
        want: "  File \"multiline_span.py\", line 1\n    f(x for x in\n      ^^^^^^^^^^\nSyntaxError: Generator expression must be parenthesized\n",
        versions: V310,
    },
    Bad {
        name: "comment_after_header",
        src: "if x  # c\n    pass\n",
        want: "  File \"comment_after_header.py\", line 1\n    if x  # c\n          ^^^\nSyntaxError: expected ':'\n",
        // 3.12 underlines differently after a comment.
        versions: &["3.10", "3.11", "3.13"],
    },
    Bad {
        name: "comment_after_operator",
        src: "x = 1 +  # c\n",
        want: "  File \"comment_after_operator.py\", line 1\n    x = 1 +  # c\n             ^^^\nSyntaxError: invalid syntax\n",
        versions: &["3.10", "3.11", "3.13"],
    },
    Bad {
        name: "crlf_never_closed",
        src: "if x:\r\n    y = (\r\n",
        want: "  File \"crlf_never_closed.py\", line 2\n    y = (\n        ^\nSyntaxError: '(' was never closed\n",
        versions: V310,
    },
    Bad {
        name: "forgot_comma_multiline",
        src: "x = [1,\n     2 3]\n",
        want: "  File \"forgot_comma_multiline.py\", line 2\n    2 3]\n    ^^^\nSyntaxError: invalid syntax. Perhaps you forgot a comma?\n",
        versions: V310,
    },
    Bad {
        name: "lambda_colon",
        src: "lambda x\n",
        want: "  File \"lambda_colon.py\", line 1\n    lambda x\n            ^\nSyntaxError: invalid syntax\n",
        versions: V39,
    },
    Bad {
        name: "else_if",
        src: "if x:\n    pass\nelse if y:\n    pass\n",
        want: "  File \"else_if.py\", line 3\n    else if y:\n         ^^\nSyntaxError: expected ':'\n",
        versions: V310,
    },
    Bad {
        name: "call_never_closed",
        src: "foo(1, 2\ndef g():\n    pass\n",
        want: "  File \"call_never_closed.py\", line 1\n    foo(1, 2\n       ^\nSyntaxError: '(' was never closed\n",
        versions: V310,
    },
    Bad {
        name: "print_never_closed",
        src: "print(\"hi\"\n",
        want: "  File \"print_never_closed.py\", line 1\n    print(\"hi\"\n         ^\nSyntaxError: '(' was never closed\n",
        versions: V310,
    },
    Bad {
        name: "call_forgot_comma",
        src: "print(\"a\" x)\n",
        want: "  File \"call_forgot_comma.py\", line 1\n    print(\"a\" x)\n          ^^^^^\nSyntaxError: invalid syntax. Perhaps you forgot a comma?\n",
        versions: V310,
    },
    Bad {
        name: "mixed_bytes",
        src: "x = \"a\" b\"b\"\n",
        want: "  File \"mixed_bytes.py\", line 1\n    x = \"a\" b\"b\"\n                ^\nSyntaxError: cannot mix bytes and nonbytes literals\n",
        versions: V39,
    },
    Bad {
        name: "indented_error",
        src: "def f():\n    x = = 1\n",
        want: "  File \"indented_error.py\", line 2\n    x = = 1\n        ^\nSyntaxError: invalid syntax\n",
        versions: ALL,
    },
];

// Not matched (CPython 3.11's text, ours differs):
//
// * `f() , a = 1, 2` — CPython: `invalid syntax. Maybe you meant '==' or
//   ':=' instead of '='?` under `a = 1`; we say `cannot assign to function
//   call` under `f()`.
// * `if x:\n# c\n\n` — CPython reports the missing block on line 3 (the
//   blank line); we report it at the end of line 1.
// * `x = "\N{foo}"` — CPython: `(unicode error) 'unicodeescape' codec can't
//   decode bytes in position 0-6: unknown Unicode character name`; we give
//   ruff's `Got unexpected unicode`.
// * `f"{x:{y}"` — CPython 3.12+: `f-string: expecting '}', or format specs`;
//   we say `f-string: expecting '}'`.
// * `d = {*a: 1}` — CPython: `invalid syntax` under `:`; we put it under
//   `*a`.
// * `def f():\n    class C:\n        nonlocal x` — CPython: `no binding for
//   nonlocal 'x' found`; we accept it (no name resolution in the front end;
//   see the module docs of `src/parse/lower.rs`).
// * The f-string errors of 3.8 to 3.11 (their tokenizer parsed f-strings
//   differently; see the comments in `BAD`).

#[test]
fn syntax_errors_render_as_cpython_311() {
    let mut failures = String::new();
    for bad in BAD {
        let file = format!("{}.py", bad.name);
        match parse(&file, bad.src) {
            Ok(_) => writeln!(failures, "{}: accepted", bad.name).unwrap(),
            Err(e) => {
                let got = e.render_cpython(bad.src);
                if e.kind != ParseErrorKind::Syntax || got != bad.want {
                    writeln!(
                        failures,
                        "{}:\n--- want\n{}--- got\n{got}",
                        bad.name, bad.want
                    )
                    .unwrap();
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn parse_error_fields() {
    let e = parse_err("x = 1\nif x\n    pass\n");
    assert_eq!(
        (e.kind, e.class, e.line, e.col, e.message.as_str()),
        (
            ParseErrorKind::Syntax,
            SyntaxErrorClass::SyntaxError,
            2,
            5,
            "expected ':'"
        )
    );
    assert_eq!(e.to_string(), "x.py:2:5: SyntaxError: expected ':'");
    let e = parse_err("if x:\npass\n");
    assert_eq!(e.class, SyntaxErrorClass::IndentationError);
    let e = parse_err("async def f(): pass\n");
    assert_eq!(
        e.render_cpython("async def f(): pass\n"),
        "x.py:1:1: unsupported: async def\n"
    );
}

/// Runs every bad program under `py` as a script, in parallel batches, and
/// returns (case name, stderr with the directory prefix removed).
fn run_all(py: &common::Python, dir: &Path) -> Vec<(&'static str, String)> {
    let children: Vec<_> = BAD
        .iter()
        .map(|bad| {
            let child = Command::new(&py.exe)
                .args(["-I", "-S", &format!("{}.py", bad.name)])
                .current_dir(dir)
                .env("PYTHONDONTWRITEBYTECODE", "1")
                .env("PYTHON_COLORS", "0")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot run {}: {e}", py.exe.display()));
            (bad.name, child)
        })
        .collect();
    let prefix = format!("{}/", dir.display());
    children
        .into_iter()
        .map(|(name, child)| {
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr).replace(&prefix, "");
            (name, err)
        })
        .collect()
}

#[test]
fn syntax_errors_match_real_interpreters() {
    let dir = std::env::temp_dir().join(format!("pymem-parse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for bad in BAD {
        std::fs::write(dir.join(format!("{}.py", bad.name)), bad.src).unwrap();
    }
    let pythons = common::pythons();
    let results: Vec<(Version, Vec<(&str, String)>)> = std::thread::scope(|s| {
        let handles: Vec<_> = pythons
            .iter()
            .map(|py| {
                let dir = &dir;
                s.spawn(move || (py.version, run_all(py, dir)))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let _ = std::fs::remove_dir_all(&dir);
    let mut failures = String::new();
    for (version, outputs) in &results {
        for ((name, cpython), bad) in outputs.iter().zip(BAD) {
            if !bad.versions.contains(&version.as_str()) {
                continue;
            }
            let file = format!("{name}.py");
            let ours = parse(&file, bad.src).map_or_else(
                |e| e.render_cpython(bad.src),
                |_| "(accepted)\n".to_string(),
            );
            if &ours != cpython {
                writeln!(
                    failures,
                    "{name} on {}:\n--- CPython\n{cpython}--- ours\n{ours}",
                    version.as_str()
                )
                .unwrap();
            }
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

// ---- positions against CPython's ast ----------------------------------------

fn collect_expr(e: &Expr, out: &mut Vec<Span>) {
    out.push(e.span);
    let mut sub = |e: &Expr| collect_expr(e, out);
    match &e.kind {
        ExprKind::FString(parts) => {
            fn field_spans(parts: &[FStringPart], out: &mut Vec<Span>) {
                for p in parts {
                    if let FStringPart::Field(f) = p {
                        collect_expr(&f.value, out);
                        if let Some(spec) = &f.spec {
                            field_spans(spec, out);
                        }
                    }
                }
            }
            field_spans(parts, out);
        }
        ExprKind::List(es) | ExprKind::Tuple(es) | ExprKind::Set(es) => es.iter().for_each(sub),
        ExprKind::Dict(items) => {
            for i in items {
                match i {
                    DictItem::Pair { key, value } => {
                        sub(key);
                        sub(value);
                    }
                    DictItem::Unpack(m) => sub(m),
                }
            }
        }
        ExprKind::Starred(v) | ExprKind::YieldFrom(v) => sub(v),
        ExprKind::Yield(Some(v)) => sub(v),
        ExprKind::ListComp { elt, generators }
        | ExprKind::SetComp { elt, generators }
        | ExprKind::GeneratorExp { elt, generators } => {
            sub(elt);
            collect_comp(generators, out);
        }
        ExprKind::DictComp {
            key,
            value,
            generators,
        } => {
            sub(key);
            sub(value);
            collect_comp(generators, out);
        }
        ExprKind::UnaryOp { operand, .. } => sub(operand),
        ExprKind::BinOp { left, right, .. } => {
            sub(left);
            sub(right);
        }
        ExprKind::BoolOp { values, .. } => values.iter().for_each(sub),
        ExprKind::Compare {
            left, comparators, ..
        } => {
            sub(left);
            comparators.iter().for_each(sub);
        }
        ExprKind::IfExp { test, body, orelse } => {
            sub(test);
            sub(body);
            sub(orelse);
        }
        ExprKind::Lambda { params, body } => {
            collect_params(params, out);
            collect_expr(body, out);
        }
        ExprKind::Call {
            func,
            args,
            keywords,
        } => {
            sub(func);
            args.iter().for_each(&mut sub);
            keywords.iter().for_each(|k| sub(&k.value));
        }
        ExprKind::Attribute { value, .. } => sub(value),
        ExprKind::Subscript { value, index } => {
            sub(value);
            sub(index);
        }
        ExprKind::Slice { lower, upper, step } => {
            for x in [lower, upper, step].into_iter().flatten() {
                sub(x);
            }
        }
        _ => {}
    }
}

fn collect_comp(gens: &[Comprehension], out: &mut Vec<Span>) {
    for g in gens {
        collect_target(&g.target, out);
        collect_expr(&g.iter, out);
        g.ifs.iter().for_each(|c| collect_expr(c, out));
    }
}

fn collect_params(p: &Params, out: &mut Vec<Span>) {
    for param in p.args.iter().chain(&p.kwonly) {
        if let Some(d) = &param.default {
            collect_expr(d, out);
        }
    }
}

fn collect_target(t: &Target, out: &mut Vec<Span>) {
    out.push(t.span);
    match &t.kind {
        TargetKind::Name(_) => {}
        TargetKind::Attribute { value, .. } => collect_expr(value, out),
        TargetKind::Subscript { value, index } => {
            collect_expr(value, out);
            collect_expr(index, out);
        }
        TargetKind::Tuple(ts) | TargetKind::List(ts) => {
            ts.iter().for_each(|t| collect_target(t, out));
        }
        TargetKind::Starred(t) => collect_target(t, out),
    }
}

fn collect_body(body: &[Stmt], out: &mut Vec<Span>) {
    for s in body {
        out.push(s.span);
        let mut e = |x: &Expr| collect_expr(x, out);
        match &s.kind {
            StmtKind::Expr(x) => e(x),
            StmtKind::Assign { targets, value } => {
                targets.iter().for_each(|t| collect_target(t, out));
                collect_expr(value, out);
            }
            StmtKind::AugAssign { target, value, .. } => {
                collect_target(target, out);
                collect_expr(value, out);
            }
            StmtKind::Delete(ts) => ts.iter().for_each(|t| collect_target(t, out)),
            StmtKind::If { test, body, orelse } | StmtKind::While { test, body, orelse } => {
                collect_expr(test, out);
                collect_body(body, out);
                collect_body(orelse, out);
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
            } => {
                collect_target(target, out);
                collect_expr(iter, out);
                collect_body(body, out);
                collect_body(orelse, out);
            }
            StmtKind::FunctionDef(f) => {
                f.decorators.iter().for_each(|d| collect_expr(d, out));
                collect_params(&f.params, out);
                collect_body(&f.body, out);
            }
            StmtKind::ClassDef(c) => {
                c.decorators.iter().for_each(|d| collect_expr(d, out));
                c.bases.iter().for_each(|b| collect_expr(b, out));
                collect_body(&c.body, out);
            }
            StmtKind::Return(Some(v)) => e(v),
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                collect_body(body, out);
                for h in handlers {
                    if let Some(t) = &h.typ {
                        collect_expr(t, out);
                    }
                    collect_body(&h.body, out);
                }
                collect_body(orelse, out);
                collect_body(finalbody, out);
            }
            StmtKind::Raise { exc, cause } => {
                for x in [exc, cause].into_iter().flatten() {
                    collect_expr(x, out);
                }
            }
            StmtKind::Assert { test, msg } => {
                collect_expr(test, out);
                if let Some(m) = msg {
                    collect_expr(m, out);
                }
            }
            _ => {}
        }
    }
}

/// Prints the sorted positions (in characters) of every statement and
/// expression CPython's `ast` has, leaving out the f-string pieces that
/// are not expressions of ours (literal parts, fields, format specs).
const CPYTHON_SPANS: &str = r#"
import ast, sys
src = open(sys.argv[1], encoding="utf-8").read()
lines = src.splitlines(True)
def ch(line, col):
    return len(lines[line - 1].encode("utf-8")[:col].decode("utf-8")) + 1
tree = ast.parse(src)
skip = set()
for n in ast.walk(tree):
    if isinstance(n, ast.JoinedStr):
        for v in n.values:
            skip.add(id(v))
            if isinstance(v, ast.FormattedValue) and v.format_spec is not None:
                skip.add(id(v.format_spec))
out = []
for n in ast.walk(tree):
    if isinstance(n, (ast.stmt, ast.expr)) and id(n) not in skip:
        out.append((n.lineno, ch(n.lineno, n.col_offset), n.end_lineno, ch(n.end_lineno, n.end_col_offset)))
for o in sorted(out):
    print("%d:%d-%d:%d" % o)
"#;

#[test]
fn spans_match_cpython() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parse/spans.py");
    let src = std::fs::read_to_string(&path).unwrap();
    let module = parse_ok(&src);
    let mut ours = Vec::new();
    collect_body(&module.body, &mut ours);
    let mut ours: Vec<String> = ours.iter().map(|s| format!("{s:?}")).collect();
    ours.sort_by_key(|s| {
        s.split([':', '-'])
            .map(|n| n.parse::<u32>().unwrap())
            .collect::<Vec<_>>()
    });
    let mut checked = 0;
    for v in [Version::V3_12, Version::V3_13] {
        let Some(py) = common::find(v) else {
            common::missing(v.as_str());
            continue;
        };
        let out = Command::new(&py.exe)
            .args(["-I", "-S", "-c", CPYTHON_SPANS])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let theirs: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        if ours != theirs {
            let only_ours: Vec<_> = ours.iter().filter(|s| !theirs.contains(s)).collect();
            let only_theirs: Vec<_> = theirs.iter().filter(|s| !ours.contains(s)).collect();
            panic!(
                "spans differ from CPython {}:\nonly ours: {only_ours:?}\nonly CPython's: {only_theirs:?}",
                v.as_str()
            );
        }
        checked += 1;
    }
    assert!(checked > 0 || std::env::var("PYMEM_ALLOW_MISSING_PYTHON").is_ok());
}
