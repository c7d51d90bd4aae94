//! Syntax errors: which one CPython reports, with its message and place.
//!
//! ruff's parser recovers from errors and reports all of them, in its own
//! words. CPython stops at the first, and its choice follows from how its
//! PEG parser and tokenizer interact (`Parser/pegen_errors.c`):
//!
//! 1. Tokenizer errors win. After any parser error CPython tokenizes the
//!    rest of the file, and a tokenizer error found there replaces the
//!    parser's. Tokenizer errors are: unterminated strings, invalid
//!    characters, bad number literals, a backslash not ending its line,
//!    unmatched or mismatched closing brackets, a dedent to no enclosing
//!    level (`IndentationError`) and inconsistent tabs (`TabError`). This
//!    module finds the bracket, indentation and number errors itself from
//!    ruff's token stream, because ruff's lexer does not report them the
//!    way CPython's tokenizer does.
//! 2. A bracket still open at the end of the file gives `'(' was never
//!    closed` (at the bracket) when the parser had read past the bracket's
//!    line, which is what CPython checks.
//! 3. Otherwise the first parser error in source order, reworded.
//!
//! The tokenizer messages are CPython 3.10+'s: `unterminated string literal
//! (detected at line N)` (and triple-quoted), `invalid character '“'
//! (U+201C)`, `invalid non-printable character U+00A0`, `invalid decimal
//! literal` (and hexadecimal, octal, binary), `leading zeros in decimal
//! integer literals are not permitted; ...`, `unexpected character after
//! line continuation character`, `unmatched ')'`, `closing parenthesis ']'
//! does not match opening parenthesis '('`, `too many nested parentheses`,
//! `bytes can only contain ASCII literal characters`, `unindent does not
//! match any outer indentation level`, `too many levels of indentation`
//! and `inconsistent use of tabs and spaces in indentation`.
//!
//! The rewording ([`Ctx::parser_error`]) covers what CPython 3.11 says for
//! common mistakes, checked against the real interpreters by
//! `tests/parse.rs`: `invalid syntax`, `expected ':'`, `expected '('`,
//! `invalid syntax. Perhaps you forgot a comma?`, `invalid syntax. Maybe you
//! meant '==' or ':=' instead of '='?`, `cannot assign to X` (with 3.10+'s
//! `here. Maybe you meant '==' instead of '='?` when CPython adds it),
//! `cannot delete X`, `'X' is an illegal expression for augmented
//! assignment`, `expected an indented block after 'if' statement on line
//! N` (and the other clauses), `unexpected indent`, `expected 'except' or
//! 'finally' block`, `Missing parentheses in call to 'print'. Did you mean
//! print(...)?`, `positional argument follows keyword argument`,
//! `iterable argument unpacking follows keyword argument unpacking`,
//! `Generator expression must be parenthesized`, `expression cannot contain
//! assignment, perhaps you meant "=="?`, `non-default argument follows
//! default argument`, `named arguments must follow bare *`, the parameter
//! ordering errors, `trailing comma not allowed without surrounding
//! parentheses`, `':' expected after dictionary key`, `cannot mix bytes and
//! nonbytes literals`, `unexpected EOF while parsing`, and the f-string
//! errors in their 3.12+ wording (ruff parses f-strings the PEP 701 way, as
//! 3.12+ does). Anything else becomes `invalid syntax` at the token ruff
//! points at.

use std::cell::OnceCell;

use ruff_python_ast::token::{Token, TokenKind};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Mod, ModModule};
use ruff_python_parser::{
    lexer, InterpolatedStringErrorType, LexicalErrorType, Mode, ParseError as RuffError,
    ParseErrorType, Parsed, UnsupportedSyntaxErrorKind,
};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::lines::{to_u32, LineIndex};
use super::lower::MAX_EXPR_DEPTH;
use super::{ParseError, ParseErrorKind, SyntaxErrorClass};

/// CPython's tokenizer limit on open brackets (`MAXLEVEL`).
const MAX_LEVEL: usize = 200;
/// CPython's tokenizer limit on indentation levels (`MAXINDENT`).
const MAX_INDENT: usize = 100;

/// What [`precheck`] refuses.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TooDeep {
    /// More than [`MAX_LEVEL`] open brackets.
    Brackets,
    /// [`MAX_INDENT`] indentation levels.
    Indentation,
    /// A run of more than `MAX_EXPR_DEPTH` prefix operators.
    Operators,
}

/// Scans token kinds for [`TooDeep`] nesting; returns the first problem
/// and the length of the token that caused it.
pub(super) fn too_deep(src: &str) -> Option<(TooDeep, u32)> {
    let mut lexer = lexer::lex(src, Mode::Module);
    let (mut brackets, mut indents, mut operators) = (0usize, 0usize, 0u32);
    let mut prev = TokenKind::Newline;
    loop {
        let kind = lexer.next_token();
        match kind {
            TokenKind::EndOfFile => return None,
            TokenKind::Newline => operators = 0,
            TokenKind::Indent => {
                indents += 1;
                if indents >= MAX_INDENT {
                    return Some((TooDeep::Indentation, 1));
                }
            }
            TokenKind::Dedent => indents = indents.saturating_sub(1),
            k if is_open(k) => {
                brackets += 1;
                if brackets > MAX_LEVEL {
                    return Some((TooDeep::Brackets, 1));
                }
            }
            k if is_close(k) => brackets = brackets.saturating_sub(1),
            _ => {}
        }
        // A run of prefix operators (`- - not ~(-x)`) nests one level each.
        let prefix = match kind {
            TokenKind::Minus | TokenKind::Plus | TokenKind::Tilde => {
                !(is_close(prev) || is_operand(prev))
            }
            TokenKind::Not => true,
            _ => false,
        };
        if prefix {
            operators += 1;
            if operators > MAX_EXPR_DEPTH {
                let len = if kind == TokenKind::Not { 3 } else { 1 };
                return Some((TooDeep::Operators, len));
            }
        } else if !(is_open(kind) || is_trivia(kind)) {
            operators = 0;
        }
        if !is_trivia(kind) {
            prev = kind;
        }
    }
}

/// Refuses, before ruff's parser runs, input nested deeply enough to
/// exhaust the stack: ruff guards most but not all of its recursion (a
/// deep tuple target or a long run of unary operators before `=` still
/// overflows), nothing guards a small wasm stack, and dropping a deep tree
/// recurses too. Refused: more than 200 open brackets and 100 indentation
/// levels, which CPython's tokenizer refuses as well (`too many nested
/// parentheses`, `too many levels of indentation`), and a run of more than
/// `MAX_EXPR_DEPTH` prefix operators (`- - - x`, `not not x`), reported as
/// unsupported. Other deep trees (`1+1+...`, `a.b.b...`, `lambda: lambda:
/// ...`) parse safely and are refused by the lowering, and the tree is then
/// leaked rather than dropped (see `lower::too_deep`). The place is found by
/// bisecting on prefixes of the source, since ruff's lexer reports token
/// kinds only; this costs a few more scans, and only for such input.
pub(crate) fn precheck(src: &str, index: &LineIndex<'_>) -> Option<ParseError> {
    let (problem, len) = too_deep(src)?;
    // Smallest prefix with the same problem: it ends with the culprit.
    let (mut lo, mut hi) = (0usize, src.len());
    while hi - lo > 1 {
        let mut mid = lo + (hi - lo) / 2;
        while mid > lo && !src.is_char_boundary(mid) {
            mid -= 1;
        }
        if mid == lo {
            break;
        }
        match too_deep(&src[..mid]) {
            Some((p, _)) if p == problem => hi = mid,
            _ => lo = mid,
        }
    }
    let start = TextSize::try_from(hi.saturating_sub(len as usize)).unwrap_or_default();
    let (line, col) = index.pos(start);
    Some(match problem {
        TooDeep::Brackets => syntax_error(line, col, line, col, "too many nested parentheses"),
        TooDeep::Indentation => {
            let mut e = syntax_error(line, 1, line, 1, "too many levels of indentation");
            e.class = SyntaxErrorClass::IndentationError;
            e
        }
        TooDeep::Operators => {
            let msg = format!("expression nested more than {MAX_EXPR_DEPTH} levels deep");
            let mut e = syntax_error(line, col, line, col, &msg);
            e.kind = ParseErrorKind::Unsupported;
            e
        }
    })
}

/// The syntax error CPython would report for this parse, if any.
pub(crate) fn first_error(
    src: &str,
    index: &LineIndex<'_>,
    parsed: &Parsed<Mod>,
    module: &ModModule,
) -> Option<ParseError> {
    let ctx = Ctx {
        src,
        index,
        tokens: parsed.tokens(),
        module,
        exprs: OnceCell::new(),
    };
    let scan = ctx.scan_tokens();

    // 1. Tokenizer errors, first in source order.
    let mut tokenizer: Vec<(TextSize, ParseError)> = scan.tokenizer;
    let mut parser: Vec<(TextSize, ParseError)> = Vec::new();
    if let Some(e) = scan.unexpected_indent {
        parser.push(e);
    }
    for e in parsed.errors() {
        match &e.error {
            ParseErrorType::Lexical(LexicalErrorType::IndentationError) => {
                // Found again, the CPython way, by `scan_tokens`.
            }
            ParseErrorType::Lexical(LexicalErrorType::Eof) => {
                // With a bracket open this is `'(' was never closed`, below;
                // otherwise a backslash continuation ran into the end.
                if scan.unclosed.is_none() {
                    let at = e.location.start();
                    let (line, _) = index.pos(at);
                    let col = to_u32(index.line_at(at).chars().count() + 1);
                    let msg = "unexpected EOF while parsing";
                    parser.push((at, syntax_error(line, col, line, col, msg)));
                }
            }
            ParseErrorType::Lexical(lex) => match ctx.lexical_error(lex, e.location) {
                Lexed::Tokenizer(pe) => tokenizer.push((e.location.start(), pe)),
                Lexed::Parser(pe) => parser.push((e.location.start(), pe)),
            },
            _ => parser.push((e.location.start(), ctx.parser_error(e))),
        }
    }
    for e in parsed.unsupported_syntax_errors() {
        parser.push((e.range.start(), ctx.newer_syntax(e.kind, e.range)));
    }
    tokenizer.sort_by_key(|(at, _)| *at);
    if let Some((_, e)) = tokenizer.into_iter().next() {
        return Some(e);
    }
    parser.sort_by_key(|(at, _)| *at);
    let first_parser = parser.into_iter().next();

    // 2. A bracket left open at the end of the file. CPython reports it
    // when the parser had read past the bracket's line (its last token read
    // is the error token, or the one after when the error consumed it).
    if let Some(open) = scan.unclosed {
        let (open_line, _) = index.pos(open.start());
        let report = match &first_parser {
            None => true,
            Some((at, e)) => {
                // Inside brackets CPython has no newline tokens: an error
                // ruff places at a line break is at the next token.
                let from = if e.message.starts_with("invalid syntax. Perhaps") {
                    ctx.end_offset(e)
                } else {
                    *at
                };
                let last_read = ctx.tokens[ctx.token_index(from)..]
                    .iter()
                    .find(|t| {
                        !is_trivia(t.kind())
                            && !matches!(
                                t.kind(),
                                TokenKind::Newline | TokenKind::Indent | TokenKind::Dedent
                            )
                    })
                    .map_or(from, Token::start);
                open_line < index.pos(last_read).0
            }
        };
        if report {
            let c = ctx.text(open);
            return Some(ctx.point(open.start(), format!("'{c}' was never closed")));
        }
    }
    // 3. The first parser error.
    if let Some((_, e)) = first_parser {
        return Some(e);
    }
    None
}

/// A CPython `SyntaxError` at explicit positions.
fn syntax_error(line: u32, col: u32, end_line: u32, end_col: u32, msg: &str) -> ParseError {
    ParseError {
        kind: ParseErrorKind::Syntax,
        class: SyntaxErrorClass::SyntaxError,
        file_name: String::new(),
        line,
        col,
        end_line,
        end_col,
        message: msg.to_string(),
    }
}

/// Where a ruff lexical error belongs in CPython's order.
enum Lexed {
    Tokenizer(ParseError),
    Parser(ParseError),
}

/// What [`Ctx::scan_tokens`] finds.
struct Scan {
    /// Bracket, indentation and number errors.
    tokenizer: Vec<(TextSize, ParseError)>,
    /// The innermost bracket still open at the end of the file.
    unclosed: Option<TextRange>,
    /// An indented first line.
    unexpected_indent: Option<(TextSize, ParseError)>,
}

struct Ctx<'a> {
    src: &'a str,
    index: &'a LineIndex<'a>,
    tokens: &'a [Token],
    module: &'a ModModule,
    exprs: OnceCell<Vec<&'a Expr>>,
}

/// Collects the expressions of the tree (down to the lowering's depth
/// limit, so that a pathological file cannot exhaust the stack).
struct Collect<'a> {
    exprs: Vec<&'a Expr>,
    depth: u32,
}

impl<'a> Visitor<'a> for Collect<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        self.exprs.push(expr);
        if self.depth < MAX_EXPR_DEPTH {
            self.depth += 1;
            visitor::walk_expr(self, expr);
            self.depth -= 1;
        }
    }
}

fn is_trivia(kind: TokenKind) -> bool {
    matches!(kind, TokenKind::Comment | TokenKind::NonLogicalNewline)
}

fn is_open(kind: TokenKind) -> bool {
    matches!(kind, TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace)
}

fn is_close(kind: TokenKind) -> bool {
    matches!(kind, TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace)
}

fn is_name_like(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Name | TokenKind::Match | TokenKind::Case | TokenKind::Type | TokenKind::Lazy
    )
}

/// Tokens that end an operand (after them, `-` is binary).
fn is_operand(kind: TokenKind) -> bool {
    is_name_like(kind)
        || matches!(
            kind,
            TokenKind::Int
                | TokenKind::Float
                | TokenKind::Complex
                | TokenKind::String
                | TokenKind::FStringEnd
                | TokenKind::TStringEnd
                | TokenKind::True
                | TokenKind::False
                | TokenKind::None
                | TokenKind::Ellipsis
        )
}

/// The keywords that start a compound statement's header.
fn is_compound_keyword(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::If
            | TokenKind::Elif
            | TokenKind::Else
            | TokenKind::While
            | TokenKind::For
            | TokenKind::Try
            | TokenKind::Except
            | TokenKind::Finally
            | TokenKind::With
            | TokenKind::Class
            | TokenKind::Def
            | TokenKind::Async
            | TokenKind::Match
            | TokenKind::Case
    )
}

/// Python's `str.isprintable()`, near enough for invalid characters.
fn is_printable(c: char) -> bool {
    !(c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}' | '\u{feff}'))
}

/// CPython's `_PyPegen_get_expr_name`: how an expression is named in
/// "cannot assign to ..." messages.
fn expr_name(expr: &Expr) -> &'static str {
    match expr {
        Expr::Attribute(_) => "attribute",
        Expr::Subscript(_) => "subscript",
        Expr::Starred(_) => "starred",
        Expr::Name(_) => "name",
        Expr::List(_) => "list",
        Expr::Tuple(_) => "tuple",
        Expr::Lambda(_) => "lambda",
        Expr::Call(_) => "function call",
        Expr::BoolOp(_) | Expr::BinOp(_) | Expr::UnaryOp(_) => "expression",
        Expr::Generator(_) => "generator expression",
        Expr::Yield(_) | Expr::YieldFrom(_) => "yield expression",
        Expr::Await(_) => "await expression",
        Expr::ListComp(_) => "list comprehension",
        Expr::SetComp(_) => "set comprehension",
        Expr::DictComp(_) => "dict comprehension",
        Expr::Dict(_) => "dict literal",
        Expr::Set(_) => "set display",
        Expr::FString(_) | Expr::TString(_) => "f-string expression",
        Expr::NoneLiteral(_) => "None",
        Expr::BooleanLiteral(b) if b.value => "True",
        Expr::BooleanLiteral(_) => "False",
        Expr::EllipsisLiteral(_) => "ellipsis",
        Expr::StringLiteral(_) | Expr::BytesLiteral(_) | Expr::NumberLiteral(_) => "literal",
        Expr::Compare(_) => "comparison",
        Expr::If(_) => "conditional expression",
        Expr::Named(_) => "named expression",
        Expr::Slice(_) | Expr::IpyEscapeCommand(_) => "expression",
    }
}

impl<'a> Ctx<'a> {
    fn text(&self, range: TextRange) -> &'a str {
        self.src
            .get(range.start().to_usize()..range.end().to_usize())
            .unwrap_or("")
    }

    fn exprs(&self) -> &[&'a Expr] {
        self.exprs.get_or_init(|| {
            let mut c = Collect {
                exprs: Vec::new(),
                depth: 0,
            };
            visitor::walk_body(&mut c, &self.module.body);
            c.exprs
        })
    }

    /// A `SyntaxError` covering `range`. CPython's NEWLINE token is a
    /// single point (3.11 gives it `end_offset == offset`), except after a
    /// comment, where it covers the comment.
    fn at(&self, range: TextRange, msg: impl Into<String>) -> ParseError {
        let newline = range.is_empty() || matches!(self.text(range), "\n" | "\r\n" | "\r");
        if newline {
            let i = self.tokens.partition_point(|t| t.end() <= range.start());
            if let Some(c) = i.checked_sub(1).and_then(|j| self.tokens.get(j)) {
                let same_line = self.index.pos(c.start()).0 == self.index.pos(range.start()).0;
                if c.kind() == TokenKind::Comment && same_line {
                    let span = self.index.span(c.range());
                    let mut e = syntax_error(span.line, span.col, span.end_line, span.end_col, "");
                    e.message = msg.into();
                    return e;
                }
            }
        }
        let span = self.index.span(range);
        let (end_line, end_col) = if newline {
            (span.line, span.col)
        } else {
            (span.end_line, span.end_col)
        };
        let mut e = syntax_error(span.line, span.col, end_line, end_col, "");
        e.message = msg.into();
        e
    }

    /// A `SyntaxError` at one point (`end_col == col`).
    fn point(&self, at: TextSize, msg: impl Into<String>) -> ParseError {
        self.at(TextRange::empty(at), msg)
    }

    fn indentation_error(&self, line: u32, col: u32, msg: &str) -> ParseError {
        let mut e = syntax_error(line, col, line, col, msg);
        e.class = SyntaxErrorClass::IndentationError;
        e
    }

    /// The byte offset of an error's end position.
    fn end_offset(&self, e: &ParseError) -> TextSize {
        self.index.offset(e.end_line, e.end_col)
    }

    /// Index of the first token starting at or after `offset`.
    fn token_index(&self, offset: TextSize) -> usize {
        self.tokens.partition_point(|t| t.start() < offset)
    }

    /// The first non-trivia token starting at or after `offset`.
    fn next_token(&self, offset: TextSize) -> Option<&'a Token> {
        self.tokens[self.token_index(offset)..]
            .iter()
            .find(|t| !is_trivia(t.kind()))
    }

    /// The last non-trivia token ending at or before `offset`.
    fn prev_token(&self, offset: TextSize) -> Option<&'a Token> {
        let end = self.tokens.partition_point(|t| t.end() <= offset);
        self.tokens[..end]
            .iter()
            .rev()
            .find(|t| !is_trivia(t.kind()) && !matches!(t.kind(), TokenKind::Dedent))
    }

    /// The first token of the logical line holding `offset`.
    fn line_first_token(&self, offset: TextSize) -> Option<&'a Token> {
        let i = self.token_index(offset);
        let start = self.tokens[..i]
            .iter()
            .rposition(|t| t.kind() == TokenKind::Newline)
            .map_or(0, |p| p + 1);
        self.tokens[start..].iter().find(|t| {
            !is_trivia(t.kind()) && !matches!(t.kind(), TokenKind::Indent | TokenKind::Dedent)
        })
    }

    /// The innermost bracket open just before `offset`.
    fn open_bracket_at(&self, offset: TextSize) -> Option<TextRange> {
        let mut stack: Vec<TextRange> = Vec::new();
        for t in &self.tokens[..self.token_index(offset)] {
            if is_open(t.kind()) {
                stack.push(t.range());
            } else if is_close(t.kind()) {
                stack.pop();
            }
        }
        stack.pop()
    }

    /// The widest expression starting exactly at `offset`.
    fn expr_starting_at(&self, offset: TextSize) -> Option<&'a Expr> {
        self.exprs()
            .iter()
            .filter(|e| e.start() == offset)
            .max_by_key(|e| e.end())
            .copied()
    }

    /// The widest expression ending exactly at `offset` and starting at or
    /// after `after`.
    fn expr_ending_at(&self, offset: TextSize, after: TextSize) -> Option<&'a Expr> {
        self.exprs()
            .iter()
            .filter(|e| e.end() == offset && e.start() >= after)
            .min_by_key(|e| e.start())
            .copied()
    }

    fn expr_with_range(&self, range: TextRange) -> Option<&'a Expr> {
        self.exprs().iter().find(|e| e.range() == range).copied()
    }

    // ---- the tokenizer's own checks --------------------------------------

    /// Brackets, indentation and number literals, the way CPython's
    /// tokenizer checks them.
    fn scan_tokens(&self) -> Scan {
        let mut scan = Scan {
            tokenizer: Vec::new(),
            unclosed: None,
            unexpected_indent: None,
        };
        // Brackets.
        let mut stack: Vec<&Token> = Vec::new();
        for t in self.tokens {
            if is_open(t.kind()) {
                if stack.len() >= MAX_LEVEL {
                    let e = self.point(t.start(), "too many nested parentheses");
                    scan.tokenizer.push((t.start(), e));
                    break;
                }
                stack.push(t);
            } else if is_close(t.kind()) {
                let c = self.text(t.range());
                match stack.pop() {
                    None => {
                        scan.tokenizer
                            .push((t.start(), self.point(t.start(), format!("unmatched '{c}'"))));
                        break;
                    }
                    Some(open) => {
                        let o = self.text(open.range());
                        let matching = matches!((o, c), ("(", ")") | ("[", "]") | ("{", "}"));
                        if !matching {
                            let (open_line, _) = self.index.pos(open.start());
                            let (line, _) = self.index.pos(t.start());
                            let mut msg = format!(
                                "closing parenthesis '{c}' does not match opening parenthesis '{o}'"
                            );
                            if open_line != line {
                                msg.push_str(&format!(" on line {open_line}"));
                            }
                            scan.tokenizer.push((t.start(), self.point(t.start(), msg)));
                            break;
                        }
                    }
                }
            }
        }
        scan.unclosed = stack.last().map(|t| t.range());

        // Indentation, at the start of each logical line.
        let mut indents: Vec<(u32, u32)> = vec![(0, 0)];
        let mut at_line_start = true;
        let mut first_line = true;
        for t in self.tokens {
            match t.kind() {
                TokenKind::Comment
                | TokenKind::NonLogicalNewline
                | TokenKind::Indent
                | TokenKind::Dedent => continue,
                // ruff's token for an indentation it could not match.
                TokenKind::Unknown if self.text(t.range()).trim().is_empty() => continue,
                TokenKind::Newline => {
                    at_line_start = true;
                    continue;
                }
                TokenKind::EndOfFile => break,
                _ => {}
            }
            if !at_line_start {
                continue;
            }
            at_line_start = false;
            let line_start = self.index.line_start(t.start());
            let Some(lead) = self.src.get(line_start..t.start().to_usize()) else {
                continue;
            };
            if !lead.chars().all(|c| matches!(c, ' ' | '\t' | '\x0c')) {
                continue;
            }
            let (mut col, mut alt) = (0u32, 0u32);
            for c in lead.chars() {
                match c {
                    ' ' => {
                        col += 1;
                        alt += 1;
                    }
                    '\t' => {
                        col = (col / 8 + 1) * 8;
                        alt += 1;
                    }
                    _ => {
                        col = 0;
                        alt = 0;
                    }
                }
            }
            let (line, _) = self.index.pos(t.start());
            let line_len = to_u32(self.index.line_at(t.start()).chars().count());
            let tab_error = || {
                let mut e = syntax_error(
                    line,
                    1,
                    line,
                    1,
                    "inconsistent use of tabs and spaces in indentation",
                );
                e.class = SyntaxErrorClass::TabError;
                (t.start(), e)
            };
            let &(top, top_alt) = indents.last().unwrap_or(&(0, 0));
            if col == top {
                if alt != top_alt {
                    scan.tokenizer.push(tab_error());
                    break;
                }
            } else if col > top {
                if first_line {
                    let width = to_u32(lead.chars().count());
                    scan.unexpected_indent = Some((
                        t.start(),
                        self.indentation_error(line, width, "unexpected indent"),
                    ));
                }
                if alt <= top_alt {
                    scan.tokenizer.push(tab_error());
                    break;
                }
                if indents.len() >= MAX_INDENT {
                    scan.tokenizer.push((
                        t.start(),
                        self.indentation_error(line, 1, "too many levels of indentation"),
                    ));
                    break;
                }
                indents.push((col, alt));
            } else {
                while indents.len() > 1 && indents.last().is_some_and(|&(c, _)| col < c) {
                    indents.pop();
                }
                let &(top, top_alt) = indents.last().unwrap_or(&(0, 0));
                if col != top {
                    scan.tokenizer.push((
                        t.start(),
                        self.indentation_error(
                            line,
                            line_len + 1,
                            "unindent does not match any outer indentation level",
                        ),
                    ));
                    break;
                }
                if alt != top_alt {
                    scan.tokenizer.push(tab_error());
                    break;
                }
            }
            first_line = false;
        }

        // A number run straight into a name: `1abc`, `1.e`, `0x1g`.
        for pair in self.tokens.windows(2) {
            let (num, next) = (&pair[0], &pair[1]);
            if !matches!(
                num.kind(),
                TokenKind::Int | TokenKind::Float | TokenKind::Complex
            ) || next.start() != num.end()
            {
                continue;
            }
            let allowed_keyword = matches!(
                next.kind(),
                TokenKind::And
                    | TokenKind::Else
                    | TokenKind::For
                    | TokenKind::If
                    | TokenKind::In
                    | TokenKind::Is
                    | TokenKind::Not
                    | TokenKind::Or
            );
            if !(is_name_like(next.kind()) || next.kind().is_keyword()) || allowed_keyword {
                continue;
            }
            let text = self.text(num.range()).to_ascii_lowercase();
            let what = if num.kind() == TokenKind::Complex {
                "imaginary"
            } else if text.starts_with("0x") {
                "hexadecimal"
            } else if text.starts_with("0o") {
                "octal"
            } else if text.starts_with("0b") {
                "binary"
            } else {
                "decimal"
            };
            let last = num.end() - TextSize::from(1);
            scan.tokenizer
                .push((last, self.point(last, format!("invalid {what} literal"))));
        }
        scan
    }

    // ---- ruff's lexical errors -------------------------------------------

    fn lexical_error(&self, error: &LexicalErrorType, loc: TextRange) -> Lexed {
        use Lexed::{Parser, Tokenizer};
        match error {
            LexicalErrorType::UnclosedStringError => {
                let text = self.src.get(loc.start().to_usize()..).unwrap_or("");
                let body = text.trim_start_matches(|c: char| c.is_ascii_alphabetic());
                let msg = if body.starts_with("\"\"\"") || body.starts_with("'''") {
                    format!(
                        "unterminated triple-quoted string literal (detected at line {})",
                        self.index.last_line()
                    )
                } else {
                    let (line, _) = self.index.pos(loc.start());
                    format!("unterminated string literal (detected at line {line})")
                };
                Tokenizer(self.point(loc.start(), msg))
            }
            LexicalErrorType::UnrecognizedToken { tok } => {
                if tok.is_ascii() && !tok.is_ascii_control() {
                    Parser(self.at(loc, "invalid syntax"))
                } else if !is_printable(*tok) {
                    Tokenizer(self.point(
                        loc.start(),
                        format!("invalid non-printable character U+{:04X}", u32::from(*tok)),
                    ))
                } else {
                    Tokenizer(self.point(
                        loc.start(),
                        format!("invalid character '{tok}' (U+{:04X})", u32::from(*tok)),
                    ))
                }
            }
            LexicalErrorType::LineContinuationError => Tokenizer(self.point(
                loc.end(),
                "unexpected character after line continuation character",
            )),
            LexicalErrorType::InvalidByteLiteral => {
                let range = self
                    .tokens
                    .iter()
                    .find(|t| t.range().contains_range(loc))
                    .map_or(loc, Token::range);
                Tokenizer(self.at(range, "bytes can only contain ASCII literal characters"))
            }
            LexicalErrorType::FStringError(e) => Tokenizer(self.fstring_error(e, loc)),
            LexicalErrorType::OtherError(msg)
                if msg.as_ref() == "Invalid decimal integer literal" =>
            {
                Tokenizer(self.at(
                    TextRange::at(loc.start(), TextSize::from(1)),
                    "leading zeros in decimal integer literals are not permitted; \
                     use an 0o prefix for octal integers",
                ))
            }
            LexicalErrorType::OtherError(msg) if msg.starts_with("ParseIntError") => {
                let text = self.text(loc).to_ascii_lowercase();
                let what = if text.starts_with("0x") {
                    "hexadecimal"
                } else if text.starts_with("0o") {
                    "octal"
                } else if text.starts_with("0b") {
                    "binary"
                } else {
                    "decimal"
                };
                let last = loc
                    .end()
                    .checked_sub(TextSize::from(1))
                    .unwrap_or(loc.start());
                Tokenizer(self.point(last, format!("invalid {what} literal")))
            }
            other => Tokenizer(self.at(loc, other.to_string())),
        }
    }

    fn fstring_error(&self, e: &InterpolatedStringErrorType, loc: TextRange) -> ParseError {
        match e {
            InterpolatedStringErrorType::SingleRbrace => {
                self.point(loc.start(), "f-string: single '}' is not allowed")
            }
            InterpolatedStringErrorType::UnclosedLbrace => {
                self.point(loc.start(), "f-string: expecting '}'")
            }
            InterpolatedStringErrorType::InvalidConversionFlag => {
                match self.text(loc).chars().next() {
                    Some(c) if c != '}' && c != ':' && !c.is_whitespace() => self.at(
                        loc,
                        format!(
                            "f-string: invalid conversion character '{c}': expected 's', 'r', or 'a'"
                        ),
                    ),
                    _ => self.at(loc, "f-string: missing conversion character"),
                }
            }
            InterpolatedStringErrorType::UnterminatedString
            | InterpolatedStringErrorType::UnterminatedTripleQuotedString => {
                let (line, _) = self.index.pos(loc.start());
                self.point(
                    loc.start(),
                    format!("unterminated f-string literal (detected at line {line})"),
                )
            }
            InterpolatedStringErrorType::LambdaWithoutParentheses => {
                self.at(loc, "f-string: lambda expressions are not allowed without parentheses")
            }
            InterpolatedStringErrorType::ConversionFlagNotImmediatelyAfterExclamation => {
                self.at(loc, "f-string: conversion type must come right after the exclamanation mark")
            }
            InterpolatedStringErrorType::NewlineInFormatSpec => {
                self.at(loc, "f-string: newlines are not allowed in format specifiers for single quoted f-strings")
            }
        }
    }

    /// Syntax newer than 3.13 that ruff knows (CPython 3.13 rejects it).
    fn newer_syntax(&self, kind: UnsupportedSyntaxErrorKind, range: TextRange) -> ParseError {
        match kind {
            UnsupportedSyntaxErrorKind::UnparenthesizedExceptionTypes => {
                self.at(range, "multiple exception types must be parenthesized")
            }
            UnsupportedSyntaxErrorKind::UnpackingInComprehension(k) => {
                if format!("{k:?}") == "DictInDict" {
                    let stars = TextRange::at(range.start(), TextSize::from(2));
                    self.at(stars, "dict unpacking cannot be used in dict comprehension")
                } else {
                    self.at(range, "iterable unpacking cannot be used in comprehension")
                }
            }
            _ => self.at(range, "invalid syntax"),
        }
    }

    // ---- ruff's parser errors --------------------------------------------

    fn parser_error(&self, e: &RuffError) -> ParseError {
        let loc = e.location;
        match &e.error {
            ParseErrorType::ExpectedToken { expected, found } => {
                self.expected_token(*expected, *found, loc)
            }
            ParseErrorType::ExpectedExpression => {
                let in_fstring_field = *self.text(loc).as_bytes().first().unwrap_or(&0) == b'}'
                    && self
                        .open_bracket_at(loc.start())
                        .is_some_and(|b| self.text(b) == "{")
                    && self.inside_fstring(loc.start());
                if in_fstring_field {
                    self.at(loc, "f-string: valid expression required before '}'")
                } else {
                    self.at(loc, "invalid syntax")
                }
            }
            ParseErrorType::SimpleStatementsOnSameLine => self.statements_on_same_line(loc),
            ParseErrorType::InvalidAssignmentTarget => self.invalid_assignment(loc),
            ParseErrorType::InvalidDeleteTarget => {
                let name = self.expr_with_range(loc).map_or("expression", expr_name);
                self.at(loc, format!("cannot delete {name}"))
            }
            ParseErrorType::InvalidAugmentedAssignmentTarget => {
                let name = self.expr_with_range(loc).map_or("expression", expr_name);
                self.at(
                    loc,
                    format!("'{name}' is an illegal expression for augmented assignment"),
                )
            }
            ParseErrorType::InvalidNamedAssignmentTarget => {
                let name = self.expr_with_range(loc).map_or("expression", expr_name);
                self.at(
                    loc,
                    format!("cannot use assignment expressions with {name}"),
                )
            }
            ParseErrorType::InvalidAnnotatedAssignmentTarget => {
                self.at(loc, "illegal target for annotation")
            }
            ParseErrorType::PositionalAfterKeywordArgument => {
                self.after_token(loc, "positional argument follows keyword argument")
            }
            ParseErrorType::PositionalAfterKeywordUnpacking => self.after_token(
                loc,
                "positional argument follows keyword argument unpacking",
            ),
            ParseErrorType::InvalidArgumentUnpackingOrder => self.at(
                TextRange::at(loc.start(), TextSize::from(1)),
                "iterable argument unpacking follows keyword argument unpacking",
            ),
            ParseErrorType::UnparenthesizedGeneratorExpression => {
                self.at(loc, "Generator expression must be parenthesized")
            }
            ParseErrorType::NonDefaultParamAfterDefaultParam => {
                self.at(loc, "non-default argument follows default argument")
            }
            ParseErrorType::ParamAfterVarKeywordParam => {
                self.at(loc, "arguments cannot follow var-keyword argument")
            }
            ParseErrorType::VarParameterWithDefault => {
                let double = self
                    .prev_token(loc.start())
                    .and_then(|name| self.prev_token(name.start()))
                    .is_some_and(|t| t.kind() == TokenKind::DoubleStar);
                let what = if double {
                    "var-keyword"
                } else {
                    "var-positional"
                };
                self.at(loc, format!("{what} argument cannot have default value"))
            }
            ParseErrorType::ExpectedKeywordParam => {
                self.at(loc, "named arguments must follow bare *")
            }
            ParseErrorType::UnexpectedIndentation => {
                let (line, col) = self.index.pos(loc.end());
                self.indentation_error(line, col - 1, "unexpected indent")
            }
            ParseErrorType::FStringError(f) => self.fstring_error(f, loc),
            ParseErrorType::OtherError(msg) => self.other_error(msg, loc),
            _ => self.at(loc, "invalid syntax"),
        }
    }

    /// Is `offset` inside an f-string's replacement field?
    fn inside_fstring(&self, offset: TextSize) -> bool {
        let mut depth = 0i32;
        for t in &self.tokens[..self.token_index(offset)] {
            match t.kind() {
                TokenKind::FStringStart => depth += 1,
                TokenKind::FStringEnd => depth -= 1,
                _ => {}
            }
        }
        depth > 0
    }

    /// An error CPython reports at the token after `loc`.
    fn after_token(&self, loc: TextRange, msg: &str) -> ParseError {
        match self.next_token(loc.end()) {
            Some(t) => self.at(t.range(), msg),
            None => self.at(loc, msg),
        }
    }

    fn expected_token(&self, expected: TokenKind, found: TokenKind, loc: TextRange) -> ParseError {
        let header = self.line_first_token(loc.start()).map(Token::kind);
        let found_newline = matches!(found, TokenKind::Newline | TokenKind::EndOfFile);
        match expected {
            TokenKind::Colon if found_newline && header.is_some_and(is_compound_keyword) => {
                return self.at(loc, "expected ':'");
            }
            // CPython's grammar forces the `:` after these (`&&':'`).
            TokenKind::Colon
                if matches!(
                    header,
                    Some(TokenKind::Def | TokenKind::Else | TokenKind::Try | TokenKind::Finally)
                ) =>
            {
                return self.at(loc, "expected ':'");
            }
            TokenKind::Colon
                if found == TokenKind::Equal
                    && matches!(
                        header,
                        Some(TokenKind::If | TokenKind::Elif | TokenKind::While)
                    ) =>
            {
                if let Some(e) = self.maybe_meant_equal(loc) {
                    return e;
                }
            }
            TokenKind::Colon
                if matches!(found, TokenKind::Comma | TokenKind::Rbrace)
                    && self
                        .open_bracket_at(loc.start())
                        .is_some_and(|b| self.text(b) == "{") =>
            {
                if let Some(key) = self
                    .prev_token(loc.start())
                    .and_then(|t| self.expr_ending_at(t.end(), TextSize::from(0)))
                {
                    return self.point(key.start(), "':' expected after dictionary key");
                }
            }
            TokenKind::Lpar if header == Some(TokenKind::Def) => {
                return self.at(loc, "expected '('");
            }
            TokenKind::Comma if found.as_augmented_assign_operator().is_some() => {
                if let Some(first) = self.line_first_token(loc.start()) {
                    if let Some(prev) = self.prev_token(loc.start()) {
                        return self.at(
                            TextRange::new(first.start(), prev.end()),
                            "'tuple' is an illegal expression for augmented assignment",
                        );
                    }
                }
            }
            TokenKind::Comma | TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                if let Some(e) = self.forgot_comma(loc) {
                    return e;
                }
            }
            _ => {}
        }
        self.at(loc, "invalid syntax")
    }

    /// `if x = 1:` → `invalid syntax. Maybe you meant '==' or ':=' instead
    /// of '='?`, from the name to the end of the right-hand side.
    fn maybe_meant_equal(&self, eq: TextRange) -> Option<ParseError> {
        let name = self.prev_token(eq.start())?;
        if !is_name_like(name.kind()) {
            return None;
        }
        let mut depth = 0i32;
        let mut end = None;
        for t in &self.tokens[self.token_index(eq.end())..] {
            let k = t.kind();
            if depth == 0
                && matches!(
                    k,
                    TokenKind::Colon | TokenKind::Newline | TokenKind::EndOfFile
                )
            {
                break;
            }
            if is_open(k) {
                depth += 1;
            } else if is_close(k) {
                depth -= 1;
            }
            if !is_trivia(k) {
                end = Some(t.end());
            }
        }
        Some(self.at(
            TextRange::new(name.start(), end?),
            "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
        ))
    }

    /// Two expressions side by side inside brackets.
    fn forgot_comma(&self, loc: TextRange) -> Option<ParseError> {
        let open = self.open_bracket_at(loc.start())?;
        let prev = self.prev_token(loc.start())?;
        let a = self.expr_ending_at(prev.end(), open.end())?;
        let b = self.expr_starting_at(loc.start())?;
        // CPython's `!(NAME STRING | SOFT_KEYWORD)` and legacy print/exec.
        if let Expr::Name(n) = a {
            let id = n.id.as_str();
            if matches!(id, "print" | "exec" | "match" | "case" | "type" | "_")
                || matches!(
                    b,
                    Expr::StringLiteral(_) | Expr::FString(_) | Expr::BytesLiteral(_)
                )
            {
                return None;
            }
        }
        Some(self.at(
            TextRange::new(a.start(), b.end()),
            "invalid syntax. Perhaps you forgot a comma?",
        ))
    }

    fn statements_on_same_line(&self, loc: TextRange) -> ParseError {
        if let (Some(prev), Some(first)) = (
            self.prev_token(loc.start()),
            self.line_first_token(loc.start()),
        ) {
            let legacy = matches!(self.text(prev.range()), "print" | "exec");
            if legacy && prev.start() == first.start() {
                if let Some(b) = self.expr_starting_at(loc.start()) {
                    let name = self.text(prev.range());
                    return self.at(
                        TextRange::new(prev.start(), b.end()),
                        format!(
                            "Missing parentheses in call to '{name}'. Did you mean {name}(...)?"
                        ),
                    );
                }
            }
        }
        self.at(loc, "invalid syntax")
    }

    /// `cannot assign to X`, with 3.10+'s `here. Maybe you meant '=='
    /// instead of '='?` when CPython's `invalid_named_expression` rule
    /// would match first: the target is the statement's first expression,
    /// is not a tuple, list, generator expression or True/False/None, binds
    /// at least as tightly as `|`, is directly followed by the statement's
    /// only `=`, and the value does not start with `not`, `lambda`, `*` or
    /// `yield`.
    fn invalid_assignment(&self, loc: TextRange) -> ParseError {
        let Some(expr) = self.expr_with_range(loc) else {
            return self.at(loc, "cannot assign to expression");
        };
        let name = expr_name(expr);
        let tight = !matches!(
            expr,
            Expr::List(_)
                | Expr::Tuple(_)
                | Expr::Generator(_)
                | Expr::BooleanLiteral(_)
                | Expr::NoneLiteral(_)
                | Expr::Compare(_)
                | Expr::BoolOp(_)
                | Expr::If(_)
                | Expr::Lambda(_)
                | Expr::Starred(_)
                | Expr::Named(_)
        ) && !matches!(expr, Expr::UnaryOp(u) if u.op == ruff_python_ast::UnaryOp::Not);
        let here = tight && self.first_and_only_target(loc);
        if here {
            self.at(
                loc,
                format!("cannot assign to {name} here. Maybe you meant '==' instead of '='?"),
            )
        } else {
            self.at(loc, format!("cannot assign to {name}"))
        }
    }

    fn first_and_only_target(&self, loc: TextRange) -> bool {
        let Some(first) = self.line_first_token(loc.start()) else {
            return false;
        };
        // Only opening parentheses between the statement start and `loc`.
        let (a, b) = (
            self.token_index(first.start()),
            self.token_index(loc.start()),
        );
        let before = self.tokens.get(a..b).unwrap_or(&[]);
        if !before.iter().all(|t| t.kind() == TokenKind::Lpar) {
            return false;
        }
        // Then closing parentheses and `=`.
        let mut rest = self.tokens[self.token_index(loc.end())..]
            .iter()
            .filter(|t| !is_trivia(t.kind()))
            .skip_while(|t| t.kind() == TokenKind::Rpar);
        if rest.next().map(Token::kind) != Some(TokenKind::Equal) {
            return false;
        }
        let value_start = rest.next().map(Token::kind);
        if matches!(
            value_start,
            Some(TokenKind::Not | TokenKind::Lambda | TokenKind::Star | TokenKind::Yield)
        ) {
            return false;
        }
        // No second `=` at depth 0 in the statement.
        let equals = self.tokens[self.token_index(loc.end())..]
            .iter()
            .scan(0i32, |depth, t| {
                let k = t.kind();
                if is_open(k) {
                    *depth += 1;
                } else if is_close(k) {
                    *depth -= 1;
                }
                if *depth <= 0
                    && matches!(
                        k,
                        TokenKind::Newline | TokenKind::EndOfFile | TokenKind::Semi
                    )
                {
                    None
                } else {
                    Some((*depth, k))
                }
            })
            .filter(|&(d, k)| d <= 0 && k == TokenKind::Equal)
            .count();
        equals == 1
    }

    fn other_error(&self, msg: &str, loc: TextRange) -> ParseError {
        if let Some(clause) = msg.strip_prefix("Expected an indented block after ") {
            let what = match clause {
                "`if` statement" => "'if' statement",
                "`else` clause" => "'else' statement",
                "`elif` clause" => "'elif' statement",
                "`for` statement" => "'for' statement",
                "`with` statement" => "'with' statement",
                "`class` definition" => "class definition",
                "`while` statement" => "'while' statement",
                "function definition" => "function definition",
                "`case` block" => "'case' statement",
                "`try` statement" => "'try' statement",
                "`except` clause" => "'except' statement",
                "`finally` clause" => "'finally' statement",
                _ => "statement",
            };
            // The header: the logical line before `loc`.
            let header_line = self
                .prev_token(loc.start())
                .filter(|t| t.kind() == TokenKind::Newline)
                .or_else(|| self.prev_token(loc.start()))
                .and_then(|t| self.line_first_token(t.start()))
                .map_or(1, |t| self.index.pos(t.start()).0);
            let (line, col) = self.index.pos(loc.start());
            let mut e = self.indentation_error(
                line,
                col,
                &format!("expected an indented block after {what} on line {header_line}"),
            );
            let span = self.index.span(loc);
            if span.end_line == line {
                e.end_col = span.end_col;
            }
            return e;
        }
        match msg {
            "Expected `except` or `finally` after `try` block" => {
                self.at(loc, "expected 'except' or 'finally' block")
            }
            "Expected a parameter name" => match self.next_token(loc.end()) {
                Some(eq) if eq.kind() == TokenKind::Equal => self.at(
                    TextRange::new(loc.start(), eq.end()),
                    "expression cannot contain assignment, perhaps you meant \"==\"?",
                ),
                _ => self.at(loc, "invalid syntax"),
            },
            "Bytes literal cannot be mixed with non-bytes literals" => {
                self.point(loc.end(), "cannot mix bytes and nonbytes literals")
            }
            "Trailing comma not allowed" => self.point(
                loc.end(),
                "trailing comma not allowed without surrounding parentheses",
            ),
            _ => self.at(loc, "invalid syntax"),
        }
    }
}
