# scenario: instance sizes with __dict__ and with __slots__
# covers: basicsize of plain instances (dict/weakref slots or inline values) and slot instances
import sys


class Plain:
    pass


class WithInit:
    def __init__(self):
        self.a = 1
        self.b = 2


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self):
        self.a = 1
        self.b = 2


class Empty:
    __slots__ = ()


class Big:
    __slots__ = ("a", "b", "c", "d", "e", "f")


p = Plain()
print("Plain", sys.getsizeof(p))
p.x = 1
print("Plain+x", sys.getsizeof(p))
w = WithInit()
print("WithInit", sys.getsizeof(w))
print("Slotted", sys.getsizeof(Slotted()))
print("Empty", sys.getsizeof(Empty()))
print("Big", sys.getsizeof(Big()))
print("vars sizes", sys.getsizeof(vars(w)), sys.getsizeof(vars(p)))
