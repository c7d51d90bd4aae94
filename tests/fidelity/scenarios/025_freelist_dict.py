# scenario: dicts reuse freed dict objects
# covers: dict free list for PyDictObject (and for small keys objects)
k = int("10")
a = {k: 1}
ida = id(a)
del a
b = {k: 2}
print("dict reused", id(b) == ida)

c = {i: i for i in range(50)}
idc = id(c)
del c
d = {}
print("large dict header reused", id(d) == idc)

e = {"x": 1}
f = {"y": 2}
ide = id(e)
idf = id(f)
del e, f
g = {"z": 3}
h = {"w": 4}
print("LIFO", id(g) == idf, id(h) == ide)
print(sorted(b.items()), d, g, h)
