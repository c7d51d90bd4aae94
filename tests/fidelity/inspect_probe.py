"""The figures tests/inspect.rs checks the inspector against, per version.

Makes the objects of the test program (an int, a 3-item list display, a
one-item dict display, an instance of a class whose __init__ sets two
attributes) and reads their fields with ctypes at the offsets the
inspector gives (from id(x); the GC header and pre-header at negative
offsets), plus sys.getsizeof, type.__basicsize__ and, with tracemalloc,
the bytes each creation allocated.
"""
import ctypes, json, sys, tracemalloc

V = sys.version_info[:2]
ss = lambda a: ctypes.c_ssize_t.from_address(a).value
up = lambda a: ctypes.c_size_t.from_address(a).value
u8 = lambda a: ctypes.c_uint8.from_address(a).value

class C:
    def __init__(self):
        self.a = 1
        self.b = 2

tracemalloc.start()
x = 1000
m = tracemalloc.get_traced_memory()[0]
n = x + 1
int_alloc = tracemalloc.get_traced_memory()[0] - m
m = tracemalloc.get_traced_memory()[0]
l = [x, n, x]
list_alloc = tracemalloc.get_traced_memory()[0] - m
m = tracemalloc.get_traced_memory()[0]
d = {'a': x}
dict_alloc = tracemalloc.get_traced_memory()[0] - m
C()  # the first instance's allocations differ (3.11: values array 264 then 256)
m = tracemalloc.get_traced_memory()[0]
c = C()
inst_alloc = tracemalloc.get_traced_memory()[0] - m
tracemalloc.stop()

out = {}
a = id(n)
out["int"] = {"getsizeof": sys.getsizeof(n), "at16": ss(a + 16), "digit0": ctypes.c_uint32.from_address(a + 24).value, "alloc": int_alloc}
a = id(l)
out["list"] = {"getsizeof": sys.getsizeof(l), "basicsize": list.__basicsize__, "ob_size": ss(a + 16),
               "ob_item0_ok": up(up(a + 24)) == id(x), "allocated": ss(a + 32), "alloc": list_alloc}
a = id(d)
k = up(a + 32)
out["gc_head"] = sys.getsizeof([]) - [].__sizeof__()
import gc
out["tracked"] = [gc.is_tracked(o) for o in (n, l, d, c)]
out["dict_gc_next"] = up(id(d) - 16)
out["dict"] = {"getsizeof": sys.getsizeof(d), "basicsize": dict.__basicsize__, "ma_used": ss(a + 16),
               "ma_keys_nonzero": k != 0, "ma_values": up(a + 40), "dk_refcnt": ss(k),
               "log2_size": (u8(k + 8) if V >= (3, 11) else ss(k + 8).bit_length() - 1), "alloc": dict_alloc}
a = id(c)
i = {"getsizeof": sys.getsizeof(c), "basicsize": C.__basicsize__, "gc_next_nonzero": up(a - 16) != 0, "alloc": inst_alloc}
if V < (3, 11):
    i["dict_at"] = [o for o in (16, 24) if up(a + o) == id(c.__dict__)]
elif V == (3, 11):
    i["values_at_m32_nonzero"] = up(a - 32) != 0
    i["dict_at_m24"] = up(a - 24)
elif V == (3, 12):
    i["dict_or_values_tag"] = up(a - 24) & 1
    i["weakref_at_m32"] = up(a - 32)
else:
    i["managed_dict_at_m24"] = up(a - 24)
    i["inline"] = [u8(a + 16 + j) for j in range(4)]
    i["values_ok"] = [up(a + 24) == id(c.a), up(a + 32) == id(c.b)]
out["instance"] = i
print(json.dumps(out, sort_keys=True))
