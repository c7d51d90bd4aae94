# scenario: gc.get_objects(generation) lists a generation in CPython's order
# covers: tracking order, promotion by collect(0) and collect(1), lazy untracking of tuples and dicts, the result list skipping itself
import gc


def names(objs):
    return [type(o).__name__ for o in objs]


gc.collect()
print("young after a full collection", len(gc.get_objects(0)), len(gc.get_objects(1)))
a = [1, 2]
b = {"x": 1}
c = {"y": a}
t = (1, 2)
u = (a, 3)
s = {1, 2}
print("generation 0", names(gc.get_objects(0)))
print("empty dict tracked", gc.is_tracked(b), "dict holding a list", gc.is_tracked(c))
gc.collect(0)
print("after collect(0)", len(gc.get_objects(0)), names(gc.get_objects(1)))
print("atomic tuple untracked", not gc.is_tracked(t), "tuple of a list still tracked", gc.is_tracked(u))
g1 = gc.get_objects(1)
print("a in generation 1", any(o is a for o in g1), "result not in itself", not any(o is g1 for o in g1))
del g1
d = [a, b]
print("new in generation 0", names(gc.get_objects(0)))
gc.collect(1)
print("after collect(1)", len(gc.get_objects(0)), len(gc.get_objects(1)))
for bad in (3, -2):
    try:
        gc.get_objects(bad)
    except ValueError as e:
        print("ValueError", e)
