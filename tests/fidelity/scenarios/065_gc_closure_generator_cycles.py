# scenario: cycles through closures, bound methods and suspended generators
# covers: function <-> cell cycles, instance holding its own bound method, generator referencing itself
import gc
import weakref


class Box:
    pass


def make_recursive():
    def fact(n):
        return 1 if n <= 1 else n * fact(n - 1)

    return fact


gc.collect()
fn = make_recursive()
print("fact", fn(6))
wf = weakref.ref(fn)
del fn
print("closure cycle alive", wf() is not None)
print("collected", gc.collect(), wf() is None)

b = Box()
b.method = b.__init__
wb = weakref.ref(b)
del b
print("bound method cycle", gc.collect(), wb() is None)


def selfish(box):
    yield 1
    yield box.gen


box = Box()
g = selfish(box)
box.gen = g
print("first", next(g))
wg = weakref.ref(g)
del g, box
print("suspended generator cycle alive", wg() is not None)
print("collected (generator closed by its finalizer first)", gc.collect(), wg() is None)
box = Box()
g = selfish(box)
box.gen = g
wg = weakref.ref(g)
del g, box
print("unstarted generator cycle", gc.collect(), wg() is None)
