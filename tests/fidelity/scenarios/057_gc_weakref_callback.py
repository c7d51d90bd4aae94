# scenario: weakref callbacks fire when the collector frees a cycle
# covers: weakref.ref callback receives the dead reference; callbacks on refcount-freed objects
import gc
import weakref

events = []


class Obj:
    def __init__(self, name):
        self.name = name
        self.link = None


def on_death(r):
    events.append(("dead", r() is None))


gc.collect()
plain = Obj("plain")
w1 = weakref.ref(plain, on_death)
del plain
print("refcount free", events)
events.clear()
x = Obj("x")
y = Obj("y")
x.link = y
y.link = x
wx = weakref.ref(x, on_death)
wy = weakref.ref(y, on_death)
del x, y
print("before collect", events, wx() is not None)
print("collected", gc.collect())
print("after collect", events, wx(), wy())
events.clear()
keep = Obj("keep")
keep.link = keep
wk = weakref.ref(keep, on_death)
print("alive", gc.collect(), events, wk() is keep)
same = weakref.ref(keep)
print("same ref reused", same is weakref.ref(keep), same is wk)
keep = None
print("final", gc.collect(), events)
