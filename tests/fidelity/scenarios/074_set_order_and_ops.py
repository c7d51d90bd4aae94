# scenario: set iteration order, operators and methods, and the table's size after each
# covers: open addressing with linear probes, dummy reuse, resize on 3/5 full, merge copies, difference_update's purge
import sys

s = {3, 1, 2}
print(s, len(s), 2 in s, 5 in s, sys.getsizeof(s))
t = set(range(10))
print(t, sys.getsizeof(t))
t.discard(3)
t.add(30)
t.remove(0)
print(t, t.pop(), t)
print({1, 2, 3} | {4, 5}, {1, 2, 3} & {2, 3, 4}, {1, 2, 3} - {2}, {1, 2, 3} ^ {3, 4})
print(frozenset([9]) | {1, 2, 3}, frozenset(), set(), {x * x for x in range(6)})
collide = set()
for k in [40, 3, 11, 7, 1, 8, 16, 24]:
    collide.add(k)
print(collide, sys.getsizeof(collide))
collide.discard(40)
collide.add(72)
print(collide)
print({1, 2} == {2, 1}, {1} < {1, 2}, {1, 2} <= {1, 2}, {3} > {1}, {1, 2} != {1})
a = {1, 2, 3}
a |= {7}
a &= {1, 7}
print(a)
a -= {1}
a ^= {8, 7}
print(a)
print(set("hello") == set("ohel"), {(1, 2), (3, 4)}, {1.5, True, -1, -2})
print(list(iter({5, 6, 7})), {1, 2}.issubset([1, 2, 3]), {1, 2}.isdisjoint({3}), {1, 2}.union([3], [4]))
try:
    set().pop()
except KeyError as e:
    print("KeyError", e)
try:
    {[]}
except TypeError as e:
    print("TypeError", e)
try:
    {1}.remove(2)
except KeyError as e:
    print("KeyError", e)
big = set(range(100))
print(sys.getsizeof(big), sys.getsizeof(big - set(range(90))), sys.getsizeof(set(range(100)) & set(range(50, 60))))
big -= set(range(80))
print(big, sys.getsizeof(big))
o = object()
holder = {o, 1, 2}
print("refcount in set", sys.getrefcount(o))
holder.discard(o)
print("after discard", sys.getrefcount(o))
it = iter({1, 2, 3})
next(it)
print("left", list(it))
