"""CPython's side of `cargo bench --bench gc`: one full collection of a
ring of 100 000 lists, garbage or alive, best of 10 runs.

    PYENV_VERSION=3.11.7 python3 scripts/bench_gc.py
"""
import gc
import time


def ring(n):
    first = []
    prev = first
    for _ in range(1, n):
        prev = [prev]
    first.append(prev)
    return first


def best(alive):
    times = []
    for _ in range(10):
        gc.disable()
        gc.collect()
        r = ring(100_000)
        if not alive:
            del r
        t = time.perf_counter()
        n = gc.collect()
        times.append(time.perf_counter() - t)
        r = None
        gc.enable()
    return min(times), n


for label, alive in (("garbage_ring", False), ("live_ring", True)):
    t, n = best(alive)
    print(f"{label}: {t * 1000:.2f} ms (collected {n})")
