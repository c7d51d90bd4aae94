# scenario: reference counts of objects captured by closures
# covers: the cell owns one reference; several closures share one cell; rebinding the cell
import sys


def make():
    data = [0]

    def get():
        return data

    def add(v):
        data.append(v)
        return len(data)

    return get, add


get, add = make()
box = get()
print("captured", sys.getrefcount(box))
print("add", add(1), add(2))
print("cell contents", len(get.__closure__), get.__closure__[0].cell_contents is box)
print("shared cell", get.__closure__[0] is add.__closure__[0])
del get
print("after del get", sys.getrefcount(box))
del add
print("after del add", sys.getrefcount(box))


def counter():
    n = 0

    def inc():
        nonlocal n
        n += 1
        return n

    return inc


c = counter()
print("counter", c(), c(), c())
payload = object()


def hold(p):
    return lambda: p


h1 = hold(payload)
h2 = hold(payload)
print("two closures", sys.getrefcount(payload))
h1 = None
print("one closure", sys.getrefcount(payload))
print(h2() is payload)
