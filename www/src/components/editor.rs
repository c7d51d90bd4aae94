//! The code editor: a plain `<textarea>` (labelled "Code") over a
//! highlighted copy of the same text, with line numbers, the line just run
//! and the next line marked, and the error underlined at its line and
//! column. Edits re-run the program after a pause in typing.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use pymem::interp::SourceError;
use pymem::parse::{highlight, Highlight, TokenClass};
use yew::prelude::*;

use crate::examples::EXAMPLES;

/// Quiet time after the last keystroke before the program re-runs.
pub const DEBOUNCE_MS: u32 = 400;

/// Props of [`Editor`].
#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The source the trace was recorded from.
    pub source: Rc<str>,
    /// The line just run (0: none).
    pub current: u32,
    /// The line that runs next (0: none).
    pub next: u32,
    /// Where the run failed, if it did.
    pub error: Option<SourceError>,
    /// New source to run (debounced while typing).
    pub onchange: Callback<Rc<str>>,
}

fn token_class(c: TokenClass) -> &'static str {
    match c {
        TokenClass::Keyword => "tk-kw",
        TokenClass::Builtin => "tk-builtin",
        TokenClass::Name => "tk-name",
        TokenClass::Def => "tk-def",
        TokenClass::String => "tk-str",
        TokenClass::Number => "tk-num",
        TokenClass::Comment => "tk-comment",
        TokenClass::Operator => "tk-op",
        TokenClass::Decorator => "tk-deco",
        TokenClass::Error => "tk-error",
    }
}

/// One piece of a line: its text, token class and whether the error
/// covers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// The text.
    pub text: String,
    /// CSS class of its token (`None`: whitespace or unclassified).
    pub class: Option<&'static str>,
    /// Inside the error's span.
    pub error: bool,
}

/// Byte offset in `line` of 1-based character column `col` (clamped).
fn byte_at_col(line: &str, col: u32) -> usize {
    line.char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map_or(line.len(), |(i, _)| i)
}

/// `text` cut into lines and each line into [`Piece`]s.
pub fn pieces(text: &str, spans: &[Highlight], error: Option<&SourceError>) -> Vec<Vec<Piece>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut si = 0usize;
    for (i, raw) in text.split('\n').enumerate() {
        let lineno = i as u32 + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let end = start + line.len();
        // The error's byte range within this line.
        let err = error.and_then(|e| {
            if lineno < e.line || lineno > e.end_line.max(e.line) {
                return None;
            }
            let a = if lineno == e.line {
                byte_at_col(line, e.col)
            } else {
                0
            };
            let b = if lineno == e.end_line.max(e.line) && e.end_col > e.col.min(e.end_col) {
                byte_at_col(line, e.end_col)
            } else if lineno == e.end_line.max(e.line) {
                // No useful end: underline to the end of the line (at
                // least one character, a caret's worth).
                line.len().max(a + 1)
            } else {
                line.len()
            };
            Some((a, b.max(a + 1)))
        });
        let mut cuts = vec![0, line.len()];
        while si < spans.len() && (spans[si].end as usize) <= start {
            si += 1;
        }
        let mut k = si;
        while k < spans.len() && (spans[k].start as usize) < end {
            cuts.push(
                (spans[k].start as usize)
                    .saturating_sub(start)
                    .min(line.len()),
            );
            cuts.push(
                (spans[k].end as usize)
                    .saturating_sub(start)
                    .min(line.len()),
            );
            k += 1;
        }
        if let Some((a, b)) = err {
            cuts.push(a.min(line.len()));
            cuts.push(b.min(line.len()));
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut row = Vec::new();
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let Some(piece) = line.get(a..b) else {
                continue;
            };
            let abs = start + a;
            let class = spans[si..k]
                .iter()
                .find(|s| (s.start as usize) <= abs && abs < s.end as usize)
                .map(|s| token_class(s.class));
            row.push(Piece {
                text: piece.to_string(),
                class,
                error: err.is_some_and(|(ea, eb)| a < eb && ea < b),
            });
        }
        if err.is_some_and(|(a, _)| a >= line.len()) {
            // An error just past the end of the line: a caret on a space.
            row.push(Piece {
                text: " ".to_string(),
                class: None,
                error: true,
            });
        }
        out.push(row);
        start += raw.len() + 1;
    }
    out
}

/// The editor.
#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let text = use_state(|| props.source.to_string());
    // The source this editor last sent: a different `props.source` came
    // from outside (an example, say) and replaces the text.
    let sent = use_mut_ref(|| Rc::clone(&props.source));
    let timer: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    {
        let text = text.clone();
        let sent = sent.clone();
        use_effect_with(props.source.clone(), move |source| {
            if **sent.borrow() != **source {
                *sent.borrow_mut() = Rc::clone(source);
                text.set(source.to_string());
            }
        });
    }
    let gutter = use_node_ref();
    let layer = use_node_ref();

    let oninput = {
        let text = text.clone();
        let timer = timer.clone();
        let sent = sent.clone();
        let onchange = props.onchange.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            let value = area.value();
            text.set(value.clone());
            let sent = sent.clone();
            let onchange = onchange.clone();
            *timer.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                let src: Rc<str> = Rc::from(value.as_str());
                *sent.borrow_mut() = Rc::clone(&src);
                onchange.emit(src);
            }));
        })
    };
    let onscroll = {
        let gutter = gutter.clone();
        let layer = layer.clone();
        Callback::from(move |e: Event| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            if let Some(l) = layer.cast::<web_sys::Element>() {
                l.set_scroll_top(area.scroll_top());
                l.set_scroll_left(area.scroll_left());
            }
            if let Some(g) = gutter.cast::<web_sys::Element>() {
                g.set_scroll_top(area.scroll_top());
            }
        })
    };
    let onexample = {
        let text = text.clone();
        let sent = sent.clone();
        let onchange = props.onchange.clone();
        let timer = timer.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(ex) = select
                .value()
                .parse::<usize>()
                .ok()
                .and_then(|i| EXAMPLES.get(i))
            {
                *timer.borrow_mut() = None;
                let src: Rc<str> = Rc::from(ex.source);
                *sent.borrow_mut() = Rc::clone(&src);
                text.set(ex.source.to_string());
                onchange.emit(src);
            }
            select.set_value("");
        })
    };

    // Only the recorded text's error is shown; while typing, it may be stale.
    let fresh = **text == *props.source;
    let error = props.error.as_ref().filter(|_| fresh);
    let spans = use_memo((*text).clone(), |t| highlight(t));
    let lines = pieces(&text, &spans, error);
    let line_class = |n: u32| {
        classes!(
            "ln",
            (fresh && n == props.current).then_some("current"),
            (fresh && n == props.next).then_some("next"),
            error.is_some_and(|e| e.line == n).then_some("error-line")
        )
    };
    html! {
        <section class="panel editor-panel" role="region" aria-label="Code">
            <div class="panel-head">
                <h2 class="panel-title" id="code-title">{ "Code" }</h2>
                <label class="examples">
                    <span class="visually-hidden">{ "Example program" }</span>
                    <select onchange={onexample} aria-label="Example program">
                        <option value="" selected=true>{ "Examples…" }</option>
                        { for EXAMPLES.iter().enumerate().map(|(i, ex)| html! {
                            <option value={i.to_string()}>{ ex.name }</option>
                        }) }
                    </select>
                </label>
            </div>
            <div class="editor">
                <div class="gutter" ref={gutter} aria-hidden="true">
                    { for (1..=lines.len() as u32).map(|n| html! {
                        <div class={line_class(n)}>
                            <span class="marker">{ if fresh && n == props.next { "▶" } else if fresh && n == props.current { "✓" } else { "" } }</span>
                            { n }
                        </div>
                    }) }
                </div>
                <div class="code-wrap">
                    <pre class="code-layer" ref={layer} aria-hidden="true">
                        { for lines.iter().enumerate().map(|(i, row)| html! {
                            <div class={line_class(i as u32 + 1)}>
                                { for row.iter().map(|p| html! {
                                    <span class={classes!(p.class, p.error.then_some("err"))}>{ p.text.clone() }</span>
                                }) }
                                { "\u{200b}" }
                            </div>
                        }) }
                    </pre>
                    <textarea id="code" class="code-input" aria-label="Code" aria-describedby="code-status"
                        spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off"
                        value={(*text).clone()} {oninput} {onscroll} />
                </div>
            </div>
            <p id="code-status" class={classes!("code-status", error.is_some().then_some("has-error"))} role="status">
                if let Some(e) = error {
                    { format!("Line {}, column {}: {}", e.line, e.col, e.message) }
                } else if !fresh {
                    { "Editing… the program re-runs when you pause." }
                } else {
                    { "✓ marks the line just run, ▶ the next line." }
                }
            </p>
        </section>
    }
}
