# scenario: vars() and attribute errors on dict and slot instances
# covers: __dict__ contents and insertion order; slots reject new attributes; unset slot access
class D:
    def __init__(self):
        self.b = 2
        self.a = 1


class S:
    __slots__ = ("a", "b")

    def __init__(self):
        self.a = 1


d = D()
print(vars(d))
d.c = 3
del d.b
print(vars(d), list(vars(d)))
s = S()
print("has __dict__", hasattr(s, "__dict__"), hasattr(d, "__dict__"))
try:
    s.c = 3
except AttributeError as e:
    print(type(e).__name__, e)
try:
    print(s.b)
except AttributeError as e:
    print(type(e).__name__, e)
try:
    vars(s)
except TypeError as e:
    print(type(e).__name__, e)
s.b = 5
print(s.a, s.b, getattr(s, "b"))
del s.a
print(hasattr(s, "a"))
