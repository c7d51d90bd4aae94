# scenario: closure cells: sharing, rebinding, pass-through, late binding and their memory
# covers: PyCell_New at the call, __closure__ tuples of cells, nonlocal writes through the cell, cell refcounts, generator frames with free variables
import gc
import sys


def outer(a, b):
    c = [a]

    def middle():
        def inner():
            return a + len(c)

        return inner

    return middle


f = outer(10, 20)
g = f()
print(g(), len(f.__closure__), len(g.__closure__))
print(f.__closure__[0] is g.__closure__[0], f.__closure__[1].cell_contents)
print("cell size", sys.getsizeof(f.__closure__[0]), "tracked", gc.is_tracked(f.__closure__[0]))


def late():
    fns = []
    for i in range(3):
        fns.append(lambda: i)
    return fns


print([fn() for fn in late()])


def accumulator():
    total = 0
    items = []

    def add(x):
        nonlocal total
        total += x
        items.append(x)
        return total

    return add


acc = accumulator()
print(acc(5), acc(7), acc.__closure__[1].cell_contents, acc.__closure__[0].cell_contents)
big = int("7" * 30)
acc2 = accumulator()
acc2(big)
print("value refs", sys.getrefcount(big))
del acc2
print("after del", sys.getrefcount(big))


def counter_gen(n):
    step = 2

    def scale(x):
        return x * step

    i = 0
    while i < n:
        yield scale(i)
        i += 1


gen = counter_gen(3)
print(list(gen))


def recursive():
    def walk(n):
        return 0 if n == 0 else 1 + walk(n - 1)

    return walk


w = recursive()
print(w(5))
del w
print("collected", gc.collect())


def unused_nested():
    def helper():
        return 1

    return helper() + 1


print(unused_nested())
