# scenario: set methods given a list instead of a set: which build a temporary set
# covers: set_intersection/isdisjoint iterate; issubset builds a set up to 3.11, intersects from 3.12; issuperset builds one up to 3.10
import tracemalloc

s = {1, 2, 3}
big = list(range(1000))
for name in ["intersection", "difference", "issuperset", "isdisjoint", "issubset", "symmetric_difference"]:
    tracemalloc.start()
    r = getattr(s, name)(big)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(name, r if isinstance(r, bool) else len(r) < 10, "temporary set" if peak > 20000 else "no temporary set")
    del r
t = {1, 2, 3}
t.intersection_update([2, 3, 9])
t.difference_update([3])
t.symmetric_difference_update([2, 7])
print(t, {1, 2}.issuperset([1, 5, 2]), {1, 2}.isdisjoint([3, 2]), {5}.intersection(range(10)))
print(sorted(frozenset([1, 2]).difference({1: 0})), type(frozenset([1]).intersection([1])).__name__)
