# scenario: cycles made only of dicts and lists, and dicts untracked by a full collection
# covers: dict_traverse, PyDict_Clear in delete_garbage, untrack_dicts only on generation-2 collections, MAINTAIN_TRACKING
import gc

gc.collect()
d1 = {}
d2 = {"back": d1}
d1["fwd"] = d2
del d1, d2
print("two dicts in a cycle", gc.collect())
d = {"self": None}
d["self"] = d
l = [d]
d["list"] = l
del d, l
print("dict and list", gc.collect())
plain = {"a": 1, "b": "two"}
nested = {"inner": {"x": 1}}
print("tracked before", gc.is_tracked(plain), gc.is_tracked(nested), gc.is_tracked(nested["inner"]))
gc.collect(0)
print("after collect(0)", gc.is_tracked(plain), gc.is_tracked(nested), gc.is_tracked(nested["inner"]))
plain["c"] = [1]
del plain["c"]
print("plain after holding a list", gc.is_tracked(plain))
gc.collect()
print("after a full collection", gc.is_tracked(plain), gc.is_tracked(nested), gc.is_tracked(nested["inner"]))
