# scenario: TypeError messages for bad calls to functions, methods and classes
# covers: argument-count and keyword errors (qualified names from 3.10), unpacking errors
def f(a, b=2):
    return a + b


def g(*, k):
    return k


class C:
    def m(self, x):
        return x

    def __init__(self, v):
        self.v = v


def show(fn):
    try:
        fn()
        print("ok")
    except Exception as e:
        print(type(e).__name__ + ":", e)


show(lambda: f())
show(lambda: f(1, 2, 3))
show(lambda: f(1, c=3))
show(lambda: f(1, a=1))
show(lambda: g(1))
show(lambda: g())
show(lambda: C(1).m())
show(lambda: C())
show(lambda: C(1, 2))
show(lambda: len())
show(lambda: len([], []))
show(lambda: int("1", 2, 3))
nothing = None
show(lambda: nothing())
five = 5
show(lambda: five())


def unpack2():
    a, b = [1, 2, 3]


def unpack3():
    a, b, c = [1, 2]


def unpack_int():
    a, b = 5


show(unpack2)
show(unpack3)
show(unpack_int)
show(lambda: f(*[1, 2, 3]))
show(lambda: f(**{"a": 1, "z": 2}))
show(lambda: dict(1))
show(lambda: sorted([1, "a"]))
