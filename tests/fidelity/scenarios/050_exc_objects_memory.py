# scenario: memory held by exception objects while handled and after
# covers: exception instance sizes, args tuple references, objects released after except block
import sys


class Resource:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("release", self.name)


print("sizes", sys.getsizeof(Exception()), sys.getsizeof(ValueError("x")), sys.getsizeof(KeyError(1)))
big = [0] * 100


def fail(obj):
    raise ValueError(obj)


try:
    fail(big)
except ValueError as e:
    print("args holds it", e.args[0] is big, sys.getrefcount(big) > 2)
print("after handling", sys.getrefcount(big))


def guarded():
    r = Resource("local")
    try:
        raise KeyError("k")
    finally:
        print("finally runs first")


try:
    guarded()
except KeyError as e:
    print("caught", repr(str(e)))
print("after except block")
errors = []
for i in range(3):
    try:
        [][i]
    except IndexError as e:
        errors.append(str(e))
print(errors)
