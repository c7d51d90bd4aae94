# scenario: traced peak memory stays at the high-water mark until reset
# covers: get_traced_memory() current/peak, reset_peak() (3.9+), freeing lowers current only
import sys
import tracemalloc

tracemalloc.start()
cur0, peak0 = tracemalloc.get_traced_memory()
big = [0] * 100000
cur1, peak1 = tracemalloc.get_traced_memory()
print("list grew current by", cur1 - cur0)
print("peak at least current", peak1 >= cur1)
del big
cur2, peak2 = tracemalloc.get_traced_memory()
print("freed", cur1 - cur2, "peak moved by", peak2 - peak1)
if sys.version_info >= (3, 9):
    tracemalloc.reset_peak()
    cur3, peak3 = tracemalloc.get_traced_memory()
    print("after reset peak above current by", peak3 - cur3)
    small = [1] * 1000
    cur4, peak4 = tracemalloc.get_traced_memory()
    print("new peak", peak4 - peak3)
else:
    print("reset_peak not available")
s = "x" * 50000
t = s + s
cur5, peak5 = tracemalloc.get_traced_memory()
del s, t
cur6, peak6 = tracemalloc.get_traced_memory()
print("strings freed", cur5 - cur6, "peak moved by", peak6 - peak5)
tracemalloc.stop()
print("after stop", tracemalloc.get_traced_memory())
