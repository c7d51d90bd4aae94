# scenario: traced memory of a materialised list versus a pending generator
# covers: list allocates all items up front; a generator allocates only its own frame
import tracemalloc

n = 5000
tracemalloc.start()
b = tracemalloc.get_traced_memory()[0]
lst = [x * 3 for x in range(n)]
a = tracemalloc.get_traced_memory()[0]
print("list", a - b)
b = tracemalloc.get_traced_memory()[0]
gen = (x * 3 for x in range(n))
a = tracemalloc.get_traced_memory()[0]
print("generator", a - b)
b = tracemalloc.get_traced_memory()[0]
first = next(gen)
a = tracemalloc.get_traced_memory()[0]
print("after next", a - b, first)
b = tracemalloc.get_traced_memory()[0]
del lst
a = tracemalloc.get_traced_memory()[0]
print("list freed", b - a)
b = tracemalloc.get_traced_memory()[0]
del gen
a = tracemalloc.get_traced_memory()[0]
print("generator freed", b - a)
tracemalloc.stop()
