# scenario: objects that refer to themselves survive del and are freed by gc.collect()
# covers: self-cycles of an instance, a list and a dict; collect() counts unreachable objects
import gc
import sys
import weakref


class Node:
    def __init__(self, name):
        self.name = name
        self.me = None


gc.collect()
n = Node("n")
n.me = n
print("instance refcount", sys.getrefcount(n))
probe = weakref.ref(n)
del n
print("alive after del", probe() is not None)
print("collected instance cycle", gc.collect())
print("alive after collect", probe() is not None)

lst = []
lst.append(lst)
print("list refcount", sys.getrefcount(lst))
del lst
print("collected list cycle", gc.collect())

d = {}
d["self"] = d
del d
print("collected dict cycle", gc.collect())

t = ([],)
t[0].append(t)
del t
print("collected tuple-list cycle", gc.collect())
print("nothing left", gc.collect())
