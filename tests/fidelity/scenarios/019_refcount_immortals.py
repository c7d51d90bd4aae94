# scenario: reference counts of None, True, False, () and small ints as references are added
# covers: singletons and small ints are counted up to 3.11 and immortal (count frozen) from 3.12
import sys

targets = [("None", None), ("True", True), ("False", False), ("small int 7", 7), ("empty tuple", ())]
for name, obj in targets:
    before = sys.getrefcount(obj)
    held = [obj] * 1000
    during = sys.getrefcount(obj)
    del held
    after = sys.getrefcount(obj)
    print(name, "delta", during - before, "restored", after == before)
    if sys.version_info >= (3, 12):
        print(name, "immortal count", sys.getrefcount(obj))
n = int("300")
m = int("300")
print("300 shared", n is m, sys.getrefcount(n))
k = int("100")
j = 100
print("100 shared", k is j)
