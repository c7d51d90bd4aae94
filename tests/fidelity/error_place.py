"""Runs the program at argv[1] and prints where CPython says it failed, as JSON.

["syntax", lineno, offset, end_lineno, end_offset, "SyntaxError: msg"] for a
program that does not compile; ["exc", lineno, "ZeroDivisionError: ..."] for
an uncaught exception (the innermost traceback entry's line and the last
line of the traceback); ["ok"] otherwise. Used by tests/source_error.rs.
"""
import json
import sys
import traceback

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    src = f.read()
try:
    code = compile(src, path, "exec")
except SyntaxError as e:
    print(json.dumps(["syntax", e.lineno, e.offset, e.end_lineno, e.end_offset,
                      type(e).__name__ + ": " + e.msg]))
    sys.exit(0)
try:
    exec(code, {"__name__": "__main__"})
except BaseException as e:
    entry = traceback.extract_tb(e.__traceback__)[-1]
    print(json.dumps(["exc", entry.lineno,
                      traceback.format_exception_only(type(e), e)[-1].strip()]))
    sys.exit(0)
print(json.dumps(["ok"]))
