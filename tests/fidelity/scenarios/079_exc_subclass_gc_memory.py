# scenario: exception subclasses and super(): sizes, args, dicts, reference counts, GC counts and traced memory
# covers: BaseException_new/init through super().__init__, the instance dict of an exception subclass, zero-argument super() in plain classes
import gc
import sys


class AppError(Exception):
    pass


class WithInit(AppError):
    def __init__(self, key):
        super().__init__("missing " + key)
        self.key = key


class Base:
    def __init__(self, x):
        self.x = x

    def describe(self):
        return "base " + str(self.x)


class Child(Base):
    def __init__(self, x, y):
        super().__init__(x)
        self.y = y

    def describe(self):
        return super().describe() + " child " + str(self.y)


e = AppError("a", 1)
print(sys.getsizeof(e), sys.getrefcount(e), sys.getrefcount(e.args), len(e.args))
w = WithInit("k")
print(sys.getsizeof(w), w.args, w.key, sys.getsizeof(w.__dict__))
print(isinstance(w, AppError), isinstance(w, Exception), isinstance(w, KeyError))
c = Child(1, 2)
print(c.x, c.y, sys.getsizeof(c), c.describe())
gc.collect()
gc.disable()
a = gc.get_count()[0]
errs = [AppError(i) for i in range(10)]
b = gc.get_count()[0]
print("10 errors", b - a)
more = [WithInit(str(i)) for i in range(10)]
d = gc.get_count()[0]
print("10 with init", d - b)
del errs, more
gc.enable()
try:
    raise WithInit("z")
except AppError as x:
    print("caught", type(x).__name__, x.args, x.key, str(x), repr(x))
try:
    raise AppError
except Exception as x:
    print("class raised", repr(x), x.args)
print(e.args, str(e), repr(e))


class Plain:
    pass


class Calls(Plain):
    def __init__(self):
        try:
            super().__init__(1)
        except TypeError as err:
            print("super init", err)


try:
    Plain().__init__(1)
except TypeError as err:
    print("plain init", err)
Calls()
