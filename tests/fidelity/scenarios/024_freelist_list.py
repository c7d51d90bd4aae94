# scenario: list objects reuse freed list headers whatever their length
# covers: list free list holds the PyListObject header; items array is freed separately
a = [1, 2, 3]
ida = id(a)
del a
b = [4]
print("list header reused", id(b) == ida)

c = list(range(100))
idc = id(c)
del c
d = []
print("long list header reused by empty list", id(d) == idc)

e = [0]
f = [1]
ide = id(e)
idf = id(f)
del e
del f
g = [2]
h = [3]
print("LIFO order", id(g) == idf, id(h) == ide)
print(b, d, g, h)
