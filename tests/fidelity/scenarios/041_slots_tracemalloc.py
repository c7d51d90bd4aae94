# scenario: traced memory per instance for dict-based versus slot-based classes
# covers: per-instance allocation of object + __dict__ (or inline values) vs fixed slot object
import tracemalloc


class WithDict:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z


class WithSlots:
    __slots__ = ("x", "y", "z")

    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z


n = 2000
warm = [WithDict(0, 0, 0), WithSlots(0, 0, 0)]
tracemalloc.start()
b = tracemalloc.get_traced_memory()[0]
ds = [WithDict(None, None, None) for i in range(n)]
a = tracemalloc.get_traced_memory()[0]
print("dict instances", a - b, (a - b) // n)
b = tracemalloc.get_traced_memory()[0]
ss = [WithSlots(None, None, None) for i in range(n)]
a = tracemalloc.get_traced_memory()[0]
print("slot instances", a - b, (a - b) // n)
b = tracemalloc.get_traced_memory()[0]
for o in ds:
    o.w = 1
a = tracemalloc.get_traced_memory()[0]
print("fourth attribute on dict instances", a - b)
tracemalloc.stop()
