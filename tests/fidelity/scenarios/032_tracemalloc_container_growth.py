# scenario: traced memory of a list and a dict as they grow
# covers: realloc of list item arrays and dict key tables as seen by tracemalloc
import sys
import tracemalloc

tracemalloc.start()
lst = []
d = {}
base = tracemalloc.get_traced_memory()[0]
for i in range(1, 65):
    lst.append(None)
    if i in (1, 4, 5, 8, 9, 16, 17, 32, 33, 64):
        print("list", i, tracemalloc.get_traced_memory()[0] - base, sys.getsizeof(lst))
base = tracemalloc.get_traced_memory()[0]
for i in range(1, 45):
    d[i] = None
    if i in (1, 5, 6, 10, 11, 21, 22, 42, 43):
        print("dict", i, tracemalloc.get_traced_memory()[0] - base, sys.getsizeof(d))
tracemalloc.stop()
