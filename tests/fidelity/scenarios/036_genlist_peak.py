# scenario: peak traced memory of summing a list versus summing a generator
# covers: a list comprehension holds all n results at once; a generator holds one at a time
import sys
import tracemalloc

n = 20000
tracemalloc.start()
c0, p0 = tracemalloc.get_traced_memory()
total = sum([i * 1000 for i in range(n)])
c1, p1 = tracemalloc.get_traced_memory()
print("list sum", total, "peak growth", p1 - p0, "left", c1 - c0)
tracemalloc.stop()
tracemalloc.start()
c0, p0 = tracemalloc.get_traced_memory()
total = sum(i * 1000 for i in range(n))
c1, p1 = tracemalloc.get_traced_memory()
print("gen sum", total, "peak growth", p1 - p0, "left", c1 - c0)
tracemalloc.stop()
tracemalloc.start()
c0, p0 = tracemalloc.get_traced_memory()
m = max(map(lambda v: v % 977, range(n)))
c1, p1 = tracemalloc.get_traced_memory()
print("map max", m, "peak growth", p1 - p0)
tracemalloc.stop()
