# scenario: instance __dict__ size as attributes are added one by one
# covers: key-sharing dicts / inline values; a dict un-shares when attributes differ by instance
import sys


class Grow:
    pass


g = Grow()
print("no attrs", sys.getsizeof(g))
last = -1
for i in range(12):
    setattr(g, "attr%d" % i, i)
    s = sys.getsizeof(vars(g))
    if s != last:
        print("attrs", i + 1, s)
        last = s


class Shared:
    def __init__(self, v):
        self.a = v
        self.b = v
        self.c = v


x = Shared(1)
y = Shared(2)
print("shared", sys.getsizeof(vars(x)), sys.getsizeof(vars(y)))
y.d = 4
print("y extra attr", sys.getsizeof(vars(x)), sys.getsizeof(vars(y)))
del x.a
print("x deleted attr", sys.getsizeof(vars(x)))
z = Shared(3)
print("new instance", sys.getsizeof(vars(z)))
