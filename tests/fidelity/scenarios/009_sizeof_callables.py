# scenario: sizes of functions, closures, cells, lambdas, bound methods and generators
# covers: PyFunctionObject, cell objects, PyMethodObject, generator (with embedded frame from 3.11)
import sys


def f(x):
    return x + 1


def outer():
    v = 10

    def inner():
        return v

    return inner


def gen(n):
    i = 0
    while i < n:
        yield i
        i += 1


class C:
    def m(self):
        return 1


inner = outer()
print("function", sys.getsizeof(f))
print("closure", sys.getsizeof(inner))
print("cell", sys.getsizeof(inner.__closure__[0]), len(inner.__closure__))
print("lambda", sys.getsizeof(lambda y: y))
c = C()
print("bound method", sys.getsizeof(c.m))
print("same bound", c.m == c.m)
g = gen(3)
print("generator", sys.getsizeof(g))
print(next(g), next(g), sys.getsizeof(g))
print(list(g), sys.getsizeof(g))
print("builtin method", sys.getsizeof([].append))
