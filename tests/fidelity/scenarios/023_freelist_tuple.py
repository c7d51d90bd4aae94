# scenario: tuples reuse freed tuples of the same length
# covers: per-length tuple free lists; a freed 2-tuple is reused by the next 2-tuple only
a = int("5")
b = int("6")

t = (a, b)
idt = id(t)
del t
u = (b, a)
print("2-tuple reused by 2-tuple", id(u) == idt)

v = (a, b, a)
idv = id(v)
del v
w = (a, b)
print("3-tuple not reused by 2-tuple", id(w) != idv)
z = (b, b, b)
print("3-tuple reused by 3-tuple", id(z) == idv)

e1 = tuple([])
e2 = ()
print("empty tuple singleton", e1 is e2)
one = (a,)
ido = id(one)
one = None
two = (b,)
print("1-tuple reused", id(two) == ido)
print(u, w, z, two)
