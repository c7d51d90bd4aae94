"""Docstring."""
import os, os.path as osp
from collections import OrderedDict, deque as dq
x = 1 + 2 * 3 ** -4
a = b = c = [1, 2.5, 3j, "s" "t", b"by" b"tes", True, False, None, ...]
(p, *q), [r, s] = t = (1, 2, 3), [4, 5]
y += 1; z.attr -= 2; w[0] *= 3
del a, b.c, d[1:2], (e, f)
if a < b <= c is not d in e not in f:
    pass
elif not a or b and c:
    pass
elif x:
    x = 0x_FF + 0o17 + 0b1 + 12345678901234567890123
else:
    pass
while True:
    break
else:
    continue_ = 1
for i, j in enumerate(k):
    continue
else:
    pass
@dec
@dec2(1)
def f(a, b=1, *args, c, d=2, **kw):
    global g
    def inner():
        nonlocal a
        yield a
        yield from b
    return lambda x, y=1, *z, k, **kw: x
class C(B1, B2):
    """Doc."""
    def m(self): return self.x
try:
    raise ValueError("x") from None
except (TypeError, ValueError) as e:
    pass
except KeyError:
    raise
else:
    pass
finally:
    pass
assert x, "msg"
v = [i * 2 for i in range(10) if i % 2 if i > 3 for j in i]
v = {i for i in s}
v = {k: v for k, v in d.items()}
v = (i for i in s)
v = sum(i for i in s)
v = {1: 2, **d}
v = {*a, *b, 3}
v = [*a, *b]
v = f(1, *a, k=2, **kw)
v = a[1:2:3, ::2, 4]
v = a[:]
v = f"x{a!r:>{w}.{p}}y{b=}z{{c}}" "lit"
v = a if b else c
v = ~a | b & c ^ d << 1 >> 2 // 3 % 4 @ m
v = -(a + b) * (c - d) / +e
v = (1,)
v = ()
print(x, sep="")
