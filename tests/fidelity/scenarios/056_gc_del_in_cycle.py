# scenario: __del__ methods of objects in a cycle run when the collector frees the cycle
# covers: PEP 442 finalizers in cycles, each finalizer runs once, resurrection, gc.garbage stays empty
import gc

log = []
saved = []


class Fin:
    def __init__(self, name):
        self.name = name
        self.other = None

    def __del__(self):
        log.append(self.name)


class Phoenix:
    def __init__(self):
        self.me = self
        self.calls = 0

    def __del__(self):
        self.calls += 1
        saved.append(self)


gc.collect()
a = Fin("a")
b = Fin("b")
a.other = b
b.other = a
del a, b
print("before collect", log)
n = gc.collect()
print("collected", n, sorted(log))
print("garbage", len(gc.garbage))
log.clear()
ring = [Fin("r%d" % i) for i in range(5)]
for i in range(5):
    ring[i].other = ring[(i + 1) % 5]
del ring
print("ring collected", gc.collect(), sorted(log))
p = Phoenix()
del p
print("phoenix pass 1", gc.collect(), len(saved), saved[0].calls)
saved[0].me = None
del saved[0]
print("phoenix gone by refcount, finalizer not rerun", gc.collect(), len(saved))
