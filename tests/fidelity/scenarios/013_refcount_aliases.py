# scenario: reference counts of a list as names are bound, rebound and deleted
# covers: each name binding is one reference; getrefcount's own argument adds one; del drops one
import sys

a = [1, 2, 3]
print("one name", sys.getrefcount(a))
b = a
print("two names", sys.getrefcount(a))
c = d = a
print("chained", sys.getrefcount(a))
x, y = a, a
print("unpacked", sys.getrefcount(a))
del x
print("del x", sys.getrefcount(a))
b = None
print("rebind b", sys.getrefcount(a))
del c, d, y
print("back to one", sys.getrefcount(a))
print("same object", a is b, b is None)
s = "".join(["not", "interned", "text"])
t = s
print("str", sys.getrefcount(s))
del t
print("str after del", sys.getrefcount(s))
