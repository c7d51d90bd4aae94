"""Snapshots of sys._debugmallocstats() around N allocations of one size.

Usage: python3 pool_deltas.py N SIZE
Allocates N bytes objects whose allocator request is SIZE bytes (33 + len),
frees every other one, refills them, then frees all, printing the
_debugmallocstats() text (written by CPython to the C-level stderr, fd 2)
before and after each phase, separated by lines of '=' * 20.
Used by tests/fidelity_pools.rs; nothing else in this process allocates in
SIZE's size class between snapshots (the test checks that with N = 0).
"""
import os
import sys

N, SIZE = int(sys.argv[1]), int(sys.argv[2])
LEN = SIZE - 33  # PyBytesObject: 33 bytes of header + len (+ NUL included)
assert LEN >= 2, "bytes of length 0 and 1 are cached singletons"

r, w = os.pipe()
saved = os.dup(2)
snaps = [None] * 5
objs = [None] * N


def snap(k):
    os.dup2(w, 2)
    sys._debugmallocstats()
    os.dup2(saved, 2)
    snaps[k] = os.read(r, 1 << 20)


# `i = None` after each loop: the last loop index (an int above 256) would
# otherwise stay alive in size class 1. (Run with `python3 -c`: see
# tests/common/mod.rs `run_inline`.)
i = None
snap(0)
for i in range(N):
    objs[i] = bytes(LEN)
i = None
snap(1)
for i in range(0, N, 2):
    objs[i] = None
i = None
snap(2)
for i in range(0, N, 2):
    objs[i] = bytes(LEN)
i = None
snap(3)
objs = None
snap(4)
sys.stdout.write(("=" * 20 + "\n").join(s.decode() for s in snaps))
