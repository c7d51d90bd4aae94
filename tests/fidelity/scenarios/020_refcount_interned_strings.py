# scenario: reference counts of interned and non-interned strings
# covers: sys.intern identity, interned dict references not counted (<=3.11) or immortal interned strings
import sys

a = "".join(["memory", "_", "model"])
b = "".join(["memory", "_", "model"])
print("equal not same", a == b, a is b)
print("plain", sys.getrefcount(a))
ia = sys.intern(a)
print("intern returns same", ia is a)
ib = sys.intern(b)
print("second intern returns first", ib is a, ib is b)
r = sys.getrefcount(a)
print("interned count", r if r < 1000000 else "immortal")
del ib, ia
r = sys.getrefcount(a)
print("after del", r if r < 1000000 else "immortal")
print("b", sys.getrefcount(b))
c = "".join(["x", "y", "z", "1"])
before = sys.getrefcount(c)
ic = sys.intern(c)
after = sys.getrefcount(c)
print("intern delta", after - before if after < 1000000 else "immortal")
d = chr(120)
print("one-char cached", d is chr(120), chr(233) is chr(233), chr(256) is chr(256))
