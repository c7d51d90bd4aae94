# scenario: gc.set_debug(gc.DEBUG_SAVEALL) keeps the garbage in gc.garbage
# covers: delete_garbage appends instead of clearing; the count of collected objects is unchanged; the saved objects stay alive
import gc


class Node:
    def __init__(self, name):
        self.name = name
        self.other = None


gc.collect()
print("debug flags", gc.get_debug(), gc.DEBUG_SAVEALL, gc.DEBUG_LEAK)
gc.set_debug(gc.DEBUG_SAVEALL)
print("get_debug", gc.get_debug() == gc.DEBUG_SAVEALL)
a = Node("a")
b = Node("b")
a.other = b
b.other = a
del a, b
n = gc.collect()
print("collected", n, "garbage", len(gc.garbage))
print("types", sorted(type(x).__name__ for x in gc.garbage))
names = sorted(x.name for x in gc.garbage if type(x) is Node)
print("names", names)
print("still tracked", all(gc.is_tracked(x) for x in gc.garbage))
lst = []
lst.append(lst)
del lst
print("list cycle", gc.collect(), len(gc.garbage))
print("self-referencing list saved", any(type(x) is list and x and x[0] is x for x in gc.garbage))
gc.set_debug(0)
saved = len(gc.garbage)
gc.garbage.clear()
print("after clearing gc.garbage", gc.collect(), saved)
print("garbage empty", gc.garbage == [])
