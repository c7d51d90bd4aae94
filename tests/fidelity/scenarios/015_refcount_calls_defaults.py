# scenario: reference counts inside function calls and from default values
# covers: arguments referenced by the callee's frame, defaults tuple holds a reference, *args tuple
import sys

obj = []


def one(x):
    return sys.getrefcount(x)


def two(x, y):
    return sys.getrefcount(x)


def star(*args):
    return sys.getrefcount(args[0])


def kw(**kwargs):
    return sys.getrefcount(kwargs["k"])


print("module", sys.getrefcount(obj))
print("one arg", one(obj))
print("same twice", two(obj, obj))
print("star", star(obj))
print("kwargs", kw(k=obj))
print("after calls", sys.getrefcount(obj))

default_target = {}


def with_default(a=default_target):
    return sys.getrefcount(a)


print("default held", sys.getrefcount(default_target))
print("default used", with_default())
print("default overridden", with_default([]))


def keep(a, store=[]):
    store.append(a)
    return len(store)


print(keep(obj), keep(obj), sys.getrefcount(obj))
f = lambda v: sys.getrefcount(v)
print("lambda", f(obj))
