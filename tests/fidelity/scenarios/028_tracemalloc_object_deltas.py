# scenario: traced memory growth when creating 1000 objects of each kind
# covers: tracemalloc accounting of ints, floats, tuples, lists, dicts, instances and their containers
import tracemalloc


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


tracemalloc.start()
n = 1000
base = tracemalloc.get_traced_memory()[0]
ints = [i * 1000 for i in range(n)]
now = tracemalloc.get_traced_memory()[0]
print("ints", now - base)
base = tracemalloc.get_traced_memory()[0]
floats = [i * 0.5 for i in range(n)]
now = tracemalloc.get_traced_memory()[0]
print("floats", now - base)
base = tracemalloc.get_traced_memory()[0]
tuples = [(i, i) for i in range(n)]
now = tracemalloc.get_traced_memory()[0]
print("tuples", now - base)
base = tracemalloc.get_traced_memory()[0]
lists = [[i] for i in range(n)]
now = tracemalloc.get_traced_memory()[0]
print("lists", now - base)
base = tracemalloc.get_traced_memory()[0]
dicts = [{"k": i} for i in range(n)]
now = tracemalloc.get_traced_memory()[0]
print("dicts", now - base)
base = tracemalloc.get_traced_memory()[0]
points = [Point(i, i) for i in range(n)]
now = tracemalloc.get_traced_memory()[0]
print("instances", now - base)
base = tracemalloc.get_traced_memory()[0]
del ints, floats, tuples, lists, dicts, points
now = tracemalloc.get_traced_memory()[0]
print("freed", base - now)
tracemalloc.stop()
