# scenario: instance size with __dict__ versus __slots__ for 1 to 8 attributes
# covers: slot instances grow by 8 bytes per slot; dict instances keep basicsize plus a dict
import sys

names = ["a", "b", "c", "d", "e", "f", "g", "h"]


class D1:
    def __init__(self):
        self.a = 1


class S1:
    __slots__ = ("a",)

    def __init__(self):
        self.a = 1


class D4:
    def __init__(self):
        self.a = 1
        self.b = 2
        self.c = 3
        self.d = 4


class S4:
    __slots__ = ("a", "b", "c", "d")

    def __init__(self):
        self.a = 1
        self.b = 2
        self.c = 3
        self.d = 4


class D8:
    def __init__(self):
        for i, n in enumerate(names):
            setattr(self, n, i)


class S8:
    __slots__ = ("a", "b", "c", "d", "e", "f", "g", "h")

    def __init__(self):
        for i, n in enumerate(names):
            setattr(self, n, i)


for cls in (D1, S1, D4, S4, D8, S8):
    o = cls()
    extra = sys.getsizeof(vars(o)) if hasattr(o, "__dict__") else 0
    print(cls.__name__, sys.getsizeof(o), extra, sys.getsizeof(o) + extra)
