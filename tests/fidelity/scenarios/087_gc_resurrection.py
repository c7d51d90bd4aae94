# scenario: a __del__ that resurrects its object during a collection
# covers: finalize_garbage runs __del__ once (the FINALIZED bit), handle_resurrected_objects keeps the resurrected part of a cycle alive, a later collection frees it without calling __del__ again
import gc
import sys

saved = []
calls = []


class Phoenix:
    def __init__(self, name):
        self.name = name
        self.partner = None

    def __del__(self):
        calls.append(self.name)
        if self.name == "a":
            saved.append(self)


gc.collect()
a = Phoenix("a")
b = Phoenix("b")
a.partner = b
b.partner = a
del a, b
print("collected with a resurrection", gc.collect())
print("__del__ calls", sorted(calls))
print("saved", [p.name for p in saved], "partner kept", saved[0].partner.name)
if sys.version_info >= (3, 9):
    print("finalized", gc.is_finalized(saved[0]), gc.is_finalized(saved[0].partner))
saved.clear()
print("collected after letting go", gc.collect())
print("__del__ calls after", sorted(calls))
c = Phoenix("c")
c.partner = c
del c
print("self cycle without resurrection", gc.collect(), calls[-1])
