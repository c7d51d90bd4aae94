# scenario: the passing memory of print() and of tuple unpacking, seen as traced peaks
# covers: print's bound write method, int-to-str scratch and bytes copy; UNPACK_SEQUENCE's iterator before specialization
import sys
import tracemalloc

tracemalloc.start()
x = 800000
t = (x, x)
if sys.version_info >= (3, 9):
    res = []
    tracemalloc.reset_peak()
    print("list grew current by")
    cur, peak = tracemalloc.get_traced_memory()
    res.append(peak - cur)
    tracemalloc.reset_peak()
    print(x)
    cur, peak = tracemalloc.get_traced_memory()
    res.append(peak - cur)
    tracemalloc.reset_peak()
    print("ab", x, x)
    cur, peak = tracemalloc.get_traced_memory()
    res.append(peak - cur)
    tracemalloc.reset_peak()
    print(5)
    cur, peak = tracemalloc.get_traced_memory()
    res.append(peak - cur)
    tracemalloc.reset_peak()
    print()
    cur, peak = tracemalloc.get_traced_memory()
    res.append(peak - cur)
    print("print peaks", res)
    res = []
    for i in range(12):
        tracemalloc.reset_peak()
        z1, z2 = t
        a, b = tracemalloc.get_traced_memory()
        res.append(b - a)
    print("unpack peaks", res)
else:
    print("reset_peak not available")
tracemalloc.stop()
