# scenario: cycles through suspended and unstarted generators, closed by their finalizers
# covers: generator tp_finalize (close) in finalize_garbage; 3.12+ leaves an unstarted frame for tp_clear; is_finalized
import gc
import weakref


class Box:
    pass


def selfish(box):
    yield 1
    yield box.gen


gc.collect()
box = Box()
g = selfish(box)
box.gen = g
print("first", next(g))
wg = weakref.ref(g)
del g, box
print("suspended generator cycle alive", wg() is not None)
print("collected", gc.collect(), wg() is None)
box = Box()
g = selfish(box)
box.gen = g
wg = weakref.ref(g)
del g, box
print("unstarted generator cycle", gc.collect(), wg() is None)
keep = Box()
g = selfish(keep)
keep.gen = g
print("reachable generator collected", gc.collect(), wg() is None)
print("tracked", gc.is_tracked(g), gc.is_tracked(keep))
