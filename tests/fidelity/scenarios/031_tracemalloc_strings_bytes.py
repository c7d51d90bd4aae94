# scenario: traced size of single str and bytes objects equals their getsizeof
# covers: one PyObject_Malloc block per str/bytes; kinds ASCII/latin-1/UCS2/UCS4
import sys
import tracemalloc

tracemalloc.start()
results = []
for n in (10, 100, 1000):
    for ch in ("a", "\xe9", "\u0101", "\U0001f600"):
        before = tracemalloc.get_traced_memory()[0]
        s = ch * n
        after = tracemalloc.get_traced_memory()[0]
        print(n, ord(ch), after - before, sys.getsizeof(s))
        del s
for n in (0, 10, 1000):
    before = tracemalloc.get_traced_memory()[0]
    b = bytes(n) + b"!"
    after = tracemalloc.get_traced_memory()[0]
    print("bytes", n + 1, after - before, sys.getsizeof(b))
    del b
tracemalloc.stop()
