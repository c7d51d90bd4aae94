# scenario: which objects the cycle collector tracks
# covers: atomic objects untracked; containers tracked; dict/tuple lazy untracking
import gc


class K:
    pass


class S:
    __slots__ = ("a",)


def f():
    pass


print("int", gc.is_tracked(1), "str", gc.is_tracked("s"), "float", gc.is_tracked(1.5), "None", gc.is_tracked(None))
print("list", gc.is_tracked([]), "set", gc.is_tracked(set()), "instance", gc.is_tracked(K()), "slots", gc.is_tracked(S()))
print("function", gc.is_tracked(f), "class", gc.is_tracked(K), "bytes", gc.is_tracked(b"x"))
print("empty dict", gc.is_tracked({}), "atomic dict", gc.is_tracked({1: 2, "a": "b"}))
print("dict with list", gc.is_tracked({1: []}))
d = {"a": 1}
d["b"] = []
print("dict after adding list", gc.is_tracked(d))
t = tuple([1, 2, 3])
print("atomic tuple before gc", gc.is_tracked(t))
gc.collect()
print("atomic tuple after gc", gc.is_tracked(t))
u = tuple([1, []])
gc.collect()
print("tuple with list after gc", gc.is_tracked(u))
v = (t, t)
gc.collect()
print("tuple of untracked tuples after gc", gc.is_tracked(v))
print("empty tuple", gc.is_tracked(()), "frozenset", gc.is_tracked(frozenset([1])))
g = (x for x in range(3))
print("generator", gc.is_tracked(g), "range", gc.is_tracked(range(3)))
