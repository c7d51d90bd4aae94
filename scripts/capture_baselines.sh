#!/usr/bin/env bash
# Regenerate data/baseline/3.X.txt: the verbatim C-level stderr of
# `sys._debugmallocstats()` from a fresh interpreter of each CPython version.
#
# Usage: scripts/capture_baselines.sh [MINOR...]      (default: 8 9 10 11 12 13)
#
# Interpreter lookup, per minor version X (no hard-coded paths):
#   1. pyenv: the newest `pyenv versions --bare` entry matching 3.X.N,
#      run as "$(pyenv prefix 3.X.N)/bin/python3.X";
#   2. otherwise `python3.X` found on PATH.
# A version that cannot be found is an error (exit status 1), unless
# PYMEM_ALLOW_MISSING_PYTHON=1, in which case it is skipped with a warning.
#
# How each interpreter is run (kept identical in tests/stats_roundtrip.rs):
#   cwd        a fresh empty temporary directory
#   env        `env -i` with only PATH, HOME, LC_ALL=C.UTF-8 and
#              PYTHONDONTWRITEBYTECODE=1 (so no PYTHONPATH, PYTHONMALLOC,
#              PYTHONSTARTUP, ... from the caller leak in)
#   command    python3.X -c 'import sys; sys._debugmallocstats()'
#   captured   stderr only (stdout goes to /dev/null)
#
# A second file per version, 3.X-tracemalloc.txt, is the same report from a
# script file whose first lines are `import sys` and `import tracemalloc`:
# the heap a program that imports tracemalloc finds (tracemalloc.py imports
# pickle, fnmatch, linecache, ... which change the free lists). The model
# starts from it when the program imports tracemalloc.
#
# Exact numbers depend on the machine (site-packages, mmap alignment,
# interpreter build); the format does not.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out_dir="$(cd "$here/.." && pwd)/data/baseline"
mkdir -p "$out_dir"

minors=("$@")
if [ ${#minors[@]} -eq 0 ]; then
    minors=(8 9 10 11 12 13)
fi

find_python() {
    local minor="$1" ver prefix
    if command -v pyenv >/dev/null 2>&1; then
        ver="$(pyenv versions --bare 2>/dev/null | grep -E "^3\.${minor}\.[0-9]+$" | sort -V | tail -n 1 || true)"
        if [ -n "$ver" ]; then
            prefix="$(pyenv prefix "$ver")"
            if [ -x "$prefix/bin/python3.${minor}" ]; then
                echo "$prefix/bin/python3.${minor}"
                return 0
            fi
        fi
    fi
    command -v "python3.${minor}" 2>/dev/null || return 1
}

status=0
for minor in "${minors[@]}"; do
    if ! py="$(find_python "$minor")"; then
        if [ "${PYMEM_ALLOW_MISSING_PYTHON:-0}" = "1" ]; then
            echo "warning: no Python 3.${minor} found; skipped" >&2
            continue
        fi
        echo "error: no Python 3.${minor} found (pyenv or python3.${minor} on PATH)" >&2
        status=1
        continue
    fi
    work="$(mktemp -d)"
    target="$out_dir/3.${minor}.txt"
    (
        cd "$work"
        env -i PATH="$PATH" HOME="$HOME" LC_ALL=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 \
            "$py" -c 'import sys; sys._debugmallocstats()' 2>"$target.tmp" >/dev/null
        printf 'import sys\nimport tracemalloc\nsys._debugmallocstats()\n' >main.py
        env -i PATH="$PATH" HOME="$HOME" LC_ALL=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 \
            "$py" main.py 2>"$out_dir/3.${minor}-tracemalloc.txt.tmp" >/dev/null
        rm main.py
    )
    rmdir "$work"
    mv "$target.tmp" "$target"
    mv "$out_dir/3.${minor}-tracemalloc.txt.tmp" "$out_dir/3.${minor}-tracemalloc.txt"
    echo "3.${minor}: $("$py" -c 'import sys; print(sys.version.split()[0])') -> $target" >&2
done
exit "$status"
