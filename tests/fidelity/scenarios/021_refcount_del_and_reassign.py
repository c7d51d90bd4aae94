# scenario: reference counts after del of names, items and attributes
# covers: del name, del list item, del dict item, delattr each drop exactly one reference
import sys


class Holder:
    pass


o = [None]
h = Holder()
h.ref = o
lst = [o, o]
d = {"k": o}
print("start", sys.getrefcount(o))
del lst[0]
print("del item", sys.getrefcount(o))
del d["k"]
print("del key", sys.getrefcount(o))
delattr(h, "ref")
print("delattr", sys.getrefcount(o), hasattr(h, "ref"))
setattr(h, "ref", o)
print("setattr", sys.getrefcount(o))
del h.ref
print("del attr", sys.getrefcount(o))
g = o
del o
print("via g", sys.getrefcount(g))
lst[0] = 5
print("overwritten", sys.getrefcount(g))
o = g
o += [1]
print("iadd keeps identity", o is g, sys.getrefcount(g))
