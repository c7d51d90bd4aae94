# Harness for tests/fidelity_layout.rs (runs on CPython 3.8-3.13).
#
# The Rust test appends `GROUPS = [...]` and `main(GROUPS)`. Each group is
# (name, setup, steps); each step is (pre, code, expr, aux). For every step:
# `pre` runs untraced, then `code` runs compiled under a unique file name with
# tracemalloc's traces cleared first; the sizes of the blocks still alive that
# were allocated by that code's frame are reported, with
# sys.getsizeof(eval(expr)) and eval(aux) (an int the expectation may need).
# Output: one line per step, "group<TAB>step<TAB>getsizeof<TAB>aux<TAB>sizes".
import gc
import sys
import tracemalloc


def main(groups):
    tracemalloc.start(1)
    out = []
    for gi, (name, setup, steps) in enumerate(groups):
        ns = {"sys": sys}
        exec(compile(setup, "<setup %s>" % name, "exec"), ns)
        for si, (pre, code, expr, aux) in enumerate(steps):
            if pre:
                exec(compile(pre, "<pre>", "exec"), ns)
            fname = "<s%d_%d>" % (gi, si)
            compiled = compile(code, fname, "exec")
            gc.disable()
            tracemalloc.clear_traces()
            exec(compiled, ns)
            snap = tracemalloc.take_snapshot()
            gc.enable()
            sizes = sorted(
                (t.size for t in snap.traces if t.traceback[0].filename == fname),
                reverse=True,
            )
            size = sys.getsizeof(eval(expr, ns)) if expr else -1
            extra = int(eval(aux, ns)) if aux else -1
            out.append("%d\t%d\t%d\t%d\t%s" % (gi, si, size, extra, ",".join(map(str, sizes))))
    tracemalloc.stop()
    sys.stdout.write("\n".join(out) + "\n")
