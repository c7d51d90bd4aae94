"""Prints the tokens of each file named on the command line, as JSON.

One line per file: a list of [start_byte, end_byte, kind, is_keyword] for
every token with text (names, numbers, strings, f-string pieces, operators,
comments, error tokens), with byte offsets into the file's UTF-8 text.
Used by tests/highlight.rs with CPython 3.12+, whose tokenize splits
f-strings into FSTRING_START / FSTRING_MIDDLE / FSTRING_END as ruff does.
"""
import io
import json
import keyword
import sys
import tokenize

SKIP = {tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}

for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line.encode("utf-8")))

    def offset(row, col):
        return starts[row - 1] + len(lines[row - 1][:col].encode("utf-8")) if row <= len(lines) else starts[-1]

    out = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type in SKIP or tok.start == tok.end:
            continue
        out.append([offset(*tok.start), offset(*tok.end), tokenize.tok_name[tok.type],
                    tok.type == tokenize.NAME and keyword.iskeyword(tok.string)])
    print(json.dumps(out))
