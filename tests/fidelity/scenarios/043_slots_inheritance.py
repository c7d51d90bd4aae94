# scenario: slots combined with inheritance and with a __dict__ slot
# covers: subclass without __slots__ regains __dict__ and __weakref__; slot layout adds up
import sys


class Base:
    __slots__ = ("x",)


class Child(Base):
    __slots__ = ("y",)


class Loose(Base):
    pass


class WithDictSlot:
    __slots__ = ("a", "__dict__")


class WithWeak:
    __slots__ = ("a", "__weakref__")


class Plain:
    pass


for cls in (Base, Child, Loose, WithDictSlot, WithWeak, Plain):
    o = cls()
    print(cls.__name__, sys.getsizeof(o), hasattr(o, "__dict__"))
c = Child()
c.x = 1
c.y = 2
print(c.x + c.y, isinstance(c, Base))
lo = Loose()
lo.x = 1
lo.z = 3
print(vars(lo))
w = WithDictSlot()
w.a = 1
w.b = 2
print(vars(w), w.a)
