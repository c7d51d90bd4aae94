//! Syntax highlighting: ruff's token stream, classified for display.
//!
//! [`highlight`] parses the source with ruff's parser (in its error
//! recovering mode, so any text gives tokens) and classifies every token
//! that has text: keywords (`True`, `False` and `None` included), the
//! names of CPython's `builtins` module, other names, the name a `def` or
//! `class` statement defines, strings (each piece of an f-string: its
//! start, its literal middles and its end; the expressions inside the
//! braces are classified as code), numbers, comments, operators and
//! punctuation, decorators (the `@` and the dotted name after it) and
//! what the tokenizer could not read (an unterminated string, a stray
//! `$`). Whitespace, newlines and indentation get no span.
//!
//! Input nested deeply enough to exhaust the parser's stack (the limits of
//! `syntax::precheck`: more than 200 open brackets, 100 indentation
//! levels, or a long run of prefix operators) is never parsed: it is
//! classified by a plain character scanner instead (`scan`), which knows
//! strings, comments, numbers, names and operators but no context beyond
//! `def`/`class`.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{Mod, PythonVersion, StringFlags};
use ruff_python_parser::{parse_unchecked, Mode, ParseOptions};
use ruff_text_size::Ranged;

/// What a span of source text is, for colouring.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum TokenClass {
    /// A keyword (`if`, `def`, `True`, `None`, a soft keyword where it
    /// acts as one).
    Keyword,
    /// A name of CPython's `builtins` module (`print`, `len`, `list`,
    /// `ValueError`), not after a `.`.
    Builtin,
    /// Any other name.
    Name,
    /// The name a `def` or `class` statement binds.
    Def,
    /// A string literal, or a literal piece of an f-string.
    String,
    /// An int, float or imaginary literal.
    Number,
    /// A comment.
    Comment,
    /// An operator, bracket or other punctuation.
    Operator,
    /// A decorator: its `@` and the dotted name after it.
    Decorator,
    /// Text the tokenizer could not read.
    Error,
}

/// One classified span of the source: byte offsets, `end` exclusive.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Highlight {
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset just past the last byte.
    pub end: u32,
    /// What the text is.
    pub class: TokenClass,
}

/// The spans of `source` to colour, sorted and non-overlapping, as byte
/// offsets into `source` (a leading byte-order mark is skipped). Never
/// panics: invalid Python gives [`TokenClass::Error`] spans where the
/// tokenizer failed and ordinary spans elsewhere.
pub fn highlight(source: &str) -> Vec<Highlight> {
    // The lexer only takes sources whose offsets fit a u32.
    if u32::try_from(source.len()).is_err() {
        return Vec::new();
    }
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let src = &source[bom..];
    let mut out = Out {
        spans: Vec::new(),
        base: bom as u32,
    };
    if super::syntax::too_deep(src).is_some() {
        scan(src, &mut out);
        return out.spans;
    }
    let options = ParseOptions::from(Mode::Module).with_target_version(PythonVersion::PY313);
    let parsed = parse_unchecked(src, options);
    classify(src, parsed.tokens(), &mut out);
    let deep = match parsed.syntax() {
        Mod::Module(m) => super::lower::too_deep(m),
        Mod::Expression(_) => false,
    };
    if deep {
        // Dropping a tree this deep would recurse past the stack (see
        // `super::parse`).
        std::mem::forget(parsed);
    }
    out.spans
}

/// The spans found so far, offset by `base` (the byte-order mark).
struct Out {
    spans: Vec<Highlight>,
    base: u32,
}

impl Out {
    /// Adds `start..end` (offsets into the source without its byte-order
    /// mark) unless it is empty or overlaps the previous span.
    fn push(&mut self, start: usize, end: usize, class: TokenClass) {
        let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(end)) else {
            return;
        };
        let (start, end) = (start + self.base, end + self.base);
        if start >= end || self.spans.last().is_some_and(|h| h.end > start) {
            return;
        }
        self.spans.push(Highlight { start, end, class });
    }
}

/// True for a name of CPython's `builtins` module that a highlighter
/// should mark (module dunders such as `__name__` are left as names).
fn is_builtin(name: &str) -> bool {
    !name.starts_with("__") && crate::interp::is_python_builtin(name)
}

/// Classifies ruff's tokens.
fn classify(src: &str, tokens: &[ruff_python_ast::token::Token], out: &mut Out) {
    // The last token that is neither trivia nor a newline, and whether it
    // ended a logical line (a decorator's `@` starts a statement).
    let mut prev = TokenKind::Newline;
    let mut in_decorator = false;
    for tok in tokens {
        let kind = tok.kind();
        let range = tok.range();
        let (start, end) = (range.start().to_usize(), range.end().to_usize());
        let class = match kind {
            TokenKind::Name => {
                if matches!(prev, TokenKind::Def | TokenKind::Class) {
                    Some(TokenClass::Def)
                } else if in_decorator {
                    Some(TokenClass::Decorator)
                } else if prev == TokenKind::Dot {
                    Some(TokenClass::Name)
                } else if src.get(start..end).is_some_and(is_builtin) {
                    Some(TokenClass::Builtin)
                } else {
                    Some(TokenClass::Name)
                }
            }
            TokenKind::Dot if in_decorator => Some(TokenClass::Decorator),
            TokenKind::At
                if matches!(
                    prev,
                    TokenKind::Newline | TokenKind::Indent | TokenKind::Dedent
                ) =>
            {
                in_decorator = true;
                Some(TokenClass::Decorator)
            }
            TokenKind::Int | TokenKind::Float | TokenKind::Complex => Some(TokenClass::Number),
            TokenKind::String
            | TokenKind::FStringStart
            | TokenKind::FStringMiddle
            | TokenKind::FStringEnd
            | TokenKind::TStringStart
            | TokenKind::TStringMiddle
            | TokenKind::TStringEnd => {
                // An unterminated string is the tokenizer's error.
                if tok.string_flags().is_some_and(|f| f.is_unclosed()) {
                    Some(TokenClass::Error)
                } else {
                    Some(TokenClass::String)
                }
            }
            TokenKind::Comment => Some(TokenClass::Comment),
            TokenKind::Unknown | TokenKind::IpyEscapeCommand => Some(TokenClass::Error),
            TokenKind::Newline
            | TokenKind::NonLogicalNewline
            | TokenKind::Indent
            | TokenKind::Dedent
            | TokenKind::EndOfFile => None,
            k if k.is_keyword() => Some(TokenClass::Keyword),
            _ => Some(TokenClass::Operator),
        };
        if !matches!(kind, TokenKind::Name | TokenKind::Dot | TokenKind::At) {
            in_decorator = false;
        }
        if let Some(class) = class {
            out.push(start, end, class);
        }
        if !matches!(kind, TokenKind::Comment | TokenKind::NonLogicalNewline) {
            prev = kind;
        }
    }
}

/// Python's keywords (3.13), for the plain scanner.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// True for a string prefix (`r`, `b`, `f`, `u`, `t` and their two-letter
/// combinations, any case).
fn is_string_prefix(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    matches!(
        w.as_str(),
        "r" | "b" | "f" | "u" | "t" | "rb" | "br" | "fr" | "rf" | "tr" | "rt"
    )
}

/// The plain character scanner for input too deep to parse: strings
/// (with prefixes, triple quotes and escapes; an unterminated one runs to
/// the end of its line, or of the text when triple-quoted, and is an
/// error), comments, numbers, names and one-character operators.
fn scan(src: &str, out: &mut Out) {
    let bytes = src.as_bytes();
    let mut i = 0;
    let mut prev_word: &str = "";
    while i < bytes.len() {
        let Some(c) = src[i..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        if c == '#' {
            let end = src[i..].find(['\n', '\r']).map_or(src.len(), |n| i + n);
            out.push(i, end, TokenClass::Comment);
            i = end;
        } else if c == '"' || c == '\'' {
            let (end, ok) = scan_string(src, i);
            let class = if ok {
                TokenClass::String
            } else {
                TokenClass::Error
            };
            out.push(i, end, class);
            i = end;
            prev_word = "";
        } else if c.is_ascii_digit()
            || (c == '.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            let mut end = i + 1;
            while end < bytes.len()
                && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_' || bytes[end] == b'.')
            {
                end += 1;
            }
            out.push(i, end, TokenClass::Number);
            i = end;
            prev_word = "";
        } else if c == '_' || c.is_alphabetic() {
            let end = src[i..]
                .char_indices()
                .find(|&(_, ch)| !(ch == '_' || ch.is_alphanumeric()))
                .map_or(src.len(), |(n, _)| i + n);
            let word = &src[i..end];
            if matches!(bytes.get(end), Some(b'"' | b'\'')) && is_string_prefix(word) {
                let (send, ok) = scan_string(src, end);
                let class = if ok {
                    TokenClass::String
                } else {
                    TokenClass::Error
                };
                out.push(i, send, class);
                i = send;
                prev_word = "";
                continue;
            }
            let class = if prev_word == "def" || prev_word == "class" {
                TokenClass::Def
            } else if KEYWORDS.contains(&word) {
                TokenClass::Keyword
            } else if is_builtin(word) {
                TokenClass::Builtin
            } else {
                TokenClass::Name
            };
            out.push(i, end, class);
            prev_word = word;
            i = end;
        } else if c.is_whitespace() || c == '\\' {
            i += len;
        } else if c.is_ascii_punctuation() {
            out.push(i, i + 1, TokenClass::Operator);
            i += 1;
            prev_word = "";
        } else {
            out.push(i, i + len, TokenClass::Error);
            i += len;
            prev_word = "";
        }
    }
}

/// The end of the string literal whose opening quote is at byte `i`, and
/// whether it was closed.
fn scan_string(src: &str, i: usize) -> (usize, bool) {
    let bytes = src.as_bytes();
    let q = bytes[i];
    let triple = bytes.get(i + 1) == Some(&q) && bytes.get(i + 2) == Some(&q);
    let mut j = if triple { i + 3 } else { i + 1 };
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b if b == q => {
                if !triple {
                    return (j + 1, true);
                }
                if bytes.get(j + 1) == Some(&q) && bytes.get(j + 2) == Some(&q) {
                    return (j + 3, true);
                }
                j += 1;
            }
            b'\n' | b'\r' if !triple => return (j, false),
            _ => j += 1,
        }
    }
    // `j` may have stepped past the end over a final backslash.
    let mut end = j.min(src.len());
    while !src.is_char_boundary(end) {
        end -= 1;
    }
    (end, false)
}

#[cfg(test)]
mod tests {
    use super::TokenClass::*;
    use super::*;

    /// `(text, class)` of every span.
    fn show(src: &str) -> Vec<(&str, TokenClass)> {
        highlight(src)
            .iter()
            .map(|h| (&src[h.start as usize..h.end as usize], h.class))
            .collect()
    }

    /// Spans sorted, non-overlapping, non-empty, on character boundaries.
    fn well_formed(src: &str) {
        let mut last = 0;
        for h in highlight(src) {
            assert!(h.start >= last && h.start < h.end, "{src:?}: {h:?}");
            assert!((h.end as usize) <= src.len());
            assert!(src.is_char_boundary(h.start as usize) && src.is_char_boundary(h.end as usize));
            last = h.end;
        }
    }

    #[test]
    fn a_function_with_a_decorator() {
        let src = "@cache\ndef f(x=None):  # doc\n    return len(x) + 1.5\n";
        // Byte offsets counted by hand: `@` 0, `cache` 1..6, `def` 7..10, ...
        let expected = [
            (0, 1, Decorator),
            (1, 6, Decorator),
            (7, 10, Keyword),
            (11, 12, Def),
            (12, 13, Operator),
            (13, 14, Name),
            (14, 15, Operator),
            (15, 19, Keyword),
            (19, 20, Operator),
            (20, 21, Operator),
            (23, 28, Comment),
            (33, 39, Keyword),
            (40, 43, Builtin),
            (43, 44, Operator),
            (44, 45, Name),
            (45, 46, Operator),
            (47, 48, Operator),
            (49, 52, Number),
        ];
        let got: Vec<_> = highlight(src)
            .iter()
            .map(|h| (h.start, h.end, h.class))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn classes_keywords_attributes_and_matmul() {
        assert_eq!(
            show("class C(list): pass\nx = a.print @ b if True else None\n"),
            [
                ("class", Keyword),
                ("C", Def),
                ("(", Operator),
                ("list", Builtin),
                (")", Operator),
                (":", Operator),
                ("pass", Keyword),
                ("x", Name),
                ("=", Operator),
                ("a", Name),
                (".", Operator),
                // An attribute named like a built-in is a plain name.
                ("print", Name),
                // `@` inside an expression is matrix multiplication.
                ("@", Operator),
                ("b", Name),
                ("if", Keyword),
                ("True", Keyword),
                ("else", Keyword),
                ("None", Keyword),
            ]
        );
    }

    #[test]
    fn f_string_pieces_are_strings_and_their_expressions_code() {
        assert_eq!(
            show("f'a{x!r:>4}b'\n"),
            [
                ("f'", String),
                ("a", String),
                ("{", Operator),
                ("x", Name),
                ("!", Operator),
                ("r", Name),
                (":", Operator),
                (">4", String),
                ("}", Operator),
                ("b", String),
                ("'", String),
            ]
        );
    }

    #[test]
    fn soft_keywords_only_where_they_act_as_keywords() {
        assert_eq!(
            show("match = 1\nmatch match:\n    case 1: pass\n"),
            [
                ("match", Name),
                ("=", Operator),
                ("1", Number),
                ("match", Keyword),
                ("match", Name),
                (":", Operator),
                ("case", Keyword),
                ("1", Number),
                (":", Operator),
                ("pass", Keyword),
            ]
        );
    }

    #[test]
    fn errors_unterminated_strings_crlf_tabs_and_bom() {
        assert_eq!(
            show("x = 'abc\ny = $\n"),
            [
                ("x", Name),
                ("=", Operator),
                ("'abc", Error),
                ("y", Name),
                ("=", Operator),
                ("$", Error),
            ]
        );
        assert_eq!(
            show("s = '''abc\n"),
            [("s", Name), ("=", Operator), ("'''abc\n", Error)]
        );
        assert_eq!(
            show("if x:\r\n\tpass\r\n"),
            [
                ("if", Keyword),
                ("x", Name),
                (":", Operator),
                ("pass", Keyword)
            ]
        );
        // Offsets stay offsets into the text given, byte-order mark included.
        let h = highlight("\u{feff}id(1)");
        assert_eq!((h[0].start, h[0].end, h[0].class), (3, 5, Builtin));
        for src in [
            "f'abc",
            "f'{",
            "f'{x",
            "'''",
            "\\",
            "x = (\n",
            "é = '€'\n",
            "\t\n  \tx\n",
        ] {
            well_formed(src);
        }
    }

    #[test]
    fn input_too_deep_to_parse_is_scanned() {
        let src = format!(
            "def g(): pass\nx = {}1{} # c\ns = 'a' + r\"b\" + 'open\n",
            "(".repeat(300),
            ")".repeat(300)
        );
        well_formed(&src);
        let spans = show(&src);
        assert_eq!(&spans[..3], [("def", Keyword), ("g", Def), ("(", Operator)]);
        assert!(spans.contains(&("1", Number)));
        assert!(spans.contains(&("# c", Comment)));
        assert!(spans.contains(&("r\"b\"", String)));
        assert!(spans.contains(&("'open", Error)));
        assert_eq!(spans.iter().filter(|s| s.0 == "(").count(), 301);
        let minus = format!("x = {}1\n", "-".repeat(500));
        well_formed(&minus);
        assert_eq!(show(&minus).len(), 503);
    }

    #[test]
    fn ten_thousand_lines_and_odd_input_never_panic() {
        let mut src = std::string::String::new();
        for i in 0..10_000 {
            src.push_str(&format!("x{i} = [{i}, 'a{i}', f'{{x{i}}}']  # {i}\n"));
        }
        well_formed(&src);
        // x = [ i , 'a' , f' { x } ' ] #: 14 spans a line.
        assert_eq!(highlight(&src).len(), 10_000 * 14);
        // Every prefix of a program with most token kinds, cut anywhere.
        let prog = "@d\nclass C:\n    def f(self, *a, **k) -> 'T':\n        return f\"{a!r:{k}}\" + b'\\x00' + 0x_1f + 1e-3j  # é\n\tz = $ \\\n";
        for (i, _) in prog.char_indices() {
            well_formed(&prog[..i]);
        }
    }
}
