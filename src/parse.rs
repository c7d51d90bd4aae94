//! # The front end: Python source to [`crate::ast`]
//!
//! [`parse`] runs ruff's parser (`ruff_python_parser`, which accepts the
//! Python 3.13 grammar) and lowers its tree to the project's own
//! [`ast`]. It fails with a [`ParseError`]:
//!
//! * [`ParseErrorKind::Syntax`]: the program is not valid Python, and
//!   CPython would refuse it with a `SyntaxError` (or `IndentationError`,
//!   `TabError`). The line, column and message are CPython's where we know
//!   them (the `syntax` submodule lists which); [`ParseError::render_cpython`]
//!   prints the error the way the interpreter does.
//! * [`ParseErrorKind::Unsupported`]: valid Python outside the interpreter's
//!   subset (`async def`, `with`, `match`, `:=`, annotations, …), or nested
//!   deeper than [`MAX_EXPR_DEPTH`]. No construct is ever dropped silently.
//!
//! When a program has several problems, the one reported is the one CPython
//! would report first: tokenizer errors (anywhere in the file) before
//! parser errors, parser errors before the errors CPython's symbol table
//! finds (`nonlocal` at module level, duplicate parameters, `yield` in a
//! comprehension), those before the compiler's (`'return' outside
//! function`, `'break' outside loop`, starred misuse, repeated keywords),
//! and all of them before an unsupported construct.
//!
//! Submodules: `syntax` maps ruff's syntax errors to CPython's, `lower`
//! builds the AST and finds the semantic errors and unsupported constructs,
//! `lines` turns byte offsets into CPython's line and character columns,
//! `highlight` classifies ruff's tokens for syntax colouring ([`highlight`]).

use std::fmt;

use ruff_python_ast::{Mod, PythonVersion};
use ruff_python_parser::{parse_unchecked, Mode, ParseOptions};

use crate::ast;

mod highlight;
mod lines;
mod lower;
mod syntax;

pub use highlight::{highlight, Highlight, TokenClass};
pub use lower::MAX_EXPR_DEPTH;

/// Whether a program is invalid Python or valid Python outside the subset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// CPython would reject the program at compile time.
    Syntax,
    /// Valid Python that the interpreter does not support.
    Unsupported,
}

/// The exception class CPython raises for a syntax error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxErrorClass {
    /// `SyntaxError`.
    SyntaxError,
    /// `IndentationError` (a subclass of `SyntaxError`).
    IndentationError,
    /// `TabError` (a subclass of `IndentationError`).
    TabError,
}

impl SyntaxErrorClass {
    /// The class's name, as CPython prints it.
    pub const fn name(self) -> &'static str {
        match self {
            SyntaxErrorClass::SyntaxError => "SyntaxError",
            SyntaxErrorClass::IndentationError => "IndentationError",
            SyntaxErrorClass::TabError => "TabError",
        }
    }
}

/// Why a source file could not be turned into an [`ast::Module`].
///
/// Positions follow CPython's `SyntaxError` attributes, in characters:
/// `line`/`col` are its `lineno`/`offset` (1-based), `end_line`/`end_col`
/// its `end_lineno`/`end_offset` (exclusive). When CPython gives no useful
/// end (`end_offset` of 0 or -1), `end_col` equals `col`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Syntax error or unsupported construct.
    pub kind: ParseErrorKind,
    /// The exception class (always `SyntaxError` for unsupported constructs).
    pub class: SyntaxErrorClass,
    /// The file name given to [`parse`].
    pub file_name: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based character column.
    pub col: u32,
    /// 1-based end line.
    pub end_line: u32,
    /// 1-based exclusive end column.
    pub end_col: u32,
    /// CPython's message (`expected ':'`), or the unsupported construct
    /// (`async def`).
    pub message: String,
}

impl fmt::Display for ParseError {
    /// `x.py:3:5: SyntaxError: expected ':'` or
    /// `x.py:4:1: unsupported: async def`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ParseErrorKind::Syntax => write!(
                f,
                "{}:{}:{}: {}: {}",
                self.file_name,
                self.line,
                self.col,
                self.class.name(),
                self.message
            ),
            ParseErrorKind::Unsupported => write!(
                f,
                "{}:{}:{}: unsupported: {}",
                self.file_name, self.line, self.col, self.message
            ),
        }
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    /// Renders the error as CPython 3.11 prints an uncaught `SyntaxError`
    /// when running a file, e.g.
    ///
    /// ```text
    ///   File "x.py", line 3
    ///     if x
    ///         ^
    /// SyntaxError: expected ':'
    /// ```
    ///
    /// This is `print_exception` and `print_error_text` of 3.11's
    /// `Python/pythonrun.c`: the source line is printed with its leading
    /// spaces, tabs and form feeds removed; the caret line is indented by
    /// the column minus what was removed, and no caret line is printed when
    /// the column points into the removed indentation (as for `unexpected
    /// indent` and `TabError`). A `SyntaxError` whose span stays on one line
    /// gets `end_col - col` carets (at least one); one that runs onto later
    /// lines is underlined to the end of its first line; `IndentationError`
    /// and `TabError` always get a single caret. An unsupported construct
    /// renders as its [`Display`](fmt::Display) line.
    ///
    /// Differences between versions (seen with 3.8.18, 3.9.18, 3.10.13,
    /// 3.11.7, 3.12.1 and 3.13.0):
    ///
    /// * 3.8 and 3.9 print a single caret, never a range. 3.8's old parser
    ///   also places it differently (often one column earlier, at the start
    ///   of the offending statement for compiler errors) and words many
    ///   messages differently (`invalid syntax` where 3.10+ says
    ///   `expected ':'`, `unexpected EOF while parsing` where 3.10+ says
    ///   `'(' was never closed`, `EOL while scanning string literal`).
    /// * 3.10 to 3.12 print like 3.11.
    /// * 3.13 prints through the `traceback` module: `IndentationError` gets
    ///   its full caret range too (`^^^^` under `pass` for a missing block),
    ///   only spaces and form feeds are stripped from the source line (tabs
    ///   are kept and copied into the caret line), and some end columns
    ///   differ by one (`expected ':'` has `end_col = col + 1`).
    /// * 3.9 to 3.12 place the caret by UTF-8 byte on lines with non-ASCII
    ///   text before the error; 3.13 (and this function) count characters.
    /// * 3.8 and 3.9 show the file name as given on the command line, 3.9+
    ///   show the absolute path when running a script; this function prints
    ///   the `file_name` given to [`parse`].
    pub fn render_cpython(&self, source: &str) -> String {
        if self.kind == ParseErrorKind::Unsupported {
            return format!("{self}\n");
        }
        let mut out = format!("  File \"{}\", line {}\n", self.file_name, self.line);
        if let Some(text) = lines::line_text(source, self.line) {
            // CPython's `text` is the line with its newline (when it has one).
            let line_size = text.chars().count() as i64 + 1;
            let offset = i64::from(self.col);
            let mut end_offset = if self.class == SyntaxErrorClass::SyntaxError {
                if self.end_line > self.line {
                    line_size
                } else {
                    i64::from(self.end_col)
                }
            } else {
                -1
            };
            if end_offset > line_size + 1 {
                end_offset = line_size + 1;
            }
            let carets = if end_offset > 0 && end_offset > offset {
                end_offset - offset
            } else {
                1
            };
            let stripped = text.trim_start_matches([' ', '\t', '\x0c']);
            let removed = (text.chars().count() - stripped.chars().count()) as i64;
            let len = stripped.chars().count() as i64;
            let caret_col = (offset - 1 - removed).min(len);
            out.push_str("    ");
            out.push_str(stripped);
            out.push('\n');
            if caret_col >= 0 {
                out.push_str("    ");
                out.extend(std::iter::repeat_n(' ', caret_col as usize));
                out.extend(std::iter::repeat_n('^', carets as usize));
                out.push('\n');
            }
        }
        out.push_str(self.class.name());
        out.push_str(": ");
        out.push_str(&self.message);
        out.push('\n');
        out
    }
}

/// Parses `source` (the contents of `file_name`) into the interpreter's AST.
///
/// The grammar is CPython 3.13's. A leading byte-order mark is ignored, as
/// CPython does. See the [module docs](self) for the errors.
pub fn parse(file_name: &str, source: &str) -> Result<ast::Module, ParseError> {
    let src = source.strip_prefix('\u{feff}').unwrap_or(source);
    let index = lines::LineIndex::new(src);
    let options = ParseOptions::from(Mode::Module).with_target_version(PythonVersion::PY313);
    if let Some(mut e) = syntax::precheck(src, &index) {
        e.file_name = file_name.to_string();
        return Err(e);
    }
    let parsed = parse_unchecked(src, options);
    let result = match parsed.syntax() {
        Mod::Module(module) => {
            let deep = lower::too_deep(module);
            let result = match syntax::first_error(src, &index, &parsed, module) {
                Some(e) => Err(e),
                None => lower::lower_module(src, &index, parsed.tokens(), module),
            };
            if deep {
                // Dropping a tree this deep would recurse past the stack.
                std::mem::forget(parsed);
            }
            result
        }
        // Mode::Module always yields a module.
        Mod::Expression(_) => Err(ParseError {
            kind: ParseErrorKind::Syntax,
            class: SyntaxErrorClass::SyntaxError,
            file_name: String::new(),
            line: 1,
            col: 1,
            end_line: 1,
            end_col: 1,
            message: "invalid syntax".to_string(),
        }),
    };
    result.map_err(|mut e| {
        e.file_name = file_name.to_string();
        e
    })
}
