"""Times a program on the real interpreter for BENCHMARKS.md's
interpreter figures: best of 20 runs of the compiled module, startup
excluded, `print` silenced.

    PYENV_VERSION=3.11.7 python3 scripts/bench_interp.py benches/programs/loop.py
"""
import sys
import time

path = sys.argv[1]
code = compile(open(path).read(), path, "exec")
best = float("inf")
for _ in range(20):
    start = time.perf_counter()
    exec(code, {"__name__": "__main__", "print": lambda *a, **k: None})
    best = min(best, time.perf_counter() - start)
print(f"{path}: best of 20: {best * 1000:.2f} ms")
