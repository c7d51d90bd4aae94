# scenario: range and iterator objects versus the lists they describe
# covers: lazy sequences have constant size; list(range) size grows; iterator sizes
import sys
import tracemalloc

for n in (10, 1000, 100000):
    r = range(n)
    print(n, sys.getsizeof(r), sys.getsizeof(iter(r)), sys.getsizeof(list(r)))
tracemalloc.start()
b = tracemalloc.get_traced_memory()[0]
r = range(100000)
a = tracemalloc.get_traced_memory()[0]
print("range traced", a - b)
b = tracemalloc.get_traced_memory()[0]
lst = list(r)
a = tracemalloc.get_traced_memory()[0]
print("list traced", a - b)
b = tracemalloc.get_traced_memory()[0]
z = zip(r, lst)
e = enumerate(lst)
a = tracemalloc.get_traced_memory()[0]
print("zip+enumerate traced", a - b)
tracemalloc.stop()
print(next(z), next(e), r[-1], len(r), 500 in r)
