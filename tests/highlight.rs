//! `pymem::parse::highlight` against CPython's own tokenizer: on every
//! scenario program, each span starts and ends exactly where a token of
//! 3.12's `tokenize` does (f-strings split into start, middles and end,
//! as both tokenize them), strings are strings, numbers numbers, comments
//! comments, and a name is a keyword exactly when `keyword.iskeyword`
//! says so.

mod common;

use pymem::parse::{highlight, TokenClass};
use pymem::Version;

#[test]
fn spans_are_cpython_tokens_on_every_scenario() {
    let Some(py) = common::find(Version::V3_12) else {
        common::missing("3.12");
        return;
    };
    let files = common::scenario_files();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fidelity/tokens.py");
    let mut args: Vec<String> = vec![script.display().to_string()];
    args.extend(files.iter().map(|p| p.display().to_string()));
    let out = std::process::Command::new(&py.exe)
        .args(&args)
        .output()
        .expect("run tokens.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), files.len());
    let mut checked = 0;
    for (path, line) in files.iter().zip(lines) {
        let src = std::fs::read_to_string(path).expect("read scenario");
        let tokens: Vec<(u32, u32, String, bool)> = serde_json::from_str(line).expect("json");
        let spans = highlight(&src);
        let got: Vec<(u32, u32)> = spans.iter().map(|h| (h.start, h.end)).collect();
        let want: Vec<(u32, u32)> = tokens.iter().map(|t| (t.0, t.1)).collect();
        assert_eq!(got, want, "{}: span boundaries", path.display());
        for (h, (_, _, kind, is_kw)) in spans.iter().zip(&tokens) {
            let text = &src[h.start as usize..h.end as usize];
            let ok = match kind.as_str() {
                "STRING" | "FSTRING_START" | "FSTRING_MIDDLE" | "FSTRING_END" => {
                    h.class == TokenClass::String
                }
                "NUMBER" => h.class == TokenClass::Number,
                "COMMENT" => h.class == TokenClass::Comment,
                "NAME" if *is_kw => h.class == TokenClass::Keyword,
                "NAME" => {
                    matches!(
                        h.class,
                        TokenClass::Name
                            | TokenClass::Builtin
                            | TokenClass::Def
                            | TokenClass::Decorator
                    ) || (h.class == TokenClass::Keyword
                        && matches!(text, "match" | "case" | "type" | "_"))
                }
                "OP" => matches!(h.class, TokenClass::Operator | TokenClass::Decorator),
                _ => false,
            };
            assert!(
                ok,
                "{}: {text:?} is {kind} but {:?}",
                path.display(),
                h.class
            );
            checked += 1;
        }
    }
    assert!(checked > 10_000, "{checked} tokens");
}
