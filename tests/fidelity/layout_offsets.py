"""Reads object fields at fixed offsets from id(x) with ctypes, per version.

Prints JSON: for ints, bools, a float, strs of each kind, bytes, a tuple,
lists, dicts, sets, an instance, a __slots__ instance, a function, a cell
and None, sys.getsizeof, __sizeof__, type.__basicsize__/__itemsize__ and
the fields read back at the offsets tests/inspect.rs expects (run as
`PYENV_VERSION=3.X.Y python3 tests/fidelity/layout_offsets.py`).
"""
import sys, ctypes, json, weakref, builtins

V = sys.version_info[:2]
ss = lambda a: ctypes.c_ssize_t.from_address(a).value
up = lambda a: ctypes.c_size_t.from_address(a).value
u8 = lambda a: ctypes.c_uint8.from_address(a).value
u32 = lambda a: ctypes.c_uint32.from_address(a).value
dbl = lambda a: ctypes.c_double.from_address(a).value
out = {"version": "%d.%d" % V}

def common(x):
    a = id(x)
    t = type(x)
    return {
        "getsizeof": sys.getsizeof(x),
        "sizeof": x.__sizeof__(),
        "basicsize": t.__basicsize__,
        "itemsize": t.__itemsize__,
        "refcnt_ok": ss(a) == sys.getrefcount(x) - 1 or ss(a) > 2**31,
        "type_at_8": up(a + 8) == id(t),
    }

out["gc_head"] = sys.getsizeof([]) - [].__sizeof__()

for name, x in [("int0", 0), ("int5", 5), ("int2d", 2**30 + 5), ("intneg", -(2**31))]:
    d = common(x)
    a = id(x)
    d["at16"] = ss(a + 16)
    d["digit0"] = u32(a + 24)
    out[name] = d

for name, x in [("true", True), ("false", False)]:
    d = common(x)
    d["at16"] = ss(id(x) + 16)
    out[name] = d

x = 1.5
d = common(x); d["fval"] = dbl(id(x) + 16); out["float"] = d

for name, s in [("ascii", "abc"), ("latin1", "\xe9t\xe9"), ("ucs2", "\u20ac1"), ("ucs4", "\U0001F600")]:
    s = s + "".join(str(i) for i in range(2))  # runtime-built, not interned
    d = common(s)
    a = id(s)
    hash(s)
    d["len"] = len(s)
    d["length_at16"] = ss(a + 16)
    d["hash_ok"] = ss(a + 24) == hash(s)
    st = u32(a + 32)
    d["state"] = {"interned": st & 3, "kind": (st >> 2) & 7, "compact": (st >> 5) & 1, "ascii": (st >> 6) & 1, "bit7": (st >> 7) & 1}
    hdr = 48 if V < (3, 12) else 40
    chdr = 72 if V < (3, 12) else 56
    if s.isascii():
        d["data"] = ctypes.string_at(a + hdr, len(s) + 1).hex()
    else:
        k = d["state"]["kind"]
        d["data"] = ctypes.string_at(a + chdr, (len(s) + 1) * k).hex()
        d["utf8_length"] = ss(a + hdr)
        d["utf8"] = up(a + hdr + 8)
        if V < (3, 12):
            d["wstr_at40"] = up(a + 40)
            d["wstr_length_at64"] = ss(a + 64)
    out["str_" + name] = d

b = bytes([97, 98, 99])
d = common(b); a = id(b)
d["size"] = ss(a + 16); d["shash_before"] = ss(a + 24); hash(b); d["shash_ok"] = ss(a + 24) == hash(b)
d["sval"] = ctypes.string_at(a + 32, 4).hex()
out["bytes"] = d

one, two = 10**20, 10**21
t = (one, two, None)
d = common(t); a = id(t)
d["size"] = ss(a + 16); d["items_ok"] = [up(a + 24 + 8 * i) == id(v) for i, v in enumerate(t)]
d["gc_next_nonzero"] = up(a - 16) != 0
out["tuple3"] = d

for name, l in [("list_display", [one, two, 3]), ("list_appended", [])]:
    if name == "list_appended":
        for i in range(5):
            l.append(i)
    d = common(l); a = id(l)
    d["size"] = ss(a + 16); d["allocated"] = ss(a + 32)
    items = up(a + 24)
    d["item0_ok"] = up(items) == id(l[0])
    d["gc_next_nonzero"] = up(a - 16) != 0
    out[name] = d

for name, dd in [("dict_empty", {}), ("dict_str", {"a": one}), ("dict_int", {1: 2})]:
    if name != "dict_empty":
        dd = dict(dd)
    d = common(dd); a = id(dd)
    d["used"] = ss(a + 16); d["at24"] = up(a + 24); d["keys_ptr_nonzero"] = up(a + 32) != 0; d["values"] = up(a + 40)
    k = up(a + 32)
    d["dk_refcnt"] = ss(k)
    if V >= (3, 11):
        d["dk_log2_size"] = u8(k + 8); d["dk_log2_index_bytes"] = u8(k + 9); d["dk_kind"] = u8(k + 10)
        d["dk_usable"] = ss(k + 16); d["dk_nentries"] = ss(k + 24)
    else:
        d["dk_size"] = ss(k + 8); d["dk_usable"] = ss(k + 24); d["dk_nentries"] = ss(k + 32)
    out[name] = d

for name, s in [("set3", {one, two, 3}), ("set9", set(range(9))), ("frozenset", frozenset([one]))]:
    s = type(s)(s)
    d = common(s); a = id(s)
    d["fill"] = ss(a + 16); d["used"] = ss(a + 24); d["mask"] = ss(a + 32)
    d["table_is_small"] = up(a + 40) == a + 64
    d["hash_before"] = ss(a + 48)
    if isinstance(s, frozenset):
        hash(s); d["hash_ok"] = ss(a + 48) == hash(s)
    d["finger"] = ss(a + 56)
    r = weakref.ref(s)
    d["weakreflist_ok"] = up(a + 192) == id(r)
    out[name] = d

class C:
    def __init__(self):
        self.a = one
        self.b = two

c = C(); a = id(c)
d = common(c)
d["gc_next_nonzero"] = up(a - 16) != 0
if V < (3, 11):
    d["dict_at16_ok"] = up(a + 16) == id(c.__dict__)
    d["weak_at24_before"] = up(a + 24)
    r = weakref.ref(c)
    d["weak_at24_ok"] = up(a + 24) == id(r)
elif V == (3, 11):
    d["values_at_m32_nonzero"] = up(a - 32) != 0
    d["dict_at_m24_before"] = up(a - 24)
    d["weak_at16_before"] = up(a + 16)
    r = weakref.ref(c)
    d["weak_at16_ok"] = up(a + 16) == id(r)
    dd = c.__dict__
    d["dict_at_m24_ok"] = up(a - 24) == id(dd)
elif V == (3, 12):
    d["dorv_at_m24_tagged"] = up(a - 24) & 1
    d["weak_at_m32_before"] = up(a - 32)
    r = weakref.ref(c)
    d["weak_at_m32_ok"] = up(a - 32) == id(r)
    dd = c.__dict__
    d["dict_at_m24_ok"] = up(a - 24) == id(dd)
else:
    d["dict_at_m24_before"] = up(a - 24)
    d["inline"] = [u8(a + 16 + i) for i in range(4)]
    d["value0_ok"] = up(a + 24) == id(c.a)
    d["value1_ok"] = up(a + 32) == id(c.b)
    cap = d["inline"][0]
    d["order"] = [u8(a + 24 + 8 * cap + i) for i in range(2)]
    d["weak_at_m32_before"] = up(a - 32)
    r = weakref.ref(c)
    d["weak_at_m32_ok"] = up(a - 32) == id(r)
    dd = c.__dict__
    d["dict_at_m24_ok"] = up(a - 24) == id(dd)
out["instance"] = d

class S:
    __slots__ = ("p", "q")
s = S(); s.p = one
d = common(s); d["slot0_ok"] = up(id(s) + 16) == id(one); d["slot1"] = up(id(s) + 24)
out["slots"] = d

def f(x=one):
    "doc"
    return x
d = common(f); a = id(f)
names = {"code": f.__code__, "globals": f.__globals__, "defaults": f.__defaults__, "doc": f.__doc__,
         "name": f.__name__, "qualname": f.__qualname__, "module": f.__module__,
         "builtins": builtins.__dict__}
d["offsets"] = {k: [o for o in range(16, type(f).__basicsize__, 8) if up(a + o) == id(v)] for k, v in names.items()}
out["function"] = d

def outer():
    v = [one]
    def inner():
        return v
    return inner
cell = outer().__closure__[0]
d = common(cell); d["ob_ref_ok"] = up(id(cell) + 16) == id(cell.cell_contents)
out["cell"] = d

d = common(None); out["none"] = d

print(json.dumps(out, indent=1, sort_keys=True))
