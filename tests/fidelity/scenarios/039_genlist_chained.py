# scenario: chained generator pipelines versus chained list comprehensions
# covers: intermediate lists materialise every stage; generator pipelines keep three small objects
import sys
import tracemalloc

n = 10000
tracemalloc.start()
c0, p0 = tracemalloc.get_traced_memory()
a = [x for x in range(n)]
b = [x * 2 for x in a]
c = [x for x in b if x % 3 == 0]
result = sum(c)
c1, p1 = tracemalloc.get_traced_memory()
print("lists", result, len(c), "peak growth", p1 - p0)
del a, b, c
tracemalloc.stop()
tracemalloc.start()
c0, p0 = tracemalloc.get_traced_memory()
ga = (x for x in range(n))
gb = (x * 2 for x in ga)
gc_ = (x for x in gb if x % 3 == 0)
result = sum(gc_)
c1, p1 = tracemalloc.get_traced_memory()
print("generators", result, "peak growth", p1 - p0)
tracemalloc.stop()
print("sizes", sys.getsizeof(ga), sys.getsizeof(gb), sys.getsizeof(gc_))
