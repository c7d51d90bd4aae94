# scenario: generator functions: size over their life, state, and list() of them
# covers: generator object and its frame, locals kept alive while suspended, release on exhaustion
import sys


def countdown(n):
    big = [0] * 1000
    while n > 0:
        yield n
        n -= 1
    big = None
    yield -1


class Tracker:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("freed", self.name)


def holds(t):
    keep = t
    yield 1
    yield 2


g = countdown(3)
print("created", sys.getsizeof(g))
print(next(g), next(g), sys.getsizeof(g))
print(list(g))
print("exhausted", sys.getsizeof(g))
h = holds(Tracker("a"))
print("first", next(h))
print("dropping suspended generator")
del h
print("after del")
h2 = holds(Tracker("b"))
print(list(h2))
print("after exhaustion")
squares = list(x * x for x in range(6))
print(squares, sys.getsizeof(squares))
