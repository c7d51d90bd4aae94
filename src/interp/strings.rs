//! `str` operations: repetition, printf-style `%` formatting, slicing and
//! the common methods, returning the same object where CPython does
//! (`unicode_result_unchanged`: `s.strip()` with nothing to strip is `s`)
//! and the cached empty and one-character strings where it does.

use super::*;

impl Interp {
    /// A new str result (cached when empty or one latin-1 character).
    pub(super) fn new_str(&mut self, s: &str, line: u32) -> R<ObjRef> {
        let made = self.objs.str(s);
        self.mem(made, line)
    }

    /// `s` itself (a new reference), as an unchanged exact str is returned.
    fn same(&mut self, s: ObjRef) -> R<ObjRef> {
        self.objs.incref(s);
        Ok(s)
    }

    /// `str * n` (`unicode_repeat`): `s` itself when `n == 1`.
    pub(super) fn str_repeat(&mut self, s: ObjRef, n: &BigInt, span: ast::Span) -> R<ObjRef> {
        let Payload::Str(text) = self.payload(s).clone() else {
            return unsupported(span, "repeating this type");
        };
        let n = repeat_count(n);
        if n == 1 || text.is_empty() {
            return self.same(s);
        }
        if n.saturating_mul(text.len()) > 10_000_000 {
            return unsupported(span, "a string repetition this large");
        }
        self.new_str(&text.repeat(n), span.line)
    }

    /// `s[lo:hi]` / `s[lo:hi:step]` of a str (`PyUnicode_Substring`):
    /// the whole string is `s` itself.
    pub(super) fn str_slice(
        &mut self,
        s: ObjRef,
        text: &str,
        idx: &[usize],
        span: ast::Span,
    ) -> R<ObjRef> {
        if idx.len() == text.chars().count() && idx.iter().enumerate().all(|(i, &j)| i == j) {
            return self.same(s);
        }
        let chars: Vec<char> = text.chars().collect();
        let out: String = idx.iter().map(|&i| chars[i]).collect();
        self.new_str(&out, span.line)
    }

    /// `fmt % args` (`PyUnicode_Format`).
    pub(super) fn str_percent(&mut self, fmt: &str, args: ObjRef, span: ast::Span) -> R<ObjRef> {
        let (values, tuple) = match self.payload(args) {
            Payload::Tuple(items) => (items.clone(), true),
            Payload::Dict { .. } => return unsupported(span, "%-formatting with a mapping"),
            _ => (vec![args], false),
        };
        self.str_percent_values(fmt, &values, tuple, span)
    }

    /// `fmt % (a, b, ...)` that 3.11+ compiled as an f-string (see
    /// [`crate::format::percent_as_fstring`]): the items are formatted one by one
    /// (`FORMAT_VALUE`) and joined (`BUILD_STRING`), with no tuple. The
    /// text is the `%` formatting's.
    pub(super) fn str_percent_items(
        &mut self,
        fmt: &str,
        items: &[Expr],
        span: ast::Span,
    ) -> R<ObjRef> {
        let values = self.eval_all(items)?;
        let r = self.str_percent_values(fmt, &values, true, span);
        self.release(values);
        r
    }

    /// `PyUnicode_Format` of `values` (borrowed): the tuple's items, or
    /// the lone non-tuple argument.
    fn str_percent_values(
        &mut self,
        fmt: &str,
        values: &[ObjRef],
        tuple: bool,
        span: ast::Span,
    ) -> R<ObjRef> {
        let line = span.line;
        let mut out = String::new();
        let mut next = 0usize;
        let mut chars = fmt.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut flags = String::new();
            while let Some(&f) = chars.peek() {
                if matches!(f, '-' | '+' | ' ' | '#' | '0') {
                    flags.push(f);
                    chars.next();
                } else {
                    break;
                }
            }
            let mut width = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                width.push(d);
                chars.next();
            }
            let mut precision = None;
            if chars.peek() == Some(&'.') {
                chars.next();
                let mut p = String::new();
                while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    p.push(d);
                    chars.next();
                }
                precision = Some(p);
            }
            let Some(conv) = chars.next() else {
                return exc(line, "ValueError", "incomplete format");
            };
            if conv == '%' && flags.is_empty() && width.is_empty() && precision.is_none() {
                out.push('%');
                continue;
            }
            let Some(&v) = values.get(next) else {
                return exc(line, "TypeError", "not enough arguments for format string");
            };
            next += 1;
            let piece = self.percent_one(v, &flags, &width, precision.as_deref(), conv, span)?;
            out.push_str(&piece);
        }
        if next < values.len() && tuple {
            return exc(
                line,
                "TypeError",
                "not all arguments converted during string formatting",
            );
        }
        if next == 0 && !values.is_empty() && !tuple {
            return exc(
                line,
                "TypeError",
                "not all arguments converted during string formatting",
            );
        }
        self.new_str(&out, line)
    }

    /// One `%` conversion, through the format-spec mini-language where the
    /// two agree.
    fn percent_one(
        &mut self,
        v: ObjRef,
        flags: &str,
        width: &str,
        precision: Option<&str>,
        conv: char,
        span: ast::Span,
    ) -> R<String> {
        let line = span.line;
        let align = if flags.contains('-') { "<" } else { "" };
        let sign = if flags.contains('+') {
            "+"
        } else if flags.contains(' ') {
            " "
        } else {
            ""
        };
        let zero = if flags.contains('0') && !flags.contains('-') {
            "0"
        } else {
            ""
        };
        let prec = precision
            .map(|p| format!(".{}", if p.is_empty() { "0" } else { p }))
            .unwrap_or_default();
        match conv {
            's' | 'r' | 'a' => {
                if conv == 'a' {
                    return unsupported(span, "%a");
                }
                let s = if conv == 's' {
                    self.str_of(v)?
                } else {
                    self.repr(v)?
                };
                let align = if align.is_empty() { ">" } else { align };
                let spec = format!("{align}{width}{prec}");
                self.format_str(&s, &spec, line)
            }
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                let i = match self.payload(v) {
                    Payload::Int(i) => i.clone(),
                    Payload::Bool(b) => BigInt::from(*b as u8),
                    Payload::Float(f) if matches!(conv, 'd' | 'i' | 'u') => {
                        match numeric::float_to_int(*f) {
                            Ok(i) => i,
                            Err(err) => {
                                return Err(Unwind::Exc(Raised::new(ExcVal::Lazy(err), line)))
                            }
                        }
                    }
                    p => {
                        let t = p.type_name();
                        let what = if !matches!(conv, 'd' | 'i' | 'u') {
                            "an integer"
                        } else if self.v().minor() >= 10 {
                            "a real number"
                        } else {
                            "a number"
                        };
                        return if crate::attrs::known_attrs(t).is_some() {
                            exc(
                                line,
                                "TypeError",
                                format!("%{conv} format: {what} is required, not {t}"),
                            )
                        } else {
                            unsupported(span, format!("%{conv} of {t}"))
                        };
                    }
                };
                if precision.is_some() {
                    return unsupported(span, "a precision on an integer conversion");
                }
                let alt = if flags.contains('#') && conv != 'd' {
                    "#"
                } else {
                    ""
                };
                let ty = match conv {
                    'x' => "x",
                    'X' => "X",
                    'o' => "o",
                    _ => "d",
                };
                let spec = format!("{align}{sign}{alt}{zero}{width}{ty}");
                format::format_int(self.v(), &i, &spec).map_err(|err| format_unwind(err, line))
            }
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                let Some(n) = self.num(v) else {
                    let t = self.payload(v).type_name();
                    return exc(line, "TypeError", format!("must be real number, not {t}"));
                };
                let f = match numeric::to_float(&n) {
                    Ok(f) => f,
                    Err(err) => return Err(Unwind::Exc(Raised::new(ExcVal::Lazy(err), line))),
                };
                let alt = if flags.contains('#') { "#" } else { "" };
                // %-formatting defaults to precision 6, as format()'s f/e/g do.
                let prec = if prec.is_empty() {
                    ".6".to_string()
                } else {
                    prec
                };
                let spec = format!("{align}{sign}{alt}{zero}{width}{prec}{conv}");
                format::format_float(self.v(), f, &spec).map_err(|err| format_unwind(err, line))
            }
            'c' => {
                let s = match self.payload(v) {
                    Payload::Int(i) => match i.to_u32().and_then(char::from_u32) {
                        Some(c) => c.to_string(),
                        None => return exc(line, "OverflowError", "%c arg not in range(0x110000)"),
                    },
                    Payload::Str(s) if s.chars().count() == 1 => s.to_string(),
                    _ => return unsupported(span, "%c of this value"),
                };
                let align = if align.is_empty() { ">" } else { align };
                self.format_str(&s, &format!("{align}{width}"), line)
            }
            other => unsupported(span, format!("the % conversion {other:?}")),
        }
    }

    /// A method of `str`.
    pub(super) fn str_method(
        &mut self,
        s: ObjRef,
        text: &str,
        name: &str,
        args: &[ObjRef],
        span: ast::Span,
    ) -> R<ObjRef> {
        let line = span.line;
        let arg_str = |me: &Self, i: usize| -> Option<String> {
            match args.get(i).map(|&a| me.payload(a)) {
                Some(Payload::Str(x)) => Some(x.to_string()),
                _ => None,
            }
        };
        match (name, args.len()) {
            ("lower" | "upper", 0) => {
                if !text.is_ascii() {
                    return unsupported(span, format!("str.{name}() of non-ASCII text"));
                }
                // ascii_upper_or_lower always makes a new string.
                let out = if name == "lower" {
                    text.to_ascii_lowercase()
                } else {
                    text.to_ascii_uppercase()
                };
                self.new_str(&out, line)
            }
            ("strip" | "lstrip" | "rstrip", 0 | 1) => {
                let set: Option<Vec<char>> = match args.first() {
                    None => None,
                    Some(&a) => match self.payload(a) {
                        Payload::Str(x) => Some(x.chars().collect()),
                        Payload::None => None,
                        _ => return unsupported(span, format!("str.{name}() of a non-str")),
                    },
                };
                let strip = |c: char| match &set {
                    Some(cs) => cs.contains(&c),
                    None => c.is_whitespace(),
                };
                let out = match name {
                    "strip" => text.trim_matches(strip),
                    "lstrip" => text.trim_start_matches(strip),
                    _ => text.trim_end_matches(strip),
                };
                if out.len() == text.len() {
                    return self.same(s);
                }
                let out = out.to_string();
                self.new_str(&out, line)
            }
            ("replace", 2) => {
                let (Some(old), Some(new)) = (arg_str(self, 0), arg_str(self, 1)) else {
                    return unsupported(span, "str.replace() of non-strs");
                };
                if old.is_empty() {
                    return unsupported(span, "str.replace() of an empty string");
                }
                if !text.contains(&old) {
                    return self.same(s);
                }
                let out = text.replace(&old, &new);
                self.new_str(&out, line)
            }
            ("startswith" | "endswith", 1) => {
                let Some(p) = arg_str(self, 0) else {
                    return unsupported(span, format!("str.{name}() of a non-str"));
                };
                let b = if name == "startswith" {
                    text.starts_with(&p)
                } else {
                    text.ends_with(&p)
                };
                Ok(self.objs.bool(b))
            }
            ("find" | "index" | "count" | "rfind" | "rindex", 1) => {
                let Some(p) = arg_str(self, 0) else {
                    return unsupported(span, format!("str.{name}() of a non-str"));
                };
                let n: i64 = if name == "count" {
                    if p.is_empty() {
                        text.chars().count() as i64 + 1
                    } else {
                        text.matches(&p).count() as i64
                    }
                } else {
                    let at = if name.starts_with('r') {
                        text.rfind(&p)
                    } else {
                        text.find(&p)
                    };
                    match at {
                        Some(b) => text[..b].chars().count() as i64,
                        None if name.ends_with("index") => {
                            return exc(line, "ValueError", "substring not found")
                        }
                        None => -1,
                    }
                };
                self.make_num(Num::Int(BigInt::from(n)), line)
            }
            ("center" | "ljust" | "rjust" | "zfill", 1 | 2) => {
                let Some(w) = args.first().and_then(|&a| self.as_index(a)) else {
                    return unsupported(span, format!("str.{name}() of a non-int width"));
                };
                let fill = match args.get(1) {
                    None => ' ',
                    Some(_) => match arg_str(self, 1) {
                        Some(f) if f.chars().count() == 1 => f.chars().next().unwrap_or(' '),
                        _ => return unsupported(span, format!("str.{name}() with this fill")),
                    },
                };
                let len = text.chars().count() as i64;
                if w <= len {
                    return self.same(s);
                }
                if w > 10_000_000 {
                    return unsupported(span, "padding this wide");
                }
                let marg = (w - len) as usize;
                let (left, right) = match name {
                    // pad(): left = marg / 2 + (marg & width & 1).
                    "center" => {
                        let left = marg / 2 + (marg & (w as usize) & 1);
                        (left, marg - left)
                    }
                    "ljust" => (0, marg),
                    _ => (marg, 0),
                };
                let out = if name == "zfill" {
                    let (sign, rest) = match text.chars().next() {
                        Some(c @ ('+' | '-')) => (c.to_string(), &text[1..]),
                        _ => (String::new(), text),
                    };
                    format!("{sign}{}{rest}", "0".repeat(marg))
                } else {
                    let f = fill.to_string();
                    format!("{}{text}{}", f.repeat(left), f.repeat(right))
                };
                self.new_str(&out, line)
            }
            // Without a maximum, rsplit's pieces are split's (it builds
            // the list from the right and reverses it).
            ("split" | "rsplit", 0 | 1) => self.str_split(s, text, args.first().copied(), span),
            ("partition" | "rpartition", 1) => {
                let Some(p) = arg_str(self, 0) else {
                    return unsupported(span, format!("str.{name}() of a non-str"));
                };
                if p.is_empty() {
                    return exc(line, "ValueError", "empty separator");
                }
                let at = if name == "partition" {
                    text.find(&p)
                } else {
                    text.rfind(&p)
                };
                // stringlib_partition: the str itself and two empty strs
                // when the separator is missing, else new head and tail
                // strs around the separator object.
                let parts = match at {
                    None if name == "partition" => {
                        self.objs.incref(s);
                        let e1 = self.new_str("", line)?;
                        let e2 = self.new_str("", line)?;
                        vec![s, e1, e2]
                    }
                    None => {
                        let e1 = self.new_str("", line)?;
                        let e2 = self.new_str("", line)?;
                        self.objs.incref(s);
                        vec![e1, e2, s]
                    }
                    Some(b) => {
                        let head = self.new_str(&text[..b], line)?;
                        let sep = args[0];
                        self.objs.incref(sep);
                        let tail = match self.new_str(&text[b + p.len()..], line) {
                            Ok(t) => t,
                            Err(u) => {
                                self.release(vec![head, sep]);
                                return Err(u);
                            }
                        };
                        vec![head, sep, tail]
                    }
                };
                let made = self.objs.tuple(parts);
                self.mem(made, line)
            }
            ("format", _) => {
                let out = self.str_format(text, args, span)?;
                self.new_str(&out, line)
            }
            ("encode", 0 | 1) => {
                if let Some(enc) = arg_str(self, 0) {
                    if !is_utf8_name(&enc) {
                        return unsupported(span, format!("encoding {enc:?}"));
                    }
                }
                if text.chars().any(|c| (0xD800..0xE000).contains(&(c as u32))) {
                    return unsupported(span, "encoding a lone surrogate");
                }
                let b = self.objs.bytes(text.as_bytes());
                self.mem(b, line)
            }
            ("isdigit" | "isalpha" | "isspace" | "isupper" | "islower" | "isalnum", 0) => {
                if !text.is_ascii() {
                    return unsupported(span, format!("str.{name}() of non-ASCII text"));
                }
                let b = match name {
                    "isdigit" => !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()),
                    "isalpha" => !text.is_empty() && text.chars().all(|c| c.is_ascii_alphabetic()),
                    "isalnum" => {
                        !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric())
                    }
                    "isspace" => !text.is_empty() && text.chars().all(|c| c.is_ascii_whitespace()),
                    "isupper" => {
                        text.chars().any(|c| c.is_ascii_uppercase())
                            && !text.chars().any(|c| c.is_ascii_lowercase())
                    }
                    _ => {
                        text.chars().any(|c| c.is_ascii_lowercase())
                            && !text.chars().any(|c| c.is_ascii_uppercase())
                    }
                };
                Ok(self.objs.bool(b))
            }
            _ => unsupported(span, format!("str.{name}() with {} arguments", args.len())),
        }
    }

    /// The text of `text.format(*args)` (`build_string` in
    /// Objects/stringlib/unicode_format.h): `{}` and `{N}` fields with an
    /// optional `!r`/`!s` conversion and a format spec; `{{` and `}}` are
    /// literal braces. Field names other than indices (keywords, attributes,
    /// items) and nested fields in a spec are refused.
    fn str_format(&mut self, text: &str, args: &[ObjRef], span: ast::Span) -> R<String> {
        let line = span.line;
        let mut out = String::new();
        // `auto` is Some(next index) once `{}` is used, None once `{N}` is.
        let (mut auto, mut manual) = (0usize, false);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    out.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    out.push('}');
                }
                '}' => {
                    return exc(
                        line,
                        "ValueError",
                        "Single '}' encountered in format string",
                    )
                }
                '{' => {
                    let mut field = String::new();
                    let mut depth = 1;
                    loop {
                        match chars.next() {
                            None if depth == 1 && field.is_empty() => {
                                return exc(
                                    line,
                                    "ValueError",
                                    "Single '{' encountered in format string",
                                )
                            }
                            None => {
                                return exc(line, "ValueError", "expected '}' before end of string")
                            }
                            Some('{') => {
                                depth += 1;
                                field.push('{');
                            }
                            Some('}') if depth == 1 => break,
                            Some('}') => {
                                depth -= 1;
                                field.push('}');
                            }
                            Some(x) => field.push(x),
                        }
                    }
                    let (head, spec) = match field.split_once(':') {
                        Some((h, s)) => (h, s),
                        None => (field.as_str(), ""),
                    };
                    let (name, conv) = match head.split_once('!') {
                        Some((n, c)) => (n, Some(c)),
                        None => (head, None),
                    };
                    if spec.contains('{') {
                        return unsupported(span, "a nested field in a str.format() spec");
                    }
                    let index = if name.is_empty() {
                        if manual {
                            return exc(
                                line,
                                "ValueError",
                                "cannot switch from manual field specification to automatic field numbering",
                            );
                        }
                        auto += 1;
                        auto - 1
                    } else if let Ok(i) = name.parse::<usize>() {
                        if auto > 0 {
                            return exc(
                                line,
                                "ValueError",
                                "cannot switch from automatic field numbering to manual field specification",
                            );
                        }
                        manual = true;
                        i
                    } else {
                        return unsupported(span, "a str.format() field that is not an index");
                    };
                    let Some(&arg) = args.get(index) else {
                        return exc(
                            line,
                            "IndexError",
                            format!(
                                "Replacement index {index} out of range for positional args tuple"
                            ),
                        );
                    };
                    let piece = match conv {
                        None => self.format_value(arg, spec, line)?,
                        Some("r") => {
                            let s = self.repr(arg)?;
                            self.format_str(&s, spec, line)?
                        }
                        Some("s") => {
                            let s = self.str_of(arg)?;
                            self.format_str(&s, spec, line)?
                        }
                        Some("a") => return unsupported(span, "the !a conversion"),
                        Some(c) if c.chars().count() == 1 => {
                            return exc(
                                line,
                                "ValueError",
                                format!("Unknown conversion specifier {c}"),
                            )
                        }
                        Some(_) => return unsupported(span, "this str.format() conversion"),
                    };
                    out.push_str(&piece);
                }
                c => out.push(c),
            }
        }
        Ok(out)
    }

    /// A method of `bytes`: `decode` (UTF-8, through
    /// `PyUnicode_DecodeUTF8`, so one char comes from the latin-1 cache),
    /// and `upper`/`lower`, which always make a new object
    /// (`PyBytes_FromStringAndSize(NULL, n)`).
    pub(super) fn bytes_method(
        &mut self,
        data: &[u8],
        name: &str,
        args: &[ObjRef],
        span: ast::Span,
    ) -> R<ObjRef> {
        let line = span.line;
        match (name, args) {
            ("decode", [] | [_]) => {
                if let Some(&a) = args.first() {
                    let ok = matches!(self.payload(a), Payload::Str(e) if is_utf8_name(e));
                    if !ok {
                        return unsupported(span, "bytes.decode() with this encoding");
                    }
                }
                match std::str::from_utf8(data) {
                    Ok(text) => {
                        let text = text.to_string();
                        self.new_str(&text, line)
                    }
                    Err(_) => unsupported(span, "decoding invalid UTF-8"),
                }
            }
            ("find" | "rfind" | "index" | "count" | "startswith" | "endswith", [a]) => {
                let Payload::Bytes(p) = self.payload(*a) else {
                    return unsupported(span, format!("bytes.{name}() of a non-bytes"));
                };
                let p = p.to_vec();
                let hits = |from_right: bool| -> Option<usize> {
                    if p.len() > data.len() {
                        return None;
                    }
                    let mut starts = 0..=data.len() - p.len();
                    if from_right {
                        starts.rev().find(|&i| data[i..].starts_with(&p))
                    } else {
                        starts.find(|&i| data[i..].starts_with(&p))
                    }
                };
                let n: i64 = match name {
                    "startswith" => return Ok(self.objs.bool(data.starts_with(&p))),
                    "endswith" => return Ok(self.objs.bool(data.ends_with(&p))),
                    "count" if p.is_empty() => data.len() as i64 + 1,
                    "count" => {
                        // Non-overlapping, left to right.
                        let (mut i, mut c) = (0, 0);
                        while i + p.len() <= data.len() {
                            if data[i..].starts_with(&p) {
                                c += 1;
                                i += p.len();
                            } else {
                                i += 1;
                            }
                        }
                        c
                    }
                    _ => match hits(name == "rfind") {
                        Some(i) => i as i64,
                        None if name == "index" => {
                            return exc(line, "ValueError", "subsection not found")
                        }
                        None => -1,
                    },
                };
                self.make_num(Num::Int(BigInt::from(n)), line)
            }
            ("hex", []) => {
                let out: String = data.iter().map(|b| format!("{b:02x}")).collect();
                self.new_str(&out, line)
            }
            ("upper" | "lower", []) => {
                let out: Vec<u8> = if name == "upper" {
                    data.to_ascii_uppercase()
                } else {
                    data.to_ascii_lowercase()
                };
                let made = self.objs.bytes_uncached(&out);
                self.mem(made, line)
            }
            _ => unsupported(
                span,
                format!("bytes.{name}() with {} arguments", args.len()),
            ),
        }
    }

    /// `s.split()` / `s.split(sep)`: the list is made with room for
    /// `PREALLOC_SIZE(maxcount)` items (at most 12), filled, then appended
    /// to past that, and its size set to the count, so its capacity stays.
    /// Without a `maxsplit`, `maxcount` is unlimited up to 3.11; from 3.12
    /// `split()` in unicodeobject.c bounds it by the length
    /// (`len1 / len2 + 1` with a separator, `(len1 - 1) / 2 + 1` on whitespace; measured
    /// for lengths 0 to 27). A separator longer than the text gives `[s]`
    /// in a list of exactly one item.
    fn str_split(
        &mut self,
        s: ObjRef,
        text: &str,
        sep: Option<ObjRef>,
        span: ast::Span,
    ) -> R<ObjRef> {
        let line = span.line;
        let sep = match sep.map(|a| self.payload(a).clone()) {
            None | Some(Payload::None) => None,
            Some(Payload::Str(x)) if x.is_empty() => {
                return exc(line, "ValueError", "empty separator")
            }
            Some(Payload::Str(x)) => Some(x),
            Some(p) => return unsupported(span, format!("str.split() of a {}", p.type_name())),
        };
        let parts: Vec<&str> = match &sep {
            None => text
                .split(|c: char| c.is_whitespace())
                .filter(|p| !p.is_empty())
                .collect(),
            Some(x) => text.split(&**x).collect(),
        };
        if !text.is_ascii() && sep.is_none() {
            return unsupported(span, "str.split() of non-ASCII text on whitespace");
        }
        let len1 = text.chars().count() as i64;
        let len2 = sep.as_ref().map(|x| x.chars().count() as i64);
        if len2.is_some_and(|l2| len1 < l2) {
            self.objs.incref(s);
            let l = self.objs.list_exact(vec![s]);
            return self.mem(l, line);
        }
        let mut items = Vec::with_capacity(parts.len());
        for p in &parts {
            let r = if p.len() == text.len() {
                self.objs.incref(s);
                Ok(s)
            } else {
                self.new_str(p, line)
            };
            match r {
                Ok(r) => items.push(r),
                Err(u) => {
                    self.release(items);
                    return Err(u);
                }
            }
        }
        let v = self.v();
        let maxcount = match (v.minor() >= 12, len2) {
            (false, _) => i64::MAX,
            (true, Some(l2)) => len1 / l2 + 1,
            // C division truncates: an empty text gives 1.
            (true, None) => (len1 - 1) / 2 + 1,
        };
        let prealloc = if maxcount >= 12 { 12 } else { maxcount + 1 } as usize;
        let mut state = crate::layout::ListState::new_exact(prealloc as u64);
        state.size = 0;
        for i in 0..items.len() {
            if i < prealloc {
                state.size += 1;
            } else {
                state.append(v);
            }
        }
        let l = self.objs.list_with_state(items, state);
        self.mem(l, line)
    }
}

/// True for a spelling of UTF-8 that the codec registry accepts
/// (`utf-8`, `UTF8`, `utf_8`, …): the only codec the model has.
fn is_utf8_name(name: &str) -> bool {
    let e = name.to_ascii_lowercase().replace('_', "-");
    e == "utf-8" || e == "utf8"
}
