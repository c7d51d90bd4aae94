//! Byte offsets to CPython's positions: 1-based lines, 1-based character
//! columns. Lines end at `\n`, `\r\n` or a lone `\r`, as with Python's
//! universal newlines.

use ruff_text_size::{TextRange, TextSize};

use crate::ast::Span;

/// The start of every line of a source text.
pub(crate) struct LineIndex<'a> {
    src: &'a str,
    /// Byte offset of the first character of each line.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        let bytes = src.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { src, starts }
    }

    /// 0-based index of the line holding byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// (line, column) of byte `offset`, both 1-based; the column counts
    /// characters.
    pub(crate) fn pos(&self, offset: TextSize) -> (u32, u32) {
        let offset = (offset.to_usize()).min(self.src.len());
        let li = self.line_index(offset);
        let start = self.starts[li];
        let col = self.src.get(start..offset).map_or(0, |s| s.chars().count());
        (to_u32(li + 1), to_u32(col + 1))
    }

    /// The byte offset of 1-based (line, character column), clamped to
    /// the text.
    pub(crate) fn offset(&self, line: u32, col: u32) -> TextSize {
        let li = (line.max(1) as usize - 1).min(self.starts.len() - 1);
        let start = self.starts[li];
        let rest = self.src.get(start..).unwrap_or("");
        let skip = col.max(1) as usize - 1;
        let bytes = rest.char_indices().nth(skip).map_or(rest.len(), |(i, _)| i);
        TextSize::try_from(start + bytes).unwrap_or_default()
    }

    /// The span of a byte range.
    pub(crate) fn span(&self, range: TextRange) -> Span {
        let (line, col) = self.pos(range.start());
        let (end_line, end_col) = self.pos(range.end());
        Span {
            line,
            col,
            end_line,
            end_col,
        }
    }

    /// Byte offset of the start of the line holding `offset`.
    pub(crate) fn line_start(&self, offset: TextSize) -> usize {
        self.starts[self.line_index(offset.to_usize().min(self.src.len()))]
    }

    /// The text of the line holding `offset`, without its line break.
    pub(crate) fn line_at(&self, offset: TextSize) -> &'a str {
        let li = self.line_index(offset.to_usize().min(self.src.len()));
        self.line_by_index(li)
    }

    fn line_by_index(&self, li: usize) -> &'a str {
        let start = self.starts[li];
        let end = self.starts.get(li + 1).copied().unwrap_or(self.src.len());
        let line = self.src.get(start..end).unwrap_or("");
        line.trim_end_matches(['\n', '\r'])
    }

    /// 1-based number of the line holding the last character of the
    /// source (the line where the tokenizer meets the end of the file).
    pub(crate) fn last_line(&self) -> u32 {
        let end = self.src.len();
        if end == 0 {
            return 1;
        }
        to_u32(self.line_index(end - 1) + 1)
    }
}

/// The text of 1-based line `line` of `source` without its line break, or
/// `None` past the last line (a leading byte-order mark is skipped).
pub(crate) fn line_text(source: &str, line: u32) -> Option<&str> {
    let src = source.strip_prefix('\u{feff}').unwrap_or(source);
    let index = LineIndex::new(src);
    let li = usize::try_from(line).ok()?.checked_sub(1)?;
    let start = *index.starts.get(li)?;
    if start >= src.len() {
        return None;
    }
    Some(index.line_by_index(li))
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
